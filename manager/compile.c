#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "idset.h"
#include "vt_limits.h"
#include "rows.h"

void compile_changes_clear(struct compile_changes *c) {
  free(c->v);
  c->v = NULL;
  c->n = c->cap = 0;
}

static bool changes_add(struct compile_changes *c, int64_t display_id, int64_t version,
                        const char *etag) {
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 4;
    struct compile_change *v = realloc(c->v, cap * sizeof *v);
    if (!v) return false;
    c->v = v;
    c->cap = cap;
  }
  struct compile_change *ch = &c->v[c->n++];
  ch->display_id = display_id;
  ch->version = version;
  snprintf(ch->etag, sizeof ch->etag, "%s", etag);
  return true;
}

/* ---- building ------------------------------------------------------------------------ */

static enum vt_err load_display(struct store *s, int64_t id, struct vt_manifest *m,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT name, default_layout_id, timezone FROM displays WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row) {
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no display %lld", (long long)id);
    } else {
      m->display_id = id;
      m->display_name = strdup(store_col_text(st, 0));
      m->default_layout_id = store_col_null(st, 1) ? 0 : store_col_int(st, 1);
      m->timezone = strdup(store_col_text(st, 2));
      if (!m->display_name || !m->timezone) rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  return rc;
}

/* One window per schedule entry overlapping [now, now + horizon), in start order. */
static enum vt_err load_windows(struct store *s, int64_t now_ms, struct vt_manifest *m,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "SELECT layout_id, start_ms, end_ms, priority FROM schedules "
                                 "WHERE display_id = ?1 AND end_ms > ?2 AND start_ms < ?3 "
                                 "ORDER BY start_ms, id",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, m->display_id);
  store_bind_int(st, 2, now_ms);
  store_bind_int(st, 3, now_ms + VT_HORIZON_MS);
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    if (m->n_windows >= VT_LIMIT_WINDOWS) {
      rc = vt_error_set(err, VT_ERR_INVALID, "",
                        "display %lld has more than %d schedule windows "
                        "within the horizon",
                        (long long)m->display_id, VT_LIMIT_WINDOWS);
      break;
    }
    struct vt_window *w = vt_manifest_add_window(m);
    if (!w) {
      rc = vt_error_no_memory(err);
      break;
    }
    w->layout_id = store_col_int(st, 0);
    w->start_ms = store_col_int(st, 1);
    w->end_ms = store_col_int(st, 2);
    w->priority = (int)store_col_int(st, 3);
  }
  store_done(st);
  return rc;
}

/* Layouts named by the default and the windows, then the playlists their regions name. */
static enum vt_err load_layouts_and_playlists(struct store *s, struct vt_manifest *m,
                                              struct vt_error *err) {
  struct idset layouts = {0}, playlists = {0};
  enum vt_err rc = VT_OK;
  size_t index;
  if (m->default_layout_id && !idset_add(&layouts, m->default_layout_id)) rc = vt_error_no_memory(err);
  for (size_t i = 0; rc == VT_OK && i < m->n_windows; i++)
    if (!idset_add(&layouts, m->windows[i].layout_id)) rc = vt_error_no_memory(err);
  idset_seal(&layouts);
  for (size_t i = 0; rc == VT_OK && i < layouts.n; i++) {
    if ((rc = rows_layout(s, layouts.ids[i], m, &index, NULL, err)) != VT_OK) break;
    const struct vt_layout *l = &m->layouts[index];
    for (size_t r = 0; r < l->n_regions; r++)
      if (l->regions[r].playlist_id && !idset_add(&playlists, l->regions[r].playlist_id))
        rc = vt_error_no_memory(err);
  }
  idset_seal(&playlists);
  for (size_t i = 0; rc == VT_OK && i < playlists.n; i++)
    rc = rows_playlist(s, playlists.ids[i], m, &index, NULL, err);
  idset_clear(&layouts);
  idset_clear(&playlists);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every media file an image item names, once, in sha256 order. */
static enum vt_err load_media(struct store *s, struct vt_manifest *m, struct vt_error *err) {
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < m->n_playlists; i++) cap += m->playlists[i].n_items;
  const char **shas = cap ? malloc(cap * sizeof *shas) : NULL;
  if (cap && !shas) return vt_error_no_memory(err);
  for (size_t i = 0; i < m->n_playlists; i++)
    for (size_t k = 0; k < m->playlists[i].n_items; k++)
      if (m->playlists[i].items[k].type == VT_ITEM_IMAGE)
        shas[n++] = m->playlists[i].items[k].media;
  if (n > 1) qsort(shas, n, sizeof *shas, cmp_str);
  enum vt_err rc = VT_OK;
  struct store_stmt *st = NULL;
  for (size_t i = 0; rc == VT_OK && i < n; i++) {
    if (i > 0 && strcmp(shas[i], shas[i - 1]) == 0) continue;
    if ((rc = store_prepare(s, "SELECT size, type FROM media WHERE sha256 = ?1", &st, err))) break;
    store_bind_text(st, 1, shas[i]);
    bool row = false;
    if ((rc = store_step(st, &row, err)) == VT_OK && row) {
      struct vt_media_ref *ref = vt_manifest_add_media(m);
      if (!ref || !(ref->type = strdup(store_col_text(st, 1)))) {
        rc = vt_error_no_memory(err);
      } else {
        memcpy(ref->sha256, shas[i], VT_SHA256_HEX_LEN + 1);
        ref->size = store_col_int(st, 0);
      }
    }
    store_done(st);
  }
  free(shas);
  return rc;
}

enum vt_err compile_build(struct store *s, int64_t display_id, int64_t now_ms,
                          struct vt_manifest **out, struct vt_error *err) {
  *out = NULL;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  enum vt_err rc;
  if ((rc = load_display(s, display_id, m, err)) || (rc = load_windows(s, now_ms, m, err)) ||
      (rc = load_layouts_and_playlists(s, m, err)) || (rc = load_media(s, m, err)) ||
      (rc = vt_manifest_validate(m, err))) {
    vt_manifest_free(m);
    return rc;
  }
  *out = m;
  return VT_OK;
}

/* ---- storing ------------------------------------------------------------------------- */

struct stored {
  bool found;
  int64_t version, valid_until_ms;
  char hash[VT_SHA256_HEX_LEN + 1];
};

static enum vt_err load_stored(struct store *s, int64_t display_id, struct stored *out,
                               struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT version, content_hash, valid_until FROM manifests WHERE display_id = ?1", &st,
      err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, display_id);
  memset(out, 0, sizeof *out);
  if ((rc = store_step(st, &out->found, err)) == VT_OK && out->found) {
    out->version = store_col_int(st, 0);
    snprintf(out->hash, sizeof out->hash, "%s", store_col_text(st, 1));
    out->valid_until_ms = store_col_int(st, 2);
  }
  store_done(st);
  return rc;
}

static enum vt_err save(struct store *s, const struct vt_manifest *m, const char *hash,
                        const char *etag, const char *body, size_t len, int64_t now_ms,
                        struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "INSERT INTO manifests (display_id, version, content_hash, etag, body, valid_until, "
      "compiled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (display_id) DO UPDATE SET "
      "version = excluded.version, content_hash = excluded.content_hash, etag = excluded.etag, "
      "body = excluded.body, valid_until = excluded.valid_until, "
      "compiled_at = excluded.compiled_at",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, m->display_id);
  store_bind_int(st, 2, m->version);
  store_bind_text(st, 3, hash);
  store_bind_text(st, 4, etag);
  store_bind_blob(st, 5, body, len);
  store_bind_int(st, 6, m->valid_until_ms);
  store_bind_int(st, 7, now_ms);
  return store_exec(st, err);
}

/* The SHA-256 of m's dump with the fields that change on every compile zeroed. */
static enum vt_err content_hash(struct vt_manifest *m, char out[VT_SHA256_HEX_LEN + 1],
                                struct vt_error *err) {
  m->version = 0;
  m->generated_ms = 0;
  m->valid_until_ms = 0;
  size_t len = 0;
  char *dump = vt_manifest_dump(m, &len);
  if (!dump) return vt_error_no_memory(err);
  vt_sha256_hex(dump, len, out);
  free(dump);
  return VT_OK;
}

/* Read the body back exactly as a player will: a write whose manifest a player would refuse
 * is refused here instead (and rolled back), so no display is ever left on old content by a
 * manifest that was published but cannot be played. */
static enum vt_err check_as_player(const char *body, size_t len, int64_t display_id,
                                   struct vt_error *err) {
  struct vt_manifest *back = NULL;
  struct vt_error why = {0};
  if (vt_manifest_parse(body, len, &back, &why) == VT_OK) {
    vt_manifest_free(back);
    return VT_OK;
  }
  return vt_error_set(err, VT_ERR_INVALID, "",
                      "the change would give display %lld a manifest its player cannot read "
                      "(%s: %s)", (long long)display_id, why.field, why.message);
}

enum vt_err compile_display(struct store *s, int64_t display_id, int64_t now_ms, bool renew,
                            struct compile_changes *changes, struct vt_error *err) {
  struct vt_manifest *m = NULL;
  struct stored old;
  char hash[VT_SHA256_HEX_LEN + 1], etag[COMPILE_ETAG_MAX];
  enum vt_err rc = compile_build(s, display_id, now_ms, &m, err);
  if (rc == VT_ERR_NOT_FOUND) return VT_OK; /* deleted in this transaction */
  if (rc != VT_OK) return rc;
  if ((rc = content_hash(m, hash, err)) || (rc = load_stored(s, display_id, &old, err))) goto out;
  bool same = old.found && strcmp(old.hash, hash) == 0;
  bool stale = old.valid_until_ms < now_ms + VT_HORIZON_MS / 2;
  if (same && !(renew && stale)) goto out;

  m->version = old.found ? old.version + 1 : 1;
  m->generated_ms = now_ms;
  m->valid_until_ms = now_ms + VT_HORIZON_MS;
  snprintf(etag, sizeof etag, "\"%lld-%lld-%.16s\"", (long long)display_id, (long long)m->version,
           hash);
  size_t len = 0;
  char *body = vt_manifest_dump(m, &len);
  if (!body) {
    rc = vt_error_no_memory(err);
    goto out;
  }
  if (len > VT_LIMIT_MANIFEST_BYTES)
    rc = vt_error_set(err, VT_ERR_INVALID, "",
                      "the manifest of display %lld would be %zu bytes, "
                      "over the %u byte limit",
                      (long long)display_id, len, VT_LIMIT_MANIFEST_BYTES);
  else if ((rc = check_as_player(body, len, display_id, err)) == VT_OK)
    rc = save(s, m, hash, etag, body, len, now_ms, err);
  free(body);
  if (rc == VT_OK && !changes_add(changes, display_id, m->version, etag)) rc = vt_error_no_memory(err);
out:
  vt_manifest_free(m);
  return rc;
}
