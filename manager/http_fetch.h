/* One bounded HTTP GET with libcurl: what the manager uses to read feeds, weather and rates
 * from the outside world, where every server may be slow, huge, hostile or gone.
 *
 * Every fetch has a size cap (counted after content decoding, so a compressed bomb stops
 * at the cap too), a total time cap, a stall cap (too few bytes for too long), at most a few
 * redirects, and only http/https (a feed must never make the manager read file:// or talk
 * gopher). Conditional fetches: give the last ETag / Last-Modified; a 304 is "not
 * modified", not an error. No global state: fetches run on any thread (CURLOPT_NOSIGNAL).
 *
 * A fetch is an easy handle that can run alone (http_fetch) or inside a curl multi handle
 * (fetch_new, fetch_easy, then fetch_finish with the transfer's CURLcode). */
#ifndef MANAGER_HTTP_FETCH_H
#define MANAGER_HTTP_FETCH_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "vt_err.h"

/* A feed larger than this is not a news feed; the real ones in the test corpus are under
 * 1 MB, and a weather forecast for ten days is about 200 KB. */
#define FETCH_DEFAULT_MAX_BYTES (8u * 1024 * 1024)
/* A whole fetch, and a connection alone; a feed is never urgent but must not pile up. */
#define FETCH_DEFAULT_TIMEOUT_MS 30000
#define FETCH_DEFAULT_CONNECT_TIMEOUT_MS 10000
/* Stalled: under 100 bytes/s for 10 s (a slow-drip server). */
#define FETCH_DEFAULT_STALL_S 10
#define FETCH_MAX_REDIRECTS 5
/* MET Norway refuses anonymous clients; every service asks to be told who calls it. */
#define FETCH_USER_AGENT "vitrine-manager/0.1 (digital signage; +https://example.invalid/vitrine)"

struct fetch_limits {
  size_t max_bytes;
  long timeout_ms, connect_timeout_ms, stall_s;
};
#define FETCH_DEFAULT_LIMITS                                                                   \
  {FETCH_DEFAULT_MAX_BYTES, FETCH_DEFAULT_TIMEOUT_MS, FETCH_DEFAULT_CONNECT_TIMEOUT_MS,          \
   FETCH_DEFAULT_STALL_S}
extern const struct fetch_limits fetch_default_limits;

struct fetch_result {
  long status;        /* HTTP status; 0 when no response came */
  bool not_modified;  /* 304 to a conditional fetch */
  char *body;         /* NUL-terminated (NULL on 304); len bytes */
  size_t len;
  char *etag, *last_modified; /* as sent by the server, NULL when absent */
  char *content_type;         /* e.g. "application/rss+xml; charset=ISO-8859-1", or NULL */
};
void fetch_result_clear(struct fetch_result *r); /* frees and zeroes */

/* libcurl's one-time set-up; fetch_new does it too. Call it before making a multi handle. */
void fetch_global_init(void);

struct fetch;
/* etag / last_modified: from the last good fetch, or NULL. NULL on no memory. */
struct fetch *fetch_new(const char *url, const char *etag, const char *last_modified,
                        const struct fetch_limits *limits);
CURL *fetch_easy(struct fetch *f); /* for curl_multi_add_handle; owned by f */
/* After the transfer ended with code: a 2xx or 304 fills out; anything else is
 * VT_ERR_UNAVAILABLE with a message an owner can act on ("HTTP 404", "larger than 8 MB",
 * "stalled", "timed out after 30 s", "could not resolve host"). */
enum vt_err fetch_finish(struct fetch *f, CURLcode code, struct fetch_result *out,
                         struct vt_error *err) VT_WARN_UNUSED;
void fetch_free(struct fetch *f); /* NULL is a no-op */

/* The whole fetch on this thread (the check commands). */
enum vt_err http_fetch(const char *url, const char *etag, const char *last_modified,
                       const struct fetch_limits *limits, struct fetch_result *out,
                       struct vt_error *err) VT_WARN_UNUSED;

/* The charset parameter of a Content-Type into out ("" when none or too long); returns out,
 * or NULL when there is none: the hint the parsers take. */
const char *fetch_charset(const char *content_type, char *out, size_t n);

/* Is s an http:// or https:// URL (and so something to fetch rather than a file to read)? */
bool fetch_is_url(const char *s);

#endif
