/* /api/v1/overrides: an emergency or an announcement takes the screen of a display, or of
 * every display in a group, from its start until its end or until it is cleared (deleted).
 * Unlike schedule entries these are instants, not local times: "now, for ten minutes" means
 * the same moment on every screen. Creating or clearing one recompiles the displays it
 * reaches, so the change is pushed as soon as the write commits. */
#include <jansson.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "json.h"
#include "reply.h"
#include "rows.h"
#include "store.h"
#include "timeutil.h"
#include "vt_limits.h"

#define OVERRIDE_COLUMNS "id, name, display_id, group_id, layout_id, start_ms, end_ms, created_at"

static json_t *override_json(struct request *rq, struct store_stmt *st) {
  int64_t start = store_col_int(st, 5);
  bool open = store_col_null(st, 6);
  int64_t end = open ? VT_TIME_MAX : store_col_int(st, 6);
  return json_pack("{s:I, s:s, s:o, s:o, s:I, s:o, s:o, s:b, s:o}", "id",
                   (json_int_t)store_col_int(st, 0), "name", store_col_text(st, 1), "display_id",
                   fields_id_or_null(store_col_null(st, 2) ? 0 : store_col_int(st, 2)), "group_id",
                   fields_id_or_null(store_col_null(st, 3) ? 0 : store_col_int(st, 3)), "layout_id",
                   (json_int_t)store_col_int(st, 4), "start", vt_json_time_new(start), "end",
                   open ? json_null() : vt_json_time_new(end), "active",
                   start <= rq->now_ms && rq->now_ms < end, "created_at",
                   vt_json_time_new(store_col_int(st, 7)));
}

static enum vt_err reply_override(struct request *rq, int64_t id, unsigned status,
                                  struct vt_error *err) {
  return reply_row(rq, status, "SELECT " OVERRIDE_COLUMNS " FROM overrides WHERE id = ?1", id,
                   "override", override_json, err);
}

/* The target of override id, for recompiling; 404 if there is none. */
static enum vt_err override_target(struct store *s, int64_t id, int64_t *display_id,
                                   int64_t *group_id, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s, "SELECT coalesce(display_id, 0), coalesce(group_id, 0) FROM overrides WHERE id = ?1", &st,
      err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row)
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no override %lld", (long long)id);
    else {
      *display_id = store_col_int(st, 0);
      *group_id = store_col_int(st, 1);
    }
  }
  store_done(st);
  return rc;
}

/* start (default now), then end, duration or neither (until cleared: *end_ms VT_TIME_MAX). */
static enum vt_err read_times(struct request *rq, int64_t *start_ms, int64_t *end_ms,
                              struct vt_error *err) {
  const json_t *b = rq->body;
  bool has_end = false, has_duration;
  int64_t duration_s = 0;
  enum vt_err rc;
  *start_ms = rq->now_ms;
  *end_ms = VT_TIME_MAX;
  if ((rc = vt_json_time(b, "", "start", false, start_ms, err)) ||
      (rc = vt_json_time(b, "", "end", false, end_ms, err)) ||
      (rc = fields_duration(b, "", "duration", &has_duration, &duration_s, err)))
    return rc;
  has_end = *end_ms != VT_TIME_MAX;
  if (has_end && has_duration)
    return vt_error_set(err, VT_ERR_INVALID, "duration",
                        "give either 'end' or 'duration', not both");
  const char *field = has_duration ? "duration" : "end";
  if (has_duration) *end_ms = *start_ms + duration_s * 1000;
  if (*end_ms == VT_TIME_MAX) return VT_OK;
  if (*end_ms <= *start_ms)
    return vt_error_set(err, VT_ERR_INVALID, "end", "'end' must be after 'start'");
  if (*end_ms > VT_TIME_LAST_MS)
    return vt_error_set(err, VT_ERR_INVALID, field, "the override must end before the year 10000");
  /* it would never be on screen; an owner who sends it meant something else */
  if (*end_ms <= rq->now_ms)
    return vt_error_set(err, VT_ERR_INVALID, field, "the override would be over already");
  return VT_OK;
}

API_HANDLER(api_overrides_create) {
  static const char *const keys[] = {"name",  "display_id", "group_id", "layout_id",
                                     "start", "end",        "duration", NULL};
  const char *name = "";
  int64_t display = 0, group = 0, layout = 0, start, end;
  struct store *s = rq->store;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = vt_json_str(rq->body, "", "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = fields_target(rq->body, true, &display, &group, err)) ||
      (rc = vt_json_int(rq->body, "", "layout_id", true, 1, INT64_MAX, &layout, err)) ||
      (rc = read_times(rq, &start, &end, err)) ||
      (display && (rc = rows_require_ref(s, "SELECT 1 FROM displays WHERE id = ?1", display,
                                         "display", "display_id", err))) ||
      (group && (rc = rows_require_ref(s, "SELECT 1 FROM groups WHERE id = ?1", group, "group",
                                       "group_id", err))) ||
      (rc = rows_require_ref(s, "SELECT 1 FROM layouts WHERE id = ?1", layout, "layout",
                             "layout_id", err)) ||
      (rc = store_prepare(s,
                          "INSERT INTO overrides (name, display_id, group_id, layout_id, start_ms, "
                          "end_ms, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                          &st, err)))
    return rc;
  store_bind_text(st, 1, name);
  if (display) store_bind_int(st, 2, display);
  if (group) store_bind_int(st, 3, group);
  store_bind_int(st, 4, layout);
  store_bind_int(st, 5, start);
  if (end != VT_TIME_MAX) store_bind_int(st, 6, end);
  store_bind_int(st, 7, rq->now_ms);
  bool row = false;
  int64_t id = 0;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) id = store_col_int(st, 0);
  store_done(st);
  if (rc || (rc = affected_by_target(s, display, group, &rq->recompile, err))) return rc;
  return reply_override(rq, id, 201, err);
}

/* ?display_id=N: the overrides reaching display N, directly or through one of its groups;
 * ?group_id=N: those for group N. */
API_HANDLER(api_overrides_list) {
  return reply_target_rows(rq, "SELECT " OVERRIDE_COLUMNS " FROM overrides", "id", override_json,
                           err);
}

API_HANDLER(api_overrides_get) { return reply_override(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_overrides_delete) {
  int64_t id = rq->params.id[0], display = 0, group = 0;
  struct store_stmt *st;
  enum vt_err rc;
  /* the displays are read before the row goes: they are what the clearing changes */
  if ((rc = override_target(rq->store, id, &display, &group, err)) ||
      (rc = affected_by_target(rq->store, display, group, &rq->recompile, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM overrides WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
