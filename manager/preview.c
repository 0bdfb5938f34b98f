#include "preview.h"

#include <stdio.h>
#include <stdlib.h>

#include "compile.h"
#include "fields.h"
#include "json.h"
#include "timeutil.h"

enum vt_err preview_range(const char *from, const char *to, int64_t now_ms, int64_t *from_ms,
                          int64_t *to_ms, struct vt_error *err) {
  if (!from)
    *from_ms = vt_floor_div(now_ms, PREVIEW_STEP_MS) * PREVIEW_STEP_MS;
  else if (!vt_time_parse(from, from_ms))
    return vt_error_set(err, VT_ERR_INVALID, "from",
                        "must be an RFC 3339 instant such as 2026-12-01T06:00:00Z");
  if (!to)
    *to_ms = *from_ms + PREVIEW_DEFAULT_MS;
  else if (!vt_time_parse(to, to_ms))
    return vt_error_set(err, VT_ERR_INVALID, "to",
                        "must be an RFC 3339 instant such as 2026-12-02T06:00:00Z");
  if (*to_ms <= *from_ms) return vt_error_set(err, VT_ERR_INVALID, "to", "must be after 'from'");
  if (*to_ms - *from_ms > PREVIEW_MAX_MS)
    return vt_error_set(err, VT_ERR_INVALID, "to", "a preview covers at most %lld days",
                        (long long)(PREVIEW_MAX_MS / (24LL * 3600 * 1000)));
  return VT_OK;
}

enum vt_err preview_open(struct store *s, int64_t display_id, int64_t from_ms, int64_t to_ms,
                         struct preview *out, struct vt_error *err) {
  out->from_ms = from_ms;
  out->to_ms = to_ms;
  /* built like a published manifest, but valid_until stays 0: the horizon rule (keep the
   * last layout on past valid_until) would otherwise hide the range's own windows */
  return compile_build(s, NULL, display_id, from_ms, to_ms, &out->m, err);
}

void preview_close(struct preview *p) {
  vt_manifest_free(p->m);
  p->m = NULL;
}

enum vt_err preview_each(const struct preview *p, preview_fn fn, void *ctx,
                         struct vt_error *err) {
  struct vt_timeline_frame frame;
  struct preview_minute minute = {.frame = &frame};
  for (int64_t at = p->from_ms; at < p->to_ms; at += PREVIEW_STEP_MS) {
    enum vt_err rc =
        recur_utc_to_local(p->m->timezone, at, &minute.local, &minute.offset_s, err);
    if (rc != VT_OK) return rc;
    minute.at_ms = at;
    vt_timeline_at(p->m, at, &frame);
    if (!fn(ctx, &minute)) break;
  }
  return VT_OK;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *ref_json(int64_t id, const char *name) {
  return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name);
}

static json_t *source_json(const struct vt_manifest *m, const struct vt_timeline_frame *f) {
  if (!f->layout) return json_null();
  if (f->window_index < 0) return json_pack("{s:s}", "kind", "default");
  const struct vt_window *w = &m->windows[f->window_index];
  return json_pack("{s:s, s:o, s:s}", "kind", vt_choice_name(vt_window_kind_choices, w->kind),
                   "id", fields_id_or_null(w->source_id), "target",
                   vt_choice_name(vt_window_target_choices, w->target));
}

static json_t *region_json(const struct vt_manifest *m, const struct vt_region_now *rn) {
  json_t *item = json_null();
  if (rn->item)
    item = json_pack("{s:I, s:i, s:s}", "id", (json_int_t)rn->item->id, "index", rn->item_index,
                     "type", vt_choice_name(vt_item_type_choices, rn->item->type));
  return json_pack("{s:s, s:o, s:o, s:o}", "name", rn->region->name, "playlist",
                   rn->playlist ? ref_json(rn->playlist->id, rn->playlist->name) : json_null(),
                   "from_entry",
                   rn->window_index >= 0 ? fields_id_or_null(m->windows[rn->window_index].source_id)
                                         : json_null(),
                   "item", item);
}

/* "2026-12-01T11:00:00+03:30" */
static void local_string(const struct preview_minute *pm, char out[48]) {
  char iso[RECUR_ISO_LEN];
  int off = pm->offset_s < 0 ? -pm->offset_s : pm->offset_s;
  recur_local_iso(&pm->local, iso);
  snprintf(out, 48, "%s%c%02d:%02d", iso, pm->offset_s < 0 ? '-' : '+', off / 3600,
           off / 60 % 60);
}

struct json_ctx {
  const struct vt_manifest *m;
  json_t *minutes;
  bool ok;
};

static bool add_minute(void *ctx, const struct preview_minute *pm) {
  struct json_ctx *c = ctx;
  const struct vt_timeline_frame *f = pm->frame;
  char local[48];
  local_string(pm, local);
  json_t *regions = json_array();
  for (size_t r = 0; regions && r < f->n_regions; r++)
    if (json_array_append_new(regions, region_json(c->m, &f->regions[r])) != 0) {
      json_decref(regions);
      regions = NULL;
    }
  json_t *o = json_pack("{s:o, s:s, s:o, s:o, s:o}", "at", vt_json_time_new(pm->at_ms), "local",
                        local, "layout",
                        f->layout ? ref_json(f->layout->id, f->layout->name) : json_null(),
                        "source", source_json(c->m, f), "regions", regions);
  c->ok = o && json_array_append_new(c->minutes, o) == 0;
  return c->ok;
}

enum vt_err preview_json(const struct preview *p, json_t **out, struct vt_error *err) {
  *out = NULL;
  struct json_ctx c = {p->m, json_array(), true};
  if (!c.minutes) return vt_error_no_memory(err);
  enum vt_err rc = preview_each(p, add_minute, &c, err);
  if (rc == VT_OK && !c.ok) rc = vt_error_no_memory(err);
  if (rc != VT_OK) {
    json_decref(c.minutes);
    return rc;
  }
  *out = json_pack("{s:I, s:s, s:o, s:o, s:o}", "display_id", (json_int_t)p->m->display_id,
                   "timezone", p->m->timezone, "from", vt_json_time_new(p->from_ms), "to",
                   vt_json_time_new(p->to_ms), "minutes", c.minutes);
  return *out ? VT_OK : vt_error_no_memory(err);
}
