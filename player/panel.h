/* A panel: texts laid out once and textures, each placed in a box of a widget's region; the
 * shared drawing of the weather panel and the currency board, which lay out many small
 * pieces in prepare and only copy them in draw. */
#ifndef PLAYER_PANEL_H
#define PLAYER_PANEL_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "text_layout.h"
#include "vt_err.h"
#include "widget.h"

struct panel_piece {
  struct text_layout *text; /* owned; or */
  SDL_Texture *tex;         /* borrowed (the widget's icon or arrow) */
  bool flip;                /* tex drawn mirrored left to right */
  SDL_Rect box;             /* relative to the region's top left */
};

struct panel {
  struct panel_piece *v;
  size_t n, cap;
};

void panel_clear(struct panel *p); /* drops the pieces; keeps the array for the next layout */
void panel_free(struct panel *p);

/* text in box at px (at most the box's height; text_layout shrinks what does not fit), with
 * base's colour, weight and font and the given alignment; no background or padding, since
 * the widget paints its region once under everything. Empty text or a box too small for
 * any is skipped rather than failing the widget. */
enum vt_err panel_add_text(struct panel *p, const struct widget_ctx *ctx,
                           const struct vt_text_style *base, const char *text, SDL_Rect box,
                           int px, enum vt_align align, enum vt_valign valign,
                           struct vt_error *err) VT_WARN_UNUSED;
/* tex (NULL: skipped) in box. */
enum vt_err panel_add_texture(struct panel *p, SDL_Texture *tex, SDL_Rect box, bool flip,
                              struct vt_error *err) VT_WARN_UNUSED;
/* Turn the layout around inside a region of width region_w (right-to-left locales). */
void panel_mirror(struct panel *p, int region_w);
void panel_draw(const struct panel *p, SDL_Renderer *r, const SDL_Rect *region);

#endif
