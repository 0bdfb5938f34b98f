/* weather: weather service documents (MET Norway / Met Éireann locationforecast classic XML,
 * NWS current_obs XML, NWS DWML; docs/weather.md) into one small model, and that model into
 * the `weather` snapshot data of docs/live-content.md.
 * No globals, no output: the feed fetcher calls these on its worker thread. */
#ifndef MANAGER_WEATHER_H
#define MANAGER_WEATHER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"
#include "vt_limits.h"


/* A missing number ("no temperature", NWS "NA", xsi:nil) is NAN, never 0. */
/* a place name an owner gives a feed fits whole (the API caps names at VT_LIMIT_NAME_BYTES) */
#define WEATHER_NAME_BYTES (VT_LIMIT_NAME_BYTES + 1)
#define WEATHER_TEXT_BYTES 96 /* an English condition phrase ("Slight chance rain showers") */
#define WEATHER_ICON_BYTES 24 /* an icon name of assets/weather/ ("partly-cloudy-night") */
#define WEATHER_DATE_BYTES 11 /* "2026-11-23" */
#define WEATHER_MAX_WARNINGS 4
#define WEATHER_WARNING_BYTES 160

enum weather_format {
  WEATHER_METNO,       /* MET Norway / Met Éireann locationforecast 1.8, 1.9, 2.0 classic */
  WEATHER_NWS_CURRENT, /* NWS current_obs XML */
  WEATHER_NWS_DWML,    /* NWS DWML: time-series, dwmlByDay, MapClick dwml / digitalDWML */
};

struct weather_current {
  bool present;
  int64_t time_ms;               /* observation or forecast instant, UTC */
  double temperature;            /* in units.temperature */
  char condition[WEATHER_TEXT_BYTES]; /* "" when unknown */
  char icon[WEATHER_ICON_BYTES];      /* "" when unknown */
  double wind_speed;             /* in units.wind */
  double humidity;               /* percent */
};

struct weather_hour {
  int64_t time_ms; /* start of the hour, UTC */
  double temperature;
  char condition[WEATHER_TEXT_BYTES];
  char icon[WEATHER_ICON_BYTES];
  double precipitation; /* amount in the hour from time_ms, in units.precipitation */
};

struct weather_day {
  char date[WEATHER_DATE_BYTES]; /* the place's local date (docs/weather.md: which one) */
  double min, max;
  char condition[WEATHER_TEXT_BYTES];
  char icon[WEATHER_ICON_BYTES];
};

#define WEATHER_MAX_HOURS 48 /* a day more than a panel shows, so an old snapshot still fills it */
#define WEATHER_MAX_DAYS 10  /* what MET gives; NWS gives 7 */

struct weather {
  enum weather_format format;
  char name[WEATHER_NAME_BYTES]; /* place name, "" when the document has none */
  double lat, lon;
  const char *unit_temperature;   /* "C" or "F" (static strings) */
  const char *unit_wind;          /* "m/s", "mph" or "km/h" */
  const char *unit_precipitation; /* "mm" or "in" */
  struct weather_current current;
  struct weather_hour hours[WEATHER_MAX_HOURS];
  size_t n_hours;
  struct weather_day days[WEATHER_MAX_DAYS];
  size_t n_days;
  /* The document needed XML recovery, or parts were skipped (entry counts that do not match
   * their time layout, ...): kept for `weather check`, not part of the snapshot. */
  bool recovered;
  size_t n_warnings;
  char warnings[WEATHER_MAX_WARNINGS][WEATHER_WARNING_BYTES];
};

/* Parse len bytes. charset_hint: the HTTP Content-Type charset or NULL.
 * Returns a new model (free with weather_free) or NULL with err set: VT_ERR_INVALID when the
 * bytes are not XML or not a known weather document (the message says why), VT_ERR_TOO_LARGE,
 * VT_ERR_NO_MEMORY. */
struct weather *weather_parse(const char *data, size_t len, const char *charset_hint,
                              struct vt_error *err);
void weather_free(struct weather *w);

/* NWS publishes current observations and the forecast as two documents: take current
 * conditions from obs into forecast (converting units to forecast's), keep the rest of
 * forecast. obs is only read. */
void weather_merge(struct weather *forecast, const struct weather *obs);

/* The snapshot `data` object (docs/live-content.md). New reference; NULL when out of memory. */
json_t *weather_to_json(const struct weather *w);

/* "metno-locationforecast", "nws-current-obs", "nws-dwml" */
const char *weather_format_name(enum weather_format f);

/* Icon names (the files of assets/weather/ without extension), NULL-terminated. */
extern const char *const weather_icons[];

/* Icon mappings, exposed for tests and docs/weather.md. Each returns an entry of
 * weather_icons or NULL when it does not know the code.
 * MET symbol: number (1..50, +100 = night in some legacy feeds) or code ("fair_day"). */
const char *weather_icon_metno(int number, const char *code, bool day);
/* NWS icon file or name ("nsct", "few.png", "ra80.jpg", a DualImage.php URL). */
const char *weather_icon_nws(const char *name_or_url);
/* An English weather phrase ("A Few Clouds", "Chance Rain Showers"). */
const char *weather_icon_phrase(const char *phrase, bool day);

/* Whether the sun is above the horizon (civil twilight counts as night) at lat/lon. */
bool weather_is_day(double lat, double lon, int64_t time_ms);

#endif
