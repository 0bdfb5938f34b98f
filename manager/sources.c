#include "sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"
#include "json.h"
#include "log.h"
#include "rows.h"
#include "source.h"

void sources_key(char out[VT_SOURCE_KEY_MAX], bool menu, int64_t id) {
  snprintf(out, VT_SOURCE_KEY_MAX, "%s/%lld", menu ? "menu" : "feed", (long long)id);
}

static enum vt_err no_source(const char *key, struct vt_error *err) {
  return vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no source %s", key);
}

enum vt_err sources_kind(struct store *s, const char *key, enum vt_source_kind *kind,
                         struct vt_error *err) {
  bool menu = false, found = false;
  int64_t id = 0;
  if (!vt_source_key_parse(key, &menu, &id)) return no_source(key, err);
  if (menu) {
    int64_t one;
    enum vt_err rc = store_query_int(s, "SELECT 1 FROM menus WHERE id = ?1", id, &found, &one, err);
    if (rc == VT_OK && !found) rc = no_source(key, err);
    if (rc == VT_OK) *kind = VT_SOURCE_MENU;
    return rc;
  }
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, "SELECT kind FROM feeds WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_step(st, &found, err)) == VT_OK) {
    int k = 0;
    if (!found || !vt_choice_parse(vt_source_kind_choices, store_col_text(st, 0), &k))
      rc = no_source(key, err);
    else
      *kind = (enum vt_source_kind)k;
  }
  store_done(st);
  return rc;
}

/* ---- snapshots ---------------------------------------------------------------------------- */

static json_t *doc_new(const char *key, enum vt_source_kind kind, int64_t version,
                       int64_t updated_ms, json_t *data) {
  return json_pack("{s:s, s:s, s:I, s:o, s:o}", "key", key, "kind",
                   vt_choice_name(vt_source_kind_choices, kind), "version", (json_int_t)version,
                   "updated_at", vt_json_time_new(updated_ms), "data", data);
}

/* One menu row's item object; NULL when out of memory. Columns from col. */
static json_t *menu_item_json(struct store_stmt *st, int col) {
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b}", "id", (json_int_t)store_col_int(st, col),
                   "name", store_col_text(st, col + 1), "description", store_col_text(st, col + 2),
                   "price", store_col_text(st, col + 3), "currency", store_col_text(st, col + 4),
                   "image",
                   store_col_null(st, col + 5) ? json_null() : json_string(store_col_text(st, col + 5)),
                   "sold_out", (int)store_col_int(st, col + 6));
}

/* The menu's "data": its sections in order, each with its items in order. */
static enum vt_err menu_data(struct store *s, int64_t id, const char *name, json_t **out,
                             struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      "SELECT s.id, s.name, i.id, i.name, i.description, i.price, i.currency, i.image, "
      "i.sold_out FROM menu_sections s LEFT JOIN menu_items i ON i.section_id = s.id "
      "WHERE s.menu_id = ?1 ORDER BY s.position, s.id, i.position, i.id",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  json_t *sections = json_array(), *items = NULL;
  int64_t section = 0;
  bool row = true, ok = sections != NULL;
  while (ok && (rc = store_step(st, &row, err)) == VT_OK && row) {
    if (store_col_int(st, 0) != section) {
      section = store_col_int(st, 0);
      items = json_array();
      ok = json_array_append_new(sections, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)section,
                                                     "name", store_col_text(st, 1), "items",
                                                     items)) == 0;
    }
    if (ok && !store_col_null(st, 2)) ok = json_array_append_new(items, menu_item_json(st, 2)) == 0;
  }
  store_done(st);
  if (rc == VT_OK && ok) *out = json_pack("{s:s, s:o}", "name", name, "sections", sections);
  else json_decref(sections);
  if (rc == VT_OK && (!ok || !*out)) rc = vt_error_no_memory(err);
  return rc;
}

static enum vt_err menu_snapshot(struct store *s, const char *key, int64_t id, json_t **doc,
                                 int64_t *version, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc =
      store_prepare(s, "SELECT name, version, updated_at FROM menus WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  char *name = NULL;
  int64_t updated = 0;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row) {
      rc = no_source(key, err);
    } else {
      *version = store_col_int(st, 1);
      updated = store_col_int(st, 2);
      if (doc && !(name = strdup(store_col_text(st, 0)))) rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  json_t *data = NULL;
  if (rc == VT_OK && doc && (rc = menu_data(s, id, name, &data, err)) == VT_OK &&
      !(*doc = doc_new(key, VT_SOURCE_MENU, *version, updated, data)))
    rc = vt_error_no_memory(err);
  free(name);
  return rc;
}

static enum vt_err feed_snapshot(struct store *s, const char *key, int64_t id, json_t **doc,
                                 int64_t *version, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT kind, snapshot, version, snapshot_at FROM feeds WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  int kind = 0;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row || !vt_choice_parse(vt_source_kind_choices, store_col_text(st, 0), &kind)) {
      rc = no_source(key, err);
    } else if (store_col_null(st, 1)) {
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "%s has no snapshot yet (not fetched)", key);
    } else {
      json_t *data = NULL;
      const char *text = store_col_text(st, 1);
      *version = store_col_int(st, 2);
      if (!doc) {
        /* the version alone */
      } else if ((rc = vt_json_parse(text, strlen(text), &data, err)) != VT_OK)
        rc = vt_error_set(err, VT_ERR_CORRUPT, "", "%s: stored snapshot unreadable: %s", key,
                          err->message);
      else if (!(*doc = doc_new(key, (enum vt_source_kind)kind, *version, store_col_int(st, 3),
                                data)))
        rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  return rc;
}

enum vt_err sources_snapshot(struct store *s, const char *key, json_t **doc, int64_t *version,
                             struct vt_error *err) {
  bool menu = false;
  int64_t id = 0;
  if (doc) *doc = NULL;
  if (!vt_source_key_parse(key, &menu, &id)) return no_source(key, err);
  return menu ? menu_snapshot(s, key, id, doc, version, err)
              : feed_snapshot(s, key, id, doc, version, err);
}

/* ---- who uses a source ------------------------------------------------------------------ */

enum vt_err sources_displays(struct store *s, const char *key, struct idset *out,
                             struct vt_error *err) {
  return rows_ids_text(s, "SELECT display_id FROM display_sources WHERE key = ?1", key, out, err);
}

enum vt_err sources_set_display(struct store *s, int64_t display_id, const struct vt_manifest *m,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, "DELETE FROM display_sources WHERE display_id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, display_id);
  if ((rc = store_exec(st, err))) return rc;
  for (size_t i = 0; rc == VT_OK && i < m->n_sources; i++) {
    if ((rc = store_prepare(s, "INSERT INTO display_sources (display_id, key) VALUES (?1, ?2)",
                            &st, err)))
      break;
    store_bind_int(st, 1, display_id);
    store_bind_text(st, 2, m->sources[i].key);
    rc = store_exec(st, err);
  }
  return rc;
}

enum vt_err sources_menu_touched(struct store *s, int64_t menu_id, int64_t now_ms,
                                 int64_t *version, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "UPDATE menus SET version = version + 1, updated_at = ?2 "
                                 "WHERE id = ?1 RETURNING version",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, menu_id);
  store_bind_int(st, 2, now_ms);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (row)
      *version = store_col_int(st, 0);
    else
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no menu %lld", (long long)menu_id);
  }
  store_done(st);
  return rc;
}

enum vt_err sources_check_unused(struct store *s, const char *key, struct vt_error *err) {
  bool used = false, menu = false;
  int64_t playlist = 0, id = 0;
  enum vt_err rc = store_query_int_text(s,
                                        "SELECT playlist_id FROM playlist_items WHERE source = ?1 "
                                        "ORDER BY playlist_id LIMIT 1",
                                        key, &used, &playlist, err);
  if (rc == VT_OK && used && vt_source_key_parse(key, &menu, &id))
    rc = vt_error_set(err, VT_ERR_CONFLICT, "", "%s %lld is shown by playlist %lld",
                      menu ? "menu" : "feed", (long long)id, (long long)playlist);
  return rc;
}

/* ---- the fetcher's writes --------------------------------------------------------------- */

/* The feed's kind and stored data text (copied; NULL when none) and refresh interval. */
struct feed_state {
  enum vt_source_kind kind;
  char *snapshot;
  int64_t version, refresh_s, failures;
};

/* Is the feed still at the addresses a fetch was made from? An owner may change them while
 * the fetch runs: its result then belongs to nothing and must not be stored. */
static enum vt_err check_fetched(struct store *s, int64_t id, const struct sources_fetched *from,
                                 struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT 1 FROM feeds WHERE id = ?1 AND url = ?2 AND forecast_url IS ?3", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, from->url);
  store_bind_text(st, 3, from->forecast_url);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && !row)
    rc = vt_error_set(err, VT_ERR_CONFLICT, "url",
                      "feed %lld was changed or deleted while it was fetched", (long long)id);
  store_done(st);
  return rc;
}

static enum vt_err load_feed(struct store *s, int64_t id, struct feed_state *f,
                             struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT kind, snapshot, version, refresh_s, failures FROM feeds WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  int kind = 0;
  memset(f, 0, sizeof *f);
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row || !vt_choice_parse(vt_source_kind_choices, store_col_text(st, 0), &kind)) {
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no feed %lld", (long long)id);
    } else {
      f->kind = (enum vt_source_kind)kind;
      f->version = store_col_int(st, 2);
      f->refresh_s = store_col_int(st, 3);
      f->failures = store_col_int(st, 4);
      if (!store_col_null(st, 1) && !(f->snapshot = strdup(store_col_text(st, 1))))
        rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  return rc;
}

/* One line of at most VT_LIMIT_FEED_ERROR_BYTES, cut at a character boundary. */
static void one_line(const char *in, char out[VT_LIMIT_FEED_ERROR_BYTES + 1]) {
  size_t n = 0;
  for (; in && in[n] && n < VT_LIMIT_FEED_ERROR_BYTES; n++)
    out[n] = (in[n] == '\n' || in[n] == '\r' || in[n] == '\t') ? ' ' : in[n];
  while (n > 0 && in[n] && ((unsigned char)in[n] & 0xC0) == 0x80) n--; /* mid-character */
  out[n] = '\0';
}

static enum vt_err record_error(struct store *s, int64_t id, const struct feed_state *f,
                                const char *message, int64_t now_ms, struct vt_error *err) {
  char line[VT_LIMIT_FEED_ERROR_BYTES + 1];
  one_line(message, line);
  int64_t backoff = f->refresh_s > 0 ? f->refresh_s : VT_FEED_REFRESH_MIN_S;
  for (int64_t k = 0; k < f->failures && backoff < VT_FEED_BACKOFF_MAX_S; k++) backoff *= 2;
  if (backoff > VT_FEED_BACKOFF_MAX_S) backoff = VT_FEED_BACKOFF_MAX_S;
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s,
                                 "UPDATE feeds SET last_error = ?2, last_error_at = ?3, "
                                 "failures = failures + 1, next_fetch_at = ?4 WHERE id = ?1",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, line);
  store_bind_int(st, 3, now_ms);
  store_bind_int(st, 4, now_ms + backoff * 1000);
  return store_exec(st, err);
}

/* Inside the transaction: *version is the feed's version afterwards, *changed whether the
 * snapshot was replaced. */
static enum vt_err store_snapshot(struct store *s, int64_t id, const json_t *data,
                                  const char *etag, const char *last_modified, int64_t now_ms,
                                  int64_t *version, bool *changed, struct vt_error *err) {
  struct feed_state f;
  enum vt_err rc = load_feed(s, id, &f, err);
  if (rc != VT_OK) return rc;
  char *text = NULL;
  struct vt_error why = {0};
  *changed = false;
  *version = f.version;
  if (data && vt_snapshot_check_data(f.kind, data, "data", &why) != VT_OK) {
    char msg[VT_ERROR_MESSAGE_MAX + VT_ERROR_FIELD_MAX + 64];
    snprintf(msg, sizeof msg, "the parsed feed is not a valid snapshot: %s: %s", why.field,
             why.message);
    if ((rc = record_error(s, id, &f, msg, now_ms, err)) == VT_OK)
      rc = vt_error_set(err, VT_ERR_INVALID, why.field, "%s", msg);
    free(f.snapshot);
    return rc;
  }
  /* 15 digits: a rate the source wrote as 1.0163 is stored as 1.0163, not 1.0162999999999999 */
  size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15);
  if (data && !(text = json_dumps(data, flags))) {
    free(f.snapshot);
    return vt_error_no_memory(err);
  }
  if (text && strlen(text) > VT_LIMIT_SNAPSHOT_BYTES - 512) { /* room for the envelope */
    if ((rc = record_error(s, id, &f, "the parsed feed is larger than a snapshot may be", now_ms,
                           err)) == VT_OK)
      rc = vt_error_set(err, VT_ERR_INVALID, "data", "the snapshot would be too large");
    free(text);
    free(f.snapshot);
    return rc;
  }
  *changed = text && (!f.snapshot || strcmp(text, f.snapshot) != 0);
  if (*changed) *version = f.version + 1;
  struct store_stmt *st;
  if ((rc = store_prepare(
           s,
           "UPDATE feeds SET failures = 0, last_ok_at = ?2, next_fetch_at = ?2 + refresh_s * 1000, "
           "etag = coalesce(?3, etag), last_modified = coalesce(?4, last_modified), "
           "snapshot = CASE WHEN ?5 THEN ?6 ELSE snapshot END, "
           "snapshot_at = CASE WHEN ?5 THEN ?2 ELSE snapshot_at END, version = ?7 WHERE id = ?1",
           &st, err)) == VT_OK) {
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, now_ms);
    store_bind_text(st, 3, etag);
    store_bind_text(st, 4, last_modified);
    store_bind_int(st, 5, *changed);
    store_bind_text(st, 6, text);
    store_bind_int(st, 7, *version);
    rc = store_exec(st, err);
  }
  free(text);
  free(f.snapshot);
  return rc;
}

enum vt_err sources_store_feed_snapshot(struct store *s, struct hub *hub, int64_t feed_id,
                                        const struct sources_fetched *from, const json_t *data,
                                        const char *etag, const char *last_modified,
                                        int64_t now_ms, struct vt_error *err) {
  int64_t version = 0;
  bool changed = false;
  enum vt_err rc = store_begin(s, true, err);
  if (rc != VT_OK) return rc;
  if ((rc = check_fetched(s, feed_id, from, err)) != VT_OK) {
    store_rollback(s);
    return rc;
  }
  rc = store_snapshot(s, feed_id, data, etag, last_modified, now_ms, &version, &changed, err);
  /* who to tell is read in the same transaction; they are told after the commit, so a
   * display told of this version can fetch it */
  char key[VT_SOURCE_KEY_MAX];
  sources_key(key, false, feed_id);
  struct idset displays = {0};
  if (rc == VT_OK && changed && hub) rc = sources_displays(s, key, &displays, err);
  /* a refused snapshot still records its error: commit that, then report */
  enum vt_err crc = rc == VT_OK || rc == VT_ERR_INVALID ? store_commit(s, err) : rc;
  if (crc != VT_OK) {
    store_rollback(s);
    idset_clear(&displays);
    return crc;
  }
  if (rc == VT_OK && displays.n) hub_announce_source(hub, displays.ids, displays.n, key, version);
  idset_clear(&displays);
  return rc;
}

enum vt_err sources_store_feed_error(struct store *s, int64_t feed_id,
                                     const struct sources_fetched *from, const char *message,
                                     int64_t now_ms, struct vt_error *err) {
  struct feed_state f;
  enum vt_err rc = store_begin(s, true, err);
  if (rc != VT_OK) return rc;
  if ((rc = check_fetched(s, feed_id, from, err)) == VT_OK &&
      (rc = load_feed(s, feed_id, &f, err)) == VT_OK) {
    rc = record_error(s, feed_id, &f, message, now_ms, err);
    free(f.snapshot);
  }
  if (rc == VT_OK) rc = store_commit(s, err);
  if (rc != VT_OK) store_rollback(s);
  return rc;
}

enum vt_err sources_due_feeds(struct store *s, int64_t now_ms, size_t max, struct idset *out,
                              struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT id FROM feeds WHERE next_fetch_at <= ?1 ORDER BY next_fetch_at, id LIMIT ?2",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, now_ms);
  store_bind_int(st, 2, (int64_t)max);
  bool row = true;
  while ((rc = store_step(st, &row, err)) == VT_OK && row)
    if (!idset_add(out, store_col_int(st, 0))) {
      rc = vt_error_no_memory(err);
      break;
    }
  store_done(st);
  return rc;
}
