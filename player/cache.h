/* The player's content-addressed cache and atomic activation (docs/internals/cache.md).
 * On disk, under the player's data dir:
 *   manifest.json      the active manifest (exactly what the manager served)
 *   manifest.etag      its ETag, for If-None-Match
 *   media/<sha256>     verified media files, immutable
 *   tmp/               downloads in progress (may be resumed, may be discarded)
 *   sources/<kind>-<id>.json  the latest snapshot of each source ("feed/3": feed-3.json)
 * The same layout is what `--manifest FILE` plays: media are read from dirname(FILE)/media/,
 * snapshots from dirname(FILE)/sources/.
 * Thread use: the sync thread writes, the render thread only reads files that were complete
 * before activation, so no lock is needed on the files themselves. */
#ifndef PLAYER_CACHE_H
#define PLAYER_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "fsutil.h"
#include "manifest.h"
#include "vt_err.h"

struct cache;

/* Create the directories if needed and remove stale temp files. fs NULL = real files. */
enum vt_err cache_open(const char *data_dir, const struct vt_fs *fs, struct cache **out,
                       struct vt_error *err) VT_WARN_UNUSED;
/* Open for reading only: creates and removes nothing, so a one-shot snapshot can look at the
 * cache of a live player on the same data dir without disturbing its downloads. Such a cache
 * must not be written (store, activate, prune). */
enum vt_err cache_open_reader(const char *data_dir, struct cache **out,
                              struct vt_error *err) VT_WARN_UNUSED;
void cache_free(struct cache *c); /* NULL is a no-op */

const char *cache_media_dir(const struct cache *c); /* borrowed, lives as long as c */
const char *cache_tmp_dir(const struct cache *c);
const char *cache_sources_dir(const struct cache *c);

/* True if media/<sha256> exists with the expected size (content was verified when stored). */
bool cache_has_media(const struct cache *c, const char *sha256, int64_t size);

/* Move a fully downloaded temp file into media/<sha256> after checking its sha256 and
 * size; fsync before the rename. A mismatch deletes the temp file: VT_ERR_CORRUPT. */
enum vt_err cache_store_media(struct cache *c, const char *tmp_path, const char *sha256,
                              int64_t size, struct vt_error *err) VT_WARN_UNUSED;

/* Make json (already parsed into m) the active manifest, only if every media file m needs
 * is present: VT_ERR_NOT_FOUND naming the first missing one otherwise. Atomic. */
enum vt_err cache_activate(struct cache *c, const struct vt_manifest *m, const char *json,
                           size_t len, const char *etag, struct vt_error *err) VT_WARN_UNUSED;

/* Load the active manifest; VT_ERR_NOT_FOUND when there is none yet. *etag (may be NULL)
 * gets a new string the caller frees, or NULL when the etag of this manifest is not known. */
enum vt_err cache_load_active(const struct cache *c, struct vt_manifest **out, char **etag,
                              struct vt_error *err) VT_WARN_UNUSED;

/* Make json (the snapshot of source key, checked by the caller) the cached one, atomically:
 * sources/<kind>-<id>.json is always the old or the new document, whole. */
enum vt_err cache_store_source(struct cache *c, const char *key, const char *json, size_t len,
                               struct vt_error *err) VT_WARN_UNUSED;

/* Delete media files no longer referenced by the active manifest nor by keep (may be NULL),
 * keeping the newest `keep_bytes` of unreferenced files for quick rollbacks, and the
 * snapshots of sources neither manifest lists. */
void cache_prune(struct cache *c, const struct vt_manifest *active, const struct vt_manifest *keep,
                 int64_t keep_bytes);

#endif
