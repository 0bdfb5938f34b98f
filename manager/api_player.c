/* /api/v1/player: what a display fetches with its own token. The manifest is served as
 * stored by the compiler (never rebuilt on a GET), the snapshots of the sources it lists as
 * their store holds them now; the events stream tells the player when to fetch either again
 * (docs/internals/hub.md, docs/live-content.md). */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "compile.h"
#include "http_cond.h"
#include "hub.h"
#include "reply.h"
#include "sources.h"
#include "store.h"

/* The SSE body is produced a few hundred bytes at a time; this is libmicrohttpd's buffer
 * per read, not a limit on events. */
#define EVENTS_BLOCK_SIZE 1024

struct stored_manifest {
  int64_t version;
  char etag[COMPILE_ETAG_MAX];
};

/* The calling display's stored manifest; with want_body, also a response holding it. */
static enum vt_err load_manifest(struct request *rq, struct stored_manifest *out,
                                 struct MHD_Response **body, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      rq->store, "SELECT version, etag, body FROM manifests WHERE display_id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, rq->who.id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row) {
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "display %lld has no manifest",
                        (long long)rq->who.id);
    } else {
      out->version = store_col_int(st, 0);
      snprintf(out->etag, sizeof out->etag, "%s", store_col_text(st, 1));
      size_t len = 0;
      const void *data = store_col_blob(st, 2, &len);
      if (body &&
          !(*body = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY)))
        rc = vt_error_no_memory(err);
    }
  }
  store_done(st);
  return rc;
}

/* Does the player already hold this version (If-None-Match)? */
static bool holds(struct request *rq, const char *etag) {
  return http_cond_etag_match(http_header(rq, MHD_HTTP_HEADER_IF_NONE_MATCH), etag);
}

/* A versioned document a player revalidates: JSON body r with 200, or, r NULL (the player
 * holds it), an empty 304. */
static enum vt_err reply_versioned(struct request *rq, const char *etag, struct MHD_Response *r,
                                   struct vt_error *err) {
  unsigned status = MHD_HTTP_OK;
  if (r) {
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  } else {
    if (!(r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)))
      return vt_error_no_memory(err);
    status = MHD_HTTP_NOT_MODIFIED;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
  /* the body changes with each version: always revalidate, 304 makes that cheap */
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  reply_common_headers(r);
  reply_take(rq, status, r);
  return VT_OK;
}

API_HANDLER(api_player_manifest) {
  struct stored_manifest m;
  struct MHD_Response *r = NULL;
  enum vt_err rc = load_manifest(rq, &m, &r, err);
  if (rc != VT_OK) return rc;
  if (holds(rq, m.etag)) {
    MHD_destroy_response(r);
    r = NULL;
  }
  return reply_versioned(rq, m.etag, r, err);
}

static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  ssize_t n = hub_read(cls, buf, max);
  return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

API_HANDLER(api_player_events) {
  struct stored_manifest m;
  enum vt_err rc = load_manifest(rq, &m, NULL, err);
  if (rc != VT_OK) return rc;
  /* the request owns the subscriber: freed when libmicrohttpd completes the request */
  rq->sub = hub_subscribe(rq->m->hub, rq->who.id, m.version, m.etag, rq->conn);
  if (!rq->sub) return vt_error_no_memory(err);
  struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, EVENTS_BLOCK_SIZE,
                                                             events_read, rq->sub, NULL);
  if (!r) return vt_error_no_memory(err);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* tell proxies not to buffer */
  reply_common_headers(r);
  /* a stream is idle between events by design; keep-alives prove it is alive */
  MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
  reply_take(rq, MHD_HTTP_OK, r);
  return VT_OK;
}

/* GET /api/v1/player/sources/{menu|feed}/{id}: the snapshot of a source the display's
 * manifest lists (else 404, as for any key it has no business with). Its version is the
 * ETag, so the revalidation a player does on every `source` event and at connect is a 304
 * when nothing changed. */
static enum vt_err player_source(struct request *rq, bool menu, struct vt_error *err) {
  char key[VT_SOURCE_KEY_MAX], etag[VT_SOURCE_KEY_MAX];
  bool listed = false;
  int64_t version = 0;
  json_t *doc = NULL;
  struct store_stmt *st;
  sources_key(key, menu, rq->params.id[0]);
  enum vt_err rc = store_prepare(
      rq->store, "SELECT 1 FROM display_sources WHERE display_id = ?1 AND key = ?2", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, rq->who.id);
  store_bind_text(st, 2, key);
  rc = store_step(st, &listed, err);
  store_done(st);
  if (rc != VT_OK) return rc;
  if (!listed)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "", "display %lld does not show %s",
                        (long long)rq->who.id, key);
  /* the version first: a revalidation that ends in 304 builds no document */
  if ((rc = sources_snapshot(rq->store, key, NULL, &version, err))) return rc;
  snprintf(etag, sizeof etag, "\"%lld\"", (long long)version);
  if (holds(rq, etag)) return reply_versioned(rq, etag, NULL, err);
  if ((rc = sources_snapshot(rq->store, key, &doc, &version, err))) return rc;
  char *body = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15));
  json_decref(doc);
  struct MHD_Response *r =
      body ? MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE) : NULL;
  if (!r) {
    free(body);
    return vt_error_no_memory(err);
  }
  return reply_versioned(rq, etag, r, err);
}

API_HANDLER(api_player_source_menu) { return player_source(rq, true, err); }
API_HANDLER(api_player_source_feed) { return player_source(rq, false, err); }
