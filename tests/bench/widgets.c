/* Player benchmark (issue 5): a 1920x1080 board (menu board region, news ticker, clock,
 * weather panel) played live by the real vitrine-player, headless, for N seconds:
 *   - CPU share of the player process: (utime + stime) from /proc/<pid>/stat over the run,
 *     divided by the wall time (1.00 = one core busy);
 *   - frame-time p99, from the player's per-frame reports when it gives them (below);
 * and the same board with every frame redrawn from scratch (VITRINE_FULL_REDRAW=1: every
 * widget laid out again before each frame), the naive design the widgets avoid.
 *
 * The player reports frame times with VITRINE_FRAME_TIMES=1 and --events: one line
 * {"event":"frame","draw_us":N} per presented frame (N: monotonic microseconds from making
 * the frame's widgets to the end of render_present); VITRINE_FULL_REDRAW=1 makes every
 * widget anew before each frame (player/loop.c, docs/internals/render.md "Benchmark").
 *
 * usage: widgets-bench [SECONDS=10]      (a smoke run in ctest: 2 s) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* utime + stime of pid in seconds; -1 when it is gone. */
static double cpu_seconds(pid_t pid) {
  char path[64], buf[2048];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  /* Fields after the command name, which may hold spaces: from the last ')'. */
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long long ut = 0, st = 0;
  /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
    return -1;
  return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

struct result {
  double cpu_share;
  size_t frames;
  long p50_us, p99_us; /* -1: not reported */
};

static struct result run(const char *manifest, double seconds, bool full) {
  setenv("VITRINE_FRAME_TIMES", "1", 1);
  if (full)
    setenv("VITRINE_FULL_REDRAW", "1", 1);
  else
    unsetenv("VITRINE_FULL_REDRAW");
  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manifest", (char *)manifest, "--headless", "--windowed",
                  "1920x1080", "--events", NULL};
  e2e_spawn(&p, full ? "player-full" : "player", argv);
  /* Measure from the first presented frame: start-up (fonts, first layout) is not steady. */
  e2e_wait_presented(&p, 1, 30000);
  double c0 = cpu_seconds(p.pid);
  int64_t t0 = e2e_now_ms();
  size_t cap = 1 << 16, n = 0;
  long *us = malloc(cap * sizeof *us);
  E2E_CHECK(us != NULL, "malloc");
  char line[512];
  while (e2e_now_ms() - t0 < (int64_t)(seconds * 1000)) {
    int left = (int)(seconds * 1000 - (double)(e2e_now_ms() - t0));
    if (left <= 0 || !e2e_read_line(&p, line, sizeof line, left)) continue;
    const char *d = strstr(line, "\"draw_us\":");
    if (d && strstr(line, "\"event\":\"frame\"") && n < cap) us[n++] = atol(d + 10);
  }
  double c1 = cpu_seconds(p.pid);
  double wall = (double)(e2e_now_ms() - t0) / 1000.0;
  E2E_CHECK(c0 >= 0 && c1 >= 0 && e2e_alive(&p), "the player died during the run");
  E2E_CHECK(e2e_stop(&p) == 0, "the player did not exit cleanly");
  struct result r = {(c1 - c0) / wall, n, -1, -1};
  if (n) {
    qsort(us, n, sizeof *us, cmp_long);
    r.p50_us = us[n / 2];
    r.p99_us = us[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
  }
  free(us);
  return r;
}

static void print_result(const char *name, const struct result *r, double seconds) {
  printf("%-13s cpu %5.1f%% of a core", name, r->cpu_share * 100);
  if (r->frames)
    printf("  frames %zu (%.0f/s)  frame time p50 %.2f ms  p99 %.2f ms\n", r->frames,
           (double)r->frames / seconds, r->p50_us / 1000.0, r->p99_us / 1000.0);
  else
    printf("  frame time n/a (the player reports no frame times)\n");
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 10;
  E2E_CHECK(seconds > 0 && seconds <= 3600, "usage: widgets-bench [SECONDS]");
  char dir[512], path[700], manifest[700];
  e2e_path(dir, sizeof dir, "bench");
  E2E_CHECK(mkdir(dir, 0755) == 0, "mkdir");
  snprintf(path, sizeof path, "%s/media", dir);
  E2E_CHECK(mkdir(path, 0755) == 0, "mkdir media");
  snprintf(path, sizeof path, "%s/sources", dir);
  E2E_CHECK(mkdir(path, 0755) == 0, "mkdir sources");

  /* Snapshots as the cache keeps them (docs/live-content.md): a menu of 3 sections x 8
   * items, 30 headlines, a day of hours and a week of days. */
  char *buf = malloc(1 << 17);
  E2E_CHECK(buf != NULL, "malloc");
  int o = snprintf(buf, 1 << 17, "{\"key\":\"menu/1\",\"kind\":\"menu\",\"version\":1,"
                                 "\"updated_at\":\"2026-11-23T08:00:00Z\",\"data\":{\"name\":"
                                 "\"Breakfast\",\"sections\":[");
  for (int s = 0; s < 3; s++) {
    o += snprintf(buf + o, (1 << 17) - (size_t)o, "%s{\"id\":%d,\"name\":\"Section %d\",\"items\":[",
                  s ? "," : "", s + 1, s + 1);
    for (int i = 0; i < 8; i++)
      o += snprintf(buf + o, (1 << 17) - (size_t)o,
                    "%s{\"id\":%d,\"name\":\"Item %d-%d\",\"description\":\"Fresh, made today "
                    "with local produce\",\"price\":\"%d.50\",\"currency\":\"EUR\","
                    "\"image\":null,\"sold_out\":%s}",
                    i ? "," : "", s * 10 + i + 1, s + 1, i + 1, 3 + i, i == 5 ? "true" : "false");
    o += snprintf(buf + o, (1 << 17) - (size_t)o, "]}");
  }
  snprintf(buf + o, (1 << 17) - (size_t)o, "]}}");
  snprintf(path, sizeof path, "%s/sources/menu-1.json", dir);
  e2e_write_text(path, buf);

  o = snprintf(buf, 1 << 17, "{\"key\":\"feed/2\",\"kind\":\"news\",\"version\":1,"
                             "\"updated_at\":\"2026-11-23T08:00:00Z\",\"data\":{\"title\":\"News\","
                             "\"link\":\"\",\"items\":[");
  for (int i = 0; i < 30; i++)
    o += snprintf(buf + o, (1 << 17) - (size_t)o,
                  "%s{\"title\":\"Headline number %d: something happened in the city today\","
                  "\"summary\":\"\",\"link\":\"\",\"published\":null,\"image\":null}",
                  i ? "," : "", i + 1);
  snprintf(buf + o, (1 << 17) - (size_t)o, "]}}");
  snprintf(path, sizeof path, "%s/sources/feed-2.json", dir);
  e2e_write_text(path, buf);

  o = snprintf(buf, 1 << 17, "{\"key\":\"feed/3\",\"kind\":\"weather\",\"version\":1,"
                             "\"updated_at\":\"2026-11-23T08:00:00Z\",\"data\":{\"location\":{"
                             "\"name\":\"Oslo\",\"lat\":59.91,\"lon\":10.75},\"units\":{"
                             "\"temperature\":\"C\",\"wind\":\"m/s\",\"precipitation\":\"mm\"},"
                             "\"current\":null,\"hours\":[");
  /* Hours and days around the real clock, so the panel has something ahead to show. */
  int64_t now_s = e2e_wall_ms() / 1000;
  for (int h = 0; h < 30; h++) {
    char t[32];
    time_t ts = (time_t)(now_s - now_s % 3600 + h * 3600);
    struct tm tm;
    gmtime_r(&ts, &tm);
    strftime(t, sizeof t, "%Y-%m-%dT%H:00:00Z", &tm);
    o += snprintf(buf + o, (1 << 17) - (size_t)o,
                  "%s{\"time\":\"%s\",\"temperature\":%.1f,\"condition\":\"Cloudy\",\"icon\":"
                  "\"%s\",\"precipitation\":0.2}",
                  h ? "," : "", t, -2.0 + h * 0.3, h % 2 ? "cloudy" : "snow");
  }
  o += snprintf(buf + o, (1 << 17) - (size_t)o, "],\"days\":[");
  for (int d = 0; d < 7; d++) {
    char t[16];
    time_t ts = (time_t)(now_s + d * 86400);
    struct tm tm;
    gmtime_r(&ts, &tm);
    strftime(t, sizeof t, "%Y-%m-%d", &tm);
    o += snprintf(buf + o, (1 << 17) - (size_t)o,
                  "%s{\"date\":\"%s\",\"min\":%d,\"max\":%d,\"condition\":\"Rain\",\"icon\":"
                  "\"rain\"}",
                  d ? "," : "", t, -5 + d, 2 + d);
  }
  snprintf(buf + o, (1 << 17) - (size_t)o, "]}}");
  snprintf(path, sizeof path, "%s/sources/feed-3.json", dir);
  e2e_write_text(path, buf);
  free(buf);

  snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
  e2e_write_text(manifest,
    "{\"format\":1,\"version\":1,\"display\":{\"name\":\"bench\",\"timezone\":\"Europe/Berlin\"},"
    "\"default_layout\":1,\"sources\":[{\"key\":\"menu/1\",\"kind\":\"menu\"},"
    "{\"key\":\"feed/2\",\"kind\":\"news\"},{\"key\":\"feed/3\",\"kind\":\"weather\"}],"
    "\"playlists\":["
    "{\"id\":1,\"items\":[{\"type\":\"menu\",\"duration_ms\":3600000,\"source\":\"menu/1\","
    "\"style\":{\"size_px\":30}}]},"
    "{\"id\":2,\"items\":[{\"type\":\"ticker\",\"duration_ms\":3600000,\"source\":\"feed/2\","
    "\"speed_px_s\":120,\"style\":{\"size_px\":48,\"background\":\"#102030\"}}]},"
    "{\"id\":3,\"items\":[{\"type\":\"clock\",\"duration_ms\":3600000,\"format\":\"HH:mm:ss\","
    "\"style\":{\"size_px\":72}}]},"
    "{\"id\":4,\"items\":[{\"type\":\"weather\",\"duration_ms\":3600000,\"source\":\"feed/3\","
    "\"hours\":6,\"days\":3,\"style\":{\"size_px\":28}}]}],"
    "\"layouts\":[{\"id\":1,\"width\":1920,\"height\":1080,\"background\":\"#000000\","
    "\"regions\":["
    "{\"name\":\"menu\",\"x\":0,\"y\":0,\"width\":1280,\"height\":980,\"playlist\":1},"
    "{\"name\":\"clock\",\"x\":1280,\"y\":0,\"width\":640,\"height\":200,\"playlist\":3},"
    "{\"name\":\"weather\",\"x\":1280,\"y\":200,\"width\":640,\"height\":780,\"playlist\":4},"
    "{\"name\":\"ticker\",\"x\":0,\"y\":980,\"width\":1920,\"height\":100,\"playlist\":2}]}]}");

  printf("board 1920x1080: menu 1280x980, clock, weather 640x780, ticker 1920x100; %.0f s each\n",
         seconds);
  struct result a = run(manifest, seconds, false);
  print_result("widgets", &a, seconds);
  struct result b = run(manifest, seconds, true);
  print_result("full redraw", &b, seconds);
  if (a.frames && b.frames && a.p99_us > 0)
    printf("full redraw / widgets: frame time p99 x%.1f, cpu x%.1f\n",
           (double)b.p99_us / (double)a.p99_us, a.cpu_share > 0 ? b.cpu_share / a.cpu_share : 0);
  e2e_cleanup();
  return 0;
}
