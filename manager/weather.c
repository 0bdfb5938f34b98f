/* weather.c: three families of weather XML into struct weather (weather.h, docs/weather.md).
 *
 * The document goes through xml_safe_read (no network, no DTD, bounded entities); the root
 * element picks the reader. Each reader fills a flat series of forecast points (instant,
 * temperature, condition, icon, precipitation, local date and hour), and one function turns
 * a series into the model's hours and, where the source has no daily values, its days.
 * Every number that the document does not give (absent element, "NA", xsi:nil) is NAN, so
 * "no temperature" never reads as 0 degrees. */
#include "weather.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed_date.h"
#include "json.h"
#include "timeutil.h"
#include "xml_safe.h"

/* Bounds on what one document may make us hold or compare; real documents have a few
 * hundred time steps (MET: ~220 <time>, NWS digital: 168 hours x 12 parameters). */
#define MAX_STEPS 2000     /* MET instants and periods */
#define MAX_ENTRIES 512    /* DWML times per layout: 168 hours and then some */
#define MAX_LAYOUTS 64     /* DWML time layouts in one <data> */
#define MAX_PARAMS 128     /* DWML parameters for one location */
#define HOUR_MS 3600000LL
#define DAY_MS (24 * HOUR_MS)

const char *const weather_icons[] = {
    "clear-day", "clear-night", "partly-cloudy-day", "partly-cloudy-night", "cloudy", "fog",
    "haze", "wind", "rain", "heavy-rain", "showers-day", "showers-night", "sleet", "snow",
    "thunder", NULL};

const char *weather_format_name(enum weather_format f) {
  switch (f) {
  case WEATHER_METNO: return "metno-locationforecast";
  case WEATHER_NWS_CURRENT: return "nws-current-obs";
  case WEATHER_NWS_DWML: return "nws-dwml";
  }
  return "unknown";
}

/* ---- small text helpers ---- */

/* Copy src into dst (size bytes), cut at a UTF-8 character boundary. */
static void copy_utf8(char *dst, size_t size, const char *src) {
  size_t n = strlen(src);
  if (n >= size) {
    n = size - 1;
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Drop a last UTF-8 character that snprintf cut short. */
static void utf8_trim_tail(char *s) {
  size_t n = strlen(s), i = n;
  while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
  if (i == 0) return;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (n - (i - 1) < want) s[i - 1] = '\0';
}

static void warn(struct weather *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct weather *w, const char *fmt, ...) {
  if (w->n_warnings >= WEATHER_MAX_WARNINGS) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->warnings[w->n_warnings++], WEATHER_WARNING_BYTES, fmt, ap);
  va_end(ap);
}

/* Trimmed text into buf; false when the node is absent or the text empty. */
static bool node_text(const xmlNode *n, char *buf, size_t size) {
  buf[0] = '\0';
  if (!n) return false;
  char *t = xml_safe_text(n);
  if (!t) return false;
  char *s = t;
  while (isspace((unsigned char)*s)) s++;
  size_t len = strlen(s);
  while (len > 0 && isspace((unsigned char)s[len - 1])) s[--len] = '\0';
  copy_utf8(buf, size, s);
  xmlFree(t);
  return buf[0] != '\0';
}

/* Attribute by local name, whatever its namespace (xmlGetProp ignores namespaces). */
static bool attr(const xmlNode *n, const char *name, char *buf, size_t size) {
  buf[0] = '\0';
  if (!n) return false;
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return false;
  copy_utf8(buf, size, (const char *)v);
  xmlFree(v);
  return true;
}

/* A whole-string number; NAN for "", "NA", "N/A" or anything else that is not one. */
static double num(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  if (!*s) return NAN;
  char *end;
  double v = strtod(s, &end);
  while (isspace((unsigned char)*end)) end++;
  if (*end || end == s || !isfinite(v)) return NAN;
  return v;
}

static double attr_num(const xmlNode *n, const char *name) {
  char buf[64];
  return attr(n, name, buf, sizeof buf) ? num(buf) : NAN;
}

static double text_num(const xmlNode *n) {
  char buf[64];
  return node_text(n, buf, sizeof buf) ? num(buf) : NAN;
}

static bool has_prefix_ci(const char *s, const char *p) {
  return strncasecmp(s, p, strlen(p)) == 0;
}

/* ---- the sun, for day and night icons where the source does not say ---- */

bool weather_is_day(double lat, double lon, int64_t time_ms) {
  /* The low-precision solar coordinates of the Astronomical Almanac (about 0.01 degree
   * between 1950 and 2050): plenty to pick a sun or a moon icon. */
  const double rad = M_PI / 180.0;
  double d = (double)time_ms / 86400000.0 - 10957.5; /* days since 2000-01-01 12:00 UT */
  double g = fmod(357.529 + 0.98560028 * d, 360.0) * rad;
  double q = fmod(280.459 + 0.98564736 * d, 360.0);
  double l = (q + 1.915 * sin(g) + 0.020 * sin(2 * g)) * rad;
  double e = (23.439 - 0.00000036 * d) * rad;
  double ra = atan2(cos(e) * sin(l), cos(l));
  double dec = asin(sin(e) * sin(l));
  double gmst = fmod(18.697374558 + 24.06570982441908 * d, 24.0) * 15.0 * rad;
  double ha = gmst + lon * rad - ra;
  double alt = asin(sin(lat * rad) * sin(dec) + cos(lat * rad) * cos(dec) * cos(ha));
  return alt > 0;
}

/* ---- icon mappings ---- */

/* MET Norway symbols: the legend's "Old ID" (1.x symbol@number), the 2.0 code without its
 * _day/_night/_polartwilight suffix, the English name, and our icon (day form; "~" marks the
 * icons that have a night form). Source: metno/weathericons weather/legend.csv. */
struct met_symbol {
  int number;
  const char *code, *english, *icon;
};
static const struct met_symbol met_symbols[] = {
    {1, "clearsky", "Clear sky", "clear~"},
    {2, "fair", "Fair", "partly-cloudy~"},
    {3, "partlycloudy", "Partly cloudy", "partly-cloudy~"},
    {4, "cloudy", "Cloudy", "cloudy"},
    {40, "lightrainshowers", "Light rain showers", "showers~"},
    {5, "rainshowers", "Rain showers", "showers~"},
    {41, "heavyrainshowers", "Heavy rain showers", "heavy-rain"},
    {24, "lightrainshowersandthunder", "Light rain showers and thunder", "thunder"},
    {6, "rainshowersandthunder", "Rain showers and thunder", "thunder"},
    {25, "heavyrainshowersandthunder", "Heavy rain showers and thunder", "thunder"},
    {42, "lightsleetshowers", "Light sleet showers", "sleet"},
    {7, "sleetshowers", "Sleet showers", "sleet"},
    {43, "heavysleetshowers", "Heavy sleet showers", "sleet"},
    {26, "lightssleetshowersandthunder", "Light sleet showers and thunder", "thunder"},
    {20, "sleetshowersandthunder", "Sleet showers and thunder", "thunder"},
    {27, "heavysleetshowersandthunder", "Heavy sleet showers and thunder", "thunder"},
    {44, "lightsnowshowers", "Light snow showers", "snow"},
    {8, "snowshowers", "Snow showers", "snow"},
    {45, "heavysnowshowers", "Heavy snow showers", "snow"},
    {28, "lightssnowshowersandthunder", "Light snow showers and thunder", "thunder"},
    {21, "snowshowersandthunder", "Snow showers and thunder", "thunder"},
    {29, "heavysnowshowersandthunder", "Heavy snow showers and thunder", "thunder"},
    {46, "lightrain", "Light rain", "rain"},
    {9, "rain", "Rain", "rain"},
    {10, "heavyrain", "Heavy rain", "heavy-rain"},
    {30, "lightrainandthunder", "Light rain and thunder", "thunder"},
    {22, "rainandthunder", "Rain and thunder", "thunder"},
    {11, "heavyrainandthunder", "Heavy rain and thunder", "thunder"},
    {47, "lightsleet", "Light sleet", "sleet"},
    {12, "sleet", "Sleet", "sleet"},
    {48, "heavysleet", "Heavy sleet", "sleet"},
    {31, "lightsleetandthunder", "Light sleet and thunder", "thunder"},
    {23, "sleetandthunder", "Sleet and thunder", "thunder"},
    {32, "heavysleetandthunder", "Heavy sleet and thunder", "thunder"},
    {49, "lightsnow", "Light snow", "snow"},
    {13, "snow", "Snow", "snow"},
    {50, "heavysnow", "Heavy snow", "snow"},
    {33, "lightsnowandthunder", "Light snow and thunder", "thunder"},
    {14, "snowandthunder", "Snow and thunder", "thunder"},
    {34, "heavysnowandthunder", "Heavy snow and thunder", "thunder"},
    {15, "fog", "Fog", "fog"},
};
#define N_MET_SYMBOLS (sizeof met_symbols / sizeof met_symbols[0])

/* "clear~" with day -> "clear-day": the entry of weather_icons, so callers get static names. */
static const char *icon_named(const char *base, bool day) {
  char name[WEATHER_ICON_BYTES];
  size_t n = strlen(base);
  if (n > 0 && base[n - 1] == '~')
    snprintf(name, sizeof name, "%.*s-%s", (int)(n - 1), base, day ? "day" : "night");
  else
    snprintf(name, sizeof name, "%s", base);
  for (const char *const *i = weather_icons; *i; i++)
    if (strcmp(*i, name) == 0) return *i;
  return NULL;
}

static const struct met_symbol *met_symbol_find(int number, const char *code, bool *day) {
  if (code && *code) {
    /* 2.0 classic: "fair_day", "clearsky_polartwilight" (sun just below the horizon). */
    const char *us = strchr(code, '_');
    size_t n = us ? (size_t)(us - code) : strlen(code);
    if (us) *day = strcmp(us + 1, "night") != 0;
    for (size_t i = 0; i < N_MET_SYMBOLS; i++)
      if (strlen(met_symbols[i].code) == n && strncmp(met_symbols[i].code, code, n) == 0)
        return &met_symbols[i];
  }
  if (number > 100) { /* legacy feeds: 101.. = the dark variant of 1.. */
    number -= 100;
    *day = false;
  }
  for (size_t i = 0; i < N_MET_SYMBOLS; i++)
    if (met_symbols[i].number == number) return &met_symbols[i];
  return NULL;
}

const char *weather_icon_metno(int number, const char *code, bool day) {
  const struct met_symbol *s = met_symbol_find(number, code, &day);
  return s ? icon_named(s->icon, day) : NULL;
}

/* NWS icon names (current_obs icon_url_name, DWML icon-link, api.weather.gov icon paths),
 * without the night prefix "n". Source: the DWML specification's icon tables and the icon
 * files the NWS serves (docs/weather.md). */
static const struct {
  const char *name, *icon;
} nws_icons[] = {
    {"skc", "clear~"},        {"few", "partly-cloudy~"}, {"sct", "partly-cloudy~"},
    {"bkn", "cloudy"},        {"ovc", "cloudy"},         {"cold", "clear~"},
    {"hot", "clear~"},        {"wind", "wind"},          {"wind_skc", "wind"},
    {"wind_few", "wind"},     {"wind_sct", "wind"},      {"wind_bkn", "wind"},
    {"wind_ovc", "wind"},     {"fg", "fog"},             {"fog", "fog"},
    {"sctfg", "fog"},         {"br", "fog"},             {"hz", "haze"},
    {"haze", "haze"},         {"fu", "haze"},            {"smoke", "haze"},
    {"du", "haze"},           {"dust", "haze"},          {"ra", "rain"},
    {"rain", "rain"},         {"minus_ra", "rain"},      {"drizzle", "rain"},
    {"shra", "showers~"},     {"hi_shwrs", "showers~"},  {"shwrs", "showers~"},
    {"rain_showers", "showers~"}, {"rain_showers_hi", "showers~"}, {"hi_shra", "showers~"},
    {"tsra", "thunder"},      {"scttsra", "thunder"},    {"hi_tsra", "thunder"},
    {"tsra_sct", "thunder"},  {"tsra_hi", "thunder"},    {"sn", "snow"},
    {"snow", "snow"},         {"blizzard", "snow"},      {"ip", "sleet"},
    {"sleet", "sleet"},       {"raip", "sleet"},         {"ra_sn", "sleet"},
    {"rasn", "sleet"},        {"rain_snow", "sleet"},    {"rain_sleet", "sleet"},
    {"snow_sleet", "sleet"},  {"fzra", "sleet"},         {"ra_fzra", "sleet"},
    {"fzra_sn", "sleet"},     {"rain_fzra", "sleet"},    {"snow_fzra", "sleet"},
    {"mix", "sleet"},         {"tornado", "thunder"},    {"hurricane", "thunder"},
    {"tropical_storm", "thunder"}, {"fc", "thunder"},
};
#define N_NWS_ICONS (sizeof nws_icons / sizeof nws_icons[0])

static const char *nws_icon_lookup(const char *name, bool night) {
  for (size_t i = 0; i < N_NWS_ICONS; i++)
    if (strcasecmp(nws_icons[i].name, name) == 0) return icon_named(nws_icons[i].icon, !night);
  return NULL;
}

/* One bare icon name: "nsct", "ra80" (2008 style: code + chance), "few". */
static const char *nws_icon_one(const char *raw, bool night) {
  char name[48];
  copy_utf8(name, sizeof name, raw);
  size_t n = strlen(name);
  while (n > 0 && isdigit((unsigned char)name[n - 1])) name[--n] = '\0';
  const char *icon = nws_icon_lookup(name, night);
  if (!icon && (name[0] == 'n' || name[0] == 'N')) icon = nws_icon_lookup(name + 1, true);
  /* "hi_ntsra", "hi_nshwrs": the night mark inside the name */
  if (!icon && has_prefix_ci(name, "hi_n")) {
    char alt[48];
    snprintf(alt, sizeof alt, "hi_%s", name + 4);
    icon = nws_icon_lookup(alt, true);
  }
  return icon;
}

/* The value of query parameter key ("i", "jp") in url into buf. */
static bool query_param(const char *url, const char *key, char *buf, size_t size) {
  const char *q = strchr(url, '?');
  size_t klen = strlen(key);
  for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
    const char *k = p + 1;
    if (strncmp(k, key, klen) == 0 && k[klen] == '=') {
      const char *v = k + klen + 1;
      size_t n = strcspn(v, "&#");
      if (n >= size) n = size - 1;
      memcpy(buf, v, n);
      buf[n] = '\0';
      return true;
    }
  }
  return false;
}

const char *weather_icon_nws(const char *s) {
  if (!s || !*s) return NULL;
  bool night = strstr(s, "/night/") != NULL; /* api.weather.gov/icons/land/night/sct */
  if (strstr(s, "DualImage.php")) {
    /* Two halves of a period, each with an optional chance of precipitation (ip, jp): show
     * the first unless only it is a low chance (< 30 %), as the phrase reads "X then Y". */
    char i[48] = "", j[48] = "", ip[16] = "", jp[16] = "";
    query_param(s, "i", i, sizeof i);
    query_param(s, "j", j, sizeof j);
    query_param(s, "ip", ip, sizeof ip);
    query_param(s, "jp", jp, sizeof jp);
    bool i_low = *ip && atoi(ip) < 30, j_low = *jp && atoi(jp) < 30;
    const char *a = *i ? nws_icon_one(i, night) : NULL;
    const char *b = *j ? nws_icon_one(j, night) : NULL;
    if (a && b && i_low && !j_low) return b;
    return a ? a : b;
  }
  const char *base = strrchr(s, '/');
  base = base ? base + 1 : s;
  char name[48];
  size_t n = strcspn(base, ".?,");
  if (n >= sizeof name) return NULL;
  memcpy(name, base, n);
  name[n] = '\0';
  return nws_icon_one(name, night);
}

/* Keywords of English weather phrases (NWS <weather>, DWML weather-summary and the phrases
 * we build from DWML weather values), most significant first. */
static const struct {
  const char *word, *icon;
} phrase_words[] = {
    {"thunder", "thunder"},  {"t-storm", "thunder"},    {"tstm", "thunder"},
    {"funnel", "thunder"},   {"tornado", "thunder"},    {"freezing", "sleet"},
    {"sleet", "sleet"},      {"ice pellets", "sleet"},  {"wintry mix", "sleet"},
    {"rain and snow", "sleet"}, {"snow and rain", "sleet"}, {"rain/snow", "sleet"},
    {"hail", "sleet"},       {"snow", "snow"},          {"flurries", "snow"},
    {"blizzard", "snow"},    {"heavy rain", "heavy-rain"}, {"heavy showers", "heavy-rain"},
    {"shower", "showers~"},  {"rain", "rain"},          {"drizzle", "rain"},
    {"sprinkle", "rain"},    {"fog", "fog"},            {"mist", "fog"},
    {"haze", "haze"},        {"smoke", "haze"},         {"dust", "haze"},
    {"sand", "haze"},        {"ash", "haze"},           {"partly", "partly-cloudy~"},
    {"few clouds", "partly-cloudy~"}, {"mostly sunny", "partly-cloudy~"},
    {"mostly clear", "partly-cloudy~"}, {"scattered clouds", "partly-cloudy~"},
    {"cloud", "cloudy"},     {"overcast", "cloudy"},    {"wind", "wind"},
    {"breezy", "wind"},      {"clear", "clear~"},       {"sunny", "clear~"},
    {"fair", "clear~"},      {"hot", "clear~"},         {"cold", "clear~"},
};

const char *weather_icon_phrase(const char *phrase, bool day) {
  if (!phrase || !*phrase) return NULL;
  /* "Partly Cloudy then Slight Chance Showers": the icon shows the start of the period. */
  char low[WEATHER_TEXT_BYTES * 2];
  copy_utf8(low, sizeof low, phrase);
  for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
  char *then = strstr(low, " then ");
  if (then) *then = '\0';
  for (size_t i = 0; i < sizeof phrase_words / sizeof phrase_words[0]; i++)
    if (strstr(low, phrase_words[i].word)) return icon_named(phrase_words[i].icon, day);
  return NULL;
}

/* ---- a series of forecast points, shared by the readers ---- */

struct point {
  int64_t t;
  char date[WEATHER_DATE_BYTES]; /* local date at t */
  int hour;                      /* local hour at t, 0..23 */
  double temperature, precipitation, wind, humidity;
  char condition[WEATHER_TEXT_BYTES];
  char icon[WEATHER_ICON_BYTES];
};

struct series {
  struct point *p;
  size_t n, cap;
};

static struct point *series_add(struct series *s) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    struct point *p = realloc(s->p, cap * sizeof *p);
    if (!p) return NULL;
    s->p = p;
    s->cap = cap;
  }
  struct point *p = &s->p[s->n++];
  memset(p, 0, sizeof *p);
  p->temperature = p->precipitation = p->wind = p->humidity = NAN;
  return p;
}

/* Local date and hour of t at a fixed offset from UTC. */
static void local_date(int64_t t, int64_t offset_ms, char date[WEATHER_DATE_BYTES], int *hour) {
  int64_t local = t + offset_ms;
  int64_t days = vt_floor_div(local, DAY_MS);
  int64_t y;
  unsigned m, d;
  vt_civil_from_days(days, &y, &m, &d);
  /* times come from vt_time_parse: years 0..9999, so the date always fits */
  snprintf(date, WEATHER_DATE_BYTES, "%04u-%02u-%02u", (unsigned)(y % 10000 + 10000) % 10000u,
           m % 13u, d % 32u);
  *hour = (int)(vt_floor_mod(local, DAY_MS) / HOUR_MS);
}

/* The UTC offset written in an RFC 3339 time ("-06:00" -> -6 h); 0 for "Z". */
static int64_t rfc3339_offset_ms(const char *s) {
  size_t n = strlen(s);
  if (n >= 6 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 3] == ':') {
    int h = atoi(s + n - 5), m = atoi(s + n - 2);
    int64_t off = ((int64_t)h * 60 + m) * 60000;
    return s[n - 6] == '-' ? -off : off;
  }
  return 0;
}

static int cmp_point(const void *a, const void *b) {
  const struct point *x = a, *y = b;
  return (x->t > y->t) - (x->t < y->t);
}

static int cmp_day(const void *a, const void *b) {
  return strcmp(((const struct weather_day *)a)->date, ((const struct weather_day *)b)->date);
}

static struct weather_day *day_get(struct weather *w, const char *date) {
  for (size_t i = 0; i < w->n_days; i++)
    if (strcmp(w->days[i].date, date) == 0) return &w->days[i];
  if (w->n_days == WEATHER_MAX_DAYS) return NULL;
  struct weather_day *d = &w->days[w->n_days++];
  memset(d, 0, sizeof *d);
  snprintf(d->date, sizeof d->date, "%s", date);
  d->min = d->max = NAN;
  return d;
}

/* The point of a day that stands for it: the one with a condition nearest 13:00 local. */
static const struct point *day_point(const struct series *s, const char *date) {
  const struct point *best = NULL;
  for (size_t i = 0; i < s->n; i++) {
    const struct point *p = &s->p[i];
    if (strcmp(p->date, date) != 0 || !p->condition[0]) continue;
    if (!best || abs(p->hour - 13) < abs(best->hour - 13)) best = p;
  }
  return best;
}

/* The daytime form of an icon ("clear-night" -> "clear-day"): a day's summary shows the sun. */
static const char *day_form(const char *icon) {
  size_t n = strlen(icon);
  if (n > 6 && strcmp(icon + n - 6, "-night") == 0) {
    char base[WEATHER_ICON_BYTES];
    snprintf(base, sizeof base, "%.*s~", (int)(n - 6), icon);
    const char *d = icon_named(base, true);
    if (d) return d;
  }
  return icon;
}

/* Hours: the points within WEATHER_MAX_HOURS hours of the first. Days (when derive_days):
 * min and max of the points of each local date, with the condition nearest its midday. */
static void series_fill(struct weather *w, struct series *s, bool derive_days) {
  qsort(s->p, s->n, sizeof *s->p, cmp_point);
  for (size_t i = 0; i < s->n && w->n_hours < WEATHER_MAX_HOURS; i++) {
    const struct point *p = &s->p[i];
    if (p->t - s->p[0].t >= WEATHER_MAX_HOURS * HOUR_MS) break;
    struct weather_hour *h = &w->hours[w->n_hours++];
    h->time_ms = p->t;
    h->temperature = p->temperature;
    h->precipitation = p->precipitation;
    copy_utf8(h->condition, sizeof h->condition, p->condition);
    copy_utf8(h->icon, sizeof h->icon, p->icon);
  }
  if (!derive_days) return;
  for (size_t i = 0; i < s->n; i++) {
    const struct point *p = &s->p[i];
    if (isnan(p->temperature)) continue;
    struct weather_day *d = day_get(w, p->date);
    if (!d) break; /* points are in time order: later dates only */
    if (isnan(d->min) || p->temperature < d->min) d->min = p->temperature;
    if (isnan(d->max) || p->temperature > d->max) d->max = p->temperature;
  }
  for (size_t i = 0; i < w->n_days; i++) {
    const struct point *p = day_point(s, w->days[i].date);
    if (!p) continue;
    copy_utf8(w->days[i].condition, sizeof w->days[i].condition, p->condition);
    copy_utf8(w->days[i].icon, sizeof w->days[i].icon, day_form(p->icon));
  }
}

/* ---- MET Norway / Met Éireann locationforecast classic ---- */

struct met_period {
  int64_t from, to;
  int number;
  char code[40];
  double precipitation;
};

/* Day icons for days: a daily summary shows the daytime form. */
static void met_condition(const struct met_period *p, bool day, char *cond, size_t cond_size,
                          char *icon, size_t icon_size) {
  bool d = day;
  const struct met_symbol *s = met_symbol_find(p->number, p->code, &d);
  if (!s) return;
  copy_utf8(cond, cond_size, s->english);
  const char *i = icon_named(s->icon, d);
  if (i) copy_utf8(icon, icon_size, i);
}

static enum vt_err read_metno(struct weather *w, xmlNode *root, struct vt_error *err) {
  xmlNode *product = xml_safe_child(root, "product");
  if (!product) return vt_error_set(err, VT_ERR_INVALID, "product", "no <product> element");
  w->unit_temperature = "C";
  w->unit_wind = "m/s";
  w->unit_precipitation = "mm";

  struct series s = {0};
  struct met_period *per = NULL;
  size_t n_per = 0, cap_per = 0, skipped = 0;
  bool have_location = false;
  enum vt_err rc = VT_OK;
  for (xmlNode *t = product->children; t; t = t->next) {
    if (!xml_safe_is(t, "time")) continue;
    char from_s[40], to_s[40];
    int64_t from, to;
    if (!attr(t, "from", from_s, sizeof from_s) || !attr(t, "to", to_s, sizeof to_s) ||
        !vt_time_parse(from_s, &from) || !vt_time_parse(to_s, &to) || to < from) {
      skipped++;
      continue;
    }
    xmlNode *loc = xml_safe_child(t, "location");
    if (!have_location && loc) {
      w->lat = attr_num(loc, "latitude");
      w->lon = attr_num(loc, "longitude");
      have_location = true;
    }
    if (from == to) {
      if (s.n >= MAX_STEPS) { skipped++; continue; }
      struct point *p = series_add(&s);
      if (!p) { rc = vt_error_no_memory(err); break; }
      p->t = from;
      p->temperature = attr_num(xml_safe_child(loc, "temperature"), "value");
      p->wind = attr_num(xml_safe_child(loc, "windSpeed"), "mps");
      p->humidity = attr_num(xml_safe_child(loc, "humidity"), "value");
      continue;
    }
    xmlNode *sym = xml_safe_child(loc, "symbol");
    if (!sym) continue; /* min/max temperature periods without a symbol: instants suffice */
    if (n_per >= MAX_STEPS) { skipped++; continue; }
    if (n_per == cap_per) {
      size_t cap = cap_per ? cap_per * 2 : 64;
      struct met_period *np = realloc(per, cap * sizeof *np);
      if (!np) { rc = vt_error_no_memory(err); break; }
      per = np;
      cap_per = cap;
    }
    struct met_period *p = &per[n_per++];
    p->from = from;
    p->to = to;
    double number = attr_num(sym, "number");
    p->number = isnan(number) || number < 0 || number > 1000 ? 0 : (int)number;
    attr(sym, "code", p->code, sizeof p->code);
    p->precipitation = attr_num(xml_safe_child(loc, "precipitation"), "value");
  }
  if (rc == VT_OK && s.n == 0)
    rc = vt_error_set(err, VT_ERR_INVALID, "product", "no forecast instant (<time from=to>)");
  if (rc != VT_OK) {
    free(s.p);
    free(per);
    return rc;
  }
  if (skipped) warn(w, "%zu <time> elements skipped (bad times or over %d)", skipped, MAX_STEPS);

  /* The classic format has no time zone; the local date is solar (15 degrees an hour), which
   * puts midnight within about an hour of the civil one in most places. */
  int64_t offset = isnan(w->lon) ? 0 : (int64_t)lround(w->lon / 15.0) * HOUR_MS;
  for (size_t i = 0; i < s.n; i++) {
    struct point *pt = &s.p[i];
    local_date(pt->t, offset, pt->date, &pt->hour);
    /* The periods printed after an instant end at it; the instant's own symbol is that of
     * the shortest period that starts at it (docs/weather.md, "period order"). */
    const struct met_period *best = NULL;
    for (size_t j = 0; j < n_per; j++)
      if (per[j].from == pt->t && (!best || per[j].to - per[j].from < best->to - best->from))
        best = &per[j];
    if (!best) continue;
    bool day = isnan(w->lat) || isnan(w->lon) || weather_is_day(w->lat, w->lon, pt->t);
    met_condition(best, day, pt->condition, sizeof pt->condition, pt->icon, sizeof pt->icon);
    pt->precipitation = best->precipitation;
  }
  series_fill(w, &s, true); /* sorts the points: the first is now */
  const struct point *first = &s.p[0];
  w->current.present = true;
  w->current.time_ms = first->t;
  w->current.temperature = first->temperature;
  w->current.wind_speed = first->wind;
  w->current.humidity = first->humidity;
  copy_utf8(w->current.condition, sizeof w->current.condition, first->condition);
  copy_utf8(w->current.icon, sizeof w->current.icon, first->icon);

  /* A day's condition: the symbol period (6 h preferred over shorter) that covers 13:00
   * local; the daytime icon. */
  for (size_t i = 0; i < w->n_days; i++) {
    struct weather_day *d = &w->days[i];
    int64_t y = atoi(d->date);
    unsigned m = (unsigned)atoi(d->date + 5), dd = (unsigned)atoi(d->date + 8);
    int64_t noon = vt_days_from_civil(y, m, dd) * DAY_MS + 13 * HOUR_MS - offset;
    const struct met_period *best = NULL;
    for (size_t j = 0; j < n_per; j++) {
      const struct met_period *p = &per[j];
      if (p->from > noon || p->to <= noon || p->to - p->from > 6 * HOUR_MS) continue;
      if (!best || p->to - p->from > best->to - best->from) best = p;
    }
    if (!best) continue;
    d->condition[0] = d->icon[0] = '\0';
    met_condition(best, true, d->condition, sizeof d->condition, d->icon, sizeof d->icon);
  }
  free(s.p);
  free(per);
  return VT_OK;
}

/* ---- NWS current_obs ---- */

static enum vt_err read_nws_current(struct weather *w, xmlNode *root) {
  char buf[WEATHER_NAME_BYTES];
  node_text(xml_safe_child(root, "location"), w->name, sizeof w->name);
  w->lat = text_num(xml_safe_child(root, "latitude"));
  w->lon = text_num(xml_safe_child(root, "longitude"));
  struct weather_current *c = &w->current;
  c->present = true;
  c->time_ms = 0;
  if (node_text(xml_safe_child(root, "observation_time_rfc822"), buf, sizeof buf) &&
      !feed_date_parse(buf, &c->time_ms)) {
    warn(w, "observation_time_rfc822 \"%s\" not understood", buf);
  }
  /* US stations: Fahrenheit and mph, as the NWS shows them; Celsius only if that is all. */
  c->temperature = text_num(xml_safe_child(root, "temp_f"));
  w->unit_temperature = "F";
  w->unit_precipitation = "in";
  if (isnan(c->temperature) && !isnan(text_num(xml_safe_child(root, "temp_c")))) {
    c->temperature = text_num(xml_safe_child(root, "temp_c"));
    w->unit_temperature = "C";
    w->unit_precipitation = "mm";
  }
  w->unit_wind = "mph";
  c->wind_speed = text_num(xml_safe_child(root, "wind_mph"));
  if (isnan(c->wind_speed)) c->wind_speed = text_num(xml_safe_child(root, "wind_kt")) * 1.150779;
  c->humidity = text_num(xml_safe_child(root, "relative_humidity"));
  node_text(xml_safe_child(root, "weather"), c->condition, sizeof c->condition);
  const char *icon = node_text(xml_safe_child(root, "icon_url_name"), buf, sizeof buf)
                         ? weather_icon_nws(buf)
                         : NULL;
  if (!icon) {
    bool day = c->time_ms == 0 || isnan(w->lat) || isnan(w->lon) ||
               weather_is_day(w->lat, w->lon, c->time_ms);
    icon = weather_icon_phrase(c->condition, day);
  }
  if (icon) copy_utf8(c->icon, sizeof c->icon, icon);
  if (c->time_ms == 0) warn(w, "no observation time");
  return VT_OK;
}

/* ---- NWS DWML ---- */

struct layout {
  char key[64];
  size_t n;
  int64_t start[MAX_ENTRIES];
  int64_t offset[MAX_ENTRIES]; /* the UTC offset each start time was written with */
};

struct param {
  const char *element;  /* element name, borrowed from the tree */
  char type[48], units[48];
  const struct layout *layout;
  xmlNode *entry[MAX_ENTRIES]; /* by position in the layout; NULL past the end */
  size_t n;                  /* entries in the document (may differ from layout->n) */
};

struct dwml {
  struct layout *layouts;
  size_t n_layouts;
  struct param *params;
  size_t n_params;
};

static void dwml_free(struct dwml *d) {
  free(d->layouts);
  free(d->params);
  memset(d, 0, sizeof *d);
}

static bool nil(const xmlNode *n) {
  char v[8];
  return attr(n, "nil", v, sizeof v) && strcmp(v, "true") == 0;
}

/* The <location> of the first location-key in data: its key, point and description. */
static void dwml_location(struct weather *w, xmlNode *data, char *key, size_t key_size) {
  xmlNode *loc = xml_safe_child(data, "location");
  key[0] = '\0';
  if (!loc) return;
  node_text(xml_safe_child(loc, "location-key"), key, key_size);
  xmlNode *pt = xml_safe_child(loc, "point");
  w->lat = attr_num(pt, "latitude");
  w->lon = attr_num(pt, "longitude");
  static const char *const names[] = {"area-description", "description", "city", NULL};
  for (const char *const *n = names; *n && !w->name[0]; n++)
    node_text(xml_safe_child(loc, *n), w->name, sizeof w->name);
}

/* Time layouts and the parameters that apply to location key. */
static enum vt_err dwml_read(struct weather *w, xmlNode *data, const char *key, struct dwml *d,
                             struct vt_error *err) {
  d->layouts = calloc(MAX_LAYOUTS, sizeof *d->layouts);
  d->params = calloc(MAX_PARAMS, sizeof *d->params);
  if (!d->layouts || !d->params) return vt_error_no_memory(err);
  for (xmlNode *tl = data->children; tl; tl = tl->next) {
    if (!xml_safe_is(tl, "time-layout")) continue;
    if (d->n_layouts == MAX_LAYOUTS) { warn(w, "more than %d time layouts", MAX_LAYOUTS); break; }
    struct layout *l = &d->layouts[d->n_layouts++];
    node_text(xml_safe_child(tl, "layout-key"), l->key, sizeof l->key);
    char buf[48];
    for (xmlNode *s = tl->children; s && l->n < MAX_ENTRIES; s = s->next) {
      if (!xml_safe_is(s, "start-valid-time") || !node_text(s, buf, sizeof buf)) continue;
      if (!vt_time_parse(buf, &l->start[l->n])) {
        warn(w, "layout %s: start time \"%s\" not understood", l->key, buf);
        continue;
      }
      l->offset[l->n++] = rfc3339_offset_ms(buf);
    }
  }
  xmlNode *params = NULL;
  for (xmlNode *p = data->children; p && !params; p = p->next) {
    char loc[64];
    if (xml_safe_is(p, "parameters") && (!attr(p, "applicable-location", loc, sizeof loc) || !*key ||
                                   strcmp(loc, key) == 0))
      params = p;
  }
  for (xmlNode *e = params ? params->children : NULL; e; e = e->next) {
    if (e->type != XML_ELEMENT_NODE) continue;
    char lk[64];
    if (!attr(e, "time-layout", lk, sizeof lk)) continue;
    if (d->n_params == MAX_PARAMS) { warn(w, "more than %d parameters", MAX_PARAMS); break; }
    struct param *p = &d->params[d->n_params];
    p->element = (const char *)e->name;
    attr(e, "type", p->type, sizeof p->type);
    attr(e, "units", p->units, sizeof p->units);
    for (size_t i = 0; i < d->n_layouts && !p->layout; i++)
      if (strcmp(d->layouts[i].key, lk) == 0) p->layout = &d->layouts[i];
    if (!p->layout) {
      warn(w, "%s: no time layout \"%s\"", p->element, lk);
      continue;
    }
    for (xmlNode *v = e->children; v; v = v->next) {
      if (v->type != XML_ELEMENT_NODE || xml_safe_is(v, "name")) continue;
      if (p->n < p->layout->n) p->entry[p->n] = v;
      p->n++;
    }
    /* Entries pair with the layout's times by position; a count that differs is a defect of
     * the document: pair what there is, and say so. */
    if (p->n != p->layout->n && p->n != 0)
      warn(w, "%s %s: %zu entries for %zu times in %s", p->element, p->type, p->n,
           p->layout->n, p->layout->key);
    d->n_params++;
  }
  return VT_OK;
}

static const struct param *dwml_param(const struct dwml *d, const char *element,
                                      const char *type) {
  for (size_t i = 0; i < d->n_params; i++)
    if (strcmp(d->params[i].element, element) == 0 &&
        (!type || strcmp(d->params[i].type, type) == 0))
      return &d->params[i];
  return NULL;
}

/* The entry of p at instant t, or NULL. */
static xmlNode *dwml_at(const struct param *p, int64_t t) {
  if (!p) return NULL;
  for (size_t i = 0; i < p->layout->n; i++)
    if (p->layout->start[i] == t) return p->entry[i];
  return NULL;
}

static double entry_num(const xmlNode *e) { return e && !nil(e) ? text_num(e) : NAN; }

/* The sentence of a <weather-conditions>: its weather-summary, or one built from its
 * <value> children ("Slight chance rain and slight chance thunderstorms"). */
static void weather_phrase(const xmlNode *wc, char *out, size_t size) {
  out[0] = '\0';
  if (!wc || nil(wc)) return;
  if (attr(wc, "weather-summary", out, size) && out[0]) return;
  size_t len = 0;
  for (xmlNode *v = wc->children; v; v = v->next) {
    char type[48], cov[48], inten[48], add[16];
    if (!xml_safe_is(v, "value") || !attr(v, "weather-type", type, sizeof type) || !type[0]) continue;
    attr(v, "coverage", cov, sizeof cov);
    attr(v, "intensity", inten, sizeof inten);
    if (len > 0 && attr(v, "additive", add, sizeof add) && add[0])
      len += (size_t)snprintf(out + len, size - len, " %s", add);
    else if (len > 0)
      len += (size_t)snprintf(out + len, size - len, ",");
    const char *parts[] = {cov, inten, type};
    for (size_t i = 0; i < 3 && len < size; i++)
      /* "none" and "definitely" add nothing a reader needs */
      if (parts[i][0] && strcmp(parts[i], "none") != 0 && strcmp(parts[i], "definitely") != 0)
        len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "", parts[i]);
    if (len >= size) break;
  }
  utf8_trim_tail(out);
  out[0] = (char)toupper((unsigned char)out[0]);
}

/* Sky cover (percent) as words, for hours whose weather is nil (nothing falling). */
static const char *sky_phrase(double pct, bool day) {
  if (isnan(pct)) return NULL;
  if (pct <= 10) return day ? "Sunny" : "Clear";
  if (pct <= 50) return day ? "Partly sunny" : "Partly cloudy";
  if (pct <= 87) return "Mostly cloudy";
  return "Cloudy";
}

/* Unit conversions to the document's chosen units. */
static double to_temperature(double v, const char *units, const char *unit) {
  bool src_c = strcmp(units, "Celsius") == 0 || (!*units && strcmp(unit, "C") == 0);
  if (src_c == (strcmp(unit, "C") == 0)) return v;
  return src_c ? v * 9.0 / 5.0 + 32.0 : (v - 32.0) * 5.0 / 9.0;
}

static double to_wind(double v, const char *units, const char *unit) {
  double mps; /* via m/s; no units: MapClick's mph */
  if (strcmp(units, "knots") == 0) mps = v * 0.514444;
  else if (strcmp(units, "meters/second") == 0) mps = v;
  else if (strcmp(units, "km/h") == 0 || strcmp(units, "kilometers/hour") == 0) mps = v / 3.6;
  else mps = v * 0.44704;
  return strcmp(unit, "mph") == 0 ? mps / 0.44704 : mps;
}

static double to_precipitation(double v, const char *units, const char *unit) {
  double mm = v * 25.4; /* no units: inches, as NWS gives */
  if (strcmp(units, "centimeters") == 0) mm = v * 10.0;
  else if (strcmp(units, "millimeters") == 0) mm = v;
  return strcmp(unit, "in") == 0 ? mm / 25.4 : mm;
}

/* Condition and icon of entry i of the weather parameter (with the icon parameter beside it,
 * when it shares the layout). */
static void dwml_condition(const struct param *wx,
                           const struct param *icons, int64_t t, bool day, char *cond,
                           size_t cond_size, char *icon, size_t icon_size) {
  weather_phrase(dwml_at(wx, t), cond, cond_size);
  const char *ic = NULL;
  char url[512];
  xmlNode *il = dwml_at(icons, t);
  if (il && !nil(il) && node_text(il, url, sizeof url)) ic = weather_icon_nws(url);
  if (!ic) ic = weather_icon_phrase(cond, day);
  if (ic) copy_utf8(icon, icon_size, ic);
}

/* Days from daily max/min: the maximum belongs to the date it starts on; a minimum that
 * starts in the evening is the night before the date it ends on (NDFD's 8 pm - 9 am, MapClick's
 * "Tonight"), one that starts in the morning is that date's (dwmlByDay's 24-hour periods). */
static void dwml_days(struct weather *w, const struct dwml *d) {
  static const char *const kinds[] = {"maximum", "minimum"};
  for (int k = 0; k < 2; k++) {
    const struct param *p = dwml_param(d, "temperature", kinds[k]);
    if (!p) continue;
    for (size_t i = 0; i < p->layout->n && i < p->n; i++) {
      double v = entry_num(p->entry[i]);
      if (isnan(v)) continue;
      char date[WEATHER_DATE_BYTES];
      int hour;
      local_date(p->layout->start[i], p->layout->offset[i], date, &hour);
      if (k == 1 && hour >= 12)
        local_date(p->layout->start[i] + DAY_MS, p->layout->offset[i], date, &hour);
      struct weather_day *day = day_get(w, date);
      if (!day) continue;
      v = to_temperature(v, p->units, w->unit_temperature);
      if (k == 0) day->max = v;
      else day->min = v;
    }
  }
  qsort(w->days, w->n_days, sizeof w->days[0], cmp_day);
  /* A day's condition: the weather entry starting that date nearest its midday (6:00 to
   * 18:00), with the icon beside it. */
  const struct param *wx = dwml_param(d, "weather", NULL);
  const struct param *icons = dwml_param(d, "conditions-icon", NULL);
  if (!wx && !icons) return;
  const struct layout *l = wx ? wx->layout : icons->layout;
  const struct param *sky = dwml_param(d, "cloud-amount", "total");
  for (size_t i = 0; i < w->n_days; i++) {
    struct weather_day *day = &w->days[i];
    int best_dist = 99;
    for (size_t j = 0; j < l->n; j++) {
      char date[WEATHER_DATE_BYTES], cond[WEATHER_TEXT_BYTES] = "", icon[WEATHER_ICON_BYTES] = "";
      int hour;
      local_date(l->start[j], l->offset[j], date, &hour);
      if (strcmp(date, day->date) != 0 || hour < 6 || hour >= 18 || abs(hour - 12) >= best_dist)
        continue;
      dwml_condition(wx, icons && icons->layout == l ? icons : NULL, l->start[j], true, cond,
                     sizeof cond, icon, sizeof icon);
      if (!cond[0]) { /* nothing falling: the sky cover, when there is one */
        const char *ph = sky_phrase(entry_num(dwml_at(sky, l->start[j])), true);
        if (!ph) continue;
        copy_utf8(cond, sizeof cond, ph);
        const char *ic = weather_icon_phrase(ph, true);
        copy_utf8(icon, sizeof icon, ic ? ic : "");
      }
      best_dist = abs(hour - 12);
      copy_utf8(day->condition, sizeof day->condition, cond);
      copy_utf8(day->icon, sizeof day->icon, icon);
    }
  }
}

/* Hours from the hourly temperature (or, without one, hourly weather) layout. */
static enum vt_err dwml_hours(struct weather *w, const struct dwml *d, bool derive_days,
                              struct vt_error *err) {
  const struct param *temp = dwml_param(d, "temperature", "hourly");
  const struct param *wx = dwml_param(d, "weather", NULL);
  const struct param *icons = dwml_param(d, "conditions-icon", NULL);
  const struct param *sky = dwml_param(d, "cloud-amount", "total");
  /* precipitation: the hourly amount only (6-hour totals are not an hour's) */
  const struct param *pr = dwml_param(d, "hourly-qpf", NULL);
  for (size_t k = 0; !pr && k < d->n_params; k++)
    if (strcmp(d->params[k].element, "precipitation") == 0 &&
        strcmp(d->params[k].type, "liquid") == 0 && strstr(d->params[k].layout->key, "p1h"))
      pr = &d->params[k];
  const struct layout *l = temp ? temp->layout : NULL;
  if (!l && wx && strstr(wx->layout->key, "p1h")) l = wx->layout;
  if (!l) return VT_OK;
  struct series s = {0};
  for (size_t i = 0; i < l->n; i++) {
    struct point *p = series_add(&s);
    if (!p) {
      free(s.p);
      return vt_error_no_memory(err);
    }
    p->t = l->start[i];
    local_date(p->t, l->offset[i], p->date, &p->hour);
    if (temp) p->temperature = to_temperature(entry_num(temp->entry[i]), temp->units,
                                              w->unit_temperature);
    bool day = isnan(w->lat) || isnan(w->lon) || weather_is_day(w->lat, w->lon, p->t);
    dwml_condition(wx, icons, p->t, day, p->condition, sizeof p->condition, p->icon,
                   sizeof p->icon);
    if (!p->condition[0]) {
      const char *ph = sky_phrase(entry_num(dwml_at(sky, p->t)), day);
      if (ph) {
        copy_utf8(p->condition, sizeof p->condition, ph);
        const char *ic = weather_icon_phrase(ph, day);
        if (ic) copy_utf8(p->icon, sizeof p->icon, ic);
      }
    }
    if (pr)
      p->precipitation = to_precipitation(entry_num(dwml_at(pr, p->t)), pr->units,
                                          w->unit_precipitation);
  }
  series_fill(w, &s, derive_days);
  free(s.p);
  return VT_OK;
}

/* The first value of a one-step current-observations parameter. */
static double dwml_first(const struct dwml *d, const char *element, const char *type,
                         const char **units) {
  const struct param *p = dwml_param(d, element, type);
  if (units) *units = p ? p->units : "";
  return p && p->layout->n > 0 ? entry_num(p->entry[0]) : NAN;
}

static enum vt_err dwml_current(struct weather *w, xmlNode *data, struct vt_error *err) {
  struct weather obs = {.lat = NAN, .lon = NAN};
  char key[64];
  dwml_location(&obs, data, key, sizeof key);
  struct dwml d = {0};
  enum vt_err rc = dwml_read(w, data, key, &d, err);
  if (rc != VT_OK) {
    dwml_free(&d);
    return rc;
  }
  struct weather_current *c = &w->current;
  const char *units;
  /* MapClick's observation block names its air temperature "apparent" */
  c->temperature = dwml_first(&d, "temperature", "apparent", &units);
  if (isnan(c->temperature)) c->temperature = dwml_first(&d, "temperature", "hourly", &units);
  c->temperature = to_temperature(c->temperature, units, w->unit_temperature);
  c->humidity = dwml_first(&d, "humidity", "relative", NULL);
  c->wind_speed = dwml_first(&d, "wind-speed", "sustained", &units);
  c->wind_speed = to_wind(c->wind_speed, units, w->unit_wind);
  const struct param *wx = dwml_param(&d, "weather", NULL);
  const struct param *icons = dwml_param(&d, "conditions-icon", NULL);
  const struct layout *l = wx ? wx->layout : icons ? icons->layout : NULL;
  if (!l && d.n_layouts > 0) l = &d.layouts[0];
  if (l && l->n > 0) {
    c->time_ms = l->start[0];
    double lat = isnan(obs.lat) ? w->lat : obs.lat, lon = isnan(obs.lon) ? w->lon : obs.lon;
    bool day = isnan(lat) || isnan(lon) || weather_is_day(lat, lon, c->time_ms);
    dwml_condition(wx, icons, c->time_ms, day, c->condition, sizeof c->condition, c->icon,
                   sizeof c->icon);
    c->present = true;
  }
  dwml_free(&d);
  return VT_OK;
}

static enum vt_err read_dwml(struct weather *w, xmlNode *root, struct vt_error *err) {
  xmlNode *fc = NULL, *obs = NULL;
  for (xmlNode *d = root->children; d; d = d->next) {
    if (!xml_safe_is(d, "data")) continue;
    char type[48];
    bool is_obs = attr(d, "type", type, sizeof type) && strcmp(type, "current observations") == 0;
    if (is_obs && !obs) obs = d;
    if (!is_obs && !fc) fc = d;
  }
  if (!fc && !obs) return vt_error_set(err, VT_ERR_INVALID, "data", "no <data> element");
  char key[64] = "";
  dwml_location(w, fc ? fc : obs, key, sizeof key);
  struct dwml d = {0};
  enum vt_err rc = VT_OK;
  if (fc) rc = dwml_read(w, fc, key, &d, err);
  /* Units: the first temperature's (MapClick digital gives none: Fahrenheit); wind and
   * precipitation follow the system (mph and inches with Fahrenheit, else m/s and mm). */
  const struct param *t0 = dwml_param(&d, "temperature", NULL);
  w->unit_temperature = t0 && strcmp(t0->units, "Celsius") == 0 ? "C" : "F";
  bool us = strcmp(w->unit_temperature, "F") == 0;
  w->unit_wind = us ? "mph" : "m/s";
  w->unit_precipitation = us ? "in" : "mm";
  if (rc == VT_OK && fc) {
    bool daily = dwml_param(&d, "temperature", "maximum") ||
                 dwml_param(&d, "temperature", "minimum");
    rc = dwml_hours(w, &d, !daily, err);
    if (rc == VT_OK && daily) dwml_days(w, &d);
  }
  dwml_free(&d);
  if (rc == VT_OK && obs) rc = dwml_current(w, obs, err);
  return rc;
}

/* ---- entry points ---- */

struct weather *weather_parse(const char *data, size_t len, const char *charset_hint,
                              struct vt_error *err) {
  struct xml_safe_report rep;
  xmlDocPtr doc = xml_safe_read(data, len, charset_hint, NULL, &rep, err);
  if (!doc) return NULL;
  struct weather *w = calloc(1, sizeof *w);
  if (!w) {
    xmlFreeDoc(doc);
    vt_error_no_memory(err);
    return NULL;
  }
  w->lat = w->lon = NAN;
  w->current.temperature = w->current.wind_speed = w->current.humidity = NAN;
  w->recovered = rep.recovered;
  if (rep.recovered)
    warn(w, "not well-formed, recovered: %s", rep.n_errors ? rep.errors[0] : "");
  xmlNode *root = xmlDocGetRootElement(doc);
  const char *name = root ? (const char *)root->name : "";
  enum vt_err rc;
  if (strcmp(name, "weatherdata") == 0) {
    w->format = WEATHER_METNO;
    rc = read_metno(w, root, err);
  } else if (strcmp(name, "current_observation") == 0) {
    w->format = WEATHER_NWS_CURRENT;
    rc = read_nws_current(w, root);
  } else if (strcmp(name, "dwml") == 0) {
    w->format = WEATHER_NWS_DWML;
    rc = read_dwml(w, root, err);
  } else if (strcmp(name, "siteData") == 0) {
    rc = vt_error_set(err, VT_ERR_INVALID, "", "Environment Canada citypage XML is not supported");
  } else {
    rc = vt_error_set(err, VT_ERR_INVALID, "",
                      "root element <%.40s> is not a weather document (weatherdata, "
                      "current_observation or dwml)", name);
  }
  xmlFreeDoc(doc);
  if (rc != VT_OK) {
    free(w);
    return NULL;
  }
  return w;
}

void weather_free(struct weather *w) { free(w); }

void weather_merge(struct weather *fc, const struct weather *obs) {
  if (!obs->current.present) return;
  struct weather_current c = obs->current;
  c.temperature = to_temperature(c.temperature, strcmp(obs->unit_temperature, "C") == 0
                                                    ? "Celsius" : "Fahrenheit",
                                 fc->unit_temperature);
  if (strcmp(obs->unit_wind, fc->unit_wind) != 0)
    c.wind_speed = to_wind(c.wind_speed, strcmp(obs->unit_wind, "m/s") == 0 ? "meters/second"
                                         : strcmp(obs->unit_wind, "km/h") == 0 ? "km/h"
                                                                              : "mph",
                           fc->unit_wind);
  fc->current = c;
  if (!fc->name[0]) copy_utf8(fc->name, sizeof fc->name, obs->name);
}

/* ---- JSON ---- */

/* Numbers rounded to what the sources give (0.01), NAN as null. */
static json_t *jnum(double v) {
  if (isnan(v)) return json_null();
  double r = round(v * 100.0) / 100.0;
  if (r == 0) r = 0; /* no "-0.0" */
  return json_real(r);
}

static json_t *jstr(const char *s) { return s && *s ? json_string(s) : json_null(); }

json_t *weather_to_json(const struct weather *w) {
  json_t *hours = json_array(), *days = json_array(), *current = json_null();
  if (w->current.present) {
    const struct weather_current *c = &w->current;
    current = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "time",
                        c->time_ms ? vt_json_time_new(c->time_ms) : json_null(), "temperature",
                        jnum(c->temperature), "condition", jstr(c->condition), "icon",
                        jstr(c->icon), "wind_speed", jnum(c->wind_speed), "humidity",
                        jnum(c->humidity));
  }
  for (size_t i = 0; hours && i < w->n_hours; i++) {
    const struct weather_hour *h = &w->hours[i];
    if (json_array_append_new(hours, json_pack("{s:o,s:o,s:o,s:o,s:o}", "time",
                                               vt_json_time_new(h->time_ms), "temperature",
                                               jnum(h->temperature), "condition",
                                               jstr(h->condition), "icon", jstr(h->icon),
                                               "precipitation", jnum(h->precipitation))) != 0)
      goto fail;
  }
  for (size_t i = 0; days && i < w->n_days; i++) {
    const struct weather_day *d = &w->days[i];
    if (json_array_append_new(days, json_pack("{s:s,s:o,s:o,s:o,s:o}", "date", d->date, "min",
                                              jnum(d->min), "max", jnum(d->max), "condition",
                                              jstr(d->condition), "icon", jstr(d->icon))) != 0)
      goto fail;
  }
  if (!hours || !days || !current) goto fail;
  return json_pack("{s:{s:o,s:o,s:o},s:{s:s,s:s,s:s},s:o,s:o,s:o}", "location", "name",
                   jstr(w->name), "lat", jnum(w->lat), "lon", jnum(w->lon), "units",
                   "temperature", w->unit_temperature, "wind", w->unit_wind, "precipitation",
                   w->unit_precipitation, "current", current, "hours", hours, "days", days);
fail:
  json_decref(hours);
  json_decref(days);
  json_decref(current);
  return NULL;
}
