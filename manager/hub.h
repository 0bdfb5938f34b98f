/* The push hub: which event streams listen for which display, and what each still has to
 * send (docs/internals/hub.md). Thread-safe. It knows nothing of HTTP: the stream's
 * connection is an opaque pointer that the hub suspends and resumes through ops. */
#ifndef MANAGER_HUB_H
#define MANAGER_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hub;
struct hub_sub;

struct hub_conn_ops {
  /* Park conn until resumed. Called from hub_read, on the thread serving conn. */
  void (*suspend)(void *conn);
  /* Wake a parked conn; it will call hub_read again. Called from any thread, never with
   * the hub's lock held. */
  void (*resume)(void *conn);
};

struct hub *hub_new(const struct hub_conn_ops *ops); /* NULL when out of memory */
/* All subscribers must have unsubscribed (see hub_shutdown). NULL is a no-op. */
void hub_free(struct hub *h);

/* A new stream for display_id, whose stored manifest is (version, etag) as read by the
 * caller. NULL when out of memory. */
struct hub_sub *hub_subscribe(struct hub *h, int64_t display_id, int64_t version, const char *etag,
                              void *conn);
/* Forget and free s. Only from the stream's completion (its connection is gone). */
void hub_unsubscribe(struct hub_sub *s);

/* The stream's next bytes: > 0 bytes copied to buf; 0 after suspending the connection
 * because there is nothing to send yet; -1 when the stream must end. */
ssize_t hub_read(struct hub_sub *s, char *buf, size_t max);

/* display_id's manifest is now (version, etag): call only after that version committed.
 * Older versions than one already announced are ignored. */
void hub_announce(struct hub *h, int64_t display_id, int64_t version, const char *etag);
/* The snapshot of source key ("menu/3") is now version, for each of the n displays in ids:
 * their streams send `event: source` with {"key","version"}. Call only once that version is
 * committed. Each display keeps the latest version per key, so a stream sends each key's
 * latest once, in the order the keys last changed; a new stream starts with nothing to send
 * (its player revalidates every source when it connects). */
void hub_announce_source(struct hub *h, const int64_t *ids, size_t n, const char *key,
                         int64_t version);
/* Every stream sends a keep-alive comment unless it sends an event first. */
void hub_keepalive(struct hub *h);
/* End display_id's streams (the display was deleted or its token rotated). */
void hub_disconnect(struct hub *h, int64_t display_id);

/* Record that display_id was heard from at now_ms (any authenticated request). */
void hub_seen(struct hub *h, int64_t display_id, int64_t now_ms);
/* Is display_id streaming now? *last_seen_ms: now while online, else when it was last
 * heard from; 0 when never (since this manager started). */
bool hub_status(struct hub *h, int64_t display_id, int64_t now_ms, int64_t *last_seen_ms);

/* End every stream and wait until all have unsubscribed or deadline_mono_ms passes.
 * Returns the number still open. */
int hub_shutdown(struct hub *h, int64_t deadline_mono_ms);

#endif
