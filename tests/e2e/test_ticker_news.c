/* A news ticker fed by a real feed: the manager fetches an RSS document from a loopback
 * server, the player scrolls its titles; when the feed changes, the new titles reach the
 * running ticker as a `source` event (one widget laid out again, no new manifest) and take
 * over the strip. The two feeds are told apart by how much ink their titles leave: the
 * first is a few thin letters, the second solid capitals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hostile_server.h"
#include "shop.h"

#define W 960
#define H 120
#define BG 0x101820u

#define THIN "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>" \
             "<item><title>i l</title></item></channel></rss>"
#define BOLD "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"   \
             "<item><title>WWWWMMMMWWWWMMMM</title></item>"                           \
             "<item><title>MMMMWWWWMMMMWWWW</title></item></channel></rss>"

static struct e2e_manager mgr;
static char owner[256];

/* Share of the ticker's pixels that are ink (far from the background). */
static double ink(const char *png) {
  return 1.0 - shop_share_png(png, BG);
}

int main(void) {
  struct hostile_server *web = hostile_start();
  hostile_set(web, "/news.xml", "application/rss+xml", THIN, strlen(THIN), "\"1\"");
  char url[160], pdata[512], live[512], line[1024], key[32], path[64];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(live, sizeof live, "live.png");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  json_t *f = e2e_apif(&mgr, "POST", "/api/v1/feeds", owner, 201,
                       "{\"name\":\"News\",\"kind\":\"news\",\"url\":\"%s\"}",
                       hostile_url(web, "/news.xml", url, sizeof url));
  int64_t feed = json_integer_value(json_object_get(f, "id"));
  json_decref(f);
  snprintf(key, sizeof key, "feed/%lld", (long long)feed);
  json_t *pl = e2e_apif(&mgr, "POST", "/api/v1/playlists", owner, 201,
                        "{\"name\":\"ticker\",\"items\":[{\"type\":\"ticker\",\"duration_ms\":600000,"
                        "\"source\":\"%s\",\"speed_px_s\":400,\"style\":{\"size_px\":60,"
                        "\"color\":\"#ffffff\"}}]}",
                        key);
  int64_t playlist = json_integer_value(json_object_get(pl, "id"));
  json_decref(pl);
  json_t *lay = e2e_apif(&mgr, "POST", "/api/v1/layouts", owner, 201,
                         "{\"name\":\"news\",\"width\":%d,\"height\":%d,\"background\":\"#101820\","
                         "\"regions\":[{\"name\":\"ticker\",\"x\":0,\"y\":0,\"width\":%d,"
                         "\"height\":%d,\"playlist_id\":%lld}]}",
                         W, H, W, H, (long long)playlist);
  int64_t layout = json_integer_value(json_object_get(lay, "id"));
  json_decref(lay);
  /* the first fetch is done before the display exists, so the first frame has titles */
  snprintf(path, sizeof path, "/api/v1/feeds/%lld", (long long)feed);
  for (int64_t until = e2e_now_ms() + 5000;;) {
    json_t *st = e2e_api(&mgr, "GET", path, owner, NULL, 200);
    int64_t v = json_integer_value(json_object_get(json_object_get(st, "status"), "version"));
    json_decref(st);
    if (v == 1) break;
    E2E_CHECK(e2e_now_ms() < until, "the feed was not fetched");
    e2e_sleep_ms(50);
  }
  char token[256];
  shop_display(&mgr, owner, "news", layout, "UTC", token, sizeof token);

  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", pdata, "--token", token,
                  "--headless", "--snapshot", live, "--events", NULL};
  e2e_spawn(&p, "player", argv);
  int64_t version = e2e_wait_presented(&p, 1, 15000);
  E2E_CHECK(e2e_wait_file(live, 0, 5000), "no live snapshot");
  double thin = ink(live);
  printf("ink with the thin titles: %.3f\n", thin);
  E2E_CHECK(thin > 0.001, "the ticker shows nothing");

  /* the feed changes; a new address makes the manager fetch it at once */
  hostile_set(web, "/news.xml", "application/rss+xml", BOLD, strlen(BOLD), "\"2\"");
  json_decref(e2e_apif(&mgr, "PATCH", path, owner, 200, "{\"url\":\"%s?2\"}", url));
  bool seen = false;
  for (int64_t until = e2e_now_ms() + 5000; !seen && e2e_now_ms() < until;) {
    if (!e2e_read_line(&p, line, sizeof line, 500)) continue;
    if (strstr(line, "\"presented\"")) {
      char want[48];
      snprintf(want, sizeof want, "\"version\":%lld", (long long)version);
      E2E_CHECK(strstr(line, want) != NULL, "a news change made a new manifest: %s", line);
    }
    seen = strstr(line, "\"event\":\"source\"") && strstr(line, key) &&
           strstr(line, "\"version\":2") && strstr(line, "\"widgets\":1");
  }
  E2E_CHECK(seen, "no source event for %s version 2 on the ticker", key);

  /* the new strip takes over at the old one's seam; live snapshots of a moving frame come
   * once a second */
  double bold = 0;
  for (int64_t until = e2e_now_ms() + 6000; bold < 2 * thin && e2e_now_ms() < until;) {
    int64_t before = e2e_mtime_ns(live);
    E2E_CHECK(e2e_wait_file(live, before, 3000), "live snapshots stopped");
    bold = ink(live);
  }
  printf("ink with the bold titles: %.3f\n", bold);
  E2E_CHECK(bold >= 2 * thin, "the new titles did not take over the ticker (%.3f vs %.3f)", bold,
            thin);
  E2E_CHECK(e2e_alive(&p), "the player died");

  E2E_CHECK(e2e_stop(&p) == 0, "the player did not exit cleanly");
  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "the manager did not exit cleanly");
  hostile_stop(web);
  e2e_cleanup();
  printf("PASS\n");
  return 0;
}
