#include "source.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

const struct vt_choice vt_temp_unit_choices[] = {{"C", VT_TEMP_C}, {"F", VT_TEMP_F}, {NULL, 0}};
const struct vt_choice vt_wind_unit_choices[] = {
    {"m/s", VT_WIND_MS}, {"mph", VT_WIND_MPH}, {"km/h", VT_WIND_KMH}, {NULL, 0}};
const struct vt_choice vt_precip_unit_choices[] = {
    {"mm", VT_PRECIP_MM}, {"in", VT_PRECIP_IN}, {NULL, 0}};

/* Short strings of a weather snapshot: a condition is an English phrase, an icon a file name. */
#define CONDITION_MAX 200
#define ICON_MAX 64
/* Temperatures beyond these are a unit or parser mistake, not weather (°C or °F). */
#define TEMP_MIN (-150.0)
#define TEMP_MAX 200.0
/* current.time_ms when the source gives no time (JSON null): below any instant vt_json_time
 * accepts. */
#define NO_TIME INT64_MIN

/* ---- keys and small values --------------------------------------------------------------- */

bool vt_price_valid(const char *s) {
  size_t i = 0, f = 0;
  while (s[i] >= '0' && s[i] <= '9') i++;
  if (i == 0 || i > VT_LIMIT_PRICE_INT_DIGITS) return false;
  if (s[i] == '\0') return true;
  if (s[i++] != '.') return false;
  while (s[i + f] >= '0' && s[i + f] <= '9') f++;
  return f >= 1 && f <= VT_LIMIT_PRICE_FRAC_DIGITS && s[i + f] == '\0';
}

static bool date_valid(const char *s) {
  int y, m, d;
  char tail;
  return strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
         sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y >= 1970 && m >= 1 && m <= 12 &&
         d >= 1 && d <= 31;
}

static bool icon_valid(const char *s) {
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
      return false;
  return *s != '\0';
}

/* ---- reading helpers ------------------------------------------------------------------- */

static enum vt_err bad(struct vt_error *err, const char *path, const char *key, const char *msg) {
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, key);
  return vt_error_set(err, VT_ERR_INVALID, f, "%s", msg);
}

/* obj[key] as a copied string; nullable: JSON null gives NULL (else null is "missing"). */
static enum vt_err str_dup(const json_t *obj, const char *path, const char *key, bool nullable,
                           size_t max, char **out, struct vt_error *err) {
  const json_t *v = json_object_get(obj, key);
  if (nullable && json_is_null(v)) return VT_OK;
  if (nullable && !v) {
    char f[VT_JSON_PATH_MAX];
    vt_json_path_key(f, path, key);
    return vt_error_set(err, VT_ERR_MISSING, f, "'%s' is required (null when there is none)", key);
  }
  const char *s = NULL;
  enum vt_err rc = vt_json_str(obj, path, key, true, 0, max, &s, err);
  if (rc != VT_OK) return rc;
  if (!(*out = strdup(s))) return vt_error_no_memory(err);
  return VT_OK;
}

/* obj[key] as a number in [min, max]; nullable: JSON null gives NAN. Required either way. */
static enum vt_err num(const json_t *obj, const char *path, const char *key, bool nullable,
                       double min, double max, double *out, struct vt_error *err) {
  const json_t *v = json_object_get(obj, key);
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, key);
  if (!v) return vt_error_set(err, VT_ERR_MISSING, f, "'%s' is required", key);
  if (nullable && json_is_null(v)) {
    *out = NAN;
    return VT_OK;
  }
  if (!json_is_number(v)) return vt_error_set(err, VT_ERR_WRONG_TYPE, f, "'%s' must be a number", key);
  double d = json_number_value(v);
  if (!(d >= min && d <= max))
    return vt_error_set(err, VT_ERR_INVALID, f, "%g is outside %g..%g", d, min, max);
  *out = d;
  return VT_OK;
}

static enum vt_err keys_only(const json_t *obj, const char *path, const char *const *keys,
                             struct vt_error *err) {
  enum vt_err rc = vt_json_expect_object(obj, path, err);
  return rc ? rc : vt_json_only_keys(obj, path, keys, err);
}

/* Calloc'd array of n elements for json array arr (n may be 0). */
static void *array_of(size_t n, size_t size) { return calloc(n ? n : 1, size); }

/* ---- news ------------------------------------------------------------------------------- */

static enum vt_err news_from_json(const json_t *d, const char *path, struct vt_news *n,
                                  struct vt_error *err) {
  static const char *const keys[] = {"title", "link", "items", NULL};
  static const char *const item_keys[] = {"title", "summary", "link", "published", "image", NULL};
  json_t *items = NULL;
  enum vt_err rc;
  if ((rc = keys_only(d, path, keys, err)) ||
      (rc = str_dup(d, path, "title", false, VT_LIMIT_FEED_TITLE_BYTES, &n->title, err)) ||
      (rc = str_dup(d, path, "link", false, VT_LIMIT_FEED_URL_BYTES, &n->link, err)) ||
      (rc = vt_json_array(d, path, "items", true, VT_LIMIT_SNAPSHOT_NEWS_ITEMS, &items, err)))
    return rc;
  if (!(n->items = array_of(json_array_size(items), sizeof *n->items))) return vt_error_no_memory(err);
  size_t i;
  json_t *e;
  char base[VT_JSON_PATH_MAX], p[VT_JSON_PATH_MAX];
  vt_json_path_key(base, path, "items");
  json_array_foreach(items, i, e) {
    vt_json_path_index(p, base, i);
    struct vt_news_item *it = &n->items[n->n_items++];
    if ((rc = keys_only(e, p, item_keys, err)) ||
        (rc = str_dup(e, p, "title", false, VT_LIMIT_FEED_TITLE_BYTES, &it->title, err)) ||
        (rc = str_dup(e, p, "summary", false, VT_LIMIT_FEED_SUMMARY_BYTES, &it->summary, err)) ||
        (rc = str_dup(e, p, "link", false, VT_LIMIT_FEED_URL_BYTES, &it->link, err)) ||
        (rc = str_dup(e, p, "image", true, VT_LIMIT_FEED_URL_BYTES, &it->image, err)))
      return rc;
    const json_t *pub = json_object_get(e, "published");
    if (!pub) return bad(err, p, "published", "'published' is required (null when unknown)");
    if (!json_is_null(pub)) {
      if ((rc = vt_json_time(e, p, "published", true, &it->published_ms, err))) return rc;
      it->has_published = true;
    }
  }
  return VT_OK;
}

static void news_free(struct vt_news *n) {
  for (size_t i = 0; i < n->n_items; i++) {
    free(n->items[i].title);
    free(n->items[i].summary);
    free(n->items[i].link);
    free(n->items[i].image);
  }
  free(n->items);
  free(n->title);
  free(n->link);
}

/* ---- weather ---------------------------------------------------------------------------- */

/* The weather parsers write null for what a source does not give (condition and icon NULL). */
static enum vt_err condition_icon(const json_t *o, const char *p, char **condition, char **icon,
                                  struct vt_error *err) {
  enum vt_err rc;
  if ((rc = str_dup(o, p, "condition", true, CONDITION_MAX, condition, err)) ||
      (rc = str_dup(o, p, "icon", true, ICON_MAX, icon, err)))
    return rc;
  return !*icon || icon_valid(*icon)
             ? VT_OK
             : bad(err, p, "icon", "'icon' must be a name of [a-z0-9_-] (assets/weather/) or null");
}

static enum vt_err weather_from_json(const json_t *d, const char *path, struct vt_weather *w,
                                     struct vt_error *err) {
  static const char *const keys[] = {"location", "units", "current", "hours", "days", NULL};
  static const char *const loc_keys[] = {"name", "lat", "lon", NULL};
  static const char *const unit_keys[] = {"temperature", "wind", "precipitation", NULL};
  static const char *const cur_keys[] = {"time", "temperature", "condition", "icon",
                                         "wind_speed", "humidity", NULL};
  static const char *const hour_keys[] = {"time", "temperature", "condition", "icon",
                                          "precipitation", NULL};
  static const char *const day_keys[] = {"date", "min", "max", "condition", "icon", NULL};
  json_t *loc = NULL, *units = NULL, *hours = NULL, *days = NULL;
  char lp[VT_JSON_PATH_MAX], up[VT_JSON_PATH_MAX], cp[VT_JSON_PATH_MAX];
  int t = 0, wu = 0, pu = 0;
  enum vt_err rc;
  vt_json_path_key(lp, path, "location");
  vt_json_path_key(up, path, "units");
  vt_json_path_key(cp, path, "current");
  if ((rc = keys_only(d, path, keys, err)) ||
      (rc = vt_json_object(d, path, "location", true, &loc, err)) ||
      (rc = keys_only(loc, lp, loc_keys, err)) ||
      (rc = str_dup(loc, lp, "name", true, VT_LIMIT_NAME_BYTES, &w->location_name, err)) ||
      (rc = num(loc, lp, "lat", true, -90, 90, &w->lat, err)) ||
      (rc = num(loc, lp, "lon", true, -180, 180, &w->lon, err)) ||
      (rc = vt_json_object(d, path, "units", true, &units, err)) ||
      (rc = keys_only(units, up, unit_keys, err)) ||
      (rc = vt_json_choice(units, up, "temperature", true, vt_temp_unit_choices, &t, err)) ||
      (rc = vt_json_choice(units, up, "wind", true, vt_wind_unit_choices, &wu, err)) ||
      (rc = vt_json_choice(units, up, "precipitation", true, vt_precip_unit_choices, &pu, err)))
    return rc;
  w->temp_unit = (enum vt_temp_unit)t;
  w->wind_unit = (enum vt_wind_unit)wu;
  w->precip_unit = (enum vt_precip_unit)pu;
  const json_t *cur = json_object_get(d, "current");
  if (!cur) return bad(err, path, "current", "'current' is required (null when there is none)");
  if (!json_is_null(cur)) {
    w->has_current = true;
    if ((rc = keys_only(cur, cp, cur_keys, err))) return rc;
    const json_t *time = json_object_get(cur, "time");
    if (!time) return bad(err, cp, "time", "'time' is required (null when unknown)");
    w->current.time_ms = NO_TIME;
    if (!json_is_null(time) &&
        (rc = vt_json_time(cur, cp, "time", true, &w->current.time_ms, err)))
      return rc;
    if ((rc = num(cur, cp, "temperature", true, TEMP_MIN, TEMP_MAX, &w->current.temperature, err)) ||
        (rc = condition_icon(cur, cp, &w->current.condition, &w->current.icon, err)) ||
        (rc = num(cur, cp, "wind_speed", true, 0, 1000, &w->current.wind_speed, err)) ||
        (rc = num(cur, cp, "humidity", true, 0, 100, &w->current.humidity, err)))
      return rc;
  }
  if ((rc = vt_json_array(d, path, "hours", true, VT_LIMIT_SNAPSHOT_HOURS, &hours, err)) ||
      (rc = vt_json_array(d, path, "days", true, VT_LIMIT_SNAPSHOT_DAYS, &days, err)))
    return rc;
  if (!(w->hours = array_of(json_array_size(hours), sizeof *w->hours)) ||
      !(w->days = array_of(json_array_size(days), sizeof *w->days)))
    return vt_error_no_memory(err);
  size_t i;
  json_t *e;
  char base[VT_JSON_PATH_MAX], p[VT_JSON_PATH_MAX];
  vt_json_path_key(base, path, "hours");
  json_array_foreach(hours, i, e) {
    struct vt_weather_hour *h = &w->hours[w->n_hours++];
    vt_json_path_index(p, base, i);
    if ((rc = keys_only(e, p, hour_keys, err)) ||
        (rc = vt_json_time(e, p, "time", true, &h->time_ms, err)) ||
        (rc = num(e, p, "temperature", true, TEMP_MIN, TEMP_MAX, &h->temperature, err)) ||
        (rc = condition_icon(e, p, &h->condition, &h->icon, err)) ||
        (rc = num(e, p, "precipitation", true, 0, 10000, &h->precipitation, err)))
      return rc;
  }
  vt_json_path_key(base, path, "days");
  json_array_foreach(days, i, e) {
    struct vt_weather_day *dy = &w->days[w->n_days++];
    const char *date = NULL;
    vt_json_path_index(p, base, i);
    if ((rc = keys_only(e, p, day_keys, err)) ||
        (rc = vt_json_str(e, p, "date", true, 10, 10, &date, err)))
      return rc;
    if (!date_valid(date)) return bad(err, p, "date", "'date' must be YYYY-MM-DD");
    memcpy(dy->date, date, 11);
    if ((rc = num(e, p, "min", true, TEMP_MIN, TEMP_MAX, &dy->min, err)) ||
        (rc = num(e, p, "max", true, TEMP_MIN, TEMP_MAX, &dy->max, err)) ||
        (rc = condition_icon(e, p, &dy->condition, &dy->icon, err)))
      return rc;
    /* false when either is NAN (a source that gives only highs or only lows) */
    if (dy->min > dy->max) return bad(err, p, "min", "'min' is above 'max'");
  }
  return VT_OK;
}

static void weather_free(struct vt_weather *w) {
  free(w->location_name);
  free(w->current.condition);
  free(w->current.icon);
  for (size_t i = 0; i < w->n_hours; i++) {
    free(w->hours[i].condition);
    free(w->hours[i].icon);
  }
  for (size_t i = 0; i < w->n_days; i++) {
    free(w->days[i].condition);
    free(w->days[i].icon);
  }
  free(w->hours);
  free(w->days);
}

/* ---- currency --------------------------------------------------------------------------- */

static int rate_order(const void *a, const void *b) {
  return strcmp(((const struct vt_rate *)a)->code, ((const struct vt_rate *)b)->code);
}

static enum vt_err currency_from_json(const json_t *d, const char *path, struct vt_currency *c,
                                      struct vt_error *err) {
  static const char *const keys[] = {"source", "date", "base", "rates", NULL};
  const char *date = NULL, *base = NULL;
  json_t *rates = NULL;
  enum vt_err rc;
  if ((rc = keys_only(d, path, keys, err)) ||
      (rc = str_dup(d, path, "source", false, VT_LIMIT_NAME_BYTES, &c->source, err)) ||
      (rc = vt_json_str(d, path, "date", true, 10, 10, &date, err)) ||
      (rc = vt_json_str(d, path, "base", true, 3, 3, &base, err)) ||
      (rc = vt_json_object(d, path, "rates", true, &rates, err)))
    return rc;
  if (!date_valid(date)) return bad(err, path, "date", "'date' must be YYYY-MM-DD");
  if (!vt_currency_code_valid(base)) return bad(err, path, "base", "'base' must be an ISO 4217 code");
  memcpy(c->date, date, 11);
  memcpy(c->base, base, 4);
  char rp[VT_JSON_PATH_MAX];
  vt_json_path_key(rp, path, "rates");
  if (json_object_size(rates) > VT_LIMIT_SNAPSHOT_RATES)
    return bad(err, path, "rates", "too many rates");
  if (!(c->rates = array_of(json_object_size(rates), sizeof *c->rates))) return vt_error_no_memory(err);
  const char *code;
  json_t *v;
  json_object_foreach(rates, code, v) {
    if (!vt_currency_code_valid(code)) return bad(err, rp, code, "rates are keyed by ISO 4217 codes");
    struct vt_rate *r = &c->rates[c->n_rates++];
    memcpy(r->code, code, 4);
    if ((rc = num(rates, rp, code, false, 1e-9, 1e12, &r->rate, err))) return rc;
  }
  if (c->n_rates > 1) qsort(c->rates, c->n_rates, sizeof *c->rates, rate_order);
  return VT_OK;
}

static void currency_free(struct vt_currency *c) {
  free(c->source);
  free(c->rates);
}

/* ---- menu ------------------------------------------------------------------------------- */

static enum vt_err menu_item_from_json(const json_t *e, const char *p, struct vt_menu_item *it,
                                       struct vt_error *err) {
  static const char *const keys[] = {"id",       "name",  "description", "price",
                                     "currency", "image", "sold_out",    NULL};
  const json_t *img = json_object_get(e, "image");
  const char *image = NULL;
  enum vt_err rc;
  if ((rc = keys_only(e, p, keys, err)) ||
      (rc = vt_json_int(e, p, "id", true, 1, INT64_MAX, &it->id, err)) ||
      (rc = str_dup(e, p, "name", false, VT_LIMIT_NAME_BYTES, &it->name, err)) ||
      (rc = str_dup(e, p, "description", false, VT_LIMIT_MENU_DESCRIPTION_BYTES, &it->description,
                    err)) ||
      (rc = str_dup(e, p, "price", false, 32, &it->price, err)) ||
      (rc = str_dup(e, p, "currency", false, VT_LIMIT_CURRENCY_LABEL_BYTES, &it->currency, err)) ||
      (rc = vt_json_bool(e, p, "sold_out", true, &it->sold_out, err)))
    return rc;
  if (!vt_price_valid(it->price))
    return bad(err, p, "price", "'price' must be a decimal such as \"120000\" or \"3.20\"");
  if (!img) return bad(err, p, "image", "'image' is required (null when there is none)");
  if (!json_is_null(img)) {
    if ((rc = vt_json_str(e, p, "image", true, VT_SHA256_HEX_LEN, VT_SHA256_HEX_LEN, &image, err)))
      return rc;
    if (!vt_sha256_hex_valid(image)) return bad(err, p, "image", "'image' must be a sha256");
    memcpy(it->image, image, VT_SHA256_HEX_LEN + 1);
  }
  return VT_OK;
}

static enum vt_err menu_from_json(const json_t *d, const char *path, struct vt_menu *m,
                                  struct vt_error *err) {
  static const char *const keys[] = {"name", "sections", NULL};
  static const char *const section_keys[] = {"id", "name", "items", NULL};
  json_t *sections = NULL;
  size_t total = 0;
  enum vt_err rc;
  if ((rc = keys_only(d, path, keys, err)) ||
      (rc = str_dup(d, path, "name", false, VT_LIMIT_NAME_BYTES, &m->name, err)) ||
      (rc = vt_json_array(d, path, "sections", true, VT_LIMIT_MENU_SECTIONS, &sections, err)))
    return rc;
  if (!(m->sections = array_of(json_array_size(sections), sizeof *m->sections)))
    return vt_error_no_memory(err);
  char base[VT_JSON_PATH_MAX], p[VT_JSON_PATH_MAX], ibase[VT_JSON_PATH_MAX], ip[VT_JSON_PATH_MAX];
  vt_json_path_key(base, path, "sections");
  size_t i, k;
  json_t *e, *ie, *items = NULL;
  json_array_foreach(sections, i, e) {
    struct vt_menu_section *s = &m->sections[m->n_sections++];
    vt_json_path_index(p, base, i);
    if ((rc = keys_only(e, p, section_keys, err)) ||
        (rc = vt_json_int(e, p, "id", true, 1, INT64_MAX, &s->id, err)) ||
        (rc = str_dup(e, p, "name", false, VT_LIMIT_NAME_BYTES, &s->name, err)) ||
        (rc = vt_json_array(e, p, "items", true, VT_LIMIT_MENU_ITEMS, &items, err)))
      return rc;
    if ((total += json_array_size(items)) > VT_LIMIT_MENU_ITEMS)
      return bad(err, p, "items", "the menu has too many items");
    if (!(s->items = array_of(json_array_size(items), sizeof *s->items))) return vt_error_no_memory(err);
    vt_json_path_key(ibase, p, "items");
    json_array_foreach(items, k, ie) {
      vt_json_path_index(ip, ibase, k);
      if ((rc = menu_item_from_json(ie, ip, &s->items[s->n_items++], err))) return rc;
    }
  }
  return VT_OK;
}

static void menu_free(struct vt_menu *m) {
  for (size_t i = 0; i < m->n_sections; i++) {
    struct vt_menu_section *s = &m->sections[i];
    for (size_t k = 0; k < s->n_items; k++) {
      free(s->items[k].name);
      free(s->items[k].description);
      free(s->items[k].price);
      free(s->items[k].currency);
    }
    free(s->items);
    free(s->name);
  }
  free(m->sections);
  free(m->name);
}

/* ---- the document ----------------------------------------------------------------------- */

static enum vt_err data_from_json(struct vt_snapshot *s, const json_t *data, const char *path,
                                  struct vt_error *err) {
  switch (s->kind) {
    case VT_SOURCE_NEWS: return news_from_json(data, path, &s->u.news, err);
    case VT_SOURCE_WEATHER: return weather_from_json(data, path, &s->u.weather, err);
    case VT_SOURCE_CURRENCY: return currency_from_json(data, path, &s->u.currency, err);
    case VT_SOURCE_MENU: return menu_from_json(data, path, &s->u.menu, err);
  }
  return vt_error_set(err, VT_ERR_INTERNAL, path, "unknown kind");
}

void vt_snapshot_free(struct vt_snapshot *s) {
  if (!s) return;
  switch (s->kind) {
    case VT_SOURCE_NEWS: news_free(&s->u.news); break;
    case VT_SOURCE_WEATHER: weather_free(&s->u.weather); break;
    case VT_SOURCE_CURRENCY: currency_free(&s->u.currency); break;
    case VT_SOURCE_MENU: menu_free(&s->u.menu); break;
  }
  free(s);
}

enum vt_err vt_snapshot_check_data(enum vt_source_kind kind, const json_t *data, const char *path,
                                   struct vt_error *err) {
  struct vt_snapshot *s = calloc(1, sizeof *s);
  if (!s) return vt_error_no_memory(err);
  s->kind = kind;
  enum vt_err rc = vt_json_expect_object(data, path, err);
  if (rc == VT_OK) rc = data_from_json(s, data, path, err);
  vt_snapshot_free(s);
  return rc;
}

enum vt_err vt_snapshot_from_json(const json_t *root, struct vt_snapshot **out,
                                  struct vt_error *err) {
  static const char *const keys[] = {"key", "kind", "version", "updated_at", "data", NULL};
  *out = NULL;
  const char *key = NULL;
  int kind = 0;
  json_t *data = NULL;
  struct vt_snapshot *s = calloc(1, sizeof *s);
  if (!s) return vt_error_no_memory(err);
  enum vt_err rc;
  if ((rc = keys_only(root, "", keys, err)) ||
      (rc = vt_json_str(root, "", "key", true, 1, VT_SOURCE_KEY_MAX - 1, &key, err)) ||
      (rc = vt_json_choice(root, "", "kind", true, vt_source_kind_choices, &kind, err)))
    goto fail;
  s->kind = (enum vt_source_kind)kind;
  if (!vt_source_key_fits(key, s->kind)) {
    rc = vt_error_set(err, VT_ERR_INVALID, "key", "'%s' is not a key of a %s source", key,
                      vt_choice_name(vt_source_kind_choices, kind));
    goto fail;
  }
  snprintf(s->key, sizeof s->key, "%s", key);
  if ((rc = vt_json_int(root, "", "version", true, 1, INT64_MAX, &s->version, err)) ||
      (rc = vt_json_time(root, "", "updated_at", true, &s->updated_ms, err)) ||
      (rc = vt_json_object(root, "", "data", true, &data, err)) ||
      (rc = data_from_json(s, data, "data", err)))
    goto fail;
  *out = s;
  return VT_OK;
fail:
  vt_snapshot_free(s);
  return rc;
}

enum vt_err vt_snapshot_parse(const char *json, size_t len, struct vt_snapshot **out,
                              struct vt_error *err) {
  *out = NULL;
  if (len > VT_LIMIT_SNAPSHOT_BYTES)
    return vt_error_set(err, VT_ERR_TOO_LARGE, "", "snapshot larger than %u bytes",
                        VT_LIMIT_SNAPSHOT_BYTES);
  json_t *root = NULL;
  enum vt_err rc = vt_json_parse(json, len, &root, err);
  if (rc != VT_OK) return rc;
  rc = vt_snapshot_from_json(root, out, err);
  json_decref(root);
  return rc;
}

/* ---- struct -> JSON --------------------------------------------------------------------- */

static json_t *num_json(double d) { return isnan(d) ? json_null() : json_real(d); }
static json_t *str_json(const char *s) { return json_string(s ? s : ""); }
static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }
static json_t *str_nullable(const char *s) { return s ? json_string(s) : json_null(); }

/* json_object_set_new / json_array_append_new recording a failure in *ok. */
static void put(json_t *o, const char *k, json_t *v, int *ok) {
  if (!o) json_decref(v);
  if (!o || !v || json_object_set_new(o, k, v) != 0) *ok = 0;
}
static void add(json_t *a, json_t *v, int *ok) {
  if (!a) json_decref(v);
  if (!a || !v || json_array_append_new(a, v) != 0) *ok = 0;
}

static json_t *news_json(const struct vt_news *n, int *ok) {
  json_t *o = json_object(), *items = json_array();
  put(o, "title", str_json(n->title), ok);
  put(o, "link", str_json(n->link), ok);
  for (size_t i = 0; items && i < n->n_items; i++) {
    const struct vt_news_item *it = &n->items[i];
    json_t *e = json_object();
    put(e, "title", str_json(it->title), ok);
    put(e, "summary", str_json(it->summary), ok);
    put(e, "link", str_json(it->link), ok);
    put(e, "published", it->has_published ? vt_json_time_new(it->published_ms) : json_null(), ok);
    put(e, "image", it->image ? json_string(it->image) : json_null(), ok);
    add(items, e, ok);
  }
  put(o, "items", items, ok);
  return o;
}

json_t *vt_news_to_json(const struct vt_news *n) {
  int ok = 1;
  json_t *o = news_json(n, &ok);
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *weather_json(const struct vt_weather *w, int *ok) {
  json_t *o = json_object(), *loc = json_object(), *units = json_object(), *hours = json_array(),
         *days = json_array(), *cur = json_null();
  put(loc, "name", str_nullable(w->location_name), ok);
  put(loc, "lat", num_json(w->lat), ok);
  put(loc, "lon", num_json(w->lon), ok);
  put(units, "temperature", json_string(vt_choice_name(vt_temp_unit_choices, w->temp_unit)), ok);
  put(units, "wind", json_string(vt_choice_name(vt_wind_unit_choices, w->wind_unit)), ok);
  put(units, "precipitation", json_string(vt_choice_name(vt_precip_unit_choices, w->precip_unit)),
      ok);
  if (w->has_current) {
    cur = json_object();
    put(cur, "time",
        w->current.time_ms == NO_TIME ? json_null() : vt_json_time_new(w->current.time_ms), ok);
    put(cur, "temperature", num_json(w->current.temperature), ok);
    put(cur, "condition", str_nullable(w->current.condition), ok);
    put(cur, "icon", str_nullable(w->current.icon), ok);
    put(cur, "wind_speed", num_json(w->current.wind_speed), ok);
    put(cur, "humidity", num_json(w->current.humidity), ok);
  }
  for (size_t i = 0; i < w->n_hours; i++) {
    const struct vt_weather_hour *h = &w->hours[i];
    json_t *e = json_object();
    put(e, "time", vt_json_time_new(h->time_ms), ok);
    put(e, "temperature", num_json(h->temperature), ok);
    put(e, "condition", str_nullable(h->condition), ok);
    put(e, "icon", str_nullable(h->icon), ok);
    put(e, "precipitation", num_json(h->precipitation), ok);
    add(hours, e, ok);
  }
  for (size_t i = 0; i < w->n_days; i++) {
    const struct vt_weather_day *d = &w->days[i];
    json_t *e = json_object();
    put(e, "date", json_string(d->date), ok);
    put(e, "min", num_json(d->min), ok);
    put(e, "max", num_json(d->max), ok);
    put(e, "condition", str_nullable(d->condition), ok);
    put(e, "icon", str_nullable(d->icon), ok);
    add(days, e, ok);
  }
  put(o, "location", loc, ok);
  put(o, "units", units, ok);
  put(o, "current", cur, ok);
  put(o, "hours", hours, ok);
  put(o, "days", days, ok);
  return o;
}

static json_t *currency_json(const struct vt_currency *c, int *ok) {
  json_t *o = json_object(), *rates = json_object();
  put(o, "source", str_json(c->source), ok);
  put(o, "date", json_string(c->date), ok);
  put(o, "base", json_string(c->base), ok);
  for (size_t i = 0; i < c->n_rates; i++) put(rates, c->rates[i].code, json_real(c->rates[i].rate), ok);
  put(o, "rates", rates, ok);
  return o;
}

static json_t *menu_json(const struct vt_menu *m, int *ok) {
  json_t *o = json_object(), *sections = json_array();
  put(o, "name", str_json(m->name), ok);
  for (size_t i = 0; i < m->n_sections; i++) {
    const struct vt_menu_section *s = &m->sections[i];
    json_t *so = json_object(), *items = json_array();
    put(so, "id", json_integer(s->id), ok);
    put(so, "name", str_json(s->name), ok);
    for (size_t k = 0; k < s->n_items; k++) {
      const struct vt_menu_item *it = &s->items[k];
      json_t *e = json_object();
      put(e, "id", json_integer(it->id), ok);
      put(e, "name", str_json(it->name), ok);
      put(e, "description", str_json(it->description), ok);
      put(e, "price", str_json(it->price), ok);
      put(e, "currency", str_json(it->currency), ok);
      put(e, "image", str_or_null(it->image), ok);
      put(e, "sold_out", json_boolean(it->sold_out), ok);
      add(items, e, ok);
    }
    put(so, "items", items, ok);
    add(sections, so, ok);
  }
  put(o, "sections", sections, ok);
  return o;
}

json_t *vt_snapshot_to_json(const struct vt_snapshot *s) {
  int ok = 1;
  json_t *root = json_object(), *data = NULL;
  switch (s->kind) {
    case VT_SOURCE_NEWS: data = news_json(&s->u.news, &ok); break;
    case VT_SOURCE_WEATHER: data = weather_json(&s->u.weather, &ok); break;
    case VT_SOURCE_CURRENCY: data = currency_json(&s->u.currency, &ok); break;
    case VT_SOURCE_MENU: data = menu_json(&s->u.menu, &ok); break;
  }
  put(root, "key", json_string(s->key), &ok);
  put(root, "kind", json_string(vt_choice_name(vt_source_kind_choices, s->kind)), &ok);
  put(root, "version", json_integer(s->version), &ok);
  put(root, "updated_at", vt_json_time_new(s->updated_ms), &ok);
  put(root, "data", data, &ok);
  if (!ok) {
    json_decref(root);
    return NULL;
  }
  return root;
}
