/* A schedule window takes the screen at its exact start and gives it back at its end, as the
 * player renders it from its cache; deleting the window is pushed and changes the screen. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define RED 0xdd2222u
#define TEAL 0x118888u

static struct e2e_manager mgr;
static char owner[128];

static int64_t id_of(json_t *j) {
  int64_t id = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  E2E_CHECK(id > 0, "no id in response");
  return id;
}

/* Share of the 320x180 screen in the given colour when rendered at instant `at`. */
static double share_at(const char *pdata, const char *at, uint32_t rgb) {
  char png[512], out[256];
  e2e_path(png, sizeof png, "at.png");
  unlink(png);
  char *argv[] = {E2E_PLAYER_BIN, "--data", (char *)pdata, "--headless", "--snapshot", png, "--at",
                  (char *)at, NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "snapshot at %s failed", at);
  SDL_Surface *s = e2e_load_png(png);
  E2E_CHECK(s->w == 320 && s->h == 180, "snapshot is %dx%d", s->w, s->h);
  double f = e2e_fraction(s, 0, 0, s->w, s->h, rgb, 30);
  SDL_FreeSurface(s);
  return f;
}

/* Run a live player until it shows min_version. Its content is static (one item a region,
 * the next window hours away), so once shown the screen must not be drawn again: the live
 * snapshot, rewritten after every presented frame, keeps its time. */
static int64_t sync_player(const char *pdata, const char *token, int64_t min_version) {
  struct e2e_proc p;
  char snap[512];
  e2e_path(snap, sizeof snap, "live.png");
  unlink(snap);
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", (char *)pdata, "--token",
                  (char *)token, "--headless", "--snapshot", snap, "--events", NULL};
  e2e_spawn(&p, "player", argv);
  int64_t v = e2e_wait_presented(&p, min_version, 15000);
  E2E_CHECK(e2e_wait_file(snap, 0, 5000), "no live snapshot");
  int64_t shown = e2e_mtime_ns(snap);
  E2E_CHECK(!e2e_wait_file(snap, shown, 1500), "a static screen was drawn again");
  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  return v;
}

int main(void) {
  char pdata[512], body[1024], token[256], path[128];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  int64_t quiet = id_of(e2e_api(&mgr, "POST", "/api/v1/playlists", owner,
                                "{\"name\":\"quiet\",\"items\":[{\"type\":\"text\",\"text\":\".\","
                                "\"duration_ms\":60000,\"style\":{\"background\":\"#118888\",\"size_px\":8}}]}", 201));
  int64_t loud = id_of(e2e_api(&mgr, "POST", "/api/v1/playlists", owner,
                               "{\"name\":\"loud\",\"items\":[{\"type\":\"text\",\"text\":\".\","
                               "\"duration_ms\":60000,\"style\":{\"background\":\"#dd2222\",\"size_px\":8}}]}", 201));
  const char *tmpl = "{\"name\":\"%s\",\"width\":320,\"height\":180,\"regions\":[{\"name\":\"all\",\"x\":0,"
                     "\"y\":0,\"width\":320,\"height\":180,\"playlist_id\":%lld}]}";
  snprintf(body, sizeof body, tmpl, "usual", (long long)quiet);
  int64_t usual = id_of(e2e_api(&mgr, "POST", "/api/v1/layouts", owner, body, 201));
  snprintf(body, sizeof body, tmpl, "special", (long long)loud);
  int64_t special = id_of(e2e_api(&mgr, "POST", "/api/v1/layouts", owner, body, 201));
  snprintf(body, sizeof body, "{\"name\":\"door\",\"default_layout_id\":%lld}", (long long)usual);
  json_t *d = e2e_api(&mgr, "POST", "/api/v1/displays", owner, body, 201);
  int64_t display = json_integer_value(json_object_get(d, "id"));
  snprintf(token, sizeof token, "%s", json_string_value(json_object_get(d, "token")));
  json_decref(d);

  /* A window inside the manifest horizon: tomorrow 08:00-09:00 local, on a display left in
   * the default zone (UTC), so the instants are 08:00Z and 09:00Z. Entries take local times
   * without a zone. */
  time_t tomorrow = time(NULL) / 86400 * 86400 + 86400;
  struct tm tm;
  gmtime_r(&tomorrow, &tm);
  char day[16], start[40], end[40], before[40], during[40], after[40];
  strftime(day, sizeof day, "%Y-%m-%d", &tm);
  snprintf(start, sizeof start, "%sT08:00:00", day);
  snprintf(end, sizeof end, "%sT09:00:00", day);
  snprintf(before, sizeof before, "%sT07:59:59.999Z", day);
  snprintf(during, sizeof during, "%sT08:30:00Z", day);
  snprintf(after, sizeof after, "%sT09:00:00Z", day);
  snprintf(body, sizeof body, "{\"display_id\":%lld,\"layout_id\":%lld,\"start\":\"%s\",\"end\":\"%s\"}",
           (long long)display, (long long)special, start, end);
  json_t *e = e2e_api(&mgr, "POST", "/api/v1/schedules", owner, body, 201);
  const char *said_start = json_string_value(json_object_get(e, "start"));
  const char *said_end = json_string_value(json_object_get(e, "end"));
  const char *said_length = json_string_value(json_object_get(e, "duration"));
  E2E_CHECK(said_start && strcmp(said_start, start) == 0 && said_end && strcmp(said_end, end) == 0 &&
                said_length && strcmp(said_length, "PT1H") == 0,
            "the entry reads back as %s..%s (%s), want %s..%s (PT1H)", said_start, said_end,
            said_length, start, end);
  int64_t entry = id_of(e);

  int64_t v = sync_player(pdata, token, 1);
  E2E_CHECK(share_at(pdata, before, TEAL) > 0.9, "before the window the usual layout should show");
  char first[48];
  snprintf(first, sizeof first, "%sZ", start);
  E2E_CHECK(share_at(pdata, first, RED) > 0.9, "at the window's first instant the special layout should show");
  E2E_CHECK(share_at(pdata, during, RED) > 0.9, "inside the window the special layout should show");
  E2E_CHECK(share_at(pdata, after, TEAL) > 0.9, "at the window's end the usual layout should be back");

  /* Removing the window is a new manifest; once synced, 08:30 shows the usual layout. */
  snprintf(path, sizeof path, "/api/v1/schedules/%lld", (long long)entry);
  json_decref(e2e_api(&mgr, "DELETE", path, owner, NULL, 204));
  sync_player(pdata, token, v + 1);
  E2E_CHECK(share_at(pdata, during, TEAL) > 0.9, "the deleted window still shows");

  e2e_stop(&mgr.proc);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
