/* "type": "ticker": items on one line, scrolling sideways without end.
 *
 * prepare lays the items out ONCE (text_layout_line_surface: bidi, shaping, font fallback)
 * into a strip "item1 • item2 • ... itemN • ", which repeats seamlessly, and cuts it into
 * textures no wider than TICKER_TILE_MAX (and the renderer's limit): draw only copies them.
 *
 * Position comes from the wall clock, not from when the widget appeared:
 *   offset(t) = (t_ms * speed_px_s * scale / 1000) mod strip_width
 * so frames at t and t + 1 s differ by exactly speed x 1 s (mod the strip), and every
 * player showing the same ticker (a restarted one too) is in step. Latin text moves
 * right to left; a strip whose first strong character is right-to-left moves left to right.
 *
 * With a `source`, the strip is the news snapshot's titles (at most max_items, joined by the
 * separator); until there is one (a first start offline), the static text, if any.
 *
 * New items (set_source, then prepare): prepare builds the new strip beside the old one
 * (struct strip is self-contained for that reason) and computes the instant T at which the
 * next seam of the old strip (where one copy ends and the next begins) reaches the edge the
 * text enters from (right for Latin, left for RTL). Until T only the old strip is drawn, as
 * before. From T on, the seam moves on at the same speed: old copies are drawn on the side
 * it has passed over until they leave the region, new copies on the side it comes from, so
 * no letter on screen ever jumps. The new strip keeps that phase, anchored at T, from then
 * on. A snapshot that arrives while old copies are still leaving drops them (a jump of the
 * text that is leaving; two news updates within one screen's scroll are rare). */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "text_layout.h"
#include "timeutil.h"
#include "widget.h"

/* Widest texture made: below every GPU's limit (8192 on old GLES 2 parts); the strip is
 * cut into as many as it needs. */
#define TICKER_TILE_MAX 4096

struct tile {
  SDL_Texture *tex;
  int x, w; /* where in the strip */
};

struct strip {
  struct tile *tiles;
  size_t n;
  int width, height;
  bool rtl;
};

struct w_ticker {
  const struct vt_item *item;
  const struct vt_snapshot *snap; /* news, borrowed until the next set_source; NULL: none */
  char *text;       /* the text of strip (or of next, once prepared) */
  struct strip strip; /* the strip on screen */
  struct strip next;  /* prepared from a new snapshot, shown from swap_ms */
  struct strip old;   /* the strip before the swap, while its copies leave the region */
  bool anchored;       /* strip's phase counts from anchor_ms, not from the epoch */
  long double anchor_ms; /* when strip's first copy started at the entering edge */
  bool pending;        /* next (perhaps empty: no items any more) goes on at swap_ms */
  long double swap_ms; /* when the old strip's seam reaches the entering edge (fractional ms) */
  double scale;     /* output pixels per canvas pixel */
  SDL_Rect inner;
};

static void strip_free(struct strip *s) {
  for (size_t i = 0; i < s->n; i++) SDL_DestroyTexture(s->tiles[i].tex);
  free(s->tiles);
  memset(s, 0, sizeof *s);
}

/* src's lines (at most max_items), each followed by the separator. */
static char *strip_text(const struct vt_item *it, const char *src) {
  const char *sep = it->ticker.separator ? it->ticker.separator : VT_TICKER_SEPARATOR_DEFAULT;
  size_t cap = strlen(src) + (size_t)it->ticker.max_items * strlen(sep) + 1;
  char *out = malloc(cap), *o = out;
  if (!out) return NULL;
  int n = 0;
  for (const char *s = src; *s && n < it->ticker.max_items;) {
    size_t len = strcspn(s, "\n");
    size_t lead = strspn(s, " \t\r");
    if (len > lead) { /* skip empty lines */
      memcpy(o, s, len);
      o += len;
      memcpy(o, sep, strlen(sep));
      o += strlen(sep);
      n++;
    }
    s += len;
    if (*s == '\n') s++;
  }
  *o = '\0';
  /* The layout drops trailing spaces at a line's end; the strip repeats, so the space after
   * its last separator must stay: make it no-break (U+00A0, two bytes for one). */
  size_t n_sp = 0;
  while (o - n_sp > out && o[-(ptrdiff_t)n_sp - 1] == ' ') n_sp++;
  char *fixed = realloc(out, (size_t)(o - out) + n_sp + 1);
  if (!fixed) {
    free(out);
    return NULL;
  }
  o = fixed + strlen(fixed) - n_sp;
  for (size_t i = 0; i < n_sp; i++, o += 2) memcpy(o, "\xc2\xa0", 2);
  *o = '\0';
  return fixed;
}

static enum vt_err strip_build(struct strip *st, const struct widget_ctx *ctx, const char *text,
                               const struct vt_text_style *style, int size_px,
                               struct vt_error *err) {
  SDL_Surface *surf = NULL;
  enum vt_err rc = text_layout_line_surface(ctx->fonts, text, style, size_px, &surf, &st->rtl, err);
  if (rc || !surf) return rc;
  SDL_RendererInfo info;
  int tile_max = TICKER_TILE_MAX;
  if (SDL_GetRendererInfo(ctx->renderer, &info) == 0 && info.max_texture_width > 0 &&
      info.max_texture_width < tile_max)
    tile_max = info.max_texture_width;
  st->width = surf->w;
  st->height = surf->h;
  size_t n = (size_t)((surf->w + tile_max - 1) / tile_max);
  st->tiles = calloc(n, sizeof *st->tiles);
  if (!st->tiles) rc = vt_error_no_memory(err);
  for (size_t i = 0; !rc && i < n; i++) {
    struct tile *t = &st->tiles[i];
    t->x = (int)i * tile_max;
    t->w = surf->w - t->x < tile_max ? surf->w - t->x : tile_max;
    SDL_Surface *part = SDL_CreateRGBSurfaceWithFormat(0, t->w, surf->h, 32, surf->format->format);
    SDL_Rect from = {t->x, 0, t->w, surf->h};
    if (part) {
      SDL_SetSurfaceBlendMode(surf, SDL_BLENDMODE_NONE); /* copy the pixels, alpha included */
      SDL_BlitSurface(surf, &from, part, NULL);
      t->tex = SDL_CreateTextureFromSurface(ctx->renderer, part);
      SDL_FreeSurface(part);
    }
    if (!t->tex) {
      rc = vt_error_set(err, VT_ERR_INTERNAL, "", "ticker texture: %s", SDL_GetError());
      break;
    }
    SDL_SetTextureBlendMode(t->tex, SDL_BLENDMODE_BLEND);
    st->n++;
  }
  SDL_FreeSurface(surf);
  if (rc) strip_free(st);
  return rc;
}

/* The snapshot's titles, one a line (a title's own line breaks become spaces), or the
 * static text when there is no news snapshot. NULL when out of memory. */
static char *source_text(const struct w_ticker *w) {
  const struct vt_item *it = w->item;
  if (!w->snap) return strip_text(it, it->text ? it->text : "");
  const struct vt_news *news = &w->snap->u.news;
  size_t len = 1;
  for (size_t i = 0; i < news->n_items; i++) len += strlen(news->items[i].title) + 1;
  char *lines = malloc(len), *o = lines;
  if (!lines) return NULL;
  for (size_t i = 0; i < news->n_items; i++) {
    for (const char *t = news->items[i].title; *t; t++) *o++ = (*t == '\n' || *t == '\r') ? ' ' : *t;
    *o++ = '\n';
  }
  *o = '\0';
  char *text = strip_text(it, lines);
  free(lines);
  return text;
}

static enum vt_err ticker_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_ticker *w = priv;
  (void)err;
  w->item = item;
  return VT_OK;
}

static void ticker_set_source(void *priv, const struct vt_snapshot *snap) {
  struct w_ticker *w = priv;
  w->snap = snap && snap->kind == VT_SOURCE_NEWS ? snap : NULL; /* another kind: none */
}

/* Canvas pixels per ms times the output scale: output pixels per ms. */
static long double px_per_ms(const struct w_ticker *w) {
  return w->item->ticker.speed_px_s * (long double)w->scale / 1000.0L;
}

/* Where the strip starts at now_ms, relative to the box's left edge, in [-width, 0). Long
 * double keeps sub-pixel precision for wall-clock milliseconds times px/ms. Anchored (after
 * a swap), the phase counts from anchor_ms, when a copy started at the entering edge. */
static int strip_x(const struct w_ticker *w, int64_t now_ms) {
  long double travelled = ((long double)now_ms - (w->anchored ? w->anchor_ms : 0)) * px_per_ms(w);
  if (w->anchored && !w->strip.rtl) travelled -= w->inner.w; /* copy 0 started at the right edge */
  long double off = fmodl(travelled, (long double)w->strip.width);
  if (off < 0) off += w->strip.width;
  int o = (int)floorl(off);
  /* Latin: the text moves left, so the start moves left. RTL: it moves right. */
  return w->strip.rtl ? o - w->strip.width : -o;
}

/* The next instant after now_ms at which a seam of the strip on screen reaches the edge the
 * text enters from: the right edge for Latin, the left for RTL (box coordinates). */
static long double next_seam_ms(const struct w_ticker *w, int64_t now_ms) {
  int x = strip_x(w, now_ms), width = w->strip.width;
  long double v = px_per_ms(w);
  if (v <= 0) return (long double)now_ms;
  if (w->strip.rtl) return (long double)now_ms + (long double)(0 - x) / v; /* x <= 0, moving right */
  int k = (w->inner.w - x + width - 1) / width; /* first copy start at or right of the edge */
  return (long double)now_ms + (long double)(x + k * width - w->inner.w) / v;
}

/* The seam's position at now_ms once the swap began (box coordinates, may be outside). */
static int seam_x(const struct w_ticker *w, int64_t now_ms) {
  long double moved = ((long double)now_ms - w->anchor_ms) * px_per_ms(w);
  return (int)floorl(w->strip.rtl ? moved : (long double)w->inner.w - moved);
}

/* Start the swap to next at swap_ms: next goes on screen, anchored there. */
static void swap_begin(struct w_ticker *w) {
  strip_free(&w->old);
  w->old = w->strip;
  w->strip = w->next;
  memset(&w->next, 0, sizeof w->next);
  w->anchored = true;
  w->anchor_ms = w->swap_ms;
  w->pending = false;
}

static enum vt_err ticker_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_ticker *w = priv;
  const struct vt_text_style *st = &w->item->style;
  int size = widget_text_box(ctx, st, &w->inner);
  w->scale = ctx->scale;
  char *text = source_text(w);
  if (!text) return vt_error_no_memory(err);
  if (w->text && strcmp(text, w->text) == 0) { /* same titles: nothing moves */
    free(text);
    return VT_OK;
  }
  free(w->text);
  w->text = text;
  strip_free(&w->old); /* still leaving after an earlier swap: dropped (see the top) */
  strip_free(&w->next);
  w->pending = false;
  if (!w->strip.n) { /* nothing on screen yet: show it at once, in the common phase */
    w->anchored = false;
    return text[0] ? strip_build(&w->strip, ctx, text, st, size, err) : VT_OK;
  }
  enum vt_err rc = VT_OK;
  if (text[0]) rc = strip_build(&w->next, ctx, text, st, size, err);
  if (!rc && w->next.n && w->next.rtl != w->strip.rtl) { /* the direction changed: at once */
    strip_free(&w->strip);
    w->strip = w->next;
    memset(&w->next, 0, sizeof w->next);
    w->anchored = false;
    return VT_OK;
  }
  if (!rc) {
    w->swap_ms = next_seam_ms(w, ctx->now_ms);
    w->pending = true;
    if (!w->next.n) w->next.rtl = w->strip.rtl; /* no items any more: the old ones run out */
  }
  return rc;
}

static void copy_strip(SDL_Renderer *r, const struct strip *st, int x, int y, const SDL_Rect *box) {
  for (size_t i = 0; i < st->n; i++) {
    const struct tile *t = &st->tiles[i];
    if (x + t->x + t->w <= box->x || x + t->x >= box->x + box->w) continue; /* off screen */
    SDL_Rect dst = {x + t->x, y, t->w, st->height};
    SDL_RenderCopy(r, t->tex, NULL, &dst);
  }
}

static int strip_y(const struct w_ticker *w, const struct strip *st, const SDL_Rect *box) {
  if (st->height < box->h && w->item->style.valign == VT_VALIGN_MIDDLE)
    return box->y + (box->h - st->height) / 2;
  if (st->height < box->h && w->item->style.valign == VT_VALIGN_BOTTOM)
    return box->y + box->h - st->height;
  return box->y;
}

/* During a swap: the old copies on the side the seam has passed, while any is in the box;
 * false once none is (the old strip can go). */
static bool draw_leaving(const struct w_ticker *w, SDL_Renderer *r, const SDL_Rect *box, int seam) {
  const struct strip *o = &w->old;
  bool any = false;
  int y = strip_y(w, o, box);
  if (o->rtl) { /* moving right: old copies right of the seam */
    for (int x = seam; x < box->w && o->width > 0; x += o->width, any = true)
      copy_strip(r, o, box->x + x, y, box);
  } else { /* moving left: old copies left of the seam */
    for (int x = seam - o->width; x + o->width > 0 && o->width > 0; x -= o->width, any = true)
      copy_strip(r, o, box->x + x, y, box);
  }
  return any;
}

static void ticker_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_ticker *w = priv;
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  if (w->pending && (long double)ctx->now_ms >= w->swap_ms) swap_begin(w);
  SDL_Rect box = {ctx->rect.x + w->inner.x, ctx->rect.y + w->inner.y, w->inner.w, w->inner.h};
  SDL_Rect clip, old;
  bool had = SDL_RenderIsClipEnabled(ctx->renderer);
  SDL_RenderGetClipRect(ctx->renderer, &old);
  SDL_IntersectRect(&box, &ctx->rect, &clip);
  SDL_RenderSetClipRect(ctx->renderer, &clip);
  int seam = 0;
  bool leaving = false;
  if (w->old.n) {
    seam = seam_x(w, ctx->now_ms);
    leaving = draw_leaving(w, ctx->renderer, &box, seam);
    if (!leaving) strip_free(&w->old);
  }
  if (w->strip.n) {
    int y = strip_y(w, &w->strip, &box), width = w->strip.width;
    int x0 = strip_x(w, ctx->now_ms);
    for (int x = box.x + x0; x < box.x + box.w; x += width) {
      /* While old copies leave, new ones only on the side the seam comes from. */
      if (leaving && (w->strip.rtl ? x - box.x >= seam : x - box.x < seam)) continue;
      copy_strip(ctx->renderer, &w->strip, x, y, &box);
    }
  }
  SDL_RenderSetClipRect(ctx->renderer, had ? &old : NULL);
}

static int64_t ticker_next_change(void *priv, int64_t now_ms) {
  const struct w_ticker *w = priv;
  return w->strip.n || w->old.n ? now_ms : VT_TIME_MAX; /* moving: every frame */
}

static void ticker_destroy(void *priv) {
  struct w_ticker *w = priv;
  strip_free(&w->strip);
  strip_free(&w->next);
  strip_free(&w->old);
  free(w->text);
}

const struct vt_widget_ops w_ticker = {
    .type = "ticker",
    .priv_size = sizeof(struct w_ticker),
    .create = ticker_create,
    .prepare = ticker_prepare,
    .draw = ticker_draw,
    .next_change_ms = ticker_next_change,
    .set_source = ticker_set_source,
    .destroy = ticker_destroy,
};
