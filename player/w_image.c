/* "type": "image": a still picture from media/<sha256>, fitted (contain, cover, stretch)
 * and centred in its region. Decoded and scaled once in prepare; draw is a 1:1 copy. */
#include <SDL_image.h>
#include <string.h>

#include "fsutil.h"
#include "widget.h"

struct w_image {
  char media[VT_SHA256_HEX_LEN + 1];
  enum vt_fit fit;
  SDL_Texture *texture;
  SDL_Rect place; /* where the texture goes, relative to the region's top-left corner */
};

static enum vt_err image_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_image *w = priv;
  (void)err;
  memcpy(w->media, item->media, sizeof w->media);
  w->fit = item->fit;
  return VT_OK;
}

/* The image's rectangle in a w x h box, relative to the box. */
static SDL_Rect fit_rect(enum vt_fit fit, int img_w, int img_h, int w, int h) {
  if (fit == VT_FIT_STRETCH) return (SDL_Rect){0, 0, w, h};
  double sx = (double)w / img_w, sy = (double)h / img_h;
  double s = fit == VT_FIT_COVER ? (sx > sy ? sx : sy) : (sx < sy ? sx : sy);
  int pw = (int)(img_w * s + 0.5), ph = (int)(img_h * s + 0.5);
  if (pw < 1) pw = 1;
  if (ph < 1) ph = 1;
  return (SDL_Rect){(w - pw) / 2, (h - ph) / 2, pw, ph};
}

/* A copy of src scaled to w x h, made once with the renderer's linear filter so that draw
 * is a plain copy and a huge photo does not stay in memory at full size. NULL if the
 * renderer cannot draw to a texture (then src is drawn scaled each time). */
static SDL_Texture *scaled_copy(SDL_Renderer *r, SDL_Texture *src, int w, int h) {
  SDL_Texture *dst = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
  if (!dst) return NULL;
  SDL_Texture *old_target = SDL_GetRenderTarget(r);
  Uint8 cr, cg, cb, ca;
  SDL_GetRenderDrawColor(r, &cr, &cg, &cb, &ca);
  SDL_Rect old_clip;
  SDL_bool clipped = SDL_RenderIsClipEnabled(r);
  SDL_RenderGetClipRect(r, &old_clip);
  if (SDL_SetRenderTarget(r, dst) != 0) {
    SDL_DestroyTexture(dst);
    return NULL;
  }
  SDL_RenderSetClipRect(r, NULL);
  SDL_SetRenderDrawColor(r, 0, 0, 0, 0);
  SDL_RenderClear(r);
  SDL_SetTextureBlendMode(src, SDL_BLENDMODE_NONE); /* keep the image's own alpha */
  SDL_RenderCopy(r, src, NULL, NULL);
  SDL_SetRenderTarget(r, old_target);
  SDL_RenderSetClipRect(r, clipped ? &old_clip : NULL);
  SDL_SetRenderDrawColor(r, cr, cg, cb, ca);
  return dst;
}

static enum vt_err image_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_image *w = priv;
  char path[4096];
  if (!vt_path_join(path, sizeof path, ctx->media_dir, w->media))
    return vt_error_set(err, VT_ERR_INVALID, "", "media path too long");
  SDL_Surface *img = IMG_Load(path);
  if (!img)
    return vt_error_set(err, VT_ERR_CORRUPT, "", "media %.12s: %s", w->media, IMG_GetError());
  SDL_Texture *full = SDL_CreateTextureFromSurface(ctx->renderer, img);
  int img_w = img->w, img_h = img->h;
  SDL_FreeSurface(img);
  if (!full)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "media %.12s: %s", w->media, SDL_GetError());
  SDL_SetTextureScaleMode(full, SDL_ScaleModeLinear);
  w->place = fit_rect(w->fit, img_w, img_h, ctx->rect.w, ctx->rect.h);
  SDL_Texture *scaled = NULL;
  if (w->place.w != img_w || w->place.h != img_h)
    scaled = scaled_copy(ctx->renderer, full, w->place.w, w->place.h);
  if (scaled) {
    SDL_DestroyTexture(full);
    full = scaled;
  }
  SDL_SetTextureBlendMode(full, SDL_BLENDMODE_BLEND);
  w->texture = full;
  return VT_OK;
}

static void image_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_image *w = priv;
  SDL_Rect dst = {ctx->rect.x + w->place.x, ctx->rect.y + w->place.y, w->place.w, w->place.h};
  SDL_RenderCopy(ctx->renderer, w->texture, NULL, &dst);
}

static void image_destroy(void *priv) {
  struct w_image *w = priv;
  if (w->texture) SDL_DestroyTexture(w->texture);
}

const struct vt_widget_ops w_image = {
    .type = "image",
    .priv_size = sizeof(struct w_image),
    .create = image_create,
    .prepare = image_prepare,
    .draw = image_draw,
    .destroy = image_destroy,
};
