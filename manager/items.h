/* Playlist items: the API's JSON form, checks, and rows (table playlist_items). The JSON
 * form is the manifest's (docs/manifest.md, docs/live-content.md) plus a stable "id"; the
 * checks are the manifest's rules (shared/manifest.c), so anything the API accepts compiles.
 * Image and text items have a column per member; the live types (ticker, clock, weather,
 * currency, menu) keep theirs as the item's JSON in `options`, written with vt_item_to_json
 * and read back with vt_live_item_from_json, so the store holds exactly what the shared
 * parser accepts, and their source key again in `source` for lookups. */
#ifndef MANAGER_ITEMS_H
#define MANAGER_ITEMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "manifest.h"
#include "store.h"
#include "vt_err.h"

/* The columns items_from_row reads, in order; prefix with the table alias if needed. */
#define ITEMS_COLUMNS                                                                              \
  "id, type, duration_ms, media, fit, text, style_size_px, style_color, style_background, "        \
  "style_align, style_valign, style_weight, style_padding_px, options"

/* Fill it (fresh from vt_playlist_add_item) from columns col.. of the current row. */
enum vt_err items_from_row(struct store_stmt *st, int col, struct vt_item *it,
                           struct vt_error *err) VT_WARN_UNUSED;

/* Apply the JSON object obj (at path, e.g. "items[2]") onto it.
 * full: obj describes the whole item (an element of a playlist's item list; it is fresh
 * from vt_playlist_add_item): "type" and "duration_ms" are required, and an optional "id"
 * (an existing item keeping its identity) lands in it->id, 0 when absent.
 * Otherwise obj edits the item in place: every member is optional, and changing "type"
 * requires the new type's fields. Checks shapes and ranges; whether the media exists is
 * items_check_media's job. */
enum vt_err items_apply_json(const json_t *obj, const char *path, bool full, struct vt_item *it,
                             struct vt_error *err) VT_WARN_UNUSED;

/* The item's references must resolve: an image item's media must be in the store (400
 * invalid naming path.media otherwise); a live item's source must be a feed or menu of the
 * kind its type shows (400 invalid naming path.source: "there is no feed 9", "feed 3 is a
 * weather feed; a ticker shows news"). */
enum vt_err items_check_media(struct store *s, const struct vt_item *it, const char *path,
                              struct vt_error *err) VT_WARN_UNUSED;

/* The item as the API returns it (every field, defaults filled in). NULL: no memory. */
json_t *items_to_json(const struct vt_item *it);

/* Write it as row position of playlist_id: insert when it->id is 0 (it->id receives the
 * new id), else update that row. */
enum vt_err items_save(struct store *s, int64_t playlist_id, int64_t position, struct vt_item *it,
                       struct vt_error *err) VT_WARN_UNUSED;

#endif
