/* See panel.h. */
#include "panel.h"

#include <stdlib.h>

static struct panel_piece *add(struct panel *p, SDL_Rect box) {
  if (p->n == p->cap) {
    size_t cap = p->cap ? 2 * p->cap : 32;
    struct panel_piece *v = realloc(p->v, cap * sizeof *v);
    if (!v) return NULL;
    p->v = v;
    p->cap = cap;
  }
  struct panel_piece *piece = &p->v[p->n++];
  *piece = (struct panel_piece){.box = box};
  return piece;
}

void panel_clear(struct panel *p) {
  for (size_t i = 0; i < p->n; i++) text_layout_free(p->v[i].text);
  p->n = 0;
}

void panel_free(struct panel *p) {
  panel_clear(p);
  free(p->v);
  *p = (struct panel){0};
}

enum vt_err panel_add_text(struct panel *p, const struct widget_ctx *ctx,
                           const struct vt_text_style *base, const char *text, SDL_Rect box,
                           int px, enum vt_align align, enum vt_valign valign,
                           struct vt_error *err) {
  if (!*text || box.w < 2 || box.h < 2) return VT_OK;
  struct vt_text_style st = *base;
  st.align = align;
  st.valign = valign;
  st.background = 0;
  st.padding_px = 0;
  if (px > box.h) px = box.h;
  if (px < 1) px = 1;
  struct text_layout *tl = NULL;
  enum vt_err rc = text_layout_new(ctx->renderer, ctx->fonts, text, &st, px, box.w, box.h, &tl, err);
  if (rc) return rc;
  struct panel_piece *piece = add(p, box);
  if (!piece) {
    text_layout_free(tl);
    return vt_error_no_memory(err);
  }
  piece->text = tl;
  return VT_OK;
}

enum vt_err panel_add_texture(struct panel *p, SDL_Texture *tex, SDL_Rect box, bool flip,
                              struct vt_error *err) {
  if (!tex || box.w < 1 || box.h < 1) return VT_OK;
  struct panel_piece *piece = add(p, box);
  if (!piece) return vt_error_no_memory(err);
  piece->tex = tex;
  piece->flip = flip;
  return VT_OK;
}

void panel_mirror(struct panel *p, int region_w) {
  for (size_t i = 0; i < p->n; i++) {
    SDL_Rect *b = &p->v[i].box;
    b->x = region_w - b->x - b->w;
  }
}

void panel_draw(const struct panel *p, SDL_Renderer *r, const SDL_Rect *region) {
  for (size_t i = 0; i < p->n; i++) {
    const struct panel_piece *piece = &p->v[i];
    SDL_Rect box = {region->x + piece->box.x, region->y + piece->box.y, piece->box.w,
                    piece->box.h};
    if (piece->text)
      text_layout_draw(piece->text, r, &box);
    else
      SDL_RenderCopyEx(r, piece->tex, NULL, &box, 0, NULL,
                       piece->flip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
  }
}
