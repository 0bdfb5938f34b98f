/* Benchmark: "API write committed -> player has fetched the new manifest and presented a
 * frame with it", on loopback with the real binaries.
 *   usage: push-latency [RUNS=200] [STATIC_SECONDS=10]
 * Prints the player's CPU share on a static screen, its peak RSS, and as the last line
 *   push_latency_ms p50=... p99=... n=...
 * The clock starts before the write request is sent, so each figure is an upper bound that
 * includes the write itself. The player runs headless (software renderer, no PNG writing). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static double percentile(const int64_t *sorted, int n, double p) {
  double rank = p / 100.0 * (n - 1);
  int lo = (int)rank;
  int hi = lo + 1 < n ? lo + 1 : lo;
  return (double)sorted[lo] + (rank - lo) * (double)(sorted[hi] - sorted[lo]);
}

/* utime + stime of pid, in clock ticks. */
static long long cpu_ticks(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  E2E_CHECK(f, "cannot read %s", path);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* the command name may contain spaces */
  unsigned long long ut = 0, st = 0;
  E2E_CHECK(p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) == 2,
            "cannot parse %s", path);
  return (long long)(ut + st);
}

static long status_kb(pid_t pid, const char *field) {
  char path[64], line[256];
  long v = -1;
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *f = fopen(path, "r");
  E2E_CHECK(f, "cannot read %s", path);
  while (fgets(line, sizeof line, f))
    if (strncmp(line, field, strlen(field)) == 0) v = atol(line + strlen(field) + 1);
  fclose(f);
  return v;
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 200;
  int static_s = argc > 2 ? atoi(argv[2]) : 10;
  E2E_CHECK(runs > 0 && static_s >= 0, "usage: push-latency [RUNS] [STATIC_SECONDS]");
  struct e2e_manager mgr;
  char owner[128], token[256], pdata[512], body[1024], path[256];
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  json_t *j = e2e_api(&mgr, "POST", "/api/v1/playlists", owner,
                      "{\"name\":\"prices\",\"items\":[{\"type\":\"text\",\"text\":\"Espresso 2.50\","
                      "\"duration_ms\":3600000,\"style\":{\"size_px\":72}}]}", 201);
  int64_t pl = json_integer_value(json_object_get(j, "id"));
  int64_t item = json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
  json_decref(j);
  snprintf(body, sizeof body,
           "{\"name\":\"board\",\"width\":1280,\"height\":720,\"regions\":[{\"name\":\"main\",\"x\":0,"
           "\"y\":0,\"width\":1280,\"height\":720,\"playlist_id\":%lld}]}", (long long)pl);
  j = e2e_api(&mgr, "POST", "/api/v1/layouts", owner, body, 201);
  int64_t layout = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  snprintf(body, sizeof body, "{\"name\":\"bench\",\"default_layout_id\":%lld}", (long long)layout);
  j = e2e_api(&mgr, "POST", "/api/v1/displays", owner, body, 201);
  snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
  json_decref(j);

  e2e_path(pdata, sizeof pdata, "player");
  struct e2e_proc player;
  char *pargv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", pdata, "--token", token,
                   "--headless", "--windowed", "1280x720", "--events", NULL};
  e2e_spawn(&player, "player", pargv);
  int64_t version = e2e_wait_presented(&player, 1, 20000);

  /* A static screen: nothing changes for static_s seconds. */
  if (static_s > 0) {
    long long before = cpu_ticks(player.pid);
    int64_t t0 = e2e_now_ms();
    e2e_sleep_ms(static_s * 1000);
    double secs = (double)(e2e_now_ms() - t0) / 1000.0;
    double share = (double)(cpu_ticks(player.pid) - before) / (double)sysconf(_SC_CLK_TCK) / secs * 100.0;
    printf("player_static_cpu_percent=%.2f over %.1f s\n", share, secs);
  }

  int64_t *lat = calloc((size_t)runs, sizeof *lat);
  snprintf(path, sizeof path, "/api/v1/playlists/%lld/items/%lld", (long long)pl, (long long)item);
  for (int i = 0; i < runs; i++) {
    snprintf(body, sizeof body, "{\"text\":\"Espresso %d.%02d\"}", 2 + i / 100, i % 100);
    int64_t t0 = e2e_now_ms();
    json_decref(e2e_api(&mgr, "PATCH", path, owner, body, 200));
    version = e2e_wait_presented(&player, version + 1, 5000);
    lat[i] = e2e_now_ms() - t0;
  }
  printf("player_peak_rss_kb=%ld\n", status_kb(player.pid, "VmHWM:"));
  E2E_CHECK(e2e_stop(&player) == 0, "player did not exit cleanly");
  e2e_stop(&mgr.proc);
  qsort(lat, (size_t)runs, sizeof *lat, cmp_i64);
  printf("push_latency_ms p50=%.1f p99=%.1f n=%d\n", percentile(lat, runs, 50),
         percentile(lat, runs, 99), runs);
  free(lat);
  e2e_cleanup();
  return 0;
}
