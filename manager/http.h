/* The HTTP server: libmicrohttpd glue (docs/internals/hub.md for the threading model).
 * One internal epoll thread runs every request and every event stream. For each request,
 * in this order: route lookup (404/405), token and role (401/403), body size and type
 * (413/415) before the body is read, the capped body read, JSON parse, then the handler in
 * its transaction, the manifests it affects compiled, COMMIT, and only then the hub told. */
#ifndef MANAGER_HTTP_H
#define MANAGER_HTTP_H

#include <stddef.h>

#include "hub.h"
#include "manager.h"
#include "vt_err.h"

struct http;

/* Suspend/resume of libmicrohttpd connections, for hub_new. */
extern const struct hub_conn_ops http_hub_ops;

/* Listen on "HOST:PORT" ("127.0.0.1:0" picks a free port; "[::1]:8080" for IPv6) and
 * serve m. url receives "http://HOST:PORT" with the bound port. */
enum vt_err http_start(struct manager *m, const char *listen, struct http **out, char *url,
                       size_t url_size, struct vt_error *err) VT_WARN_UNUSED;
/* Stop accepting new connections; open ones carry on. */
void http_quiesce(struct http *h);
/* Stop the server. Every event stream must have ended (hub_shutdown) before. NULL: no-op. */
void http_stop(struct http *h);

#endif
