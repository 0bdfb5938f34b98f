/* weather.c against the real service files of ../shared/testdata/weather: every XML file is
 * parsed and compared with the facts in its NAME.expected.json (schema in that README).
 * The comparison counts matches per field and prints them; the bar is every field of every
 * supported file. Exceptions, each asserted to behave as stated:
 *  - eccc-citypage-*: Environment Canada is not supported; it must be rejected as such.
 *  - format null (wrong root): must be rejected.
 * Then the icon mappings, the sun, the JSON shape, the merge, and hostile input. */
#define _GNU_SOURCE /* strptime, timegm */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "test_util.h"
#include "timeutil.h"
#include "source.h"
#include "weather.h"

#define DIR VT_SHARED_TESTDATA_DIR "/weather"

/* ---- per-field tally ---- */

#define MAX_FIELDS 32
static struct {
  const char *name;
  int match, total;
} fields[MAX_FIELDS];
static int n_fields;
static const char *current_file;

static void tally(const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void tally(const char *name, bool ok, const char *fmt, ...) {
  int i = 0;
  while (i < n_fields && strcmp(fields[i].name, name) != 0) i++;
  if (i == n_fields) {
    assert_true(n_fields < MAX_FIELDS);
    fields[n_fields++].name = name;
  }
  fields[i].total++;
  if (ok) {
    fields[i].match++;
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  print_message("MISMATCH %s: %s: %s\n", current_file, name, msg);
}

/* Expected number (null = absent) against ours (NAN = absent). */
static bool same_num(const json_t *want, double got, double tol) {
  if (!want || json_is_null(want)) return isnan(got);
  if (!json_is_number(want)) return isnan(got); /* "NA" placeholders: missing */
  return !isnan(got) && fabs(json_number_value(want) - got) <= tol;
}

static void tally_num(const char *name, const json_t *want, double got, double tol) {
  char w[64] = "null";
  if (json_is_number(want)) snprintf(w, sizeof w, "%g", json_number_value(want));
  else if (json_is_string(want)) snprintf(w, sizeof w, "\"%s\"", json_string_value(want));
  tally(name, same_num(want, got, tol), "want %s, got %g", w, got);
}

static int64_t rfc3339(const char *s) {
  int64_t t = 0;
  if (!s || !vt_time_parse(s, &t)) fail_msg("%s: bad time \"%s\"", current_file, s ? s : "");
  return t;
}

static void tally_time(const char *name, const json_t *want, int64_t got) {
  int64_t t = rfc3339(json_string_value(want));
  char g[VT_RFC3339_MAX];
  vt_time_format(got, g);
  tally(name, t == got, "want %s, got %s", json_string_value(want), g);
}

/* Whatever the parser makes of a real service document (what `weather check` prints as
 * "data", and what the fetcher stores) is a valid snapshot: the parser writes null for what
 * a source does not give, and the snapshot model (shared/source.c) must take it. */
static void check_snapshot_data(const char *what, const json_t *data) {
  struct vt_error err = {0};
  if (vt_snapshot_check_data(VT_SOURCE_WEATHER, data, "data", &err) != VT_OK) {
    char *d = json_dumps(data, JSON_COMPACT);
    fail_msg("%s: the parser's output is refused: %s (%s)\n%.600s", what, err.message, err.field,
             d ? d : "");
  }
}

static bool is_icon(const char *s) {
  for (const char *const *i = weather_icons; *i; i++)
    if (strcmp(*i, s) == 0) return true;
  return false;
}

/* What an icon must start with for the MET numbers in the files (the legend, by hand). */
static const char *met_family(int number) {
  switch (number) {
  case 1: return "clear-";
  case 2: case 3: return "partly-cloudy-";
  case 4: return "cloudy";
  case 5: case 40: return "showers-";
  case 41: case 10: return "heavy-rain";
  case 9: case 46: return "rain";
  case 13: case 49: case 50: return "snow";
  case 15: return "fog";
  default: return NULL;
  }
}

static void check_symbol(const char *field, const json_t *sym, const char *icon,
                         const char *condition) {
  if (json_is_null(sym)) {
    tally(field, !icon[0] && !condition[0], "want no symbol, got \"%s\"", icon);
    return;
  }
  int number = (int)json_integer_value(json_object_get(sym, "number"));
  const char *fam = met_family(number);
  bool ok = is_icon(icon) && condition[0] && (!fam || strncmp(icon, fam, strlen(fam)) == 0);
  /* 2.0 classic codes carry day/night: ours must agree */
  const char *code = json_string_value(json_object_get(sym, "code"));
  if (ok && code && strstr(code, "_night")) ok = strstr(icon, "-night") != NULL;
  if (ok && code && strstr(code, "_day")) ok = strstr(icon, "-day") != NULL || !strchr(icon, '-');
  tally(field, ok, "symbol %d %s -> icon \"%s\" condition \"%s\"", number, code ? code : "",
        icon, condition);
}

static void compare_metno(const struct weather *w, const json_t *e) {
  const json_t *loc = json_object_get(e, "location");
  tally_num("location.lat", json_object_get(loc, "latitude"), w->lat, 1e-4);
  tally_num("location.lon", json_object_get(loc, "longitude"), w->lon, 1e-4);
  tally("units", strcmp(w->unit_temperature, "C") == 0 && strcmp(w->unit_wind, "m/s") == 0 &&
                     strcmp(w->unit_precipitation, "mm") == 0, "%s %s %s", w->unit_temperature,
        w->unit_wind, w->unit_precipitation);
  const json_t *fi = json_object_get(e, "first_instant");
  tally("current.present", w->current.present, "no current");
  tally_time("current.time", json_object_get(fi, "time"), w->current.time_ms);
  tally_num("current.temperature", json_object_get(fi, "temperature_c"), w->current.temperature,
            1e-9);
  tally_num("current.wind_speed", json_object_get(fi, "wind_speed_mps"), w->current.wind_speed,
            1e-9);
  tally_num("current.humidity", json_object_get(fi, "humidity_percent"), w->current.humidity,
            1e-9);
  check_symbol("current.icon", json_object_get(fi, "symbol_next"), w->current.icon,
               w->current.condition);
  const json_t *steps = json_object_get(e, "first_steps");
  size_t i;
  json_t *st;
  int64_t t0 = rfc3339(json_string_value(json_object_get(fi, "time")));
  json_array_foreach(steps, i, st) {
    /* hours cover WEATHER_MAX_HOURS from the first instant (edge-small jumps 4 days) */
    int64_t t = rfc3339(json_string_value(json_object_get(st, "time")));
    if (t - t0 >= (int64_t)WEATHER_MAX_HOURS * 3600000) {
      tally("hours[].beyond", i >= w->n_hours || w->hours[i].time_ms != t, "hour %zu kept", i);
      continue;
    }
    if (i >= w->n_hours) {
      tally("hours[].time", false, "only %zu hours", w->n_hours);
      continue;
    }
    const struct weather_hour *h = &w->hours[i];
    tally_time("hours[].time", json_object_get(st, "time"), h->time_ms);
    tally_num("hours[].temperature", json_object_get(st, "temperature_c"), h->temperature, 1e-9);
    const json_t *sym = json_object_get(st, "symbol_next");
    tally_num("hours[].precipitation", json_object_get(sym, "precipitation_mm"),
              h->precipitation, 1e-9);
    check_symbol("hours[].icon", sym, h->icon, h->condition);
  }
  /* days: one per local date, min <= max, in date order */
  bool ok = w->n_days > 0;
  for (size_t d = 0; d < w->n_days; d++) {
    const struct weather_day *day = &w->days[d];
    if (isnan(day->min) != isnan(day->max) || (!isnan(day->min) && day->min > day->max)) ok = false;
    if (d > 0 && strcmp(w->days[d - 1].date, day->date) >= 0) ok = false;
  }
  /* every instant has a temperature except in the empty-location file: then no day */
  bool no_temps = json_is_null(json_object_get(fi, "temperature_c"));
  tally("days", no_temps ? w->n_days == 0 : ok, "%zu days", w->n_days);
}

static void compare_current_obs(const struct weather *w, const json_t *e) {
  tally("location.name",
        strcmp(w->name, json_string_value(json_object_get(e, "location"))) == 0, "got \"%s\"",
        w->name);
  tally_num("location.lat", json_object_get(e, "latitude"), w->lat, 1e-6);
  tally_num("location.lon", json_object_get(e, "longitude"), w->lon, 1e-6);
  tally("units", strcmp(w->unit_temperature, "F") == 0 && strcmp(w->unit_wind, "mph") == 0,
        "%s %s", w->unit_temperature, w->unit_wind);
  /* the observation time, read here with the C library's parser */
  const char *rfc = json_string_value(json_object_get(e, "observation_time_rfc822"));
  struct tm tm = {0};
  assert_non_null(strptime(rfc, "%a, %d %b %Y %H:%M:%S %z", &tm));
  long gmtoff = tm.tm_gmtoff; /* timegm resets it */
  int64_t want = ((int64_t)timegm(&tm) - gmtoff) * 1000;
  tally("current.time", w->current.time_ms == want, "want %lld got %lld", (long long)want,
        (long long)w->current.time_ms);
  tally_num("current.temperature", json_object_get(e, "temp_f"), w->current.temperature, 1e-9);
  tally_num("current.wind_speed", json_object_get(e, "wind_mph"), w->current.wind_speed, 1e-9);
  tally_num("current.humidity", json_object_get(e, "relative_humidity"), w->current.humidity,
            1e-9);
  tally("current.condition",
        strcmp(w->current.condition, json_string_value(json_object_get(e, "weather"))) == 0,
        "got \"%s\"", w->current.condition);
  tally("current.icon", is_icon(w->current.icon), "got \"%s\"", w->current.icon);
  tally("hours/days", w->n_hours == 0 && w->n_days == 0, "an observation has no forecast");
}

static const json_t *dwml_param(const json_t *data, const char *element, const char *type) {
  size_t i;
  json_t *p;
  json_array_foreach(json_object_get(data, "parameters"), i, p) {
    const char *t = json_string_value(json_object_get(p, "type"));
    if (strcmp(json_string_value(json_object_get(p, "element")), element) == 0 &&
        (!type || (t && strcmp(t, type) == 0)) &&
        strcmp(json_string_value(json_object_get(p, "applicable_location")), "point1") == 0)
      return p;
  }
  return NULL;
}

static const json_t *dwml_layout(const json_t *data, const json_t *param) {
  const char *key = json_string_value(json_object_get(param, "time_layout"));
  size_t i;
  json_t *l;
  json_array_foreach(json_object_get(data, "time_layouts"), i, l)
    if (key && strcmp(json_string_value(json_object_get(l, "key")), key) == 0) return l;
  return NULL;
}

/* The expected daily values (non-null, in order) against ours (the days that have one). */
static void compare_daily(const json_t *data, const struct weather *w, const char *type,
                          bool max) {
  const json_t *p = dwml_param(data, "temperature", type);
  if (!p) return;
  const char *field = max ? "days[].max" : "days[].min";
  size_t got = 0, i;
  json_t *v;
  json_array_foreach(json_object_get(p, "first"), i, v) {
    if (json_is_null(v)) continue;
    while (got < w->n_days && isnan(max ? w->days[got].max : w->days[got].min)) got++;
    if (got == w->n_days) {
      tally(field, false, "only %zu days", w->n_days);
      return;
    }
    tally_num(field, v, max ? w->days[got].max : w->days[got].min, 1e-9);
    got++;
  }
}

static void compare_dwml(const struct weather *w, const json_t *e) {
  const json_t *fc = NULL, *obs = NULL;
  size_t i;
  json_t *d;
  json_array_foreach(json_object_get(e, "data"), i, d) {
    const char *type = json_string_value(json_object_get(d, "type"));
    if (type && strcmp(type, "current observations") == 0) obs = obs ? obs : d;
    else fc = fc ? fc : d;
  }
  assert_non_null(fc);
  const json_t *loc = json_array_get(json_object_get(fc, "locations"), 0);
  tally_num("location.lat", json_object_get(loc, "latitude"), w->lat, 1e-6);
  tally_num("location.lon", json_object_get(loc, "longitude"), w->lon, 1e-6);
  const char *desc = json_string_value(json_object_get(loc, "description"));
  tally("location.name", strcmp(w->name, desc ? desc : "") == 0, "want \"%s\" got \"%s\"",
        desc ? desc : "", w->name);
  /* units: the first temperature's (none given: Fahrenheit) */
  const json_t *t0 = dwml_param(fc, "temperature", NULL);
  const char *tu = t0 ? json_string_value(json_object_get(t0, "units")) : NULL;
  tally("units", strcmp(w->unit_temperature, tu && strcmp(tu, "Celsius") == 0 ? "C" : "F") == 0,
        "got %s", w->unit_temperature);

  compare_daily(fc, w, "maximum", true);
  compare_daily(fc, w, "minimum", false);
  const json_t *hourly = dwml_param(fc, "temperature", "hourly");
  if (hourly) {
    const json_t *lay = dwml_layout(fc, hourly);
    const json_t *qpf = dwml_param(fc, "hourly-qpf", NULL);
    json_t *v;
    json_array_foreach(json_object_get(hourly, "first"), i, v) {
      if (i >= w->n_hours) {
        tally("hours[].time", false, "only %zu hours", w->n_hours);
        break;
      }
      tally_time("hours[].time",
                 json_object_get(json_array_get(json_object_get(lay, "first"), i), "start"),
                 w->hours[i].time_ms);
      tally_num("hours[].temperature", v, w->hours[i].temperature, 1e-9);
      if (qpf && !json_is_true(json_object_get(qpf, "count_mismatch")))
        tally_num("hours[].precipitation", json_array_get(json_object_get(qpf, "first"), i),
                  w->hours[i].precipitation, 1e-9);
      tally("hours[].icon", is_icon(w->hours[i].icon) && w->hours[i].condition[0],
            "hour %zu: icon \"%s\" condition \"%s\"", i, w->hours[i].icon,
            w->hours[i].condition);
    }
  } else {
    tally("hours", w->n_hours == 0, "no hourly temperature, yet %zu hours", w->n_hours);
  }
  for (size_t k = 0; k < w->n_days; k++)
    tally("days[].icon", !w->days[k].condition[0] || is_icon(w->days[k].icon),
          "day %s: condition \"%s\" icon \"%s\"", w->days[k].date, w->days[k].condition,
          w->days[k].icon);

  tally("current.present", w->current.present == (obs != NULL), "present %d",
        w->current.present);
  if (!obs) return;
  const json_t *ta = dwml_param(obs, "temperature", "apparent");
  tally_num("current.temperature", json_array_get(json_object_get(ta, "first"), 0),
            w->current.temperature, 1e-9);
  const json_t *hu = dwml_param(obs, "humidity", "relative");
  tally_num("current.humidity", json_array_get(json_object_get(hu, "first"), 0),
            w->current.humidity, 1e-9);
  const json_t *ws = dwml_param(obs, "wind-speed", "sustained");
  json_t *kt = json_array_get(json_object_get(ws, "first"), 0);
  assert_string_equal(json_string_value(json_object_get(ws, "units")), "knots");
  json_t *mph = json_real(json_number_value(kt) * 1852.0 / 1609.344);
  tally_num("current.wind_speed", mph, w->current.wind_speed, 0.01);
  json_decref(mph);
  const json_t *wx = dwml_param(obs, "weather", NULL);
  const char *summary = json_string_value(json_array_get(json_object_get(wx, "first"), 0));
  tally("current.condition", summary && strcmp(w->current.condition, summary) == 0,
        "got \"%s\"", w->current.condition);
  tally("current.icon", is_icon(w->current.icon), "got \"%s\"", w->current.icon);
  const json_t *tl = json_array_get(json_object_get(obs, "time_layouts"), 0);
  tally_time("current.time", json_object_get(json_array_get(json_object_get(tl, "first"), 0),
                                             "start"),
             w->current.time_ms);
}

static void test_corpus(void **state) {
  (void)state;
  size_t n;
  char **files = test_list_files(DIR, ".xml", &n);
  int parsed = 0, rejected_ok = 0, with_null = 0;
  for (size_t f = 0; f < n; f++) {
    current_file = strrchr(files[f], '/') + 1;
    char exp_path[1024];
    snprintf(exp_path, sizeof exp_path, "%.*s.expected.json", (int)(strlen(files[f]) - 4),
             files[f]);
    json_t *e = test_load_json(exp_path);
    const char *format = json_string_value(json_object_get(e, "format"));
    size_t len;
    char *xml = test_read_file(files[f], &len);
    struct vt_error err = {0};
    struct weather *w = weather_parse(xml, len, NULL, &err);
    if (!format || strcmp(format, "eccc-citypage") == 0) {
      /* exceptions: not a weather document / not supported */
      tally("rejected", !w && err.code == VT_ERR_INVALID, "parsed a %s document",
            format ? format : "non-weather");
      if (!w) rejected_ok++;
      print_message("%-62s rejected: %s\n", current_file, err.message);
    } else if (!w) {
      tally("parsed", false, "%s", err.message);
    } else {
      parsed++;
      tally("parsed", true, "ok");
      tally("format", strcmp(weather_format_name(w->format), format) == 0, "got %s",
            weather_format_name(w->format));
      tally("recovered", !w->recovered, "%s",
            w->n_warnings ? w->warnings[0] : "recovered"); /* Malibu: white space stripped */
      if (strcmp(format, "metno-locationforecast") == 0) compare_metno(w, e);
      else if (strcmp(format, "nws-current-obs") == 0) compare_current_obs(w, e);
      else compare_dwml(w, e);
      json_t *j = weather_to_json(w);
      assert_non_null(j);
      check_snapshot_data(current_file, j);
      char *dump = json_dumps(j, JSON_COMPACT);
      if (strstr(dump, ":null")) with_null++;
      free(dump);
      json_decref(j);
      print_message("%-62s %s: %zu hours, %zu days, current %s, %zu warnings\n", current_file,
                    weather_format_name(w->format), w->n_hours, w->n_days,
                    w->current.present ? "yes" : "no", w->n_warnings);
    }
    weather_free(w);
    free(xml);
    json_decref(e);
  }
  int bad = 0;
  print_message("per field (match/total):\n");
  for (int i = 0; i < n_fields; i++) {
    print_message("  %-24s %3d/%d\n", fields[i].name, fields[i].match, fields[i].total);
    bad += fields[i].total - fields[i].match;
  }
  print_message("%d files parsed, %d rejected as expected (wrong root, Environment Canada)\n",
                parsed, rejected_ok);
  test_free_list(files, n);
  assert_int_equal(parsed, 15);
  assert_int_equal(rejected_ok, 2);
  assert_true(with_null >= 1); /* the parser's nulls reach the snapshot check */
  assert_int_equal(bad, 0); /* the bar: every compared field of every supported file */
}

/* ---- mappings ---- */

static void test_icons(void **state) {
  (void)state;
  assert_string_equal(weather_icon_metno(1, NULL, true), "clear-day");
  assert_string_equal(weather_icon_metno(1, NULL, false), "clear-night");
  assert_string_equal(weather_icon_metno(101, NULL, true), "clear-night");
  assert_string_equal(weather_icon_metno(2, "fair_night", true), "partly-cloudy-night");
  assert_string_equal(weather_icon_metno(3, "partlycloudy_polartwilight", false),
                      "partly-cloudy-day");
  /* 2.0 classic: id="LightRain" number="9" code="rain"; id="Rain" number="10" heavyrain */
  assert_string_equal(weather_icon_metno(9, "rain", true), "rain");
  assert_string_equal(weather_icon_metno(10, "heavyrain", true), "heavy-rain");
  assert_string_equal(weather_icon_metno(46, NULL, true), "rain");
  assert_string_equal(weather_icon_metno(12, NULL, true), "sleet");
  assert_string_equal(weather_icon_metno(0, "lightssnowshowersandthunder_day", true), "thunder");
  assert_string_equal(weather_icon_metno(15, NULL, false), "fog");
  assert_null(weather_icon_metno(99, NULL, true));
  assert_null(weather_icon_metno(0, "nosuchcode_day", true));

  assert_string_equal(weather_icon_nws("nsct"), "partly-cloudy-night");
  assert_string_equal(weather_icon_nws("few.png"), "partly-cloudy-day");
  assert_string_equal(weather_icon_nws("skc.jpg"), "clear-day");
  assert_string_equal(weather_icon_nws("nskc.png"), "clear-night");
  assert_string_equal(weather_icon_nws("http://www.nws.noaa.gov/weather/images/fcicons/ra80.jpg"),
                      "rain");
  assert_string_equal(weather_icon_nws("https://forecast.weather.gov/newimages/medium/nbkn.png"),
                      "cloudy");
  /* a split icon shows its first half unless only that half is a low chance */
  assert_string_equal(
      weather_icon_nws("https://forecast.weather.gov/DualImage.php?i=nsct&j=nshra&jp=20"),
      "partly-cloudy-night");
  assert_string_equal(
      weather_icon_nws("https://forecast.weather.gov/DualImage.php?i=hi_ntsra&j=nwind_skc&ip=20"),
      "wind");
  assert_string_equal(weather_icon_nws("hi_ntsra"), "thunder");
  assert_string_equal(weather_icon_nws("https://api.weather.gov/icons/land/night/sct?size=medium"),
                      "partly-cloudy-night");
  assert_null(weather_icon_nws("https://example.invalid/unknown.png"));
  assert_null(weather_icon_nws(""));

  assert_string_equal(weather_icon_phrase("Partly Cloudy then Slight Chance Showers", true),
                      "partly-cloudy-day");
  assert_string_equal(weather_icon_phrase("Windy. Slight Chance T-storms then Clear", true),
                      "thunder");
  assert_string_equal(weather_icon_phrase("Light Snow Fog/Mist", true), "snow");
  assert_string_equal(weather_icon_phrase("Mostly Cloudy", false), "cloudy");
  assert_string_equal(weather_icon_phrase("A Few Clouds", false), "partly-cloudy-night");
  assert_string_equal(weather_icon_phrase("Fair", true), "clear-day");
  assert_string_equal(weather_icon_phrase("Freezing Rain", true), "sleet");
  assert_string_equal(weather_icon_phrase("Chance rain showers", false), "showers-night");
  assert_string_equal(weather_icon_phrase("Areas blowing dust", true), "haze");
  assert_null(weather_icon_phrase("", true));
  assert_null(weather_icon_phrase("Xyzzy", true));
}

/* Every icon name has its file in assets/weather/ (.svg or .png). */
static void test_icon_files(void **state) {
  (void)state;
  int n = 0;
  for (const char *const *i = weather_icons; *i; i++, n++) {
    char svg[512], png[512];
    snprintf(svg, sizeof svg, "%s/weather/%s.svg", VT_ASSETS_DIR, *i);
    snprintf(png, sizeof png, "%s/weather/%s.png", VT_ASSETS_DIR, *i);
    struct stat st;
    if (stat(svg, &st) != 0 && stat(png, &st) != 0) fail_msg("no icon file for %s", *i);
  }
  assert_true(n >= 10);
  struct stat st;
  assert_int_equal(stat(VT_ASSETS_DIR "/weather/LICENSE.md", &st), 0);
}

static void test_sun(void **state) {
  (void)state;
  int64_t t;
  /* Oslo: noon in June is day, midnight in December night; Sydney the other way round at
   * 12:00 UTC (22:00 local) in June */
  assert_true(vt_time_parse("2024-06-21T11:00:00Z", &t));
  assert_true(weather_is_day(59.91, 10.75, t));
  assert_false(weather_is_day(-33.87, 151.21, t));
  assert_true(vt_time_parse("2024-12-21T23:00:00Z", &t));
  assert_false(weather_is_day(59.91, 10.75, t));
  /* midnight sun at Tromsø in June, polar night at noon in December */
  assert_true(vt_time_parse("2024-06-21T22:00:00Z", &t));
  assert_true(weather_is_day(69.65, 18.96, t));
  assert_true(vt_time_parse("2024-12-21T11:00:00Z", &t));
  assert_false(weather_is_day(69.65, 18.96, t));
}

static struct weather *parse_file(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", DIR, name);
  size_t len;
  char *xml = test_read_file(path, &len);
  struct vt_error err = {0};
  struct weather *w = weather_parse(xml, len, NULL, &err);
  free(xml);
  if (!w) fail_msg("%s: %s", name, err.message);
  return w;
}

/* The snapshot data object has exactly the members of docs/live-content.md, and a missing
 * temperature is null, not 0. */
static void test_json_shape(void **state) {
  (void)state;
  struct weather *w = parse_file("metno-locationforecast-edge-empty-location.xml");
  json_t *j = weather_to_json(w);
  assert_non_null(j);
  assert_int_equal(json_object_size(j), 5);
  json_t *loc = json_object_get(j, "location"), *units = json_object_get(j, "units");
  assert_true(json_is_null(json_object_get(loc, "name")));
  assert_true(json_is_number(json_object_get(loc, "lat")));
  assert_string_equal(json_string_value(json_object_get(units, "temperature")), "C");
  assert_string_equal(json_string_value(json_object_get(units, "wind")), "m/s");
  assert_string_equal(json_string_value(json_object_get(units, "precipitation")), "mm");
  json_t *cur = json_object_get(j, "current");
  assert_int_equal(json_object_size(cur), 6);
  assert_string_equal(json_string_value(json_object_get(cur, "time")), "2012-01-19T10:00:00Z");
  assert_true(json_is_null(json_object_get(cur, "temperature")));
  assert_true(json_is_null(json_object_get(cur, "icon")));
  json_t *h0 = json_array_get(json_object_get(j, "hours"), 0);
  assert_int_equal(json_object_size(h0), 5);
  assert_true(json_is_null(json_object_get(h0, "temperature")));
  assert_int_equal(json_array_size(json_object_get(j, "days")), 0);
  json_decref(j);
  weather_free(w);

  w = parse_file("nws-dwml-mapclick-dwml-austin-2023.xml");
  j = weather_to_json(w);
  json_t *d0 = json_array_get(json_object_get(j, "days"), 0);
  assert_int_equal(json_object_size(d0), 5);
  /* Monday 27 Feb: the low of "Tonight" (59) and Monday's high (82), sunny icon */
  assert_string_equal(json_string_value(json_object_get(d0, "date")), "2023-02-27");
  assert_true(json_number_value(json_object_get(d0, "min")) == 59);
  assert_true(json_number_value(json_object_get(d0, "max")) == 82);
  assert_string_equal(json_string_value(json_object_get(d0, "condition")), "Becoming Sunny");
  assert_string_equal(json_string_value(json_object_get(d0, "icon")), "partly-cloudy-day");
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "units"), "wind")),
                      "mph");
  json_decref(j);
  weather_free(w);
}

/* MET 2.0 classic, first hours: the instant's own symbol is the 1-hour period that starts
 * at it, not the periods printed right after it (which end at it). */
static void test_metno_order(void **state) {
  (void)state;
  struct weather *w = parse_file("metno-locationforecast-2.0-classic-60.10N9.58E-2023.xml");
  assert_true(w->n_hours >= 24);
  assert_string_equal(w->hours[3].icon, "partly-cloudy-day"); /* 16:00 PartlyCloud */
  assert_string_equal(w->hours[3].condition, "Partly cloudy");
  assert_true(w->n_days >= 7 && w->n_days <= WEATHER_MAX_DAYS);
  assert_string_equal(w->days[0].date, "2023-07-27");
  for (size_t i = 0; i < w->n_days; i++) assert_true(w->days[i].icon[0] != '\0');
  weather_free(w);
}

/* NWS observations merged into a forecast in other units. */
static void test_merge(void **state) {
  (void)state;
  struct weather *fc = parse_file("nws-dwml-ndfd-time-series-colorado-2024.xml");
  struct weather *obs = parse_file("nws-current-KDCA-2021.xml");
  assert_false(fc->current.present);
  assert_string_equal(fc->unit_temperature, "C");
  weather_merge(fc, obs);
  assert_true(fc->current.present);
  assert_true(fabs(fc->current.temperature - (-2.2222)) < 0.001); /* 28 F */
  assert_true(fabs(fc->current.wind_speed - 8.1 * 0.44704) < 0.001);
  assert_string_equal(fc->current.condition, "A Few Clouds");
  /* as the fetcher stores a forecast with its observation */
  json_t *data = weather_to_json(fc);
  check_snapshot_data("colorado forecast + KDCA observation", data);
  json_decref(data);
  weather_free(fc);
  weather_free(obs);
}

static void expect_invalid(const char *xml, const char *why) {
  struct vt_error err = {0};
  struct weather *w = weather_parse(xml, strlen(xml), NULL, &err);
  if (w) fail_msg("parsed: %s", why);
  assert_int_equal(err.code, VT_ERR_INVALID);
  assert_true(err.message[0] != '\0');
}

static void test_hostile(void **state) {
  (void)state;
  expect_invalid("", "empty");
  expect_invalid("   \n", "white space");
  expect_invalid("this is not xml", "text");
  expect_invalid("<rss version=\"2.0\"><channel/></rss>", "a news feed");
  expect_invalid("<weatherdata><product/></weatherdata>", "no instants");
  expect_invalid("<siteData/>", "Environment Canada");
  /* an entity bomb is refused by xml_safe, not expanded */
  expect_invalid("<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                 "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                 "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                 "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                 "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                 "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
                 "<current_observation><weather>&g;</weather></current_observation>",
                 "billion laughs");

  /* "NA" everywhere and odd numbers: missing, not 0 */
  const char *na = "<current_observation><temp_f>NA</temp_f><wind_mph> </wind_mph>"
                   "<relative_humidity>1e999</relative_humidity><weather>Fair</weather>"
                   "<observation_time_rfc822>garbage</observation_time_rfc822>"
                   "</current_observation>";
  struct vt_error err = {0};
  struct weather *w = weather_parse(na, strlen(na), NULL, &err);
  assert_non_null(w);
  assert_true(isnan(w->current.temperature) && isnan(w->current.wind_speed) &&
              isnan(w->current.humidity));
  assert_string_equal(w->current.icon, "clear-day");
  assert_true(w->n_warnings >= 1);
  json_t *j = weather_to_json(w);
  assert_true(json_is_null(json_object_get(json_object_get(j, "current"), "time")));
  json_decref(j);
  weather_free(w);

  /* a MET document cut in the middle: recovered as far as it goes, marked so */
  size_t len;
  char *xml = test_read_file(DIR "/metno-locationforecast-1.9-oslo-2017.xml", &len);
  w = weather_parse(xml, len / 2, NULL, &err);
  assert_non_null(w);
  assert_true(w->recovered);
  assert_true(w->n_hours > 10);
  weather_free(w);
  free(xml);

  /* many more <time> elements than any real document: capped, not quadratic forever */
  size_t cap = 6000 * 200 + 200;
  char *big = malloc(cap), *p = big;
  p += sprintf(p, "<weatherdata><product>");
  for (int i = 0; i < 6000; i++) {
    char t[VT_RFC3339_MAX];
    vt_time_format((int64_t)i * 3600000, t);
    p += sprintf(p, "<time from=\"%s\" to=\"%s\"><location latitude=\"1\" longitude=\"1\">"
                    "<temperature value=\"%d\"/></location></time>", t, t, i % 40);
  }
  p += sprintf(p, "</product></weatherdata>");
  int64_t t0 = vt_mono_ms();
  w = weather_parse(big, (size_t)(p - big), NULL, &err);
  assert_non_null(w);
  assert_int_equal(w->n_hours, WEATHER_MAX_HOURS);
  assert_true(w->n_warnings >= 1);
  print_message("6000 instants: %lld ms\n", (long long)(vt_mono_ms() - t0));
  weather_free(w);
  free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus),     cmocka_unit_test(test_icons),
      cmocka_unit_test(test_icon_files), cmocka_unit_test(test_sun),
      cmocka_unit_test(test_json_shape), cmocka_unit_test(test_metno_order),
      cmocka_unit_test(test_merge),      cmocka_unit_test(test_hostile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
