#include "render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text_layout.h"

/* Headless output before any layout gives it a size: a common 16:9 canvas. */
#define RENDER_DEFAULT_W 1280
#define RENDER_DEFAULT_H 720

/* The waiting screen: a dark blue-grey rather than black, so a person looking at the screen
 * can tell a running player from a dead one; grey text a thirtieth of the height. */
#define WAITING_BACKGROUND 0x14181eff
#define WAITING_TEXT 0x8a94a3ff
#define WAITING_TEXT_DIV 30

struct render {
  struct render_config cfg;
  struct fonts *fonts;  /* borrowed */
  SDL_Window *window;   /* NULL when headless */
  SDL_Surface *surface; /* headless output */
  SDL_Renderer *renderer;
  struct text_layout *waiting; /* the waiting screen's text, for waiting_status at waiting_h */
  char *waiting_status;
  int waiting_w, waiting_h;
};

static void drop_waiting(struct render *r) {
  text_layout_free(r->waiting);
  r->waiting = NULL;
  free(r->waiting_status);
  r->waiting_status = NULL;
}

/* Headless: a software renderer drawing into a w x h surface. */
static enum vt_err open_headless(struct render *r, int w, int h, struct vt_error *err) {
  r->surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!r->surface)
    return vt_error_set(err, VT_ERR_NO_MEMORY, "", "output %dx%d: %s", w, h, SDL_GetError());
  r->renderer = SDL_CreateSoftwareRenderer(r->surface);
  if (!r->renderer)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "software renderer: %s", SDL_GetError());
  return VT_OK;
}

static enum vt_err open_window(struct render *r, struct vt_error *err) {
  bool full = r->cfg.width <= 0 || r->cfg.height <= 0;
  Uint32 flags = full ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
  r->window = SDL_CreateWindow("Vitrine", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                               full ? RENDER_DEFAULT_W : r->cfg.width,
                               full ? RENDER_DEFAULT_H : r->cfg.height, flags);
  if (!r->window) return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "window: %s", SDL_GetError());
  /* GPU when there is one, else SDL's software renderer. Vsync so that an item change is
   * never torn on a big screen; it costs nothing since frames are presented only when
   * something changed. Without any vsync-capable renderer, take one without. */
  r->renderer = SDL_CreateRenderer(r->window, -1, SDL_RENDERER_PRESENTVSYNC);
  if (!r->renderer) r->renderer = SDL_CreateRenderer(r->window, -1, 0);
  if (!r->renderer)
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "renderer: %s", SDL_GetError());
  if (full) SDL_ShowCursor(SDL_DISABLE);
  return VT_OK;
}

enum vt_err render_new(const struct render_config *cfg, struct fonts *fonts, struct render **out,
                       struct vt_error *err) {
  *out = NULL;
  struct render *r = calloc(1, sizeof *r);
  if (!r) return vt_error_no_memory(err);
  r->cfg = *cfg;
  r->fonts = fonts;
  /* Images are scaled once when prepared; linear filtering makes that scale smooth. */
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
  bool sized = cfg->width > 0 && cfg->height > 0;
  enum vt_err rc = cfg->headless ? open_headless(r, sized ? cfg->width : RENDER_DEFAULT_W,
                                                 sized ? cfg->height : RENDER_DEFAULT_H, err)
                                 : open_window(r, err);
  if (rc) {
    render_free(r);
    return rc;
  }
  *out = r;
  return VT_OK;
}

static void close_output(struct render *r) {
  drop_waiting(r);
  if (r->renderer) SDL_DestroyRenderer(r->renderer);
  if (r->surface) SDL_FreeSurface(r->surface);
  if (r->window) SDL_DestroyWindow(r->window);
  r->renderer = NULL;
  r->surface = NULL;
  r->window = NULL;
}

void render_free(struct render *r) {
  if (!r) return;
  close_output(r);
  free(r);
}

SDL_Renderer *render_renderer(const struct render *r) { return r->renderer; }

bool render_needs_resize(const struct render *r, int w, int h) {
  if (!r->cfg.headless || (r->cfg.width > 0 && r->cfg.height > 0)) return false;
  return r->surface->w != w || r->surface->h != h;
}

enum vt_err render_resize(struct render *r, int w, int h, struct vt_error *err) {
  close_output(r);
  return open_headless(r, w, h, err);
}

/* Where the canvas goes on the output: scaled to fit, centred, bars around. */
static SDL_Rect canvas_view(const struct render *r, const struct vt_layout *l, double *scale) {
  int ow, oh;
  SDL_GetRendererOutputSize(r->renderer, &ow, &oh);
  double sx = (double)ow / l->width, sy = (double)oh / l->height;
  double s = sx < sy ? sx : sy;
  int vw = (int)lround(l->width * s), vh = (int)lround(l->height * s);
  *scale = s;
  return (SDL_Rect){(ow - vw) / 2, (oh - vh) / 2, vw, vh};
}

void render_widget_ctx(const struct render *r, const struct vt_layout *l,
                       const struct vt_region *reg, const char *media_dir, int64_t now_ms,
                       struct widget_ctx *out) {
  double s;
  SDL_Rect view = canvas_view(r, l, &s);
  /* Round both edges, not the size, so regions that touch on the canvas touch on screen. */
  int x0 = view.x + (int)lround(reg->x * s), x1 = view.x + (int)lround((reg->x + reg->width) * s);
  int y0 = view.y + (int)lround(reg->y * s), y1 = view.y + (int)lround((reg->y + reg->height) * s);
  *out = (struct widget_ctx){
      .renderer = r->renderer,
      .fonts = r->fonts,
      .media_dir = media_dir,
      .rect = {x0, y0, x1 - x0 > 0 ? x1 - x0 : 1, y1 - y0 > 0 ? y1 - y0 : 1},
      .scale = s,
      .now_ms = now_ms,
  };
}

/* The frame, clipped to damage (NULL: all of it): the layout background, then every region
 * that meets damage, in order, each clipped to itself and damage. */
static void draw_frame(struct render *r, const struct vt_timeline_frame *f, struct scene *s,
                       const char *media_dir, int64_t now_ms, const SDL_Rect *damage) {
  double scale;
  SDL_Rect view = canvas_view(r, f->layout, &scale), clip;
  if (damage && !SDL_IntersectRect(&view, damage, &clip)) return;
  if (damage) {
    SDL_RenderSetClipRect(r->renderer, &clip);
    widget_fill_rect(r->renderer, &clip, f->layout->background);
  } else {
    widget_fill_rect(r->renderer, &view, f->layout->background);
  }
  for (size_t i = 0; i < f->n_regions; i++) {
    const struct vt_region_now *rn = &f->regions[i];
    struct widget_ctx ctx;
    render_widget_ctx(r, f->layout, rn->region, media_dir, now_ms, &ctx);
    SDL_Rect area = ctx.rect;
    if (damage && !SDL_IntersectRect(&ctx.rect, damage, &area)) continue;
    SDL_RenderSetClipRect(r->renderer, &area);
    widget_fill_rect(r->renderer, &area, rn->region->background);
    struct widget *w = rn->item ? scene_find(s, rn->item, ctx.rect.w, ctx.rect.h) : NULL;
    if (w) widget_draw(w, &ctx);
    SDL_RenderSetClipRect(r->renderer, NULL);
  }
}

void render_frame(struct render *r, const struct vt_timeline_frame *f, struct scene *s,
                  const char *media_dir, int64_t now_ms, const SDL_Rect *damage) {
  if (!damage) { /* the black bars too */
    SDL_SetRenderDrawColor(r->renderer, 0, 0, 0, 255);
    SDL_RenderClear(r->renderer);
  }
  draw_frame(r, f, s, media_dir, now_ms, damage);
}

bool render_keeps_frame(const struct render *r) { return r->cfg.headless; }

void render_waiting(struct render *r, const char *status) {
  int ow, oh;
  SDL_GetRendererOutputSize(r->renderer, &ow, &oh);
  SDL_Rect all = {0, 0, ow, oh};
  SDL_SetRenderDrawColor(r->renderer, 0, 0, 0, 255);
  SDL_RenderClear(r->renderer);
  widget_fill_rect(r->renderer, &all, WAITING_BACKGROUND);
  if (!r->waiting || ow != r->waiting_w || oh != r->waiting_h ||
      strcmp(status, r->waiting_status) != 0) {
    drop_waiting(r);
    struct vt_text_style st;
    vt_text_style_default(&st);
    st.color = WAITING_TEXT;
    st.align = VT_ALIGN_CENTER;
    st.valign = VT_VALIGN_MIDDLE;
    struct vt_error err = {0};
    int px = oh / WAITING_TEXT_DIV > 8 ? oh / WAITING_TEXT_DIV : 8;
    r->waiting_status = strdup(status);
    if (r->waiting_status &&
        text_layout_new(r->renderer, r->fonts, status, &st, px, ow, oh, &r->waiting, &err) != VT_OK)
      vt_warn("render", "waiting screen text: %s", err.message); /* the dark screen still shows */
    r->waiting_w = ow;
    r->waiting_h = oh;
  }
  if (r->waiting) text_layout_draw(r->waiting, r->renderer, &all);
}

void render_present(struct render *r) { SDL_RenderPresent(r->renderer); }
