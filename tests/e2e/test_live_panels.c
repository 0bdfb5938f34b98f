/* The weather panel and the currency board through the real player's headless snapshots
 * (--manifest, --snapshot, --at), with their snapshots in the cache layout beside the manifest
 * (sources/feed-3.json, docs/live-content.md). A second manifest draws each expected string
 * alone as a text item; the test finds those pixels inside the panels:
 *   weather (wide strip, Europe/Berlin, 10:30Z): the current "-2°C" at twice the item's size;
 *     the first hour shown is 12:00 (11:00Z), the past 10:00 and 11:00 are not, nor is a fifth
 *     hour (hours: 4); the hour whose temperature is null shows "–" and no "0°" appears; the
 *     icon's square is drawn;
 *   weather in Persian (square panel): "-۲°C" and "۱۲:۰۰" in Persian digits, no "12:00";
 *   currency (base USD): "0.9249" (= 1 / 1.0812) and "150.9434" (JPY cross rate), "–" for a
 *     code the snapshot lacks, the date "2026-11-20" in small text; in Persian "۱٫۰۸";
 *   no snapshot yet (a source with no cached file): the player runs, both panels show "–". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "text_match.h"

static SDL_Surface *snap(const char *manifest, const char *png, const char *at) {
  char out[4096];
  char *argv[] = {E2E_PLAYER_BIN, "--manifest", (char *)manifest, "--headless", "--snapshot",
                  (char *)png, "--at", (char *)at, NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "snapshot at %s failed: %s", at, out);
  return e2e_load_png(png);
}

/* The reference strings, one 100 px band each in the second manifest. */
static const struct {
  const char *text;
  int size;
} refs[] = {
    {"-2°C", 60},       /* 0 */
    {"12:00", 30},      /* 1 */
    {"11:00", 30},      /* 2 */
    {"10:00", 30},      /* 3 */
    {"16:00", 30},      /* 4 */
    {"–", 30},          /* 5 */
    {"0°", 30},         /* 6 */
    {"-۲°C", 48},       /* 7 */
    {"۱۲:۰۰", 24},      /* 8 */
    {"12:00", 24},      /* 9 */
    {"0.9249", 32},     /* 10 */
    {"150.9434", 32},   /* 11 */
    {"–", 32},          /* 12 */
    {"2026-11-20", 21}, /* 13 */
    {"۱٫۰۸", 32},       /* 14 */
};
#define N_REFS (sizeof refs / sizeof refs[0])

static SDL_Surface *ref_png;
static struct tm_box ref_box[N_REFS];

static int count_in(SDL_Surface *s, struct tm_box area, size_t ref) {
  return tm_find(s, area, ref_png, ref_box[ref], NULL, NULL);
}

static void expect(SDL_Surface *s, struct tm_box area, size_t ref, bool present, const char *where) {
  int n = count_in(s, area, ref);
  printf("%-14s %-12s found %d\n", where, refs[ref].text, n);
  if (present)
    E2E_CHECK(n >= 1, "%s: '%s' (%d px) is not shown", where, refs[ref].text, refs[ref].size);
  else
    E2E_CHECK(n == 0, "%s: '%s' is shown and should not be", where, refs[ref].text);
}

int main(void) {
  char dir[512], path[700], manifest[700], refman[700], png[700];
  e2e_path(dir, sizeof dir, "panels");
  E2E_CHECK(mkdir(dir, 0755) == 0, "mkdir");
  snprintf(path, sizeof path, "%s/sources", dir);
  E2E_CHECK(mkdir(path, 0755) == 0, "mkdir sources");
  snprintf(path, sizeof path, "%s/media", dir);
  E2E_CHECK(mkdir(path, 0755) == 0, "mkdir media");

  /* Hours from 09:00Z; it is 10:30Z. The 12:00Z temperature is not given. */
  char hours[4096] = "";
  for (int h = 9; h <= 16; h++) {
    static const char *const icons[] = {"cloudy", "snow", "partly-cloudy-day", "clear-day"};
    static const char *const temps[] = {"-3.1", "-2.2", "-1.2", "null", "1.4", "2.6", "3.3", "3.9"};
    char one[256];
    snprintf(one, sizeof one,
             "%s{\"time\":\"2026-11-23T%02d:00:00Z\",\"temperature\":%s,\"condition\":\"Cloudy\","
             "\"icon\":\"%s\",\"precipitation\":null}",
             h > 9 ? "," : "", h, temps[h - 9], icons[h % 4]);
    strcat(hours, one);
  }
  char weather[8192];
  snprintf(weather, sizeof weather,
           "{\"key\":\"feed/3\",\"kind\":\"weather\",\"version\":4,"
           "\"updated_at\":\"2026-11-23T10:00:00Z\",\"data\":{"
           "\"location\":{\"name\":\"Oslo\",\"lat\":59.91,\"lon\":10.75},"
           "\"units\":{\"temperature\":\"C\",\"wind\":\"m/s\",\"precipitation\":\"mm\"},"
           "\"current\":{\"time\":\"2026-11-23T10:00:00Z\",\"temperature\":-2.4,"
           "\"condition\":\"Light snow\",\"icon\":\"snow\",\"wind_speed\":3.2,\"humidity\":null},"
           "\"hours\":[%s],\"days\":["
           "{\"date\":\"2026-11-22\",\"min\":-7,\"max\":-1,\"condition\":\"Fair\",\"icon\":\"clear-day\"},"
           "{\"date\":\"2026-11-23\",\"min\":-5,\"max\":2,\"condition\":\"Snow\",\"icon\":\"snow\"},"
           "{\"date\":\"2026-11-24\",\"min\":null,\"max\":4,\"condition\":\"Rain\",\"icon\":\"rain\"}]}}",
           hours);
  snprintf(path, sizeof path, "%s/sources/feed-3.json", dir);
  e2e_write_text(path, weather);
  snprintf(path, sizeof path, "%s/sources/feed-4.json", dir);
  e2e_write_text(path, "{\"key\":\"feed/4\",\"kind\":\"currency\",\"version\":2,"
                   "\"updated_at\":\"2026-11-20T16:00:00Z\",\"data\":{\"source\":\"ECB\","
                   "\"date\":\"2026-11-20\",\"base\":\"EUR\",\"rates\":{\"GBP\":0.8571,"
                   "\"JPY\":163.2,\"USD\":1.0812}}}");

  /* The panels. feed/8 and feed/9 have no cached snapshot. */
  snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
  e2e_write_text(manifest,
    "{\"format\":1,\"version\":1,\"display\":{\"name\":\"t\",\"timezone\":\"Europe/Berlin\"},"
    "\"default_layout\":1,\"sources\":[{\"key\":\"feed/3\",\"kind\":\"weather\"},"
    "{\"key\":\"feed/4\",\"kind\":\"currency\"},{\"key\":\"feed/8\",\"kind\":\"weather\"},"
    "{\"key\":\"feed/9\",\"kind\":\"currency\"}],\"playlists\":["
    "{\"id\":1,\"items\":[{\"type\":\"weather\",\"duration_ms\":60000,\"source\":\"feed/3\","
    "\"hours\":4,\"days\":1,\"style\":{\"size_px\":30}}]},"
    "{\"id\":2,\"items\":[{\"type\":\"weather\",\"duration_ms\":60000,\"source\":\"feed/3\","
    "\"hours\":3,\"days\":2,\"locale\":\"fa\",\"style\":{\"size_px\":24}}]},"
    "{\"id\":3,\"items\":[{\"type\":\"currency\",\"duration_ms\":60000,\"source\":\"feed/4\","
    "\"base\":\"USD\",\"symbols\":[\"EUR\",\"JPY\",\"XYZ\"],\"style\":{\"size_px\":32}}]},"
    "{\"id\":4,\"items\":[{\"type\":\"currency\",\"duration_ms\":60000,\"source\":\"feed/4\","
    "\"symbols\":[\"USD\"],\"decimals\":2,\"locale\":\"fa\",\"style\":{\"size_px\":32}}]},"
    "{\"id\":5,\"items\":[{\"type\":\"currency\",\"duration_ms\":60000,\"source\":\"feed/9\","
    "\"symbols\":[\"USD\"],\"style\":{\"size_px\":32}}]},"
    "{\"id\":6,\"items\":[{\"type\":\"weather\",\"duration_ms\":60000,\"source\":\"feed/8\","
    "\"style\":{\"size_px\":30}}]}],"
    "\"layouts\":[{\"id\":1,\"width\":1280,\"height\":820,\"background\":\"#000000\",\"regions\":["
    "{\"name\":\"w\",\"x\":0,\"y\":0,\"width\":1280,\"height\":200,\"playlist\":1},"
    "{\"name\":\"fa\",\"x\":0,\"y\":200,\"width\":400,\"height\":500,\"playlist\":2},"
    "{\"name\":\"c\",\"x\":400,\"y\":200,\"width\":880,\"height\":260,\"playlist\":3},"
    "{\"name\":\"cf\",\"x\":400,\"y\":460,\"width\":880,\"height\":140,\"playlist\":4},"
    "{\"name\":\"cn\",\"x\":0,\"y\":700,\"width\":400,\"height\":120,\"playlist\":5},"
    "{\"name\":\"wn\",\"x\":400,\"y\":700,\"width\":880,\"height\":120,\"playlist\":6}]}]}");

  /* The references, one band each. */
  snprintf(refman, sizeof refman, "%s/refs.json", dir);
  char *rj = malloc(65536);
  E2E_CHECK(rj != NULL, "malloc");
  int o = snprintf(rj, 65536, "{\"format\":1,\"version\":1,\"display\":{\"name\":\"r\"},"
                              "\"default_layout\":1,\"playlists\":[");
  for (size_t i = 0; i < N_REFS; i++)
    o += snprintf(rj + o, 65536 - (size_t)o,
                  "%s{\"id\":%zu,\"items\":[{\"type\":\"text\",\"duration_ms\":60000,"
                  "\"text\":\"%s\",\"style\":{\"size_px\":%d}}]}",
                  i ? "," : "", i + 1, refs[i].text, refs[i].size);
  o += snprintf(rj + o, 65536 - (size_t)o,
                "],\"layouts\":[{\"id\":1,\"width\":1280,\"height\":%zu,"
                "\"background\":\"#000000\",\"regions\":[", N_REFS * 100);
  for (size_t i = 0; i < N_REFS; i++)
    o += snprintf(rj + o, 65536 - (size_t)o,
                  "%s{\"name\":\"r%zu\",\"x\":0,\"y\":%zu,\"width\":1280,\"height\":100,"
                  "\"playlist\":%zu}", i ? "," : "", i, i * 100, i + 1);
  snprintf(rj + o, 65536 - (size_t)o, "]}]}");
  e2e_write_text(refman, rj);
  free(rj);

  snprintf(png, sizeof png, "%s/refs.png", dir);
  ref_png = snap(refman, png, "2026-11-23T10:30:00Z");
  for (size_t i = 0; i < N_REFS; i++) {
    ref_box[i] = tm_ink(ref_png, (struct tm_box){0, (int)i * 100, 1280, 100}, 0);
    E2E_CHECK(ref_box[i].w > 0, "reference '%s' drew nothing", refs[i].text);
  }
  snprintf(png, sizeof png, "%s/panels.png", dir);
  SDL_Surface *s = snap(manifest, png, "2026-11-23T10:30:00Z");

  struct tm_box w = {0, 0, 1280, 200}, fa = {0, 200, 400, 500}, c = {400, 200, 880, 260},
                cf = {400, 460, 880, 140}, cn = {0, 700, 400, 120}, wn = {400, 700, 880, 120};
  /* weather, wide */
  expect(s, w, 0, true, "weather");
  expect(s, w, 1, true, "weather");
  expect(s, w, 2, false, "weather");
  expect(s, w, 3, false, "weather");
  expect(s, w, 4, false, "weather");
  expect(s, w, 5, true, "weather");
  expect(s, w, 6, false, "weather");
  /* the current icon: the square at the start of the panel is drawn, and not all one colour */
  double ink = e2e_fraction_not(s, 0, 0, 200, 200, 0, 40);
  printf("weather icon: %.0f%% of its square drawn\n", ink * 100);
  E2E_CHECK(ink > 0.10 && ink < 0.95, "the current icon is not drawn (%.2f)", ink);
  /* weather, Persian */
  expect(s, fa, 7, true, "weather fa");
  expect(s, fa, 8, true, "weather fa");
  expect(s, fa, 9, false, "weather fa");
  /* currency */
  expect(s, c, 10, true, "currency");
  expect(s, c, 11, true, "currency");
  expect(s, c, 12, true, "currency");
  expect(s, c, 13, true, "currency");
  expect(s, cf, 14, true, "currency fa");
  /* no snapshot yet */
  expect(s, cn, 12, true, "no snapshot");
  expect(s, wn, 5, true, "no snapshot");
  E2E_CHECK(count_in(s, cn, 10) == 0, "a rate without a snapshot");

  SDL_FreeSurface(s);
  SDL_FreeSurface(ref_png);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
