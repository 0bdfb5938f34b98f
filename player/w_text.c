/* "type": "text": a block of text (any script, any direction) laid out by text_layout.c
 * into one texture in prepare; draw paints the background and copies the texture. */
#include <math.h>

#include "text_layout.h"
#include "widget.h"

struct w_text {
  const struct vt_item *item; /* borrowed: text and style */
  struct text_layout *layout;
  SDL_Rect inner; /* the box inside the padding, relative to the region */
};

static enum vt_err text_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_text *w = priv;
  (void)err;
  w->item = item;
  return VT_OK;
}

static enum vt_err text_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_text *w = priv;
  const struct vt_text_style *st = &w->item->style;
  int size = widget_text_box(ctx, st, &w->inner);
  return text_layout_new(ctx->renderer, ctx->fonts, w->item->text ? w->item->text : "", st, size,
                         w->inner.w, w->inner.h, &w->layout, err);
}

static void text_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_text *w = priv;
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  SDL_Rect box = {ctx->rect.x + w->inner.x, ctx->rect.y + w->inner.y, w->inner.w, w->inner.h};
  text_layout_draw(w->layout, ctx->renderer, &box);
}

static void text_destroy(void *priv) {
  struct w_text *w = priv;
  text_layout_free(w->layout);
}

const struct vt_widget_ops w_text = {
    .type = "text",
    .priv_size = sizeof(struct w_text),
    .create = text_create,
    .prepare = text_prepare,
    .draw = text_draw,
    .destroy = text_destroy,
};
