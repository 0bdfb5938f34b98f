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
 * New items (a news snapshot, once sources are fetched): the update builds a second strip
 * beside the first (struct strip is self-contained for that reason) and keeps drawing the
 * old one until its seam, the point where the strip repeats, reaches the leading edge of the
 * region; from there the new strip is drawn starting at the seam, with its own phase
 * anchored at that instant, so no text jumps. Only set_source and the swap are to add. */
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
  char *text; /* the strip's text */
  struct strip strip;
  double scale;     /* output pixels per canvas pixel */
  SDL_Rect inner;
};

static void strip_free(struct strip *s) {
  for (size_t i = 0; i < s->n; i++) SDL_DestroyTexture(s->tiles[i].tex);
  free(s->tiles);
  memset(s, 0, sizeof *s);
}

/* The static text's lines (at most max_items), each followed by the separator. */
static char *strip_text(const struct vt_item *it) {
  const char *sep = it->ticker.separator ? it->ticker.separator : VT_TICKER_SEPARATOR_DEFAULT;
  const char *src = it->text ? it->text : "";
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

static enum vt_err ticker_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_ticker *w = priv;
  w->item = item;
  /* A source's snapshot is not fetched yet (a later round): until it is, the static text
   * shows, or nothing. */
  w->text = strip_text(item);
  return w->text ? VT_OK : vt_error_no_memory(err);
}

static enum vt_err ticker_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_ticker *w = priv;
  const struct vt_text_style *st = &w->item->style;
  int pad = (int)lround(st->padding_px * ctx->scale);
  int size = (int)lround(st->size_px * ctx->scale);
  w->inner = (SDL_Rect){pad, pad, ctx->rect.w - 2 * pad, ctx->rect.h - 2 * pad};
  w->scale = ctx->scale;
  if (!w->text[0]) return VT_OK;
  return strip_build(&w->strip, ctx, w->text, st, size > 0 ? size : 1, err);
}

/* Where the strip starts at now_ms, relative to the box's left edge, in [-width, 0). Long
 * double keeps sub-pixel precision for wall-clock milliseconds times px/ms. */
static int strip_x(const struct w_ticker *w, int64_t now_ms) {
  long double travelled =
      (long double)now_ms * w->item->ticker.speed_px_s * (long double)w->scale / 1000.0L;
  long double off = fmodl(travelled, (long double)w->strip.width);
  if (off < 0) off += w->strip.width;
  int o = (int)floorl(off);
  /* Latin: the text moves left, so the start moves left. RTL: it moves right. */
  return w->strip.rtl ? o - w->strip.width : -o;
}

static void ticker_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_ticker *w = priv;
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  if (!w->strip.n) return;
  SDL_Rect box = {ctx->rect.x + w->inner.x, ctx->rect.y + w->inner.y, w->inner.w, w->inner.h};
  int y = box.y;
  if (w->strip.height < box.h && w->item->style.valign == VT_VALIGN_MIDDLE)
    y += (box.h - w->strip.height) / 2;
  else if (w->strip.height < box.h && w->item->style.valign == VT_VALIGN_BOTTOM)
    y += box.h - w->strip.height;
  SDL_Rect clip, old;
  bool had = SDL_RenderIsClipEnabled(ctx->renderer);
  SDL_RenderGetClipRect(ctx->renderer, &old);
  SDL_IntersectRect(&box, &ctx->rect, &clip);
  SDL_RenderSetClipRect(ctx->renderer, &clip);
  for (int x = box.x + strip_x(w, ctx->now_ms); x < box.x + box.w; x += w->strip.width)
    for (size_t i = 0; i < w->strip.n; i++) {
      const struct tile *t = &w->strip.tiles[i];
      if (x + t->x + t->w <= box.x || x + t->x >= box.x + box.w) continue; /* off screen */
      SDL_Rect dst = {x + t->x, y, t->w, w->strip.height};
      SDL_RenderCopy(ctx->renderer, t->tex, NULL, &dst);
    }
  SDL_RenderSetClipRect(ctx->renderer, had ? &old : NULL);
}

static int64_t ticker_next_change(void *priv, int64_t now_ms) {
  const struct w_ticker *w = priv;
  return w->strip.n ? now_ms : VT_TIME_MAX; /* moving: every frame */
}

static void ticker_destroy(void *priv) {
  struct w_ticker *w = priv;
  strip_free(&w->strip);
  free(w->text);
}

const struct vt_widget_ops w_ticker = {
    .type = "ticker",
    .priv_size = sizeof(struct w_ticker),
    .create = ticker_create,
    .prepare = ticker_prepare,
    .draw = ticker_draw,
    .next_change_ms = ticker_next_change,
    .destroy = ticker_destroy,
};
