/* Manifest, source snapshot and media fetches for the sync thread (see download.h).
 *
 * A media file moves through three places, and only cache_store_media moves it into the
 * last one (cache.c, invariant 1):
 *   absent --fetch_part--> tmp/<sha>.part --cache_store_media--> media/<sha>
 *                ^   |  truncated or stalled: the part is kept, the next try resumes it
 *                |   v                        with "Range: bytes=<size of part>-"
 *                +---+  corrupt (too long, wrong hash, wrong range): the part is deleted
 * A server that ignores Range answers 200 with the whole body: the part is then emptied
 * before the first byte is written, so a resume never appends a whole file to half of one.
 *
 * Every transfer runs on the one reusable easy handle (connection reuse keeps a manifest
 * fetch to a few milliseconds); on_progress aborts it when *stop is set or when nothing
 * arrived for stall_ms, which is what bounds both sync_stop and a hung server. */
#include "download.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "hash.h"
#include "vt_limits.h"
#include "log.h"
#include "source.h"
#include "timeutil.h"

#define DOWNLOAD_URL_MAX 2048
#define DOWNLOAD_PATH_MAX 4096
/* How long a transfer may go without looking at the stop flag: sync_stop must return
 * within about a second, and curl's own progress callback can be a second apart when idle. */
#define DOWNLOAD_TICK_MS 100

struct download {
  CURLM *multi; /* runs h, so a transfer can be interrupted between two polls */
  CURL *h;
  char *base; /* manager URL without a trailing slash */
  char *auth; /* "Authorization: Bearer <token>" */
  const atomic_bool *stop;
  int64_t stall_ms;
};

/* Why on_body or on_progress cut a transfer short. */
enum xfer_abort { XFER_NONE, XFER_STOPPED, XFER_STALLED, XFER_TOO_LARGE, XFER_BAD_RANGE, XFER_IO };

/* One transfer: where its body goes, and what the callbacks learnt. The body goes to a
 * file (fd >= 0, media) or to memory (fd < 0, the manifest). */
struct xfer {
  const struct download *d;
  int fd;
  int64_t offset; /* bytes already in the file and asked for with Range; 0 = whole body */
  int64_t max;    /* body bytes allowed in total (the media size, or the manifest cap) */
  int64_t received;
  struct vt_buf body; /* the manifest, when not writing to a file */
  bool body_started;
  int64_t range_start; /* from Content-Range, -1 if none */
  char etag[DOWNLOAD_ETAG_MAX + 1];
  int64_t last_progress_ms;
  curl_off_t last_dlnow;
  enum xfer_abort abort;
  int saved_errno;
};

static bool stop_requested(const struct download *d) { return d->stop && atomic_load(d->stop); }

enum vt_err download_new(const struct download_opts *o, struct download **out,
                         struct vt_error *err) {
  *out = NULL;
  if (!o->manager_url || !*o->manager_url || !o->token)
    return vt_error_set(err, VT_ERR_INVALID, "manager_url", "manager URL and token are required");
  struct download *d = calloc(1, sizeof *d);
  if (!d) return vt_error_no_memory(err);
  size_t n = strlen(o->manager_url);
  while (n > 0 && o->manager_url[n - 1] == '/') n--;
  d->base = strndup(o->manager_url, n);
  size_t auth_len = strlen(o->token) + sizeof "Authorization: Bearer ";
  d->auth = malloc(auth_len);
  d->h = curl_easy_init();
  d->multi = curl_multi_init();
  if (!d->base || !d->auth || !d->h || !d->multi) {
    download_free(d);
    return vt_error_no_memory(err);
  }
  snprintf(d->auth, auth_len, "Authorization: Bearer %s", o->token);
  d->stop = o->stop;
  d->stall_ms = o->stall_ms > 0 ? o->stall_ms : VT_FETCH_STALL_MS;
  *out = d;
  return VT_OK;
}

void download_free(struct download *d) {
  if (!d) return;
  if (d->h) curl_easy_cleanup(d->h);
  if (d->multi) curl_multi_cleanup(d->multi);
  free(d->base);
  free(d->auth);
  free(d);
}

enum vt_err download_prepare_handle(const struct download *d, CURL *h, const char *path,
                                    const char *extra, struct curl_slist **headers,
                                    struct vt_error *err) {
  char url[DOWNLOAD_URL_MAX];
  *headers = NULL;
  if (snprintf(url, sizeof url, "%s%s", d->base, path) >= (int)sizeof url)
    return vt_error_set(err, VT_ERR_INVALID, "manager_url", "URL too long");
  struct curl_slist *list = curl_slist_append(NULL, d->auth);
  if (list && extra) {
    struct curl_slist *more = curl_slist_append(list, extra);
    if (!more) curl_slist_free_all(list);
    list = more;
  }
  if (!list) return vt_error_no_memory(err);
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "vitrine-player");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* we run on a thread; no SIGALRM for DNS */
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)d->stall_ms);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L); /* >= 400: no body, status via getinfo */
  *headers = list;
  return VT_OK;
}

/* ---- callbacks ---- */

/* The value of header line `line` (len bytes, CRLF included) if its name is `name`,
 * trimmed, into out (size bytes); false if another header or the value does not fit. */
static bool header_value(const char *line, size_t len, const char *name, char *out, size_t size) {
  size_t nlen = strlen(name);
  if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':') return false;
  const char *v = line + nlen + 1, *end = line + len;
  while (v < end && (*v == ' ' || *v == '\t')) v++;
  while (end > v && strchr(" \t\r\n", end[-1])) end--;
  size_t vlen = (size_t)(end - v);
  if (vlen >= size) return false;
  memcpy(out, v, vlen);
  out[vlen] = '\0';
  return true;
}

static size_t on_header(char *line, size_t size, size_t n, void *user) {
  struct xfer *x = user;
  size_t len = size * n;
  char value[DOWNLOAD_ETAG_MAX + 1];
  if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new response (after a 100) */
    x->etag[0] = '\0';
    x->range_start = -1;
  } else if (header_value(line, len, "etag", value, sizeof value)) {
    memcpy(x->etag, value, sizeof value);
  } else if (header_value(line, len, "content-range", value, sizeof value)) {
    long long start;
    x->range_start = sscanf(value, "bytes %lld-", &start) == 1 ? start : -1;
  }
  return len;
}

/* The first body byte of a media transfer: check that it continues the part we have. */
static bool body_start(struct xfer *x) {
  long status = 0;
  curl_easy_getinfo(x->d->h, CURLINFO_RESPONSE_CODE, &status);
  if (x->fd < 0) return status == 200;
  if (status == 200 && x->offset > 0) {
    /* The server ignored Range and sends the whole file: start the part again. */
    if (ftruncate(x->fd, 0) != 0) {
      x->saved_errno = errno;
      x->abort = XFER_IO;
      return false;
    }
    vt_info("download", "server ignored Range; fetching the whole file again");
    x->offset = 0;
    return true;
  }
  if (status == 206 && x->range_start != x->offset) {
    x->abort = XFER_BAD_RANGE;
    return false;
  }
  return status == 200 || status == 206;
}

static size_t sink_file(struct xfer *x, const char *p, size_t n) {
  if (vt_write_all(NULL, x->fd, p, n) != 0) {
    x->saved_errno = errno;
    x->abort = XFER_IO;
    return 0;
  }
  return n;
}

static size_t sink_memory(struct xfer *x, const char *p, size_t n) {
  if (vt_buf_append(&x->body, p, n) != VT_OK) {
    x->saved_errno = ENOMEM;
    x->abort = XFER_IO;
    return 0;
  }
  return n;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *user) {
  struct xfer *x = user;
  size_t n = size * nmemb;
  if (!x->body_started) {
    x->body_started = true;
    if (!body_start(x)) return 0;
  }
  if (x->offset + x->received + (int64_t)n > x->max) {
    x->abort = XFER_TOO_LARGE;
    return 0;
  }
  size_t done = x->fd >= 0 ? sink_file(x, p, n) : sink_memory(x, p, n);
  x->received += (int64_t)done;
  return done;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow) {
  (void)dltotal, (void)ultotal, (void)ulnow;
  struct xfer *x = user;
  if (stop_requested(x->d)) {
    x->abort = XFER_STOPPED;
    return 1;
  }
  int64_t now = vt_mono_ms();
  if (dlnow != x->last_dlnow) {
    x->last_dlnow = dlnow;
    x->last_progress_ms = now;
  } else if (now - x->last_progress_ms > x->d->stall_ms) {
    x->abort = XFER_STALLED;
    return 1;
  }
  return 0;
}

/* ---- one transfer ---- */

/* curl_easy_perform, but looking at the stop flag every DOWNLOAD_TICK_MS. The multi keeps
 * the connection cache, so consecutive transfers reuse the manager connection. */
static CURLcode run_transfer(struct download *d, struct xfer *x) {
  CURLcode rc = CURLE_OK;
  if (curl_multi_add_handle(d->multi, d->h) != CURLM_OK) return CURLE_FAILED_INIT;
  int running = 1;
  while (running) {
    if (curl_multi_perform(d->multi, &running) != CURLM_OK) {
      rc = CURLE_FAILED_INIT;
      break;
    }
    if (!running) break;
    if (stop_requested(d)) {
      x->abort = XFER_STOPPED;
      rc = CURLE_ABORTED_BY_CALLBACK;
      break;
    }
    curl_multi_poll(d->multi, NULL, 0, DOWNLOAD_TICK_MS, NULL);
  }
  int left;
  CURLMsg *msg;
  while ((msg = curl_multi_info_read(d->multi, &left)))
    if (msg->msg == CURLMSG_DONE) rc = msg->data.result;
  curl_multi_remove_handle(d->multi, d->h);
  return rc;
}

/* GET path into x; the verdict as an error code. */
static enum vt_err perform(struct download *d, const char *path, const char *extra,
                           struct xfer *x, struct vt_error *err) {
  struct curl_slist *headers;
  curl_easy_reset(d->h); /* keeps the connection cache, drops the last transfer's options */
  enum vt_err e = download_prepare_handle(d, d->h, path, extra, &headers, err);
  if (e != VT_OK) return e;
  x->d = d;
  x->range_start = -1;
  x->last_dlnow = 0;
  x->last_progress_ms = vt_mono_ms();
  curl_easy_setopt(d->h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(d->h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt(d->h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(d->h, CURLOPT_HEADERDATA, x);
  curl_easy_setopt(d->h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(d->h, CURLOPT_XFERINFODATA, x);
  curl_easy_setopt(d->h, CURLOPT_NOPROGRESS, 0L);
  CURLcode rc = run_transfer(d, x);
  curl_slist_free_all(headers);
  long status = 0;
  curl_easy_getinfo(d->h, CURLINFO_RESPONSE_CODE, &status);
  switch (x->abort) {
    case XFER_NONE: break;
    case XFER_STOPPED: return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: stopped", path);
    case XFER_STALLED:
      return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: no progress for %" PRId64 " ms", path,
                          d->stall_ms);
    case XFER_TOO_LARGE:
      return vt_error_set(err, x->fd >= 0 ? VT_ERR_CORRUPT : VT_ERR_TOO_LARGE, "",
                          "%s: body longer than %" PRId64 " bytes", path, x->max);
    case XFER_BAD_RANGE:
      return vt_error_set(err, VT_ERR_CORRUPT, "", "%s: asked for bytes %" PRId64
                          "- but got a range from %" PRId64, path, x->offset, x->range_start);
    case XFER_IO:
      return vt_error_set(err, VT_ERR_IO, "", "%s: %s", path, strerror(x->saved_errno));
  }
  if (rc == CURLE_OK && (status == 200 || status == 206 || status == 304)) return VT_OK;
  switch (status) {
    case 401: return vt_error_set(err, VT_ERR_UNAUTHORIZED, "", "%s: HTTP 401", path);
    case 403: return vt_error_set(err, VT_ERR_FORBIDDEN, "", "%s: HTTP 403", path);
    case 404: return vt_error_set(err, VT_ERR_NOT_FOUND, "", "%s: HTTP 404", path);
    case 416: return vt_error_set(err, VT_ERR_RANGE, "", "%s: HTTP 416", path);
    default: break;
  }
  if (rc != CURLE_OK)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: %s", path, curl_easy_strerror(rc));
  return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: unexpected HTTP %ld", path, status);
}

/* GET path (a JSON document of at most max bytes) with If-None-Match: if_none_match unless
 * it is NULL: the manifest and the source snapshots. what names it in errors. */
static enum vt_err fetch_document(struct download *d, const char *path, const char *what,
                                  int64_t max, const char *if_none_match, char **body,
                                  size_t *len, char **etag, struct vt_error *err) {
  *body = NULL;
  *etag = NULL;
  *len = 0;
  char cond[DOWNLOAD_ETAG_MAX + 32];
  const char *extra = NULL;
  if (if_none_match && *if_none_match) {
    if (snprintf(cond, sizeof cond, "If-None-Match: %s", if_none_match) >= (int)sizeof cond)
      return vt_error_set(err, VT_ERR_INVALID, "etag", "etag too long");
    extra = cond;
  }
  struct xfer x = {.fd = -1, .max = max};
  enum vt_err e = perform(d, path, extra, &x, err);
  long status = 0;
  curl_easy_getinfo(d->h, CURLINFO_RESPONSE_CODE, &status);
  if (e == VT_OK && status == 304) {
    vt_buf_free(&x.body);
    return VT_OK;
  }
  if (e == VT_OK && (status != 200 || !x.body.data))
    e = vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: HTTP %ld with %s body", what, status,
                     x.body.data ? "a" : "no");
  if (e == VT_OK && x.etag[0] && !(*etag = strdup(x.etag)))
    e = vt_error_no_memory(err);
  if (e != VT_OK) {
    vt_buf_free(&x.body);
    return e;
  }
  *body = vt_buf_take(&x.body, len);
  return VT_OK;
}

enum vt_err download_manifest(struct download *d, const char *if_none_match, char **body,
                              size_t *len, char **etag, struct vt_error *err) {
  return fetch_document(d, "/api/v1/player/manifest", "manifest", VT_LIMIT_MANIFEST_BYTES,
                        if_none_match, body, len, etag, err);
}

enum vt_err download_source(struct download *d, const char *key, const char *if_none_match,
                            char **body, size_t *len, char **etag, struct vt_error *err) {
  bool menu;
  int64_t id;
  char path[64 + VT_SOURCE_KEY_MAX];
  *body = NULL;
  *etag = NULL;
  *len = 0;
  if (!vt_source_key_parse(key, &menu, &id)) /* before it goes into a URL */
    return vt_error_set(err, VT_ERR_INVALID, "key", "not a source key");
  snprintf(path, sizeof path, "/api/v1/player/sources/%s", key);
  return fetch_document(d, path, key, VT_LIMIT_SNAPSHOT_BYTES, if_none_match, body, len, etag,
                        err);
}

/* One try at making part hold all size bytes of sha256. *progressed tells whether any new
 * byte arrived (a try that moved forward is worth another). VT_ERR_CORRUPT deletes the part. */
static enum vt_err fetch_part(struct download *d, const char *part, const char *sha256,
                              int64_t size, bool *progressed, struct vt_error *err) {
  *progressed = false;
  int fd = open(part, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    int saved = errno;
    if (fd >= 0) close(fd);
    return vt_error_set(err, VT_ERR_IO, "", "open %s: %s", part, strerror(saved));
  }
  int64_t have = st.st_size;
  if (have > size && ftruncate(fd, 0) == 0) have = 0; /* longer than the file: not a prefix */
  enum vt_err e = VT_OK;
  if (have < size) {
    char path[16 + VT_SHA256_HEX_LEN], range[64];
    snprintf(path, sizeof path, "/media/%s", sha256);
    snprintf(range, sizeof range, "Range: bytes=%" PRId64 "-", have);
    struct xfer x = {.fd = fd, .offset = have, .max = size};
    e = perform(d, path, have > 0 ? range : NULL, &x, err);
    *progressed = x.received > 0;
    if (fstat(fd, &st) != 0) st.st_size = 0;
    if (e == VT_OK && st.st_size < size)
      e = vt_error_set(err, VT_ERR_UNAVAILABLE, "", "%s: body ended after %lld of %" PRId64
                       " bytes", sha256, (long long)st.st_size, size);
  }
  close(fd);
  /* A range the server cannot serve (416) means our part is not a prefix of its file. */
  if (e == VT_ERR_RANGE) e = vt_error_set(err, VT_ERR_CORRUPT, "", "%s: partial file refused by "
                                          "the server", sha256);
  /* A corrupt part is never resumed; an empty one has nothing to resume: leave no litter. */
  if (e == VT_ERR_CORRUPT || (e != VT_OK && st.st_size == 0)) unlink(part);
  return e;
}

enum vt_err download_media(struct download *d, struct cache *c, const char *sha256, int64_t size,
                           struct vt_error *err) {
  if (!vt_sha256_hex_valid(sha256)) /* before it goes anywhere near a path or URL */
    return vt_error_set(err, VT_ERR_INVALID, "sha256", "not a sha256 media name");
  if (size < 0) return vt_error_set(err, VT_ERR_INVALID, "size", "negative media size");
  if (cache_has_media(c, sha256, size)) return VT_OK;
  char part[DOWNLOAD_PATH_MAX];
  if (snprintf(part, sizeof part, "%s/%s.part", cache_tmp_dir(c), sha256) >= (int)sizeof part)
    return vt_error_set(err, VT_ERR_INVALID, "", "cache path too long");
  enum vt_err e = VT_OK;
  struct vt_error last = {0};
  for (int attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    bool progressed;
    e = fetch_part(d, part, sha256, size, &progressed, &last);
    /* cache_store_media deletes a corrupt part itself */
    if (e == VT_OK) e = cache_store_media(c, part, sha256, size, &last);
    if (e == VT_OK) return VT_OK;
    bool stopped = stop_requested(d);
    /* Corrupt: start again from nothing. Cut short after progress: resume. Anything else
     * (refused, unreachable, stalled from the start) is for the caller's backoff. */
    bool retry = e == VT_ERR_CORRUPT || (e == VT_ERR_UNAVAILABLE && progressed);
    if (stopped || !retry || attempt == DOWNLOAD_ATTEMPTS) break;
    vt_info("download", "%s: try %d of %d failed, retrying: %s", sha256, attempt,
            DOWNLOAD_ATTEMPTS, last.message);
  }
  if (err) *err = last;
  return e;
}
