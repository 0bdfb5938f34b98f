/* The café of the scheduling e2e tests (docs/scheduling.md): solid-colour layouts, so the
 * colour on screen says which one plays; displays in a time zone; local days and times that
 * the tests turn into UTC instants themselves (with offsets they know), not with the code
 * under test; and the player runs they need: sync once, snapshot one instant. */
#ifndef E2E_SHOP_H
#define E2E_SHOP_H

#include <stddef.h>
#include <stdint.h>

#include "harness.h"

/* The canvas of every shop layout, and so of every snapshot. */
#define SHOP_W 320
#define SHOP_H 180

/* A playlist of one text item whose background fills its region with rgb. */
int64_t shop_playlist(const struct e2e_manager *m, const char *token, const char *name,
                      uint32_t rgb);
/* A SHOP_W x SHOP_H layout whose one region, "all", plays playlist. */
int64_t shop_layout(const struct e2e_manager *m, const char *token, const char *name,
                    int64_t playlist);
/* A display with that default layout, in zone (NULL: the default, UTC). Its token goes to
 * display_token. */
int64_t shop_display(const struct e2e_manager *m, const char *token, const char *name,
                     int64_t default_layout, const char *zone, char *display_token, size_t size);
/* POST body, expecting 201; the new resource's id. */
int64_t shop_create(const struct e2e_manager *m, const char *token, const char *path,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A daily entry "name" for target ("display_id" or "group_id") = target_id: layout from
 * from_hour:00 to to_hour:00 local, first on `day`; its id. */
int64_t shop_daily(const struct e2e_manager *m, const char *token, const char *name,
                   const char *target, int64_t target_id, int64_t layout, int64_t day,
                   int from_hour, int to_hour);

/* Days are counted from 1970-01-01. */
int64_t shop_today(void); /* today's UTC date */
void shop_date(int64_t day, char out[11]); /* "YYYY-MM-DD" */
/* "YYYY-MM-DDTHH:MM:SS": a local time as schedule entries take it (no zone). */
void shop_local(int64_t day, int hour, int minute, int second, char out[20]);
/* The UTC instant of a local day and time, in a zone offset_s east of UTC that day. */
int64_t shop_instant(int64_t day, int hour, int minute, int second, int offset_s);
#define SHOP_TEHRAN_OFFSET_S (3 * 3600 + 30 * 60) /* Iran has had no DST since 2022 */
/* America/Los_Angeles at midday of day: -07:00 from the 2nd Sunday of March to the 1st
 * Sunday of November (US rule since 2007), else -08:00. */
int shop_los_angeles_offset_s(int64_t day);
/* "+03:30", "-08:00" */
void shop_offset_text(int offset_s, char out[8]);

/* Run a live player on pdata until it presents a manifest version >= min_version, then
 * stop it; returns that version. */
int64_t shop_sync(const struct e2e_manager *m, const char *pdata, const char *display_token,
                  int64_t min_version);
/* Share of the screen in rgb at instant at_ms, from pdata's cached manifest (--at). */
double shop_share_at(const char *pdata, int64_t at_ms, uint32_t rgb);
/* The snapshot at at_ms (SHOP_W x SHOP_H, checked); caller frees. */
SDL_Surface *shop_snapshot_at(const char *pdata, int64_t at_ms);
/* Share of rgb in a PNG written by a live player. */
double shop_share_png(const char *png, uint32_t rgb);

/* GET /api/v1/displays/{id}/timeline for [from_ms, to_ms), expecting 200 (new reference). */
json_t *shop_preview(const struct e2e_manager *m, const char *token, int64_t display,
                     int64_t from_ms, int64_t to_ms);
/* minutes[i] of a preview, checked to be at at_ms; fails the test if absent. */
json_t *shop_preview_minute(json_t *preview, size_t i, int64_t at_ms);

#endif
