/* `vitrine-manager serve`: open the data directory, renew the manifests, serve HTTP, and
 * run the timers (keep-alive, renewal) on the main thread until SIGTERM or SIGINT.
 *
 * Threads: libmicrohttpd's one internal thread runs every request with m.store; the main
 * thread waits for signals and timers and renews with its own store connection; the feed
 * fetcher's thread (feed_fetch.c) has a third. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "commands.h"
#include "hash.h"
#include "http.h"
#include "hub.h"
#include "log.h"
#include "manager.h"
#include "feed_fetch.h"
#include "renew.h"
#include "store.h"
#include "timeutil.h"

/* How long open event streams get to end before the server stops regardless. */
#define SERVE_SHUTDOWN_GRACE_MS 5000

static void fail(const char *what, const struct vt_error *err) {
  fprintf(stderr, "vitrine-manager serve: %s: %s\n", what, err->message);
}

static void renew(struct store *s, struct hub *hub) {
  struct vt_error err = {0};
  size_t changed = 0;
  if (renew_all(s, hub, vt_now_ms(), &changed, &err) != VT_OK)
    vt_warn("serve", "renewal failed: %s", err.message);
  else if (changed)
    vt_info("serve", "renewal: %zu manifest(s) changed", changed);
}

/* Wait for SIGTERM/SIGINT, running the timers meanwhile. */
static void run_timers(const struct config *cfg, const sigset_t *stop, struct store *timer_store,
                       struct hub *hub) {
  int64_t next_keepalive = vt_mono_ms() + cfg->keepalive_ms;
  int64_t next_renew = vt_mono_ms() + cfg->renew_ms;
  for (;;) {
    int64_t now = vt_mono_ms();
    int64_t wake = next_keepalive < next_renew ? next_keepalive : next_renew;
    int64_t wait = wake > now ? wake - now : 0;
    struct timespec ts = {wait / 1000, (wait % 1000) * 1000000};
    int sig = sigtimedwait(stop, NULL, &ts);
    if (sig == SIGTERM || sig == SIGINT) return;
    if (sig < 0 && errno != EAGAIN && errno != EINTR) return;
    now = vt_mono_ms();
    if (now >= next_keepalive) {
      hub_keepalive(hub);
      next_keepalive = now + cfg->keepalive_ms;
    }
    if (now >= next_renew) {
      renew(timer_store, hub);
      next_renew = now + cfg->renew_ms;
    }
  }
}

int serve_main(const struct config *cfg) {
  struct manager m = {0};
  struct store *timer_store = NULL;
  struct http *http = NULL;
  struct feed_fetcher *fetcher = NULL;
  struct vt_error err = {0};
  char url[300];
  int status = 1;

  /* Signals are taken by sigtimedwait on this thread only: block them before any thread
   * starts so every thread inherits the mask. SIGPIPE is not worth dying for. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  if (!vt_crypto_init()) {
    fprintf(stderr, "vitrine-manager serve: libsodium cannot initialise\n");
    return 1;
  }
  if (paths_init(&m.paths, cfg->data, &err) != VT_OK) {
    fail("data directory", &err);
    return 1;
  }
  if (store_open(m.paths.db, &m.store, &err) != VT_OK ||
      store_open(m.paths.db, &timer_store, &err) != VT_OK) {
    fail("database", &err);
    goto out;
  }
  if (!(m.hub = hub_new(&http_hub_ops))) {
    fprintf(stderr, "vitrine-manager serve: out of memory\n");
    goto out;
  }
  renew(timer_store, NULL); /* nobody listens yet; brings every horizon up to date */
  if (http_start(&m, cfg->listen, &http, url, sizeof url, &err) != VT_OK) {
    fail("listen", &err);
    goto out;
  }
  if (feed_fetcher_start(m.paths.db, m.hub, NULL, &fetcher, &err) != VT_OK) {
    fail("feed fetcher", &err);
    http_stop(http);
    goto out;
  }
  printf("listening on %s\n", url);
  fflush(stdout);

  run_timers(cfg, &stop, timer_store, m.hub);

  vt_info("serve", "shutting down");
  feed_fetcher_stop(fetcher);
  http_quiesce(http);
  int left = hub_shutdown(m.hub, vt_mono_ms() + SERVE_SHUTDOWN_GRACE_MS);
  if (left) vt_warn("serve", "%d event stream(s) did not end in time", left);
  http_stop(http);
  status = 0;
out:
  hub_free(m.hub);
  store_free(timer_store);
  store_free(m.store);
  return status;
}
