#include "timeline.h"

#include <string.h>

#include "timeutil.h"

/* The best-ranked window covering t among those that take the whole screen (region NULL)
 * or, with region set, those that give that region of layout_id another playlist.
 * -1 when none covers t. */
static int best_window(const struct vt_manifest *m, int64_t t, int64_t layout_id,
                       const char *region) {
  int best = -1;
  for (size_t i = 0; i < m->n_windows; i++) {
    const struct vt_window *w = &m->windows[i];
    if (t < w->start_ms || t >= w->end_ms) continue;
    if (region ? !w->region || w->layout_id != layout_id || strcmp(w->region, region) != 0
               : w->region != NULL)
      continue;
    if (best < 0 || vt_window_outranks(w, i, &m->windows[best], (size_t)best)) best = (int)i;
  }
  return best;
}

/* Earliest window boundary after t: any start or end may change which window owns the
 * screen (a conservative answer only costs one extra evaluation). */
static int64_t next_boundary(const struct vt_manifest *m, int64_t t) {
  int64_t next = VT_TIME_MAX;
  for (size_t i = 0; i < m->n_windows; i++) {
    const struct vt_window *w = &m->windows[i];
    if (w->start_ms > t && w->start_ms < next) next = w->start_ms;
    if (w->end_ms > t && w->end_ms < next) next = w->end_ms;
  }
  return next;
}

static void place_in_loop(const struct vt_playlist *p, int64_t anchor, int64_t end, int64_t t,
                          struct vt_region_now *rn) {
  rn->item = NULL;
  rn->item_index = -1;
  rn->item_start_ms = anchor;
  rn->item_end_ms = end;
  if (!p || p->n_items == 0 || p->cycle_ms <= 0) return;
  if (p->n_items == 1) {
    /* One item never changes while its layout is up. */
    rn->item = &p->items[0];
    rn->item_index = 0;
    return;
  }
  int64_t loop_start = anchor + vt_floor_div(t - anchor, p->cycle_ms) * p->cycle_ms;
  int64_t offset = t - loop_start;
  int64_t acc = 0;
  for (size_t k = 0; k < p->n_items; k++) {
    int64_t d = p->items[k].duration_ms;
    if (offset < acc + d) {
      rn->item = &p->items[k];
      rn->item_index = (int)k;
      rn->item_start_ms = loop_start + acc;
      rn->item_end_ms = loop_start + acc + d;
      if (rn->item_end_ms > end) rn->item_end_ms = end;
      return;
    }
    acc += d;
  }
}

void vt_timeline_at(const struct vt_manifest *m, int64_t t, struct vt_timeline_frame *out) {
  memset(out, 0, sizeof *out);
  out->window_index = -1;
  out->next_change_ms = VT_TIME_MAX;
  if (!m) return;
  /* Past the horizon the schedule is unknown: keep what played at its last instant rather
   * than go blank (a player offline for more than a week). */
  bool past_horizon = m->valid_until_ms != 0 && t >= m->valid_until_ms;
  int64_t t_pick = past_horizon ? m->valid_until_ms - 1 : t;
  int w = best_window(m, t_pick, 0, NULL);
  if (w >= 0) {
    out->window_index = w;
    out->layout = vt_manifest_layout(m, m->windows[w].layout_id);
    out->layout_start_ms = m->windows[w].start_ms;
    out->layout_end_ms = past_horizon ? VT_TIME_MAX : m->windows[w].end_ms;
  } else if (m->default_layout_id) {
    out->layout = vt_manifest_layout(m, m->default_layout_id);
    out->layout_start_ms = 0; /* the epoch: every player on the same loop is in step */
    out->layout_end_ms = VT_TIME_MAX;
  }
  out->next_change_ms = past_horizon ? VT_TIME_MAX : next_boundary(m, t);
  /* The horizon itself is a change: a window running past it is kept on from there. */
  if (!past_horizon && m->valid_until_ms != 0 && m->valid_until_ms < out->next_change_ms)
    out->next_change_ms = m->valid_until_ms;
  if (!out->layout) return;
  out->n_regions = out->layout->n_regions;
  if (out->n_regions > VT_LIMIT_REGIONS) out->n_regions = VT_LIMIT_REGIONS;
  for (size_t r = 0; r < out->n_regions; r++) {
    struct vt_region_now *rn = &out->regions[r];
    rn->region = &out->layout->regions[r];
    int64_t playlist_id = rn->region->playlist_id;
    int64_t anchor = out->layout_start_ms, end = out->layout_end_ms;
    rn->window_index = best_window(m, t_pick, out->layout->id, rn->region->name);
    if (rn->window_index >= 0) {
      /* the region's own loop restarts when another playlist takes it over */
      const struct vt_window *rw = &m->windows[rn->window_index];
      playlist_id = rw->playlist_id;
      if (rw->start_ms > anchor) anchor = rw->start_ms;
      if (!past_horizon && rw->end_ms < end) end = rw->end_ms;
    }
    rn->playlist = playlist_id ? vt_manifest_playlist(m, playlist_id) : NULL;
    place_in_loop(rn->playlist, anchor, end, t, rn);
    if (rn->item && rn->item_end_ms > t && rn->item_end_ms < out->next_change_ms)
      out->next_change_ms = rn->item_end_ms;
  }
}
