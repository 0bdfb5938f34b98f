/* "type": "clock": the time and/or date in the item's zone (else the display's), in the
 * item's locale, digits and calendar (locale_fmt.c, jalali.c).
 *
 * Time zones: localtime_r depends on the process-global TZ, and changing TZ per widget is
 * neither thread-safe nor cheap; tz.c reads the zone once, in prepare, and answers offsets
 * with no libc time zone state involved.
 *
 * Redraws: the text is laid out again only when it changes, i.e. at the next second (format
 * with ss) or minute, or at a zone transition; next_change_ms tells the loop that instant so
 * it sleeps until then. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locale_fmt.h"
#include "text_layout.h"
#include "timeutil.h"
#include "tz.h"
#include "widget.h"

#define TEXT_MAX 512

/* ---- the widget -------------------------------------------------------------------------- */

struct w_clock {
  const struct vt_item *item;
  struct tz zone;
  int step_s; /* 1 with seconds in the format, else 60 */
  struct text_layout *layout;
  int64_t shown_from_ms, shown_until_ms; /* the instants the laid-out text is right for */
  SDL_Rect inner;
  int size_px;
};

static enum vt_err clock_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_clock *w = priv;
  (void)err;
  w->item = item;
  const char *fmt = item->clock.format ? item->clock.format : VT_CLOCK_FORMAT_DEFAULT;
  w->step_s = locale_format_has_seconds(fmt) ? 1 : 60;
  return VT_OK;
}

/* The text for now_ms, and the span of instants it stays the same. */
static size_t clock_text(struct w_clock *w, int64_t now_ms, char *out, size_t cap, int64_t *from,
                         int64_t *until) {
  const struct vt_item *it = w->item;
  int64_t t = vt_floor_div(now_ms, 1000), next_tr;
  long off = tz_offset(&w->zone, t, &next_tr);
  int64_t local = t + off;
  int64_t start = local - vt_floor_mod(local, w->step_s); /* local start of this second/minute */
  *from = (start - off) * 1000;
  *until = (start + w->step_s - off) * 1000;
  if (next_tr != INT64_MAX && next_tr * 1000 < *until) *until = next_tr * 1000;
  struct local_time lt = local_time_from_seconds(local);
  return locale_format_time(locale_get(it->locale), it->digits, it->clock.calendar,
                            it->clock.format ? it->clock.format : VT_CLOCK_FORMAT_DEFAULT, &lt,
                            out, cap);
}

static enum vt_err clock_layout(struct w_clock *w, const struct widget_ctx *ctx,
                                struct vt_error *err) {
  char text[TEXT_MAX];
  int64_t from, until;
  clock_text(w, ctx->now_ms, text, sizeof text, &from, &until);
  struct text_layout *tl = NULL;
  enum vt_err rc = text_layout_new(ctx->renderer, ctx->fonts, text, &w->item->style, w->size_px,
                                   w->inner.w, w->inner.h, &tl, err);
  if (rc) return rc;
  text_layout_free(w->layout);
  w->layout = tl;
  w->shown_from_ms = from;
  w->shown_until_ms = until;
  return VT_OK;
}

static enum vt_err clock_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_clock *w = priv;
  const char *zone = w->item->clock.timezone ? w->item->clock.timezone
                     : ctx->timezone           ? ctx->timezone
                                               : "UTC";
  enum vt_err rc = tz_load(zone, &w->zone, err);
  if (rc) return rc;
  w->size_px = widget_text_box(ctx, &w->item->style, &w->inner);
  return clock_layout(w, ctx, err);
}

static void clock_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_clock *w = priv;
  if (ctx->now_ms < w->shown_from_ms || ctx->now_ms >= w->shown_until_ms) {
    /* A new second or minute: once per change, a few milliseconds. On failure the old text
     * stays up rather than a blank clock. */
    struct vt_error err = {0};
    (void)clock_layout(w, ctx, &err);
  }
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  SDL_Rect box = {ctx->rect.x + w->inner.x, ctx->rect.y + w->inner.y, w->inner.w, w->inner.h};
  if (w->layout) text_layout_draw(w->layout, ctx->renderer, &box);
}

static int64_t clock_next_change(void *priv, int64_t now_ms) {
  struct w_clock *w = priv;
  if (now_ms < w->shown_from_ms || now_ms >= w->shown_until_ms) return now_ms; /* stale now */
  return w->shown_until_ms;
}

static void clock_destroy(void *priv) {
  struct w_clock *w = priv;
  text_layout_free(w->layout);
  tz_free(&w->zone);
}

const struct vt_widget_ops w_clock = {
    .type = "clock",
    .priv_size = sizeof(struct w_clock),
    .create = clock_create,
    .prepare = clock_prepare,
    .draw = clock_draw,
    .next_change_ms = clock_next_change,
    .destroy = clock_destroy,
};
