/* An override (an announcement) on a live player: POSTed while the player runs, it is on
 * screen within a second of the POST's reply (the player's "presented" event against the
 * test's clock), and gone within a second of its DELETE. One with a duration leaves the
 * screen at its end by itself, from the manifest the player already has. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"
#include "timeutil.h"

#define TEAL 0x118888u /* the usual layout */
#define RED 0xdd2222u  /* the announcement */
#define PUSH_MS 1000   /* the bound: on screen within a second */
#define LATE_MS 150    /* an end is presented this late at most (ASan build) */

static struct e2e_manager mgr;
static char owner[128];

static const char *str(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "(none)";
}

int main(void) {
  char token[128], pdata[512], live[512], path[128];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(live, sizeof live, "live.png");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);
  int64_t usual = shop_layout(&mgr, owner, "Usual", shop_playlist(&mgr, owner, "menu", TEAL));
  int64_t notice = shop_layout(&mgr, owner, "Notice", shop_playlist(&mgr, owner, "closing", RED));
  int64_t display = shop_display(&mgr, owner, "till", usual, "Europe/Berlin", token, sizeof token);

  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", pdata, "--token", token,
                  "--headless", "--snapshot", live, "--events", NULL};
  e2e_spawn(&p, "player", argv);
  struct e2e_presented ev;
  e2e_wait_presented_layout(&p, 1, usual, 15000, &ev);
  int64_t v = ev.version;

  /* 1. Until cleared: no start (now), no end. */
  json_t *o = e2e_apif(&mgr, "POST", "/api/v1/overrides", owner, 201,
                       "{\"name\":\"Closing soon\",\"display_id\":%lld,\"layout_id\":%lld}",
                       (long long)display, (long long)notice);
  int64_t replied = e2e_wall_ms();
  int64_t id = json_integer_value(json_object_get(o, "id"));
  E2E_CHECK(id > 0 && json_is_true(json_object_get(o, "active")) &&
                json_is_null(json_object_get(o, "end")) &&
                json_integer_value(json_object_get(o, "layout_id")) == notice,
            "the override reads back wrong (active, end null, layout)");
  json_decref(o);
  e2e_wait_presented_layout(&p, v + 1, notice, 5000, &ev);
  int64_t on_ms = ev.t_ms - replied;
  E2E_CHECK(on_ms < PUSH_MS, "the override took %lld ms to reach the screen", (long long)on_ms);
  E2E_CHECK(shop_share_png(live, RED) > 0.9, "the override's layout is not on screen");
  v = ev.version;

  /* 2. Cleared: the usual layout is back, pushed the same way. */
  snprintf(path, sizeof path, "/api/v1/overrides/%lld", (long long)id);
  json_decref(e2e_api(&mgr, "DELETE", path, owner, NULL, 204));
  replied = e2e_wall_ms();
  e2e_wait_presented_layout(&p, v + 1, usual, 5000, &ev);
  int64_t off_ms = ev.t_ms - replied;
  E2E_CHECK(off_ms < PUSH_MS, "clearing took %lld ms to reach the screen", (long long)off_ms);
  E2E_CHECK(shop_share_png(live, TEAL) > 0.9, "the cleared override is still on screen");
  json_decref(e2e_api(&mgr, "GET", path, owner, NULL, 404));
  v = ev.version;

  /* 3. Two seconds long: the player ends it by itself at its end (the window is in the
   * manifest it has), within LATE_MS. */
  o = e2e_apif(&mgr, "POST", "/api/v1/overrides", owner, 201,
               "{\"display_id\":%lld,\"layout_id\":%lld,\"duration\":\"PT2S\"}",
               (long long)display, (long long)notice);
  int64_t start_ms = 0, end_ms = 0;
  E2E_CHECK(vt_time_parse(str(o, "start"), &start_ms) && vt_time_parse(str(o, "end"), &end_ms) &&
                end_ms - start_ms == 2000,
            "a PT2S override reads back as %s..%s", str(o, "start"), str(o, "end"));
  json_decref(o);
  e2e_wait_presented_layout(&p, v + 1, notice, 5000, &ev);
  v = ev.version;
  e2e_wait_presented_layout(&p, v, usual, 2000 + 3000, &ev);
  E2E_CHECK(ev.at_ms >= end_ms && ev.at_ms - end_ms <= LATE_MS,
            "the override ended on screen at %lld, %lld ms after its end", (long long)ev.at_ms,
            (long long)(ev.at_ms - end_ms));
  E2E_CHECK(shop_share_png(live, TEAL) > 0.9, "the expired override is still on screen");

  printf("override on screen %lld ms after the POST, off %lld ms after the DELETE\n",
         (long long)on_ms, (long long)off_ms);
  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  e2e_stop(&mgr.proc);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
