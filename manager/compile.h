/* Rows -> one display's manifest (docs/internals/store.md, "Manifests").
 *
 * The manifest for a display holds its settings, its default layout, the concrete UTC
 * windows of every schedule entry and override that reaches it (directly or through one of
 * its groups) overlapping a range, every layout those name, every playlist their regions
 * and region entries name and every media file their image items name. Entries are written
 * in local time; recur.c turns them into windows in the display's zone. The shared code
 * validates and writes the JSON (vt_manifest_validate, vt_manifest_dump).
 *
 * Versions: the dump with version, generated_at and valid_until zeroed is hashed; when the
 * hash equals the stored one nothing changed, so no new version and no announcement.
 * Otherwise version + 1 is stored with its body and ETag, in the caller's transaction.
 * Each display's last (manifest built -> hash) is remembered, so recompiling to the same
 * content needs no dump at all. */
#ifndef MANAGER_COMPILE_H
#define MANAGER_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "store.h"
#include "vt_err.h"
#include "vt_limits.h"

/* A strong quoted tag: "\"<display>-<version>-<16 hex of content hash>\"". */
#define COMPILE_ETAG_MAX 80

/* compile_display's range starts at the current UTC day's midnight and spans a day more
 * than the horizon: the player always holds at least VT_HORIZON_MS ahead, and the windows
 * (so the content) change once a day, not at every hourly renewal. */
#define COMPILE_DAY_MS (24LL * 3600 * 1000)
#define COMPILE_SPAN_MS (VT_HORIZON_MS + COMPILE_DAY_MS)

/* A manifest version that changed; announced to the hub after the commit. */
struct compile_change {
  int64_t display_id;
  int64_t version;
  char etag[COMPILE_ETAG_MAX];
};

struct compile_changes {
  struct compile_change *v;
  size_t n, cap;
};
void compile_changes_clear(struct compile_changes *c);

/* Work shared by the compiles of one batch over the same range: renew_all's pass, the
 * displays one request recompiles. Each entry's local occurrences are expanded once for
 * every display it reaches, each zone's offsets found once (recur_cache). It holds no rows,
 * only what follows from an entry's content, so it is never stale; it may be kept across
 * batches but grows with every rule it sees (up to a bound). One thread at a time. NULL
 * wherever one is taken: nothing shared (same output). */
struct compile_cache;
struct compile_cache *compile_cache_new(void); /* NULL: out of memory */
void compile_cache_free(struct compile_cache *c);
/* Expansions made and saved by c so far (tests, the bench). */
void compile_cache_counts(const struct compile_cache *c, size_t *expanded, size_t *reused);

/* Forget every remembered (manifest -> hash): the next compile of each display dumps its
 * manifest to hash it (tests compare both ways). */
void compile_forget(void);

/* Build display_id's manifest with the windows overlapping [from_ms, to_ms), each kept
 * whole (a window that began before from_ms keeps its real start: its playlists' loops
 * are anchored there). version, generated and valid_until are left 0. An entry that cannot
 * be expanded, or names a region its layout lacks, is left out with a warning: one bad row
 * must not stop a display from getting manifests. VT_ERR_NOT_FOUND if the display does not
 * exist. *out is the caller's. */
enum vt_err compile_build(struct store *s, struct compile_cache *cache, int64_t display_id,
                          int64_t from_ms, int64_t to_ms, struct vt_manifest **out,
                          struct vt_error *err) VT_WARN_UNUSED;

/* Compile and store display_id's manifest as of now_ms (range and valid_until: see
 * COMPILE_SPAN_MS) inside the caller's write transaction; append to changes when a new
 * version was stored. renew: also store a new version when only the horizon needs to move
 * (the stored valid_until is less than half a horizon away), so a display whose content
 * never changes still gets a manifest valid for days ahead. A display that no longer
 * exists is skipped. */
enum vt_err compile_display(struct store *s, struct compile_cache *cache, int64_t display_id,
                            int64_t now_ms, bool renew, struct compile_changes *changes,
                            struct vt_error *err) VT_WARN_UNUSED;

#endif
