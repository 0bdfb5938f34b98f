/* GET /api/v1/displays/{id}/timeline: the preview of what a display shows, minute by
 * minute (preview.c does the work; docs/scheduling.md, "Preview"). */
#include "api.h"
#include "preview.h"
#include "reply.h"
#include "rows.h"

API_HANDLER(api_displays_timeline) {
  int64_t id = rq->params.id[0], from_ms = 0, to_ms = 0;
  struct preview p = {0};
  json_t *body = NULL;
  enum vt_err rc;
  /* the path before the query: an unknown display is 404 whatever the range says */
  if ((rc = rows_require(rq->store, "SELECT 1 FROM displays WHERE id = ?1", id, "display", err)) ||
      (rc = preview_range(http_query(rq, "from"), http_query(rq, "to"), rq->now_ms, &from_ms,
                          &to_ms, err)) ||
      (rc = preview_open(rq->store, id, from_ms, to_ms, &p, err)))
    return rc;
  rc = preview_json(&p, &body, err);
  preview_close(&p);
  return rc ? rc : reply_json(rq, 200, body);
}
