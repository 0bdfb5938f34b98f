/* The render loop (docs/internals/render.md): each turn takes a newly activated manifest,
 * asks the timeline what plays now, prepares widgets, draws and presents only if something
 * changed, then sleeps until the next change or an event. What plays comes only from
 * vt_timeline_at(manifest, player_now_ms) (the wall clock, or a --clock rehearsal's), never
 * from when the player started. */
#ifndef PLAYER_LOOP_H
#define PLAYER_LOOP_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "clock.h"
#include "fonts.h"
#include "manifest.h"
#include "render.h"
#include "scene.h"
#include "sync.h"
#include "vt_err.h"

/* The command line (main.c's option table fills it). Strings borrow from argv. */
struct player_options {
  const char *manager_url, *data_dir, *token;
  struct player_size {
    int w, h; /* 0 x 0: not given */
  } windowed;
  bool headless;
  const char *snapshot_path;
  struct player_at {
    bool set;
    int64_t ms;
  } at;
  struct player_at clock; /* --clock: rehearse from this instant on */
  const char *manifest_path;
  bool events;
  const char *assets_dir;
};

/* What the loop plays with. main.c builds it and frees it; the loop only replaces the
 * manifest (freeing the old one after the widgets borrowing from it). */
struct player {
  const struct player_options *opt;
  struct fonts *fonts;
  struct render *render;
  struct scene *scene;
  struct cache *cache;          /* NULL with --manifest */
  struct sync *sync;            /* NULL when there is no manager */
  struct vt_manifest *manifest; /* playing; NULL until there is one */
  char *media_dir;              /* media/<sha256> of the manifest source */
  char *sources_dir;            /* the cached snapshots of its sources (sources.h) */
  bool from_cache;              /* the first manifest came from the cache (offline start) */
  struct player_clock clock;    /* what "now" is for the timeline (--clock) */
  Uint32 wake_event;            /* pushed by the sync thread when a manifest activated */
  SDL_sem *wake;                /* posted for wake_event, see loop.c "waiting" */
};

/* Play until SDL_QUIT (SIGINT, SIGTERM, window closed). */
void loop_run(struct player *p);

/* Render what the screen shows at at_ms and write it to p->opt->snapshot_path.
 * VT_ERR_NOT_FOUND when there is no manifest or nothing is scheduled then. */
enum vt_err loop_snapshot_at(struct player *p, int64_t at_ms, struct vt_error *err) VT_WARN_UNUSED;

#endif
