/* Dayparts in two time zones, from a manager running in UTC: one group holds a display in
 * Asia/Tehran (UTC+03:30, a half-hour offset) and one in America/Los_Angeles; breakfast
 * 06:00-11:00 and lunch 11:00-16:00 local, daily, for the group. Each screen switches at its
 * own local 11:00 (snapshots at 10:59:59 and 11:00:00 local, converted to UTC here with the
 * offsets the test knows), and the preview of each display says the same, minute by minute,
 * with local times in the display's offset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"
#include "timeutil.h"

#define ORANGE 0xdd8800u /* breakfast */
#define BLUE 0x2266ddu   /* lunch */
#define GREY 0x444444u   /* the default layout: nothing scheduled */

static struct e2e_manager mgr;
static char owner[128];

struct screen {
  const char *name, *zone;
  int64_t id;
  char token[128], data[512];
  int offset_s; /* on the day tested */
};

static const char *str(json_t *o, const char *key) {
  const char *s = json_string_value(json_object_get(o, key));
  return s ? s : "(none)";
}

/* One minute of the preview: the layout named `layout`, from the group's schedule entry
 * `entry`, and its local time written as local + offset. */
static void check_minute(json_t *minute, const char *layout, int64_t entry, const char *local,
                         const struct screen *d) {
  json_t *lay = json_object_get(minute, "layout"), *src = json_object_get(minute, "source");
  E2E_CHECK(strcmp(str(lay, "name"), layout) == 0, "%s preview at %s: layout %s, want %s",
            d->name, str(minute, "at"), str(lay, "name"), layout);
  E2E_CHECK(strcmp(str(src, "kind"), "schedule") == 0 && strcmp(str(src, "target"), "group") == 0 &&
                json_integer_value(json_object_get(src, "id")) == entry,
            "%s preview at %s: source is not group entry %lld", d->name, str(minute, "at"),
            (long long)entry);
  char want[40], offset[8];
  shop_offset_text(d->offset_s, offset);
  snprintf(want, sizeof want, "%s%s", local, offset);
  E2E_CHECK(strcmp(str(minute, "local"), want) == 0, "%s preview at %s: local %s, want %s",
            d->name, str(minute, "at"), str(minute, "local"), want);
}

int main(void) {
  setenv("TZ", "UTC", 1); /* the manager's own zone must not matter */
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  int64_t breakfast = shop_layout(&mgr, owner, "Breakfast", shop_playlist(&mgr, owner, "eggs", ORANGE));
  int64_t lunch = shop_layout(&mgr, owner, "Lunch", shop_playlist(&mgr, owner, "soup", BLUE));
  int64_t idle = shop_layout(&mgr, owner, "Idle", shop_playlist(&mgr, owner, "logo", GREY));

  /* The day tested: two days ahead, so both zones' 06:00-16:00 lie inside the horizon
   * (start of today UTC + 8 days) whatever the hour the test runs. */
  int64_t today = shop_today(), day = today + 2;
  struct screen screens[] = {{"tehran", "Asia/Tehran", 0, "", "", SHOP_TEHRAN_OFFSET_S},
                             {"la", "America/Los_Angeles", 0, "", "", shop_los_angeles_offset_s(day)}};
  for (size_t i = 0; i < 2; i++) {
    struct screen *d = &screens[i];
    d->id = shop_display(&mgr, owner, d->name, idle, d->zone, d->token, sizeof d->token);
    e2e_path(d->data, sizeof d->data, d->name);
  }
  json_t *g = e2e_apif(&mgr, "POST", "/api/v1/groups", owner, 201,
                       "{\"name\":\"cafes\",\"display_ids\":[%lld,%lld]}",
                       (long long)screens[1].id, (long long)screens[0].id);
  int64_t group = json_integer_value(json_object_get(g, "id"));
  json_t *members = json_object_get(g, "display_ids");
  int64_t lo = screens[0].id < screens[1].id ? screens[0].id : screens[1].id;
  E2E_CHECK(group > 0 && json_array_size(members) == 2 &&
                json_integer_value(json_array_get(members, 0)) == lo,
            "the group should list its two displays, sorted");
  json_decref(g);

  /* Daily from yesterday: the rule, not a one-off window, has to put them on `day`. */
  int64_t e_breakfast =
      shop_daily(&mgr, owner, "breakfast", "group_id", group, breakfast, today - 1, 6, 11);
  int64_t e_lunch = shop_daily(&mgr, owner, "lunch", "group_id", group, lunch, today - 1, 11, 16);

  char date[11], before_local[20], at_local[20];
  shop_date(day, date);
  shop_local(day, 10, 59, 0, before_local);
  shop_local(day, 11, 0, 0, at_local);
  for (size_t i = 0; i < 2; i++) {
    struct screen *d = &screens[i];
    shop_sync(&mgr, d->data, d->token, 1);
    int64_t eleven = shop_instant(day, 11, 0, 0, d->offset_s);
    E2E_CHECK(shop_share_at(d->data, eleven - 1000, ORANGE) > 0.9,
              "%s at %s 10:59:59 local: breakfast should show", d->name, date);
    E2E_CHECK(shop_share_at(d->data, eleven, BLUE) > 0.9,
              "%s at %s 11:00:00 local: lunch should show", d->name, date);
    E2E_CHECK(shop_share_at(d->data, shop_instant(day, 5, 59, 59, d->offset_s), GREY) > 0.9,
              "%s at %s 05:59:59 local: the default layout should show", d->name, date);

    json_t *p = shop_preview(&mgr, owner, d->id, eleven - 60000, eleven + 60000);
    E2E_CHECK(strcmp(str(p, "timezone"), d->zone) == 0, "%s preview: timezone %s", d->name,
              str(p, "timezone"));
    E2E_CHECK(json_array_size(json_object_get(p, "minutes")) == 2, "%s preview: want 2 minutes",
              d->name);
    check_minute(shop_preview_minute(p, 0, eleven - 60000), "Breakfast", e_breakfast, before_local, d);
    check_minute(shop_preview_minute(p, 1, eleven), "Lunch", e_lunch, at_local, d);
    json_decref(p);
  }

  e2e_stop(&mgr.proc);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
