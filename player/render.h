/* The output: an SDL window (full screen, or --windowed WxH) or, headless, a software
 * renderer on a memory surface that needs no video driver. It maps the layout canvas onto
 * the output keeping the aspect ratio (black bars), clips each region, and draws a frame
 * from the scene's widgets. Render thread only. */
#ifndef PLAYER_RENDER_H
#define PLAYER_RENDER_H

#include <SDL.h>
#include <stdbool.h>

#include "fonts.h"
#include "scene.h"
#include "timeline.h"
#include "vt_err.h"
#include "widget.h"

struct render_config {
  bool headless;
  int width, height; /* 0 x 0: full screen, or headless the canvas size of the layout */
};

struct render;

/* SDL must be initialised (with video unless headless). fonts is borrowed. */
enum vt_err render_new(const struct render_config *cfg, struct fonts *fonts, struct render **out,
                       struct vt_error *err) VT_WARN_UNUSED;
/* NULL is a no-op. Every texture of the renderer dies with it: free widgets first. */
void render_free(struct render *r);

SDL_Renderer *render_renderer(const struct render *r);

/* True if showing a canvas of w x h needs a new output: only headless without a fixed
 * size, whose output is the canvas. The new output has a new renderer, so the caller frees
 * its widgets (scene_clear) before calling render_resize. */
bool render_needs_resize(const struct render *r, int w, int h);
enum vt_err render_resize(struct render *r, int w, int h, struct vt_error *err) VT_WARN_UNUSED;

/* The widget context for region reg of layout l on the current output. */
void render_widget_ctx(const struct render *r, const struct vt_layout *l,
                       const struct vt_region *reg, const char *media_dir, int64_t now_ms,
                       struct widget_ctx *out);

/* Draw f: black bars, the layout background, then each region in order, clipped, with its
 * background and its item's widget from s. f->layout must not be NULL. With damage (output
 * pixels), only inside it, over the last frame: what moved, and whatever lies under and over
 * it; only where render_keeps_frame. */
void render_frame(struct render *r, const struct vt_timeline_frame *f, struct scene *s,
                  const char *media_dir, int64_t now_ms, const SDL_Rect *damage);

/* Does the output keep the last frame's pixels until they are drawn over? True for the
 * headless software surface; a window's back buffer is undefined after a present. */
bool render_keeps_frame(const struct render *r);

/* The calm screen shown when there is nothing to play: dark, status in small text. */
void render_waiting(struct render *r, const char *status);

void render_present(struct render *r);

#endif
