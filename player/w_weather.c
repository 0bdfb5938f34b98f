/* "type": "weather": a weather snapshot (docs/live-content.md) as a panel: the current
 * conditions (icon, temperature with unit, condition), then the next `hours` hours (time in
 * the display's zone, icon, temperature) and `days` days (weekday, icon, min / max).
 *
 * Layout follows the region's shape: a wide strip (width >= 2 x height) puts the current
 * block on the start side and one column per hour and day after it; anything squarer puts the
 * current block on top and a row of hour columns, then a row of day columns, below it. For a
 * right-to-left locale (fa, ar) the whole panel is mirrored, so time runs from the right.
 *
 * Text is set at the item's size (the current temperature at twice it), shrunk by
 * text_layout where a box is too small; numbers in the locale's digits; a number the source
 * does not give (NAN) is "–", never 0. Icons are assets/weather/<icon>.svg, rasterised once
 * per name by SDL2_image and scaled by the renderer.
 *
 * Everything is laid out in prepare into textures; draw copies them. The picture depends on
 * the clock only through which hours and days are still ahead: next_change_ms returns the
 * instant the first shown hour starts (it is then past) or the next local midnight, and the
 * draw at that instant lays out again (a few milliseconds, once an hour). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "locale_fmt.h"
#include "panel.h"
#include "log.h"
#include "text_layout.h"
#include "timeutil.h"
#include "tz.h"
#include "widget.h"

#define DASH "\xe2\x80\x93" /* U+2013: a value the source does not give */
#define DEGREE "\xc2\xb0"
#define ICON_CACHE 16 /* distinct icons on one panel: 1 + 24 hours + 7 days, 15 names exist */
#define LABEL_MAX 128
#define DAY_MS 86400000LL

struct icon_entry {
  char name[64];
  SDL_Texture *tex; /* NULL: no such file (logged once) */
};

struct w_weather {
  const struct vt_item *item;
  const struct vt_snapshot *snap; /* borrowed; NULL: none yet */
  struct tz zone;
  bool zone_loaded;
  struct panel panel;
  struct icon_entry icons[ICON_CACHE];
  size_t n_icons;
  int64_t valid_until_ms; /* the layout is right before this instant */
};

static enum vt_err add_text(struct w_weather *w, const struct widget_ctx *ctx, const char *text,
                            SDL_Rect box, int px, enum vt_align align, enum vt_valign valign,
                            struct vt_error *err) {
  return panel_add_text(&w->panel, ctx, &w->item->style, text, box, px, align, valign, err);
}

/* The texture of an icon name, loaded on first use. NULL for no icon or a missing file. */
static SDL_Texture *icon_get(struct w_weather *w, const struct widget_ctx *ctx, const char *name) {
  if (!name) return NULL;
  for (size_t i = 0; i < w->n_icons; i++)
    if (strcmp(w->icons[i].name, name) == 0) return w->icons[i].tex;
  if (w->n_icons == ICON_CACHE || strlen(name) >= sizeof w->icons[0].name) return NULL;
  struct icon_entry *e = &w->icons[w->n_icons++];
  snprintf(e->name, sizeof e->name, "%s", name);
  char path[1024];
  snprintf(path, sizeof path, "%s/weather/%s.svg", fonts_assets_dir(ctx->fonts), name);
  SDL_Surface *s = IMG_Load(path);
  if (!s) {
    vt_warn("weather", "icon '%s': %s", name, IMG_GetError());
    return NULL;
  }
  e->tex = SDL_CreateTextureFromSurface(ctx->renderer, s);
  SDL_FreeSurface(s);
  if (e->tex) {
    SDL_SetTextureBlendMode(e->tex, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(e->tex, SDL_ScaleModeLinear); /* 256 px art drawn smaller */
  }
  return e->tex;
}

static enum vt_err add_icon(struct w_weather *w, const struct widget_ctx *ctx, const char *name,
                            SDL_Rect box, struct vt_error *err) {
  SDL_Texture *tex = icon_get(w, ctx, name);
  if (!tex || box.w < 1 || box.h < 1) return VT_OK;
  int side = box.w < box.h ? box.w : box.h; /* square, centred */
  SDL_Rect sq = {box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side};
  return panel_add_texture(&w->panel, tex, sq, false, err);
}

/* ---- text --------------------------------------------------------------------------------- */

/* A temperature rounded to a whole degree in the item's digits: "-3°", "۱۲°C"; "–" for NAN. */
static void temp_text(const struct w_weather *w, double v, bool unit, char *out, size_t cap) {
  if (isnan(v)) {
    snprintf(out, cap, "%s", DASH);
    return;
  }
  char num[32];
  double r = round(v);
  snprintf(num, sizeof num, "%.0f", r == 0 ? 0.0 : r); /* no "-0" */
  size_t n = locale_format_number(locale_get(w->item->locale), w->item->digits, num, out, cap);
  if (n == 0) snprintf(out, cap, "%s", num);
  const char *u = !unit ? "" : w->snap->u.weather.temp_unit == VT_TEMP_F ? "F" : "C";
  size_t len = strlen(out);
  snprintf(out + len, cap - len, DEGREE "%s", u);
}

/* The wall clock of instant ms in the display's zone, seconds since 1970 local. */
static int64_t local_seconds(const struct w_weather *w, int64_t ms, int64_t *next_change_s) {
  int64_t t = vt_floor_div(ms, 1000), next = INT64_MAX;
  long off = w->zone_loaded ? tz_offset(&w->zone, t, &next) : 0;
  if (next_change_s) *next_change_s = next;
  return t + off;
}

/* ---- layout ------------------------------------------------------------------------------ */

/* One column: label on top, icon in the middle, temperature at the bottom. */
static enum vt_err add_cell(struct w_weather *w, const struct widget_ctx *ctx, SDL_Rect cell,
                            int px, const char *label, const char *icon, const char *temp,
                            struct vt_error *err) {
  int line = px * 2; /* Arabic-script fonts need about 1.9 em per line */
  if (2 * line > cell.h * 2 / 3) line = cell.h / 3; /* a low row: text gets a third each */
  SDL_Rect top = {cell.x, cell.y, cell.w, line};
  SDL_Rect bottom = {cell.x, cell.y + cell.h - line, cell.w, line};
  int pad = cell.w / 10;
  SDL_Rect mid = {cell.x + pad, cell.y + line, cell.w - 2 * pad, cell.h - 2 * line};
  enum vt_err rc;
  if ((rc = add_text(w, ctx, label, top, px, VT_ALIGN_CENTER, VT_VALIGN_MIDDLE, err)) ||
      (rc = add_icon(w, ctx, icon, mid, err)) ||
      (rc = add_text(w, ctx, temp, bottom, px, VT_ALIGN_CENTER, VT_VALIGN_MIDDLE, err)))
    return rc;
  return VT_OK;
}

/* The current block in box: icon on the start side, temperature over condition beside it. */
static enum vt_err add_current(struct w_weather *w, const struct widget_ctx *ctx, SDL_Rect box,
                               int px, struct vt_error *err) {
  const struct vt_weather *wx = &w->snap->u.weather;
  char temp[64];
  temp_text(w, wx->has_current ? wx->current.temperature : NAN, true, temp, sizeof temp);
  int side = box.h < box.w * 2 / 5 ? box.h : box.w * 2 / 5;
  SDL_Rect icon = {box.x, box.y + (box.h - side) / 2, side, side};
  int gap = px / 2;
  SDL_Rect text = {box.x + side + gap, box.y, box.w - side - gap, box.h};
  SDL_Rect upper = {text.x, text.y, text.w, text.h * 3 / 5};
  SDL_Rect lower = {text.x, text.y + upper.h, text.w, text.h - upper.h};
  const char *cond = wx->has_current && wx->current.condition ? wx->current.condition : "";
  /* next to the icon: left, or right in a panel that panel_mirror turns around */
  bool rtl = locale_is_rtl(locale_get(w->item->locale));
  enum vt_align near = rtl ? VT_ALIGN_RIGHT : VT_ALIGN_LEFT;
  enum vt_err rc;
  if ((rc = add_icon(w, ctx, wx->has_current ? wx->current.icon : NULL, icon, err)) ||
      (rc = add_text(w, ctx, temp, upper, 2 * px, near, VT_VALIGN_BOTTOM, err)) ||
      (rc = add_text(w, ctx, cond, lower, px, near, VT_VALIGN_TOP, err)))
    return rc;
  return VT_OK;
}

static enum vt_err weather_layout(struct w_weather *w, const struct widget_ctx *ctx,
                                  struct vt_error *err) {
  panel_clear(&w->panel);
  const struct vt_item *it = w->item;
  SDL_Rect inner;
  int px = widget_text_box(ctx, &it->style, &inner);
  w->valid_until_ms = VT_TIME_MAX;
  if (inner.w < 4 || inner.h < 4) return VT_OK;
  if (!w->snap || w->snap->kind != VT_SOURCE_WEATHER) /* none yet: a quiet dash */
    return add_text(w, ctx, DASH, inner, px, VT_ALIGN_CENTER, VT_VALIGN_MIDDLE, err);

  const struct vt_weather *wx = &w->snap->u.weather;
  const struct locale_info *loc = locale_get(it->locale);
  int64_t now = ctx->now_ms, zone_next_s;
  int64_t local = local_seconds(w, now, &zone_next_s);
  int64_t off = local - vt_floor_div(now, 1000);
  int64_t today = vt_floor_div(local, 86400);
  /* Stale at the next local midnight (or zone change), when today's date moves on. */
  w->valid_until_ms = ((today + 1) * 86400 - off) * 1000;
  if (zone_next_s != INT64_MAX && zone_next_s * 1000 < w->valid_until_ms)
    w->valid_until_ms = zone_next_s * 1000;

  /* The hours still ahead, and the days from today on. */
  size_t h0 = 0, nh = 0, d0 = 0, nd = 0;
  while (h0 < wx->n_hours && wx->hours[h0].time_ms <= now) h0++;
  nh = wx->n_hours - h0;
  if (nh > (size_t)it->weather.hours) nh = (size_t)it->weather.hours;
  if (nh && wx->hours[h0].time_ms < w->valid_until_ms) w->valid_until_ms = wx->hours[h0].time_ms;
  for (; d0 < wx->n_days; d0++) {
    int y, m, d;
    sscanf(wx->days[d0].date, "%4d-%2d-%2d", &y, &m, &d); /* checked by shared/source.c */
    if (vt_days_from_civil(y, (unsigned)m, (unsigned)d) >= today) break;
  }
  nd = wx->n_days - d0;
  if (nd > (size_t)it->weather.days) nd = (size_t)it->weather.days;

  size_t cells = nh + nd;
  bool wide = inner.w >= 2 * inner.h;
  SDL_Rect cur = inner;
  if (cells && wide) {
    int cw = inner.h * 16 / 5;
    if (cw > inner.w * 9 / 20) cw = inner.w * 9 / 20;
    cur.w = cw;
  } else if (cells) {
    int ch = inner.h * 2 / 5;
    if (ch < px * 3) ch = px * 3;
    if (ch > inner.h * 11 / 20) ch = inner.h * 11 / 20;
    cur.h = ch;
  }
  enum vt_err rc = add_current(w, ctx, cur, px, err);
  if (rc || !cells) goto done;

  /* Rows (or, wide, one row) of equal columns. */
  SDL_Rect area = wide ? (SDL_Rect){inner.x + cur.w + px, inner.y, inner.w - cur.w - px, inner.h}
                       : (SDL_Rect){inner.x, inner.y + cur.h + px / 2, inner.w,
                                    inner.h - cur.h - px / 2};
  size_t rows = wide ? 1 : (nh > 0) + (nd > 0);
  int row_h = area.h / (int)rows;
  for (size_t i = 0; !rc && i < cells; i++) {
    bool is_hour = i < nh;
    size_t k = is_hour ? i : i - nh;           /* index within its group */
    size_t in_row = wide ? cells : is_hour ? nh : nd;
    size_t col = wide ? i : k;
    int row = wide ? 0 : (!is_hour && nh > 0);
    int cw = area.w / (int)in_row;
    SDL_Rect cell = {area.x + (int)col * cw, area.y + row * row_h, cw, row_h};
    char label[LABEL_MAX], temp[64]; /* lo + " / " + hi fits */
    const char *icon;
    if (is_hour) {
      const struct vt_weather_hour *h = &wx->hours[h0 + k];
      struct local_time lt = local_time_from_seconds(local_seconds(w, h->time_ms, NULL));
      if (!locale_format_time(loc, it->digits, VT_CALENDAR_GREGORIAN, "HH:mm", &lt, label,
                              sizeof label))
        snprintf(label, sizeof label, "%02d:%02d", lt.hour, lt.minute);
      temp_text(w, h->temperature, false, temp, sizeof temp);
      icon = h->icon;
    } else {
      const struct vt_weather_day *dy = &wx->days[d0 + k];
      int y, m, d;
      sscanf(dy->date, "%4d-%2d-%2d", &y, &m, &d);
      snprintf(label, sizeof label, "%s",
               loc->weekdays[weekday_from_days(vt_days_from_civil(y, (unsigned)m, (unsigned)d))]);
      char lo[24], hi[24];
      temp_text(w, dy->min, false, lo, sizeof lo);
      temp_text(w, dy->max, false, hi, sizeof hi);
      snprintf(temp, sizeof temp, "%s / %s", lo, hi);
      icon = dy->icon;
    }
    rc = add_cell(w, ctx, cell, px, label, icon, temp, err);
  }
done:
  if (!rc && locale_is_rtl(locale_get(it->locale))) panel_mirror(&w->panel, ctx->rect.w);
  return rc;
}

/* ---- ops --------------------------------------------------------------------------------- */

static enum vt_err weather_create(void *priv, const struct vt_item *item, struct vt_error *err) {
  struct w_weather *w = priv;
  (void)err;
  w->item = item;
  return VT_OK;
}

static void weather_set_source(void *priv, const struct vt_snapshot *snap) {
  struct w_weather *w = priv;
  w->snap = snap;
}

static enum vt_err weather_prepare(void *priv, const struct widget_ctx *ctx, struct vt_error *err) {
  struct w_weather *w = priv;
  if (!w->zone_loaded) { /* prepare runs again for each new snapshot: the zone stays */
    enum vt_err rc = tz_load(ctx->timezone ? ctx->timezone : "UTC", &w->zone, err);
    if (rc) return rc;
    w->zone_loaded = true;
  }
  return weather_layout(w, ctx, err);
}

static void weather_draw(void *priv, const struct widget_ctx *ctx) {
  struct w_weather *w = priv;
  if (ctx->now_ms >= w->valid_until_ms) {
    /* An hour went by (or a day): once per change. On failure what was laid out so far stays. */
    struct vt_error err = {0};
    if (weather_layout(w, ctx, &err)) vt_warn("weather", "layout: %s", err.message);
  }
  widget_fill_rect(ctx->renderer, &ctx->rect, w->item->style.background);
  panel_draw(&w->panel, ctx->renderer, &ctx->rect);
}

static int64_t weather_next_change(void *priv, int64_t now_ms) {
  struct w_weather *w = priv;
  return now_ms >= w->valid_until_ms ? now_ms : w->valid_until_ms;
}

static void weather_destroy(void *priv) {
  struct w_weather *w = priv;
  panel_free(&w->panel);
  for (size_t i = 0; i < w->n_icons; i++)
    if (w->icons[i].tex) SDL_DestroyTexture(w->icons[i].tex);
  if (w->zone_loaded) tz_free(&w->zone);
}

const struct vt_widget_ops w_weather = {
    .type = "weather",
    .priv_size = sizeof(struct w_weather),
    .create = weather_create,
    .prepare = weather_prepare,
    .draw = weather_draw,
    .next_change_ms = weather_next_change,
    .set_source = weather_set_source,
    .destroy = weather_destroy,
};
