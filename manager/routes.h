/* The route table (routes.c) and its lookup (router.c). http.c applies each route's
 * min_role and flags before the handler runs, so a handler holds only resource logic. */
#ifndef MANAGER_ROUTES_H
#define MANAGER_ROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "hash.h"
#include "vt_err.h"

struct request;

/* Fills the reply in rq (reply.h) or returns an error for the route layer to report.
 * Runs inside the route's transaction. */
typedef enum vt_err (*route_handler)(struct request *rq, struct vt_error *err);

enum route_flag {
  /* BEGIN IMMEDIATE before the handler; recompile the affected displays' manifests and
   * COMMIT after it; announce new manifest versions only after the commit. Without it the
   * handler runs in a read transaction. */
  ROUTE_WRITE = 1u << 0,
  /* The body is a JSON object (application/json, at most VT_LIMIT_JSON_BODY), parsed
   * once into rq->body. Without ROUTE_JSON or ROUTE_UPLOAD a non-empty body is a 400. */
  ROUTE_JSON = 1u << 1,
  /* The body is raw media (at most VT_LIMIT_MEDIA_BODY), spooled to a temp file while it
   * is hashed, handed over as rq->spool. */
  ROUTE_UPLOAD = 1u << 2,
};

struct route {
  const char *method;  /* "GET" also answers HEAD */
  const char *pattern; /* "/api/v1/playlists/{id}"; {sha256} is 64 hex, any other {x} an id */
  route_handler handler;
  enum auth_role min_role;
  unsigned flags;
};

extern const struct route routes[];
extern const size_t routes_count;

#define ROUTE_MAX_IDS 2

/* Values of a matched pattern's placeholders, in order. */
struct route_params {
  int64_t id[ROUTE_MAX_IDS]; /* {id}, {item_id}: decimal 1..INT64_MAX, no leading zero */
  size_t n_ids;
  char sha256[VT_SHA256_HEX_LEN + 1]; /* {sha256} */
};

/* The route for (method, path). NULL with VT_ERR_NOT_FOUND when no pattern matches the
 * path, VT_ERR_METHOD_NOT_ALLOWED when one does but not for this method; allow then lists
 * the methods that would ("GET, PATCH, DELETE"). */
const struct route *router_find(const char *method, const char *path, struct route_params *p,
                                char *allow, size_t allow_size, struct vt_error *err);

/* Write the path of r with its placeholders replaced by the given values (tests use it to
 * reach every route). false if it does not fit. */
int router_fill(const struct route *r, const int64_t *ids, size_t n_ids, const char *sha256,
                char *out, size_t size);

#endif
