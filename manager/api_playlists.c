/* /api/v1/playlists: playlists and their items. A body is parsed into the shared structs
 * (struct vt_playlist in a scratch manifest), checked whole, and only then written; the
 * reply is read back from the store through the same reader the compiler uses. */
#include <jansson.h>
#include <stdlib.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "items.h"
#include "json.h"
#include "vt_limits.h"
#include "reply.h"
#include "rows.h"
#include "store.h"

static json_t *playlist_json(const struct vt_manifest *m, size_t index,
                             const struct rows_stamp *stamp) {
  const struct vt_playlist *p = &m->playlists[index];
  json_t *items = json_array();
  for (size_t i = 0; items && i < p->n_items; i++)
    if (json_array_append_new(items, items_to_json(&p->items[i])) != 0) {
      json_decref(items);
      items = NULL;
    }
  return json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)p->id, "name", p->name, "items",
                   items, "created_at", vt_json_time_new(stamp->created_ms), "updated_at",
                   vt_json_time_new(stamp->updated_ms));
}

/* Reply with playlist id as it is stored now. */
static enum vt_err reply_playlist(struct request *rq, int64_t id, unsigned status,
                                  struct vt_error *err) {
  return reply_loaded(rq, status, id, rows_playlist, playlist_json, err);
}

static const struct vt_item *find_item(const struct vt_playlist *p, size_t n, int64_t id) {
  for (size_t i = 0; p && i < n; i++)
    if (p->items[i].id == id) return &p->items[i];
  return NULL;
}

/* Parse body.items into p (empty). An element may carry the id of one of old's items to
 * keep that item's identity (old is NULL for a new playlist), each id at most once. */
static enum vt_err parse_items(struct request *rq, const json_t *arr, struct vt_playlist *p,
                               const struct vt_playlist *old, struct vt_error *err) {
  size_t i;
  json_t *elem;
  json_array_foreach(arr, i, elem) {
    char path[VT_JSON_PATH_MAX], field[VT_JSON_PATH_MAX];
    struct vt_item *it = vt_playlist_add_item(p);
    enum vt_err rc;
    vt_json_path_index(path, "items", i);
    if (!it) return vt_error_no_memory(err);
    if ((rc = items_apply_json(elem, path, true, it, err))) return rc;
    vt_json_path_key(field, path, "id");
    if (it->id && !find_item(old, old ? old->n_items : 0, it->id))
      return vt_error_set(err, VT_ERR_INVALID, field, "item %lld is not in this playlist",
                          (long long)it->id);
    if (it->id && find_item(p, i, it->id))
      return vt_error_set(err, VT_ERR_INVALID, field, "item %lld is listed twice",
                          (long long)it->id);
    if ((rc = items_check_media(rq->store, it, path, err))) return rc;
  }
  return VT_OK;
}

/* Make the stored items of playlist_id exactly p's: drop old items p does not keep, then
 * update kept ones and insert new ones in order. */
static enum vt_err save_items(struct store *s, int64_t playlist_id, struct vt_playlist *p,
                              const struct vt_playlist *old, struct vt_error *err) {
  enum vt_err rc = VT_OK;
  for (size_t i = 0; rc == VT_OK && old && i < old->n_items; i++) {
    if (find_item(p, p->n_items, old->items[i].id)) continue;
    struct store_stmt *st;
    if ((rc = store_prepare(s, "DELETE FROM playlist_items WHERE id = ?1", &st, err))) break;
    store_bind_int(st, 1, old->items[i].id);
    rc = store_exec(st, err);
  }
  for (size_t i = 0; rc == VT_OK && i < p->n_items; i++)
    rc = items_save(s, playlist_id, (int64_t)i, &p->items[i], err);
  return rc;
}

/* Read the body's members. *items stays NULL when absent. */
static enum vt_err read_body(struct request *rq, bool create, const char **name, json_t **items,
                             struct vt_error *err) {
  static const char *const keys[] = {"name", "items", NULL};
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", create, name, err)) ||
      (rc = vt_json_array(rq->body, "", "items", false, VT_LIMIT_ITEMS_PER_PLAYLIST, items, err)))
    return rc;
  return VT_OK;
}

API_HANDLER(api_playlists_create) {
  const char *name = NULL;
  json_t *items = NULL;
  struct store_stmt *st;
  bool row = false;
  enum vt_err rc = read_body(rq, true, &name, &items, err);
  if (rc != VT_OK) return rc;
  struct vt_manifest *m = vt_manifest_new();
  struct vt_playlist *p = m ? vt_manifest_add_playlist(m) : NULL;
  if (!p) {
    vt_manifest_free(m);
    return vt_error_no_memory(err);
  }
  if (items && (rc = parse_items(rq, items, p, NULL, err))) goto out;
  if ((rc = store_prepare(rq->store,
                          "INSERT INTO playlists (name, created_at, updated_at) "
                          "VALUES (?1, ?2, ?2) RETURNING id",
                          &st, err)))
    goto out;
  store_bind_text(st, 1, name);
  store_bind_int(st, 2, rq->now_ms);
  if ((rc = store_step(st, &row, err)) == VT_OK) p->id = store_col_int(st, 0);
  store_done(st);
  if (rc == VT_OK && (rc = save_items(rq->store, p->id, p, NULL, err)) == VT_OK)
    rc = reply_playlist(rq, p->id, 201, err);
out:
  vt_manifest_free(m);
  return rc;
}

API_HANDLER(api_playlists_list) {
  return reply_loaded_list(rq, "SELECT id FROM playlists ORDER BY id", rows_playlist, playlist_json,
                           err);
}

API_HANDLER(api_playlists_get) { return reply_playlist(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_playlists_patch) {
  int64_t id = rq->params.id[0];
  const char *name = NULL;
  json_t *items = NULL;
  struct store_stmt *st;
  size_t old_idx;
  enum vt_err rc = read_body(rq, false, &name, &items, err);
  if (rc != VT_OK) return rc;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  if ((rc = rows_playlist(rq->store, id, m, &old_idx, NULL, err))) goto out;
  if (items) {
    if (!vt_manifest_add_playlist(m)) {
      rc = vt_error_no_memory(err);
      goto out;
    }
    /* pointers only now: adding a playlist may move the array */
    struct vt_playlist *old = &m->playlists[old_idx], *p = &m->playlists[m->n_playlists - 1];
    if ((rc = parse_items(rq, items, p, old, err)) || (rc = save_items(rq->store, id, p, old, err)))
      goto out;
  }
  if ((rc = store_prepare(rq->store,
                          "UPDATE playlists SET name = coalesce(?2, name), updated_at = ?3 "
                          "WHERE id = ?1",
                          &st, err)))
    goto out;
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, name);
  store_bind_int(st, 3, rq->now_ms);
  if ((rc = store_exec(st, err)) || (rc = affected_by_playlist(rq->store, id, &rq->recompile, err)))
    goto out;
  rc = reply_playlist(rq, id, 200, err);
out:
  vt_manifest_free(m);
  return rc;
}

API_HANDLER(api_playlists_patch_item) {
  int64_t id = rq->params.id[0], item_id = rq->params.id[1];
  struct store_stmt *st;
  size_t idx;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  enum vt_err rc = rows_playlist(rq->store, id, m, &idx, NULL, err);
  if (rc != VT_OK) goto out;
  struct vt_playlist *p = &m->playlists[idx];
  struct vt_item *it = (struct vt_item *)find_item(p, p->n_items, item_id);
  if (!it) {
    rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "playlist %lld has no item %lld", (long long)id,
                      (long long)item_id);
    goto out;
  }
  if ((rc = items_apply_json(rq->body, "", false, it, err)) ||
      (rc = items_check_media(rq->store, it, "", err)) ||
      (rc = items_save(rq->store, id, (int64_t)(it - p->items), it, err)) ||
      (rc = store_prepare(rq->store, "UPDATE playlists SET updated_at = ?2 WHERE id = ?1", &st,
                          err)))
    goto out;
  store_bind_int(st, 1, id);
  store_bind_int(st, 2, rq->now_ms);
  if ((rc = store_exec(st, err)) || (rc = affected_by_playlist(rq->store, id, &rq->recompile, err)))
    goto out;
  rc = reply_json(rq, 200, items_to_json(it));
out:
  vt_manifest_free(m);
  return rc;
}

/* 409 naming who still uses playlist id: a layout's region or a region schedule entry. */
static enum vt_err check_unused(struct store *s, int64_t id, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT * FROM (SELECT 'layout', layout_id FROM regions WHERE playlist_id = ?1 "
      "ORDER BY layout_id LIMIT 1) "
      "UNION ALL SELECT * FROM (SELECT 'schedule entry', id FROM schedule_entries "
      "WHERE playlist_id = ?1 ORDER BY id LIMIT 1) LIMIT 1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row)
    rc = vt_error_set(err, VT_ERR_CONFLICT, "", "playlist %lld is used by %s %lld", (long long)id,
                      store_col_text(st, 0), (long long)store_col_int(st, 1));
  store_done(st);
  return rc;
}

API_HANDLER(api_playlists_delete) {
  int64_t id = rq->params.id[0];
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc =
           rows_require(rq->store, "SELECT 1 FROM playlists WHERE id = ?1", id, "playlist", err)) ||
      (rc = check_unused(rq->store, id, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM playlists WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
