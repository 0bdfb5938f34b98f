/* libmicrohttpd glue: capped body read, route lookup, generic checks, the transaction
 * around each handler, and the reply. Handlers never see libmicrohttpd's callbacks.
 *
 * libmicrohttpd calls on_access several times per request: once when the headers are in
 * (admit), once per body chunk (take_body), and once more with no data (finish).
 * on_completed frees the request, whatever happened. */
#include "http.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "compile.h"
#include "json.h"
#include "vt_limits.h"
#include "log.h"
#include "media_probe.h"
#include "reply.h"
#include "request.h"
#include "spool.h"
#include "store.h"
#include "timeutil.h"

/* An idle (non-stream) connection is closed after this long; event streams opt out. */
#define HTTP_IDLE_TIMEOUT_S 60
/* File descriptors kept back from the connection limit for the database, media files
 * being served and uploads being spooled. */
#define HTTP_FD_RESERVE 64
/* A body without Content-Length (chunked) that overflows its cap cannot be answered
 * before it ends (libmicrohttpd queues replies only before or after the body), so it is
 * read and dropped, up to this much past the cap, for the client to get its 413; past
 * that we hang up rather than read an endless stream. */
#define HTTP_DRAIN_MAX (16u << 20)

struct http {
  struct MHD_Daemon *daemon;
  struct manager *m;
};

static void hub_suspend(void *conn) { MHD_suspend_connection(conn); }
static void hub_resume(void *conn) { MHD_resume_connection(conn); }
const struct hub_conn_ops http_hub_ops = {hub_suspend, hub_resume};

const char *http_query(struct request *rq, const char *key) {
  return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *http_header(struct request *rq, const char *name) {
  return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* ---- reply --------------------------------------------------------------------------- */

static enum MHD_Result queue(struct request *rq, unsigned status, struct MHD_Response *r) {
  rq->replied = true;
  if (!r) return MHD_NO;
  enum MHD_Result ok = MHD_queue_response(rq->conn, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result queue_error(struct request *rq, const struct vt_error *e) {
  int status = vt_err_http_status(e->code);
  if (status >= 500)
    vt_warn("http", "%s: %s %s", rq->route ? rq->route->pattern : "-", vt_err_code(e->code),
            e->message);
  struct MHD_Response *r = reply_error_response(e);
  if (r && status == MHD_HTTP_UNAUTHORIZED)
    MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  if (r && rq->error_header) MHD_add_response_header(r, rq->error_header, rq->error_header_value);
  return queue(rq, (unsigned)status, r);
}

/* ---- admission: everything decided from the request line and headers ---------------- */

static bool is_json_type(const char *ct) {
  if (!ct) return true; /* a bare body is taken for JSON */
  size_t n = strcspn(ct, "; ");
  return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

static uint64_t body_cap(const struct route *r) {
  return r->flags & ROUTE_UPLOAD ? VT_LIMIT_MEDIA_BODY : VT_LIMIT_JSON_BODY;
}

static enum vt_err check_body_headers(struct request *rq, struct vt_error *err) {
  const char *len = http_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (len) {
    char *end = NULL;
    unsigned long long n = strtoull(len, &end, 10);
    if (end == len || *end != '\0')
      return vt_error_set(err, VT_ERR_INVALID, "", "Content-Length is not a number");
    if (n > body_cap(rq->route))
      return vt_error_set(err, VT_ERR_TOO_LARGE, "", "the body is larger than %llu bytes",
                          (unsigned long long)body_cap(rq->route));
  }
  const char *ct = http_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
  if (rq->route->flags & ROUTE_UPLOAD) {
    if (!media_probe_type_of(ct))
      return vt_error_set(err, VT_ERR_UNSUPPORTED_MEDIA, "",
                          "Content-Type must be image/png, image/jpeg, image/gif, image/webp or "
                          "image/bmp");
    return spool_new(NULL, rq->m->paths.tmp, &rq->spool, err);
  }
  if ((rq->route->flags & ROUTE_JSON) && !is_json_type(ct))
    return vt_error_set(err, VT_ERR_UNSUPPORTED_MEDIA, "", "Content-Type must be application/json");
  return VT_OK;
}

/* Route, token and role, then the body's declared size and type: all before any body
 * byte is read, so an unauthenticated or oversized upload costs nothing. */
static enum vt_err admit(struct request *rq, const char *method, const char *url,
                         struct vt_error *err) {
  enum vt_err rc;
  rq->route = router_find(method, url, &rq->params, rq->error_header_value,
                          sizeof rq->error_header_value, err);
  if (!rq->route) {
    if (err->code == VT_ERR_METHOD_NOT_ALLOWED) rq->error_header = MHD_HTTP_HEADER_ALLOW;
    return err->code;
  }
  const char *authz = http_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
  if ((rc = auth_identify(rq->store, authz, &rq->who, err)) ||
      (rc = auth_allow(&rq->who, rq->route->min_role, err)))
    return rc;
  if (rq->who.role == AUTH_DISPLAY) hub_seen(rq->m->hub, rq->who.id, rq->now_ms);
  return check_body_headers(rq, err);
}

/* ---- body ---------------------------------------------------------------------------- */

/* Count every byte; keep them only while under the cap and no error is pending. */
static enum MHD_Result take_body(struct request *rq, const char *data, size_t n) {
  uint64_t cap = body_cap(rq->route);
  rq->received += n;
  if (rq->received > cap + HTTP_DRAIN_MAX) return MHD_NO;
  if (rq->early.code != VT_OK) return MHD_YES;
  if (rq->received > cap) {
    vt_error_set(&rq->early, VT_ERR_TOO_LARGE, "", "the body is larger than %llu bytes",
                 (unsigned long long)cap);
    vt_buf_free(&rq->body_buf);
    return MHD_YES;
  }
  /* a failure lands in rq->early and is reported once the body is complete */
  if (rq->spool) {
    if (spool_write(rq->spool, data, n, &rq->early) != VT_OK) return MHD_YES; /* in early */
  } else if (vt_buf_append(&rq->body_buf, data, n) != VT_OK) {
    vt_error_no_memory(&rq->early);
  }
  return MHD_YES;
}

/* The complete body, checked against what the route takes. */
static enum vt_err prepare_body(struct request *rq, struct vt_error *err) {
  enum vt_err rc;
  if (rq->early.code != VT_OK) {
    *err = rq->early;
    return err->code;
  }
  if (rq->spool) return spool_finish(rq->spool, err);
  if (!(rq->route->flags & ROUTE_JSON)) {
    if (rq->received > 0)
      return vt_error_set(err, VT_ERR_INVALID, "", "%s %s takes no body", rq->route->method,
                          rq->route->pattern);
    return VT_OK;
  }
  if ((rc = vt_json_parse(rq->body_buf.data ? rq->body_buf.data : "", rq->body_buf.len, &rq->body, err)) ||
      (rc = vt_json_expect_object(rq->body, "", err)))
    return rc;
  return VT_OK;
}

/* ---- the transaction around the handler ---------------------------------------------- */

/* Before COMMIT: bring every affected display's manifest up to date (one cache for all:
 * an entry for a group is expanded once, not once per display). */
static enum vt_err recompile(struct request *rq, struct vt_error *err) {
  idset_seal(&rq->recompile);
  struct compile_cache *cache = rq->recompile.n > 1 ? compile_cache_new() : NULL;
  enum vt_err rc = VT_OK;
  for (size_t i = 0; rc == VT_OK && i < rq->recompile.n; i++)
    rc = compile_display(rq->store, cache, rq->recompile.ids[i], rq->now_ms, false, &rq->changes,
                         err);
  compile_cache_free(cache);
  return rc;
}

/* After COMMIT: the change stands; tell the world. */
static void after_commit(struct request *rq) {
  if (rq->unlink_after_commit && unlink(rq->unlink_after_commit) != 0)
    vt_warn("http", "cannot remove %s", rq->unlink_after_commit);
  idset_seal(&rq->disconnect);
  for (size_t i = 0; i < rq->disconnect.n; i++) hub_disconnect(rq->m->hub, rq->disconnect.ids[i]);
  for (size_t i = 0; i < rq->changes.n; i++) {
    const struct compile_change *c = &rq->changes.v[i];
    hub_announce(rq->m->hub, c->display_id, c->version, c->etag);
  }
  if (rq->source_change.key[0] && rq->source_change.displays.n)
    hub_announce_source(rq->m->hub, rq->source_change.displays.ids, rq->source_change.displays.n,
                        rq->source_change.key, rq->source_change.version);
}

static void after_rollback(struct request *rq) {
  if (rq->unlink_after_rollback) unlink(rq->unlink_after_rollback);
  compile_changes_clear(&rq->changes);
  if (rq->response) {
    MHD_destroy_response(rq->response);
    rq->response = NULL;
  }
}

static enum vt_err run_route(struct request *rq, struct vt_error *err) {
  bool write = rq->route->flags & ROUTE_WRITE;
  enum vt_err rc = store_begin(rq->store, write, err);
  if (rc != VT_OK) return rc;
  rc = rq->route->handler(rq, err);
  if (rc == VT_OK && write) rc = recompile(rq, err);
  if (rc == VT_OK && !rq->response) rc = vt_error_set(err, VT_ERR_INTERNAL, "", "no reply");
  if (rc == VT_OK)
    rc = store_commit(rq->store, err);
  else
    store_rollback(rq->store);
  if (rc != VT_OK && err->code == VT_OK) vt_error_set(err, rc, "", NULL); /* bare code */
  if (rc != VT_OK) {
    after_rollback(rq);
    return rc;
  }
  after_commit(rq);
  return VT_OK;
}

static enum MHD_Result finish(struct request *rq) {
  struct vt_error err = {0};
  enum vt_err rc = prepare_body(rq, &err);
  if (rc == VT_OK) rc = run_route(rq, &err);
  /* The temp file goes before the reply: a client that sees the answer sees no leftover. */
  spool_free(rq->spool);
  rq->spool = NULL;
  if (rc != VT_OK) return queue_error(rq, &err);
  struct MHD_Response *r = rq->response;
  rq->response = NULL;
  return queue(rq, rq->status, r);
}

/* ---- libmicrohttpd callbacks --------------------------------------------------------- */

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version, const char *data,
                                 size_t *data_size, void **con_cls) {
  (void)version;
  struct request *rq = *con_cls;
  if (!rq) {
    rq = calloc(1, sizeof *rq);
    if (!rq) return MHD_NO;
    *con_cls = rq;
    rq->m = cls;
    rq->store = rq->m->store;
    rq->conn = conn;
    rq->now_ms = vt_now_ms();
    struct vt_error err = {0};
    if (admit(rq, method, url, &err) != VT_OK) return queue_error(rq, &err);
    return MHD_YES;
  }
  if (*data_size) {
    size_t n = *data_size;
    *data_size = 0;
    return rq->replied ? MHD_YES : take_body(rq, data, n);
  }
  return rq->replied ? MHD_YES : finish(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)conn;
  (void)toe;
  struct request *rq = *con_cls;
  if (!rq) return;
  *con_cls = NULL;
  hub_unsubscribe(rq->sub);
  spool_free(rq->spool);
  json_decref(rq->body);
  if (rq->response) MHD_destroy_response(rq->response);
  idset_clear(&rq->recompile);
  idset_clear(&rq->disconnect);
  idset_clear(&rq->source_change.displays);
  compile_changes_clear(&rq->changes);
  free(rq->unlink_after_commit);
  free(rq->unlink_after_rollback);
  vt_buf_free(&rq->body_buf);
  free(rq);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char line[256];
  vsnprintf(line, sizeof line, fmt, ap);
  line[strcspn(line, "\n")] = '\0';
  vt_info("mhd", "%s", line);
}

/* ---- start and stop ------------------------------------------------------------------ */

/* "HOST:PORT" or "[V6]:PORT" into host and port strings. */
static enum vt_err split_listen(const char *listen, char *host, size_t hsize, char *port,
                                size_t psize, bool *bracketed, struct vt_error *err) {
  const char *colon = strrchr(listen, ':');
  const char *h = listen;
  size_t hlen = colon ? (size_t)(colon - listen) : 0;
  *bracketed = hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']';
  if (*bracketed) {
    h++;
    hlen -= 2;
  }
  if (!colon || hlen == 0 || hlen >= hsize || strlen(colon + 1) == 0 ||
      strlen(colon + 1) >= psize || strspn(colon + 1, "0123456789") != strlen(colon + 1))
    return vt_error_set(err, VT_ERR_INVALID, "listen", "--listen must be HOST:PORT, got '%s'",
                        listen);
  memcpy(host, h, hlen);
  host[hlen] = '\0';
  snprintf(port, psize, "%s", colon + 1);
  return VT_OK;
}

/* Thousands of event streams need thousands of descriptors: take the hard limit. */
static unsigned raise_fd_limit(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024 - HTTP_FD_RESERVE;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
  }
  rlim_t n = rl.rlim_cur == RLIM_INFINITY ? 1000000 : rl.rlim_cur;
  if (n > 1000000) n = 1000000;
  return n > 2 * HTTP_FD_RESERVE ? (unsigned)(n - HTTP_FD_RESERVE) : HTTP_FD_RESERVE;
}

enum vt_err http_start(struct manager *m, const char *listen, struct http **out, char *url,
                       size_t url_size, struct vt_error *err) {
  char host[256], port[16];
  bool v6;
  enum vt_err rc = split_listen(listen, host, sizeof host, port, sizeof port, &v6, err);
  if (rc != VT_OK) return rc;
  struct addrinfo hints = {.ai_family = AF_UNSPEC,
                           .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_NUMERICSERV | AI_PASSIVE},
                  *ai = NULL;
  int gai = getaddrinfo(host, port, &hints, &ai);
  if (gai != 0)
    return vt_error_set(err, VT_ERR_INVALID, "listen", "cannot resolve %s: %s", host,
                        gai_strerror(gai));
  struct http *h = calloc(1, sizeof *h);
  if (!h) {
    freeaddrinfo(ai);
    return vt_error_no_memory(err);
  }
  h->m = m;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
  h->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_access, m, MHD_OPTION_EXTERNAL_LOGGER,
                               on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                               MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_S,
                               MHD_OPTION_CONNECTION_LIMIT, raise_fd_limit(), MHD_OPTION_END);
  freeaddrinfo(ai);
  if (!h->daemon) {
    free(h);
    return vt_error_set(err, VT_ERR_IO, "listen", "cannot listen on %s", listen);
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
  snprintf(url, url_size, "http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
           info ? (unsigned)info->port : 0u);
  *out = h;
  return VT_OK;
}

void http_quiesce(struct http *h) {
  if (!h) return;
  MHD_socket fd = MHD_quiesce_daemon(h->daemon);
  if (fd != MHD_INVALID_SOCKET) close(fd);
}

void http_stop(struct http *h) {
  if (!h) return;
  MHD_stop_daemon(h->daemon);
  free(h);
}
