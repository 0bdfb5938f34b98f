/* Sources (docs/live-content.md): a key ("feed/3", "menu/5") -> its current snapshot
 * document; the versions that change it; which displays are told. Menus' snapshots are
 * built from their rows (menus.version is bumped by every menu write); feeds' are stored as
 * fetched (feeds.snapshot). Snapshot changes never touch a manifest: they are announced as
 * `event: source` to the displays whose stored manifest lists the key (display_sources,
 * written by compile.c). */
#ifndef MANAGER_SOURCES_H
#define MANAGER_SOURCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "idset.h"
#include "manifest.h"
#include "store.h"
#include "vt_err.h"
#include "vt_limits.h"

struct hub;

/* "menu/<id>" / "feed/<id>". */
void sources_key(char out[VT_SOURCE_KEY_MAX], bool menu, int64_t id);

/* The stored source key names: *kind. VT_ERR_NOT_FOUND when there is no such feed or menu
 * (or the key is malformed). */
enum vt_err sources_kind(struct store *s, const char *key, enum vt_source_kind *kind,
                         struct vt_error *err) VT_WARN_UNUSED;

/* key's current snapshot document (a new reference; doc NULL: the version alone, which is
 * all a revalidation needs) and its version. VT_ERR_NOT_FOUND when the source does not
 * exist, or is a feed with no good fetch yet. */
enum vt_err sources_snapshot(struct store *s, const char *key, json_t **doc, int64_t *version,
                             struct vt_error *err) VT_WARN_UNUSED;

/* The displays whose stored manifest lists key, added to out. */
enum vt_err sources_displays(struct store *s, const char *key, struct idset *out,
                             struct vt_error *err) VT_WARN_UNUSED;

/* Replace display_id's listed keys with m's sources (compile.c, when it stores m). */
enum vt_err sources_set_display(struct store *s, int64_t display_id, const struct vt_manifest *m,
                                struct vt_error *err) VT_WARN_UNUSED;

/* A menu's rows changed (inside the write's transaction): bump its version and updated_at;
 * *version gets the new one. VT_ERR_NOT_FOUND if there is no such menu. */
enum vt_err sources_menu_touched(struct store *s, int64_t menu_id, int64_t now_ms,
                                 int64_t *version, struct vt_error *err) VT_WARN_UNUSED;

/* VT_ERR_CONFLICT ("feed 3 is shown by playlist 5") while a playlist item shows key: what
 * deleting a feed or a menu must check first. */
enum vt_err sources_check_unused(struct store *s, const char *key,
                                 struct vt_error *err) VT_WARN_UNUSED;

/* ---- for the fetcher: each runs its own write transaction on s (call it outside one),
 * then announces what changed. ---- */

/* The addresses a fetch was made from (forecast_url NULL when none). A result whose feed has
 * since been given other addresses, or deleted, is not stored: VT_ERR_CONFLICT, nothing
 * written (the new addresses are fetched on their own). */
struct sources_fetched {
  const char *url, *forecast_url;
};

/* A good fetch of feed_id: data (the snapshot's "data" member, checked against the feed's
 * kind with shared/source.c) becomes the snapshot; the version is bumped and announced only
 * when data differs from the stored one. data NULL: the source answered "not modified".
 * etag / last_modified (may be NULL) are kept for the next conditional fetch. Failures are
 * reset and the next fetch is due refresh_s from now. A data that fails the check is
 * recorded as the feed's error (the last good snapshot stays) and returned as
 * VT_ERR_INVALID. */
enum vt_err sources_store_feed_snapshot(struct store *s, struct hub *hub, int64_t feed_id,
                                        const struct sources_fetched *from, const json_t *data,
                                        const char *etag, const char *last_modified,
                                        int64_t now_ms, struct vt_error *err) VT_WARN_UNUSED;

/* A failed fetch or parse of feed_id: message (one line, cut to VT_LIMIT_FEED_ERROR_BYTES)
 * is kept where the owner sees it, failures counted, the next fetch backed off (refresh_s
 * doubled per failure, at most VT_FEED_BACKOFF_MAX_S). The snapshot stays: nothing is
 * announced. */
enum vt_err sources_store_feed_error(struct store *s, int64_t feed_id,
                                     const struct sources_fetched *from, const char *message,
                                     int64_t now_ms, struct vt_error *err) VT_WARN_UNUSED;

/* The feeds due at now_ms (next_fetch_at <= now_ms), soonest first, at most max. */
enum vt_err sources_due_feeds(struct store *s, int64_t now_ms, size_t max, struct idset *out,
                              struct vt_error *err) VT_WARN_UNUSED;

#endif
