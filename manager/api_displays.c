/* /api/v1/displays: the screens, their pairing tokens, time zones and live status. A
 * display's token is shown once, when it is created or rotated; a rotation ends its open
 * stream. Its zone is how every schedule entry reaching it is read (docs/scheduling.md), so
 * a zone change recompiles it. */
#include <jansson.h>

#include "api.h"
#include "auth.h"
#include "compile.h"
#include "fields.h"
#include "hub.h"
#include "json.h"
#include "recur.h"
#include "reply.h"
#include "rows.h"
#include "store.h"

#define DISPLAY_SELECT                                                                             \
  "SELECT d.id, d.name, d.default_layout_id, d.created_at, d.updated_at, m.version, "              \
  "d.timezone FROM displays d LEFT JOIN manifests m ON m.display_id = d.id "

/* An IANA zone name: "America/Argentina/ComodRivadavia" is among the longest. */
#define DISPLAY_ZONE_MAX 64

static json_t *display_json(struct request *rq, struct store_stmt *st) {
  int64_t id = store_col_int(st, 0), last_seen = 0;
  bool online = hub_status(rq->m->hub, id, rq->now_ms, &last_seen);
  struct idset groups = {0};
  struct vt_error ignored;
  if (rows_ids(rq->store, "SELECT group_id FROM group_members WHERE display_id = ?1", id, &groups,
               &ignored) != VT_OK)
    return NULL;
  idset_seal(&groups);
  json_t *j = json_pack(
      "{s:I, s:s, s:s, s:o, s:o, s:b, s:o, s:I, s:o, s:o}", "id", (json_int_t)id, "name",
      store_col_text(st, 1), "timezone", store_col_text(st, 6), "default_layout_id",
      store_col_null(st, 2) ? json_null() : json_integer(store_col_int(st, 2)), "group_ids",
      fields_id_array(groups.ids, groups.n), "online", online, "last_seen",
      last_seen ? vt_json_time_new(last_seen) : json_null(), "manifest_version",
      (json_int_t)store_col_int(st, 5), "created_at", vt_json_time_new(store_col_int(st, 3)),
      "updated_at", vt_json_time_new(store_col_int(st, 4)));
  idset_clear(&groups);
  return j;
}

/* Reply with display id as stored now; with token when it was just issued. */
static enum vt_err reply_display(struct request *rq, int64_t id, unsigned status, const char *token,
                                 struct vt_error *err) {
  json_t *body;
  enum vt_err rc =
      reply_row_json(rq, DISPLAY_SELECT "WHERE d.id = ?1", id, "display", display_json, &body, err);
  if (rc == VT_OK && token && json_object_set_new(body, "token", json_string(token)) != 0)
    rc = vt_error_no_memory(err);
  if (rc != VT_OK) {
    json_decref(body);
    return rc;
  }
  return reply_json(rq, status, body);
}

static enum vt_err check_layout_ref(struct store *s, int64_t layout_id, struct vt_error *err) {
  if (!layout_id) return VT_OK;
  return rows_require_ref(s, "SELECT 1 FROM layouts WHERE id = ?1", layout_id, "layout",
                          "default_layout_id", err);
}

/* The body's timezone, checked against the zones libical knows; NULL when absent. */
static enum vt_err read_zone(struct request *rq, const char **zone, struct vt_error *err) {
  enum vt_err rc = vt_json_str(rq->body, "", "timezone", false, 1, DISPLAY_ZONE_MAX, zone, err);
  if (rc == VT_OK && *zone) rc = recur_zone_check(*zone, "timezone", err);
  return rc;
}

/* api_displays_insert with a zone (checked by the caller). */
static enum vt_err insert_display(struct store *s, const char *name, int64_t layout_id,
                                  const char *zone, int64_t now_ms, int64_t *id,
                                  struct auth_secret *secret, struct compile_changes *changes,
                                  struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = check_layout_ref(s, layout_id, err)) ||
      (rc = store_prepare(s,
                          "INSERT INTO displays (name, default_layout_id, timezone, "
                          "token_public_id, token_hash, created_at, updated_at) "
                          "VALUES (?1, ?2, ?6, ?3, ?4, ?5, ?5) RETURNING id",
                          &st, err)))
    return rc;
  auth_secret_new(AUTH_KIND_DISPLAY, secret);
  store_bind_text(st, 1, name);
  if (layout_id) store_bind_int(st, 2, layout_id);
  store_bind_text(st, 3, secret->public_id);
  store_bind_blob(st, 4, secret->hash, sizeof secret->hash);
  store_bind_int(st, 5, now_ms);
  store_bind_text(st, 6, zone);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) *id = store_col_int(st, 0);
  store_done(st);
  if (rc != VT_OK) return rc;
  /* version 1 exists from the start, so a player pairing right away finds a manifest */
  return compile_display(s, NULL, *id, now_ms, false, changes, err);
}

enum vt_err api_displays_insert(struct store *s, const char *name, int64_t layout_id,
                                int64_t now_ms, int64_t *id, struct auth_secret *secret,
                                struct compile_changes *changes, struct vt_error *err) {
  return insert_display(s, name, layout_id, "UTC", now_ms, id, secret, changes, err);
}

API_HANDLER(api_displays_create) {
  static const char *const keys[] = {"name", "default_layout_id", "timezone", NULL};
  const char *name = NULL, *zone = NULL;
  bool has_layout;
  int64_t layout = 0, id = 0;
  struct auth_secret secret;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", true, &name, err)) ||
      (rc = fields_nullable_id(rq->body, "", "default_layout_id", &has_layout, &layout, err)) ||
      (rc = read_zone(rq, &zone, err)) ||
      (rc = insert_display(rq->store, name, layout, zone ? zone : "UTC", rq->now_ms, &id, &secret,
                           &rq->changes, err)))
    return rc;
  return reply_display(rq, id, 201, secret.token, err);
}

API_HANDLER(api_displays_list) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(rq->store, DISPLAY_SELECT "ORDER BY d.id", &st, err);
  return rc ? rc : reply_rows(rq, st, display_json, err);
}

API_HANDLER(api_displays_get) { return reply_display(rq, rq->params.id[0], 200, NULL, err); }

static enum vt_err require_display(struct request *rq, struct vt_error *err) {
  return rows_require(rq->store, "SELECT 1 FROM displays WHERE id = ?1", rq->params.id[0],
                      "display", err);
}

API_HANDLER(api_displays_patch) {
  static const char *const keys[] = {"name", "default_layout_id", "timezone", NULL};
  int64_t id = rq->params.id[0], layout = 0;
  const char *name = NULL, *zone = NULL;
  bool has_layout;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", false, &name, err)) ||
      (rc = fields_nullable_id(rq->body, "", "default_layout_id", &has_layout, &layout, err)) ||
      (rc = read_zone(rq, &zone, err)) || (rc = require_display(rq, err)) ||
      (rc = check_layout_ref(rq->store, layout, err)) ||
      (rc = store_prepare(rq->store,
                          "UPDATE displays SET name = coalesce(?2, name), default_layout_id = "
                          "CASE WHEN ?3 THEN ?4 ELSE default_layout_id END, "
                          "timezone = coalesce(?6, timezone), updated_at = ?5 WHERE id = ?1",
                          &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, name);
  store_bind_int(st, 3, has_layout);
  if (layout) store_bind_int(st, 4, layout);
  store_bind_int(st, 5, rq->now_ms);
  store_bind_text(st, 6, zone);
  /* compiled here rather than after the handler so the reply shows the new version (a new
   * zone moves every local-time window) */
  if ((rc = store_exec(st, err)) ||
      (rc = compile_display(rq->store, NULL, id, rq->now_ms, false, &rq->changes, err)))
    return rc;
  return reply_display(rq, id, 200, NULL, err);
}

API_HANDLER(api_displays_delete) {
  int64_t id = rq->params.id[0];
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = require_display(rq, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM displays WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  if (!idset_add(&rq->disconnect, id)) return vt_error_no_memory(err);
  return reply_empty(rq, 204);
}

API_HANDLER(api_displays_rotate_token) {
  int64_t id = rq->params.id[0];
  struct auth_secret secret;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = require_display(rq, err)) ||
      (rc = store_prepare(rq->store,
                          "UPDATE displays SET token_public_id = ?2, token_hash = ?3, "
                          "updated_at = ?4 WHERE id = ?1",
                          &st, err)))
    return rc;
  auth_secret_new(AUTH_KIND_DISPLAY, &secret);
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, secret.public_id);
  store_bind_blob(st, 3, secret.hash, sizeof secret.hash);
  store_bind_int(st, 4, rq->now_ms);
  if ((rc = store_exec(st, err))) return rc;
  /* the stream was opened with the old token: end it, the player reconnects with the new */
  if (!idset_add(&rq->disconnect, id)) return vt_error_no_memory(err);
  return reply_display(rq, id, 200, secret.token, err);
}
