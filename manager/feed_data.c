/* Fetched documents → snapshot data (see feed_data.h). */
#include "feed_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "currency.h"
#include "feed_parse.h"
#include "source.h"
#include "http_fetch.h"
#include "timeutil.h"
#include "vt_limits.h"
#include "weather.h"

/* jansson refuses text that is not UTF-8 (a parser's cut in the middle of a character):
 * that is the document's fault far more often than memory's. */
static enum vt_err unbuildable(struct vt_error *err) {
  return vt_error_set(err, VT_ERR_INVALID, "",
                      "the parsed document cannot be written as a snapshot (text that is not "
                      "UTF-8, or no memory)");
}

static const char *hint_of(const struct feed_document *d, char buf[64]) {
  return fetch_charset(d->content_type, buf, 64);
}

/* The news snapshot keeps what a screen shows: the first items as the feed orders them. Its
 * items borrow the feed's strings for the write. */
static json_t *news_data(const struct feed *f) {
  size_t n = f->n_items < VT_LIMIT_SNAPSHOT_NEWS_ITEMS ? f->n_items : VT_LIMIT_SNAPSHOT_NEWS_ITEMS;
  struct vt_news_item *items = calloc(n ? n : 1, sizeof *items);
  if (!items) return NULL;
  for (size_t i = 0; i < n; i++) {
    const struct feed_item *it = &f->items[i];
    items[i] = (struct vt_news_item){it->title, it->summary, it->link, it->image,
                                     it->published_ms, it->has_published};
  }
  struct vt_news news = {f->title, f->link, items, n};
  json_t *data = vt_news_to_json(&news);
  free(items);
  return data;
}

static enum vt_err build_news(const struct feed_document *doc, json_t **data,
                              struct vt_error *err) {
  char hint[64];
  struct feed *f = NULL;
  enum vt_err rc = feed_parse(doc->body, doc->len, hint_of(doc, hint), doc->url, &f, err);
  if (rc != VT_OK) return rc;
  *data = news_data(f);
  feed_free(f);
  return *data ? VT_OK : unbuildable(err);
}

static enum vt_err build_weather(const struct feed_document *doc,
                                 const struct feed_document *second,
                                 const struct feed_place *place, json_t **data,
                                 struct vt_error *err) {
  char hint[64];
  struct weather *w = weather_parse(doc->body, doc->len, hint_of(doc, hint), err);
  if (!w) return err->code;
  if (second) {
    /* the forecast carries the hours and days; the first document the observation */
    struct weather *forecast = weather_parse(second->body, second->len, hint_of(second, hint), err);
    if (!forecast) {
      weather_free(w);
      return err->code;
    }
    weather_merge(forecast, w);
    weather_free(w);
    w = forecast;
  }
  if (place && place->name && *place->name && strlen(place->name) < sizeof w->name)
    memcpy(w->name, place->name, strlen(place->name) + 1);
  if (place && isnan(w->lat) && isnan(w->lon) && !isnan(place->lat) && !isnan(place->lon)) {
    w->lat = place->lat;
    w->lon = place->lon;
  }
  *data = weather_to_json(w);
  weather_free(w);
  return *data ? VT_OK : unbuildable(err);
}

static enum vt_err build_currency(const struct feed_document *doc, json_t **data,
                                  struct vt_error *err) {
  char hint[64];
  struct currency *c = currency_parse(doc->body, doc->len, hint_of(doc, hint), err);
  if (!c) return err->code;
  *data = currency_to_json(c);
  currency_free(c);
  return *data ? VT_OK : unbuildable(err);
}

enum vt_err feed_data_build(enum vt_source_kind kind, const struct feed_document *doc,
                            const struct feed_document *second, const struct feed_place *place,
                            json_t **data, struct vt_error *err) {
  *data = NULL;
  switch (kind) {
  case VT_SOURCE_NEWS:
    return build_news(doc, data, err);
  case VT_SOURCE_WEATHER:
    return build_weather(doc, second, place, data, err);
  case VT_SOURCE_CURRENCY:
    return build_currency(doc, data, err);
  case VT_SOURCE_MENU:
    break;
  }
  return vt_error_set(err, VT_ERR_INTERNAL, "kind", "menus are not fetched");
}
