/* Which displays a change can reach, so a write recompiles exactly those manifests and not
 * the whole network: media -> the playlists using it -> the layouts whose regions show
 * those -> the displays with such a default layout, or reached by a schedule entry or an
 * override naming such a layout (or, for a region entry, such a playlist). An entry or
 * override reaches its display, or every member of its group. Run inside the write's
 * transaction, after the change (a deleted resource reaches nobody, and the API refuses to
 * delete what is in use) or, for a target that is about to change, also before it. Ids are
 * added to out. */
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
/* The displays in group_id now. */
enum vt_err affected_by_group(struct store *s, int64_t group_id, struct idset *out,
                              struct vt_error *err) VT_WARN_UNUSED;
/* The displays a target reaches: display_id itself (when not 0), else group_id's members. */
enum vt_err affected_by_target(struct store *s, int64_t display_id, int64_t group_id,
                               struct idset *out, struct vt_error *err) VT_WARN_UNUSED;

#endif
