/* The widgets alive on the render thread: one per item on screen, plus one per item due
 * next in each region, so a change of item only copies textures that already exist.
 * A pass names what it needs (scene_begin, scene_need...) and scene_sweep frees the rest.
 * Widgets borrow items from the playing manifest: scene_clear before freeing it. */
#ifndef PLAYER_SCENE_H
#define PLAYER_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "sources.h"
#include "timeline.h"
#include "widget.h"

/* A widget that failed (unreadable image, missing font) is tried again after this long:
 * long enough that a persistent failure costs nothing, short enough that a fixed file or
 * font shows up without waiting for the next item. */
#define SCENE_RETRY_MS 30000

struct render;
struct scene;

struct scene *scene_new(void);    /* NULL when out of memory */
void scene_free(struct scene *s); /* NULL is a no-op */

/* Free every widget (manifest replaced, output recreated). */
void scene_clear(struct scene *s);

/* Start a pass: every widget is unneeded until scene_need names it. */
void scene_begin(struct scene *s);

/* Make sure every item of f has a widget prepared for its region's size on r's output:
 * create the missing ones (an item with a source gets its snapshot from src, which may be
 * NULL), and re-create one that failed at least SCENE_RETRY_MS ago. True if it made a
 * widget. */
bool scene_need(struct scene *s, struct render *r, const struct vt_timeline_frame *f,
                const char *media_dir, const char *timezone, int64_t now_ms,
                const struct sources *src);

/* A new snapshot of snap->key (borrowed until the next one of that key, or scene_clear):
 * every widget whose item shows that key, and only those, gets it and is prepared again
 * for the region it was made for, at now_ms. Returns how many. */
size_t scene_set_source(struct scene *s, const struct vt_snapshot *snap, int64_t now_ms);

/* A region of the output whose widget draws something new from at_ms on. */
struct scene_change {
  SDL_Rect rect;
  int64_t at_ms;
};

/* The earliest instant after now_ms at which a widget on screen in f draws something new
 * (widget_next_change_ms); now_ms itself when one animates; VT_TIME_MAX when all are
 * static. With out, each region that will change is listed too (the first max of them;
 * *n counts them all), so the next frame can redraw only those. */
int64_t scene_next_change_ms(const struct scene *s, struct render *r,
                             const struct vt_timeline_frame *f, int64_t now_ms,
                             struct scene_change *out, size_t max, size_t *n);

/* Free the widgets no scene_need named since scene_begin. */
void scene_sweep(struct scene *s);

/* The widget for item at a region of width x height output pixels; NULL if none (out of
 * memory, or not needed in this pass). Borrowed until the next scene call. */
struct widget *scene_find(const struct scene *s, const struct vt_item *item, int width, int height);

/* When the earliest failed widget is due for a retry; VT_TIME_MAX if none failed. */
int64_t scene_next_retry_ms(const struct scene *s);

#endif
