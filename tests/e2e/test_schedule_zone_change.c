/* Changing a display's zone recompiles its manifest and pushes it: a running player (its
 * --clock at 09:00Z tomorrow) shows breakfast while the display is in UTC (09:00 local);
 * after PATCH timezone Asia/Tehran the same instant is 12:30 local, so a new manifest
 * version arrives and lunch goes up. An unknown zone is refused with the field named and
 * changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"
#include "timeutil.h"

#define ORANGE 0xdd8800u /* breakfast */
#define BLUE 0x2266ddu   /* lunch */
#define GREY 0x444444u   /* default */
#define PUSH_MS 1000

static struct e2e_manager mgr;
static char owner[128];

int main(void) {
  char token[128], pdata[512], live[512], clock[VT_RFC3339_MAX], path[128];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(live, sizeof live, "live.png");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);
  int64_t breakfast = shop_layout(&mgr, owner, "Breakfast", shop_playlist(&mgr, owner, "eggs", ORANGE));
  int64_t lunch = shop_layout(&mgr, owner, "Lunch", shop_playlist(&mgr, owner, "soup", BLUE));
  int64_t idle = shop_layout(&mgr, owner, "Idle", shop_playlist(&mgr, owner, "logo", GREY));
  int64_t display = shop_display(&mgr, owner, "window", idle, NULL, token, sizeof token);
  snprintf(path, sizeof path, "/api/v1/displays/%lld", (long long)display);
  json_t *d = e2e_api(&mgr, "GET", path, owner, NULL, 200);
  const char *zone = json_string_value(json_object_get(d, "timezone"));
  E2E_CHECK(zone && strcmp(zone, "UTC") == 0, "a new display's zone is %s, want UTC",
            zone ? zone : "(none)");
  json_decref(d);

  int64_t today = shop_today();
  shop_daily(&mgr, owner, "breakfast", "display_id", display, breakfast, today - 1, 6, 11);
  shop_daily(&mgr, owner, "lunch", "display_id", display, lunch, today - 1, 11, 16);

  vt_time_format(shop_instant(today + 1, 9, 0, 0, 0), clock);
  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", pdata, "--token", token,
                  "--headless", "--snapshot", live, "--events", "--clock", clock, NULL};
  e2e_spawn(&p, "player", argv);
  struct e2e_presented ev;
  e2e_wait_presented_layout(&p, 1, 0, 15000, &ev);
  E2E_CHECK(ev.layout == breakfast, "09:00 UTC should be breakfast, layout %lld is on screen",
            (long long)ev.layout);
  E2E_CHECK(shop_share_png(live, ORANGE) > 0.9, "breakfast is not on screen");
  int64_t v = ev.version;

  /* Refused, and nothing changes (a bad zone would otherwise compile to nothing). */
  json_t *bad = e2e_api(&mgr, "PATCH", path, owner, "{\"timezone\":\"Mars/Olympus_Mons\"}", 400);
  const char *field = json_string_value(json_object_get(json_object_get(bad, "error"), "field"));
  E2E_CHECK(field && strcmp(field, "timezone") == 0, "a bad zone's error names field %s",
            field ? field : "(none)");
  json_decref(bad);

  d = e2e_api(&mgr, "PATCH", path, owner, "{\"timezone\":\"Asia/Tehran\"}", 200);
  int64_t replied = e2e_wall_ms();
  zone = json_string_value(json_object_get(d, "timezone"));
  E2E_CHECK(zone && strcmp(zone, "Asia/Tehran") == 0, "PATCH timezone reads back %s",
            zone ? zone : "(none)");
  json_decref(d);
  e2e_wait_presented_layout(&p, v + 1, 0, 5000, &ev);
  E2E_CHECK(ev.layout == lunch, "12:30 in Tehran should be lunch, layout %lld is on screen",
            (long long)ev.layout);
  E2E_CHECK(ev.t_ms - replied < PUSH_MS, "the new zone took %lld ms to reach the screen",
            (long long)(ev.t_ms - replied));
  E2E_CHECK(shop_share_png(live, BLUE) > 0.9, "lunch is not on screen after the zone change");

  printf("new zone on screen %lld ms after the PATCH\n", (long long)(ev.t_ms - replied));
  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  e2e_stop(&mgr.proc);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
