/* "type": "currency": exchange rates from a currency snapshot (docs/live-content.md) as a
 * board, one row per code of the item's `symbols`: "USD → EUR 0.9249", the price of one
 * `base` in that currency, with `decimals` decimals in the locale's digits and separators;
 * the snapshot's date in small text under the rows.
 *
 * Cross rates: the snapshot holds units of each currency per one of its own base (ECB: EUR),
 * so rate(A -> B) = rates[B] / rates[A] with rates[snapshot base] = 1. A code the snapshot
 * does not list shows "–"; so does every row while there is no snapshot yet.
 *
 * The shipped fonts (Noto Sans, Noto Sans Arabic) have no arrow glyph, so the arrow is drawn
 * once into a texture in prepare. For a right-to-left locale (fa, ar) the row is mirrored:
 * base code on the right, the arrow pointing left, the rate on the left.
 * Everything is built in prepare; draw copies textures. The board changes only with a new
 * snapshot (set_source, then prepare again), so it has no next_change_ms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locale_fmt.h"
#include "panel.h"
#include "text_layout.h"
#include "widget.h"

#define DASH "\xe2\x80\x93" /* U+2013: no rate */

struct w_currency {
  const struct vt_item *item;
  const struct vt_snapshot *snap; /* borrowed; NULL: none yet */
  struct panel panel;
  SDL_Texture *arrow; /* pointing right */
};

static void pieces_clear(struct w_currency *w) {
  panel_clear(&w->panel);
  if (w->arrow) SDL_DestroyTexture(w->arrow);
  w->arrow = NULL;
}

static enum vt_err add_text(struct w_currency *w, const struct widget_ctx *ctx, const char *text,
                            SDL_Rect box, int px, enum vt_align align, struct vt_error *err) {
  return panel_add_text(&w->panel, ctx, &w->item->style, text, box, px, align, VT_VALIGN_MIDDLE,
                        err);
}

/* A right-pointing arrow, w x h pixels, in the item's text colour: a shaft of a sixth of the
 * height and a head of the full height, with coverage-based edges on the head. */
static SDL_Texture *arrow_texture(SDL_Renderer *r, int w, int h, uint32_t rgba) {
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGBA32);
  if (!s) return NULL;
  int head = h * 3 / 5 < w / 2 ? h * 3 / 5 : w / 2;
  double shaft = h / 6.0 < 1 ? 1 : h / 6.0;
  Uint8 cr = (Uint8)(rgba >> 24), cg = (Uint8)(rgba >> 16), cb = (Uint8)(rgba >> 8), ca = (Uint8)rgba;
  for (int y = 0; y < h; y++) {
    Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
    double dy = fabs(y + 0.5 - h / 2.0); /* from the axis */
    for (int x = 0; x < w; x++) {
      double cov;
      if (x < w - head) {
        cov = shaft / 2 - dy + 0.5; /* the shaft's half width, antialiased */
      } else {
        double half = (w - (x + 0.5)) * (h / 2.0) / head; /* the head narrows to its tip */
        cov = half - dy + 0.5;
      }
      cov = cov < 0 ? 0 : cov > 1 ? 1 : cov;
      row[x] = SDL_MapRGBA(s->format, cr, cg, cb, (Uint8)lround(ca * cov));
    }
  }
  SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
  SDL_FreeSurface(s);
  if (t) SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
  return t;
}

/* Units of code per one of the snapshot's base; NAN when the snapshot does not list it. */
static double rate_of(const struct vt_currency *c, const char *code) {
  if (strcmp(code, c->base) == 0) return 1.0;
  size_t lo = 0, hi = c->n_rates; /* rates are sorted by code */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int cmp = strcmp(c->rates[mid].code, code);
    if (cmp == 0) return c->rates[mid].rate;
    if (cmp < 0) lo = mid + 1;
    else hi = mid;
  }
  return NAN;
}

/* One base in units of sym, as text in the item's locale: "0.9249", "۰٫۹۲۴۹"; "–" unknown. */
static void rate_text(const struct w_currency *w, const char *sym, char *out, size_t cap) {
  const struct vt_item *it = w->item;
  double r = NAN;
  if (w->snap && w->snap->kind == VT_SOURCE_CURRENCY) {
    const struct vt_currency *c = &w->snap->u.currency;
    r = rate_of(c, sym) / rate_of(c, it->currency.base);
  }
  if (!isfinite(r)) {
    snprintf(out, cap, DASH);
    return;
  }
  char num[64];
  snprintf(num, sizeof num, "%.*f", it->currency.decimals, r);
  if (!locale_format_number(locale_get(it->locale), it->digits, num, out, cap))
    snprintf(out, cap, "%s", num);
}

static enum vt_err currency_layout(struct w_currency *w, const struct widget_ctx *ctx,
                                   struct vt_error *err) {
  pieces_clear(w);
  const struct vt_item *it = w->item;
  SDL_Rect inner;
  int px = widget_text_box(ctx, &it->style, &inner);
  if (inner.w < 4 || inner.h < 4) return VT_OK;
  bool have = w->snap && w->snap->kind == VT_SOURCE_CURRENCY;
  bool rtl = locale_is_rtl(locale_get(it->locale));
  int small = px * 2 / 3 > 0 ? px * 2 / 3 : 1;
  int date_h = have ? small * 2 : 0;
  int n = (int)it->currency.n_symbols;
  /* Rows of 2 em (Arabic-script fonts need about 1.9 em per line), squeezed (text shrinks
   * with them) when the region is too low. */
  int row_h = px * 2;
  if (row_h * n > inner.h - date_h) row_h = (inner.h - date_h) / (n ? n : 1);
  if (row_h < 2) return VT_OK;
  int fpx = px < row_h / 2 ? px : row_h / 2;
  /* Columns: code, arrow, code, then the rate to the end of the row. */
  int code_w = fpx * 3, arrow_w = fpx * 3 / 2, gap = fpx / 3;
  if (2 * code_w + arrow_w + 3 * gap > inner.w / 2) { /* narrow: the rate keeps half */
    int unit = (inner.w / 2) / 9;
    code_w = unit * 3, arrow_w = unit * 2, gap = unit / 3;
  }
  enum vt_err rc = VT_OK;
  int arrow_h = fpx / 2 > 1 ? fpx / 2 : 2;
  if (arrow_w > 0 && !(w->arrow = arrow_texture(ctx->renderer, arrow_w, arrow_h, it->style.color)))
    return vt_error_set(err, VT_ERR_INTERNAL, "", "arrow texture: %s", SDL_GetError());
  for (int i = 0; !rc && i < n; i++) {
    const char *sym = it->currency.symbols[i];
    int y = inner.y + i * row_h;
    int x = inner.x;
    SDL_Rect base_box = {x, y, code_w, row_h};
    x += code_w + gap;
    SDL_Rect arrow_box = {x, y + (row_h - arrow_h) / 2, arrow_w, arrow_h};
    x += arrow_w + gap;
    SDL_Rect sym_box = {x, y, code_w, row_h};
    x += code_w + gap;
    SDL_Rect rate_box = {x, y, inner.x + inner.w - x, row_h};
    char rate[96];
    rate_text(w, sym, rate, sizeof rate);
    if ((rc = add_text(w, ctx, it->currency.base, base_box, fpx, VT_ALIGN_LEFT, err)) ||
        (rc = add_text(w, ctx, sym, sym_box, fpx, VT_ALIGN_LEFT, err)) ||
        /* the row's far end: right, or left once mirrored */
        (rc = add_text(w, ctx, rate, rate_box, fpx, rtl ? VT_ALIGN_LEFT : VT_ALIGN_RIGHT, err)))
      break;
    rc = panel_add_texture(&w->panel, w->arrow, arrow_box, rtl, err);
  }
  if (!rc && have) { /* the source's date, in the locale's digits, under the rows */
    struct local_time lt = local_time_from_seconds(0);
    int y, m, d;
    char date[64];
    sscanf(w->snap->u.currency.date, "%4d-%2d-%2d", &y, &m, &d); /* checked by source.c */
    lt.date = (struct ymd){y, m, d};
    if (!locale_format_time(locale_get(it->locale), it->digits, VT_CALENDAR_GREGORIAN,
                            "yyyy-MM-dd", &lt, date, sizeof date))
      snprintf(date, sizeof date, "%s", w->snap->u.currency.date);
    SDL_Rect box = {inner.x, inner.y + n * row_h, inner.w, date_h};
    rc = add_text(w, ctx, date, box, small, rtl ? VT_ALIGN_LEFT : VT_ALIGN_RIGHT, err);
  }
  if (rtl) panel_mirror(&w->panel, ctx->rect.w);
  return rc;
}

static enum vt_err currency_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_currency *w = priv;
  (void)err;
  w->item = item;
  return VT_OK;
}

static void currency_set_source(void *priv, const struct vt_snapshot *snap) {
  struct w_currency *w = priv;
  w->snap = snap;
}

static enum vt_err currency_prepare(void *priv, const struct widget_ctx *ctx,
                                    struct vt_error *err) {
  return currency_layout(priv, ctx, err);
}

static void currency_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_currency *w = priv;
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  panel_draw(&w->panel, ctx->renderer, &ctx->rect);
}

static void currency_destroy(void *priv) {
  struct w_currency *w = priv;
  pieces_clear(w);
  panel_free(&w->panel);
}

const struct vt_widget_ops w_currency = {
    .type = "currency",
    .priv_size = sizeof(struct w_currency),
    .create = currency_create,
    .prepare = currency_prepare,
    .draw = currency_draw,
    .set_source = currency_set_source,
    .destroy = currency_destroy,
};
