/* Benchmark: compiling schedules into manifests, and the player's per-frame lookup.
 *   usage: schedule-bench [DISPLAYS=1000] [ENTRIES=200] [GROUPS=20] [LOOKUPS=1000000]
 * Builds a store in a temp dir: DISPLAYS displays over 8 time zones, GROUPS groups (each
 * display in two), and ENTRIES schedule entries reaching each display (a fifth on the
 * display itself, the rest through its two groups), mixing one-off entries, DAILY with
 * EXDATEs and validity days, WEEKLY;BYDAY, MONTHLY;BYMONTHDAY, HOURLY;INTERVAL;BYHOUR and
 * region entries, written weeks to a year before "now". Then, as the renewal does (one
 * write transaction per display): compiles every display's manifest; compiles them all
 * again with nothing changed (the hourly renewal's usual cost), and once more as the first
 * renewal after a restart (compile.c remembers no content hash yet), and times the part
 * before the JSON (rows and expansion, compile_build); and times vt_timeline_at
 * on the stored manifest of a typical display, parsed as a player parses it, and the
 * longest preview (7 days of minutes) of that display.
 * Prints figures; asserts only that everything compiled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "hash.h"
#include "manifest.h"
#include "preview.h"
#include "store.h"
#include "timeline.h"
#include "timeutil.h"

#define NOW_MS 1796101200000LL /* 2026-12-01T05:00:00Z: fixed, so runs are comparable */
#define N_LAYOUTS 10
#define N_PLAYLISTS 12

static const char *const zones[] = {
    "UTC",        "Europe/Berlin",    "Asia/Tehran", "America/Los_Angeles", "America/New_York",
    "Asia/Tokyo", "Australia/Sydney", "Europe/London"};
#define N_ZONES (sizeof zones / sizeof zones[0])

static void die(const char *what, const struct vt_error *err) {
  fprintf(stderr, "schedule-bench: %s: %s%s%s\n", what, err ? err->field : "",
          err && err->field[0] ? ": " : "", err ? err->message : "");
  exit(1);
}

static struct store_stmt *prepare(struct store *s, const char *sql) {
  struct store_stmt *st;
  struct vt_error err = {0};
  if (store_prepare(s, sql, &st, &err) != VT_OK) die(sql, &err);
  return st;
}

static void step_done(struct store_stmt *st) {
  struct vt_error err = {0};
  if (store_exec(st, &err) != VT_OK) die("insert", &err);
}

static void content(struct store *s) {
  for (int p = 1; p <= N_PLAYLISTS; p++) {
    struct store_stmt *st = prepare(
        s, "INSERT INTO playlists (id, name, created_at, updated_at) VALUES (?1, ?2, 1, 1)");
    char name[32];
    snprintf(name, sizeof name, "Playlist %d", p);
    store_bind_int(st, 1, p);
    store_bind_text(st, 2, name);
    step_done(st);
    for (int i = 0; i < 4; i++) {
      st = prepare(s, "INSERT INTO playlist_items (playlist_id, position, type, duration_ms, "
                      "text, style_size_px, style_color, style_background, style_align, "
                      "style_valign, style_weight, style_padding_px) VALUES (?1, ?2, 'text', "
                      "?3, ?4, 48, 4294967295, 0, 'center', 'middle', 'regular', 0)");
      snprintf(name, sizeof name, "Item %d.%d  3.50", p, i);
      store_bind_int(st, 1, p);
      store_bind_int(st, 2, i);
      store_bind_int(st, 3, 8000 + 1000 * i);
      store_bind_text(st, 4, name);
      step_done(st);
    }
  }
  for (int l = 1; l <= N_LAYOUTS; l++) {
    struct store_stmt *st =
        prepare(s, "INSERT INTO layouts (id, name, width, height, background, created_at, "
                   "updated_at) VALUES (?1, ?2, 1920, 1080, 255, 1, 1)");
    char name[32];
    snprintf(name, sizeof name, "Layout %d", l);
    store_bind_int(st, 1, l);
    store_bind_text(st, 2, name);
    step_done(st);
    st = prepare(s, "INSERT INTO regions (layout_id, position, name, x, y, width, height, "
                    "background, playlist_id) VALUES (?1, 0, 'menu', 0, 0, 1160, 1080, 0, ?2),"
                    " (?1, 1, 'side', 1160, 0, 760, 1080, 0, ?3)");
    store_bind_int(st, 1, l);
    store_bind_int(st, 2, 1 + (l - 1) % N_PLAYLISTS);
    store_bind_int(st, 3, 1 + l % N_PLAYLISTS);
    step_done(st);
  }
}

/* Entry k of a target: the mix of rules the issue names. */
static void entry(struct store *s, int64_t display, int64_t group, int k) {
  static const char *const weekly[] = {"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
                                       "FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=WEEKLY;BYDAY=MO,WE,FR"};
  char start[32], rrule[96], exdates[64];
  const char *rule = NULL, *ex = "", *from = NULL, *until = NULL, *region = NULL;
  int64_t playlist = 0, duration = 3600;
  int hour = 6 + k % 14, minute = (k * 7) % 4 * 15;
  switch (k % 6) {
  case 0: /* one-off, somewhere in the coming week */
    snprintf(start, sizeof start, "202612%02dT%02d%02d00", 1 + k % 8, hour, minute);
    break;
  case 1: /* daily, for a year, two holidays off, validity days */
    snprintf(start, sizeof start, "20260101T%02d%02d00", hour, minute);
    rule = "FREQ=DAILY";
    snprintf(exdates, sizeof exdates, "20261203T%02d%02d00,20261225T%02d%02d00", hour, minute, hour,
             minute);
    ex = exdates;
    from = "2026-01-15";
    until = "2027-06-30";
    duration = 2 * 3600;
    break;
  case 2: /* weekdays or weekends, since last month */
    snprintf(start, sizeof start, "20261102T%02d%02d00", hour, minute);
    rule = weekly[k % 3];
    duration = 3 * 3600;
    break;
  case 3: /* twice a month */
    snprintf(start, sizeof start, "20250601T%02d%02d00", hour, minute);
    rule = "FREQ=MONTHLY;BYMONTHDAY=1,5,15";
    break;
  case 4: /* every k hours within opening hours */
    snprintf(start, sizeof start, "20261115T080000");
    snprintf(rrule, sizeof rrule, "FREQ=HOURLY;INTERVAL=%d;BYHOUR=8,10,12,14,16,18", 2 + k % 3);
    rule = rrule;
    duration = 1800;
    break;
  default: /* a promotion in the side region, afternoons of two weeks */
    snprintf(start, sizeof start, "20261128T%02d0000", 12 + k % 6);
    rule = "FREQ=DAILY";
    from = "2026-12-01";
    until = "2026-12-14";
    region = "side";
    playlist = 1 + (k * 5) % N_PLAYLISTS;
    break;
  }
  struct store_stmt *st = prepare(
      s, "INSERT INTO schedule_entries (display_id, group_id, layout_id, region, playlist_id, "
         "start_local, duration_s, rrule, exdates, valid_from, valid_until, priority, created_at, "
         "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, 1)");
  if (display) store_bind_int(st, 1, display);
  if (group) store_bind_int(st, 2, group);
  store_bind_int(st, 3, 1 + k % N_LAYOUTS);
  store_bind_text(st, 4, region);
  if (playlist) store_bind_int(st, 5, playlist);
  store_bind_text(st, 6, start);
  store_bind_int(st, 7, duration);
  store_bind_text(st, 8, rule);
  store_bind_text(st, 9, ex);
  store_bind_text(st, 10, from);
  store_bind_text(st, 11, until);
  store_bind_int(st, 12, k % 4);
  step_done(st);
}

static void populate(struct store *s, int displays, int entries, int groups) {
  struct vt_error err = {0};
  if (store_begin(s, true, &err) != VT_OK) die("begin", &err);
  content(s);
  int own = entries / 5, per_group = (entries - own) / 2;
  for (int g = 1; g <= groups; g++) {
    struct store_stmt *st = prepare(
        s, "INSERT INTO groups (id, name, created_at, updated_at) VALUES (?1, 'group', 1, 1)");
    store_bind_int(st, 1, g);
    step_done(st);
    for (int k = 0; k < per_group; k++) entry(s, 0, g, k + g);
  }
  for (int d = 1; d <= displays; d++) {
    char token[32];
    snprintf(token, sizeof token, "t%d", d);
    struct store_stmt *st = prepare(
        s, "INSERT INTO displays (id, name, default_layout_id, timezone, token_public_id, "
           "token_hash, created_at, updated_at) VALUES (?1, 'display', 1, ?2, ?3, x'00', 1, 1)");
    store_bind_int(st, 1, d);
    store_bind_text(st, 2, zones[d % N_ZONES]);
    store_bind_text(st, 3, token);
    step_done(st);
    /* two different groups per display */
    int g1 = d % groups, g2 = (g1 + 1 + (d / groups) % (groups - 1)) % groups;
    st = prepare(s, "INSERT INTO group_members (group_id, display_id) VALUES (?1, ?3), (?2, ?3)");
    store_bind_int(st, 1, g1 + 1);
    store_bind_int(st, 2, g2 + 1);
    store_bind_int(st, 3, d);
    step_done(st);
    for (int k = 0; k < entries - 2 * per_group; k++) entry(s, d, 0, k + d);
  }
  if (store_commit(s, &err) != VT_OK) die("commit", &err);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Compile every display, one write transaction each, with one cache for the pass as
 * renew_all does; per-display times in ms. */
static size_t compile_all(struct store *s, int displays, double *ms) {
  size_t changed = 0;
  struct compile_cache *cache = compile_cache_new();
  for (int d = 1; d <= displays; d++) {
    struct compile_changes ch = {0};
    struct vt_error err = {0};
    int64_t t0 = vt_mono_us();
    if (store_begin(s, true, &err) != VT_OK ||
        compile_display(s, cache, d, NOW_MS, true, &ch, &err) != VT_OK ||
        store_commit(s, &err) != VT_OK)
      die("compile_display", &err);
    ms[d - 1] = (double)(vt_mono_us() - t0) / 1000.0;
    changed += ch.n;
    compile_changes_clear(&ch);
  }
  compile_cache_free(cache);
  return changed;
}

/* Only the rows -> windows -> manifest part (compile_build), in read transactions. */
static void build_all(struct store *s, int displays, double *ms, size_t *expanded,
                      size_t *reused) {
  int64_t from = NOW_MS - NOW_MS % COMPILE_DAY_MS, to = from + COMPILE_SPAN_MS;
  struct compile_cache *cache = compile_cache_new();
  for (int d = 1; d <= displays; d++) {
    struct vt_manifest *m = NULL;
    struct vt_error err = {0};
    int64_t t0 = vt_mono_us();
    if (store_begin(s, false, &err) != VT_OK ||
        compile_build(s, cache, d, from, to, &m, &err) != VT_OK)
      die("compile_build", &err);
    store_rollback(s);
    ms[d - 1] = (double)(vt_mono_us() - t0) / 1000.0;
    vt_manifest_free(m);
  }
  compile_cache_counts(cache, expanded, reused);
  compile_cache_free(cache);
}

static void print_times(const char *what, double *ms, int n) {
  double total = 0;
  for (int i = 0; i < n; i++) total += ms[i];
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  printf("%s: total %.0f ms, per display mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
         what, total, total / n, ms[n / 2], ms[(n * 99) / 100], ms[n - 1]);
}

/* The stored manifest of display d, parsed as a player does; its body into digest if given. */
static struct vt_manifest *stored(struct store *s, int64_t d, size_t *bytes,
                                  struct vt_sha256 *digest) {
  struct store_stmt *st = prepare(s, "SELECT body FROM manifests WHERE display_id = ?1");
  struct vt_error err = {0};
  store_bind_int(st, 1, d);
  bool row = false;
  struct vt_manifest *m = NULL;
  if (store_step(st, &row, &err) != VT_OK || !row) die("no manifest", &err);
  const void *body = store_col_blob(st, 0, bytes);
  if (digest) vt_sha256_update(digest, body, *bytes);
  if (vt_manifest_parse(body, *bytes, &m, &err) != VT_OK) die("parse", &err);
  store_done(st);
  return m;
}

int main(int argc, char **argv) {
  int displays = argc > 1 ? atoi(argv[1]) : 1000;
  int entries = argc > 2 ? atoi(argv[2]) : 200;
  int groups = argc > 3 ? atoi(argv[3]) : 20;
  long lookups = argc > 4 ? atol(argv[4]) : 1000000;
  if (displays < 1 || entries < 5 || groups < 2 || lookups < 1) {
    fprintf(stderr, "usage: schedule-bench [DISPLAYS] [ENTRIES>=5] [GROUPS>=2] [LOOKUPS]\n");
    return 2;
  }
  char dir[] = "/tmp/vt-schedule-bench-XXXXXX", path[96];
  if (!mkdtemp(dir)) return 1;
  snprintf(path, sizeof path, "%s/vitrine.db", dir);
  struct store *s = NULL;
  struct vt_error err = {0};
  if (store_open(path, &s, &err) != VT_OK) die("store_open", &err);

  int64_t t0 = vt_mono_us();
  populate(s, displays, entries, groups);
  int per_group = (entries - entries / 5) / 2;
  printf("store: %d displays in %zu zones, %d groups, %d entries reaching each display "
         "(%d own + 2 groups x %d), %d rows, built in %.0f ms\n",
         displays, N_ZONES, groups, entries, entries - 2 * per_group, per_group,
         displays * (entries - 2 * per_group) + groups * per_group,
         (double)(vt_mono_us() - t0) / 1000.0);

  double *ms = malloc((size_t)displays * sizeof *ms);
  size_t changed = compile_all(s, displays, ms);
  if (changed != (size_t)displays) {
    fprintf(stderr, "schedule-bench: %zu of %d displays got a manifest\n", changed, displays);
    return 1;
  }
  print_times("compile (new manifests)", ms, displays);
  changed = compile_all(s, displays, ms);
  print_times("recompile (nothing changed, the hourly renewal)", ms, displays);
  compile_forget();
  changed += compile_all(s, displays, ms);
  print_times("recompile after a restart (nothing remembered: one dump each)", ms, displays);
  size_t expanded = 0, reused = 0;
  build_all(s, displays, ms, &expanded, &reused);
  print_times("of which rows and expansion (compile_build)", ms, displays);
  printf("entry expansions in a pass: %zu, reused for another display: %zu\n", expanded, reused);
  free(ms);
  if (changed != 0) {
    fprintf(stderr, "schedule-bench: %zu unchanged displays got a new version\n", changed);
    return 1;
  }

  /* windows and bytes per display; the display nearest the mean is the "typical" one; a
   * digest of every stored body, to compare the output of two builds */
  size_t total_w = 0, max_w = 0, total_b = 0, max_b = 0;
  size_t *wins = malloc((size_t)displays * sizeof *wins);
  struct vt_sha256 digest;
  vt_sha256_init(&digest);
  for (int d = 1; d <= displays; d++) {
    size_t bytes = 0;
    struct vt_manifest *m = stored(s, d, &bytes, &digest);
    wins[d - 1] = m->n_windows;
    total_w += m->n_windows;
    total_b += bytes;
    if (m->n_windows > max_w) max_w = m->n_windows;
    if (bytes > max_b) max_b = bytes;
    vt_manifest_free(m);
  }
  double mean_w = (double)total_w / displays;
  int typical = 1;
  for (int d = 1; d <= displays; d++) {
    double off = (double)wins[d - 1] - mean_w, best = (double)wins[typical - 1] - mean_w;
    if (off * off < best * best) typical = d;
  }
  free(wins);
  char hex[VT_SHA256_HEX_LEN + 1];
  vt_sha256_final_hex(&digest, hex);
  printf("windows per display: mean %.0f, max %zu; manifest bytes: mean %.0f, max %zu; "
         "bodies sha256 %.16s\n",
         mean_w, max_w, (double)total_b / displays, max_b, hex);

  size_t bytes = 0;
  struct vt_manifest *m = stored(s, typical, &bytes, NULL);
  struct vt_timeline_frame f;
  int64_t span = m->valid_until_ms - m->generated_ms, sum = 0;
  uint64_t x = 88172645463325252ULL; /* xorshift: instants spread over the horizon */
  t0 = vt_mono_us();
  for (long i = 0; i < lookups; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    vt_timeline_at(m, m->generated_ms + (int64_t)(x % (uint64_t)span), &f);
    sum += f.layout ? f.layout->id : 0;
  }
  double ns = (double)(vt_mono_us() - t0) * 1000.0 / (double)lookups;
  printf("timeline lookup: %.0f ns per vt_timeline_at (display %d: %zu windows, %zu bytes, "
         "%ld instants, checksum %lld)\n",
         ns, typical, m->n_windows, bytes, lookups, (long long)sum);
  vt_manifest_free(m);

  /* the longest preview the API serves, for the same display */
  struct preview p = {0};
  json_t *doc = NULL;
  int64_t from = NOW_MS - NOW_MS % PREVIEW_STEP_MS;
  t0 = vt_mono_us();
  if (store_begin(s, false, &err) != VT_OK ||
      preview_open(s, typical, from, from + PREVIEW_MAX_MS, &p, &err) != VT_OK ||
      preview_json(&p, &doc, &err) != VT_OK)
    die("preview", &err);
  store_rollback(s);
  double preview_ms = (double)(vt_mono_us() - t0) / 1000.0;
  char *text = json_dumps(doc, JSON_COMPACT);
  printf("preview of %lld days (GET .../timeline, before sending): %.0f ms, %zu minutes, "
         "%zu bytes of JSON\n",
         (long long)(PREVIEW_MAX_MS / COMPILE_DAY_MS), preview_ms,
         json_array_size(json_object_get(doc, "minutes")), text ? strlen(text) : 0);
  free(text);
  json_decref(doc);
  preview_close(&p);

  store_free(s);
  static const char *const suffix[] = {"", "-wal", "-shm"};
  for (int i = 0; i < 3; i++) {
    char f2[128];
    snprintf(f2, sizeof f2, "%s%s", path, suffix[i]);
    unlink(f2);
  }
  rmdir(dir);
  return 0;
}
