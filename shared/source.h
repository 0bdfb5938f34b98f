/* A source's snapshot document (docs/live-content.md, "Snapshot document"): what the player
 * fetches from /api/v1/player/sources/<key>, caches, and hands to the widgets. This file and
 * source.c are the only code that reads or writes it. Parsing validates everything (kinds,
 * ranges, limits, no unknown members), so a widget can trust every field; the manager checks
 * what it stores and serves with the same code. A struct vt_snapshot owns all its memory. */
#ifndef VT_SOURCE_H
#define VT_SOURCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "vt_err.h"
#include "vt_limits.h"

/* Numbers a source may not give are NAN (JSON null). */
struct vt_news_item {
  char *title, *summary, *link; /* "" when the feed has none */
  char *image;                  /* URL or NULL */
  int64_t published_ms;         /* valid when has_published */
  bool has_published;
};
struct vt_news {
  char *title, *link;
  struct vt_news_item *items;
  size_t n_items;
};

enum vt_temp_unit { VT_TEMP_C, VT_TEMP_F };
enum vt_wind_unit { VT_WIND_MS, VT_WIND_MPH, VT_WIND_KMH };
enum vt_precip_unit { VT_PRECIP_MM, VT_PRECIP_IN };
struct vt_weather_hour {
  int64_t time_ms;
  double temperature;
  char *condition, *icon;
  double precipitation; /* NAN: not given */
};
struct vt_weather_day {
  char date[11]; /* "YYYY-MM-DD" */
  double min, max;
  char *condition, *icon;
};
struct vt_weather {
  char *location_name;
  double lat, lon;
  enum vt_temp_unit temp_unit;
  enum vt_wind_unit wind_unit;
  enum vt_precip_unit precip_unit;
  bool has_current;
  struct {
    int64_t time_ms; /* INT64_MIN: not given (JSON null) */
    double temperature;
    char *condition, *icon;
    double wind_speed, humidity; /* NAN: not given */
  } current;
  struct vt_weather_hour *hours;
  size_t n_hours;
  struct vt_weather_day *days;
  size_t n_days;
};

struct vt_rate {
  char code[VT_CURRENCY_CODE_LEN];
  double rate; /* units of code per one base */
};
struct vt_currency {
  char *source;  /* "ECB" */
  char date[11]; /* "YYYY-MM-DD" */
  char base[VT_CURRENCY_CODE_LEN];
  struct vt_rate *rates; /* sorted by code */
  size_t n_rates;
};

struct vt_menu_item {
  int64_t id;
  char *name, *description;
  char *price;    /* a decimal string (vt_price_valid) */
  char *currency; /* a label: "EUR", "تومان", "" */
  char image[VT_SHA256_HEX_LEN + 1]; /* "" when none */
  bool sold_out;
};
struct vt_menu_section {
  int64_t id;
  char *name;
  struct vt_menu_item *items;
  size_t n_items;
};
struct vt_menu {
  char *name;
  struct vt_menu_section *sections;
  size_t n_sections;
};

struct vt_snapshot {
  char key[VT_SOURCE_KEY_MAX];
  enum vt_source_kind kind;
  int64_t version; /* >= 1 */
  int64_t updated_ms;
  union { /* by kind */
    struct vt_news news;
    struct vt_weather weather;
    struct vt_currency currency;
    struct vt_menu menu;
  } u;
};

extern const struct vt_choice vt_temp_unit_choices[];
extern const struct vt_choice vt_wind_unit_choices[];
extern const struct vt_choice vt_precip_unit_choices[];

/* A price as menus write it: 1..VT_LIMIT_PRICE_INT_DIGITS digits, optionally '.' and
 * 1..VT_LIMIT_PRICE_FRAC_DIGITS digits; no sign, no exponent, no grouping. */
bool vt_price_valid(const char *s);

/* Parse and fully validate a document. On error *out is NULL and err names the field. */
enum vt_err vt_snapshot_parse(const char *json, size_t len, struct vt_snapshot **out,
                              struct vt_error *err) VT_WARN_UNUSED;
enum vt_err vt_snapshot_from_json(const json_t *root, struct vt_snapshot **out,
                                  struct vt_error *err) VT_WARN_UNUSED;
/* Check a "data" member of the given kind alone (path names it in errors, e.g. "data"). */
enum vt_err vt_snapshot_check_data(enum vt_source_kind kind, const json_t *data, const char *path,
                                   struct vt_error *err) VT_WARN_UNUSED;

/* A news snapshot's "data" object (NULL only when out of memory): the one writer of it, for
 * the manager's fetcher as for vt_snapshot_to_json. */
json_t *vt_news_to_json(const struct vt_news *n);

/* New JSON object (NULL only when out of memory); parse(to_json(s)) equals s. */
json_t *vt_snapshot_to_json(const struct vt_snapshot *s);
void vt_snapshot_free(struct vt_snapshot *s); /* NULL is a no-op */

#endif
