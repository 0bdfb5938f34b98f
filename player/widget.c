#include "widget.h"

#include <math.h>
#include <stdlib.h>

#include "log.h"
#include "timeutil.h"

/* The registry: one entry per item type. A new widget is one line here. */
static const struct {
  enum vt_item_type type;
  const struct vt_widget_ops *ops;
} widget_table[] = {
    {VT_ITEM_IMAGE, &w_image},
    {VT_ITEM_TEXT, &w_text},
    {VT_ITEM_TICKER, &w_ticker},
    {VT_ITEM_CLOCK, &w_clock},
    {VT_ITEM_WEATHER, &w_weather},
    {VT_ITEM_CURRENCY, &w_currency},
    {VT_ITEM_MENU, &w_menu},
};

struct widget {
  const struct vt_widget_ops *ops;
  const struct vt_item *item;
  bool failed;
  bool created; /* create succeeded: set_source and prepare may run */
  void *priv;
};

/* Render thread only, like every widget call. */
static unsigned long prepares;

unsigned long widget_prepare_count(void) { return prepares; }

static enum vt_err run_prepare(struct widget *w, const struct widget_ctx *ctx,
                               struct vt_error *err) {
  if (!w->ops->prepare) return VT_OK;
  prepares++;
  return w->ops->prepare(w->priv, ctx, err);
}

const struct vt_widget_ops *widget_ops_for(enum vt_item_type type) {
  for (size_t i = 0; i < sizeof widget_table / sizeof widget_table[0]; i++)
    if (widget_table[i].type == type) return widget_table[i].ops;
  return NULL;
}

struct widget *widget_new(const struct vt_item *item, const struct widget_ctx *ctx,
                          const char *where, const struct vt_snapshot *snap) {
  struct widget *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  w->item = item;
  w->ops = widget_ops_for(item->type);
  if (!w->ops) {
    vt_warn("widget", "region '%s': item %lld has type %d, which no widget draws", where,
            (long long)item->id, (int)item->type);
    w->failed = true;
    return w;
  }
  w->priv = calloc(1, w->ops->priv_size ? w->ops->priv_size : 1);
  if (!w->priv) {
    free(w);
    return NULL;
  }
  struct vt_error err = {0};
  enum vt_err rc = w->ops->create(w->priv, item, &err);
  w->created = rc == VT_OK;
  if (!rc && w->ops->set_source) w->ops->set_source(w->priv, snap);
  if (!rc) rc = run_prepare(w, ctx, &err);
  if (rc) {
    /* Once per widget, i.e. once each time the item comes on screen; log.h folds the
     * repeats of a region that keeps failing. */
    vt_warn("widget", "region '%s': %s item %lld shows its background instead: %s", where,
            w->ops->type, (long long)item->id, err.message[0] ? err.message : vt_err_message(rc));
    w->failed = true;
  }
  return w;
}

bool widget_set_source(struct widget *w, const struct vt_snapshot *snap,
                       const struct widget_ctx *ctx) {
  if (!w->created || !w->ops->set_source) return false;
  w->ops->set_source(w->priv, snap);
  struct vt_error err = {0};
  enum vt_err rc = run_prepare(w, ctx, &err);
  if (rc)
    vt_warn("widget", "%s item %lld shows its background after a new snapshot: %s",
            w->ops->type, (long long)w->item->id,
            err.message[0] ? err.message : vt_err_message(rc));
  w->failed = rc != VT_OK;
  return true;
}

void widget_free(struct widget *w) {
  if (!w) return;
  if (w->priv && w->ops->destroy) w->ops->destroy(w->priv);
  free(w->priv);
  free(w);
}

bool widget_failed(const struct widget *w) { return w->failed; }

const struct vt_item *widget_item(const struct widget *w) { return w->item; }

int64_t widget_next_change_ms(const struct widget *w, int64_t now_ms) {
  if (w->failed || !w->ops->next_change_ms) return VT_TIME_MAX;
  return w->ops->next_change_ms(w->priv, now_ms);
}

void widget_draw(struct widget *w, const struct widget_ctx *ctx) {
  /* The fallback is the region background the caller already painted. */
  if (!w->failed) w->ops->draw(w->priv, ctx);
}

int widget_text_box(const struct widget_ctx *ctx, const struct vt_text_style *st, SDL_Rect *inner) {
  int pad = (int)lround(st->padding_px * ctx->scale);
  *inner = (SDL_Rect){pad, pad, ctx->rect.w - 2 * pad, ctx->rect.h - 2 * pad};
  int size = (int)lround(st->size_px * ctx->scale);
  return size > 0 ? size : 1;
}

void widget_fill_rect(SDL_Renderer *r, const SDL_Rect *rect, uint32_t rgba) {
  if ((rgba & 0xff) == 0) return;
  Uint8 cr, cg, cb, ca;
  SDL_BlendMode mode;
  SDL_GetRenderDrawColor(r, &cr, &cg, &cb, &ca);
  SDL_GetRenderDrawBlendMode(r, &mode);
  SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(r, (Uint8)(rgba >> 24), (Uint8)(rgba >> 16), (Uint8)(rgba >> 8),
                         (Uint8)rgba);
  SDL_RenderFillRect(r, rect);
  SDL_SetRenderDrawColor(r, cr, cg, cb, ca);
  SDL_SetRenderDrawBlendMode(r, mode);
}
