/* Which displays a change can reach, so a write recompiles exactly those manifests and not
 * the whole network: media -> the playlists using it -> the layouts whose regions show
 * those -> the displays with such a default layout or a schedule entry on it. Run inside
 * the write's transaction, after the change (a deleted resource reaches nobody, and the
 * API refuses to delete what is in use). Ids are added to out. */
#ifndef MANAGER_AFFECTED_H
#define MANAGER_AFFECTED_H

#include <stdint.h>

#include "idset.h"
#include "store.h"
#include "vt_err.h"

enum vt_err affected_by_media(struct store *s, const char *sha256, struct idset *out,
                              struct vt_error *err) VT_WARN_UNUSED;
enum vt_err affected_by_playlist(struct store *s, int64_t playlist_id, struct idset *out,
                                 struct vt_error *err) VT_WARN_UNUSED;
enum vt_err affected_by_layout(struct store *s, int64_t layout_id, struct idset *out,
                               struct vt_error *err) VT_WARN_UNUSED;

#endif
