/* One HTTP request as the handlers see it. http.c creates it when the headers arrive,
 * fills it through the checks in the route's flags, runs the handler and frees it in
 * libmicrohttpd's request-completed callback (so a stream subscriber lives exactly as long
 * as its connection). Handlers read the fields above "reply", fill the reply through
 * reply.h, and record side effects (recompile, disconnect, files) for http.c to apply
 * after the commit or rollback. */
#ifndef MANAGER_REQUEST_H
#define MANAGER_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "compile.h"
#include "idset.h"
#include "manager.h"
#include "routes.h"
#include "vt_limits.h"

struct MHD_Connection;
struct MHD_Response;
struct spool;
struct hub_sub;

struct request {
  struct manager *m;
  struct store *store; /* m->store, inside the route's transaction */
  struct MHD_Connection *conn;
  const struct route *route;
  struct route_params params;
  struct principal who;
  int64_t now_ms;      /* one clock reading per request: created_at == updated_at on create */
  json_t *body;        /* ROUTE_JSON: the parsed object, owned by the request */
  struct spool *spool; /* ROUTE_UPLOAD: the body on disk, hashed */

  /* Side effects, applied by http.c. */
  struct idset recompile;         /* displays whose manifest may change: compiled before COMMIT */
  struct idset disconnect;        /* displays whose event streams close after COMMIT */
  struct compile_changes changes; /* new manifest versions, announced after COMMIT */
  /* A source's new snapshot version (a menu write), announced after COMMIT to the displays
   * that show it; key "" when none. */
  struct {
    char key[VT_SOURCE_KEY_MAX];
    int64_t version;
    struct idset displays;
  } source_change;
  char *unlink_after_commit;      /* a file to remove once the change stands (owned) */
  char *unlink_after_rollback;    /* a file to remove if the change is undone (owned) */
  struct hub_sub *sub;            /* an event-stream subscriber, freed on completion */

  /* reply (reply.h) */
  unsigned status;
  struct MHD_Response *response;

  /* One extra header for an error reply (Allow for 405, Content-Range for 416). */
  const char *error_header;
  char error_header_value[96];

  /* http.c's own state while the body arrives */
  struct vt_buf body_buf; /* a JSON body (media bodies go to a spool file instead) */
  uint64_t received;
  bool replied;          /* a reply is queued already (an error found before the body) */
  struct vt_error early; /* an error found while the body arrived; code VT_OK if none */
};

/* Query-string and header values (http.c); NULL when absent. Borrowed until the request
 * ends. */
const char *http_query(struct request *rq, const char *key);
const char *http_header(struct request *rq, const char *name);

#endif
