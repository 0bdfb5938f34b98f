/* The push hub (docs/internals/hub.md).
 *
 * Invariants:
 * 1. A stream never needs a queue: it only has to reach its display's latest manifest
 *    version, so hub_read writes one event for "latest > sent" and skips versions that
 *    were superseded before it could send them. Memory per stream is fixed.
 * 2. A subscriber is suspended only by its own hub_read, under the lock, and resumed only
 *    by whoever clears its `suspended` flag under the lock. While suspended, its connection
 *    cannot complete, so the record stays valid after the lock is dropped; resumes happen
 *    outside the lock (libmicrohttpd takes its own locks in MHD_resume_connection).
 * 3. A record is freed only by hub_unsubscribe, called from the connection's completion.
 * 4. Source events need no queue either: a display keeps each source key's latest version
 *    with the sequence number of its last announcement, and a stream remembers the highest
 *    sequence it has sent; what is due is every key with a higher sequence, oldest first.
 *    Memory per display is bounded by the keys its manifest lists.
 *
 * States of a subscriber, with the function for each arrow:
 *
 *   subscribe ──> SENDING ──hub_read: nothing due──> SUSPENDED
 *                    ^                                   │
 *                    └── hub_announce / hub_keepalive / ─┘
 *                        hub_disconnect / hub_shutdown (resume)
 *   SENDING ──hub_read: closing──> returns -1 ──> (completion) hub_unsubscribe
 */
#include "hub.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "timeutil.h"
#include "vt_limits.h"

/* Chains stay short up to tens of thousands of displays. */
#define HUB_BUCKETS 1024
/* One event: "event: manifest\ndata: {...}\n\n" with an escaped ETag. */
#define HUB_EVENT_MAX 256
#define HUB_ETAG_MAX 96

static const char keepalive_text[] = ": keep-alive\n\n";

/* A source's latest announced version for one display (invariant 4). */
struct hub_source {
  char key[VT_SOURCE_KEY_MAX];
  int64_t version;
  uint64_t seq;
};

struct hub_display {
  int64_t id;
  struct hub_source *sources; /* one per key ever announced, at most VT_LIMIT_SOURCES */
  size_t n_sources;
  uint64_t source_seq; /* sequence of the last source announcement */
  int64_t version; /* latest announced (or subscribed with) */
  char etag[HUB_ETAG_MAX];
  int64_t last_seen_ms;
  unsigned n_subs;
  struct hub_sub *subs;
  struct hub_display *next; /* bucket chain */
};

struct hub_sub {
  struct hub *hub;
  struct hub_display *display;
  void *conn;
  struct hub_sub *prev, *next; /* in display->subs */
  struct hub_sub *resume_next; /* in a caller's private to-resume list (invariant 2) */
  int64_t sent_version;
  uint64_t sent_source_seq;
  bool suspended, keepalive_due, closing;
  char out[HUB_EVENT_MAX];
  size_t out_len, out_off;
};

struct hub {
  pthread_mutex_t lock;
  pthread_cond_t drained; /* signalled when n_subs drops */
  struct hub_conn_ops ops;
  bool closing;
  unsigned n_subs;
  struct hub_display *buckets[HUB_BUCKETS];
};

struct hub *hub_new(const struct hub_conn_ops *ops) {
  struct hub *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->ops = *ops;
  pthread_mutex_init(&h->lock, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&h->drained, &ca);
  pthread_condattr_destroy(&ca);
  return h;
}

void hub_free(struct hub *h) {
  if (!h) return;
  for (size_t b = 0; b < HUB_BUCKETS; b++)
    for (struct hub_display *d = h->buckets[b], *next; d; d = next) {
      next = d->next;
      free(d->sources);
      free(d);
    }
  pthread_cond_destroy(&h->drained);
  pthread_mutex_destroy(&h->lock);
  free(h);
}

/* Under the lock. create: make the record if missing (NULL only when out of memory). */
static struct hub_display *find_display(struct hub *h, int64_t id, bool create) {
  size_t b = (size_t)((uint64_t)id % HUB_BUCKETS);
  for (struct hub_display *d = h->buckets[b]; d; d = d->next)
    if (d->id == id) return d;
  if (!create) return NULL;
  struct hub_display *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->id = id;
  d->next = h->buckets[b];
  h->buckets[b] = d;
  return d;
}

/* Under the lock. false when version is not newer than the one known (a late announcer). */
static bool set_version(struct hub_display *d, int64_t version, const char *etag) {
  if (version <= d->version) return false;
  d->version = version;
  snprintf(d->etag, sizeof d->etag, "%s", etag ? etag : "");
  return true;
}

/* Under the lock: if s is parked, unpark it and push it on *list for resume_list. */
static void wake(struct hub_sub *s, struct hub_sub **list) {
  if (!s->suspended) return;
  s->suspended = false;
  s->resume_next = *list;
  *list = s;
}

/* Without the lock (invariant 2): read next before resuming, never touch s after. */
static void resume_list(struct hub *h, struct hub_sub *list) {
  while (list) {
    struct hub_sub *next = list->resume_next;
    h->ops.resume(list->conn);
    list = next;
  }
}

struct hub_sub *hub_subscribe(struct hub *h, int64_t display_id, int64_t version, const char *etag,
                              void *conn) {
  struct hub_sub *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = find_display(h, display_id, true);
  if (!d) {
    pthread_mutex_unlock(&h->lock);
    free(s);
    return NULL;
  }
  set_version(d, version, etag);
  s->sent_source_seq = d->source_seq;
  s->hub = h;
  s->display = d;
  s->conn = conn;
  s->next = d->subs;
  if (d->subs) d->subs->prev = s;
  d->subs = s;
  d->n_subs++;
  h->n_subs++;
  pthread_mutex_unlock(&h->lock);
  return s;
}

void hub_unsubscribe(struct hub_sub *s) {
  if (!s) return;
  struct hub *h = s->hub;
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = s->display;
  if (s->prev)
    s->prev->next = s->next;
  else
    d->subs = s->next;
  if (s->next) s->next->prev = s->prev;
  d->n_subs--;
  d->last_seen_ms = vt_now_ms();
  h->n_subs--;
  pthread_cond_broadcast(&h->drained);
  pthread_mutex_unlock(&h->lock);
  free(s);
}

/* The SSE event for (version, etag): data is JSON, the ETag's quotes escaped. */
static size_t format_event(char *out, size_t cap, int64_t version, const char *etag) {
  char esc[2 * HUB_ETAG_MAX];
  size_t k = 0;
  for (const char *p = etag; *p && k + 2 < sizeof esc; p++) {
    if (*p == '"' || *p == '\\') esc[k++] = '\\';
    esc[k++] = *p;
  }
  esc[k] = '\0';
  int n = snprintf(out, cap, "event: manifest\ndata: {\"version\":%lld,\"etag\":\"%s\"}\n\n",
                   (long long)version, esc);
  return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* Under the lock: the source event s has not sent yet with the lowest sequence, or NULL. */
static const struct hub_source *next_source(const struct hub_sub *s) {
  const struct hub_display *d = s->display;
  const struct hub_source *best = NULL;
  if (d->source_seq <= s->sent_source_seq) return NULL;
  for (size_t i = 0; i < d->n_sources; i++)
    if (d->sources[i].seq > s->sent_source_seq && (!best || d->sources[i].seq < best->seq))
      best = &d->sources[i];
  return best;
}

/* Under the lock: fill s->out with what is due; false when nothing is. The manifest comes
 * first: a player that fetches a new manifest learns its sources from it. */
static bool refill(struct hub_sub *s) {
  struct hub_display *d = s->display;
  const struct hub_source *src;
  s->out_off = s->out_len = 0;
  if (d->version > s->sent_version) {
    s->out_len = format_event(s->out, sizeof s->out, d->version, d->etag);
    s->sent_version = d->version;
    s->keepalive_due = false; /* an event keeps the connection alive as well */
  } else if ((src = next_source(s))) {
    /* keys are "menu/<id>" or "feed/<id>": nothing to escape */
    int n = snprintf(s->out, sizeof s->out, "event: source\ndata: {\"key\":\"%s\",\"version\":%lld}\n\n",
                     src->key, (long long)src->version);
    s->out_len = n > 0 && (size_t)n < sizeof s->out ? (size_t)n : 0;
    s->sent_source_seq = src->seq;
    s->keepalive_due = false;
  } else if (s->keepalive_due) {
    memcpy(s->out, keepalive_text, sizeof keepalive_text - 1);
    s->out_len = sizeof keepalive_text - 1;
    s->keepalive_due = false;
  }
  return s->out_len > 0;
}

ssize_t hub_read(struct hub_sub *s, char *buf, size_t max) {
  struct hub *h = s->hub;
  pthread_mutex_lock(&h->lock);
  if (h->closing || s->closing) {
    pthread_mutex_unlock(&h->lock);
    return -1;
  }
  if (s->out_off == s->out_len && !refill(s)) {
    s->suspended = true;
    h->ops.suspend(s->conn);
    pthread_mutex_unlock(&h->lock);
    return 0;
  }
  size_t n = s->out_len - s->out_off;
  if (n > max) n = max;
  memcpy(buf, s->out + s->out_off, n);
  s->out_off += n;
  pthread_mutex_unlock(&h->lock);
  return (ssize_t)n;
}

void hub_announce(struct hub *h, int64_t display_id, int64_t version, const char *etag) {
  struct hub_sub *wakeup = NULL;
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = find_display(h, display_id, true);
  if (d && set_version(d, version, etag))
    for (struct hub_sub *s = d->subs; s; s = s->next) wake(s, &wakeup);
  pthread_mutex_unlock(&h->lock);
  resume_list(h, wakeup);
}

/* Under the lock: the slot of a key every stream of d has sent already (its oldest), to be
 * reused; NULL when some stream still has each of them to send. */
static struct hub_source *spent_source(struct hub_display *d) {
  uint64_t sent = d->source_seq;
  for (struct hub_sub *s = d->subs; s; s = s->next)
    if (s->sent_source_seq < sent) sent = s->sent_source_seq;
  struct hub_source *oldest = NULL;
  for (size_t i = 0; i < d->n_sources; i++)
    if (d->sources[i].seq <= sent && (!oldest || d->sources[i].seq < oldest->seq))
      oldest = &d->sources[i];
  return oldest;
}

/* Under the lock: record key's version on d (invariant 4); false when out of memory or d
 * holds VT_LIMIT_SOURCES other keys that its streams have yet to send. A display keeps the
 * keys it was ever told of, so over a long uptime the slots of keys already sent are reused
 * (a new stream starts with nothing to send anyway). */
static bool set_source(struct hub_display *d, const char *key, int64_t version) {
  struct hub_source *src = NULL;
  for (size_t i = 0; i < d->n_sources && !src; i++)
    if (strcmp(d->sources[i].key, key) == 0) src = &d->sources[i];
  if (!src && d->n_sources >= VT_LIMIT_SOURCES && (src = spent_source(d)))
    snprintf(src->key, sizeof src->key, "%s", key);
  if (!src) {
    if (d->n_sources >= VT_LIMIT_SOURCES) return false;
    struct hub_source *v = realloc(d->sources, (d->n_sources + 1) * sizeof *v);
    if (!v) return false;
    d->sources = v;
    src = &d->sources[d->n_sources++];
    snprintf(src->key, sizeof src->key, "%s", key);
  }
  src->version = version;
  src->seq = ++d->source_seq;
  return true;
}

void hub_announce_source(struct hub *h, const int64_t *ids, size_t n, const char *key,
                         int64_t version) {
  struct hub_sub *wakeup = NULL;
  pthread_mutex_lock(&h->lock);
  for (size_t i = 0; i < n; i++) {
    struct hub_display *d = find_display(h, ids[i], true);
    if (d && set_source(d, key, version))
      for (struct hub_sub *s = d->subs; s; s = s->next) wake(s, &wakeup);
    else if (d)
      vt_warn("hub", "display %lld: %s version %lld not announced (no room)", (long long)ids[i],
              key, (long long)version);
  }
  pthread_mutex_unlock(&h->lock);
  resume_list(h, wakeup);
}

/* Under the lock: apply fn to d's subscribers and collect the parked ones. */
static void mark_display(struct hub_display *d, void (*fn)(struct hub_sub *),
                         struct hub_sub **wakeup) {
  for (struct hub_sub *s = d->subs; s; s = s->next) {
    fn(s);
    wake(s, wakeup);
  }
}

/* Apply fn to every subscriber, then resume the ones that were parked. */
static void mark_all(struct hub *h, void (*fn)(struct hub_sub *)) {
  struct hub_sub *wakeup = NULL;
  pthread_mutex_lock(&h->lock);
  for (size_t b = 0; b < HUB_BUCKETS; b++)
    for (struct hub_display *d = h->buckets[b]; d; d = d->next) mark_display(d, fn, &wakeup);
  pthread_mutex_unlock(&h->lock);
  resume_list(h, wakeup);
}

static void mark_keepalive(struct hub_sub *s) { s->keepalive_due = true; }
static void mark_closing(struct hub_sub *s) { s->closing = true; }

void hub_keepalive(struct hub *h) { mark_all(h, mark_keepalive); }

void hub_disconnect(struct hub *h, int64_t display_id) {
  struct hub_sub *wakeup = NULL;
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = find_display(h, display_id, false);
  if (d) mark_display(d, mark_closing, &wakeup);
  pthread_mutex_unlock(&h->lock);
  resume_list(h, wakeup);
}

void hub_seen(struct hub *h, int64_t display_id, int64_t now_ms) {
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = find_display(h, display_id, true);
  if (d) d->last_seen_ms = now_ms;
  pthread_mutex_unlock(&h->lock);
}

bool hub_status(struct hub *h, int64_t display_id, int64_t now_ms, int64_t *last_seen_ms) {
  pthread_mutex_lock(&h->lock);
  struct hub_display *d = find_display(h, display_id, false);
  bool online = d && d->n_subs > 0;
  *last_seen_ms = !d ? 0 : online ? now_ms : d->last_seen_ms;
  pthread_mutex_unlock(&h->lock);
  return online;
}

int hub_shutdown(struct hub *h, int64_t deadline_mono_ms) {
  pthread_mutex_lock(&h->lock);
  h->closing = true;
  pthread_mutex_unlock(&h->lock);
  mark_all(h, mark_closing);
  pthread_mutex_lock(&h->lock);
  while (h->n_subs > 0) {
    int64_t left = deadline_mono_ms - vt_mono_ms();
    if (left <= 0) break;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += left / 1000;
    ts.tv_nsec += (left % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(&h->drained, &h->lock, &ts);
  }
  int left = (int)h->n_subs;
  pthread_mutex_unlock(&h->lock);
  return left;
}
