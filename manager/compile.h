/* Rows -> one display's manifest (docs/internals/store.md, "Manifests").
 *
 * The manifest for a display holds its settings, its default layout, one window per
 * schedule entry overlapping [now, now + VT_HORIZON_MS), every layout those name, every
 * playlist their regions name and every media file their image items name. The shared
 * code validates and writes the JSON (vt_manifest_validate, vt_manifest_dump).
 *
 * Versions: the dump with version, generated_at and valid_until zeroed is hashed; when the
 * hash equals the stored one nothing changed, so no new version and no announcement.
 * Otherwise version + 1 is stored with its body and ETag, in the caller's transaction. */
#ifndef MANAGER_COMPILE_H
#define MANAGER_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "store.h"
#include "vt_err.h"

/* A strong quoted tag: "\"<display>-<version>-<16 hex of content hash>\"". */
#define COMPILE_ETAG_MAX 80

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

/* Build display_id's manifest as of now_ms (version, generated and valid_until left 0).
 * VT_ERR_NOT_FOUND if the display does not exist. *out is the caller's. */
enum vt_err compile_build(struct store *s, int64_t display_id, int64_t now_ms,
                          struct vt_manifest **out, struct vt_error *err) VT_WARN_UNUSED;

/* Compile and store display_id's manifest inside the caller's write transaction; append
 * to changes when a new version was stored. renew: also store a new version when only the
 * horizon needs to move (the stored valid_until is less than half a horizon away), so
 * a display whose content never changes still gets a manifest valid for days ahead.
 * A display that no longer exists is skipped. */
enum vt_err compile_display(struct store *s, int64_t display_id, int64_t now_ms, bool renew,
                            struct compile_changes *changes, struct vt_error *err) VT_WARN_UNUSED;

#endif
