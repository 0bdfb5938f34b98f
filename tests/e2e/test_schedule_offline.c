/* The switch from breakfast to lunch at 11:00 local happens with the manager gone, from the
 * player's cached manifest. The player runs live with --clock set 5 s before 11:00 on a
 * display in Asia/Tehran; once it shows breakfast the manager is stopped; the screen must
 * change to lunch at 11:00:00 of the player's clock (the "presented" event's instant, and
 * about 5 s of real time later), and the pixels say lunch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"
#include "timeutil.h"

#define ORANGE 0xdd8800u /* breakfast */
#define BLUE 0x2266ddu   /* lunch */
#define GREY 0x444444u   /* default */
#define LEAD_MS 5000     /* the rehearsal starts this long before 11:00 */
#define LATE_MS 150      /* the switch may be presented this late (ASan build) */

static struct e2e_manager mgr;
static char owner[128];

int main(void) {
  char token[128], pdata[512], live[512], clock[VT_RFC3339_MAX];
  e2e_path(pdata, sizeof pdata, "player");
  e2e_path(live, sizeof live, "live.png");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);
  int64_t breakfast = shop_layout(&mgr, owner, "Breakfast", shop_playlist(&mgr, owner, "eggs", ORANGE));
  int64_t lunch = shop_layout(&mgr, owner, "Lunch", shop_playlist(&mgr, owner, "soup", BLUE));
  int64_t idle = shop_layout(&mgr, owner, "Idle", shop_playlist(&mgr, owner, "logo", GREY));
  int64_t display = shop_display(&mgr, owner, "counter", idle, "Asia/Tehran", token, sizeof token);

  int64_t today = shop_today();
  shop_daily(&mgr, owner, "breakfast", "display_id", display, breakfast, today - 1, 6, 11);
  shop_daily(&mgr, owner, "lunch", "display_id", display, lunch, today - 1, 11, 16);

  /* Tomorrow's 11:00 in Tehran is inside the horizon whatever the hour now. */
  int64_t eleven = shop_instant(today + 1, 11, 0, 0, SHOP_TEHRAN_OFFSET_S);
  vt_time_format(eleven - LEAD_MS, clock);
  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manager", mgr.url, "--data", pdata, "--token", token,
                  "--headless", "--snapshot", live, "--events", "--clock", clock, NULL};
  e2e_spawn(&p, "player", argv);
  struct e2e_presented first, switched;
  e2e_wait_presented_layout(&p, 1, 0, 10000, &first);
  E2E_CHECK(first.layout == breakfast && first.at_ms < eleven,
            "the player's first frame (layout %lld at %lld) should be breakfast before 11:00; "
            "startup took too long?", (long long)first.layout, (long long)first.at_ms);
  E2E_CHECK(shop_share_png(live, ORANGE) > 0.9, "breakfast is not on screen");

  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "the manager did not stop cleanly");
  int64_t stopped = e2e_wall_ms();
  e2e_wait_presented_layout(&p, first.version, lunch, LEAD_MS + 3000, &switched);
  E2E_CHECK(switched.t_ms > stopped, "lunch was presented before the manager stopped");
  E2E_CHECK(switched.version == first.version, "a new manifest arrived with the manager stopped");
  E2E_CHECK(switched.at_ms >= eleven && switched.at_ms - eleven <= LATE_MS,
            "lunch was presented for instant %lld, %lld ms from 11:00:00 local",
            (long long)switched.at_ms, (long long)(switched.at_ms - eleven));
  int64_t real = switched.t_ms - first.t_ms, rehearsed = switched.at_ms - first.at_ms;
  E2E_CHECK(real - rehearsed > -50 && real - rehearsed < 50,
            "%lld ms of real time passed for %lld ms of the player's clock", (long long)real,
            (long long)rehearsed);
  E2E_CHECK(shop_share_png(live, BLUE) > 0.9, "lunch is not on screen after 11:00");
  E2E_CHECK(e2e_alive(&p), "the player died without its manager");

  printf("switched %lld ms after 11:00:00 of the player's clock, manager down\n",
         (long long)(switched.at_ms - eleven));
  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
