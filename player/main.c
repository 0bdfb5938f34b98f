/* vitrine-player: the option table, building the player context, running the loop. */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <libgen.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "clock.h"
#include "fonts.h"
#include "fsutil.h"
#include "hash.h"
#include "vt_limits.h"
#include "log.h"
#include "loop.h"
#include "render.h"
#include "scene.h"
#include "sync.h"
#include "timeutil.h"
#include "sources.h"

enum { EXIT_USAGE = 2 };

/* ---- Options ---- */

struct option_def {
  const char *name; /* --name */
  const char *arg;  /* shown in --help; NULL for a flag without a value */
  bool (*parse)(const char *value, void *field);
  size_t offset; /* of the field in struct player_options */
  const char *help;
};

static bool parse_string(const char *v, void *field) {
  *(const char **)field = v;
  return *v != '\0';
}

static bool parse_flag(const char *v, void *field) {
  (void)v;
  *(bool *)field = true;
  return true;
}

static bool parse_size(const char *v, void *field) {
  struct player_size *s = field;
  char tail;
  return sscanf(v, "%dx%d%c", &s->w, &s->h, &tail) == 2 && s->w > 0 && s->h > 0 &&
         s->w <= VT_LIMIT_CANVAS_PX && s->h <= VT_LIMIT_CANVAS_PX;
}

static bool parse_time(const char *v, void *field) {
  struct player_at *at = field;
  return (at->set = vt_time_parse(v, &at->ms));
}

#define OPT(name, arg, parse, field, help)                                                         \
  { name, arg, parse, offsetof(struct player_options, field), help }
static const struct option_def options[] = {
    OPT("manager", "URL", parse_string, manager_url, "manager base URL, e.g. http://10.0.0.2:8080"),
    OPT("data", "DIR", parse_string, data_dir, "cache directory (manifest, media)"),
    OPT("token", "T", parse_string, token, "this display's token"),
    OPT("windowed", "WxH", parse_size, windowed,
        "a window of W x H instead of full screen (headless: output size)"),
    OPT("headless", NULL, parse_flag, headless, "no window and no video driver: render in memory"),
    OPT("snapshot", "OUT.png", parse_string, snapshot_path,
        "write each presented frame (or the --at frame) to OUT.png"),
    OPT("at", "RFC3339", parse_time, at, "with --snapshot: render that instant once and exit"),
    OPT("clock", "RFC3339", parse_time, clock,
        "rehearse a schedule: play from that instant on, at normal speed"),
    OPT("manifest", "FILE", parse_string, manifest_path,
        "play FILE with no manager; media from dirname(FILE)/media/"),
    OPT("events", NULL, parse_flag, events,
        "print JSON events (started, offline_start, presented) on stdout"),
    OPT("assets", "DIR", parse_string, assets_dir,
        "assets directory (fonts/); default $VITRINE_ASSETS or the build's"),
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static void print_help(FILE *f) {
  fprintf(
      f,
      "usage: vitrine-player --manager URL --data DIR --token T [options]\n"
      "       vitrine-player --manifest FILE [options]\n"
      "       vitrine-player (--data DIR | --manifest FILE) --snapshot OUT.png --at RFC3339\n\n");
  for (size_t i = 0; i < N_OPTIONS; i++) {
    char lhs[40];
    snprintf(lhs, sizeof lhs, "--%s%s%s", options[i].name, options[i].arg ? " " : "",
             options[i].arg ? options[i].arg : "");
    fprintf(f, "  %-22s %s\n", lhs, options[i].help);
  }
  fprintf(f, "  %-22s %s\n", "--help", "this text");
}

static const struct option_def *find_option(const char *name, size_t len) {
  for (size_t i = 0; i < N_OPTIONS; i++)
    if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
      return &options[i];
  return NULL;
}

/* Fill o from argv ("--name value" or "--name=value"). On error, *why says what is wrong. */
static bool parse_args(int argc, char **argv, struct player_options *o, char *why,
                       size_t why_size) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0) {
      snprintf(why, why_size, "unexpected argument '%s'", a);
      return false;
    }
    const char *eq = strchr(a + 2, '=');
    const struct option_def *d = find_option(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
    if (!d) {
      snprintf(why, why_size, "unknown option '%s'", a);
      return false;
    }
    const char *value = eq ? eq + 1 : NULL;
    if (d->arg && !value) {
      if (i + 1 >= argc) {
        snprintf(why, why_size, "--%s needs a value (%s)", d->name, d->arg);
        return false;
      }
      value = argv[++i];
    } else if (!d->arg && value) {
      snprintf(why, why_size, "--%s takes no value", d->name);
      return false;
    }
    if (!d->parse(value ? value : "", (char *)o + d->offset)) {
      snprintf(why, why_size, "bad value for --%s: '%s' (want %s)", d->name, value, d->arg);
      return false;
    }
  }
  return true;
}

/* Which combinations make sense: NULL, or what is missing. */
static const char *check_args(struct player_options *o) {
  if (o->at.set) {
    if (o->clock.set) return "--at renders one instant; --clock is for a running player";
    if (!o->snapshot_path) return "--at needs --snapshot OUT.png";
    if (!o->manifest_path && !o->data_dir) return "--at needs --data DIR or --manifest FILE";
    o->headless = true; /* one frame to a file: no window needed */
    return NULL;
  }
  if (o->manifest_path || (o->manager_url && o->data_dir && o->token)) return NULL;
  return "--manager, --data and --token are required (or --manifest FILE)";
}

/* ---- The player context ---- */

/* Runs on whichever thread pushed the event (the sync thread for wake_event): only posts. */
static int post_wake(void *user, SDL_Event *ev) {
  struct player *p = user;
  if (ev->type == p->wake_event) SDL_SemPost(p->wake);
  return 1;
}

/* Called on the sync thread (a manifest activated, or a source snapshot arrived): signal the
 * render thread, nothing else. */
static void on_activated(void *user) {
  struct player *p = user;
  SDL_Event ev = {.type = p->wake_event};
  SDL_PushEvent(&ev);
}

static const char *assets_dir(const struct player_options *o) {
  if (o->assets_dir) return o->assets_dir;
  const char *env = getenv("VITRINE_ASSETS");
  return env && *env ? env : VITRINE_ASSETS_DIR;
}

/* dir/name as a new string; NULL when out of memory. */
static char *path_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *out = malloc(n);
  if (out) snprintf(out, n, "%s/%s", dir, name);
  return out;
}

/* The manifest file's media and snapshots sit beside it, as in the cache:
 * dirname(FILE)/media and dirname(FILE)/sources. */
static enum vt_err load_manifest_file(struct player *p, const char *path, struct vt_error *err) {
  char *json = NULL, *copy = strdup(path);
  size_t len;
  enum vt_err rc = copy ? vt_read_file(path, VT_LIMIT_MANIFEST_BYTES, &json, &len, err)
                        : vt_error_no_memory(err);
  if (!rc) rc = vt_manifest_parse(json, len, &p->manifest, err);
  if (!rc) {
    const char *dir = dirname(copy);
    p->media_dir = path_in(dir, "media");
    p->sources_dir = path_in(dir, SOURCES_DIR_NAME);
    if (!p->media_dir || !p->sources_dir) rc = vt_error_no_memory(err);
  }
  if (rc) { /* name the file; the field path stays in err->field */
    char msg[VT_ERROR_MESSAGE_MAX], field[VT_ERROR_FIELD_MAX];
    snprintf(msg, sizeof msg, "%s", err->message);
    snprintf(field, sizeof field, "%s", err->field);
    vt_error_set(err, rc, field, "%s: %s%s%s", path, field, field[0] ? ": " : "", msg);
  }
  free(json);
  free(copy);
  return rc;
}

/* The cache's active manifest, if any: the display plays it at once, offline or not. A
 * one-shot snapshot (--at) only reads, so it can run beside a live player on the same dir. */
static enum vt_err open_cache(struct player *p, const char *data_dir, bool reader,
                              struct vt_error *err) {
  enum vt_err rc = reader ? cache_open_reader(data_dir, &p->cache, err)
                          : cache_open(data_dir, NULL, &p->cache, err);
  if (rc) return rc;
  p->media_dir = strdup(cache_media_dir(p->cache));
  p->sources_dir = strdup(cache_sources_dir(p->cache));
  if (!p->media_dir || !p->sources_dir) return vt_error_no_memory(err);
  struct vt_error load_err = {0};
  rc = cache_load_active(p->cache, &p->manifest, NULL, &load_err);
  if (rc == VT_OK)
    p->from_cache = true;
  else if (rc != VT_ERR_NOT_FOUND) /* a damaged cache must not stop the display: sync refills it */
    vt_warn("player", "cached manifest not usable: %s", load_err.message);
  return VT_OK;
}

static enum vt_err init_sdl(struct player *p, struct vt_error *err) {
  Uint32 subsystems = p->opt->headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO | SDL_INIT_EVENTS;
  if (SDL_Init(subsystems) != 0)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "SDL: %s", SDL_GetError());
  if (TTF_Init() != 0) return vt_error_set(err, VT_ERR_INTERNAL, "", "SDL_ttf: %s", TTF_GetError());
  IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG | IMG_INIT_WEBP); /* what is missing fails per image */
  p->wake_event = SDL_RegisterEvents(1);
  p->wake = SDL_CreateSemaphore(0);
  if (p->wake_event == (Uint32)-1 || !p->wake)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "SDL events: %s", SDL_GetError());
  SDL_AddEventWatch(post_wake, p);
  return VT_OK;
}

/* A display without its fonts still shows images; say so once, loudly, at start. */
static void check_fonts(struct fonts *fonts, const char *dir) {
  TTF_Font *f;
  struct vt_error err = {0};
  if (fonts_get(fonts, FONTS_SANS, VT_WEIGHT_REGULAR, 16, &f, &err) != VT_OK)
    vt_error("player", "text will not show: %s (set --assets or VITRINE_ASSETS; assets: %s)",
             err.message, dir);
}

static enum vt_err player_open(struct player *p, const struct player_options *o,
                               struct vt_error *err) {
  memset(p, 0, sizeof *p);
  p->opt = o;
  if (o->clock.set) player_clock_start_at(&p->clock, o->clock.ms); /* before the slow parts */
  enum vt_err rc;
  if ((rc = init_sdl(p, err)) || (rc = fonts_new(assets_dir(o), &p->fonts, err))) return rc;
  check_fonts(p->fonts, assets_dir(o));
  struct render_config rcfg = {o->headless, o->windowed.w, o->windowed.h};
  if ((rc = render_new(&rcfg, p->fonts, &p->render, err))) return rc;
  if (!(p->scene = scene_new())) return vt_error_no_memory(err);
  rc = o->manifest_path ? load_manifest_file(p, o->manifest_path, err)
                        : open_cache(p, o->data_dir, o->at.set, err);
  if (rc || o->manifest_path || o->at.set) return rc;
  struct sync_config sc = {.manager_url = o->manager_url,
                           .token = o->token,
                           .cache = p->cache,
                           .on_activated = on_activated,
                           .on_source = on_activated, /* the same wake-up */
                           .user = p};
  return sync_start(&sc, &p->sync, err);
}

/* Tear down in reverse: the sync first (it pushes events and borrows the cache), widgets
 * before the renderer that owns their textures, fonts before TTF_Quit. */
static void player_close(struct player *p) {
  sync_stop(p->sync);
  scene_free(p->scene);
  render_free(p->render);
  fonts_free(p->fonts);
  vt_manifest_free(p->manifest);
  cache_free(p->cache);
  free(p->media_dir);
  free(p->sources_dir);
  if (p->wake) {
    SDL_DelEventWatch(post_wake, p);
    SDL_DestroySemaphore(p->wake);
  }
  IMG_Quit();
  TTF_Quit();
  SDL_Quit();
}

int main(int argc, char **argv) {
  struct player_options o = {0};
  char why[256];
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      print_help(stdout);
      return 0;
    }
  const char *bad = parse_args(argc, argv, &o, why, sizeof why) ? check_args(&o) : why;
  if (bad) {
    fprintf(stderr, "vitrine-player: %s\n(try --help)\n", bad);
    return EXIT_USAGE;
  }
  if (o.manifest_path && o.manager_url)
    vt_warn("player", "--manifest given: not connecting to %s", o.manager_url);
  signal(SIGPIPE, SIG_IGN); /* a dropped connection is an error code, not a reason to die */
  if (!vt_crypto_init()) {
    vt_error("player", "libsodium cannot initialise");
    return 1;
  }
  struct player p;
  struct vt_error err = {0};
  enum vt_err rc = player_open(&p, &o, &err);
  if (!rc && o.at.set)
    rc = loop_snapshot_at(&p, o.at.ms, &err);
  else if (!rc)
    loop_run(&p);
  if (rc) vt_error("player", "%s", err.message[0] ? err.message : vt_err_message(rc));
  player_close(&p);
  return rc ? 1 : 0;
}
