/* player/sync.c against a fake manager on loopback: first sync, pushes (and the time from
 * the event leaving the manager to on_activated), a bad manifest logged once and ignored,
 * restart from the cache, a refused token backing off, a silent stream, a newer event during
 * a download, and sync_stop in the middle of a stalled download. */
#define _GNU_SOURCE
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cache.h"
#include "hash.h"
#include "player_sync_stub.h"
#include "sync.h"
#include "timeutil.h"

#define TOKEN "tok-sync"
#define MAX_MEDIA 4
#define WAIT_MS 10000 /* deadline for anything that should happen "soon" */

struct media {
  char sha[VT_SHA256_HEX_LEN + 1];
  char data[1000];
  atomic_int gets;
  bool gated; /* held back until manager.gate_open */
};

struct manager {
  pthread_mutex_t lock;
  char *manifest; /* guarded by lock */
  char etag[64];  /* guarded by lock */
  int seq;        /* guarded by lock: bumped on every publish; streams send when it moves */
  struct media media[MAX_MEDIA];
  atomic_bool refuse;    /* 401 for everything */
  atomic_bool silent;    /* streams send the first event and then nothing, not even comments */
  atomic_bool kick;      /* streams close (once each) */
  atomic_bool gate_open;
  atomic_int stream_conns, manifest_gets, events_sent;
  atomic_llong sent_us;  /* when the last event left the manager */
  /* the player side */
  atomic_int activations;
  atomic_llong activated_us;
  struct stub *srv;
  struct cache *cache;
  char dir[256];
};

/* ---- the fake manager ---- */

static void publish(struct manager *m, int version, const int *media, size_t n, bool valid) {
  char json[4096];
  int len = snprintf(json, sizeof json, "{\"format\":1,\"version\":%d,\"display\":{},\"media\":[",
                     version);
  for (size_t i = 0; i < n; i++)
    len += snprintf(json + len, sizeof json - (size_t)len,
                    "%s{\"sha256\":\"%s\",\"size\":1000,\"type\":\"image/png\"}", i ? "," : "",
                    m->media[media[i]].sha);
  snprintf(json + len, sizeof json - (size_t)len, valid ? "]}" : "], \"version\": \"dup\"}");
  pthread_mutex_lock(&m->lock);
  free(m->manifest);
  m->manifest = strdup(json);
  snprintf(m->etag, sizeof m->etag, "\"v%d%s\"", version, valid ? "" : "-bad");
  m->seq++;
  pthread_mutex_unlock(&m->lock);
}

static bool serve_events(struct manager *m, int fd) {
  atomic_fetch_add(&m->stream_conns, 1);
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     "Cache-Control: no-cache\r\n\r\n";
  if (!stub_write(fd, head, strlen(head))) return false;
  int sent_seq = -1;
  int64_t last_write = vt_mono_ms();
  atomic_store(&m->kick, false);
  while (!stub_stopping(m->srv) && !atomic_load(&m->kick)) {
    char ev[256] = "";
    pthread_mutex_lock(&m->lock);
    if (m->seq != sent_seq && (sent_seq < 0 || !atomic_load(&m->silent))) {
      /* The etag inside JSON needs its quotes escaped. */
      char esc[128];
      int k = 0;
      for (const char *p = m->etag; *p && k < 120; p++) {
        if (*p == '"') esc[k++] = '\\';
        esc[k++] = *p;
      }
      esc[k] = '\0';
      snprintf(ev, sizeof ev, "event: manifest\ndata: {\"version\":%d,\"etag\":\"%s\"}\n\n",
               m->seq, esc);
      sent_seq = m->seq;
    }
    pthread_mutex_unlock(&m->lock);
    if (ev[0]) {
      atomic_store(&m->sent_us, vt_mono_us());
      if (!stub_write(fd, ev, strlen(ev))) return false;
      atomic_fetch_add(&m->events_sent, 1);
      last_write = vt_mono_ms();
    } else if (!atomic_load(&m->silent) && vt_mono_ms() - last_write > 200) {
      if (!stub_write(fd, ": keep-alive\n\n", 14)) return false;
      last_write = vt_mono_ms();
    }
    if (stub_wait_closed(m->srv, fd, 1)) return false;
  }
  return false; /* the stream has no length: closing ends it */
}

static bool serve_media(struct manager *m, struct media *md, int fd) {
  atomic_fetch_add(&md->gets, 1);
  while (md->gated && !atomic_load(&m->gate_open)) {
    if (stub_wait_closed(m->srv, fd, 20) || stub_stopping(m->srv)) return false;
  }
  return stub_reply(fd, 200, NULL, md->data, sizeof md->data);
}

static bool handle(struct stub *srv, void *user, const struct stub_request *req, int fd) {
  (void)srv;
  struct manager *m = user;
  if (atomic_load(&m->refuse) || strcmp(req->auth, "Bearer " TOKEN) != 0)
    return stub_reply(fd, 401, NULL, "", 0);
  if (strcmp(req->path, "/api/v1/player/events") == 0) return serve_events(m, fd);
  if (strcmp(req->path, "/api/v1/player/manifest") == 0) {
    atomic_fetch_add(&m->manifest_gets, 1);
    pthread_mutex_lock(&m->lock);
    char headers[128], *body = strdup(m->manifest);
    bool same = strcmp(req->if_none_match, m->etag) == 0;
    snprintf(headers, sizeof headers, "ETag: %s\r\nContent-Type: application/json\r\n", m->etag);
    pthread_mutex_unlock(&m->lock);
    bool ok = same ? stub_reply(fd, 304, headers, "", 0)
                   : stub_reply(fd, 200, headers, body, strlen(body));
    free(body);
    return ok;
  }
  for (int i = 0; i < MAX_MEDIA; i++) {
    char path[128];
    snprintf(path, sizeof path, "/media/%s", m->media[i].sha);
    if (strcmp(req->path, path) == 0) return serve_media(m, &m->media[i], fd);
  }
  return stub_reply(fd, 404, NULL, "", 0);
}

/* ---- the player side ---- */

static void on_activated(void *user) {
  struct manager *m = user;
  atomic_store(&m->activated_us, vt_mono_us());
  atomic_fetch_add(&m->activations, 1);
}

static struct sync *start_sync(struct manager *m, int64_t dead_ms) {
  struct sync_config cfg = {.manager_url = stub_url(m->srv), .token = TOKEN, .cache = m->cache,
                            .on_activated = on_activated, .user = m, .dead_ms = dead_ms};
  struct sync *s = NULL;
  struct vt_error err;
  if (sync_start(&cfg, &s, &err) != VT_OK) fail_msg("sync_start: %s", err.message);
  return s;
}

/* Conditions for stub_wait_for. */
struct want {
  atomic_int *counter;
  int at_least;
};
static bool reached(void *arg) {
  struct want *w = arg;
  return atomic_load(w->counter) >= w->at_least;
}
static bool wait_count(atomic_int *counter, int at_least) {
  struct want w = {counter, at_least};
  return stub_wait_for(reached, &w, WAIT_MS);
}

struct state_want {
  struct sync *s;
  enum sync_state state;
};
static bool in_state(void *arg) {
  struct state_want *w = arg;
  return sync_get_state(w->s) == w->state;
}
static bool wait_state(struct sync *s, enum sync_state st) {
  struct state_want w = {s, st};
  return stub_wait_for(in_state, &w, WAIT_MS);
}

static int64_t take_version(struct sync *s) {
  struct vt_manifest *mf = sync_take_manifest(s);
  int64_t v = mf ? mf->version : -1;
  vt_manifest_free(mf);
  return v;
}

static int64_t cached_version(struct manager *m, char *etag, size_t size) {
  struct vt_manifest *mf = NULL;
  char *e = NULL;
  if (cache_load_active(m->cache, &mf, &e, NULL) != VT_OK) return -1;
  int64_t v = mf->version;
  snprintf(etag, size, "%s", e ? e : "");
  vt_manifest_free(mf);
  free(e);
  return v;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static int setup(void **state) {
  struct manager *m = calloc(1, sizeof *m);
  if (!m || !vt_crypto_init()) return -1;
  pthread_mutex_init(&m->lock, NULL);
  for (int i = 0; i < MAX_MEDIA; i++) {
    memset(m->media[i].data, 'A' + i, sizeof m->media[i].data);
    vt_sha256_hex(m->media[i].data, sizeof m->media[i].data, m->media[i].sha);
  }
  const char *tmp = getenv("TMPDIR");
  snprintf(m->dir, sizeof m->dir, "%s/vt_sync_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(m->dir) || cache_open(m->dir, NULL, &m->cache, NULL) != VT_OK) return -1;
  m->srv = stub_start(handle, m);
  *state = m;
  return m->srv ? 0 : -1;
}

static int teardown(void **state) {
  struct manager *m = *state;
  stub_stop(m->srv);
  cache_free(m->cache);
  nftw(m->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(m->manifest);
  pthread_mutex_destroy(&m->lock);
  free(m);
  return 0;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* A sync that has reached manifest v1 (media A) and handed it over. */
static struct sync *start_synced(struct manager *m) {
  publish(m, 1, (int[]){0}, 1, true);
  struct sync *s = start_sync(m, 0);
  assert_true(wait_count(&m->activations, 1));
  assert_int_equal(take_version(s), 1);
  return s;
}

/* ---- tests ---- */

static void test_first_sync_then_pushes(void **state) {
  struct manager *m = *state;
  char etag[64];
  struct sync *s = start_synced(m);
  assert_int_equal(take_version(s), -1); /* taken once */
  assert_true(cache_has_media(m->cache, m->media[0].sha, 1000));
  assert_int_equal(cached_version(m, etag, sizeof etag), 1);
  assert_string_equal(etag, "\"v1\"");
  assert_int_equal(sync_get_state(s), SYNC_STREAMING);

  /* Pushes with no new media: event -> fetch -> activate -> on_activated. */
  enum { PUSHES = 15 };
  int64_t lat[PUSHES];
  for (int i = 0; i < PUSHES; i++) {
    int before = atomic_load(&m->activations);
    publish(m, 2 + i, (int[]){0}, 1, true);
    assert_true(wait_count(&m->activations, before + 1));
    lat[i] = atomic_load(&m->activated_us) - atomic_load(&m->sent_us);
  }
  qsort(lat, PUSHES, sizeof lat[0], cmp_i64);
  print_message("push latency, event written -> on_activated: median %.2f ms, max %.2f ms\n",
                (double)lat[PUSHES / 2] / 1000.0, (double)lat[PUSHES - 1] / 1000.0);
  assert_true(lat[PUSHES / 2] < 100 * 1000); /* a few ms on a quiet machine; ASan is slower */
  assert_int_equal(take_version(s), 1 + PUSHES); /* only the newest is handed over */
  assert_int_equal(atomic_load(&m->manifest_gets), 1 + PUSHES);
  assert_int_equal(atomic_load(&m->media[0].gets), 1); /* cached media are not fetched again */
  sync_stop(s);
  sync_stop(NULL);
}

static void test_restart_uses_cached_etag(void **state) {
  struct manager *m = *state;
  sync_stop(start_synced(m));
  int gets = atomic_load(&m->manifest_gets), sent = atomic_load(&m->events_sent);
  /* A restarted player hears "v1", which is what it has: no fetch, no activation. */
  struct sync *s = start_sync(m, 0);
  assert_true(wait_count(&m->events_sent, sent + 1));
  assert_true(wait_state(s, SYNC_STREAMING));
  publish(m, 2, (int[]){0}, 1, true); /* and the next change still arrives */
  assert_true(wait_count(&m->activations, 2));
  assert_int_equal(atomic_load(&m->manifest_gets), gets + 1);
  assert_int_equal(take_version(s), 2);
  sync_stop(s);
}

static void test_bad_manifest_ignored_once(void **state) {
  struct manager *m = *state;
  char etag[64];
  struct sync *s = start_synced(m);
  int gets = atomic_load(&m->manifest_gets);
  publish(m, 2, (int[]){0}, 1, false);
  assert_true(wait_count(&m->manifest_gets, gets + 1));
  /* Reconnect: the stream repeats the bad etag, which must not be fetched again. */
  int conns = atomic_load(&m->stream_conns), sent = atomic_load(&m->events_sent);
  atomic_store(&m->kick, true);
  assert_true(wait_count(&m->stream_conns, conns + 1));
  assert_true(wait_count(&m->events_sent, sent + 1));
  assert_true(wait_state(s, SYNC_STREAMING));
  publish(m, 3, (int[]){0, 1}, 2, true); /* the fix arrives and is used */
  assert_true(wait_count(&m->activations, 2));
  assert_int_equal(atomic_load(&m->manifest_gets), gets + 2);
  assert_int_equal(take_version(s), 3);
  assert_int_equal(cached_version(m, etag, sizeof etag), 3);
  sync_stop(s);
}

static void test_refused_token_backs_off(void **state) {
  struct manager *m = *state;
  publish(m, 1, (int[]){0}, 1, true);
  atomic_store(&m->refuse, true);
  struct sync *s = start_sync(m, 0);
  struct state_want w = {s, SYNC_BACKOFF};
  assert_true(stub_wait_for(in_state, &w, WAIT_MS));
  /* Watch it retry for 2 s (a window, not a wait for a condition): with backoff from 500 ms
   * doubling, with full jitter, that is a handful of requests, never a tight loop. */
  struct timespec window = {2, 0};
  nanosleep(&window, NULL);
  int requests = stub_request_count(m->srv);
  assert_true(requests >= 2);
  assert_true(requests <= 7);
  assert_int_equal(atomic_load(&m->activations), 0);
  int64_t t1 = vt_mono_ms();
  sync_stop(s);
  assert_true(vt_mono_ms() - t1 < 1000); /* a backoff sleep ends at once */
}

static void test_silent_stream_reconnects(void **state) {
  struct manager *m = *state;
  publish(m, 1, (int[]){0}, 1, true);
  atomic_store(&m->silent, true);
  struct sync *s = start_sync(m, 300);
  assert_true(wait_count(&m->activations, 1));
  /* No byte for 300 ms: the stream is declared dead and opened again. */
  assert_true(wait_count(&m->stream_conns, 3));
  sync_stop(s);
}

static void test_newer_event_abandons_download(void **state) {
  struct manager *m = *state;
  m->media[0].gated = true;
  publish(m, 1, (int[]){0, 1}, 2, true); /* A (held back), B */
  struct sync *s = start_sync(m, 0);
  assert_true(wait_count(&m->media[0].gets, 1));
  int sent = atomic_load(&m->events_sent);
  publish(m, 2, (int[]){0, 2}, 2, true); /* A, C: v1 is obsolete */
  assert_true(wait_count(&m->events_sent, sent + 1));
  atomic_store(&m->gate_open, true);
  assert_true(wait_count(&m->activations, 1));
  assert_int_equal(take_version(s), 2);
  assert_int_equal(atomic_load(&m->activations), 1); /* v1 was never activated */
  assert_int_equal(atomic_load(&m->media[1].gets), 0); /* nor its other file fetched */
  assert_int_equal(atomic_load(&m->media[0].gets), 1); /* A, fetched once, served v2 */
  sync_stop(s);
}

static void test_stop_during_download(void **state) {
  struct manager *m = *state;
  m->media[0].gated = true; /* never opens: the download hangs */
  publish(m, 1, (int[]){0}, 1, true);
  struct sync *s = start_sync(m, 0);
  assert_true(wait_count(&m->media[0].gets, 1));
  int64_t t0 = vt_mono_ms();
  sync_stop(s);
  int64_t took = vt_mono_ms() - t0;
  print_message("sync_stop mid-download took %lld ms\n", (long long)took);
  assert_true(took < 1000); /* the brief: "within about a second" */
  assert_int_equal(atomic_load(&m->activations), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_first_sync_then_pushes),    T(test_restart_uses_cached_etag),
      T(test_bad_manifest_ignored_once), T(test_refused_token_backs_off),
      T(test_silent_stream_reconnects),  T(test_newer_event_abandons_download),
      T(test_stop_during_download),
  };
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return failed;
}
