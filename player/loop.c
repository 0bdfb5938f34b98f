#include "loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "snapshot.h"
#include "sources.h"
#include "timeline.h"
#include "timeutil.h"

/* The longest sleep, whatever the timeline says: a wall clock stepped by NTP (or a
 * manifest whose next change is days away) is re-read at least this often. A wake-up a
 * minute costs nothing. */
#define LOOP_MAX_WAIT_MS 60000

/* While the waiting screen shows the sync state, it is re-read this often. */
#define LOOP_STATUS_POLL_MS 1000

/* Where SDL cannot block on its event queue (headless, offscreen and dummy drivers poll it
 * every millisecond, over 1% CPU), the loop sleeps on p->wake instead, posted for the sync
 * thread's event; it still drains SDL's queue this often, to see SIGTERM's SDL_QUIT. */
#define LOOP_SIGNAL_POLL_MS 200

/* Frame period while a widget animates and nothing paces presents (headless, or a window
 * without vsync): 60 Hz, the refresh of nearly every signage display. */
#define LOOP_FRAME_US 16667
/* A live --snapshot of frames that only move (a ticker, a clock's seconds) is written at
 * most this often: a PNG of a full-HD frame costs tens of milliseconds to encode. */
#define LOOP_MOVING_SNAPSHOT_MS 1000
/* Regions redrawn alone when only they move; with more, the whole frame is drawn. */
#define LOOP_DAMAGE_MAX 8

/* Snapshots applied in one turn and reported after its present (--events); more in one
 * turn are reported at once, before the frame that shows them. */
#define LOOP_APPLIED_MAX 16

/* What the screen shows, to tell whether a redraw is needed. */
struct frame_sig {
  const struct vt_manifest *manifest;
  const struct vt_layout *layout;
  const struct vt_item *items[VT_LIMIT_REGIONS];
  char status[256]; /* the waiting screen's text when there is no layout */
};

struct loop {
  struct player *p;
  int64_t now;
  struct vt_timeline_frame frame; /* at now */
  struct frame_sig shown;         /* what the output holds */
  bool dirty;                     /* redraw even if the frame looks the same */
  bool drew;                      /* this turn drew a frame to present */
  bool only_moved;                /* ...and only because a widget moves (ticker, clock) */
  int64_t draw_start_us;          /* monotonic start of this turn's frame */
  /* For tests/bench/widgets.c (docs/internals/render.md, "Benchmark"): report each frame's
   * drawing time as an event; make every widget anew each frame, as a player that lays out
   * its screen every frame would. */
  bool frame_times, full_redraw;
  int64_t snapshot_at_ms;         /* monotonic time of the last live --snapshot */
  bool quit;
  bool sdl_blocks;                  /* SDL_WaitEventTimeout sleeps for this video driver */
  bool vsync;                       /* presents wait for the display's refresh */
  int64_t widget_due;               /* a widget on screen draws anew from then (now: animating) */
  struct scene_change changes[LOOP_DAMAGE_MAX]; /* which regions change, and from when */
  size_t n_changes;                             /* may exceed LOOP_DAMAGE_MAX: then draw all */
  int64_t next_frame_us;            /* monotonic: when an animation's next frame is due */
  int64_t presented_version;        /* last manifest version reported presented, -1: none */
  const struct vt_layout *reported; /* layout of the last "presented" event */
  /* key -> snapshot, borrowed by the widgets (sources.h); follows the playing manifest */
  struct sources *sources;
  struct applied {
    char key[VT_SOURCE_KEY_MAX];
    int64_t version;
    size_t widgets;
  } applied[LOOP_APPLIED_MAX];
  size_t n_applied;
};

/* t_ms is always the real wall clock, so a test can time a push against its own clock. */
static void emit_event(const struct player *p, const char *name, int64_t version) {
  if (!p->opt->events) return;
  if (version >= 0)
    printf("{\"event\":\"%s\",\"version\":%lld,\"t_ms\":%lld}\n", name, (long long)version,
           (long long)vt_now_ms());
  else
    printf("{\"event\":\"%s\",\"t_ms\":%lld}\n", name, (long long)vt_now_ms());
  fflush(stdout);
}

/* "presented" also says which layout went up and for which instant of the timeline (at_ms
 * differs from t_ms under --clock), so a schedule switch can be timed from outside. */
static void emit_presented(const struct loop *l) {
  const struct player *p = l->p;
  if (!p->opt->events) return;
  char layout[24] = "null";
  if (l->frame.layout) snprintf(layout, sizeof layout, "%lld", (long long)l->frame.layout->id);
  printf("{\"event\":\"presented\",\"version\":%lld,\"layout\":%s,\"at_ms\":%lld,\"t_ms\":%lld}\n",
         (long long)p->manifest->version, layout, (long long)l->now, (long long)vt_now_ms());
  fflush(stdout);
}

/* A snapshot was applied: which source, which version, how many widgets were prepared
 * again for it, and how many prepares all widgets have had so far, so a test can prove that
 * nothing else on screen was rebuilt. */
static void emit_source(const struct player *p, const struct applied *a) {
  if (!p->opt->events) return;
  printf("{\"event\":\"source\",\"key\":\"%s\",\"version\":%lld,\"widgets\":%zu,"
         "\"prepares\":%lu,\"t_ms\":%lld}\n",
         a->key, (long long)a->version, a->widgets, widget_prepare_count(),
         (long long)vt_now_ms());
  fflush(stdout);
}

static const char *sync_state_text(enum sync_state s) {
  static const char *const text[] = {
      [SYNC_IDLE] = "starting",
      [SYNC_CONNECTING] = "connecting to the manager",
      [SYNC_STREAMING] = "connected to the manager",
      [SYNC_BACKOFF] = "manager not reachable, retrying",
  };
  return (unsigned)s < sizeof text / sizeof text[0] && text[s] ? text[s] : "?";
}

/* The waiting screen's words: why nothing plays, and what the display is doing about it. */
static void waiting_status(const struct loop *l, char *out, size_t size) {
  const struct player *p = l->p;
  if (p->manifest)
    snprintf(out, size, "%s\nNothing is scheduled now",
             p->manifest->display_name && p->manifest->display_name[0] ? p->manifest->display_name
                                                                       : "Vitrine");
  else if (p->sync)
    snprintf(out, size, "Waiting for content\n%s", sync_state_text(sync_get_state(p->sync)));
  else
    snprintf(out, size, "Waiting for content");
}

static void frame_sig_of(const struct loop *l, struct frame_sig *sig) {
  memset(sig, 0, sizeof *sig); /* compared with memcmp, padding included */
  sig->manifest = l->p->manifest;
  sig->layout = l->frame.layout;
  for (size_t i = 0; i < l->frame.n_regions; i++) sig->items[i] = l->frame.regions[i].item;
  if (!sig->layout) waiting_status(l, sig->status, sizeof sig->status);
}

static void handle_event(struct loop *l, const SDL_Event *ev) {
  switch (ev->type) {
  case SDL_QUIT: l->quit = true; break;
  case SDL_WINDOWEVENT:
    if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
        ev->window.event == SDL_WINDOWEVENT_EXPOSED ||
        ev->window.event == SDL_WINDOWEVENT_RESTORED || ev->window.event == SDL_WINDOWEVENT_SHOWN)
      l->dirty = true;
    break;
  case SDL_RENDER_TARGETS_RESET: /* scaled images live in target textures */
  case SDL_RENDER_DEVICE_RESET:
    scene_clear(l->p->scene);
    l->dirty = true;
    break;
  default: break; /* p->wake_event only wakes us: take_new_manifest looks */
  }
}

/* ---- The steps of one turn, in order. ---- */

/* A manifest the sync activated replaces the playing one from this turn on. */
static void take_new_manifest(struct loop *l) {
  struct player *p = l->p;
  struct vt_manifest *m = p->sync ? sync_take_manifest(p->sync) : NULL;
  if (!m) return;
  vt_info("loop", "playing manifest version %lld", (long long)m->version);
  scene_clear(p->scene); /* widgets borrow items from the old manifest */
  vt_manifest_free(p->manifest);
  p->manifest = m;
  sources_follow(l->sources, m, p->sources_dir); /* no widget borrows a snapshot now */
  l->dirty = true;
  l->presented_version = -1; /* its first frame is reported; l->reported pointed into the old one */
}

/* New snapshots from the sync replace the held ones; only the widgets showing their key are
 * prepared again (scene_set_source), and the frame is redrawn if there was one. */
static void take_new_snapshots(struct loop *l) {
  struct player *p = l->p;
  struct vt_snapshot *snap;
  while (p->sync && (snap = sync_take_snapshot(p->sync))) {
    const struct vt_source *src = p->manifest ? vt_manifest_source(p->manifest, snap->key) : NULL;
    struct vt_snapshot *old = NULL;
    struct applied a = {.version = snap->version};
    snprintf(a.key, sizeof a.key, "%s", snap->key);
    if (src && src->kind != snap->kind) { /* the manager's bug: no widget may misread it */
      vt_warn("loop", "snapshot of %s is a %d, the manifest says %d", a.key, (int)snap->kind,
              (int)src->kind);
      vt_snapshot_free(snap);
      continue;
    }
    if (!sources_put(l->sources, snap, &old)) continue; /* held already */
    a.widgets = scene_set_source(p->scene, snap, player_now_ms(&p->clock));
    vt_snapshot_free(old); /* after the widgets let go of it */
    vt_info("loop", "snapshot %s version %lld: %zu widget(s) laid out again", a.key,
            (long long)a.version, a.widgets);
    if (a.widgets) l->dirty = true;
    if (l->n_applied < LOOP_APPLIED_MAX)
      l->applied[l->n_applied++] = a;
    else
      emit_source(p, &a);
  }
}

static void compute_timeline(struct loop *l, int64_t now) {
  l->now = now;
  vt_timeline_at(l->p->manifest, now, &l->frame);
}

/* Headless output follows the canvas of the layout on screen. */
static enum vt_err fit_output(struct loop *l, struct vt_error *err) {
  struct player *p = l->p;
  const struct vt_layout *lay = l->frame.layout;
  if (!lay || !render_needs_resize(p->render, lay->width, lay->height)) return VT_OK;
  scene_clear(p->scene); /* their textures die with the old renderer */
  l->dirty = true;
  return render_resize(p->render, lay->width, lay->height, err);
}

/* Every item on screen gets its widget (most were made ahead, see prepare_ahead). */
static void prepare_widgets(struct loop *l) {
  struct player *p = l->p;
  l->draw_start_us = vt_mono_us(); /* a frame's time: making widgets, drawing, presenting */
  struct vt_error err = {0};
  if (fit_output(l, &err) != VT_OK) {
    vt_error("loop", "cannot resize the output: %s", err.message);
    l->quit = true; /* no renderer left to draw with */
    return;
  }
  if (l->full_redraw) {
    scene_clear(p->scene);
    l->dirty = true;
  }
  scene_begin(p->scene);
  if (l->frame.layout && scene_need(p->scene, p->render, &l->frame, p->media_dir,
                                    p->manifest->timezone, l->now, l->sources))
    l->dirty = true;
}

static void draw_if_changed(struct loop *l) {
  struct frame_sig sig;
  frame_sig_of(l, &sig);
  bool changed = l->dirty || memcmp(&sig, &l->shown, sizeof sig) != 0;
  l->drew = changed || l->now >= l->widget_due;
  l->only_moved = !changed;
  if (!l->drew || l->quit) return;
  struct player *p = l->p;
  /* Only a ticker or a clock moved, and the output still holds the last frame: redraw just
   * their regions (headless; a window redraws all, which a GPU does cheaply). */
  if (l->frame.layout && l->only_moved && render_keeps_frame(p->render) &&
      l->n_changes <= LOOP_DAMAGE_MAX) {
    for (size_t i = 0; i < l->n_changes; i++)
      if (l->changes[i].at_ms <= l->now)
        render_frame(p->render, &l->frame, p->scene, p->media_dir, l->now, &l->changes[i].rect);
  } else if (l->frame.layout)
    render_frame(p->render, &l->frame, p->scene, p->media_dir, l->now, NULL);
  else
    render_waiting(l->p->render, sig.status);
  l->shown = sig;
  l->dirty = false;
}

/* Live --snapshot writes every presented frame that changed, and one that only moved at
 * most once a second; --events reports the first frame of each manifest version and of each
 * layout change. */
static void present(struct loop *l) {
  struct player *p = l->p;
  if (!l->drew || l->quit) return;
  int64_t mono = vt_mono_ms();
  if (p->opt->snapshot_path &&
      (!l->only_moved || mono - l->snapshot_at_ms >= LOOP_MOVING_SNAPSHOT_MS)) {
    l->snapshot_at_ms = mono;
    struct vt_error err = {0};
    if (snapshot_write(render_renderer(p->render), p->opt->snapshot_path, &err) != VT_OK)
      vt_warn("loop", "snapshot: %s", err.message);
  }
  render_present(p->render);
  if (l->frame_times) {
    printf("{\"event\":\"frame\",\"draw_us\":%lld}\n", (long long)(vt_mono_us() - l->draw_start_us));
    fflush(stdout);
  }
  for (size_t i = 0; i < l->n_applied; i++) emit_source(p, &l->applied[i]);
  l->n_applied = 0;
  if (p->manifest &&
      (p->manifest->version != l->presented_version || l->frame.layout != l->reported)) {
    l->presented_version = p->manifest->version;
    l->reported = l->frame.layout;
    emit_presented(l);
  }
}

/* Widgets for what comes next in each region are built now, while the screen is idle, so
 * the change itself only copies textures. Widgets needed by neither frame are freed. */
static void prepare_ahead(struct loop *l) {
  struct player *p = l->p;
  if (l->frame.next_change_ms != VT_TIME_MAX && !l->quit) {
    struct vt_timeline_frame ahead;
    vt_timeline_at(p->manifest, l->frame.next_change_ms, &ahead);
    if (ahead.layout && !render_needs_resize(p->render, ahead.layout->width, ahead.layout->height))
      scene_need(p->scene, p->render, &ahead, p->media_dir, p->manifest->timezone, l->now,
                 l->sources);
  }
  scene_sweep(p->scene);
  /* Asked after drawing, so a clock reports the minute after the one it just showed. */
  l->widget_due = l->frame.layout && !l->quit
                      ? scene_next_change_ms(p->scene, p->render, &l->frame, l->now,
                                             l->changes, LOOP_DAMAGE_MAX, &l->n_changes)
                      : VT_TIME_MAX;
  if (!l->frame.layout || l->quit) l->n_changes = 0;
}

/* While a widget animates, the next frame is due one period after the last: presents
 * blocked on vsync pace themselves, otherwise the loop sleeps until then. 0: no wait. */
static int64_t frame_wait_ms(struct loop *l) {
  if (l->vsync) return 0;
  int64_t now = vt_mono_us();
  if (l->next_frame_us < now - LOOP_FRAME_US) l->next_frame_us = now; /* fell behind: restart */
  l->next_frame_us += LOOP_FRAME_US;
  int64_t left = l->next_frame_us - now;
  return left > 0 ? (left + 999) / 1000 : 0;
}

/* Sleep until the frame may change, a failed widget is due for a retry, or an event
 * (new manifest, window, quit) arrives. */
static void wait_for_change(struct loop *l) {
  struct player *p = l->p;
  if (l->quit) return;
  int64_t until = l->frame.next_change_ms;
  int64_t retry = scene_next_retry_ms(p->scene);
  if (retry < until) until = retry;
  if (l->widget_due < until) until = l->widget_due;
  if (!l->frame.layout && p->sync && l->now + LOOP_STATUS_POLL_MS < until)
    until = l->now + LOOP_STATUS_POLL_MS;
  int64_t left = until == VT_TIME_MAX ? LOOP_MAX_WAIT_MS : until - player_now_ms(&p->clock);
  if (left > LOOP_MAX_WAIT_MS) left = LOOP_MAX_WAIT_MS;
  if (l->widget_due <= l->now) left = frame_wait_ms(l); /* animating */
  SDL_Event ev;
  if (left > 0 && l->sdl_blocks) {
    if (SDL_WaitEventTimeout(&ev, (int)left)) handle_event(l, &ev);
  } else if (left > 0) {
    SDL_SemWaitTimeout(p->wake, (Uint32)(left < LOOP_SIGNAL_POLL_MS ? left : LOOP_SIGNAL_POLL_MS));
  }
  while (SDL_PollEvent(&ev)) handle_event(l, &ev);
}

/* ---- The loop. ---- */

/* Out of memory here only means no snapshots: live widgets show what they show without. */
static void loop_sources_open(struct loop *l) {
  l->sources = sources_new();
  if (!l->sources) {
    vt_error("loop", "out of memory: live content will not show");
    return;
  }
  sources_follow(l->sources, l->p->manifest, l->p->sources_dir);
}

/* Widgets borrow snapshots from the table: they go first. */
static void loop_fini(struct loop *l) {
  scene_clear(l->p->scene);
  sources_free(l->sources);
}

static bool env_flag(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0") != 0;
}

static void loop_init(struct loop *l, struct player *p) {
  memset(l, 0, sizeof *l);
  l->p = p;
  l->dirty = true;
  l->presented_version = -1;
  l->widget_due = VT_TIME_MAX;
  SDL_RendererInfo info;
  l->vsync = !p->opt->headless && SDL_GetRendererInfo(render_renderer(p->render), &info) == 0 &&
             (info.flags & SDL_RENDERER_PRESENTVSYNC);
  l->frame_times = p->opt->events && env_flag("VITRINE_FRAME_TIMES");
  l->full_redraw = env_flag("VITRINE_FULL_REDRAW");
  const char *driver = SDL_GetCurrentVideoDriver();
  l->sdl_blocks =
      !p->opt->headless && driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
}

void loop_run(struct player *p) {
  struct loop l;
  loop_init(&l, p);
  loop_sources_open(&l);
  emit_event(p, "started", -1);
  if (p->from_cache) emit_event(p, "offline_start", p->manifest->version);
  while (!l.quit) {
    take_new_manifest(&l);
    take_new_snapshots(&l);
    compute_timeline(&l, player_now_ms(&p->clock));
    prepare_widgets(&l);
    draw_if_changed(&l);
    present(&l);
    prepare_ahead(&l);
    wait_for_change(&l);
  }
  loop_fini(&l);
}

enum vt_err loop_snapshot_at(struct player *p, int64_t at_ms, struct vt_error *err) {
  char when[VT_RFC3339_MAX];
  vt_time_format(at_ms, when);
  if (!p->manifest) return vt_error_set(err, VT_ERR_NOT_FOUND, "", "no manifest to render");
  struct loop l;
  loop_init(&l, p);
  compute_timeline(&l, at_ms);
  if (!l.frame.layout)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "",
                        "nothing is scheduled at %s (manifest version %lld)", when,
                        (long long)p->manifest->version);
  loop_sources_open(&l);
  enum vt_err rc = fit_output(&l, err);
  if (!rc) {
    scene_need(p->scene, p->render, &l.frame, p->media_dir, p->manifest->timezone, at_ms,
               l.sources);
    draw_if_changed(&l);
    rc = snapshot_write(render_renderer(p->render), p->opt->snapshot_path, err);
  }
  loop_fini(&l);
  return rc;
}
