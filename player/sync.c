/* The sync client (docs/internals/sync.md): one thread that holds the manager's event stream
 * and turns "the manifest changed" into an activated manifest for the render thread.
 *
 * States (sync_get_state) and the function behind each arrow:
 *
 *   sync_start
 *       |
 *       v          stream_open
 *     IDLE ------------------------> CONNECTING
 *       ^                              |     |
 *       |                              |     | stream_on_header: 200 text/event-stream
 *       |                              |     v
 *       |     stream_run: refused,     |   STREAMING ---- stream_on_event: an etag we lack
 *       |     unreachable, 401/403     |     |      <---- run_update: fetch, download,
 *       |                              |     |            activate, hand over (stays here)
 *       |                              |     | stream_run: EOF, error, or silent > dead_ms
 *       |                              v     v
 *       |                             BACKOFF
 *       |                                |  backoff_wait: random in [0, min(max, initial*2^n)]
 *       |                                +----------------> CONNECTING
 *       |
 *       +---- sync_stop, from any state (sync_main returns)
 *
 * Invariants:
 *  1. Only this thread touches the curl handles, the cache and the fields marked "sync
 *     thread" below; the render thread meets it only in sync_take_manifest (under lock) and
 *     sync_get_state (atomic).
 *  2. known_etag is the etag of the manifest in the cache (NULL when unknown); an update runs
 *     only for an announced etag that is neither known nor settled (already handled: activated,
 *     answered 304, or rejected as bad), so a bad manifest is fetched and logged once.
 *  3. The backoff counter resets only after a connection stayed up SYNC_HEALTHY_MS, so a
 *     manager that accepts and drops at once still sees the delays grow.
 *  4. A new manifest reaches `pending` only after cache_activate succeeded.
 *  5. Sources (docs/live-content.md): the tracked keys are the sources of the manifest
 *     activated last, or of the one being activated. Each is fetched with If-None-Match
 *     when it comes into that set, after every (re)connect, and when a `source` event
 *     names a version other than the one held. A snapshot reaches `snaps` (for the render
 *     thread) only after vt_snapshot_parse accepted it and it was written to the cache;
 *     a bad one is logged and dropped, and the last good one stays on screen. */
#include "sync.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "download.h"
#include "hash.h"
#include "json.h"
#include "vt_limits.h"
#include "log.h"
#include "source.h"
#include "sources.h"
#include "sse.h"
#include "timeutil.h"

/* A connection that lived through one keep-alive period was a real one (invariant 3). */
#define SYNC_HEALTHY_MS VT_SSE_KEEPALIVE_MS
/* Unreferenced media kept after an activation, newest first: a rollback to recent content
 * (the usual "undo" on the dashboard) then needs no download; bounded so that months of
 * content changes cannot fill a player's small SD card. */
#define SYNC_PRUNE_KEEP_BYTES (256LL << 20)
/* The longest the stream loop sleeps without looking at its timers. */
#define SYNC_POLL_MAX_MS 1000

/* A tracked source (invariant 5), on the sync thread. */
struct sync_source {
  char key[VT_SOURCE_KEY_MAX];
  char etag[DOWNLOAD_ETAG_MAX + 1]; /* of the snapshot held; "" when none */
  bool wanted;                      /* to be fetched (revalidated) */
  unsigned attempt;                 /* failed fetches in a row */
  int64_t due_ms;                   /* a retry may run from this instant */
};

struct sync {
  /* set in sync_start, read-only afterwards */
  struct cache *cache;
  void (*on_activated)(void *user);
  void (*on_source)(void *user);
  void *user;
  int64_t dead_ms;
  CURLM *multi; /* sync_stop wakes curl_multi_poll through it, from the caller's thread */
  pthread_t thread;
  atomic_bool stop;
  atomic_int state; /* enum sync_state */

  pthread_mutex_t lock;
  struct vt_manifest *pending; /* guarded by lock: activated, not yet taken */
  struct vt_snapshot **snaps;  /* guarded by lock: fetched, not yet taken; one per key */
  size_t n_snaps;

  /* sync thread */
  struct download *dl;
  struct sse_parser *parser;
  CURL *stream;
  struct curl_slist *stream_headers;
  bool stream_refused;      /* the reply was not an event stream */
  int64_t last_rx_ms;       /* last byte from the stream, or when we last started listening */
  int64_t streaming_since;  /* 0 until STREAMING */
  unsigned conn_attempt;    /* failed connections since the last healthy one */
  bool auth_logged;         /* the 401/403 was logged; reset by a working stream */
  char *known_etag;         /* invariant 2 */
  char *announced_etag;     /* newest etag the stream announced */
  char *settled_etag;       /* newest announced etag that needs no more work */
  unsigned update_attempt;  /* failed updates of the announced etag */
  int64_t update_due_ms;    /* an update may run from this instant (its own backoff) */
  struct vt_manifest *active; /* the sync thread's own copy, for cache_prune */
  struct sync_source *sources; /* invariant 5 */
  size_t n_sources;
};

static bool stopping(struct sync *s) { return atomic_load(&s->stop); }
static void set_state(struct sync *s, enum sync_state st) { atomic_store(&s->state, (int)st); }

/* Replace *slot with a copy of value (NULL allowed); false when out of memory. */
static bool set_str(char **slot, const char *value) {
  char *copy = value ? strdup(value) : NULL;
  if (value && !copy) return false;
  free(*slot);
  *slot = copy;
  return true;
}

static bool str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Full jitter: uniform in [0, min(max, initial * 2^attempt)], so a fleet of players that
 * lost the manager together does not come back in step. */
static int64_t backoff_delay_ms(unsigned attempt) {
  int64_t cap = VT_BACKOFF_INITIAL_MS;
  for (unsigned i = 0; i < attempt && cap < VT_BACKOFF_MAX_MS; i++) cap *= 2;
  if (cap > VT_BACKOFF_MAX_MS) cap = VT_BACKOFF_MAX_MS;
  return (int64_t)randombytes_uniform((uint32_t)cap + 1);
}

/* ---- handing manifests over ---- */

static void hand_over(struct sync *s, struct vt_manifest *m) {
  pthread_mutex_lock(&s->lock);
  vt_manifest_free(s->pending); /* never taken: the render thread only wants the newest */
  s->pending = m;
  pthread_mutex_unlock(&s->lock);
  if (s->on_activated) s->on_activated(s->user);
}

struct vt_manifest *sync_take_manifest(struct sync *s) {
  pthread_mutex_lock(&s->lock);
  struct vt_manifest *m = s->pending;
  s->pending = NULL;
  pthread_mutex_unlock(&s->lock);
  return m;
}

/* A newer snapshot of the same key replaces one not yet taken: only the newest matters. On
 * out of memory the snapshot is dropped; its file is in the cache for the next start. */
static void hand_over_snapshot(struct sync *s, struct vt_snapshot *snap) {
  pthread_mutex_lock(&s->lock);
  size_t i = 0;
  while (i < s->n_snaps && strcmp(s->snaps[i]->key, snap->key) != 0) i++;
  if (i < s->n_snaps) {
    vt_snapshot_free(s->snaps[i]);
    s->snaps[i] = snap;
  } else {
    struct vt_snapshot **more = realloc(s->snaps, (s->n_snaps + 1) * sizeof *more);
    if (more) {
      s->snaps = more;
      s->snaps[s->n_snaps++] = snap;
    } else {
      vt_snapshot_free(snap);
    }
  }
  pthread_mutex_unlock(&s->lock);
  if (s->on_source) s->on_source(s->user);
}

struct vt_snapshot *sync_take_snapshot(struct sync *s) {
  pthread_mutex_lock(&s->lock);
  struct vt_snapshot *snap = NULL;
  if (s->n_snaps) {
    snap = s->snaps[0]; /* in arrival order */
    memmove(s->snaps, s->snaps + 1, (s->n_snaps - 1) * sizeof *s->snaps);
    s->n_snaps--;
  }
  pthread_mutex_unlock(&s->lock);
  return snap;
}

enum sync_state sync_get_state(struct sync *s) { return (enum sync_state)atomic_load(&s->state); }

/* ---- sources: snapshot fetches (invariant 5) ---- */

static struct sync_source *source_find(const struct sync *s, const char *key) {
  for (size_t i = 0; i < s->n_sources; i++)
    if (strcmp(s->sources[i].key, key) == 0) return &s->sources[i];
  return NULL;
}

/* The manager's ETag of a snapshot is its quoted version (docs/live-content.md). */
static void version_etag(int64_t version, char *etag, size_t size) {
  snprintf(etag, size, "\"%lld\"", (long long)version);
}

/* Fetch src as soon as may be, from a fresh start of its retries. */
static void source_want(struct sync_source *src) {
  src->wanted = true;
  src->attempt = 0;
  src->due_ms = 0;
}

/* The etag of the snapshot in the cache, so a cached file says what to revalidate with. */
static void source_cached_etag(const struct sync *s, const char *key, char *etag, size_t size) {
  struct vt_snapshot *snap = NULL;
  etag[0] = '\0';
  if (sources_load_file(cache_sources_dir(s->cache), key, &snap, NULL) == VT_OK)
    version_etag(snap->version, etag, size);
  vt_snapshot_free(snap);
}

/* Track m's sources: the state of keys already tracked is kept, new ones start from the
 * cache's file; all are to be fetched (a 304 when nothing changed). NULL m: none. */
static void sources_track(struct sync *s, const struct vt_manifest *m) {
  size_t n = m ? m->n_sources : 0;
  struct sync_source *next = calloc(n ? n : 1, sizeof *next);
  if (!next) return; /* keep the old set; the next activation tries again */
  for (size_t i = 0; i < n; i++) {
    const struct sync_source *old = source_find(s, m->sources[i].key);
    if (old) {
      next[i] = *old;
    } else {
      snprintf(next[i].key, sizeof next[i].key, "%s", m->sources[i].key);
      source_cached_etag(s, next[i].key, next[i].etag, sizeof next[i].etag);
    }
    source_want(&next[i]);
  }
  free(s->sources);
  s->sources = next;
  s->n_sources = n;
}

static void sources_want_all(struct sync *s) {
  for (size_t i = 0; i < s->n_sources; i++) source_want(&s->sources[i]);
}

/* The earliest instant a wanted source may be fetched; VT_TIME_MAX when none is wanted. */
static int64_t sources_due_ms(const struct sync *s) {
  int64_t due = VT_TIME_MAX;
  for (size_t i = 0; i < s->n_sources; i++)
    if (s->sources[i].wanted && s->sources[i].due_ms < due) due = s->sources[i].due_ms;
  return due;
}

/* What a fetch of src brought. VT_OK: settled (new snapshot handed over, 304, or a bad
 * document dropped); otherwise the caller retries after a backoff. */
static enum vt_err source_fetch(struct sync *s, struct sync_source *src, struct vt_error *err) {
  char *body = NULL, *etag = NULL;
  size_t len = 0;
  struct vt_snapshot *snap = NULL;
  enum vt_err e = download_source(s->dl, src->key, src->etag, &body, &len, &etag, err);
  if (e == VT_ERR_NOT_FOUND || e == VT_ERR_TOO_LARGE) {
    /* No snapshot yet (a feed not fetched by the manager yet) or not one we take: an event
     * announces the next version; until then the widget keeps what it has. */
    vt_info("sync", "no snapshot of %s for now: %s", src->key, err->message);
    e = VT_OK;
    goto out;
  }
  if (e != VT_OK || !body) goto out; /* a failure, or 304 */
  struct vt_error bad = {0};
  if (vt_snapshot_parse(body, len, &snap, &bad) != VT_OK || strcmp(snap->key, src->key) != 0) {
    vt_error("sync", "ignoring a bad snapshot of %s, keeping the last good one: %s%s%s",
             src->key, bad.field, bad.field[0] ? ": " : "",
             snap ? "it is another source's" : bad.message);
    goto out; /* settled: refetching would give the same document */
  }
  struct vt_error werr = {0};
  if (cache_store_source(s->cache, src->key, body, len, &werr) != VT_OK)
    vt_warn("sync", "snapshot of %s shown but not cached: %s", src->key, werr.message);
  if (etag && strlen(etag) < sizeof src->etag)
    snprintf(src->etag, sizeof src->etag, "%s", etag);
  else
    version_etag(snap->version, src->etag, sizeof src->etag);
  vt_info("sync", "snapshot %s version %lld", src->key, (long long)snap->version);
  hand_over_snapshot(s, snap);
  snap = NULL;
out:
  vt_snapshot_free(snap);
  free(body);
  free(etag);
  return e;
}

/* Fetch every wanted source that is due. Between two fetches the stream is read, and a new
 * manifest announcement comes first (the caller runs the update, then comes back here). */
static void sources_fetch_due(struct sync *s) {
  for (size_t i = 0; i < s->n_sources && !stopping(s); i++) {
    struct sync_source *src = &s->sources[i];
    if (!src->wanted || vt_mono_ms() < src->due_ms) continue;
    struct vt_error err = {0};
    if (source_fetch(s, src, &err) == VT_OK) {
      src->wanted = false;
      src->attempt = 0;
      src->due_ms = 0;
    } else if (!stopping(s)) {
      int64_t delay = backoff_delay_ms(src->attempt++);
      vt_warn("sync", "snapshot %s: %s; retry in %lld ms", src->key, err.message,
              (long long)delay);
      src->due_ms = vt_mono_ms() + delay;
    }
  }
}

/* ---- the update: manifest fetch, downloads, activation ---- */

static bool update_needed(const struct sync *s) {
  return s->announced_etag && !str_eq(s->announced_etag, s->known_etag) &&
         !str_eq(s->announced_etag, s->settled_etag) && vt_mono_ms() >= s->update_due_ms;
}

static void update_settled(struct sync *s, const char *target) {
  set_str(&s->settled_etag, target); /* out of memory only means one more fetch later */
  s->update_attempt = 0;
  s->update_due_ms = 0;
}

static void update_failed(struct sync *s, const struct vt_error *err) {
  int64_t delay = backoff_delay_ms(s->update_attempt++);
  vt_warn("sync", "update failed, keeping the current content, retry in %lld ms: %s",
          (long long)delay, err->message);
  s->update_due_ms = vt_mono_ms() + delay;
}

/* Read what the stream has buffered, without waiting, so an announcement that arrives during
 * a long download is seen between two files. */
static void stream_pump(struct sync *s) {
  int running;
  curl_multi_perform(s->multi, &running);
}

/* Download every media file m lacks. VT_ERR_CONFLICT when an etag newer than m's (target
 * as announced, etag as served) was announced meanwhile: the update is abandoned, and what
 * arrived stays in the cache, content-addressed, for the newer manifest to use. */
static enum vt_err download_all(struct sync *s, const struct vt_manifest *m, const char *target,
                                const char *etag, struct vt_error *err) {
  for (size_t i = 0; i < m->n_media; i++) {
    const struct vt_media_ref *ref = &m->media[i];
    if (cache_has_media(s->cache, ref->sha256, ref->size)) continue;
    stream_pump(s);
    if (!str_eq(s->announced_etag, target) && !str_eq(s->announced_etag, etag))
      return vt_error_set(err, VT_ERR_CONFLICT, "", "superseded by %s", s->announced_etag);
    enum vt_err e = download_media(s->dl, s->cache, ref->sha256, ref->size, err);
    if (e != VT_OK) return e;
  }
  return VT_OK;
}

/* After activation: keep the sync thread's own copy and prune what neither the new nor the
 * previous manifest uses (the render thread may still be drawing the previous one). Off the
 * latency path: runs after the render thread was signalled. */
static void after_activation(struct sync *s, const char *json, size_t len) {
  struct vt_manifest *copy = NULL;
  if (vt_manifest_parse(json, len, &copy, NULL) != VT_OK) return;
  cache_prune(s->cache, copy, s->active, SYNC_PRUNE_KEEP_BYTES);
  vt_manifest_free(s->active);
  s->active = copy;
}

/* Bring the cache to the announced etag: the whole path from event to on_activated. */
static void run_update(struct sync *s) {
  char *target = strdup(s->announced_etag);
  char *body = NULL, *etag = NULL;
  size_t len = 0;
  struct vt_manifest *m = NULL;
  struct vt_error err = {0};
  if (!target) return;
  int64_t t0 = vt_mono_us();
  enum vt_err e = download_manifest(s->dl, s->known_etag, &body, &len, &etag, &err);
  if (e == VT_OK && !body) { /* 304: what we have is current */
    update_settled(s, target);
    goto out;
  }
  if (e == VT_OK) e = vt_manifest_parse(body, len, &m, &err);
  if (e == VT_ERR_TOO_LARGE || (body && !m && e != VT_ERR_NO_MEMORY)) {
    /* A bad or oversized manifest is the manager's bug: log it once (settled), keep playing. */
    vt_error("sync", "ignoring manifest %s: %s%s%s", target, err.field, err.field[0] ? ": " : "",
             err.message);
    update_settled(s, target);
    goto out;
  }
  if (e == VT_OK) e = download_all(s, m, target, etag, &err);
  if (e == VT_ERR_CONFLICT) {
    vt_info("sync", "manifest %s abandoned: %s", target, err.message);
    goto out;
  }
  if (e == VT_OK) { /* its snapshots first, so its live widgets never show up empty */
    sources_track(s, m);
    sources_fetch_due(s);
  }
  const char *new_etag = etag ? etag : target; /* the response's ETag is authoritative */
  int64_t t_write = vt_mono_us();
  if (e == VT_OK) e = cache_activate(s->cache, m, body, len, new_etag, &err);
  if (e != VT_OK) {
    sources_track(s, s->active); /* the old manifest plays on: follow its sources again */
    if (!stopping(s)) update_failed(s, &err);
    goto out;
  }
  set_str(&s->known_etag, new_etag);
  update_settled(s, target);
  int64_t t_end = vt_mono_us();
  vt_info("sync", "activated manifest version %lld (%s) in %.1f ms, %.1f of them writing",
          (long long)m->version, new_etag, (double)(t_end - t0) / 1000.0,
          (double)(t_end - t_write) / 1000.0);
  hand_over(s, m);
  m = NULL;
  after_activation(s, body, len);
out:
  vt_manifest_free(m);
  free(body);
  free(etag);
  free(target);
}

/* ---- the event stream ---- */

/* `event: source` {"key", "version"}: fetch the key if it is ours and the version new. */
static void stream_on_source(struct sync *s, const char *data, size_t len) {
  json_t *root = NULL;
  const char *key = NULL;
  int64_t version = 0;
  struct vt_error err = {0};
  if (vt_json_parse(data, len, &root, &err) != VT_OK ||
      vt_json_expect_object(root, "", &err) != VT_OK ||
      vt_json_str(root, "", "key", true, 1, VT_SOURCE_KEY_MAX - 1, &key, &err) != VT_OK ||
      vt_json_int(root, "", "version", true, 0, INT64_MAX, &version, &err) != VT_OK) {
    vt_warn("sync", "ignoring a malformed source event: %s", err.message);
  } else {
    struct sync_source *src = source_find(s, key);
    char etag[DOWNLOAD_ETAG_MAX + 1];
    version_etag(version, etag, sizeof etag);
    /* A key we do not track belongs to a manifest we have not fetched yet: it is fetched
     * with that manifest. */
    if (src && strcmp(src->etag, etag) != 0) {
      vt_debug("sync", "source announced: %s version %lld", key, (long long)version);
      source_want(src);
    }
  }
  json_decref(root);
}

static void stream_on_event(void *user, const char *event, const char *data, size_t len) {
  struct sync *s = user;
  if (strcmp(event, "source") == 0) {
    stream_on_source(s, data, len);
    return;
  }
  if (strcmp(event, "manifest") != 0) return; /* other events are for other clients */
  json_t *root = NULL;
  const char *etag = NULL;
  struct vt_error err = {0};
  if (vt_json_parse(data, len, &root, &err) != VT_OK ||
      vt_json_expect_object(root, "", &err) != VT_OK ||
      vt_json_str(root, "", "etag", true, 1, DOWNLOAD_ETAG_MAX, &etag, &err) != VT_OK) {
    vt_warn("sync", "ignoring a malformed manifest event: %s", err.message);
  } else if (!str_eq(etag, s->announced_etag)) {
    vt_debug("sync", "manifest announced: %s", etag);
    if (set_str(&s->announced_etag, etag)) {
      s->update_attempt = 0; /* a new target gets a fresh start */
      s->update_due_ms = 0;
    }
  }
  json_decref(root);
}

static size_t stream_on_body(char *p, size_t size, size_t n, void *user) {
  struct sync *s = user;
  s->last_rx_ms = vt_mono_ms();
  sse_parser_feed(s->parser, p, size * n);
  return size * n;
}

/* The end of a header block decides CONNECTING -> STREAMING; anything but a 200 event
 * stream is refused here, before a byte of it reaches the parser. */
static size_t stream_on_header(char *line, size_t size, size_t n, void *user) {
  struct sync *s = user;
  size_t len = size * n;
  s->last_rx_ms = vt_mono_ms();
  if (!(len == 2 && line[0] == '\r') && !(len == 1 && line[0] == '\n')) return len;
  long status = 0;
  char *type = NULL;
  curl_easy_getinfo(s->stream, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(s->stream, CURLINFO_CONTENT_TYPE, &type);
  if (status / 100 == 1) return len; /* an interim 100 response; the real one follows */
  if (status != 200) return len;     /* FAILONERROR ends it; stream_run reports the status */
  if (!type || strncasecmp(type, "text/event-stream", 17) != 0) {
    s->stream_refused = true;
    return 0;
  }
  s->streaming_since = vt_mono_ms();
  s->auth_logged = false;
  sources_want_all(s); /* what changed while we were away is fetched now (invariant 5) */
  set_state(s, SYNC_STREAMING);
  return len;
}

static void stream_close(struct sync *s) {
  if (s->stream) {
    curl_multi_remove_handle(s->multi, s->stream);
    curl_easy_cleanup(s->stream);
  }
  curl_slist_free_all(s->stream_headers);
  s->stream = NULL;
  s->stream_headers = NULL;
}

static enum vt_err stream_open(struct sync *s, struct vt_error *err) {
  s->stream = curl_easy_init();
  if (!s->stream) return vt_error_no_memory(err);
  enum vt_err e = download_prepare_handle(s->dl, s->stream, "/api/v1/player/events",
                                          "Accept: text/event-stream", &s->stream_headers, err);
  if (e != VT_OK) return e;
  curl_easy_setopt(s->stream, CURLOPT_WRITEFUNCTION, stream_on_body);
  curl_easy_setopt(s->stream, CURLOPT_WRITEDATA, s);
  curl_easy_setopt(s->stream, CURLOPT_HEADERFUNCTION, stream_on_header);
  curl_easy_setopt(s->stream, CURLOPT_HEADERDATA, s);
  sse_parser_reset(s->parser);
  s->stream_refused = false;
  s->streaming_since = 0;
  s->last_rx_ms = vt_mono_ms();
  if (curl_multi_add_handle(s->multi, s->stream) != CURLM_OK)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "curl_multi_add_handle failed");
  return VT_OK;
}

/* Log why the stream ended: a refused token once until a stream works again, the rest
 * through vt_log's repeat collapsing. */
static void stream_report_end(struct sync *s, CURLcode rc) {
  long status = 0;
  curl_easy_getinfo(s->stream, CURLINFO_RESPONSE_CODE, &status);
  if (status == 401 || status == 403) {
    if (!s->auth_logged)
      vt_error("sync", "the manager refuses this display's token (HTTP %ld); playing from the "
               "cache and retrying with backoff", status);
    s->auth_logged = true;
  } else if (s->stream_refused) {
    vt_warn("sync", "the manager's events URL did not answer with an event stream");
  } else if (rc != CURLE_OK) {
    vt_warn("sync", "event stream: %s", curl_easy_strerror(rc));
  } else {
    vt_info("sync", "event stream closed by the manager (HTTP %ld)", status);
  }
}

/* CONNECTING/STREAMING until the stream ends, goes silent, or sync_stop. */
static void stream_run(struct sync *s) {
  for (;;) {
    int running, left;
    curl_multi_perform(s->multi, &running);
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(s->multi, &left))) {
      if (msg->msg == CURLMSG_DONE && msg->easy_handle == s->stream) {
        stream_report_end(s, msg->data.result);
        return;
      }
    }
    if (stopping(s)) return;
    if (update_needed(s)) {
      run_update(s);
      /* We did not read the stream while fetching: its silence clock restarts now. */
      s->last_rx_ms = vt_mono_ms();
      continue;
    }
    if (atomic_load(&s->state) == SYNC_STREAMING && sources_due_ms(s) <= vt_mono_ms()) {
      sources_fetch_due(s);
      s->last_rx_ms = vt_mono_ms();
      continue;
    }
    int64_t now = vt_mono_ms();
    int64_t wait = s->last_rx_ms + s->dead_ms - now;
    if (wait <= 0) {
      vt_warn("sync", "event stream silent for %lld ms; reconnecting", (long long)s->dead_ms);
      return;
    }
    if (s->announced_etag && s->update_due_ms > now && s->update_due_ms - now < wait)
      wait = s->update_due_ms - now;
    int64_t src_due = sources_due_ms(s);
    if (src_due != VT_TIME_MAX && src_due - now < wait) wait = src_due > now ? src_due - now : 0;
    if (wait > SYNC_POLL_MAX_MS) wait = SYNC_POLL_MAX_MS;
    curl_multi_poll(s->multi, NULL, 0, (int)wait, NULL);
  }
}

/* Sleep through the backoff delay; sync_stop cuts it short through curl_multi_wakeup. */
static void backoff_wait(struct sync *s) {
  if (s->streaming_since && vt_mono_ms() - s->streaming_since >= SYNC_HEALTHY_MS)
    s->conn_attempt = 0;
  int64_t deadline = vt_mono_ms() + backoff_delay_ms(s->conn_attempt++);
  for (int64_t now = vt_mono_ms(); now < deadline && !stopping(s); now = vt_mono_ms())
    curl_multi_poll(s->multi, NULL, 0, (int)(deadline - now), NULL);
}

static void load_known(struct sync *s) {
  struct vt_error err = {0};
  enum vt_err e = cache_load_active(s->cache, &s->active, &s->known_etag, &err);
  if (e != VT_OK && e != VT_ERR_NOT_FOUND)
    vt_warn("sync", "cached manifest unusable, fetching a new one: %s", err.message);
  sources_track(s, s->active); /* fetched once the stream is up */
}

static void *sync_main(void *arg) {
  struct sync *s = arg;
  load_known(s);
  while (!stopping(s)) {
    struct vt_error err = {0};
    set_state(s, SYNC_CONNECTING);
    if (stream_open(s, &err) == VT_OK)
      stream_run(s);
    else
      vt_error("sync", "cannot open the event stream: %s", err.message);
    stream_close(s);
    if (stopping(s)) break;
    set_state(s, SYNC_BACKOFF);
    backoff_wait(s);
  }
  set_state(s, SYNC_IDLE);
  return NULL;
}

/* ---- start and stop ---- */

static void sync_free(struct sync *s) {
  if (!s) return;
  download_free(s->dl);
  sse_parser_free(s->parser);
  if (s->multi) curl_multi_cleanup(s->multi);
  vt_manifest_free(s->pending);
  vt_manifest_free(s->active);
  for (size_t i = 0; i < s->n_snaps; i++) vt_snapshot_free(s->snaps[i]);
  free(s->snaps);
  free(s->sources);
  free(s->known_etag);
  free(s->announced_etag);
  free(s->settled_etag);
  pthread_mutex_destroy(&s->lock);
  free(s);
  curl_global_cleanup(); /* pairs with the curl_global_init in sync_start */
}

enum vt_err sync_start(const struct sync_config *cfg, struct sync **out, struct vt_error *err) {
  *out = NULL;
  if (!cfg->manager_url || !cfg->token || !cfg->cache)
    return vt_error_set(err, VT_ERR_INVALID, "", "sync needs a manager URL, a token and a cache");
  if (!vt_crypto_init()) return vt_error_set(err, VT_ERR_INTERNAL, "", "libsodium init failed");
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "curl_global_init failed");
  struct sync *s = calloc(1, sizeof *s);
  if (!s) {
    curl_global_cleanup();
    return vt_error_no_memory(err);
  }
  pthread_mutex_init(&s->lock, NULL);
  atomic_init(&s->stop, false);
  atomic_init(&s->state, SYNC_IDLE);
  s->cache = cfg->cache;
  s->on_activated = cfg->on_activated;
  s->on_source = cfg->on_source;
  s->user = cfg->user;
  s->dead_ms = cfg->dead_ms > 0 ? cfg->dead_ms : VT_SSE_DEAD_MS;
  s->multi = curl_multi_init();
  s->parser = sse_parser_new(stream_on_event, s);
  enum vt_err e = VT_OK;
  if (!s->multi || !s->parser) {
    e = vt_error_no_memory(err);
  } else { /* download keeps its own copies of the URL and token */
    struct download_opts o = {.manager_url = cfg->manager_url, .token = cfg->token,
                              .stop = &s->stop, .stall_ms = cfg->stall_ms};
    e = download_new(&o, &s->dl, err);
  }
  if (e == VT_OK && pthread_create(&s->thread, NULL, sync_main, s) != 0)
    e = vt_error_set(err, VT_ERR_INTERNAL, "", "cannot start the sync thread");
  if (e != VT_OK) {
    sync_free(s);
    return e;
  }
  *out = s;
  return VT_OK;
}

void sync_stop(struct sync *s) {
  if (!s) return;
  atomic_store(&s->stop, true);
  curl_multi_wakeup(s->multi); /* out of curl_multi_poll at once; downloads see the flag */
  pthread_join(s->thread, NULL);
  sync_free(s);
}
