/* The walking skeleton end to end, with the real binaries on loopback:
 * content made through the API is on the headless player's screen (checked pixel by pixel);
 * an edit is on screen within a second; with the manager gone the player keeps playing;
 * a killed player restarts offline from its cache; a restarted manager is found again;
 * and a one-shot `--at` snapshot follows the wall-clock timeline exactly. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define RED 0xdd2222u
#define YELLOW 0xeecc00u
#define BLUE 0x2222ccu
#define GREEN 0x22aa44u
#define W 640
#define H 360
#define ITEM_MS 700 /* the left region alternates red/yellow every 700 ms */

static char owner[128];
static struct e2e_manager mgr;

static char *upload_png(uint32_t rgb) {
  size_t len;
  void *png = e2e_make_png(32, 32, rgb, &len);
  char url[512];
  struct e2e_response r;
  snprintf(url, sizeof url, "%s/api/v1/media?name=colour", mgr.url);
  e2e_http("POST", url, owner, "image/png", png, len, &r);
  free(png);
  E2E_CHECK(r.status == 201, "upload: %ld %s", r.status, r.body);
  json_t *j = json_loads(r.body, 0, NULL);
  char *sha = strdup(json_string_value(json_object_get(j, "sha256")));
  json_decref(j);
  e2e_response_free(&r);
  return sha;
}

static int64_t create(const char *path, const char *body) {
  json_t *j = e2e_api(&mgr, "POST", path, owner, body, 201);
  int64_t id = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  E2E_CHECK(id > 0, "POST %s returned no id", path);
  return id;
}

/* Look at the right (text) region: background share and ink share. */
static void text_region(const char *png, uint32_t bg, double *bg_share, double *ink_share) {
  SDL_Surface *s = e2e_load_png(png);
  E2E_CHECK(s->w == W && s->h == H, "snapshot is %dx%d, want %dx%d", s->w, s->h, W, H);
  *bg_share = e2e_fraction(s, W / 2, 0, W / 2, H, bg, 40);
  *ink_share = e2e_fraction(s, W / 2, 0, W / 2, H, 0xffffffu, 60);
  SDL_FreeSurface(s);
}

/* Colour of the left (image) region: RED, YELLOW, or 0 if neither fills it. */
static uint32_t left_colour(const char *png) {
  SDL_Surface *s = e2e_load_png(png);
  uint32_t c = 0;
  if (e2e_fraction(s, 0, 0, W / 2, H, RED, 40) > 0.98) c = RED;
  if (e2e_fraction(s, 0, 0, W / 2, H, YELLOW, 40) > 0.98) c = YELLOW;
  SDL_FreeSurface(s);
  return c;
}

static void start_player(struct e2e_proc *p, const char *name, const char *data, const char *token,
                         const char *snapshot) {
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", (char *)data, "--token",
                  (char *)token, "--headless", "--snapshot", (char *)snapshot, "--events", NULL};
  e2e_spawn(p, name, argv);
}

int main(void) {
  char pdata[512], live[512], at_png[512], token[256], body[2048], path[256];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(live, sizeof live, "live.png");
  e2e_path(at_png, sizeof at_png, "at.png");
  int port = e2e_free_port();
  e2e_manager_start_port(&mgr, "manager", port);
  e2e_token(&mgr, "owner", owner, sizeof owner);

  /* Content: two colour images alternating on the left, a text on the right. */
  char *red = upload_png(RED), *yellow = upload_png(YELLOW);
  snprintf(body, sizeof body,
           "{\"name\":\"colours\",\"items\":["
           "{\"type\":\"image\",\"media\":\"%s\",\"duration_ms\":%d,\"fit\":\"stretch\"},"
           "{\"type\":\"image\",\"media\":\"%s\",\"duration_ms\":%d,\"fit\":\"stretch\"}]}",
           red, ITEM_MS, yellow, ITEM_MS);
  int64_t pics = create("/api/v1/playlists", body);
  int64_t words = create("/api/v1/playlists",
                         "{\"name\":\"words\",\"items\":[{\"type\":\"text\",\"text\":\"I\","
                         "\"duration_ms\":600000,\"style\":{\"size_px\":60,\"color\":\"#ffffff\","
                         "\"background\":\"#2222cc\"}}]}");
  snprintf(body, sizeof body,
           "{\"name\":\"split\",\"width\":%d,\"height\":%d,\"background\":\"#000000\",\"regions\":["
           "{\"name\":\"left\",\"x\":0,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld},"
           "{\"name\":\"right\",\"x\":%d,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld}]}",
           W, H, W / 2, H, (long long)pics, W / 2, W / 2, H, (long long)words);
  int64_t layout = create("/api/v1/layouts", body);
  snprintf(body, sizeof body, "{\"name\":\"counter\",\"default_layout_id\":%lld}", (long long)layout);
  json_t *d = e2e_api(&mgr, "POST", "/api/v1/displays", owner, body, 201);
  snprintf(token, sizeof token, "%s", json_string_value(json_object_get(d, "token")));
  json_decref(d);

  /* 1. The player shows it. */
  struct e2e_proc player;
  start_player(&player, "player", pdata, token, live);
  int64_t v1 = e2e_wait_presented(&player, 1, 15000);
  E2E_CHECK(e2e_wait_file(live, 0, 5000), "no live snapshot");
  double bg, ink1, ink2;
  text_region(live, BLUE, &bg, &ink1);
  E2E_CHECK(bg > 0.5, "right region is not the blue text background (%.2f)", bg);
  E2E_CHECK(ink1 > 0.001, "no text ink in the right region (%.4f)", ink1);
  E2E_CHECK(left_colour(live) != 0, "left region shows neither image");
  printf("shown: version %lld, text ink %.4f\n", (long long)v1, ink1);

  /* 2. An edit is on screen within a second. */
  json_t *pl = e2e_api(&mgr, "GET", (snprintf(path, sizeof path, "/api/v1/playlists/%lld", (long long)words), path), owner, NULL, 200);
  int64_t item = json_integer_value(json_object_get(json_array_get(json_object_get(pl, "items"), 0), "id"));
  json_decref(pl);
  int64_t before = e2e_mtime_ns(live);
  snprintf(path, sizeof path, "/api/v1/playlists/%lld/items/%lld", (long long)words, (long long)item);
  int64_t t0 = e2e_now_ms();
  json_decref(e2e_api(&mgr, "PATCH", path, owner,
                      "{\"text\":\"MMMMMMMM\",\"style\":{\"size_px\":60,\"color\":\"#ffffff\","
                      "\"background\":\"#22aa44\"}}", 200));
  int64_t v2 = e2e_wait_presented(&player, v1 + 1, 5000);
  int64_t latency = e2e_now_ms() - t0;
  E2E_CHECK(latency < 1000, "edit took %lld ms to reach the screen", (long long)latency);
  E2E_CHECK(e2e_wait_file(live, before, 5000), "live snapshot not rewritten after the edit");
  text_region(live, GREEN, &bg, &ink2);
  E2E_CHECK(bg > 0.3, "the new green background is not on screen (%.2f)", bg);
  E2E_CHECK(ink2 > ink1 * 3, "the new, longer text is not on screen (ink %.4f -> %.4f)", ink1, ink2);
  printf("edited: version %lld on screen after %lld ms\n", (long long)v2, (long long)latency);

  /* 3. Manager gone: the player keeps playing (the left region keeps alternating). */
  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "manager did not exit cleanly");
  int seen_red = 0, seen_yellow = 0;
  int64_t last = e2e_mtime_ns(live), until = e2e_now_ms() + 4 * ITEM_MS + 2000;
  while ((!seen_red || !seen_yellow) && e2e_now_ms() < until) {
    if (!e2e_wait_file(live, last, 2 * ITEM_MS + 500)) break;
    last = e2e_mtime_ns(live);
    uint32_t c = left_colour(live);
    seen_red |= c == RED;
    seen_yellow |= c == YELLOW;
  }
  E2E_CHECK(e2e_alive(&player), "player died when the manager went away");
  E2E_CHECK(seen_red && seen_yellow, "player stopped playing without the manager (red %d yellow %d)",
            seen_red, seen_yellow);

  /* 4. Killed and restarted with no manager: plays the cached manifest. */
  e2e_kill9(&player);
  unlink(live);
  start_player(&player, "player-offline", pdata, token, live);
  char line[512];
  E2E_CHECK(e2e_wait_line(&player, "offline_start", line, sizeof line, 10000),
            "restarted player did not start from its cache");
  e2e_wait_presented(&player, v2, 10000);
  E2E_CHECK(e2e_wait_file(live, 0, 5000), "no snapshot from the offline player");
  text_region(live, GREEN, &bg, &ink1);
  E2E_CHECK(bg > 0.3 && ink1 > 0.001, "offline player does not show the cached content");

  /* 5. The manager comes back on the same address: the player finds it and takes edits. */
  e2e_manager_start_port(&mgr, "manager", port);
  t0 = e2e_now_ms();
  json_decref(e2e_api(&mgr, "PATCH", path, owner,
                      "{\"text\":\"back\",\"style\":{\"size_px\":60,\"color\":\"#ffffff\","
                      "\"background\":\"#2222cc\"}}", 200));
  before = e2e_mtime_ns(live);
  int64_t v3 = e2e_wait_presented(&player, v2 + 1, 20000);
  printf("reconnected: version %lld after %lld ms\n", (long long)v3, (long long)(e2e_now_ms() - t0));
  E2E_CHECK(e2e_wait_file(live, before, 5000), "no snapshot after the reconnect");
  text_region(live, BLUE, &bg, &ink1);
  E2E_CHECK(bg > 0.3 && ink1 > 0.001, "after the reconnect the edit is not on screen (blue %.2f)", bg);

  /* 6. A one-shot snapshot at a given instant follows the wall-clock loop: the loop of two
   * 700 ms items is anchored at the epoch, so k*1400 ms shows red and k*1400+700 yellow. */
  E2E_CHECK(e2e_stop(&player) == 0, "player did not exit cleanly on SIGTERM");
  const char *instants[][2] = {{"2026-12-01T00:00:00.800Z", "red"}, {"2026-12-01T00:00:01.500Z", "yellow"}};
  for (int i = 0; i < 2; i++) {
    char out[256];
    char *argv[] = {E2E_PLAYER_BIN, "--data", pdata, "--headless", "--snapshot", at_png,
                    "--at", (char *)instants[i][0], NULL};
    unlink(at_png);
    E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "one-shot snapshot failed");
    uint32_t want = i == 0 ? RED : YELLOW;
    E2E_CHECK(left_colour(at_png) == want, "at %s the left region is not %s", instants[i][0],
              instants[i][1]);
  }
  e2e_stop(&mgr.proc);
  free(red);
  free(yellow);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
