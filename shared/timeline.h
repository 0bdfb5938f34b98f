/* The one timeline function: from a manifest and a UTC instant, what each region shows and
 * until when. Pure and deterministic; the manager's preview and the player both call it, so
 * the dashboard says what the screen shows.
 *
 * Rules (docs/manifest.md, "Timeline"):
 * - The layout is the one of the best-ranked whole-screen window covering t (an override
 *   beats any schedule; then higher priority; then display over group; then the window
 *   that started last; then the earlier one in the manifest: vt_window_outranks). With no
 *   window, the default layout plays from the Unix epoch on. With neither, nothing shows.
 * - A region window (one with a region name) gives that region of its layout another
 *   playlist while the layout is up, ranked the same way among region windows.
 * - A region's playlist loops from the start of its layout's window (the epoch for the
 *   default layout), so the position is derived from wall-clock time: two players on the
 *   same manifest show the same item at the same instant, and a restarted player resumes
 *   where it should be.
 * - A playlist with a single item shows it for the whole window (no change at each loop).
 * - Past the manifest's valid_until, the layout that played at its last instant stays on
 *   (a player cut off for longer than the horizon keeps its content, never goes blank). */
#ifndef VT_TIMELINE_H
#define VT_TIMELINE_H

#include <stdint.h>

#include "vt_limits.h"
#include "manifest.h"

struct vt_region_now {
  const struct vt_region *region;
  const struct vt_playlist *playlist; /* NULL: the region is empty */
  int window_index;                   /* region window giving it this playlist, else -1 */
  const struct vt_item *item;         /* NULL: nothing to show */
  int item_index;                     /* -1 with item == NULL */
  int64_t item_start_ms;              /* when this showing of the item began */
  int64_t item_end_ms;                /* when it ends (VT_TIME_MAX: never) */
};

struct vt_timeline_frame {
  const struct vt_layout *layout; /* NULL: nothing scheduled and no default */
  int window_index;               /* index in m->windows, -1 for the default layout */
  int64_t layout_start_ms;        /* anchor of the playlists' loops */
  int64_t layout_end_ms;          /* VT_TIME_MAX for the default layout */
  size_t n_regions;
  struct vt_region_now regions[VT_LIMIT_REGIONS];
  int64_t next_change_ms; /* earliest instant after t at which this frame may differ */
};

/* Pointers in out borrow from m. */
void vt_timeline_at(const struct vt_manifest *m, int64_t t_ms, struct vt_timeline_frame *out);

#endif
