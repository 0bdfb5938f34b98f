/* The feed fetcher: a worker thread that keeps every feed's snapshot fresh.
 *
 * Every poll (a second) it asks the store which feeds are due (next_fetch_at, set by
 * sources.c from the refresh interval and the back-off), and runs up to `parallel` fetches
 * at once in one curl multi handle, so a stalled or slow server holds up only its own
 * feed. A finished fetch is parsed by kind (feed_data.c) and stored through sources.c,
 * which keeps the last good snapshot on any failure, records the error for the owner,
 * backs off, and announces a changed snapshot to the displays that show it. The thread has
 * its own store connection and never holds a transaction across network I/O, so the
 * HTTP API is never slowed by a feed. */
#ifndef MANAGER_FEED_FETCH_H
#define MANAGER_FEED_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "http_fetch.h"
#include "vt_err.h"

struct hub;
struct feed_fetcher;

struct feed_fetcher_options {
  size_t parallel;            /* fetches at once */
  struct fetch_limits limits; /* per fetch */
  int64_t poll_ms;            /* how often the store is asked what is due */
};
extern const struct feed_fetcher_options feed_fetcher_defaults;

/* Start the thread on its own connection to db_path; hub receives the announcements.
 * options NULL: the defaults. */
enum vt_err feed_fetcher_start(const char *db_path, struct hub *hub,
                               const struct feed_fetcher_options *options,
                               struct feed_fetcher **out, struct vt_error *err) VT_WARN_UNUSED;
/* Abort the fetches in flight and join the thread. NULL is a no-op. */
void feed_fetcher_stop(struct feed_fetcher *f);

#endif
