/* Bounded HTTP GETs with libcurl (see http_fetch.h for the rules). */
#include "http_fetch.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

const struct fetch_limits fetch_default_limits = FETCH_DEFAULT_LIMITS;

struct fetch {
  CURL *easy;
  struct curl_slist *headers;
  struct fetch_limits limits;
  struct vt_buf body;
  bool too_large, no_memory;
  char *etag, *last_modified; /* response headers */
  char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
/* curl_global_init is not thread-safe in every libcurl build: run it once, before any
 * handle, whichever thread gets here first. */
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

void fetch_global_init(void) { pthread_once(&curl_once, curl_init_once); }

static size_t on_body(char *data, size_t size, size_t n, void *user) {
  struct fetch *f = user;
  size_t len = size * n;
  if (f->body.len + len > f->limits.max_bytes) {
    f->too_large = true;
    return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
  }
  if (vt_buf_append(&f->body, data, len) != VT_OK) {
    f->no_memory = true;
    return 0;
  }
  return len;
}

/* "Name: value\r\n" → a copy of value when name matches (case-insensitive). */
static void take_header(const char *line, size_t len, const char *name, char **slot) {
  size_t nl = strlen(name);
  if (len <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':') return;
  const char *v = line + nl + 1;
  const char *end = line + len;
  while (v < end && (*v == ' ' || *v == '\t')) v++;
  while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
  char *copy = strndup(v, (size_t)(end - v));
  if (!copy) return;
  free(*slot);
  *slot = copy;
}

static size_t on_header(char *data, size_t size, size_t n, void *user) {
  struct fetch *f = user;
  size_t len = size * n;
  /* a redirect's headers come first; only the last response's validators count */
  if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
    free(f->etag);
    free(f->last_modified);
    f->etag = f->last_modified = NULL;
  }
  take_header(data, len, "ETag", &f->etag);
  take_header(data, len, "Last-Modified", &f->last_modified);
  return len;
}

static bool add_header(struct fetch *f, const char *name, const char *value) {
  if (!value || !*value) return true;
  char line[1024];
  /* a validator we stored ourselves; one that does not fit is dropped, not cut */
  if (snprintf(line, sizeof line, "%s: %s", name, value) >= (int)sizeof line) return true;
  if (strpbrk(value, "\r\n")) return true;
  struct curl_slist *l = curl_slist_append(f->headers, line);
  if (!l) return false;
  f->headers = l;
  return true;
}

struct fetch *fetch_new(const char *url, const char *etag, const char *last_modified,
                        const struct fetch_limits *limits) {
  fetch_global_init();
  struct fetch *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->limits = limits ? *limits : fetch_default_limits;
  f->easy = curl_easy_init();
  if (!f->easy || !add_header(f, "If-None-Match", etag) ||
      !add_header(f, "If-Modified-Since", last_modified)) {
    fetch_free(f);
    return NULL;
  }
  CURL *e = f->easy;
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRECTS);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->limits.timeout_ms);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->limits.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 100L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, f->limits.stall_s);
  /* a server that announces more than the cap is refused before the body starts */
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->limits.max_bytes);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl decodes */
  curl_easy_setopt(e, CURLOPT_USERAGENT, FETCH_USER_AGENT);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, f->errbuf);
  curl_easy_setopt(e, CURLOPT_PRIVATE, f);
  return f;
}

CURL *fetch_easy(struct fetch *f) { return f->easy; }

void fetch_free(struct fetch *f) {
  if (!f) return;
  if (f->easy) curl_easy_cleanup(f->easy);
  curl_slist_free_all(f->headers);
  vt_buf_free(&f->body);
  free(f->etag);
  free(f->last_modified);
  free(f);
}

void fetch_result_clear(struct fetch_result *r) {
  free(r->body);
  free(r->etag);
  free(r->last_modified);
  free(r->content_type);
  memset(r, 0, sizeof *r);
}

static void size_text(size_t bytes, char out[32]) {
  if (bytes >= 1024 * 1024)
    snprintf(out, 32, "%zu MB", bytes / (1024 * 1024));
  else
    snprintf(out, 32, "%zu KB", bytes / 1024);
}

/* A transfer error as an owner reads it. */
static enum vt_err transfer_error(struct fetch *f, CURLcode code, struct vt_error *err) {
  char cap[32];
  size_text(f->limits.max_bytes, cap);
  if (f->no_memory) return vt_error_no_memory(err);
  if (f->too_large || code == CURLE_FILESIZE_EXCEEDED)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "the response is larger than %s", cap);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    double seen = 0;
    curl_easy_getinfo(f->easy, CURLINFO_TOTAL_TIME, &seen);
    if (seen * 1000 < (double)f->limits.timeout_ms - 500)
      return vt_error_set(err, VT_ERR_UNAVAILABLE, "url",
                          "the server stalled (under 100 bytes/s for %ld s)", f->limits.stall_s);
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "timed out after %ld s",
                        f->limits.timeout_ms / 1000);
  }
  if (code == CURLE_UNSUPPORTED_PROTOCOL)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "only http and https URLs are fetched");
  if (code == CURLE_TOO_MANY_REDIRECTS)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "more than %d redirects",
                        FETCH_MAX_REDIRECTS);
  return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "%s",
                      f->errbuf[0] ? f->errbuf : curl_easy_strerror(code));
}

enum vt_err fetch_finish(struct fetch *f, CURLcode code, struct fetch_result *out,
                         struct vt_error *err) {
  memset(out, 0, sizeof *out);
  if (code != CURLE_OK) return transfer_error(f, code, err);
  curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &out->status);
  if (out->status == 304) {
    out->not_modified = true;
  } else if (out->status < 200 || out->status > 299) {
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "url", "the server answered HTTP %ld",
                        out->status);
  } else {
    if (!f->body.data && vt_buf_append(&f->body, "", 0) != VT_OK) return vt_error_no_memory(err);
    out->body = vt_buf_take(&f->body, &out->len);
  }
  const char *type = NULL;
  curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &type);
  if (type && !(out->content_type = strdup(type))) goto no_memory;
  out->etag = f->etag;
  out->last_modified = f->last_modified;
  f->etag = f->last_modified = NULL;
  return VT_OK;
no_memory:
  fetch_result_clear(out);
  return vt_error_no_memory(err);
}

enum vt_err http_fetch(const char *url, const char *etag, const char *last_modified,
                       const struct fetch_limits *limits, struct fetch_result *out,
                       struct vt_error *err) {
  memset(out, 0, sizeof *out);
  struct fetch *f = fetch_new(url, etag, last_modified, limits);
  if (!f) return vt_error_no_memory(err);
  CURLcode code = curl_easy_perform(f->easy);
  enum vt_err rc = fetch_finish(f, code, out, err);
  fetch_free(f);
  return rc;
}

bool fetch_is_url(const char *s) {
  return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

const char *fetch_charset(const char *content_type, char *out, size_t n) {
  out[0] = '\0';
  if (!content_type) return NULL;
  for (const char *p = strchr(content_type, ';'); p; p = strchr(p + 1, ';')) {
    const char *q = p + 1;
    while (*q == ' ' || *q == '\t') q++;
    if (strncasecmp(q, "charset=", 8) != 0) continue;
    q += 8;
    if (*q == '"' || *q == '\'') q++;
    size_t len = strcspn(q, "\"'; \t");
    if (len == 0 || len >= n) return NULL; /* no real charset name is that long */
    memcpy(out, q, len);
    out[len] = '\0';
    return out;
  }
  return NULL;
}
