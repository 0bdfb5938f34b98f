#include "text_layout.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

void text_layout_coverage(struct text_para *p, const struct text_fonts *tf) {
  for (size_t i = 0; i < p->len; i++) {
    FriBidiChar c = p->cps[i];
    if (text_para_is_break_space(c) || text_para_is_format(c)) continue; /* stay in their run */
    if (TTF_GlyphIsProvided32(tf->font[p->family[i]], c)) continue;
    for (int f = 0; f < FONTS__COUNT; f++)
      if (TTF_GlyphIsProvided32(tf->font[f], c)) {
        p->family[i] = (uint8_t)f;
        break;
      }
  }
}

/* The shared TTF_Font carries direction and script: set both before every use. */
static TTF_Font *run_font(const struct text_fonts *tf, enum fonts_family family, bool rtl) {
  TTF_Font *font = tf->font[family];
  TTF_SetFontDirection(font, rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
  TTF_SetFontScriptName(font, fonts_script_name(family));
  return font;
}

/* Width of [start, end) in logical order: the sum of its pieces of one level and family,
 * each shaped as the renderer will shape it. -1 when out of memory or shaping fails. */
static int shaped_width(const struct text_para *p, const struct text_fonts *tf, size_t start,
                        size_t end) {
  int total = 0;
  for (size_t a = start; a < end;) {
    size_t b = a + 1;
    while (b < end && p->levels[b] == p->levels[a] && p->family[b] == p->family[a]) b++;
    char *s = text_para_utf8(p, a, b - a);
    int w = 0;
    TTF_Font *font =
        run_font(tf, (enum fonts_family)p->family[a], FRIBIDI_LEVEL_IS_RTL(p->levels[a]));
    int rc = s ? TTF_SizeUTF8(font, s, &w, NULL) : -1;
    free(s);
    if (rc != 0) return -1;
    total += w;
    a = b;
  }
  return total;
}

static size_t skip_spaces_back(const struct text_para *p, size_t from, size_t to) {
  while (to > from && text_para_is_break_space(p->cps[to - 1])) to--;
  return to;
}

/* The most code points that can fit in max_width: no glyph a sign shows is narrower than a
 * tenth of an em (marks and joiners are zero-width but ride on a base). Bounding searches by
 * this keeps a 16 KiB word without spaces from being shaped whole, line after line. */
static size_t max_fitting_cps(const struct text_fonts *tf, int max_width) {
  int min_advance = tf->px / 10 > 0 ? tf->px / 10 : 1;
  return (size_t)(max_width / min_advance) + 1;
}

/* Longest prefix [start, k) of an over-long word that fits, at least one code point, never
 * cutting a mark from its base. Binary search: widths grow with the prefix. */
static size_t fit_prefix(const struct text_para *p, const struct text_fonts *tf, size_t start,
                         size_t end, int max_width) {
  size_t lo = start + 1, hi = end; /* answer in [lo, hi] */
  size_t most = max_fitting_cps(tf, max_width);
  if (hi - start > most) hi = start + most;
  while (lo < hi) {
    size_t mid = lo + (hi - lo + 1) / 2;
    int w = shaped_width(p, tf, start, mid);
    if (w >= 0 && w <= max_width)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo < end && lo > start + 1 &&
         (p->types[lo] == FRIBIDI_TYPE_NSM || p->types[lo] == FRIBIDI_TYPE_BN))
    lo--;
  return lo;
}

/* Append a line, growing the array. */
static bool push_line(struct text_line **lines, size_t *n, size_t *cap, struct text_line l) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    struct text_line *g = realloc(*lines, nc * sizeof *g);
    if (!g) return false;
    *lines = g;
    *cap = nc;
  }
  (*lines)[(*n)++] = l;
  return true;
}

/* Slack below max_width inside which a line's width is measured exactly rather than as the
 * sum of its words: shaping rounds once per run, so the sum can be a few pixels off. */
#define WRAP_EXACT_SLACK_EM 0.25

enum vt_err text_layout_wrap(const struct text_para *p, const struct text_fonts *tf, int max_width,
                             size_t max_lines, struct text_line **lines, size_t *n,
                             struct vt_error *err) {
  *lines = NULL;
  *n = 0;
  size_t cap = 0;
  const size_t most = max_fitting_cps(tf, max_width);
  const int slack = (int)(tf->px * WRAP_EXACT_SLACK_EM);
  if (p->len == 0 && !push_line(lines, n, &cap, (struct text_line){0, 0, 0})) goto oom;
  for (size_t pos = 0; pos < p->len && (max_lines == 0 || *n < max_lines);) {
    size_t end = pos, prev_ink = pos;
    int estimate = 0; /* the line so far: sum of its words, or exact near the edge */
    bool ink = false; /* the line holds more than spaces */
    while (end < p->len) {
      size_t ink_end = end; /* the next word, then the spaces after it */
      while (ink_end < p->len && !text_para_is_break_space(p->cps[ink_end])) ink_end++;
      size_t word_end = ink_end;
      while (word_end < p->len && text_para_is_break_space(p->cps[word_end])) word_end++;
      bool fits = false;
      if (ink_end - pos <= most) {
        /* Each word is shaped once (with the spaces before it); the whole candidate line is
         * shaped only when the sum comes near the edge. */
        int piece = shaped_width(p, tf, prev_ink, ink_end);
        if (piece < 0) goto shaping;
        int w = estimate + piece;
        if (w > max_width - slack && (w = shaped_width(p, tf, pos, ink_end)) < 0) goto shaping;
        fits = w <= max_width;
        if (fits) estimate = w;
      }
      if (!fits) {
        if (!ink) end = fit_prefix(p, tf, pos, ink_end, max_width); /* a word wider than a line */
        break;
      }
      ink = ink || ink_end > end;
      prev_ink = ink_end;
      end = word_end;
    }
    size_t line_end = skip_spaces_back(p, pos, end);
    int width = shaped_width(p, tf, pos, line_end); /* exact, for alignment */
    if (width < 0) goto shaping;
    if (!push_line(lines, n, &cap, (struct text_line){pos, line_end, width})) goto oom;
    pos = end;
  }
  return VT_OK;
shaping:
  free(*lines);
  *lines = NULL;
  *n = 0;
  return vt_error_set(err, VT_ERR_INTERNAL, "", "shaping failed: %s", TTF_GetError());
oom:
  free(*lines);
  *lines = NULL;
  *n = 0;
  return vt_error_no_memory(err);
}

/* ---- The texture. ---- */

struct text_layout {
  SDL_Texture *texture; /* NULL when there is nothing to draw */
  int width, height;    /* of the texture */
  enum vt_valign valign;
};

/* A wrapped line with its vertical metrics, ready to draw. */
struct placed_line {
  const struct text_para *para;
  struct text_line line;
  int ascent, height;
};

/* Ascent and height of a line: the largest of the fonts its code points use, so mixed
 * Persian and Latin lines share one baseline. An empty line uses the Latin font. */
static void line_metrics(const struct text_para *p, const struct text_line *l,
                         const struct text_fonts *tf, int *ascent, int *height) {
  bool used[FONTS__COUNT] = {false};
  for (size_t i = l->start; i < l->end; i++) used[p->family[i]] = true;
  if (l->start == l->end) used[FONTS_SANS] = true;
  int asc = 0, desc = 0;
  for (int f = 0; f < FONTS__COUNT; f++) {
    int a, d;
    if (!used[f]) continue;
    fonts_line_box((enum fonts_family)f, tf->font[f], tf->px, &a, &d);
    if (a > asc) asc = a;
    if (d > desc) desc = d;
  }
  *ascent = asc;
  *height = asc + desc;
}

/* x of a line in a box: start and end follow the paragraph's direction; a line wider than
 * the box shows its start. */
static int align_x(enum vt_align align, bool rtl, int box_width, int line_width) {
  if (align == VT_ALIGN_START) align = rtl ? VT_ALIGN_RIGHT : VT_ALIGN_LEFT;
  if (align == VT_ALIGN_END) align = rtl ? VT_ALIGN_LEFT : VT_ALIGN_RIGHT;
  if (line_width > box_width) align = rtl ? VT_ALIGN_RIGHT : VT_ALIGN_LEFT;
  switch (align) {
  case VT_ALIGN_RIGHT: return box_width - line_width;
  case VT_ALIGN_CENTER: return (box_width - line_width) / 2;
  default: return 0;
  }
}

static SDL_Color to_sdl_color(uint32_t rgba) {
  return (SDL_Color){(Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8), (Uint8)rgba};
}

/* Draw one line's runs left to right, each shaped in its own direction and script, on the
 * baseline y. */
static enum vt_err draw_line(const struct placed_line *pl, const struct text_fonts *tf,
                             SDL_Color color, SDL_Surface *dst, int x, int baseline,
                             struct vt_error *err) {
  struct text_run *runs;
  size_t n;
  enum vt_err rc = text_para_line_runs(pl->para, pl->line.start, pl->line.end, &runs, &n, err);
  if (rc) return rc;
  for (size_t i = 0; i < n && !rc; i++) {
    TTF_Font *font = run_font(tf, runs[i].family, runs[i].rtl);
    char *s = text_para_utf8(pl->para, runs[i].start, runs[i].len);
    SDL_Surface *glyphs = s ? TTF_RenderUTF8_Blended(font, s, color) : NULL;
    int advance = 0;
    if (glyphs) {
      SDL_SetSurfaceBlendMode(glyphs, SDL_BLENDMODE_BLEND);
      SDL_Rect at = {x, baseline - TTF_FontAscent(font), glyphs->w, glyphs->h};
      SDL_BlitSurface(glyphs, NULL, dst, &at);
      advance = glyphs->w;
      SDL_FreeSurface(glyphs);
    } else if (!s) {
      rc = vt_error_no_memory(err);
    } else if (TTF_SizeUTF8(font, s, &advance, NULL) != 0) { /* e.g. a zero-width run */
      rc = vt_error_set(err, VT_ERR_INTERNAL, "", "shaping failed: %s", TTF_GetError());
    }
    free(s);
    x += advance;
  }
  free(runs);
  return rc;
}

/* Everything a layout holds while it is being built. */
struct build {
  struct text_para **paras;
  size_t n_paras;
  struct placed_line *lines;
  size_t n_lines, cap_lines;
};

static void build_free(struct build *b) {
  for (size_t i = 0; i < b->n_paras; i++) text_para_free(b->paras[i]);
  free(b->paras);
  free(b->lines);
}

/* Analyse and wrap one paragraph, appending its lines until they pass max_height. */
static enum vt_err add_paragraph(struct build *b, const char *s, size_t len,
                                 const struct text_fonts *tf, int max_width, int *y, int max_height,
                                 struct vt_error *err) {
  if (len > 0 && s[len - 1] == '\r') len--; /* CRLF text */
  struct text_para *p;
  enum vt_err rc = text_para_new(s, len, &p, err);
  if (rc) return rc;
  b->paras[b->n_paras++] = p;
  text_layout_coverage(p, tf);
  struct text_line *lines;
  size_t n;
  /* Every line is at least one em tall: no need to wrap what could never be shown. */
  size_t max_lines = (size_t)((max_height - *y) / tf->px + 1); /* callers keep *y < max_height */
  if ((rc = text_layout_wrap(p, tf, max_width, max_lines, &lines, &n, err))) return rc;
  for (size_t i = 0; i < n && *y < max_height; i++) {
    if (b->n_lines == b->cap_lines) {
      size_t nc = b->cap_lines ? b->cap_lines * 2 : 8;
      struct placed_line *g = realloc(b->lines, nc * sizeof *g);
      if (!g) {
        free(lines);
        return vt_error_no_memory(err);
      }
      b->lines = g;
      b->cap_lines = nc;
    }
    struct placed_line *pl = &b->lines[b->n_lines++];
    pl->para = p;
    pl->line = lines[i];
    line_metrics(p, &lines[i], tf, &pl->ascent, &pl->height);
    *y += pl->height;
  }
  free(lines);
  return VT_OK;
}

/* Paint the placed lines on a new surface of width x height. The surface starts as the
 * text colour at zero alpha, so blending glyph edges onto it keeps their colour instead of
 * darkening them towards transparent black. */
static enum vt_err paint(const struct build *b, const struct text_fonts *tf,
                         const struct vt_text_style *style, int width, int height,
                         SDL_Surface **out, struct vt_error *err) {
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!s) return vt_error_set(err, VT_ERR_NO_MEMORY, "", "text surface: %s", SDL_GetError());
  SDL_Color c = to_sdl_color(style->color);
  SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, c.r, c.g, c.b, 0));
  int y = 0;
  enum vt_err rc = VT_OK;
  for (size_t i = 0; i < b->n_lines && !rc; i++) {
    const struct placed_line *pl = &b->lines[i];
    int x = align_x(style->align, pl->para->rtl, width, pl->line.width);
    rc = draw_line(pl, tf, c, s, x, y + pl->ascent, err);
    y += pl->height;
  }
  if (rc) {
    SDL_FreeSurface(s);
    return rc;
  }
  *out = s;
  return VT_OK;
}

static size_t count_paragraphs(const char *s) {
  size_t n = 1;
  for (; *s; s++) n += *s == '\n';
  return n;
}

/* How far past the box a layout is measured before it is known not to fit: enough to size the
 * shrink in one step for text a few times too long, without wrapping a whole book. */
#define FIT_MEASURE_BOXES 4

/* Lay out utf8 at tf->px down to FIT_MEASURE_BOXES times the box height, so the caller can
 * see whether it fits: *y is the height laid out, *widest the widest line. */
static enum vt_err build_all(struct build *b, const char *utf8, const struct text_fonts *tf,
                             int width, int height, int *y, int *widest, struct vt_error *err) {
  const int stop = height > INT_MAX / FIT_MEASURE_BOXES ? INT_MAX : height * FIT_MEASURE_BOXES;
  enum vt_err rc = VT_OK;
  b->paras = calloc(count_paragraphs(utf8), sizeof *b->paras);
  if (!b->paras) return vt_error_no_memory(err);
  *y = 0;
  for (const char *s = utf8; !rc && *y < stop;) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    rc = add_paragraph(b, s, len, tf, width, y, stop, err);
    if (!nl) break;
    s = nl + 1;
  }
  *widest = 0;
  for (size_t i = 0; i < b->n_lines; i++)
    if (b->lines[i].line.width > *widest) *widest = b->lines[i].line.width;
  return rc;
}

/* Smallest size text is shrunk to, as a share of the size asked for: below this it is better
 * to show the start of the text legibly than all of it unreadably. */
#define FIT_MIN_SHARE 0.35
#define FIT_MIN_PX 8
#define FIT_MAX_TRIES 8

/* Text on a sign must fit its region: if the text at size_px is taller than the box or has
 * a word wider than it (a layout stopped at FIT_MEASURE_BOXES is taller), shrink the size (by the overflow ratio, then in small steps, since
 * wrapping changes with size) until it fits or reaches the floor. On success b holds the
 * lines, tf the fonts used and *y the height. */
static enum vt_err fit_text(struct fonts *fonts, const char *utf8, enum vt_weight weight,
                            int size_px, int width, int height, struct build *b,
                            struct text_fonts *tf, int *y, struct vt_error *err) {
  int floor_px = (int)(size_px * FIT_MIN_SHARE);
  if (floor_px < FIT_MIN_PX) floor_px = size_px < FIT_MIN_PX ? size_px : FIT_MIN_PX;
  int px = size_px;
  for (int attempt = 0;; attempt++) {
    enum vt_err rc = VT_OK;
    int widest = 0;
    memset(tf, 0, sizeof *tf);
    tf->px = px;
    for (int f = 0; f < FONTS__COUNT && !rc; f++)
      rc = fonts_get(fonts, (enum fonts_family)f, weight, px, &tf->font[f], err);
    if (!rc) rc = build_all(b, utf8, tf, width, height, y, &widest, err);
    if (rc) return rc;
    bool fits = *y <= height && widest <= width;
    if (fits || px <= floor_px || attempt == FIT_MAX_TRIES) return VT_OK;
    double ratio = (double)height / *y;
    if (widest > 0 && (double)width / widest < ratio) ratio = (double)width / widest;
    int next = (int)(px * (ratio < 0.97 ? ratio : 0.97));
    px = next < floor_px ? floor_px : next;
    build_free(b);
    memset(b, 0, sizeof *b);
  }
}

enum vt_err text_layout_new(SDL_Renderer *r, struct fonts *fonts, const char *utf8,
                            const struct vt_text_style *style, int size_px, int width, int height,
                            struct text_layout **out, struct vt_error *err) {
  *out = NULL;
  if (width <= 0 || height <= 0 || size_px <= 0)
    return vt_error_set(err, VT_ERR_INVALID, "", "no room for text (%dx%d, %d px)", width, height,
                        size_px);
  struct build b = {0};
  struct text_fonts tf;
  struct text_layout *tl = calloc(1, sizeof *tl);
  int y = 0;
  enum vt_err rc = tl ? fit_text(fonts, utf8, style->weight, size_px, width, height, &b, &tf, &y, err)
                      : vt_error_no_memory(err);
  if (rc) goto out;
  tl->valign = style->valign;
  tl->width = width;
  tl->height = y < height ? y : height;
  SDL_Surface *surface = NULL;
  if (tl->height > 0 && (rc = paint(&b, &tf, style, tl->width, tl->height, &surface, err)))
    goto out;
  if (surface) {
    tl->texture = SDL_CreateTextureFromSurface(r, surface);
    SDL_FreeSurface(surface);
    if (!tl->texture) {
      rc = vt_error_set(err, VT_ERR_INTERNAL, "", "text texture: %s", SDL_GetError());
      goto out;
    }
    SDL_SetTextureBlendMode(tl->texture, SDL_BLENDMODE_BLEND);
  }
out:
  build_free(&b);
  if (rc) {
    text_layout_free(tl);
    return rc;
  }
  *out = tl;
  return VT_OK;
}

void text_layout_free(struct text_layout *tl) {
  if (!tl) return;
  if (tl->texture) SDL_DestroyTexture(tl->texture);
  free(tl);
}

void text_layout_draw(const struct text_layout *tl, SDL_Renderer *r, const SDL_Rect *box) {
  if (!tl->texture) return;
  SDL_Rect dst = {box->x, box->y, tl->width, tl->height};
  if (tl->height < box->h) {
    if (tl->valign == VT_VALIGN_MIDDLE) dst.y += (box->h - tl->height) / 2;
    if (tl->valign == VT_VALIGN_BOTTOM) dst.y += box->h - tl->height;
  }
  SDL_RenderCopy(r, tl->texture, NULL, &dst);
}

/* Widest strip text_layout_line_surface makes: 50 ticker items of a few hundred characters at
 * a large size; past this the line is cut (its end is not shown) rather than allocating
 * without bound. */
#define LINE_MAX_WIDTH (1 << 20)

enum vt_err text_layout_line_surface(struct fonts *fonts, const char *utf8,
                                     const struct vt_text_style *style, int size_px,
                                     SDL_Surface **out, bool *rtl, struct vt_error *err) {
  *out = NULL;
  *rtl = false;
  if (size_px <= 0) return vt_error_set(err, VT_ERR_INVALID, "", "no size for text");
  struct build b = {0};
  struct text_fonts tf = {.px = size_px};
  enum vt_err rc = VT_OK;
  for (int f = 0; f < FONTS__COUNT && !rc; f++)
    rc = fonts_get(fonts, (enum fonts_family)f, style->weight, size_px, &tf.font[f], err);
  int y = 0, widest = 0;
  if (!rc && !(b.paras = calloc(1, sizeof *b.paras))) rc = vt_error_no_memory(err);
  /* One paragraph, never wrapped: the caller joins its items on one line. */
  if (!rc) rc = add_paragraph(&b, utf8, strcspn(utf8, "\n"), &tf, LINE_MAX_WIDTH, &y, INT_MAX, err);
  for (size_t i = 0; !rc && i < b.n_lines; i++)
    if (b.lines[i].line.width > widest) widest = b.lines[i].line.width;
  if (!rc && b.n_lines > 0) {
    *rtl = b.lines[0].para->rtl;
    struct vt_text_style st = *style;
    st.align = VT_ALIGN_LEFT;
    if (widest > 0 && y > 0) {
      b.n_lines = 1; /* a word wider than LINE_MAX_WIDTH was split: keep the first part */
      rc = paint(&b, &tf, &st, widest, b.lines[0].height, out, err);
    }
  }
  build_free(&b);
  return rc;
}
