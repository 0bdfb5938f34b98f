#include "compile.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "idset.h"
#include "log.h"
#include "recur.h"
#include "rows.h"
#include "source.h"
#include "sources.h"
#include "timeutil.h"
#include "vt_limits.h"

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

/* ---- the batch cache ------------------------------------------------------------------ */

struct compile_cache {
  struct recur_cache *recur;
};

struct compile_cache *compile_cache_new(void) {
  struct compile_cache *c = calloc(1, sizeof *c);
  if (c && !(c->recur = recur_cache_new())) {
    free(c);
    return NULL;
  }
  return c;
}

void compile_cache_free(struct compile_cache *c) {
  if (!c) return;
  recur_cache_free(c->recur);
  free(c);
}

void compile_cache_counts(const struct compile_cache *c, size_t *expanded, size_t *reused) {
  recur_cache_counts(c ? c->recur : NULL, expanded, reused);
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

/* Windows collected while building, grown by doubling: vt_manifest_add_window grows by one
 * element, which is quadratic for the thousands of windows a busy display has. The array
 * is handed to the manifest (which frees it with free) once sorted. */
struct windows {
  struct vt_window *v;
  size_t n, cap;
};

static struct vt_window *windows_add(struct windows *w) {
  if (w->n == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 256;
    struct vt_window *v = realloc(w->v, cap * sizeof *v);
    if (!v) return NULL;
    w->v = v;
    w->cap = cap;
  }
  struct vt_window *win = &w->v[w->n++];
  memset(win, 0, sizeof *win);
  return win;
}

/* Drop the windows from index n on (an entry that failed half way). */
static void windows_truncate(struct windows *w, size_t n) {
  while (w->n > n) free(w->v[--w->n].region);
}

/* VT_ERR_TOO_LARGE: compile_display answers it with a shorter horizon. */
static enum vt_err too_many_windows(int64_t display_id, struct vt_error *err) {
  return vt_error_set(err, VT_ERR_TOO_LARGE, "",
                      "display %lld has more than %d schedule windows within the horizon",
                      (long long)display_id, VT_LIMIT_WINDOWS);
}

/* One entry's expansion: every window copies proto, with its own start and end. */
struct expansion {
  struct windows *out;
  const struct vt_window *proto;
  int64_t display_id;
  enum vt_err rc; /* a failure of the whole display (memory, the window limit) */
  struct vt_error *err;
};

static bool add_entry_window(void *ctx, int64_t start_ms, int64_t end_ms) {
  struct expansion *x = ctx;
  if (x->out->n >= VT_LIMIT_WINDOWS) {
    x->rc = too_many_windows(x->display_id, x->err);
    return false;
  }
  struct vt_window *w = windows_add(x->out);
  if (!w) {
    x->rc = vt_error_no_memory(x->err);
    return false;
  }
  *w = *x->proto;
  w->region = NULL;
  w->start_ms = start_ms;
  w->end_ms = end_ms;
  if (x->proto->region && !(w->region = strdup(x->proto->region))) {
    x->rc = vt_error_no_memory(x->err);
    return false;
  }
  return true;
}

/* EXDATEs of the row being read; the array is reused from row to row. */
struct exdates {
  struct recur_local *v;
  size_t cap;
};

/* The stored exdates into x; e->rule points into it. */
static enum vt_err parse_exdates(const char *text, struct exdates *x, struct recur_entry *e,
                                 struct vt_error *err) {
  char bad[RECUR_BASIC_LEN];
  size_t n;
  if (!recur_local_list_parse(text, &x->v, &x->cap, &n, bad))
    return bad[0] ? vt_error_set(err, VT_ERR_INVALID, "exdates", "'%s' is not a local time", bad)
                  : vt_error_no_memory(err);
  e->rule.exdates = x->v;
  e->rule.n_exdates = n;
  return VT_OK;
}

/* Columns of an entry, read by entry_from_row; p is a table alias prefix. */
#define ENTRY_COLUMNS(p)                                                                         \
  p "id, " p "layout_id, " p "region, " p "playlist_id, " p "start_local, " p "duration_s, " p   \
    "rrule, " p "exdates, " p "valid_from, " p "valid_until, " p "priority"

/* The current row as a recurrence and a window prototype. Borrows text from the row. */
static enum vt_err entry_from_row(struct store_stmt *st, struct recur_entry *e,
                                  struct vt_window *proto, struct exdates *x,
                                  struct vt_error *err) {
  memset(e, 0, sizeof *e);
  memset(proto, 0, sizeof *proto);
  proto->source_id = store_col_int(st, 0);
  proto->layout_id = store_col_int(st, 1);
  proto->kind = VT_WINDOW_SCHEDULE;
  proto->target = store_col_int(st, 11) ? VT_TARGET_DISPLAY : VT_TARGET_GROUP;
  if (!store_col_null(st, 2)) {
    proto->region = (char *)store_col_text(st, 2); /* copied per window */
    proto->playlist_id = store_col_null(st, 3) ? 0 : store_col_int(st, 3);
  }
  int64_t priority = store_col_int(st, 10);
  if (priority < VT_PRIORITY_MIN || priority > VT_PRIORITY_MAX)
    return vt_error_set(err, VT_ERR_INVALID, "priority", "%lld is out of range",
                        (long long)priority);
  proto->priority = (int)priority;
  const char *start = store_col_text(st, 4);
  if (!recur_local_parse(start, &e->rule.dtstart))
    return vt_error_set(err, VT_ERR_INVALID, "start", "'%s' is not a local time", start);
  e->duration_s = store_col_int(st, 5);
  if (e->duration_s <= 0)
    return vt_error_set(err, VT_ERR_INVALID, "duration", "must be positive");
  e->rule.rrule = store_col_null(st, 6) ? NULL : store_col_text(st, 6);
  if ((e->has_valid_from = !store_col_null(st, 8)) &&
      !recur_date_parse(store_col_text(st, 8), &e->valid_from))
    return vt_error_set(err, VT_ERR_INVALID, "valid_from", "'%s' is not a date",
                        store_col_text(st, 8));
  if ((e->has_valid_until = !store_col_null(st, 9)) &&
      !recur_date_parse(store_col_text(st, 9), &e->valid_until))
    return vt_error_set(err, VT_ERR_INVALID, "valid_until", "'%s' is not a date",
                        store_col_text(st, 9));
  return parse_exdates(store_col_text(st, 7), x, e, err);
}

/* The windows of every schedule entry for the display or one of its groups. The last
 * column says whether the entry targets the display itself. */
static enum vt_err load_entries(struct store *s, struct recur_cache *cache, struct vt_manifest *m,
                                int64_t from_ms, int64_t to_ms, struct windows *out,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT " ENTRY_COLUMNS("") ", 1 FROM schedule_entries WHERE display_id = ?1 "
      "UNION ALL SELECT " ENTRY_COLUMNS("e.") ", 0 FROM group_members g "
      "JOIN schedule_entries e ON e.group_id = g.group_id WHERE g.display_id = ?1 ORDER BY 1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, m->display_id);
  struct exdates x = {0};
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    struct recur_entry e;
    struct vt_window proto;
    struct vt_error why = {0};
    size_t before = out->n;
    struct expansion ex = {out, &proto, m->display_id, VT_OK, err};
    enum vt_err bad = entry_from_row(st, &e, &proto, &x, &why);
    if (bad == VT_OK) {
      bad = recur_entry_windows_cached(cache, &e, m->timezone, from_ms, to_ms, add_entry_window,
                                       &ex, &why);
      rc = ex.rc; /* set only when the display as a whole cannot be compiled */
    }
    if (rc == VT_OK && bad == VT_ERR_NO_MEMORY) rc = vt_error_no_memory(err);
    if (rc == VT_OK && bad != VT_OK) {
      /* the API validated the entry, so this is old or hand-edited data: skip it, keep the
       * display's manifest coming */
      windows_truncate(out, before);
      vt_warn("compile", "display %lld: schedule entry %lld left out: %s%s%s",
              (long long)m->display_id, (long long)proto.source_id, why.field,
              why.field[0] ? ": " : "", why.message);
    }
  }
  store_done(st);
  free(x.v);
  return rc;
}

/* Every override for the display or one of its groups still running at from_ms. */
static enum vt_err load_overrides(struct store *s, struct vt_manifest *m, int64_t from_ms,
                                  int64_t to_ms, struct windows *out, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT id, layout_id, start_ms, end_ms, 1 FROM overrides WHERE display_id = ?1 "
      "AND start_ms < ?3 AND (end_ms IS NULL OR end_ms > ?2) "
      "UNION ALL SELECT o.id, o.layout_id, o.start_ms, o.end_ms, 0 FROM group_members g "
      "JOIN overrides o ON o.group_id = g.group_id WHERE g.display_id = ?1 "
      "AND o.start_ms < ?3 AND (o.end_ms IS NULL OR o.end_ms > ?2) ORDER BY 1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, m->display_id);
  store_bind_int(st, 2, from_ms);
  store_bind_int(st, 3, to_ms);
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    if (out->n >= VT_LIMIT_WINDOWS) {
      rc = too_many_windows(m->display_id, err);
      break;
    }
    struct vt_window *w = windows_add(out);
    if (!w) {
      rc = vt_error_no_memory(err);
      break;
    }
    w->kind = VT_WINDOW_OVERRIDE;
    w->source_id = store_col_int(st, 0);
    w->layout_id = store_col_int(st, 1);
    w->start_ms = store_col_int(st, 2);
    w->end_ms = store_col_null(st, 3) ? VT_TIME_MAX : store_col_int(st, 3);
    w->target = store_col_int(st, 4) ? VT_TARGET_DISPLAY : VT_TARGET_GROUP;
  }
  store_done(st);
  return rc;
}

/* A total order (no two windows compare equal), so the same rows give the same bytes:
 * by start as the manifest requires, then overrides first, then by entry id. */
static int window_order(const void *a, const void *b) {
  const struct vt_window *x = a, *y = b;
  if (x->start_ms != y->start_ms) return x->start_ms < y->start_ms ? -1 : 1;
  if (x->kind != y->kind) return x->kind == VT_WINDOW_OVERRIDE ? -1 : 1;
  if (x->source_id != y->source_id) return x->source_id < y->source_id ? -1 : 1;
  if (x->end_ms != y->end_ms) return x->end_ms < y->end_ms ? -1 : 1;
  return (x->target > y->target) - (x->target < y->target);
}

static bool layout_has_region(const struct vt_layout *l, const char *name) {
  for (size_t r = 0; l && r < l->n_regions; r++)
    if (strcmp(l->regions[r].name, name) == 0) return true;
  return false;
}

/* Region windows whose layout has no such region (renamed since the entry was written)
 * are dropped with a warning, once per entry, rather than fail the whole manifest. */
static enum vt_err drop_orphan_regions(struct vt_manifest *m, struct vt_error *err) {
  struct idset warned = {0};
  size_t keep = 0;
  enum vt_err rc = VT_OK;
  for (size_t i = 0; i < m->n_windows; i++) {
    struct vt_window *w = &m->windows[i];
    if (!w->region || layout_has_region(vt_manifest_layout(m, w->layout_id), w->region)) {
      m->windows[keep++] = *w;
      continue;
    }
    bool seen = false;
    for (size_t k = 0; k < warned.n && !seen; k++) seen = warned.ids[k] == w->source_id;
    if (!seen) {
      vt_warn("compile", "display %lld: schedule entry %lld left out: layout %lld has no region "
              "'%s'", (long long)m->display_id, (long long)w->source_id,
              (long long)w->layout_id, w->region);
      if (!idset_add(&warned, w->source_id)) rc = vt_error_no_memory(err);
    }
    free(w->region);
  }
  m->n_windows = keep;
  idset_clear(&warned);
  return rc;
}

/* Layouts named by the default and the windows, then the playlists their regions and the
 * region windows name. */
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
  if (rc == VT_OK) rc = drop_orphan_regions(m, err);
  for (size_t i = 0; rc == VT_OK && i < m->n_windows; i++)
    if (m->windows[i].region && !idset_add(&playlists, m->windows[i].playlist_id))
      rc = vt_error_no_memory(err);
  idset_seal(&playlists);
  for (size_t i = 0; rc == VT_OK && i < playlists.n; i++)
    rc = rows_playlist(s, playlists.ids[i], m, &index, NULL, err);
  idset_clear(&layouts);
  idset_clear(&playlists);
  return rc;
}

static int source_order(const void *a, const void *b) {
  return strcmp(((const struct vt_source *)a)->key, ((const struct vt_source *)b)->key);
}

/* Every source an item names, once, in key order (docs/live-content.md). Its kind is the
 * one the item's type shows: the API checked that the source is of that kind. */
static enum vt_err load_sources(struct vt_manifest *m, struct vt_error *err) {
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < m->n_playlists; i++) cap += m->playlists[i].n_items;
  struct vt_source *v = cap ? malloc(cap * sizeof *v) : NULL;
  if (cap && !v) return vt_error_no_memory(err);
  for (size_t i = 0; i < m->n_playlists; i++)
    for (size_t k = 0; k < m->playlists[i].n_items; k++) {
      const struct vt_item *it = &m->playlists[i].items[k];
      enum vt_source_kind kind;
      if (it->source && vt_item_source_kind(it->type, &kind))
        v[n++] = (struct vt_source){it->source, kind};
    }
  if (n > 1) qsort(v, n, sizeof *v, source_order);
  enum vt_err rc = VT_OK;
  for (size_t i = 0; rc == VT_OK && i < n; i++) {
    if (i > 0 && strcmp(v[i].key, v[i - 1].key) == 0) continue;
    struct vt_source *src = vt_manifest_add_source(m);
    if (!src || !(src->key = strdup(v[i].key))) rc = vt_error_no_memory(err);
    else src->kind = v[i].kind;
  }
  free(v);
  return rc;
}

/* sha256s collected for the media list, copied (menu images come from rows). */
struct shas {
  char (*v)[VT_SHA256_HEX_LEN + 1];
  size_t n, cap;
};

static bool shas_add(struct shas *x, const char *sha) {
  if (x->n == x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 16;
    void *v = realloc(x->v, cap * sizeof *x->v);
    if (!v) return false;
    x->v = v;
    x->cap = cap;
  }
  snprintf(x->v[x->n++], VT_SHA256_HEX_LEN + 1, "%s", sha);
  return true;
}

static int cmp_sha(const void *a, const void *b) { return strcmp(a, b); }

/* The images of menu source key: a menu's pictures are media of the manifest, so a changed
 * image is a manifest change while a changed price is only a snapshot change. */
static enum vt_err menu_images(struct store *s, const char *key, struct shas *out,
                               struct vt_error *err) {
  bool menu = false;
  int64_t id = 0;
  if (!vt_source_key_parse(key, &menu, &id) || !menu) return VT_OK;
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "SELECT DISTINCT i.image FROM menu_items i JOIN menu_sections s "
                                 "ON s.id = i.section_id WHERE s.menu_id = ?1 AND i.image IS NOT NULL",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = true;
  while ((rc = store_step(st, &row, err)) == VT_OK && row)
    if (!shas_add(out, store_col_text(st, 0))) {
      rc = vt_error_no_memory(err);
      break;
    }
  store_done(st);
  return rc;
}

/* Every media file an image item or a shown menu names, once, in sha256 order. */
static enum vt_err load_media(struct store *s, struct vt_manifest *m, struct vt_error *err) {
  struct shas x = {0};
  enum vt_err rc = VT_OK;
  for (size_t i = 0; rc == VT_OK && i < m->n_playlists; i++)
    for (size_t k = 0; rc == VT_OK && k < m->playlists[i].n_items; k++)
      if (m->playlists[i].items[k].type == VT_ITEM_IMAGE && !shas_add(&x, m->playlists[i].items[k].media))
        rc = vt_error_no_memory(err);
  for (size_t i = 0; rc == VT_OK && i < m->n_sources; i++)
    if (m->sources[i].kind == VT_SOURCE_MENU) rc = menu_images(s, m->sources[i].key, &x, err);
  if (rc != VT_OK) {
    free(x.v);
    return rc;
  }
  size_t n = x.n;
  if (n > 1) qsort(x.v, n, sizeof *x.v, cmp_sha);
  struct store_stmt *st = NULL;
  for (size_t i = 0; rc == VT_OK && i < n; i++) {
    if (i > 0 && strcmp(x.v[i], x.v[i - 1]) == 0) continue;
    if ((rc = store_prepare(s, "SELECT size, type FROM media WHERE sha256 = ?1", &st, err))) break;
    store_bind_text(st, 1, x.v[i]);
    bool row = false;
    if ((rc = store_step(st, &row, err)) == VT_OK && row) {
      struct vt_media_ref *ref = vt_manifest_add_media(m);
      if (!ref || !(ref->type = strdup(store_col_text(st, 1)))) {
        rc = vt_error_no_memory(err);
      } else {
        memcpy(ref->sha256, x.v[i], VT_SHA256_HEX_LEN + 1);
        ref->size = store_col_int(st, 0);
      }
    }
    store_done(st);
  }
  free(x.v);
  return rc;
}

enum vt_err compile_build(struct store *s, struct compile_cache *cache, int64_t display_id,
                          int64_t from_ms, int64_t to_ms, struct vt_manifest **out,
                          struct vt_error *err) {
  *out = NULL;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  /* even one display converts thousands of times in its zone: a cache of its own then
   * (without one, each conversion asks libical) */
  struct recur_cache *own = cache ? NULL : recur_cache_new();
  struct windows w = {0};
  enum vt_err rc;
  if ((rc = load_display(s, display_id, m, err)) ||
      (rc = load_entries(s, cache ? cache->recur : own, m, from_ms, to_ms, &w, err)) ||
      (rc = load_overrides(s, m, from_ms, to_ms, &w, err))) {
    recur_cache_free(own);
    windows_truncate(&w, 0);
    free(w.v);
    vt_manifest_free(m);
    return rc;
  }
  recur_cache_free(own);
  /* sorted here, so vt_manifest_validate finds them in order and has nothing to do */
  if (w.n > 1) qsort(w.v, w.n, sizeof *w.v, window_order);
  m->windows = w.v;
  m->n_windows = w.n;
  if ((rc = load_layouts_and_playlists(s, m, err)) || (rc = load_sources(m, err)) ||
      (rc = load_media(s, m, err)) ||
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
  /* who is told of a snapshot change follows the stored manifest */
  return (rc = store_exec(st, err)) ? rc : sources_set_display(s, m->display_id, m, err);
}

/* The content hash: the SHA-256 of m's dump with version, generated_at and valid_until
 * zeroed. body is m's dump with their real values; those three are written first, before
 * "display", so the hash is taken over body with that head replaced by the zeroed one
 * rather than over a second dump (a few ms for a busy display). The two heads come from
 * dumps of an empty manifest, which must then differ only in the head; otherwise (the
 * writer changed) m is dumped again, zeroed. */
static enum vt_err content_hash(struct vt_manifest *m, const char *body, size_t len,
                                char out[VT_SHA256_HEX_LEN + 1], struct vt_error *err) {
  static const char next_key[] = "\"display\":";
  struct vt_manifest *empty = vt_manifest_new();
  char *real = NULL, *zero = NULL;
  if (empty) {
    empty->version = m->version;
    empty->generated_ms = m->generated_ms;
    empty->valid_until_ms = m->valid_until_ms;
    real = vt_manifest_dump(empty, NULL);
    empty->version = empty->generated_ms = empty->valid_until_ms = 0;
    zero = vt_manifest_dump(empty, NULL);
    vt_manifest_free(empty);
  }
  const char *real_tail = real ? strstr(real, next_key) : NULL;
  const char *zero_tail = zero ? strstr(zero, next_key) : NULL;
  size_t head = real_tail ? (size_t)(real_tail - real) : 0;
  if (real_tail && zero_tail && strcmp(real_tail, zero_tail) == 0 && head <= len &&
      memcmp(body, real, head) == 0) {
    struct vt_sha256 h;
    vt_sha256_init(&h);
    vt_sha256_update(&h, zero, (size_t)(zero_tail - zero));
    vt_sha256_update(&h, body + head, len - head);
    vt_sha256_final_hex(&h, out);
  } else {
    struct vt_manifest keep = *m;
    m->version = m->generated_ms = m->valid_until_ms = 0;
    size_t n = 0;
    char *dump = vt_manifest_dump(m, &n);
    m->version = keep.version;
    m->generated_ms = keep.generated_ms;
    m->valid_until_ms = keep.valid_until_ms;
    if (dump) vt_sha256_hex(dump, n, out);
    free(dump);
    if (!dump) {
      free(real);
      free(zero);
      return vt_error_no_memory(err);
    }
  }
  free(real);
  free(zero);
  return VT_OK;
}

/* ---- knowing the content hash without dumping ------------------------------------------ */

/* Most compiles (the hourly renewal; every display a write might reach) build what the
 * display already has, and dumping a busy display's manifest to hash it costs more than
 * building it. So the last compile of each display is remembered as the fingerprint of
 * the manifest it built and that manifest's content hash: an equal fingerprint means an
 * equal dump, so the same hash, with no dump at all. The fingerprint is the SHA-256 of
 * the dump of everything but the windows (small: display, layouts, playlists, media),
 * then of every field of every window. What a slot maps is a pure function (built
 * manifest -> hash), so the table is shared by every thread and store; a slot is only
 * ever a shortcut, and a miss costs one dump. */
#define MEMO_SLOTS 16384 /* by display id: distinct for the first 16384 displays */

struct memo_slot {
  int64_t display_id; /* 0: empty */
  char fingerprint[VT_SHA256_HEX_LEN + 1];
  char hash[VT_SHA256_HEX_LEN + 1];
};

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo_slot *memo;

/* Every field of struct vt_window goes into the fingerprint (window_bytes); a field added
 * there must be added here, or two manifests differing only in it would look the same.
 * These are the fields window_bytes knows, in order: the build fails when they are not
 * the whole struct any more. */
struct window_fields {
  int64_t layout_id, start_ms, end_ms;
  int priority;
  enum vt_window_kind kind;
  enum vt_window_target target;
  int64_t source_id;
  char *region;
  int64_t playlist_id;
};
#define SAME_FIELD(f) (offsetof(struct vt_window, f) == offsetof(struct window_fields, f))
_Static_assert(sizeof(struct vt_window) == sizeof(struct window_fields) && SAME_FIELD(layout_id) &&
                   SAME_FIELD(start_ms) && SAME_FIELD(end_ms) && SAME_FIELD(priority) &&
                   SAME_FIELD(kind) && SAME_FIELD(target) && SAME_FIELD(source_id) &&
                   SAME_FIELD(region) && SAME_FIELD(playlist_id),
               "struct vt_window changed: update window_bytes and window_fields");
#undef SAME_FIELD

static void window_bytes(struct vt_sha256 *h, const struct vt_window *w) {
  int64_t f[8] = {w->layout_id, w->start_ms,  w->end_ms,    w->priority,
                  w->kind,      w->target,    w->source_id, w->playlist_id};
  vt_sha256_update(h, f, sizeof f);
  /* the region with its length, NULL apart from "" */
  int64_t len = w->region ? (int64_t)strlen(w->region) : -1;
  vt_sha256_update(h, &len, sizeof len);
  if (w->region) vt_sha256_update(h, w->region, (size_t)len);
}

/* m's fingerprint (m as compile_build left it: version, generated and valid_until 0). */
static bool fingerprint(struct vt_manifest *m, char out[VT_SHA256_HEX_LEN + 1]) {
  size_t n_windows = m->n_windows, len = 0;
  m->n_windows = 0;
  char *rest = vt_manifest_dump(m, &len);
  m->n_windows = n_windows;
  if (!rest) return false;
  struct vt_sha256 h;
  vt_sha256_init(&h);
  vt_sha256_update(&h, rest, len + 1); /* with the NUL: where the windows begin */
  free(rest);
  for (size_t i = 0; i < m->n_windows; i++) window_bytes(&h, &m->windows[i]);
  vt_sha256_final_hex(&h, out);
  return true;
}

static bool memo_get(int64_t display_id, const char *fp, char hash[VT_SHA256_HEX_LEN + 1]) {
  pthread_mutex_lock(&memo_lock);
  const struct memo_slot *slot = memo ? &memo[(uint64_t)display_id % MEMO_SLOTS] : NULL;
  bool hit = slot && slot->display_id == display_id && strcmp(slot->fingerprint, fp) == 0;
  if (hit) memcpy(hash, slot->hash, VT_SHA256_HEX_LEN + 1);
  pthread_mutex_unlock(&memo_lock);
  return hit;
}

static void memo_put(int64_t display_id, const char *fp, const char *hash) {
  pthread_mutex_lock(&memo_lock);
  if (!memo) memo = calloc(MEMO_SLOTS, sizeof *memo); /* kept for the process's life */
  if (memo) {
    struct memo_slot *slot = &memo[(uint64_t)display_id % MEMO_SLOTS];
    slot->display_id = display_id;
    memcpy(slot->fingerprint, fp, VT_SHA256_HEX_LEN + 1);
    memcpy(slot->hash, hash, VT_SHA256_HEX_LEN + 1);
  }
  pthread_mutex_unlock(&memo_lock);
}

void compile_forget(void) {
  pthread_mutex_lock(&memo_lock);
  if (memo) memset(memo, 0, MEMO_SLOTS * sizeof *memo);
  pthread_mutex_unlock(&memo_lock);
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

static enum vt_err compile_span(struct store *s, struct compile_cache *cache, int64_t display_id,
                                int64_t now_ms, int64_t span_ms, bool renew,
                                struct compile_changes *changes, struct vt_error *err) {
  struct vt_manifest *m = NULL;
  struct stored old;
  char hash[VT_SHA256_HEX_LEN + 1], etag[COMPILE_ETAG_MAX], fp[VT_SHA256_HEX_LEN + 1];
  char *body = NULL;
  size_t len = 0;
  int64_t from_ms = vt_floor_div(now_ms, COMPILE_DAY_MS) * COMPILE_DAY_MS;
  int64_t to_ms = from_ms + span_ms;
  enum vt_err rc = compile_build(s, cache, display_id, from_ms, to_ms, &m, err);
  if (rc == VT_ERR_NOT_FOUND) return VT_OK; /* deleted in this transaction */
  if (rc != VT_OK) return rc;
  if ((rc = load_stored(s, display_id, &old, err))) goto out;
  bool has_fp = fingerprint(m, fp), known = has_fp && memo_get(display_id, fp, hash);
  /* what a new version would hold (dropped if nothing changed) */
  m->version = old.found ? old.version + 1 : 1;
  m->generated_ms = now_ms;
  m->valid_until_ms = to_ms;
  if (!known) {
    if (!(body = vt_manifest_dump(m, &len))) {
      rc = vt_error_no_memory(err);
      goto out;
    }
    if ((rc = content_hash(m, body, len, hash, err))) goto out;
    if (has_fp) memo_put(display_id, fp, hash);
  }
  bool same = old.found && strcmp(old.hash, hash) == 0;
  bool stale = old.valid_until_ms < now_ms + VT_HORIZON_MS / 2;
  if (same && !(renew && stale)) goto out;

  if (!body && !(body = vt_manifest_dump(m, &len))) {
    rc = vt_error_no_memory(err);
    goto out;
  }
  snprintf(etag, sizeof etag, "\"%lld-%lld-%.16s\"", (long long)display_id, (long long)m->version,
           hash);
  if (len > VT_LIMIT_MANIFEST_BYTES)
    rc = vt_error_set(err, VT_ERR_TOO_LARGE, "",
                      "the manifest of display %lld would be %zu bytes, "
                      "over the %u byte limit",
                      (long long)display_id, len, VT_LIMIT_MANIFEST_BYTES);
  else if ((rc = check_as_player(body, len, display_id, err)) == VT_OK)
    rc = save(s, m, hash, etag, body, len, now_ms, err);
  if (rc == VT_OK && !changes_add(changes, display_id, m->version, etag)) rc = vt_error_no_memory(err);
out:
  free(body);
  vt_manifest_free(m);
  return rc;
}

enum vt_err compile_display(struct store *s, struct compile_cache *cache, int64_t display_id,
                            int64_t now_ms, bool renew, struct compile_changes *changes,
                            struct vt_error *err) {
  /* A display whose schedule is too dense for a full horizon (limits in vt_limits.h) gets a
   * shorter one rather than none: its player stays current, renewal keeps moving it on. */
  int64_t span = COMPILE_SPAN_MS;
  enum vt_err rc;
  while ((rc = compile_span(s, cache, display_id, now_ms, span, renew, changes, err)) ==
             VT_ERR_TOO_LARGE &&
         span > COMPILE_DAY_MS) {
    span = (span / 2 / COMPILE_DAY_MS) * COMPILE_DAY_MS;
    if (span < COMPILE_DAY_MS) span = COMPILE_DAY_MS;
    vt_warn("compile", "display %lld: %s; trying a horizon of %lld day(s)", (long long)display_id,
            err->message, (long long)(span / COMPILE_DAY_MS));
    vt_error_clear(err);
  }
  if (rc == VT_ERR_TOO_LARGE) err->code = rc = VT_ERR_INVALID;
  return rc;
}
