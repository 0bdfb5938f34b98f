/* A promotion with validity days, on a display in Asia/Tehran: the lunch layout (daily
 * 11:00-16:00) has a "promo" corner; a region entry makes it play the promotion's playlist
 * in the afternoons (13:00-16:00, daily) from valid_from to valid_until only. A whole-screen
 * tasting at a higher priority, valid one day, beats lunch although lunch started later.
 * Checked on the player's snapshots the day before, inside and after the period, and in the
 * preview's region detail. The manager runs in a zone far from the display's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"

#define BLUE 0x2266ddu  /* the lunch menu */
#define GREY 0x777777u  /* the promo corner without a promotion */
#define RED 0xdd2222u   /* the promotion */
#define GREEN 0x22aa44u /* the tasting */
#define GOLD 0x998800u  /* the default layout */
#define MENU_W 240      /* the promo corner is x 240..320 */

static struct e2e_manager mgr;
static char owner[128], pdata[512];

/* What the lunch layout's two regions show at local time h:m of day. */
static void check_lunch(int64_t day, int h, int m, uint32_t promo, const char *what) {
  int64_t at = shop_instant(day, h, m, 0, SHOP_TEHRAN_OFFSET_S);
  char date[11];
  shop_date(day, date);
  SDL_Surface *s = shop_snapshot_at(pdata, at);
  E2E_CHECK(e2e_fraction(s, 0, 0, MENU_W, SHOP_H, BLUE, 30) > 0.9,
            "%s %02d:%02d local: the lunch menu should show", date, h, m);
  E2E_CHECK(e2e_fraction(s, MENU_W, 0, SHOP_W - MENU_W, SHOP_H, promo, 30) > 0.9,
            "%s %02d:%02d local: %s", date, h, m, what);
  SDL_FreeSurface(s);
}

/* The preview's "promo" region at local 14:00 of day: its playlist and the region entry. */
static void check_preview(int64_t display, int64_t day, const char *playlist, int64_t entry) {
  int64_t at = shop_instant(day, 14, 0, 0, SHOP_TEHRAN_OFFSET_S);
  json_t *p = shop_preview(&mgr, owner, display, at, at + 60000);
  json_t *regions = json_object_get(shop_preview_minute(p, 0, at), "regions"), *r;
  size_t i;
  bool found = false;
  json_array_foreach(regions, i, r) {
    const char *name = json_string_value(json_object_get(r, "name"));
    if (!name || strcmp(name, "promo") != 0) continue;
    found = true;
    const char *pl = json_string_value(json_object_get(json_object_get(r, "playlist"), "name"));
    json_t *from = json_object_get(r, "from_entry");
    E2E_CHECK(pl && strcmp(pl, playlist) == 0, "preview: promo plays %s, want %s",
              pl ? pl : "(none)", playlist);
    E2E_CHECK(entry ? json_integer_value(from) == entry : json_is_null(from),
              "preview: promo's from_entry is not %lld", (long long)entry);
  }
  E2E_CHECK(found, "preview: no region \"promo\"");
  json_decref(p);
}

int main(void) {
  char token[128];
  /* The manager's own zone (UTC+14 here, the earliest date on Earth) must not leak into
   * the display's days. */
  setenv("TZ", "Pacific/Kiritimati", 1);
  e2e_path(pdata, sizeof pdata, "player");
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  int64_t menu = shop_playlist(&mgr, owner, "Menu", BLUE);
  int64_t plain = shop_playlist(&mgr, owner, "Plain", GREY);
  int64_t promo = shop_playlist(&mgr, owner, "Promo", RED);
  int64_t lunch = shop_create(
      &mgr, owner, "/api/v1/layouts",
      "{\"name\":\"Lunch\",\"width\":%d,\"height\":%d,\"regions\":["
      "{\"name\":\"menu\",\"x\":0,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld},"
      "{\"name\":\"promo\",\"x\":%d,\"y\":0,\"width\":%d,\"height\":%d,\"playlist_id\":%lld}]}",
      SHOP_W, SHOP_H, MENU_W, SHOP_H, (long long)menu, MENU_W, SHOP_W - MENU_W, SHOP_H,
      (long long)plain);
  int64_t tasting = shop_layout(&mgr, owner, "Tasting", shop_playlist(&mgr, owner, "Wine", GREEN));
  int64_t idle = shop_layout(&mgr, owner, "Idle", shop_playlist(&mgr, owner, "Logo", GOLD));
  int64_t display = shop_display(&mgr, owner, "bistro", idle, "Asia/Tehran", token, sizeof token);

  /* The promotion runs on days `first` and `first + 1`; the day before and after are in the
   * horizon too. */
  int64_t today = shop_today(), first = today + 2;
  char start[20], end[20], from[11], until[11];
  shop_daily(&mgr, owner, "lunch", "display_id", display, lunch, today - 1, 11, 16);
  shop_local(today - 1, 13, 0, 0, start);
  shop_date(first, from);
  shop_date(first + 1, until);
  json_t *e = e2e_apif(&mgr, "POST", "/api/v1/schedules", owner, 201,
                       "{\"name\":\"promotion\",\"display_id\":%lld,\"layout_id\":%lld,"
                       "\"region\":\"promo\",\"playlist_id\":%lld,\"start\":\"%s\","
                       "\"duration\":\"PT3H\",\"rrule\":\"FREQ=DAILY\",\"valid_from\":\"%s\","
                       "\"valid_until\":\"%s\"}",
                       (long long)display, (long long)lunch, (long long)promo, start, from, until);
  int64_t promotion = json_integer_value(json_object_get(e, "id"));
  const char *said_from = json_string_value(json_object_get(e, "valid_from"));
  const char *said_until = json_string_value(json_object_get(e, "valid_until"));
  const char *said_region = json_string_value(json_object_get(e, "region"));
  const char *said_end = json_string_value(json_object_get(e, "end"));
  shop_local(today - 1, 16, 0, 0, end);
  E2E_CHECK(promotion > 0 && said_from && strcmp(said_from, from) == 0 && said_until &&
                strcmp(said_until, until) == 0 && said_region && strcmp(said_region, "promo") == 0 &&
                said_end && strcmp(said_end, end) == 0 &&
                json_integer_value(json_object_get(e, "playlist_id")) == promo,
            "the promotion entry does not read back as written");
  json_decref(e);

  /* The tasting: 10:00-12:30 at priority 1 on the promotion's second day only. Lunch starts
   * later (11:00), so only the priority can put the tasting on screen at 12:00. */
  shop_local(today - 1, 10, 0, 0, start);
  shop_create(&mgr, owner, "/api/v1/schedules",
              "{\"name\":\"tasting\",\"display_id\":%lld,\"layout_id\":%lld,\"start\":\"%s\","
              "\"duration\":\"PT2H30M\",\"rrule\":\"FREQ=DAILY\",\"valid_from\":\"%s\","
              "\"valid_until\":\"%s\",\"priority\":1}",
              (long long)display, (long long)tasting, start, until, until);

  shop_sync(&mgr, pdata, token, 1);
  check_lunch(first - 1, 14, 0, GREY, "the day before the promotion, the corner is plain");
  check_lunch(first, 14, 0, RED, "on the promotion's first day, the corner shows it");
  check_lunch(first, 12, 0, GREY,
              "in the morning of a promotion day the corner is plain (and the tasting, valid "
              "only the next day, is not on screen)");
  check_lunch(first + 1, 15, 59, RED, "on the promotion's last day, the corner shows it");
  check_lunch(first + 2, 14, 0, GREY, "the day after the promotion, the corner is plain");

  E2E_CHECK(shop_share_at(pdata, shop_instant(first + 1, 12, 0, 0, SHOP_TEHRAN_OFFSET_S), GREEN) > 0.9,
            "on its day the tasting (priority 1) should beat lunch at 12:00");
  E2E_CHECK(shop_share_at(pdata, shop_instant(first + 1, 10, 30, 0, SHOP_TEHRAN_OFFSET_S), GREEN) > 0.9,
            "on its day the tasting should show at 10:30");
  E2E_CHECK(shop_share_at(pdata, shop_instant(first + 1, 10, 30, 0, SHOP_TEHRAN_OFFSET_S) -
                                     86400000, GOLD) > 0.9,
            "the day before the tasting, 10:30 should show the default layout");

  check_preview(display, first - 1, "Plain", 0);
  check_preview(display, first, "Promo", promotion);

  e2e_stop(&mgr.proc);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
