/* The sync client: SSE push channel, manifest fetch, media download, activation, source
 * snapshots (docs/internals/sync.md). Runs on its own thread; never touches rendering. The render
 * thread learns of a new manifest through on_activated and takes it with sync_take_manifest. */
#ifndef PLAYER_SYNC_H
#define PLAYER_SYNC_H

#include <stdint.h>

#include "cache.h"
#include "manifest.h"
#include "source.h"
#include "vt_err.h"

struct sync_config {
  const char *manager_url; /* "http://host:port", no trailing slash needed */
  const char *token;       /* display token */
  struct cache *cache;     /* borrowed; outlives the sync */
  /* Called on the sync thread after a manifest was activated in the cache. Must only
   * signal (e.g. SDL_PushEvent); the render thread then calls sync_take_manifest. */
  void (*on_activated)(void *user);
  /* Optional. Called on the sync thread when a new source snapshot is ready; the same rule:
   * only signal; the render thread takes it with sync_take_snapshot. */
  void (*on_source)(void *user);
  void *user;
  /* Optional tuning; 0 means the default from vt_limits.h. Tests shorten them. */
  int64_t dead_ms;  /* a stream silent this long is dead: VT_SSE_DEAD_MS */
  int64_t stall_ms; /* a fetch without progress this long fails: VT_FETCH_STALL_MS */
};

struct sync;

/* Start the sync thread. cfg is copied (strings too). */
enum vt_err sync_start(const struct sync_config *cfg, struct sync **out,
                       struct vt_error *err) VT_WARN_UNUSED;
/* Stop and join the thread (returns within about a second); NULL is a no-op. */
void sync_stop(struct sync *s);

/* The newest activated manifest not yet taken, or NULL. Ownership passes to the caller. */
struct vt_manifest *sync_take_manifest(struct sync *s);

/* A source snapshot fetched (checked and cached) and not yet taken, oldest first, the
 * newest of each key only; NULL when none is left. Ownership passes to the caller. The
 * snapshots of a new manifest's sources are handed over before that manifest. */
struct vt_snapshot *sync_take_snapshot(struct sync *s);

enum sync_state { SYNC_IDLE, SYNC_CONNECTING, SYNC_STREAMING, SYNC_BACKOFF };
enum sync_state sync_get_state(struct sync *s);

#endif
