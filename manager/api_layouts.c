/* /api/v1/layouts: a canvas and its regions, each region optionally showing a playlist.
 * Like playlists, a body becomes a struct vt_layout (a new one, or the stored one with the
 * body applied), is checked whole, then written. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "json.h"
#include "vt_limits.h"
#include "reply.h"
#include "rows.h"
#include "store.h"

/* A new layout's canvas colour when the body names none: opaque black, as in manifests. */
#define LAYOUT_DEFAULT_BACKGROUND 0x000000ffu

static json_t *region_json(const struct vt_region *r) {
  return json_pack("{s:s, s:i, s:i, s:i, s:i, s:o, s:o}", "name", r->name, "x", r->x, "y", r->y,
                   "width", r->width, "height", r->height, "background",
                   vt_json_color_new(r->background), "playlist_id", fields_id_or_null(r->playlist_id));
}

static json_t *layout_json(const struct vt_manifest *m, size_t index,
                           const struct rows_stamp *stamp) {
  const struct vt_layout *l = &m->layouts[index];
  json_t *regions = json_array();
  for (size_t i = 0; regions && i < l->n_regions; i++)
    if (json_array_append_new(regions, region_json(&l->regions[i])) != 0) {
      json_decref(regions);
      regions = NULL;
    }
  return json_pack("{s:I, s:s, s:i, s:i, s:o, s:o, s:o, s:o}", "id", (json_int_t)l->id, "name",
                   l->name, "width", l->width, "height", l->height, "background",
                   vt_json_color_new(l->background), "regions", regions, "created_at",
                   vt_json_time_new(stamp->created_ms), "updated_at", vt_json_time_new(stamp->updated_ms));
}

static enum vt_err reply_layout(struct request *rq, int64_t id, unsigned status,
                                struct vt_error *err) {
  return reply_loaded(rq, status, id, rows_layout, layout_json, err);
}

/* ---- reading a body ------------------------------------------------------------------ */

static enum vt_err parse_region(struct request *rq, const json_t *o, const char *path,
                                struct vt_region *r, struct vt_error *err) {
  static const char *const keys[] = {"name",   "x",          "y",           "width",
                                     "height", "background", "playlist_id", NULL};
  const char *name = NULL;
  int64_t x = 0, y = 0, w = 0, h = 0;
  bool has_playlist;
  char field[VT_JSON_PATH_MAX];
  enum vt_err rc;
  if ((rc = vt_json_expect_object(o, path, err)) || (rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = fields_name(o, path, "name", true, &name, err)) ||
      (rc = vt_json_int(o, path, "x", false, 0, VT_LIMIT_CANVAS_PX, &x, err)) ||
      (rc = vt_json_int(o, path, "y", false, 0, VT_LIMIT_CANVAS_PX, &y, err)) ||
      (rc = vt_json_int(o, path, "width", true, 1, VT_LIMIT_CANVAS_PX, &w, err)) ||
      (rc = vt_json_int(o, path, "height", true, 1, VT_LIMIT_CANVAS_PX, &h, err)) ||
      (rc = vt_json_color(o, path, "background", false, &r->background, err)) ||
      (rc = fields_nullable_id(o, path, "playlist_id", &has_playlist, &r->playlist_id, err)))
    return rc;
  vt_json_path_key(field, path, "playlist_id");
  if (r->playlist_id && (rc = rows_require_ref(rq->store, "SELECT 1 FROM playlists WHERE id = ?1",
                                               r->playlist_id, "playlist", field, err)))
    return rc;
  if (!(r->name = strdup(name))) return vt_error_no_memory(err);
  r->x = (int)x;
  r->y = (int)y;
  r->width = (int)w;
  r->height = (int)h;
  return VT_OK;
}

/* Replace l's regions by the body's. */
static enum vt_err parse_regions(struct request *rq, const json_t *arr, struct vt_layout *l,
                                 struct vt_error *err) {
  for (size_t i = 0; i < l->n_regions; i++) free(l->regions[i].name);
  free(l->regions);
  l->regions = NULL;
  l->n_regions = 0;
  size_t i;
  json_t *elem;
  json_array_foreach(arr, i, elem) {
    char path[VT_JSON_PATH_MAX];
    vt_json_path_index(path, "regions", i);
    struct vt_region *r = vt_layout_add_region(l);
    if (!r) return vt_error_no_memory(err);
    enum vt_err rc = parse_region(rq, elem, path, r, err);
    if (rc != VT_OK) return rc;
  }
  return VT_OK;
}

/* Every region inside the canvas, names unique. Run after any change to either. */
static enum vt_err check_regions(const struct vt_layout *l, struct vt_error *err) {
  for (size_t i = 0; i < l->n_regions; i++) {
    const struct vt_region *r = &l->regions[i];
    char path[VT_JSON_PATH_MAX], field[VT_JSON_PATH_MAX];
    vt_json_path_index(path, "regions", i);
    for (size_t k = 0; k < i; k++)
      if (strcmp(l->regions[k].name, r->name) == 0) {
        vt_json_path_key(field, path, "name");
        return vt_error_set(err, VT_ERR_INVALID, field, "region name '%s' is used twice", r->name);
      }
    bool too_wide = r->x + r->width > l->width, too_high = r->y + r->height > l->height;
    if (too_wide || too_high) {
      vt_json_path_key(field, path, too_wide ? "width" : "height");
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "region %dx%d at (%d,%d) must lie inside the %dx%d canvas", r->width,
                          r->height, r->x, r->y, l->width, l->height);
    }
  }
  return VT_OK;
}

/* Apply the body to l (fresh or stored). create: name, width and height are required. */
static enum vt_err apply_body(struct request *rq, bool create, struct vt_layout *l,
                              bool *regions_given, struct vt_error *err) {
  static const char *const keys[] = {"name", "width", "height", "background", "regions", NULL};
  const char *name = NULL;
  int64_t w = l->width, h = l->height;
  json_t *regions = NULL;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", create, &name, err)) ||
      (rc = vt_json_int(rq->body, "", "width", create, 1, VT_LIMIT_CANVAS_PX, &w, err)) ||
      (rc = vt_json_int(rq->body, "", "height", create, 1, VT_LIMIT_CANVAS_PX, &h, err)) ||
      (rc = vt_json_color(rq->body, "", "background", false, &l->background, err)) ||
      (rc = vt_json_array(rq->body, "", "regions", false, VT_LIMIT_REGIONS, &regions, err)))
    return rc;
  if (name) {
    char *copy = strdup(name);
    if (!copy) return vt_error_no_memory(err);
    free(l->name);
    l->name = copy;
  }
  l->width = (int)w;
  l->height = (int)h;
  *regions_given = regions != NULL;
  if (regions && (rc = parse_regions(rq, regions, l, err))) return rc;
  return check_regions(l, err);
}

/* ---- writing ------------------------------------------------------------------------- */

static enum vt_err save_regions(struct store *s, const struct vt_layout *l, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, "DELETE FROM regions WHERE layout_id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, l->id);
  if ((rc = store_exec(st, err))) return rc;
  for (size_t i = 0; rc == VT_OK && i < l->n_regions; i++) {
    const struct vt_region *r = &l->regions[i];
    if ((rc = store_prepare(s,
                            "INSERT INTO regions (layout_id, position, name, x, y, width, height, "
                            "background, playlist_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            &st, err)))
      break;
    store_bind_int(st, 1, l->id);
    store_bind_int(st, 2, (int64_t)i);
    store_bind_text(st, 3, r->name);
    store_bind_int(st, 4, r->x);
    store_bind_int(st, 5, r->y);
    store_bind_int(st, 6, r->width);
    store_bind_int(st, 7, r->height);
    store_bind_int(st, 8, r->background);
    if (r->playlist_id) store_bind_int(st, 9, r->playlist_id);
    rc = store_exec(st, err);
  }
  return rc;
}

/* Insert (l->id 0: receives the new id) or update the layout row. */
static enum vt_err save_layout(struct store *s, struct vt_layout *l, int64_t now_ms,
                               struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      l->id ? "UPDATE layouts SET name = ?2, width = ?3, height = ?4, background = ?5, "
              "updated_at = ?6 WHERE id = ?1 RETURNING id"
            : "INSERT INTO layouts (name, width, height, background, created_at, updated_at) "
              "VALUES (?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
      &st, err);
  if (rc != VT_OK) return rc;
  if (l->id) store_bind_int(st, 1, l->id);
  store_bind_text(st, 2, l->name);
  store_bind_int(st, 3, l->width);
  store_bind_int(st, 4, l->height);
  store_bind_int(st, 5, l->background);
  store_bind_int(st, 6, now_ms);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) l->id = store_col_int(st, 0);
  store_done(st);
  return rc;
}

/* ---- handlers ------------------------------------------------------------------------ */

API_HANDLER(api_layouts_create) {
  bool regions_given;
  struct vt_manifest *m = vt_manifest_new();
  struct vt_layout *l = m ? vt_manifest_add_layout(m) : NULL;
  enum vt_err rc;
  if (!l) {
    vt_manifest_free(m);
    return vt_error_no_memory(err);
  }
  l->background = LAYOUT_DEFAULT_BACKGROUND;
  if ((rc = apply_body(rq, true, l, &regions_given, err)) == VT_OK &&
      (rc = save_layout(rq->store, l, rq->now_ms, err)) == VT_OK &&
      (rc = save_regions(rq->store, l, err)) == VT_OK)
    rc = reply_layout(rq, l->id, 201, err);
  vt_manifest_free(m);
  return rc;
}

API_HANDLER(api_layouts_list) {
  return reply_loaded_list(rq, "SELECT id FROM layouts ORDER BY id", rows_layout, layout_json, err);
}

API_HANDLER(api_layouts_get) { return reply_layout(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_layouts_patch) {
  int64_t id = rq->params.id[0];
  bool regions_given = false;
  size_t idx;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  enum vt_err rc = rows_layout(rq->store, id, m, &idx, NULL, err);
  struct vt_layout *l = rc == VT_OK ? &m->layouts[idx] : NULL;
  if (rc == VT_OK && (rc = apply_body(rq, false, l, &regions_given, err)) == VT_OK &&
      (rc = save_layout(rq->store, l, rq->now_ms, err)) == VT_OK &&
      (!regions_given || (rc = save_regions(rq->store, l, err)) == VT_OK) &&
      (rc = affected_by_layout(rq->store, id, &rq->recompile, err)) == VT_OK)
    rc = reply_layout(rq, id, 200, err);
  vt_manifest_free(m);
  return rc;
}

/* 409 naming who still uses layout id: a display (as its default), a schedule entry or an
 * override. Their foreign keys would refuse the delete anyway; this says why. */
static enum vt_err check_unused(struct store *s, int64_t id, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT * FROM (SELECT 'display', id FROM displays WHERE default_layout_id = ?1 "
      "ORDER BY id LIMIT 1) UNION ALL SELECT * FROM (SELECT 'schedule entry', id "
      "FROM schedule_entries WHERE layout_id = ?1 ORDER BY id LIMIT 1) UNION ALL "
      "SELECT * FROM (SELECT 'override', id FROM overrides WHERE layout_id = ?1 "
      "ORDER BY id LIMIT 1) LIMIT 1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row)
    rc = vt_error_set(err, VT_ERR_CONFLICT, "", "layout %lld is used by %s %lld", (long long)id,
                      store_col_text(st, 0), (long long)store_col_int(st, 1));
  store_done(st);
  return rc;
}

API_HANDLER(api_layouts_delete) {
  int64_t id = rq->params.id[0];
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = rows_require(rq->store, "SELECT 1 FROM layouts WHERE id = ?1", id, "layout", err)) ||
      (rc = check_unused(rq->store, id, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM layouts WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
