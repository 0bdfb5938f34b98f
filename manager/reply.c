#include "reply.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"

static struct MHD_Response *json_response(json_t *body) {
  char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
  json_decref(body);
  if (!text) return NULL;
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(text);
    return NULL;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  reply_common_headers(r);
  return r;
}

void reply_common_headers(struct MHD_Response *r) {
  /* API answers describe mutable state; the immutable media set their own policy. */
  if (!MHD_get_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL))
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

void reply_take(struct request *rq, unsigned status, struct MHD_Response *response) {
  if (rq->response) MHD_destroy_response(rq->response);
  rq->status = status;
  rq->response = response;
}

enum vt_err reply_json(struct request *rq, unsigned status, json_t *body) {
  struct MHD_Response *r = json_response(body);
  if (!r) return VT_ERR_NO_MEMORY;
  reply_take(rq, status, r);
  return VT_OK;
}

enum vt_err reply_empty(struct request *rq, unsigned status) {
  struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (!r) return VT_ERR_NO_MEMORY;
  reply_common_headers(r);
  reply_take(rq, status, r);
  return VT_OK;
}

/* Reply 200 {"items":items} (stolen) unless rc says otherwise. */
static enum vt_err reply_items(struct request *rq, json_t *items, enum vt_err rc) {
  if (rc != VT_OK) {
    json_decref(items);
    return rc;
  }
  return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

enum vt_err reply_rows(struct request *rq, struct store_stmt *st, reply_row_fn row_json,
                       struct vt_error *err) {
  json_t *items = json_array();
  enum vt_err rc = items ? VT_OK : vt_error_no_memory(err);
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row)
    if (json_array_append_new(items, row_json(rq, st)) != 0) rc = vt_error_no_memory(err);
  store_done(st);
  return reply_items(rq, items, rc);
}

enum vt_err reply_target_rows(struct request *rq, const char *select_from, const char *order_by,
                              reply_row_fn row_json, struct vt_error *err) {
  int64_t display = 0, group = 0;
  char sql[1024];
  struct store_stmt *st;
  enum vt_err rc;
  snprintf(sql, sizeof sql,
           "%s WHERE (?1 = 0 OR display_id = ?1 OR group_id IN "
           "(SELECT group_id FROM group_members WHERE display_id = ?1)) "
           "AND (?2 = 0 OR group_id = ?2) ORDER BY %s",
           select_from, order_by);
  if ((rc = fields_query_id(http_query(rq, "display_id"), "display_id", &display, err)) ||
      (rc = fields_query_id(http_query(rq, "group_id"), "group_id", &group, err)) ||
      (rc = store_prepare(rq->store, sql, &st, err)))
    return rc;
  store_bind_int(st, 1, display);
  store_bind_int(st, 2, group);
  return reply_rows(rq, st, row_json, err);
}

enum vt_err reply_row_json(struct request *rq, const char *sql, int64_t id, const char *what,
                           reply_row_fn row_json, json_t **out, struct vt_error *err) {
  struct store_stmt *st;
  *out = NULL;
  enum vt_err rc = store_prepare(rq->store, sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row)
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no %s %lld", what, (long long)id);
    else if (!(*out = row_json(rq, st)))
      rc = vt_error_no_memory(err);
  }
  store_done(st);
  return rc;
}

enum vt_err reply_row(struct request *rq, unsigned status, const char *sql, int64_t id,
                      const char *what, reply_row_fn row_json, struct vt_error *err) {
  json_t *body;
  enum vt_err rc = reply_row_json(rq, sql, id, what, row_json, &body, err);
  return rc ? rc : reply_json(rq, status, body);
}

enum vt_err reply_loaded(struct request *rq, unsigned status, int64_t id, rows_loader load,
                         reply_loaded_fn to_json, struct vt_error *err) {
  struct vt_manifest *m = vt_manifest_new();
  struct rows_stamp stamp;
  size_t idx;
  if (!m) return vt_error_no_memory(err);
  enum vt_err rc = load(rq->store, id, m, &idx, &stamp, err);
  if (rc == VT_OK) rc = reply_json(rq, status, to_json(m, idx, &stamp));
  vt_manifest_free(m);
  return rc;
}

enum vt_err reply_loaded_list(struct request *rq, const char *ids_sql, rows_loader load,
                              reply_loaded_fn to_json, struct vt_error *err) {
  struct idset ids = {0};
  struct vt_manifest *m = vt_manifest_new();
  json_t *items = json_array();
  struct rows_stamp stamp;
  size_t idx;
  enum vt_err rc = m && items ? rows_ids(rq->store, ids_sql, 0, &ids, err) : vt_error_no_memory(err);
  for (size_t i = 0; rc == VT_OK && i < ids.n; i++)
    if ((rc = load(rq->store, ids.ids[i], m, &idx, &stamp, err)) == VT_OK &&
        json_array_append_new(items, to_json(m, idx, &stamp)) != 0)
      rc = vt_error_no_memory(err);
  vt_manifest_free(m);
  idset_clear(&ids);
  return reply_items(rq, items, rc);
}

struct MHD_Response *reply_error_response(const struct vt_error *e) {
  const char *message = e->message[0] ? e->message : vt_err_message(e->code);
  json_t *body = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", vt_err_code(e->code), "message",
                           message, "field", e->field[0] ? e->field : NULL);
  /* A message quoting client bytes may not be UTF-8; then say only what kind of error. */
  if (!body)
    body = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", vt_err_code(e->code), "message",
                     vt_err_message(e->code), "field");
  return json_response(body);
}
