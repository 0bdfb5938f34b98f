/* Widgets: what draws one item in one region. Each item type has one file (w_image.c,
 * w_text.c, ...) exporting one const struct vt_widget_ops; widget.c lists them and maps
 * enum vt_item_type to ops. A widget only sees struct widget_ctx, never the player.
 *
 * Life of a widget (all on the render thread): when its item is about to come on screen
 * (or is the next one in its region), widget_new runs create then prepare, which build
 * every texture it needs once; draw then runs for each frame that is redrawn, which on a
 * static screen is almost never; destroy runs when the item is off screen and not next. */
#ifndef PLAYER_WIDGET_H
#define PLAYER_WIDGET_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fonts.h"
#include "manifest.h"
#include "source.h"
#include "vt_err.h"

/* The narrow view of the player a widget gets. Everything is borrowed for the call. */
struct widget_ctx {
  SDL_Renderer *renderer;
  struct fonts *fonts;
  const char *media_dir; /* media/<sha256> files of the playing manifest */
  SDL_Rect rect;         /* the region, in output pixels */
  double scale;          /* output pixels per canvas pixel (sizes in the manifest are canvas) */
  int64_t now_ms;        /* wall clock, UTC: the instant being drawn */
  const char *timezone;  /* the display's IANA zone (manifest), set for create/prepare by
                            scene_need; NULL in draw: a widget that needs it keeps it */
};

struct vt_widget_ops {
  /* The item type's name in the manifest ("image"). */
  const char *type;
  /* Bytes of private state; widget.c allocates them zeroed and passes them as priv. */
  size_t priv_size;
  /* Required. Bind priv to item: copy settings, no file or SDL work. item is borrowed until
   * destroy (it lives in the playing manifest, which outlives its widgets). */
  enum vt_err (*create)(void *priv, const struct vt_item *item, struct vt_error *err);
  /* Optional. Build what draw needs for ctx->rect's size (decode, shape, make textures).
   * Runs once, after create succeeded and before the first draw; may take milliseconds,
   * never runs per frame. On error, draw is never called: the region shows its fallback. */
  enum vt_err (*prepare)(void *priv, const struct widget_ctx *ctx, struct vt_error *err);
  /* Required. Draw into ctx->rect; the caller has set the clip rect to it and painted the
   * region background. Must be cheap (copy textures) and must restore any renderer state
   * it changes (draw colour, blend mode, clip rect, target). */
  void (*draw)(void *priv, const struct widget_ctx *ctx);
  /* Optional (absent: a static picture, VT_TIME_MAX). The first instant after now_ms at
   * which draw would paint something different: a clock's next second or minute. An
   * animating widget (ticker) returns now_ms itself: the loop then draws every frame, at the
   * display's refresh, while the widget is on screen. Cheap; called once per loop turn. */
  int64_t (*next_change_ms)(void *priv, int64_t now_ms);
  /* Optional; types with a "source" (ticker, weather, currency, menu). The item's source has
   * a snapshot: snap (NULL: none yet, e.g. a first start offline), borrowed until the next
   * set_source or destroy. Called once after create, before prepare, with the snapshot the
   * player holds, and again whenever a new one arrives while the widget lives; after such a
   * later call the core runs prepare again, so set_source only stores and prepare lays out
   * (a ticker keeps its old strip until the seam). Never called for other widgets. */
  void (*set_source)(void *priv, const struct vt_snapshot *snap);
  /* Optional. Free what create and prepare made (not priv itself). Runs even when create
   * or prepare failed, so it must cope with a partly built priv. */
  void (*destroy)(void *priv);
};

/* The widgets, one per w_*.c file. */
extern const struct vt_widget_ops w_image;
extern const struct vt_widget_ops w_text;
extern const struct vt_widget_ops w_ticker;
extern const struct vt_widget_ops w_clock;
extern const struct vt_widget_ops w_weather;
extern const struct vt_widget_ops w_currency;
extern const struct vt_widget_ops w_menu;

/* The ops for an item type; NULL if none is registered. */
const struct vt_widget_ops *widget_ops_for(enum vt_item_type type);

struct widget;

/* A widget for item (borrowed until widget_free), created and prepared for ctx; a widget
 * with a source gets snap (NULL: none yet) through set_source after create, before prepare.
 * A widget whose create or prepare fails is still returned: it has logged why (naming
 * `where`, the region) and draws the fallback, the region background. NULL only when out of
 * memory. */
struct widget *widget_new(const struct vt_item *item, const struct widget_ctx *ctx,
                          const char *where, const struct vt_snapshot *snap);
void widget_free(struct widget *w); /* NULL is a no-op */

/* set_source then prepare again for ctx (the size it was made for). False when the widget
 * takes no source or its create failed; a prepare that fails leaves it showing its fallback
 * until the next snapshot or retry. */
bool widget_set_source(struct widget *w, const struct vt_snapshot *snap,
                       const struct widget_ctx *ctx);
/* Widget prepares run so far in this process (render thread), for --events: a test proves
 * with it that a snapshot re-prepares only the widgets that show it. */
unsigned long widget_prepare_count(void);

bool widget_failed(const struct widget *w);
const struct vt_item *widget_item(const struct widget *w);

/* When w's picture next changes after now_ms (see next_change_ms); VT_TIME_MAX if never. */
int64_t widget_next_change_ms(const struct widget *w, int64_t now_ms);

/* Draw w (its fallback if it failed). */
void widget_draw(struct widget *w, const struct widget_ctx *ctx);

/* Helper for widgets and the frame: fill rect with a 0xRRGGBBAA colour, blended, leaving
 * the renderer's draw colour and blend mode as they were. Nothing for alpha 0. */
void widget_fill_rect(SDL_Renderer *r, const SDL_Rect *rect, uint32_t rgba);
/* Text widgets' geometry: *inner, the region inside st's padding (relative to the region's
 * top left), and the return value, st's size in output pixels (at least 1). Sizes in the
 * manifest are canvas pixels; text is laid out at output resolution so it stays sharp. */
int widget_text_box(const struct widget_ctx *ctx, const struct vt_text_style *st, SDL_Rect *inner);

#endif
