/* Handing a reply to the request: JSON documents, empty replies, prepared responses, and
 * the one error serialisation {"error":{"code","message","field"}}. */
#ifndef MANAGER_REPLY_H
#define MANAGER_REPLY_H

#include <jansson.h>

#include "request.h"
#include "rows.h"
#include "store.h"
#include "vt_err.h"

/* Serialise body (a new reference, stolen: also on failure; NULL means a builder ran out
 * of memory) as the reply. VT_ERR_NO_MEMORY if it cannot. */
enum vt_err reply_json(struct request *rq, unsigned status, json_t *body) VT_WARN_UNUSED;
/* No body (204, 304). */
enum vt_err reply_empty(struct request *rq, unsigned status) VT_WARN_UNUSED;
/* A response the handler built (a file, a stream); the request takes it. */
void reply_take(struct request *rq, unsigned status, struct MHD_Response *response);

/* The usual GET replies. row_json builds one object from the current row, to_json one from
 * a loaded resource (m->playlists[index] or m->layouts[index]); NULL means out of memory. */
typedef json_t *(*reply_row_fn)(struct request *rq, struct store_stmt *st);
typedef json_t *(*reply_loaded_fn)(const struct vt_manifest *m, size_t index,
                                   const struct rows_stamp *stamp);
/* Step every row of st (prepared and bound by the caller; done here, also on error) and
 * reply 200 {"items":[...]}. */
enum vt_err reply_rows(struct request *rq, struct store_stmt *st, reply_row_fn row_json,
                       struct vt_error *err) VT_WARN_UNUSED;
/* Reply 200 {"items":[...]} with the rows of `select_from` ("SELECT cols FROM table", a
 * table with display_id and group_id targets) that ?display_id=N reaches (directly or through
 * one of N's groups) and that are for ?group_id=N; either filter may be absent. */
enum vt_err reply_target_rows(struct request *rq, const char *select_from, const char *order_by,
                              reply_row_fn row_json, struct vt_error *err) VT_WARN_UNUSED;
/* The object row_json builds from the one row sql (a single ?1 parameter, bound to id)
 * returns: *out is new. No row: 404 "there is no <what> <id>". */
enum vt_err reply_row_json(struct request *rq, const char *sql, int64_t id, const char *what,
                           reply_row_fn row_json, json_t **out,
                           struct vt_error *err) VT_WARN_UNUSED;
/* The same, replied with status. */
enum vt_err reply_row(struct request *rq, unsigned status, const char *sql, int64_t id,
                      const char *what, reply_row_fn row_json, struct vt_error *err) VT_WARN_UNUSED;
/* Reply with resource id as stored now (404 if it is not). */
enum vt_err reply_loaded(struct request *rq, unsigned status, int64_t id, rows_loader load,
                         reply_loaded_fn to_json, struct vt_error *err) VT_WARN_UNUSED;
/* Reply 200 {"items":[...]} with every resource whose id ids_sql lists. */
enum vt_err reply_loaded_list(struct request *rq, const char *ids_sql, rows_loader load,
                              reply_loaded_fn to_json, struct vt_error *err) VT_WARN_UNUSED;

/* The JSON error document for e, as a response with the headers every reply carries.
 * NULL only when out of memory. */
struct MHD_Response *reply_error_response(const struct vt_error *e);
/* Add the headers common to all API replies. */
void reply_common_headers(struct MHD_Response *r);

#endif
