#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "items.h"

static void read_stamp(struct store_stmt *st, int col, struct rows_stamp *stamp) {
  if (!stamp) return;
  stamp->created_ms = store_col_int(st, col);
  stamp->updated_ms = store_col_int(st, col + 1);
}

/* Step the one-row head query of a resource: VT_ERR_NOT_FOUND without a row. */
static enum vt_err head_row(struct store_stmt *st, const char *what, int64_t id,
                            struct vt_error *err) {
  bool row = false;
  enum vt_err rc = store_step(st, &row, err);
  if (rc == VT_OK && !row)
    rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no %s %lld", what, (long long)id);
  return rc;
}

static enum vt_err playlist_items(struct store *s, struct vt_playlist *p, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT " ITEMS_COLUMNS " FROM playlist_items WHERE playlist_id = ?1 ORDER BY position, id",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, p->id);
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    struct vt_item *it = vt_playlist_add_item(p);
    rc = it ? items_from_row(st, 0, it, err) : vt_error_no_memory(err);
    if (rc == VT_OK) p->cycle_ms += it->duration_ms;
  }
  store_done(st);
  return rc;
}

enum vt_err rows_playlist(struct store *s, int64_t id, struct vt_manifest *m, size_t *index,
                          struct rows_stamp *stamp, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT name, created_at, updated_at FROM playlists WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  struct vt_playlist *p = NULL;
  if ((rc = head_row(st, "playlist", id, err)) == VT_OK) {
    p = vt_manifest_add_playlist(m);
    if (p) {
      p->id = id;
      p->name = strdup(store_col_text(st, 0));
      read_stamp(st, 1, stamp);
    }
    if (!p || !p->name) rc = vt_error_no_memory(err);
  }
  store_done(st);
  if (rc != VT_OK) return rc;
  *index = m->n_playlists - 1;
  return playlist_items(s, p, err);
}

static enum vt_err layout_regions(struct store *s, struct vt_layout *l, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "SELECT name, x, y, width, height, background, playlist_id "
                                 "FROM regions WHERE layout_id = ?1 ORDER BY position, id",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, l->id);
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    struct vt_region *r = vt_layout_add_region(l);
    if (!r || !(r->name = strdup(store_col_text(st, 0)))) {
      rc = vt_error_no_memory(err);
      break;
    }
    r->x = (int)store_col_int(st, 1);
    r->y = (int)store_col_int(st, 2);
    r->width = (int)store_col_int(st, 3);
    r->height = (int)store_col_int(st, 4);
    r->background = (uint32_t)store_col_int(st, 5);
    r->playlist_id = store_col_null(st, 6) ? 0 : store_col_int(st, 6);
  }
  store_done(st);
  return rc;
}

enum vt_err rows_layout(struct store *s, int64_t id, struct vt_manifest *m, size_t *index,
                        struct rows_stamp *stamp, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "SELECT name, width, height, background, created_at, updated_at "
                                 "FROM layouts WHERE id = ?1",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  struct vt_layout *l = NULL;
  if ((rc = head_row(st, "layout", id, err)) == VT_OK) {
    l = vt_manifest_add_layout(m);
    if (l) {
      l->id = id;
      l->name = strdup(store_col_text(st, 0));
      l->width = (int)store_col_int(st, 1);
      l->height = (int)store_col_int(st, 2);
      l->background = (uint32_t)store_col_int(st, 3);
      read_stamp(st, 4, stamp);
    }
    if (!l || !l->name) rc = vt_error_no_memory(err);
  }
  store_done(st);
  if (rc != VT_OK) return rc;
  *index = m->n_layouts - 1;
  return layout_regions(s, l, err);
}

static enum vt_err collect(struct store_stmt *st, struct idset *out, struct vt_error *err) {
  bool row = true;
  enum vt_err rc = VT_OK;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row)
    if (!idset_add(out, store_col_int(st, 0))) rc = vt_error_no_memory(err);
  store_done(st);
  return rc;
}

enum vt_err rows_ids(struct store *s, const char *sql, int64_t param, struct idset *out,
                     struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, param);
  return collect(st, out, err);
}

enum vt_err rows_ids_text(struct store *s, const char *sql, const char *param, struct idset *out,
                          struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, param);
  return collect(st, out, err);
}

static enum vt_err exists(struct store *s, const char *sql, int64_t id, bool *found,
                          struct vt_error *err) {
  int64_t ignored;
  return store_query_int(s, sql, id, found, &ignored, err);
}

enum vt_err rows_require(struct store *s, const char *sql, int64_t id, const char *what,
                         struct vt_error *err) {
  bool found = false;
  enum vt_err rc = exists(s, sql, id, &found, err);
  if (rc == VT_OK && !found)
    rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no %s %lld", what, (long long)id);
  return rc;
}

enum vt_err rows_require_ref(struct store *s, const char *sql, int64_t id, const char *what,
                             const char *field, struct vt_error *err) {
  bool found = false;
  enum vt_err rc = exists(s, sql, id, &found, err);
  if (rc == VT_OK && !found)
    rc = vt_error_set(err, VT_ERR_INVALID, field, "there is no %s %lld", what, (long long)id);
  return rc;
}
