/* Sources end to end (docs/live-content.md): a real manager and a real headless player.
 * (1) A menu board beside a text region: the first frame shows the menu from its snapshot;
 *     a price PATCHed through the API reaches the screen within a second as a `source` event,
 *     with the manifest version unchanged, only the menu widget prepared again (the text
 *     widget's prepare count does not move), and the text region's pixels untouched; the
 *     price is wider on screen by the digit added, and the cached snapshot holds it; the
 *     sold-out flag likewise (the red sold-out label appears).
 * (2) The manager stops and the player restarts: it starts offline from its cache and shows
 *     the last menu, pixel for pixel as the live player showed it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define W 640
#define H 360
#define MENU_W 440 /* the menu region: x 0..440; the text region: 440..640 */
#define BG 0x202830u
#define TEXT_BG 0x3060a0u
#define SOLD_OUT_RED 0xe0584cu /* w_menu.c's sold-out label */

static struct e2e_manager mgr;
static char owner[256];

struct source_ev {
  int64_t version, widgets, prepares, t_ms;
};

static int64_t field(const char *line, const char *name) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\":", name);
  const char *p = strstr(line, key);
  E2E_CHECK(p, "no %s in %s", name, line);
  return strtoll(p + strlen(key), NULL, 10);
}

/* The next `source` event for key; fails on a "presented" event of another manifest version
 * than `version` (the manifest must not change) or on timeout. */
static void wait_source(struct e2e_proc *p, const char *key, int64_t version,
                        struct source_ev *ev) {
  char line[1024], want[64];
  snprintf(want, sizeof want, "\"key\":\"%s\"", key);
  int64_t deadline = e2e_now_ms() + 5000;
  while (e2e_now_ms() < deadline) {
    if (!e2e_read_line(p, line, sizeof line, (int)(deadline - e2e_now_ms()))) break;
    if (strstr(line, "\"presented\""))
      E2E_CHECK(field(line, "version") == version, "manifest changed: %s", line);
    if (!strstr(line, "\"event\":\"source\"") || !strstr(line, want)) continue;
    *ev = (struct source_ev){field(line, "version"), field(line, "widgets"),
                             field(line, "prepares"), field(line, "t_ms")};
    return;
  }
  E2E_FAIL("no source event for %s", key);
}

/* Text ink: far from the background, so the dimmed leader dots and rules do not count. */
#define INK_TOL 150

/* Ink in a rect: the leftmost column with any. */
static int ink_left(SDL_Surface *s, int x0, int y0, int w, int h) {
  for (int x = x0; x < x0 + w; x++)
    if (e2e_fraction_not(s, x, y0, 1, h, BG, INK_TOL) > 0) return x;
  return -1;
}

/* Every pixel of the rect is the same in a and b. */
static bool same_rect(SDL_Surface *a, SDL_Surface *b, int x0, int y0, int w, int h) {
  for (int y = y0; y < y0 + h; y++)
    for (int x = x0; x < x0 + w; x++) {
      Uint32 pa = ((Uint32 *)((Uint8 *)a->pixels + y * a->pitch))[x];
      Uint32 pb = ((Uint32 *)((Uint8 *)b->pixels + y * b->pitch))[x];
      if ((pa & 0xffffff) != (pb & 0xffffff)) return false;
    }
  return true;
}

static SDL_Surface *load_after(const char *png, int64_t after_ns) {
  E2E_CHECK(e2e_wait_file(png, after_ns, 5000), "snapshot %s not rewritten", png);
  return e2e_load_png(png);
}

static void start_player(struct e2e_proc *p, const char *name, const char *data,
                         const char *token, const char *png) {
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", (char *)data, "--token",
                  (char *)token, "--headless", "--snapshot", (char *)png, "--events", NULL};
  e2e_spawn(p, name, argv);
}

int main(void) {
  char pdata[512], png[512], token[256], cached[600], line[1024];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(png, sizeof png, "live.png");
  int port = e2e_free_port();
  e2e_manager_start_port(&mgr, "manager", port);
  e2e_token(&mgr, "owner", owner, sizeof owner);

  /* A menu of one section; the first item's price is the one the test edits. */
  json_t *menu = e2e_api(&mgr, "POST", "/api/v1/menus", owner,
                         "{\"name\":\"Breakfast\",\"sections\":[{\"name\":\"Hot drinks\",\"items\":["
                         "{\"name\":\"Espresso\",\"price\":\"2.50\",\"currency\":\"EUR\"},"
                         "{\"name\":\"Cappuccino\",\"description\":\"Milk foam\",\"price\":\"3.20\","
                         "\"currency\":\"EUR\"}]}]}",
                         201);
  int64_t menu_id = json_integer_value(json_object_get(menu, "id"));
  json_t *items = json_object_get(json_array_get(json_object_get(menu, "sections"), 0), "items");
  int64_t espresso = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
  json_decref(menu);
  E2E_CHECK(menu_id > 0 && espresso > 0, "menu not created");
  char body[1024], path[128], key[32];
  snprintf(key, sizeof key, "menu/%lld", (long long)menu_id);
  snprintf(body, sizeof body,
           "{\"name\":\"menu\",\"items\":[{\"type\":\"menu\",\"source\":\"%s\",\"duration_ms\":60000,"
           "\"columns\":1,\"style\":{\"size_px\":28,\"color\":\"#f0e6d2\",\"background\":\"#%06x\","
           "\"padding_px\":16}}]}",
           key, BG);
  int64_t pl_menu = 0, pl_text = 0;
  json_t *j = e2e_api(&mgr, "POST", "/api/v1/playlists", owner, body, 201);
  pl_menu = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  snprintf(body, sizeof body,
           "{\"name\":\"text\",\"items\":[{\"type\":\"text\",\"text\":\"Welcome\",\"duration_ms\":60000,"
           "\"style\":{\"size_px\":30,\"background\":\"#%06x\"}}]}",
           TEXT_BG);
  j = e2e_api(&mgr, "POST", "/api/v1/playlists", owner, body, 201);
  pl_text = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  snprintf(body, sizeof body,
           "{\"name\":\"board\",\"width\":%d,\"height\":%d,\"regions\":["
           "{\"name\":\"menu\",\"x\":0,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld},"
           "{\"name\":\"text\",\"x\":%d,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld}]}",
           W, H, MENU_W, H, (long long)pl_menu, MENU_W, W - MENU_W, H, (long long)pl_text);
  j = e2e_api(&mgr, "POST", "/api/v1/layouts", owner, body, 201);
  int64_t layout = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  snprintf(body, sizeof body, "{\"name\":\"counter\",\"default_layout_id\":%lld}", (long long)layout);
  j = e2e_api(&mgr, "POST", "/api/v1/displays", owner, body, 201);
  snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
  json_decref(j);

  /* (1) live */
  struct e2e_proc player;
  start_player(&player, "player", pdata, token, png);
  struct e2e_presented first;
  e2e_wait_presented_layout(&player, 1, layout, 15000, &first);
  SDL_Surface *s0 = load_after(png, 0);
  int left0 = ink_left(s0, 0, 0, MENU_W, H);
  E2E_CHECK(e2e_fraction(s0, MENU_W, 0, W - MENU_W, H, TEXT_BG, 10) > 0.9, "no text region");
  E2E_CHECK(left0 >= 0 && left0 < 40, "menu not drawn from its snapshot (ink at %d)", left0);
  /* The price line of the first item: right-aligned prices, so a wider price starts further
   * left. Find its band: the row below the heading holding ink at the right end. */
  int price_y = -1;
  for (int y = 60; y < H && price_y < 0; y++)
    if (e2e_fraction_not(s0, MENU_W - 40, y, 20, 1, BG, INK_TOL) > 0) price_y = y;
  E2E_CHECK(price_y > 0, "no price on the menu");
  int band = 30, price_left0 = ink_left(s0, MENU_W / 2, price_y, MENU_W / 2 - 16, band);
  E2E_CHECK(e2e_fraction(s0, 0, 0, MENU_W, H, SOLD_OUT_RED, 30) == 0, "sold out too early");

  /* The price. */
  int64_t mtime = e2e_mtime_ns(png);
  snprintf(path, sizeof path, "/api/v1/menus/%lld/items/%lld", (long long)menu_id,
           (long long)espresso);
  int64_t t_patch = e2e_wall_ms();
  json_decref(e2e_api(&mgr, "PATCH", path, owner, "{\"price\":\"12.50\"}", 200));
  struct source_ev ev;
  wait_source(&player, key, first.version, &ev);
  printf("price change on screen %lld ms after the PATCH; widgets %lld, prepares %lld\n",
         (long long)(ev.t_ms - t_patch), (long long)ev.widgets, (long long)ev.prepares);
  E2E_CHECK(ev.t_ms - t_patch < 1000, "price change took %lld ms", (long long)(ev.t_ms - t_patch));
  E2E_CHECK(ev.widgets == 1, "%lld widgets re-laid-out, want only the menu", (long long)ev.widgets);
  SDL_Surface *s1 = load_after(png, mtime);
  int price_left1 = ink_left(s1, MENU_W / 2, price_y, MENU_W / 2 - 16, band);
  E2E_CHECK(price_left1 < price_left0 - 8, "price not wider on screen (%d -> %d)", price_left0,
            price_left1);
  E2E_CHECK(same_rect(s0, s1, MENU_W, 0, W - MENU_W, H), "the text region changed");
  snprintf(cached, sizeof cached, "%s/sources/menu-%lld.json", pdata, (long long)menu_id);
  char *doc = NULL;
  FILE *f = fopen(cached, "rb");
  E2E_CHECK(f, "no cached snapshot %s", cached);
  doc = calloc(1, 65536);
  E2E_CHECK(doc && fread(doc, 1, 65535, f) > 0, "read %s", cached);
  fclose(f);
  E2E_CHECK(strstr(doc, "\"12.50\""), "cached snapshot lacks the new price: %s", doc);
  free(doc);

  /* Sold out, then the prepare count: one prepare per snapshot, the menu's. */
  int64_t prepares = ev.prepares;
  mtime = e2e_mtime_ns(png);
  t_patch = e2e_wall_ms();
  json_decref(e2e_api(&mgr, "PATCH", path, owner, "{\"sold_out\":true}", 200));
  wait_source(&player, key, first.version, &ev);
  E2E_CHECK(ev.t_ms - t_patch < 1000, "sold-out took %lld ms", (long long)(ev.t_ms - t_patch));
  E2E_CHECK(ev.widgets == 1 && ev.prepares == prepares + 1,
            "sold-out prepared %lld widget(s), prepares %lld -> %lld", (long long)ev.widgets,
            (long long)prepares, (long long)ev.prepares);
  SDL_Surface *s2 = load_after(png, mtime);
  double red = e2e_fraction(s2, 0, 0, MENU_W, H, SOLD_OUT_RED, 40);
  E2E_CHECK(red > 0.0005, "no sold-out label on screen (%.5f)", red);
  E2E_CHECK(same_rect(s0, s2, MENU_W, 0, W - MENU_W, H), "the text region changed");
  /* A write that changes nothing on the menu still bumps its version: the player fetches
   * it and lays the menu out once more, and nothing else. */
  E2E_CHECK(e2e_stop(&player) == 0, "player did not stop cleanly");

  /* (2) offline: the manager is gone; a restarted player shows the last menu. */
  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "manager did not stop cleanly");
  char png2[512];
  e2e_path(png2, sizeof png2, "offline.png");
  start_player(&player, "player-offline", pdata, token, png2);
  E2E_CHECK(e2e_wait_line(&player, "\"offline_start\"", line, sizeof line, 10000),
            "no offline start");
  e2e_wait_presented_layout(&player, 1, layout, 10000, NULL);
  SDL_Surface *s3 = load_after(png2, 0);
  E2E_CHECK(same_rect(s2, s3, 0, 0, W, H), "offline screen differs from the last live one");
  E2E_CHECK(e2e_stop(&player) == 0, "offline player did not stop cleanly");

  SDL_FreeSurface(s0);
  SDL_FreeSurface(s1);
  SDL_FreeSurface(s2);
  SDL_FreeSurface(s3);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
