#include "shop.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "timeutil.h"

int64_t shop_create(const struct e2e_manager *m, const char *token, const char *path,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  json_t *j = e2e_vapif(m, "POST", path, token, 201, fmt, ap);
  va_end(ap);
  int64_t id = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  E2E_CHECK(id > 0, "POST %s returned no id", path);
  return id;
}

int64_t shop_daily(const struct e2e_manager *m, const char *token, const char *name,
                   const char *target, int64_t target_id, int64_t layout, int64_t day,
                   int from_hour, int to_hour) {
  char start[20], end[20];
  shop_local(day, from_hour, 0, 0, start);
  shop_local(day, to_hour, 0, 0, end);
  return shop_create(m, token, "/api/v1/schedules",
                     "{\"name\":\"%s\",\"%s\":%lld,\"layout_id\":%lld,\"start\":\"%s\","
                     "\"end\":\"%s\",\"rrule\":\"FREQ=DAILY\"}",
                     name, target, (long long)target_id, (long long)layout, start, end);
}

int64_t shop_playlist(const struct e2e_manager *m, const char *token, const char *name,
                      uint32_t rgb) {
  /* A one-pixel dot on a full background: the colour is the whole region. */
  return shop_create(m, token, "/api/v1/playlists",
                     "{\"name\":\"%s\",\"items\":[{\"type\":\"text\",\"text\":\".\","
                     "\"duration_ms\":60000,\"style\":{\"background\":\"#%06x\",\"size_px\":4}}]}",
                     name, (unsigned)rgb);
}

int64_t shop_layout(const struct e2e_manager *m, const char *token, const char *name,
                    int64_t playlist) {
  return shop_create(m, token, "/api/v1/layouts",
                     "{\"name\":\"%s\",\"width\":%d,\"height\":%d,\"regions\":[{\"name\":\"all\","
                     "\"x\":0,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld}]}",
                     name, SHOP_W, SHOP_H, SHOP_W, SHOP_H, (long long)playlist);
}

int64_t shop_display(const struct e2e_manager *m, const char *token, const char *name,
                     int64_t default_layout, const char *zone, char *display_token, size_t size) {
  char zone_field[128] = "";
  if (zone) snprintf(zone_field, sizeof zone_field, ",\"timezone\":\"%s\"", zone);
  json_t *d = e2e_apif(m, "POST", "/api/v1/displays", token, 201,
                       "{\"name\":\"%s\",\"default_layout_id\":%lld%s}", name,
                       (long long)default_layout, zone_field);
  int64_t id = json_integer_value(json_object_get(d, "id"));
  const char *t = json_string_value(json_object_get(d, "token"));
  E2E_CHECK(id > 0 && t, "display %s: no id or token", name);
  if (zone) {
    const char *got = json_string_value(json_object_get(d, "timezone"));
    E2E_CHECK(got && strcmp(got, zone) == 0, "display %s: timezone %s, want %s", name,
              got ? got : "(none)", zone);
  }
  snprintf(display_token, size, "%s", t);
  json_decref(d);
  return id;
}

int64_t shop_today(void) { return (int64_t)time(NULL) / 86400; }

static struct tm civil(int64_t day) {
  time_t t = (time_t)(day * 86400);
  struct tm tm;
  gmtime_r(&t, &tm);
  return tm;
}

void shop_date(int64_t day, char out[11]) {
  struct tm tm = civil(day);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

void shop_local(int64_t day, int hour, int minute, int second, char out[20]) {
  char date[11];
  shop_date(day, date);
  snprintf(out, 20, "%.10sT%02d:%02d:%02d", date, hour, minute, second);
}

int64_t shop_instant(int64_t day, int hour, int minute, int second, int offset_s) {
  return (day * 86400 + hour * 3600 + minute * 60 + second - offset_s) * 1000;
}

/* The day of the n-th Sunday (n >= 1) of a month. */
static int64_t nth_sunday(int year, int month, int n) {
  struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 1};
  int64_t first = (int64_t)timegm(&tm) / 86400;
  int weekday = (int)((first + 4) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
  return first + (7 - weekday) % 7 + 7 * (n - 1);
}

int shop_los_angeles_offset_s(int64_t day) {
  int year = civil(day).tm_year + 1900;
  bool dst = day >= nth_sunday(year, 3, 2) && day < nth_sunday(year, 11, 1);
  return (dst ? -7 : -8) * 3600;
}

void shop_offset_text(int offset_s, char out[8]) {
  int a = offset_s < 0 ? -offset_s : offset_s;
  snprintf(out, 8, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600 % 100, a % 3600 / 60);
}

int64_t shop_sync(const struct e2e_manager *m, const char *pdata, const char *display_token,
                  int64_t min_version) {
  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manager", (char *)m->url,       "--data", (char *)pdata,
                  "--token",      (char *)display_token, "--headless", "--events", NULL};
  e2e_spawn(&p, "player", argv);
  int64_t v = e2e_wait_presented(&p, min_version, 15000);
  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  return v;
}

SDL_Surface *shop_snapshot_at(const char *pdata, int64_t at_ms) {
  char png[512], out[256], at[VT_RFC3339_MAX];
  e2e_path(png, sizeof png, "at.png");
  unlink(png);
  vt_time_format(at_ms, at);
  char *argv[] = {E2E_PLAYER_BIN, "--data", (char *)pdata, "--headless", "--snapshot", png, "--at",
                  at, NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "snapshot at %s failed", at);
  SDL_Surface *s = e2e_load_png(png);
  E2E_CHECK(s->w == SHOP_W && s->h == SHOP_H, "snapshot at %s is %dx%d", at, s->w, s->h);
  return s;
}

double shop_share_at(const char *pdata, int64_t at_ms, uint32_t rgb) {
  SDL_Surface *s = shop_snapshot_at(pdata, at_ms);
  double f = e2e_fraction(s, 0, 0, SHOP_W, SHOP_H, rgb, 30);
  SDL_FreeSurface(s);
  return f;
}

double shop_share_png(const char *png, uint32_t rgb) {
  SDL_Surface *s = e2e_load_png(png);
  double f = e2e_fraction(s, 0, 0, s->w, s->h, rgb, 30);
  SDL_FreeSurface(s);
  return f;
}

json_t *shop_preview(const struct e2e_manager *m, const char *token, int64_t display,
                     int64_t from_ms, int64_t to_ms) {
  char from[VT_RFC3339_MAX], to[VT_RFC3339_MAX], path[256];
  vt_time_format(from_ms, from);
  vt_time_format(to_ms, to);
  snprintf(path, sizeof path, "/api/v1/displays/%lld/timeline?from=%s&to=%s", (long long)display,
           from, to);
  json_t *j = e2e_api(m, "GET", path, token, NULL, 200);
  E2E_CHECK(json_is_array(json_object_get(j, "minutes")), "%s: no minutes[]", path);
  return j;
}

json_t *shop_preview_minute(json_t *preview, size_t i, int64_t at_ms) {
  json_t *minute = json_array_get(json_object_get(preview, "minutes"), i);
  E2E_CHECK(minute, "preview has no minutes[%zu]", i);
  int64_t at = 0;
  const char *s = json_string_value(json_object_get(minute, "at"));
  E2E_CHECK(s && vt_time_parse(s, &at) && at == at_ms, "preview minutes[%zu].at is %s", i,
            s ? s : "(none)");
  return minute;
}
