/* /api/v1/schedules: a schedule entry puts a layout on a display's screen for one UTC
 * interval [start, end). Each entry compiles to one manifest window of priority 0; the
 * table already has the priority column richer scheduling will set. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fields.h"
#include "json.h"
#include "reply.h"
#include "rows.h"
#include "store.h"

#define SCHEDULE_COLUMNS "id, display_id, layout_id, start_ms, end_ms, created_at, updated_at"

struct schedule {
  int64_t id, display_id, layout_id, start_ms, end_ms;
};

static json_t *schedule_json(struct request *rq, struct store_stmt *st) {
  (void)rq;
  return json_pack(
      "{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)store_col_int(st, 0), "display_id",
      (json_int_t)store_col_int(st, 1), "layout_id", (json_int_t)store_col_int(st, 2), "start",
      vt_json_time_new(store_col_int(st, 3)), "end", vt_json_time_new(store_col_int(st, 4)), "created_at",
      vt_json_time_new(store_col_int(st, 5)), "updated_at", vt_json_time_new(store_col_int(st, 6)));
}

/* Load entry id into *out (NULL: only check it exists); 404 if absent. */
static enum vt_err schedule_load(struct store *s, int64_t id, struct schedule *out, json_t **json,
                                 struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc =
      store_prepare(s, "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row) {
      rc =
          vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no schedule entry %lld", (long long)id);
    } else {
      if (out)
        *out = (struct schedule){store_col_int(st, 0), store_col_int(st, 1), store_col_int(st, 2),
                                 store_col_int(st, 3), store_col_int(st, 4)};
      if (json && !(*json = schedule_json(NULL, st))) rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  return rc;
}

static enum vt_err reply_schedule(struct request *rq, int64_t id, unsigned status,
                                  struct vt_error *err) {
  json_t *body = NULL;
  enum vt_err rc = schedule_load(rq->store, id, NULL, &body, err);
  return rc ? rc : reply_json(rq, status, body);
}

/* Apply the body onto e (zeroed for a new entry, where every member is required). */
static enum vt_err apply_body(struct request *rq, bool create, struct schedule *e,
                              struct vt_error *err) {
  static const char *const keys[] = {"display_id", "layout_id", "start", "end", NULL};
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = vt_json_int(rq->body, "", "display_id", create, 1, INT64_MAX, &e->display_id, err)) ||
      (rc = vt_json_int(rq->body, "", "layout_id", create, 1, INT64_MAX, &e->layout_id, err)) ||
      (rc = vt_json_time(rq->body, "", "start", create, &e->start_ms, err)) ||
      (rc = vt_json_time(rq->body, "", "end", create, &e->end_ms, err)))
    return rc;
  if (e->end_ms <= e->start_ms)
    return vt_error_set(err, VT_ERR_INVALID, json_object_get(rq->body, "end") ? "end" : "start",
                        "'end' must be after 'start'");
  if ((rc = rows_require_ref(rq->store, "SELECT 1 FROM displays WHERE id = ?1", e->display_id,
                             "display", "display_id", err)) ||
      (rc = rows_require_ref(rq->store, "SELECT 1 FROM layouts WHERE id = ?1", e->layout_id,
                             "layout", "layout_id", err)))
    return rc;
  return VT_OK;
}

static enum vt_err recompile(struct request *rq, int64_t display_id, struct vt_error *err) {
  return idset_add(&rq->recompile, display_id) ? VT_OK : vt_error_no_memory(err);
}

/* Insert (e->id 0: receives the new id) or update the entry's row. */
static enum vt_err save_schedule(struct store *s, struct schedule *e, int64_t now_ms,
                                 struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      e->id ? "UPDATE schedules SET display_id = ?2, layout_id = ?3, start_ms = ?4, end_ms = ?5, "
              "updated_at = ?6 WHERE id = ?1 RETURNING id"
            : "INSERT INTO schedules (display_id, layout_id, start_ms, end_ms, created_at, "
              "updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?6) RETURNING id",
      &st, err);
  if (rc != VT_OK) return rc;
  if (e->id) store_bind_int(st, 1, e->id);
  store_bind_int(st, 2, e->display_id);
  store_bind_int(st, 3, e->layout_id);
  store_bind_int(st, 4, e->start_ms);
  store_bind_int(st, 5, e->end_ms);
  store_bind_int(st, 6, now_ms);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) e->id = store_col_int(st, 0);
  store_done(st);
  return rc;
}

API_HANDLER(api_schedules_create) {
  struct schedule e = {0};
  enum vt_err rc;
  if ((rc = apply_body(rq, true, &e, err)) ||
      (rc = save_schedule(rq->store, &e, rq->now_ms, err)) ||
      (rc = recompile(rq, e.display_id, err)))
    return rc;
  return reply_schedule(rq, e.id, 201, err);
}

API_HANDLER(api_schedules_list) {
  const char *filter = http_query(rq, "display_id");
  int64_t display = 0;
  if (filter) {
    char *end = NULL;
    long long v = strtoll(filter, &end, 10);
    if (!*filter || *end || v < 1)
      return vt_error_set(err, VT_ERR_INVALID, "display_id",
                          "the display_id filter must be a positive integer");
    display = v;
  }
  struct store_stmt *st;
  enum vt_err rc = store_prepare(rq->store,
                                 "SELECT " SCHEDULE_COLUMNS " FROM schedules "
                                 "WHERE ?1 = 0 OR display_id = ?1 ORDER BY start_ms, id",
                                 &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, display);
  return reply_rows(rq, st, schedule_json, err);
}

API_HANDLER(api_schedules_get) { return reply_schedule(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_schedules_patch) {
  struct schedule e, old;
  enum vt_err rc;
  if ((rc = schedule_load(rq->store, rq->params.id[0], &e, NULL, err))) return rc;
  old = e;
  /* moving an entry changes two displays: the one it left and the one it joined */
  if ((rc = apply_body(rq, false, &e, err)) ||
      (rc = save_schedule(rq->store, &e, rq->now_ms, err)) ||
      (rc = recompile(rq, old.display_id, err)) || (rc = recompile(rq, e.display_id, err)))
    return rc;
  return reply_schedule(rq, e.id, 200, err);
}

API_HANDLER(api_schedules_delete) {
  struct schedule e;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = schedule_load(rq->store, rq->params.id[0], &e, NULL, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM schedules WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, e.id);
  if ((rc = store_exec(st, err)) || (rc = recompile(rq, e.display_id, err))) return rc;
  return reply_empty(rq, 204);
}
