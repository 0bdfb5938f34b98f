/* "type": "menu": a menu snapshot (docs/live-content.md) as a menu board.
 *
 * The board is a list of rows, each a section heading or an item: the item's name at the
 * start side, its price (locale_format_number: the locale's digits, grouping and decimal
 * separator) and currency label at the end side, dotted leaders between, its description
 * below in smaller, dimmer type (show_descriptions), and its picture at the start side
 * (show_images: the item's media file, cropped square). A sold-out item is dimmed, struck
 * through, and labelled in the item's language.
 *
 * Rows flow into `columns` columns (0: as many of SIZE_COLUMN_EM em as fit the region at the
 * style's size) top to bottom, column by column, with the column height balanced so the
 * columns end level; a heading never ends a column alone. When the rows do not fit (too
 * tall, or a name and price wider than a column), the whole board is set again smaller, as
 * w_text shrinks its text, down to a floor below which rows past the end are left out.
 *
 * A right-to-left menu (locale fa or ar, or names in a right-to-left script) is mirrored:
 * the first column at the right, names and pictures at the right, prices at the left.
 * Each text goes through text_layout_line_surface (bidi, shaping, font fallback), so a Latin
 * brand inside a Persian name keeps its order and ۱۲۰٬۰۰۰ reads as written.
 *
 * prepare builds every texture once; draw copies them and fills the leader dots and strike
 * lines (a few rectangles). A new snapshot runs prepare again (widget.h, set_source). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "fsutil.h"
#include "locale_fmt.h"
#include "log.h"
#include "text_layout.h"
#include "widget.h"

/* Proportions of the board, in em of the item text (the style's size, after shrinking). */
#define MENU_HEADING_SCALE 1.3  /* section headings */
#define MENU_DESC_SCALE 0.72    /* descriptions and the sold-out label */
#define MENU_GUTTER_EM 1.6      /* between columns */
#define MENU_ROW_GAP_EM 0.45    /* below each item */
#define MENU_SECTION_GAP_EM 0.8 /* above a heading that does not start a column */
#define MENU_NAME_PRICE_EM 1.0  /* least room between a name and its price */
#define MENU_IMAGE_GAP_EM 0.5   /* between a picture and the text */
#define MENU_DESC_LINES 3       /* a description longer than this shrinks the board */
/* columns = 0: a column is about this wide at the style's size, enough for a name, leaders
 * and a price without crowding. */
#define SIZE_COLUMN_EM 12
/* Shrinking: each try is this much smaller, down to this share of the style's size (and
 * never below MENU_MIN_PX, where text stops being readable across a room). */
#define MENU_SHRINK_STEP 0.92
#define MENU_SHRINK_FLOOR 0.3
#define MENU_MIN_PX 8
/* Dimmed parts, as alpha: descriptions, the heading rule, sold-out items. */
#define MENU_DESC_ALPHA 0xb4
#define MENU_RULE_ALPHA 0x50
#define MENU_SOLD_OUT_ALPHA 0x6e
#define MENU_LEADER_ALPHA 0x70
/* The sold-out label: a warm red that reads on dark and light boards alike. */
#define MENU_SOLD_OUT_COLOR 0xe0584cffu

/* "sold out" in the locales locale_fmt knows; others use English. */
static const struct {
  const char *tag, *text;
} sold_out_text[] = {
    {"en", "Sold out"}, {"de", "Ausverkauft"}, {"fr", "\xc3\x89puis\xc3\xa9"},
    {"fa", "\xd8\xaa\xd9\x85\xd8\xa7\xd9\x85 \xd8\xb4\xd8\xaf"},                 /* تمام شد */
    {"ar", "\xd9\x86\xd9\x81\xd8\xaf\xd8\xaa \xd8\xa7\xd9\x84\xd9\x83\xd9\x85\xd9\x8a\xd8\xa9"}, /* نفدت الكمية */
};

struct piece {
  SDL_Surface *surf; /* until the size is settled */
  SDL_Texture *tex;
  int w, h;
  bool rtl;
};

enum row_kind { ROW_HEADING, ROW_ITEM };

struct row {
  enum row_kind kind;
  const struct vt_menu_item *item; /* ROW_ITEM */
  const char *heading;             /* ROW_HEADING */
  struct piece name, price, label;
  struct piece desc[MENU_DESC_LINES];
  size_t n_desc;
  SDL_Texture *image; /* borrowed from w->images */
  int image_w, image_h;
  int height; /* the row's box, gap below included */
  int x, y;   /* placed: its column's left edge and its top, in the inner box */
  bool shown; /* placed inside the board */
};

struct w_menu {
  const struct vt_item *item;
  const struct vt_snapshot *snap; /* borrowed until the next set_source */
  const struct locale_info *loc;
  enum vt_digits digits;
  struct row *rows;
  size_t n_rows;
  SDL_Texture **images; /* one per row that shows a picture */
  size_t n_images;
  SDL_Rect inner;   /* the box inside the padding, relative to the region */
  int px;           /* item text size the board was set at */
  int columns, col_w, gutter;
  bool rtl;
};

static void piece_free(struct piece *p) {
  SDL_FreeSurface(p->surf);
  if (p->tex) SDL_DestroyTexture(p->tex);
  memset(p, 0, sizeof *p);
}

static void rows_free_pieces(struct w_menu *w) {
  for (size_t i = 0; i < w->n_rows; i++) {
    struct row *r = &w->rows[i];
    piece_free(&r->name);
    piece_free(&r->price);
    piece_free(&r->label);
    for (size_t k = 0; k < r->n_desc; k++) piece_free(&r->desc[k]);
    r->n_desc = 0;
  }
}

static void board_free(struct w_menu *w) {
  rows_free_pieces(w);
  free(w->rows);
  w->rows = NULL;
  w->n_rows = 0;
  for (size_t i = 0; i < w->n_images; i++) SDL_DestroyTexture(w->images[i]);
  free(w->images);
  w->images = NULL;
  w->n_images = 0;
}

static enum vt_err menu_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_menu *w = priv;
  (void)err;
  w->item = item;
  w->loc = locale_get(item->locale);
  w->digits = locale_digits(w->loc, item->digits);
  return VT_OK;
}

static void menu_set_source(void *priv, const struct vt_snapshot *snap) {
  struct w_menu *w = priv;
  w->snap = snap && snap->kind == VT_SOURCE_MENU ? snap : NULL; /* another kind: show none */
}

static const char *sold_out_label(const struct locale_info *loc) {
  for (size_t i = 0; i < sizeof sold_out_text / sizeof sold_out_text[0]; i++)
    if (strcmp(sold_out_text[i].tag, loc->tag) == 0) return sold_out_text[i].text;
  return sold_out_text[0].text;
}

/* ---- rows: what the board lists, independent of size ---- */

static enum vt_err rows_build(struct w_menu *w, struct vt_error *err) {
  const struct vt_menu *m = &w->snap->u.menu;
  size_t n = 0;
  for (size_t s = 0; s < m->n_sections; s++) n += 1 + m->sections[s].n_items;
  w->rows = calloc(n ? n : 1, sizeof *w->rows);
  if (!w->rows) return vt_error_no_memory(err);
  for (size_t s = 0; s < m->n_sections; s++) {
    const struct vt_menu_section *sec = &m->sections[s];
    if (sec->name[0])
      w->rows[w->n_rows++] = (struct row){.kind = ROW_HEADING, .heading = sec->name};
    for (size_t i = 0; i < sec->n_items; i++)
      w->rows[w->n_rows++] = (struct row){.kind = ROW_ITEM, .item = &sec->items[i]};
  }
  return VT_OK;
}

/* The item's picture, decoded once per prepare; a missing or unreadable file only means no
 * picture (the manifest guarantees the file for a current snapshot, but a snapshot may run
 * ahead of its manifest for a moment). */
static void rows_load_images(struct w_menu *w, const struct widget_ctx *ctx) {
  if (!w->item->menu.show_images || !ctx->media_dir) return;
  w->images = calloc(w->n_rows ? w->n_rows : 1, sizeof *w->images);
  if (!w->images) return;
  for (size_t i = 0; i < w->n_rows; i++) {
    struct row *r = &w->rows[i];
    char path[4096];
    if (r->kind != ROW_ITEM || !r->item->image[0] ||
        !vt_path_join(path, sizeof path, ctx->media_dir, r->item->image))
      continue;
    SDL_Surface *img = IMG_Load(path);
    if (!img) {
      vt_warn("menu", "picture of '%s' not shown: %s", r->item->name, IMG_GetError());
      continue;
    }
    SDL_Texture *tex = SDL_CreateTextureFromSurface(ctx->renderer, img);
    if (tex) {
      r->image = w->images[w->n_images++] = tex;
      r->image_w = img->w;
      r->image_h = img->h;
    }
    SDL_FreeSurface(img);
  }
}

/* ---- setting the rows at one size ---- */

static enum vt_err text_piece(const struct widget_ctx *ctx, const char *utf8,
                              const struct vt_text_style *style, int px, struct piece *out,
                              struct vt_error *err) {
  memset(out, 0, sizeof *out);
  if (!utf8 || !*utf8) return VT_OK;
  enum vt_err rc = text_layout_line_surface(ctx->fonts, utf8, style, px, &out->surf, &out->rtl, err);
  if (!rc && out->surf) {
    out->w = out->surf->w;
    out->h = out->surf->h;
  }
  return rc;
}

/* "120000" in the item's locale and digits, then its currency label. */
static void price_text(const struct w_menu *w, const struct vt_menu_item *it, char *out,
                       size_t size) {
  char num[96];
  if (!locale_format_number(w->loc, w->digits, it->price, num, sizeof num))
    snprintf(num, sizeof num, "%s", it->price); /* the snapshot checked it: cannot happen */
  snprintf(out, size, "%s%s%s", num, it->currency[0] ? " " : "", it->currency);
}

/* The description in at most MENU_DESC_LINES lines of at most width pixels: set on one
 * line, and when that is too wide, cut at the spaces nearest to equal shares. Each line is
 * its own paragraph for bidi, which is right for a cut at a space. */
static enum vt_err desc_pieces(const struct widget_ctx *ctx, struct row *r, const char *text,
                               const struct vt_text_style *st, int px, int width,
                               struct vt_error *err) {
  enum vt_err rc = text_piece(ctx, text, st, px, &r->desc[0], err);
  if (rc || !r->desc[0].surf || r->desc[0].w <= width) {
    r->n_desc = r->desc[0].surf ? 1 : 0;
    return rc;
  }
  size_t lines = (size_t)((r->desc[0].w + width - 1) / width);
  if (lines > MENU_DESC_LINES) lines = MENU_DESC_LINES; /* the board shrinks instead */
  piece_free(&r->desc[0]);
  size_t len = strlen(text), from = 0;
  char *buf = malloc(len + 1);
  if (!buf) return vt_error_no_memory(err);
  for (size_t k = 0; k < lines && from < len && !rc; k++) {
    size_t to = len;
    if (k + 1 < lines) { /* the space nearest to the k+1-th share */
      size_t target = len * (k + 1) / lines, best = len;
      for (size_t i = from + 1; i < len; i++)
        if (text[i] == ' ' && (best == len || labs((long)i - (long)target) <
                                                  labs((long)best - (long)target)))
          best = i;
      to = best;
    }
    memcpy(buf, text + from, to - from);
    buf[to - from] = '\0';
    rc = text_piece(ctx, buf, st, px, &r->desc[r->n_desc], err);
    if (!rc && r->desc[r->n_desc].surf) r->n_desc++;
    from = to < len ? to + 1 : len;
  }
  free(buf);
  return rc;
}

static int em(double ems, int px) { return (int)lround(ems * px); }

/* Set every row at px for columns col_w wide: its pieces and its height. *fits_width: every
 * name and price fits beside each other (and descriptions within MENU_DESC_LINES). */
static enum vt_err rows_set(struct w_menu *w, const struct widget_ctx *ctx, int px, int col_w,
                            bool *fits_width, struct vt_error *err) {
  const struct vt_text_style *base = &w->item->style;
  struct vt_text_style heading = *base, body = *base, small = *base, label = *base;
  heading.weight = VT_WEIGHT_BOLD;
  label.color = MENU_SOLD_OUT_COLOR;
  int hpx = em(MENU_HEADING_SCALE, px), spx = em(MENU_DESC_SCALE, px);
  if (spx < 1) spx = 1;
  char price[160];
  enum vt_err rc = VT_OK;
  *fits_width = true;
  rows_free_pieces(w);
  for (size_t i = 0; i < w->n_rows && !rc; i++) {
    struct row *r = &w->rows[i];
    if (r->kind == ROW_HEADING) {
      rc = text_piece(ctx, r->heading, &heading, hpx, &r->name, err);
      r->height = r->name.h + em(0.35, px); /* the rule sits in the gap below */
      if (r->name.w > col_w) *fits_width = false;
      continue;
    }
    const struct vt_menu_item *it = r->item;
    price_text(w, it, price, sizeof price);
    rc = text_piece(ctx, it->name, &body, px, &r->name, err);
    if (!rc) rc = text_piece(ctx, price, &body, px, &r->price, err);
    if (!rc && it->sold_out) rc = text_piece(ctx, sold_out_label(w->loc), &label, spx, &r->label, err);
    int line_h = r->name.h > r->price.h ? r->name.h : r->price.h;
    int side = r->image ? line_h * 2 : 0; /* the picture: two lines high, square */
    int text_w = col_w - (side ? side + em(MENU_IMAGE_GAP_EM, px) : 0);
    int need = r->name.w + em(MENU_NAME_PRICE_EM, px) + r->price.w +
               (r->label.w ? r->label.w + em(0.5, px) : 0);
    if (need > text_w) *fits_width = false;
    int text_h = line_h;
    if (!rc && w->item->menu.show_descriptions && it->description[0]) {
      rc = desc_pieces(ctx, r, it->description, &small, spx, text_w, err);
      for (size_t k = 0; k < r->n_desc; k++) {
        text_h += r->desc[k].h;
        if (r->desc[k].w > text_w) *fits_width = false;
      }
    }
    r->height = (text_h > side ? text_h : side) + em(MENU_ROW_GAP_EM, px);
  }
  return rc;
}

/* Place the rows into columns no taller than max_h: top to bottom, then the next column; a
 * heading moves on with its first item. Returns the columns used (rows past `columns`
 * are not shown). */
static int rows_place(struct w_menu *w, int px, int max_h) {
  int col = 0, y = 0;
  for (size_t i = 0; i < w->n_rows; i++) {
    struct row *r = &w->rows[i];
    int before = r->kind == ROW_HEADING && y > 0 ? em(MENU_SECTION_GAP_EM, px) : 0;
    int need = before + r->height;
    if (r->kind == ROW_HEADING && i + 1 < w->n_rows && w->rows[i + 1].kind == ROW_ITEM)
      need += w->rows[i + 1].height; /* keep with next */
    if (y > 0 && y + need > max_h) {
      col++;
      y = 0;
      before = 0;
    }
    y += before;
    r->shown = col < w->columns && y + r->height <= max_h + em(MENU_ROW_GAP_EM, px);
    int slot = w->rtl ? w->columns - 1 - col : col; /* the first column at the start side */
    r->x = slot * (w->col_w + w->gutter);
    r->y = y;
    y += r->height;
  }
  return col + 1;
}

/* The lowest column height that keeps the rows within `columns`, so the columns end about
 * level; false when even the full height needs more columns. */
static bool rows_balance(struct w_menu *w, int px) {
  int lo = 1, hi = w->inner.h;
  if (rows_place(w, px, hi) > w->columns) return false;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (rows_place(w, px, mid) <= w->columns)
      hi = mid;
    else
      lo = mid + 1;
  }
  rows_place(w, px, hi);
  return true;
}

static enum vt_err pieces_to_textures(struct w_menu *w, SDL_Renderer *ren, struct vt_error *err) {
  for (size_t i = 0; i < w->n_rows; i++) {
    struct row *r = &w->rows[i];
    struct piece *ps[3 + MENU_DESC_LINES] = {&r->name, &r->price, &r->label};
    for (size_t k = 0; k < r->n_desc; k++) ps[3 + k] = &r->desc[k];
    for (size_t k = 0; k < 3 + r->n_desc; k++) {
      struct piece *p = ps[k];
      if (!p->surf) continue;
      p->tex = r->shown ? SDL_CreateTextureFromSurface(ren, p->surf) : NULL;
      SDL_FreeSurface(p->surf);
      p->surf = NULL;
      if (r->shown && !p->tex)
        return vt_error_set(err, VT_ERR_INTERNAL, "", "menu texture: %s", SDL_GetError());
      if (p->tex) SDL_SetTextureBlendMode(p->tex, SDL_BLENDMODE_BLEND);
      bool dim = r->kind == ROW_ITEM && r->item->sold_out && p != &r->label;
      if (p->tex && dim) SDL_SetTextureAlphaMod(p->tex, MENU_SOLD_OUT_ALPHA);
      if (p->tex && k >= 3 && !dim) SDL_SetTextureAlphaMod(p->tex, MENU_DESC_ALPHA);
    }
  }
  return VT_OK;
}

/* The board at the style's size, or smaller until it fits; at the floor, what fits. */
static enum vt_err board_fit(struct w_menu *w, const struct widget_ctx *ctx, struct vt_error *err) {
  int px0 = widget_text_box(ctx, &w->item->style, &w->inner);
  int floor_px = (int)lround(px0 * MENU_SHRINK_FLOOR);
  if (floor_px < MENU_MIN_PX) floor_px = px0 < MENU_MIN_PX ? px0 : MENU_MIN_PX;
  int cols = w->item->menu.columns;
  if (cols <= 0) {
    int g = em(MENU_GUTTER_EM, px0);
    cols = (w->inner.w + g) / (em(SIZE_COLUMN_EM, px0) + g);
    if (cols < 1) cols = 1;
    if (cols > VT_LIMIT_MENU_COLUMNS) cols = VT_LIMIT_MENU_COLUMNS;
  }
  w->columns = cols;
  for (int px = px0;; px = (int)floor(px * MENU_SHRINK_STEP)) {
    if (px < floor_px) px = floor_px;
    w->px = px;
    w->gutter = cols > 1 ? em(MENU_GUTTER_EM, px) : 0;
    w->col_w = (w->inner.w - (cols - 1) * w->gutter) / cols;
    bool wide_ok;
    enum vt_err rc = rows_set(w, ctx, px, w->col_w, &wide_ok, err);
    if (rc) return rc;
    /* The direction: the locale's, or the names' own when the locale does not say. */
    w->rtl = locale_is_rtl(w->loc);
    for (size_t i = 0; i < w->n_rows && !w->rtl; i++)
      if (w->rows[i].kind == ROW_ITEM) {
        w->rtl = w->rows[i].name.rtl;
        break;
      }
    bool fits = rows_balance(w, px) && wide_ok;
    if (fits || px == floor_px) {
      if (!fits) {
        rows_place(w, px, w->inner.h);
        vt_warn("menu", "menu '%s' does not fit its region even at %d px: rows left out",
                w->snap->u.menu.name, px);
      }
      return pieces_to_textures(w, ctx->renderer, err);
    }
  }
}

static enum vt_err menu_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_menu *w = priv;
  widget_text_box(ctx, &w->item->style, &w->inner);
  board_free(w);
  if (!w->snap || w->inner.w <= 0 || w->inner.h <= 0) return VT_OK; /* nothing to show yet */
  enum vt_err rc = rows_build(w, err);
  if (!rc) rows_load_images(w, ctx);
  if (!rc) rc = board_fit(w, ctx, err);
  if (rc) board_free(w);
  return rc;
}

/* ---- draw ---- */

static void copy_piece(SDL_Renderer *ren, const struct piece *p, int x, int y) {
  if (!p->tex) return;
  SDL_Rect dst = {x, y, p->w, p->h};
  SDL_RenderCopy(ren, p->tex, NULL, &dst);
}

/* A square picture, the middle of the image (cover). */
static void copy_image(SDL_Renderer *ren, const struct row *r, SDL_Rect dst) {
  SDL_Rect src = {0, 0, r->image_w, r->image_h};
  if (r->image_w > r->image_h) {
    src.w = r->image_h;
    src.x = (r->image_w - r->image_h) / 2;
  } else {
    src.h = r->image_w;
    src.y = (r->image_h - r->image_w) / 2;
  }
  if (r->item->sold_out) SDL_SetTextureAlphaMod(r->image, MENU_SOLD_OUT_ALPHA);
  SDL_RenderCopy(ren, r->image, &src, &dst);
  if (r->item->sold_out) SDL_SetTextureAlphaMod(r->image, 0xff);
}

/* Dots from x0 to x1 on the line at y (absolute). */
static void leaders(SDL_Renderer *ren, uint32_t color, int px, int x0, int x1, int y) {
  int dot = px / 12 > 1 ? px / 12 : 1, step = px / 3 > dot * 2 ? px / 3 : dot * 2;
  uint32_t c = (color & 0xffffff00u) | MENU_LEADER_ALPHA;
  for (int x = x0 + (x1 - x0) % step / 2; x + dot <= x1; x += step) {
    SDL_Rect d = {x, y, dot, dot};
    widget_fill_rect(ren, &d, c);
  }
}

static void draw_item(const struct w_menu *w, SDL_Renderer *ren, const struct row *r, int bx,
                      int by) {
  int px = w->px, x = bx + r->x, y = by + r->y, cw = w->col_w;
  uint32_t color = w->item->style.color;
  int line_h = r->name.h > r->price.h ? r->name.h : r->price.h;
  int side = r->image ? line_h * 2 : 0, img_gap = side ? em(MENU_IMAGE_GAP_EM, px) : 0;
  if (r->image) copy_image(ren, r, (SDL_Rect){w->rtl ? x + cw - side : x, y, side, side});
  /* The text box beside the picture; names at its start, prices at its end. */
  int tx = w->rtl ? x : x + side + img_gap, tw = cw - side - img_gap;
  int name_x = w->rtl ? tx + tw - r->name.w : tx;
  int price_x = w->rtl ? tx : tx + tw - r->price.w;
  int label_gap = em(0.5, px);
  int label_x = w->rtl ? price_x + r->price.w + label_gap : price_x - label_gap - r->label.w;
  copy_piece(ren, &r->name, name_x, y + (line_h - r->name.h) / 2);
  copy_piece(ren, &r->price, price_x, y + (line_h - r->price.h) / 2);
  copy_piece(ren, &r->label, label_x, y + (line_h - r->label.h) / 2);
  /* Leaders between the name and whatever stands at the end side. */
  int gap = em(0.4, px);
  int end_edge = r->label.w ? (w->rtl ? label_x + r->label.w : label_x)
                            : (w->rtl ? price_x + r->price.w : price_x);
  int l0 = w->rtl ? end_edge + gap : name_x + r->name.w + gap;
  int l1 = w->rtl ? name_x - gap : end_edge - gap;
  if (!r->item->sold_out && l1 - l0 > px) leaders(ren, color, px, l0, l1, y + line_h * 3 / 4);
  if (r->item->sold_out) { /* struck through: name and price */
    int th = px / 14 > 1 ? px / 14 : 1;
    uint32_t c = (color & 0xffffff00u) | 0xc0;
    SDL_Rect s1 = {name_x, y + line_h / 2, r->name.w, th};
    SDL_Rect s2 = {price_x, y + line_h / 2, r->price.w, th};
    widget_fill_rect(ren, &s1, c);
    widget_fill_rect(ren, &s2, c);
  }
  int dy = y + line_h;
  for (size_t k = 0; k < r->n_desc; k++) {
    copy_piece(ren, &r->desc[k], w->rtl ? tx + tw - r->desc[k].w : tx, dy);
    dy += r->desc[k].h;
  }
}

static void menu_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_menu *w = priv;
  SDL_Renderer *ren = ctx->renderer;
  widget_fill_rect(ren, &ctx->rect, w->item->style.background);
  int bx = ctx->rect.x + w->inner.x, by = ctx->rect.y + w->inner.y;
  for (size_t i = 0; i < w->n_rows; i++) {
    const struct row *r = &w->rows[i];
    if (!r->shown) continue;
    if (r->kind == ROW_ITEM) {
      draw_item(w, ren, r, bx, by);
      continue;
    }
    int x = bx + r->x;
    copy_piece(ren, &r->name, w->rtl ? x + w->col_w - r->name.w : x, by + r->y);
    int th = w->px / 16 > 1 ? w->px / 16 : 1;
    SDL_Rect rule = {x, by + r->y + r->name.h + em(0.1, w->px), w->col_w, th};
    widget_fill_rect(ren, &rule, (w->item->style.color & 0xffffff00u) | MENU_RULE_ALPHA);
  }
}

static void menu_destroy(void *priv) { board_free(priv); }

const struct vt_widget_ops w_menu = {
    .type = "menu",
    .priv_size = sizeof(struct w_menu),
    .create = menu_create,
    .prepare = menu_prepare,
    .draw = menu_draw,
    .set_source = menu_set_source,
    .destroy = menu_destroy,
};
