#include "scene.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

#include "render.h"
#include "timeutil.h"

/* On screen plus next, per region. */
#define SCENE_MAX (2 * VT_LIMIT_REGIONS)

struct scene_entry {
  struct widget *widget;
  int width, height; /* the region size it was prepared for */
  /* What it was prepared with, to prepare it again for a new snapshot. Its pointers live
   * as long as the widget: renderer and fonts until scene_clear, media dir and zone with
   * the manifest, which is replaced only after scene_clear. */
  struct widget_ctx ctx;
  int64_t made_ms;   /* when it was made, for retrying failures */
  bool needed;       /* named by scene_need in this pass */
};

struct scene {
  struct scene_entry entries[SCENE_MAX];
  size_t n;
};

struct scene *scene_new(void) {
  return calloc(1, sizeof(struct scene));
}

void scene_clear(struct scene *s) {
  for (size_t i = 0; i < s->n; i++) widget_free(s->entries[i].widget);
  s->n = 0;
}

void scene_free(struct scene *s) {
  if (!s) return;
  scene_clear(s);
  free(s);
}

void scene_begin(struct scene *s) {
  for (size_t i = 0; i < s->n; i++) s->entries[i].needed = false;
}

static struct scene_entry *find_entry(const struct scene *s, const struct vt_item *item, int w,
                                      int h) {
  for (size_t i = 0; i < s->n; i++) {
    const struct scene_entry *e = &s->entries[i];
    if (widget_item(e->widget) == item && e->width == w && e->height == h)
      return (struct scene_entry *)e;
  }
  return NULL;
}

static void remove_entry(struct scene *s, struct scene_entry *e) {
  widget_free(e->widget);
  *e = s->entries[--s->n];
}

bool scene_need(struct scene *s, struct render *r, const struct vt_timeline_frame *f,
                const char *media_dir, const char *timezone, int64_t now_ms,
                const struct sources *src) {
  bool made = false;
  for (size_t i = 0; i < f->n_regions; i++) {
    const struct vt_region_now *rn = &f->regions[i];
    if (!rn->item) continue;
    struct widget_ctx ctx;
    render_widget_ctx(r, f->layout, rn->region, media_dir, now_ms, &ctx);
    ctx.timezone = timezone;
    struct scene_entry *e = find_entry(s, rn->item, ctx.rect.w, ctx.rect.h);
    if (e && widget_failed(e->widget) && now_ms - e->made_ms >= SCENE_RETRY_MS) {
      remove_entry(s, e);
      e = NULL;
    }
    if (!e) {
      /* Full only when the last pass's widgets are all stale (the clock jumped): those
       * not named yet in this pass can go now rather than at the sweep. */
      if (s->n == SCENE_MAX) scene_sweep(s);
      if (VT_NEVER(s->n == SCENE_MAX)) continue;
      const struct vt_snapshot *snap = src ? sources_get(src, rn->item->source) : NULL;
      struct widget *w = widget_new(rn->item, &ctx, rn->region->name, snap);
      if (!w) continue; /* out of memory: the region shows its background */
      e = &s->entries[s->n++];
      *e = (struct scene_entry){w, ctx.rect.w, ctx.rect.h, ctx, now_ms, false};
      made = true;
    }
    e->needed = true;
  }
  return made;
}

size_t scene_set_source(struct scene *s, const struct vt_snapshot *snap, int64_t now_ms) {
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    struct scene_entry *e = &s->entries[i];
    const struct vt_item *it = widget_item(e->widget);
    if (!it->source || strcmp(it->source, snap->key) != 0) continue;
    e->ctx.now_ms = now_ms; /* the instant it is laid out for; draw gets its own */
    if (widget_set_source(e->widget, snap, &e->ctx)) n++;
  }
  return n;
}

void scene_sweep(struct scene *s) {
  for (size_t i = s->n; i-- > 0;)
    if (!s->entries[i].needed) remove_entry(s, &s->entries[i]);
}

struct widget *scene_find(const struct scene *s, const struct vt_item *item, int width,
                          int height) {
  struct scene_entry *e = find_entry(s, item, width, height);
  return e ? e->widget : NULL;
}

int64_t scene_next_change_ms(const struct scene *s, struct render *r,
                             const struct vt_timeline_frame *f, int64_t now_ms,
                             struct scene_change *out, size_t max, size_t *n) {
  int64_t next = VT_TIME_MAX;
  if (n) *n = 0;
  for (size_t i = 0; f->layout && i < f->n_regions; i++) {
    const struct vt_region_now *rn = &f->regions[i];
    if (!rn->item) continue;
    struct widget_ctx ctx;
    render_widget_ctx(r, f->layout, rn->region, NULL, now_ms, &ctx);
    const struct widget *w = scene_find(s, rn->item, ctx.rect.w, ctx.rect.h);
    int64_t t = w ? widget_next_change_ms(w, now_ms) : VT_TIME_MAX;
    if (t < next) next = t;
    if (t != VT_TIME_MAX && n) {
      if (*n < max) out[*n] = (struct scene_change){ctx.rect, t};
      ++*n;
    }
  }
  return next;
}

int64_t scene_next_retry_ms(const struct scene *s) {
  int64_t next = VT_TIME_MAX;
  for (size_t i = 0; i < s->n; i++)
    if (widget_failed(s->entries[i].widget) && s->entries[i].made_ms + SCENE_RETRY_MS < next)
      next = s->entries[i].made_ms + SCENE_RETRY_MS;
  return next;
}
