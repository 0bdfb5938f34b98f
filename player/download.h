/* Blocking HTTP fetches from the manager for the sync thread (docs/internals/sync.md):
 * the manifest and source snapshots (with If-None-Match) and media files (with Range
 * resume and sha256 check).
 * One struct download holds one reusable curl easy handle, so consecutive fetches reuse the
 * manager connection. Not thread-safe: one download per thread. Every transfer gives up
 * after stall_ms without progress and aborts within about a second once *stop is set. */
#ifndef PLAYER_DOWNLOAD_H
#define PLAYER_DOWNLOAD_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "vt_err.h"

/* A media file gets this many tries per download_media call: a truncated body is resumed
 * and a corrupt one fetched again from scratch, but a server that keeps sending bad bytes
 * must not hold the sync thread forever; the caller backs off after that. */
#define DOWNLOAD_ATTEMPTS 3
/* An ETag is a short quoted token; a longer header is not one of ours and is ignored. */
#define DOWNLOAD_ETAG_MAX 256

struct download_opts {
  const char *manager_url; /* "http://host:port", a trailing slash is tolerated */
  const char *token;       /* display token, sent as "Authorization: Bearer <token>" */
  const atomic_bool *stop; /* may be NULL; once true, transfers abort: VT_ERR_UNAVAILABLE */
  int64_t stall_ms;        /* no progress for this long fails a transfer; 0 = VT_FETCH_STALL_MS */
};

struct download;

/* opts is copied (strings too). */
enum vt_err download_new(const struct download_opts *opts, struct download **out,
                         struct vt_error *err) VT_WARN_UNUSED;
void download_free(struct download *d); /* NULL is a no-op */

/* Prepare h (any curl easy handle) to GET {manager}{path} with the token: URL, headers,
 * no signals, connect timeout. *headers gets a new list the caller frees with
 * curl_slist_free_all after the transfer; extra (may be NULL) is one more header line.
 * Used for the fetches here and for the event stream in sync.c. */
enum vt_err download_prepare_handle(const struct download *d, CURL *h, const char *path,
                                    const char *extra, struct curl_slist **headers,
                                    struct vt_error *err) VT_WARN_UNUSED;

/* GET /api/v1/player/manifest, with If-None-Match: if_none_match unless it is NULL.
 * 200: *body (NUL-terminated, caller frees) and *len, *etag = the response ETag (new string
 * or NULL if the server sent none). 304: VT_OK with *body and *etag NULL. A body over
 * VT_LIMIT_MANIFEST_BYTES is VT_ERR_TOO_LARGE; 401/403 are VT_ERR_UNAUTHORIZED/FORBIDDEN;
 * anything else that is not a manifest is VT_ERR_UNAVAILABLE. */
enum vt_err download_manifest(struct download *d, const char *if_none_match, char **body,
                              size_t *len, char **etag, struct vt_error *err) VT_WARN_UNUSED;

/* GET /api/v1/player/sources/<key> (key as vt_source_key_parse takes it, else
 * VT_ERR_INVALID), with If-None-Match like download_manifest, and the same results; a body
 * over VT_LIMIT_SNAPSHOT_BYTES is VT_ERR_TOO_LARGE, a 404 (a key the display's manifest no
 * longer lists, or a feed not fetched yet) VT_ERR_NOT_FOUND. The body is not checked here. */
enum vt_err download_source(struct download *d, const char *key, const char *if_none_match,
                            char **body, size_t *len, char **etag,
                            struct vt_error *err) VT_WARN_UNUSED;

/* Make media/<sha256> present in c: nothing to do if it already is; otherwise GET
 * /media/<sha256> into tmp/<sha256>.part, resuming a partial file with Range, and hand it
 * to cache_store_media. sha256 must be 64 lower-case hex (VT_ERR_INVALID otherwise: it is
 * never used in a path before that). A corrupt body (wrong size or hash) is deleted and
 * fetched again, up to DOWNLOAD_ATTEMPTS tries: VT_ERR_CORRUPT when they are used up. */
enum vt_err download_media(struct download *d, struct cache *c, const char *sha256, int64_t size,
                           struct vt_error *err) VT_WARN_UNUSED;

#endif
