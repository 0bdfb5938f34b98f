/* Manifest JSON <-> struct vt_manifest, and its validation. The JSON form is documented in
 * docs/manifest.md; keep the two in step. */
#include "manifest.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "vt_limits.h"
#include "timeutil.h"

const struct vt_choice vt_item_type_choices[] = {
    {"image", VT_ITEM_IMAGE},       {"text", VT_ITEM_TEXT},     {"ticker", VT_ITEM_TICKER},
    {"clock", VT_ITEM_CLOCK},       {"weather", VT_ITEM_WEATHER}, {"currency", VT_ITEM_CURRENCY},
    {"menu", VT_ITEM_MENU},         {NULL, 0}};
const struct vt_choice vt_source_kind_choices[] = {{"news", VT_SOURCE_NEWS},
                                                   {"weather", VT_SOURCE_WEATHER},
                                                   {"currency", VT_SOURCE_CURRENCY},
                                                   {"menu", VT_SOURCE_MENU},
                                                   {NULL, 0}};
/* "locale" names the default explicitly, so a dump can say it and an API edit can restore it. */
const struct vt_choice vt_digits_choices[] = {{"locale", VT_DIGITS_LOCALE},
                                              {"latin", VT_DIGITS_LATIN},
                                              {"persian", VT_DIGITS_PERSIAN},
                                              {"arabic", VT_DIGITS_ARABIC},
                                              {NULL, 0}};
const struct vt_choice vt_calendar_choices[] = {
    {"gregorian", VT_CALENDAR_GREGORIAN}, {"jalali", VT_CALENDAR_JALALI}, {NULL, 0}};
const struct vt_choice vt_fit_choices[] = {
    {"contain", VT_FIT_CONTAIN}, {"cover", VT_FIT_COVER}, {"stretch", VT_FIT_STRETCH}, {NULL, 0}};
const struct vt_choice vt_align_choices[] = {{"start", VT_ALIGN_START}, {"center", VT_ALIGN_CENTER},
                                             {"end", VT_ALIGN_END},     {"left", VT_ALIGN_LEFT},
                                             {"right", VT_ALIGN_RIGHT}, {NULL, 0}};
const struct vt_choice vt_valign_choices[] = {
    {"top", VT_VALIGN_TOP}, {"middle", VT_VALIGN_MIDDLE}, {"bottom", VT_VALIGN_BOTTOM}, {NULL, 0}};
const struct vt_choice vt_weight_choices[] = {
    {"regular", VT_WEIGHT_REGULAR}, {"bold", VT_WEIGHT_BOLD}, {NULL, 0}};
const struct vt_choice vt_window_kind_choices[] = {
    {"schedule", VT_WINDOW_SCHEDULE}, {"override", VT_WINDOW_OVERRIDE}, {NULL, 0}};
const struct vt_choice vt_window_target_choices[] = {
    {"display", VT_TARGET_DISPLAY}, {"group", VT_TARGET_GROUP}, {NULL, 0}};

#define DEFAULT_TEXT_SIZE_PX 48
/* Defaults of the live items' options (docs/live-content.md). */
#define DEFAULT_TICKER_SPEED_PX_S 120
#define DEFAULT_TICKER_MAX_ITEMS 20
#define DEFAULT_WEATHER_HOURS 6
#define DEFAULT_WEATHER_DAYS 3
#define DEFAULT_CURRENCY_BASE "EUR"
#define DEFAULT_CURRENCY_DECIMALS 4

static bool is_live(enum vt_item_type t) { return t != VT_ITEM_IMAGE && t != VT_ITEM_TEXT; }

/* ---- allocation ---------------------------------------------------------------------- */

/* Grow *arr (of *n elements of size sz) by one zeroed element; NULL when out of memory. */
static void *grow(void **arr, size_t *n, size_t sz) {
  void *p = realloc(*arr, (*n + 1) * sz);
  if (!p) return NULL;
  *arr = p;
  void *elem = (char *)p + *n * sz;
  memset(elem, 0, sz);
  (*n)++;
  return elem;
}

struct vt_manifest *vt_manifest_new(void) {
  struct vt_manifest *m = calloc(1, sizeof *m);
  return m;
}

struct vt_layout *vt_manifest_add_layout(struct vt_manifest *m) {
  return grow((void **)&m->layouts, &m->n_layouts, sizeof *m->layouts);
}
struct vt_region *vt_layout_add_region(struct vt_layout *l) {
  return grow((void **)&l->regions, &l->n_regions, sizeof *l->regions);
}
struct vt_playlist *vt_manifest_add_playlist(struct vt_manifest *m) {
  return grow((void **)&m->playlists, &m->n_playlists, sizeof *m->playlists);
}
struct vt_window *vt_manifest_add_window(struct vt_manifest *m) {
  return grow((void **)&m->windows, &m->n_windows, sizeof *m->windows);
}
struct vt_media_ref *vt_manifest_add_media(struct vt_manifest *m) {
  return grow((void **)&m->media, &m->n_media, sizeof *m->media);
}
struct vt_source *vt_manifest_add_source(struct vt_manifest *m) {
  return grow((void **)&m->sources, &m->n_sources, sizeof *m->sources);
}

void vt_text_style_default(struct vt_text_style *s) {
  s->size_px = DEFAULT_TEXT_SIZE_PX;
  s->color = 0xffffffffu;
  s->background = 0x00000000u;
  s->align = VT_ALIGN_CENTER;
  s->valign = VT_VALIGN_MIDDLE;
  s->weight = VT_WEIGHT_REGULAR;
  s->padding_px = 0;
}

struct vt_item *vt_playlist_add_item(struct vt_playlist *p) {
  struct vt_item *it = grow((void **)&p->items, &p->n_items, sizeof *p->items);
  if (it) vt_text_style_default(&it->style);
  return it;
}

void vt_item_defaults(struct vt_item *it) {
  vt_text_style_default(&it->style);
  it->digits = VT_DIGITS_LOCALE;
  switch (it->type) {
  case VT_ITEM_TICKER:
    it->ticker.speed_px_s = DEFAULT_TICKER_SPEED_PX_S;
    it->ticker.max_items = DEFAULT_TICKER_MAX_ITEMS;
    break;
  case VT_ITEM_CLOCK:
    it->clock.calendar = VT_CALENDAR_GREGORIAN;
    break;
  case VT_ITEM_WEATHER:
    it->weather.hours = DEFAULT_WEATHER_HOURS;
    it->weather.days = DEFAULT_WEATHER_DAYS;
    break;
  case VT_ITEM_CURRENCY:
    memcpy(it->currency.base, DEFAULT_CURRENCY_BASE, sizeof it->currency.base);
    it->currency.decimals = DEFAULT_CURRENCY_DECIMALS;
    break;
  case VT_ITEM_MENU:
    it->menu.columns = 0;
    it->menu.show_images = true;
    it->menu.show_descriptions = true;
    break;
  default:
    break;
  }
}

/* Everything an item owns, whatever its type (members of other types are NULL). */
static void item_free_members(struct vt_item *it) {
  free(it->text);
  free(it->locale);
  free(it->source);
  free(it->ticker.separator);
  free(it->clock.format);
  free(it->clock.timezone);
  free(it->currency.symbols);
}

void vt_item_clear(struct vt_item *it) {
  item_free_members(it);
  memset(it, 0, sizeof *it);
}

void vt_manifest_free(struct vt_manifest *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n_layouts; i++) {
    for (size_t r = 0; r < m->layouts[i].n_regions; r++) free(m->layouts[i].regions[r].name);
    free(m->layouts[i].regions);
    free(m->layouts[i].name);
  }
  for (size_t i = 0; i < m->n_playlists; i++) {
    for (size_t k = 0; k < m->playlists[i].n_items; k++)
      item_free_members(&m->playlists[i].items[k]);
    free(m->playlists[i].items);
    free(m->playlists[i].name);
  }
  for (size_t i = 0; i < m->n_media; i++) free(m->media[i].type);
  free(m->layouts);
  free(m->playlists);
  for (size_t i = 0; i < m->n_windows; i++) free(m->windows[i].region);
  free(m->windows);
  free(m->media);
  for (size_t i = 0; i < m->n_sources; i++) free(m->sources[i].key);
  free(m->sources);
  free(m->display_name);
  free(m->timezone);
  free(m);
}

/* ---- lookups ------------------------------------------------------------------------- */

const struct vt_layout *vt_manifest_layout(const struct vt_manifest *m, int64_t id) {
  for (size_t i = 0; i < m->n_layouts; i++)
    if (m->layouts[i].id == id) return &m->layouts[i];
  return NULL;
}

const struct vt_playlist *vt_manifest_playlist(const struct vt_manifest *m, int64_t id) {
  for (size_t i = 0; i < m->n_playlists; i++)
    if (m->playlists[i].id == id) return &m->playlists[i];
  return NULL;
}

const struct vt_media_ref *vt_manifest_media(const struct vt_manifest *m, const char *sha256) {
  for (size_t i = 0; i < m->n_media; i++)
    if (strcmp(m->media[i].sha256, sha256) == 0) return &m->media[i];
  return NULL;
}

/* Linear: at most VT_LIMIT_SOURCES, looked up when widgets are made, and it must also work
 * on a manifest being built (not yet sorted by vt_manifest_validate). */
const struct vt_source *vt_manifest_source(const struct vt_manifest *m, const char *key) {
  for (size_t i = 0; key && i < m->n_sources; i++)
    if (strcmp(m->sources[i].key, key) == 0) return &m->sources[i];
  return NULL;
}

/* ---- the grammar of small strings ---------------------------------------------------- */

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_lower(c) || is_upper(c) || is_digit(c); }

/* Source keys: the id is a positive decimal without leading zeros, since the key is also a
 * path segment of the player's fetch URL and its cache file name: nothing else passes. */
static bool parse_id(const char *s, int64_t *id) {
  if (*s < '1' || *s > '9') return false;
  int64_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10) return false;
    v = v * 10 + (*s - '0');
  }
  *id = v;
  return true;
}

bool vt_source_key_parse(const char *key, bool *is_menu, int64_t *id) {
  if (!key || strlen(key) >= VT_SOURCE_KEY_MAX) return false;
  if (strncmp(key, "menu/", 5) == 0)
    *is_menu = true;
  else if (strncmp(key, "feed/", 5) == 0)
    *is_menu = false;
  else
    return false;
  return parse_id(key + 5, id);
}

bool vt_source_key_fits(const char *key, enum vt_source_kind kind) {
  bool menu = false;
  int64_t id = 0;
  return vt_source_key_parse(key, &menu, &id) && menu == (kind == VT_SOURCE_MENU);
}

/* A BCP 47-like tag: "en", "fa", "fa-IR", "sr-Latn-RS". */
static bool locale_valid(const char *s) {
  size_t n = 0;
  while (is_lower(s[n])) n++;
  if (n < 2 || n > 3) return false;
  s += n;
  while (*s == '-') {
    s++;
    for (n = 0; is_alnum(s[n]); n++) {
    }
    if (n < 1 || n > 8) return false;
    s += n;
  }
  return *s == '\0';
}

bool vt_currency_code_valid(const char *s) {
  return is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]) && s[3] == '\0';
}

static const struct {
  const char *name;
  enum vt_clock_token tok;
} clock_tokens[] = {{"yyyy", VT_CLOCK_YEAR},    {"MM", VT_CLOCK_MONTH},   {"MMMM", VT_CLOCK_MONTH_NAME},
                    {"dd", VT_CLOCK_DAY},       {"EEEE", VT_CLOCK_WEEKDAY}, {"HH", VT_CLOCK_HOUR24},
                    {"hh", VT_CLOCK_HOUR12},    {"mm", VT_CLOCK_MINUTE},  {"ss", VT_CLOCK_SECOND},
                    {"a", VT_CLOCK_AMPM}};

int vt_clock_format_next(const char **p, enum vt_clock_token *tok, const char **lit,
                         size_t *lit_len) {
  const char *s = *p;
  if (*s == '\0') return 0;
  if (*s == '\'') {
    if (s[1] == '\'') { /* '' is one quote */
      *tok = VT_CLOCK_LITERAL;
      *lit = s;
      *lit_len = 1;
      *p = s + 2;
      return 1;
    }
    const char *end = strchr(s + 1, '\'');
    if (!end) return -1;
    *tok = VT_CLOCK_LITERAL;
    *lit = s + 1;
    *lit_len = (size_t)(end - s - 1);
    *p = end + 1;
    return 1;
  }
  if (is_lower(*s) || is_upper(*s)) {
    size_t n = 1;
    while (s[n] == s[0]) n++;
    for (size_t i = 0; i < sizeof clock_tokens / sizeof clock_tokens[0]; i++)
      if (strlen(clock_tokens[i].name) == n && strncmp(clock_tokens[i].name, s, n) == 0) {
        *tok = clock_tokens[i].tok;
        *p = s + n;
        return 1;
      }
    return -1;
  }
  size_t n = 0; /* anything else, UTF-8 included, up to the next letter or quote */
  while (s[n] && s[n] != '\'' && !is_lower(s[n]) && !is_upper(s[n])) n++;
  *tok = VT_CLOCK_LITERAL;
  *lit = s;
  *lit_len = n;
  *p = s + n;
  return 1;
}

static bool clock_format_valid(const char *f) {
  enum vt_clock_token tok;
  const char *lit;
  size_t n;
  int r;
  while ((r = vt_clock_format_next(&f, &tok, &lit, &n)) == 1) {
  }
  return r == 0;
}

/* ---- validation ---------------------------------------------------------------------- */

/* The error for member key of the item at path. */
static enum vt_err bad(struct vt_error *err, const char *path, const char *key, const char *fmt,
                       long a, long b) {
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, key);
  return vt_error_set(err, VT_ERR_INVALID, f, fmt, a, b);
}

static bool out_of(long v, long lo, long hi) { return v < lo || v > hi; }

bool vt_item_source_kind(enum vt_item_type t, enum vt_source_kind *kind) {
  switch (t) {
  case VT_ITEM_TICKER: *kind = VT_SOURCE_NEWS; return true;
  case VT_ITEM_WEATHER: *kind = VT_SOURCE_WEATHER; return true;
  case VT_ITEM_CURRENCY: *kind = VT_SOURCE_CURRENCY; return true;
  case VT_ITEM_MENU: *kind = VT_SOURCE_MENU; return true;
  default: return false;
  }
}

static enum vt_err check_live(const struct vt_item *it, const char *path, struct vt_error *err) {
  bool is_menu;
  enum vt_source_kind kind;
  if (it->locale && !locale_valid(it->locale))
    return bad(err, path, "locale", "'locale' must be a language tag such as \"en\" or \"fa-IR\"",
               0, 0);
  if (it->digits < VT_DIGITS_LOCALE || it->digits > VT_DIGITS_ARABIC)
    return bad(err, path, "digits", "unknown 'digits'", 0, 0);
  if (it->source) {
    if (!vt_item_source_kind(it->type, &kind))
      return bad(err, path, "source", "this item type shows no source", 0, 0);
    int64_t id;
    if (!vt_source_key_parse(it->source, &is_menu, &id))
      return bad(err, path, "source", "'source' must be a key \"feed/<id>\" or \"menu/<id>\"", 0,
                 0);
  } else if (it->type != VT_ITEM_CLOCK && !(it->type == VT_ITEM_TICKER && it->text)) {
    return bad(err, path, "source",
               it->type == VT_ITEM_TICKER ? "a ticker needs 'source' or 'text'"
                                          : "this item type needs a 'source'",
               0, 0);
  }
  if (it->text && strlen(it->text) > VT_LIMIT_TEXT_BYTES)
    return bad(err, path, "text", "'text' must be at most %ld bytes", VT_LIMIT_TEXT_BYTES, 0);
  switch (it->type) {
  case VT_ITEM_TICKER:
    if (out_of(it->ticker.speed_px_s, VT_LIMIT_TICKER_MIN_SPEED, VT_LIMIT_TICKER_MAX_SPEED))
      return bad(err, path, "speed_px_s", "'speed_px_s' must be between %ld and %ld",
                 VT_LIMIT_TICKER_MIN_SPEED, VT_LIMIT_TICKER_MAX_SPEED);
    if (out_of(it->ticker.max_items, 1, VT_LIMIT_TICKER_MAX_ITEMS))
      return bad(err, path, "max_items", "'max_items' must be between %ld and %ld", 1,
                 VT_LIMIT_TICKER_MAX_ITEMS);
    if (it->ticker.separator && strlen(it->ticker.separator) > VT_LIMIT_SEPARATOR_BYTES)
      return bad(err, path, "separator", "'separator' must be at most %ld bytes",
                 VT_LIMIT_SEPARATOR_BYTES, 0);
    break;
  case VT_ITEM_CLOCK:
    if (it->clock.format && (strlen(it->clock.format) > VT_LIMIT_CLOCK_FORMAT_BYTES ||
                             !clock_format_valid(it->clock.format)))
      return bad(err, path, "format",
                 "'format' takes the tokens yyyy MM MMMM dd EEEE HH hh mm ss a, literal text "
                 "in 'quotes', at most %ld bytes",
                 VT_LIMIT_CLOCK_FORMAT_BYTES, 0);
    if (it->clock.calendar != VT_CALENDAR_GREGORIAN && it->clock.calendar != VT_CALENDAR_JALALI)
      return bad(err, path, "calendar", "unknown 'calendar'", 0, 0);
    if (it->clock.timezone && !vt_zone_name_valid(it->clock.timezone))
      return bad(err, path, "timezone", "'timezone' must be an IANA zone name such as "
                 "\"Asia/Tehran\"", 0, 0);
    break;
  case VT_ITEM_WEATHER:
    if (out_of(it->weather.hours, 0, VT_LIMIT_WEATHER_HOURS))
      return bad(err, path, "hours", "'hours' must be between %ld and %ld", 0,
                 VT_LIMIT_WEATHER_HOURS);
    if (out_of(it->weather.days, 0, VT_LIMIT_WEATHER_DAYS))
      return bad(err, path, "days", "'days' must be between %ld and %ld", 0, VT_LIMIT_WEATHER_DAYS);
    break;
  case VT_ITEM_CURRENCY:
    if (!vt_currency_code_valid(it->currency.base))
      return bad(err, path, "base", "'base' must be an ISO 4217 code such as \"EUR\"", 0, 0);
    if (out_of((long)it->currency.n_symbols, 1, VT_LIMIT_CURRENCY_SYMBOLS))
      return bad(err, path, "symbols", "'symbols' must list %ld to %ld currency codes", 1,
                 VT_LIMIT_CURRENCY_SYMBOLS);
    for (size_t i = 0; i < it->currency.n_symbols; i++) {
      char sp[VT_JSON_PATH_MAX], ep[VT_JSON_PATH_MAX];
      vt_json_path_key(sp, path, "symbols");
      vt_json_path_index(ep, sp, i);
      if (!vt_currency_code_valid(it->currency.symbols[i]))
        return vt_error_set(err, VT_ERR_INVALID, ep,
                            "'symbols' must be ISO 4217 codes such as \"USD\"");
      for (size_t k = 0; k < i; k++)
        if (strcmp(it->currency.symbols[k], it->currency.symbols[i]) == 0)
          return bad(err, path, "symbols", "'symbols' lists a code twice", 0, 0);
    }
    if (out_of(it->currency.decimals, 0, VT_LIMIT_CURRENCY_DECIMALS))
      return bad(err, path, "decimals", "'decimals' must be between %ld and %ld", 0,
                 VT_LIMIT_CURRENCY_DECIMALS);
    break;
  case VT_ITEM_MENU:
    if (out_of(it->menu.columns, 0, VT_LIMIT_MENU_COLUMNS))
      return bad(err, path, "columns", "'columns' must be between %ld and %ld", 0,
                 VT_LIMIT_MENU_COLUMNS);
    break;
  default:
    break;
  }
  return VT_OK;
}

enum vt_err vt_item_check(const struct vt_item *it, const char *path, struct vt_error *err) {
  if (out_of((long)it->duration_ms, VT_LIMIT_MIN_DURATION_MS, VT_LIMIT_MAX_DURATION_MS))
    return bad(err, path, "duration_ms", "'duration_ms' must be between %ld and %ld",
               VT_LIMIT_MIN_DURATION_MS, VT_LIMIT_MAX_DURATION_MS);
  if (!vt_choice_name(vt_item_type_choices, (int)it->type))
    return bad(err, path, "type", "unknown item type", 0, 0);
  if (it->type == VT_ITEM_IMAGE) {
    if (!vt_sha256_hex_valid(it->media))
      return bad(err, path, "media", "'media' must be a sha256: 64 lower-case hex digits", 0, 0);
    return VT_OK;
  }
  if (it->type == VT_ITEM_TEXT && (!it->text || strlen(it->text) > VT_LIMIT_TEXT_BYTES))
    return bad(err, path, "text", "'text' must be at most %ld bytes", VT_LIMIT_TEXT_BYTES, 0);
  if (out_of(it->style.size_px, VT_LIMIT_MIN_TEXT_PX, VT_LIMIT_MAX_TEXT_PX))
    return bad(err, path, "style.size_px", "'size_px' must be between %ld and %ld",
               VT_LIMIT_MIN_TEXT_PX, VT_LIMIT_MAX_TEXT_PX);
  if (out_of(it->style.padding_px, 0, VT_LIMIT_CANVAS_PX))
    return bad(err, path, "style.padding_px", "'padding_px' must be between %ld and %ld", 0,
               VT_LIMIT_CANVAS_PX);
  return is_live(it->type) ? check_live(it, path, err) : VT_OK;
}

static enum vt_err validate_item(const struct vt_manifest *m, const struct vt_item *it,
                                 const char *path, struct vt_error *err) {
  enum vt_err rc = vt_item_check(it, path, err);
  if (rc != VT_OK) return rc;
  char f[VT_JSON_PATH_MAX];
  if (it->type == VT_ITEM_IMAGE && !vt_manifest_media(m, it->media)) {
    vt_json_path_key(f, path, "media");
    return vt_error_set(err, VT_ERR_INVALID, f, "media '%s' is not in the manifest's media list",
                        it->media);
  }
  enum vt_source_kind want;
  if (it->source && vt_item_source_kind(it->type, &want)) {
    const struct vt_source *src = vt_manifest_source(m, it->source);
    vt_json_path_key(f, path, "source");
    if (!src)
      return vt_error_set(err, VT_ERR_INVALID, f, "source '%s' is not in the manifest's sources",
                          it->source);
    if (src->kind != want)
      return vt_error_set(err, VT_ERR_INVALID, f, "source '%s' is %s, this item shows %s",
                          it->source, vt_choice_name(vt_source_kind_choices, (int)src->kind),
                          vt_choice_name(vt_source_kind_choices, (int)want));
  }
  return VT_OK;
}

static int source_cmp(const void *a, const void *b) {
  return strcmp(((const struct vt_source *)a)->key, ((const struct vt_source *)b)->key);
}

/* Keys well-formed, kinds that fit the key, no key twice; sorted by key afterwards. */
static enum vt_err validate_sources(struct vt_manifest *m, struct vt_error *err) {
  char p[VT_JSON_PATH_MAX], q[VT_JSON_PATH_MAX];
  if (m->n_sources > VT_LIMIT_SOURCES)
    return vt_error_set(err, VT_ERR_INVALID, "sources", "more than %d sources", VT_LIMIT_SOURCES);
  for (size_t i = 0; i < m->n_sources; i++) {
    const struct vt_source *s = &m->sources[i];
    bool is_menu = false;
    vt_json_path_index(p, "sources", i);
    vt_json_path_key(q, p, "key");
    int64_t id;
    if (!s->key || !vt_source_key_parse(s->key, &is_menu, &id))
      return vt_error_set(err, VT_ERR_INVALID, q, "a key is \"feed/<id>\" or \"menu/<id>\"");
    vt_json_path_key(q, p, "kind");
    if (!vt_choice_name(vt_source_kind_choices, (int)s->kind) ||
        is_menu != (s->kind == VT_SOURCE_MENU))
      return vt_error_set(err, VT_ERR_INVALID, q,
                          "a menu/ key has kind menu, a feed/ key news, weather or currency");
    for (size_t k = 0; k < i; k++)
      if (strcmp(m->sources[k].key, s->key) == 0) {
        vt_json_path_key(q, p, "key");
        return vt_error_set(err, VT_ERR_INVALID, q, "source '%s' is listed twice", s->key);
      }
  }
  if (m->n_sources > 1) qsort(m->sources, m->n_sources, sizeof *m->sources, source_cmp);
  return VT_OK;
}

static enum vt_err validate_region(const struct vt_manifest *m, const struct vt_layout *l,
                                   size_t ri, const char *path, struct vt_error *err) {
  const struct vt_region *r = &l->regions[ri];
  char f[VT_JSON_PATH_MAX];
  if (!r->name || !*r->name) {
    vt_json_path_key(f, path, "name");
    return vt_error_set(err, VT_ERR_INVALID, f, "a region needs a name");
  }
  for (size_t k = 0; k < ri; k++)
    if (strcmp(l->regions[k].name, r->name) == 0) {
      vt_json_path_key(f, path, "name");
      return vt_error_set(err, VT_ERR_INVALID, f, "region name '%s' is used twice", r->name);
    }
  if (r->width < 1 || r->height < 1 || r->x < 0 || r->y < 0 || r->x + r->width > l->width ||
      r->y + r->height > l->height) {
    return vt_error_set(err, VT_ERR_INVALID, path,
                        "region %dx%d at (%d,%d) must lie inside the %dx%d canvas", r->width,
                        r->height, r->x, r->y, l->width, l->height);
  }
  if (r->playlist_id != 0 && !vt_manifest_playlist(m, r->playlist_id)) {
    vt_json_path_key(f, path, "playlist");
    return vt_error_set(err, VT_ERR_INVALID, f, "playlist %lld is not in the manifest",
                        (long long)r->playlist_id);
  }
  return VT_OK;
}

static enum vt_err validate_window(const struct vt_manifest *m, const struct vt_window *w,
                                   size_t i, struct vt_error *err) {
  char p[VT_JSON_PATH_MAX], q[VT_JSON_PATH_MAX];
  vt_json_path_index(p, "schedule", i);
  const struct vt_layout *l = vt_manifest_layout(m, w->layout_id);
  if (!l) {
    vt_json_path_key(q, p, "layout");
    return vt_error_set(err, VT_ERR_INVALID, q, "layout %lld is not in the manifest",
                        (long long)w->layout_id);
  }
  if (w->end_ms <= w->start_ms) {
    vt_json_path_key(q, p, "end");
    return vt_error_set(err, VT_ERR_INVALID, q, "a window must end after it starts");
  }
  if (w->priority < VT_PRIORITY_MIN || w->priority > VT_PRIORITY_MAX) {
    vt_json_path_key(q, p, "priority");
    return vt_error_set(err, VT_ERR_INVALID, q, "'priority' must be between %d and %d",
                        VT_PRIORITY_MIN, VT_PRIORITY_MAX);
  }
  if (!w->region) {
    if (w->playlist_id) {
      vt_json_path_key(q, p, "playlist");
      return vt_error_set(err, VT_ERR_INVALID, q, "'playlist' needs 'region'");
    }
    return VT_OK;
  }
  if (w->kind == VT_WINDOW_OVERRIDE) {
    vt_json_path_key(q, p, "region");
    return vt_error_set(err, VT_ERR_INVALID, q, "an override takes the whole screen");
  }
  bool found = false;
  for (size_t r = 0; r < l->n_regions && !found; r++) found = strcmp(l->regions[r].name, w->region) == 0;
  if (!found) {
    vt_json_path_key(q, p, "region");
    return vt_error_set(err, VT_ERR_INVALID, q, "layout %lld has no region '%s'",
                        (long long)w->layout_id, w->region);
  }
  if (!vt_manifest_playlist(m, w->playlist_id)) {
    vt_json_path_key(q, p, "playlist");
    return vt_error_set(err, VT_ERR_INVALID, q, "playlist %lld is not in the manifest",
                        (long long)w->playlist_id);
  }
  return VT_OK;
}

bool vt_window_outranks(const struct vt_window *a, size_t ai, const struct vt_window *b,
                        size_t bi) {
  if (a->kind != b->kind) return a->kind == VT_WINDOW_OVERRIDE;
  if (a->priority != b->priority) return a->priority > b->priority;
  if (a->target != b->target) return a->target == VT_TARGET_DISPLAY;
  if (a->start_ms != b->start_ms) return a->start_ms > b->start_ms;
  return ai < bi;
}

static int window_cmp(const void *a, const void *b) {
  const struct vt_window *x = a, *y = b;
  if (x->start_ms != y->start_ms) return x->start_ms < y->start_ms ? -1 : 1;
  return 0;
}

enum vt_err vt_manifest_validate(struct vt_manifest *m, struct vt_error *err) {
  char p[VT_JSON_PATH_MAX], q[VT_JSON_PATH_MAX];
  enum vt_err rc;
  if (m->n_media > VT_LIMIT_MEDIA || m->n_playlists > VT_LIMIT_PLAYLISTS ||
      m->n_layouts > VT_LIMIT_LAYOUTS || m->n_windows > VT_LIMIT_WINDOWS)
    return vt_error_set(err, VT_ERR_INVALID, "", "the manifest exceeds a size limit");
  for (size_t i = 0; i < m->n_media; i++) {
    vt_json_path_index(p, "media", i);
    if (!vt_sha256_hex_valid(m->media[i].sha256)) {
      vt_json_path_key(q, p, "sha256");
      return vt_error_set(err, VT_ERR_INVALID, q, "must be 64 lower-case hex digits");
    }
    if (m->media[i].size < 0) {
      vt_json_path_key(q, p, "size");
      return vt_error_set(err, VT_ERR_INVALID, q, "size must not be negative");
    }
  }
  if ((rc = validate_sources(m, err)) != VT_OK) return rc;
  for (size_t i = 0; i < m->n_playlists; i++) {
    struct vt_playlist *pl = &m->playlists[i];
    vt_json_path_index(p, "playlists", i);
    for (size_t k = 0; k < i; k++)
      if (m->playlists[k].id == pl->id)
        return vt_error_set(err, VT_ERR_INVALID, p, "playlist id %lld is used twice",
                            (long long)pl->id);
    if (pl->n_items > VT_LIMIT_ITEMS_PER_PLAYLIST)
      return vt_error_set(err, VT_ERR_INVALID, p, "too many items");
    pl->cycle_ms = 0;
    for (size_t k = 0; k < pl->n_items; k++) {
      char ip[VT_JSON_PATH_MAX];
      vt_json_path_key(q, p, "items");
      vt_json_path_index(ip, q, k);
      if ((rc = validate_item(m, &pl->items[k], ip, err)) != VT_OK) return rc;
      pl->cycle_ms += pl->items[k].duration_ms;
    }
  }
  for (size_t i = 0; i < m->n_layouts; i++) {
    const struct vt_layout *l = &m->layouts[i];
    vt_json_path_index(p, "layouts", i);
    for (size_t k = 0; k < i; k++)
      if (m->layouts[k].id == l->id)
        return vt_error_set(err, VT_ERR_INVALID, p, "layout id %lld is used twice",
                            (long long)l->id);
    if (l->width < 1 || l->height < 1 || l->width > VT_LIMIT_CANVAS_PX ||
        l->height > VT_LIMIT_CANVAS_PX)
      return vt_error_set(err, VT_ERR_INVALID, p, "canvas must be 1 to %d pixels each way",
                          VT_LIMIT_CANVAS_PX);
    if (l->n_regions > VT_LIMIT_REGIONS)
      return vt_error_set(err, VT_ERR_INVALID, p, "more than %d regions", VT_LIMIT_REGIONS);
    for (size_t r = 0; r < l->n_regions; r++) {
      vt_json_path_key(q, p, "regions");
      char rp[VT_JSON_PATH_MAX];
      vt_json_path_index(rp, q, r);
      if ((rc = validate_region(m, l, r, rp, err)) != VT_OK) return rc;
    }
  }
  if (m->default_layout_id != 0 && !vt_manifest_layout(m, m->default_layout_id))
    return vt_error_set(err, VT_ERR_INVALID, "default_layout", "layout %lld is not in the manifest",
                        (long long)m->default_layout_id);
  for (size_t i = 0; i < m->n_windows; i++)
    if ((rc = validate_window(m, &m->windows[i], i, err)) != VT_OK) return rc;
  /* Stable order by start, so the timeline's "earlier in the manifest" tie-break is the
   * same on every machine; qsort is not stable, so only sort when out of order. */
  for (size_t i = 1; i < m->n_windows; i++)
    if (m->windows[i].start_ms < m->windows[i - 1].start_ms) {
      /* insertion sort keeps equal starts in their given order */
      for (size_t a = 1; a < m->n_windows; a++) {
        struct vt_window tmp = m->windows[a];
        size_t b = a;
        while (b > 0 && window_cmp(&m->windows[b - 1], &tmp) > 0) {
          m->windows[b] = m->windows[b - 1];
          b--;
        }
        m->windows[b] = tmp;
      }
      break;
    }
  return VT_OK;
}

/* ---- JSON -> struct ------------------------------------------------------------------ */

static enum vt_err dup_str(const char *s, char **out, struct vt_error *err) {
  *out = strdup(s ? s : "");
  return *out ? VT_OK : vt_error_no_memory(err);
}

enum vt_err vt_text_style_from_json(const json_t *obj, const char *path, struct vt_text_style *s,
                                    struct vt_error *err) {
  static const char *const keys[] = {"size_px", "color",  "background", "align",
                                     "valign",  "weight", "padding_px", NULL};
  enum vt_err rc;
  int64_t size = s->size_px, padding = s->padding_px;
  int align = (int)s->align, valign = (int)s->valign, weight = (int)s->weight;
  if ((rc = vt_json_only_keys(obj, path, keys, err)) ||
      (rc = vt_json_int(obj, path, "size_px", false, VT_LIMIT_MIN_TEXT_PX, VT_LIMIT_MAX_TEXT_PX,
                        &size, err)) ||
      (rc = vt_json_int(obj, path, "padding_px", false, 0, VT_LIMIT_CANVAS_PX, &padding, err)) ||
      (rc = vt_json_color(obj, path, "color", false, &s->color, err)) ||
      (rc = vt_json_color(obj, path, "background", false, &s->background, err)) ||
      (rc = vt_json_choice(obj, path, "align", false, vt_align_choices, &align, err)) ||
      (rc = vt_json_choice(obj, path, "valign", false, vt_valign_choices, &valign, err)) ||
      (rc = vt_json_choice(obj, path, "weight", false, vt_weight_choices, &weight, err)))
    return rc;
  s->size_px = (int)size;
  s->padding_px = (int)padding;
  s->align = (enum vt_align)align;
  s->valign = (enum vt_valign)valign;
  s->weight = (enum vt_weight)weight;
  return VT_OK;
}

static enum vt_err set_str(char **slot, const char *s, struct vt_error *err) {
  if (!s) return VT_OK;
  char *copy = strdup(s);
  if (!copy) return vt_error_no_memory(err);
  free(*slot);
  *slot = copy;
  return VT_OK;
}

enum vt_err vt_text_item_from_json(const json_t *obj, const char *path, bool text_required,
                                   struct vt_item *it, struct vt_error *err) {
  const char *text = NULL;
  json_t *style = NULL;
  enum vt_err rc;
  if ((rc = vt_json_str(obj, path, "text", text_required, 0, VT_LIMIT_TEXT_BYTES, &text, err)) ||
      (rc = vt_json_object(obj, path, "style", false, &style, err)))
    return rc;
  if (style) {
    char sp[VT_JSON_PATH_MAX];
    vt_json_path_key(sp, path, "style");
    if ((rc = vt_text_style_from_json(style, sp, &it->style, err))) return rc;
  }
  return set_str(&it->text, text, err);
}

static enum vt_err parse_item(const json_t *obj, const char *path, struct vt_item *it,
                              struct vt_error *err) {
  static const char *const keys[] = {"id", "type", "duration_ms", "media", "fit", "text", "style",
                                     NULL};
  enum vt_err rc;
  int type = 0, fit = VT_FIT_CONTAIN;
  const char *media = NULL;
  if ((rc = vt_json_expect_object(obj, path, err)) ||
      (rc = vt_json_choice(obj, path, "type", true, vt_item_type_choices, &type, err)))
    return rc;
  it->type = (enum vt_item_type)type;
  if ((!is_live(it->type) && (rc = vt_json_only_keys(obj, path, keys, err))) ||
      (rc = vt_json_int(obj, path, "id", false, 0, INT64_MAX, &it->id, err)) ||
      (rc = vt_json_int(obj, path, "duration_ms", true, VT_LIMIT_MIN_DURATION_MS,
                        VT_LIMIT_MAX_DURATION_MS, &it->duration_ms, err)))
    return rc;
  if (is_live(it->type)) {
    vt_item_defaults(it);
    return vt_live_item_from_json(obj, path, it, err);
  }
  if (it->type == VT_ITEM_IMAGE) {
    if ((rc = vt_json_str(obj, path, "media", true, VT_SHA256_HEX_LEN, VT_SHA256_HEX_LEN, &media,
                          err)) ||
        (rc = vt_json_choice(obj, path, "fit", false, vt_fit_choices, &fit, err)))
      return rc;
    memcpy(it->media, media, VT_SHA256_HEX_LEN + 1);
    it->fit = (enum vt_fit)fit;
  } else if ((rc = vt_text_item_from_json(obj, path, true, it, err))) {
    return rc;
  }
  return VT_OK;
}

/* Calls parse_one for each element of obj[key] after growing the array via add. */
typedef enum vt_err (*parse_elem_fn)(struct vt_manifest *m, void *owner, const json_t *elem,
                                     const char *path, struct vt_error *err);

static enum vt_err parse_array(struct vt_manifest *m, void *owner, const json_t *obj,
                               const char *path, const char *key, size_t max, parse_elem_fn fn,
                               struct vt_error *err) {
  json_t *arr = NULL;
  enum vt_err rc = vt_json_array(obj, path, key, false, max, &arr, err);
  if (rc || !arr) return rc;
  char ap[VT_JSON_PATH_MAX], ep[VT_JSON_PATH_MAX];
  vt_json_path_key(ap, path, key);
  size_t i;
  json_t *elem;
  json_array_foreach(arr, i, elem) {
    vt_json_path_index(ep, ap, i);
    if ((rc = vt_json_expect_object(elem, ep, err))) return rc;
    if ((rc = fn(m, owner, elem, ep, err))) return rc;
  }
  return VT_OK;
}

static enum vt_err parse_playlist_item(struct vt_manifest *m, void *owner, const json_t *o,
                                       const char *path, struct vt_error *err) {
  (void)m;
  struct vt_item *it = vt_playlist_add_item(owner);
  if (!it) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  return parse_item(o, path, it, err);
}

static enum vt_err parse_playlist(struct vt_manifest *m, void *owner, const json_t *o,
                                  const char *path, struct vt_error *err) {
  (void)owner;
  static const char *const keys[] = {"id", "name", "items", NULL};
  const char *name = NULL;
  enum vt_err rc;
  struct vt_playlist *p = vt_manifest_add_playlist(m);
  if (!p) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_int(o, path, "id", true, 1, INT64_MAX, &p->id, err)) ||
      (rc = vt_json_str(o, path, "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = dup_str(name, &p->name, err)))
    return rc;
  return parse_array(m, p, o, path, "items", VT_LIMIT_ITEMS_PER_PLAYLIST, parse_playlist_item, err);
}

static enum vt_err parse_region(struct vt_manifest *m, void *owner, const json_t *o,
                                const char *path, struct vt_error *err) {
  (void)m;
  static const char *const keys[] = {"name", "x", "y", "width", "height", "background", "playlist",
                                     NULL};
  struct vt_region *r = vt_layout_add_region(owner);
  if (!r) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  const char *name = NULL;
  int64_t x = 0, y = 0, w = 0, h = 0;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_str(o, path, "name", true, 1, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = vt_json_int(o, path, "x", true, 0, VT_LIMIT_CANVAS_PX, &x, err)) ||
      (rc = vt_json_int(o, path, "y", true, 0, VT_LIMIT_CANVAS_PX, &y, err)) ||
      (rc = vt_json_int(o, path, "width", true, 1, VT_LIMIT_CANVAS_PX, &w, err)) ||
      (rc = vt_json_int(o, path, "height", true, 1, VT_LIMIT_CANVAS_PX, &h, err)) ||
      (rc = vt_json_color(o, path, "background", false, &r->background, err)) ||
      (rc = vt_json_int(o, path, "playlist", false, 1, INT64_MAX, &r->playlist_id, err)) ||
      (rc = dup_str(name, &r->name, err)))
    return rc;
  r->x = (int)x;
  r->y = (int)y;
  r->width = (int)w;
  r->height = (int)h;
  return VT_OK;
}

static enum vt_err parse_layout(struct vt_manifest *m, void *owner, const json_t *o,
                                const char *path, struct vt_error *err) {
  (void)owner;
  static const char *const keys[] = {"id", "name", "width", "height", "background", "regions", NULL};
  struct vt_layout *l = vt_manifest_add_layout(m);
  if (!l) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  const char *name = NULL;
  int64_t w = 0, h = 0;
  enum vt_err rc;
  l->background = 0x000000ffu;
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_int(o, path, "id", true, 1, INT64_MAX, &l->id, err)) ||
      (rc = vt_json_str(o, path, "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = vt_json_int(o, path, "width", true, 1, VT_LIMIT_CANVAS_PX, &w, err)) ||
      (rc = vt_json_int(o, path, "height", true, 1, VT_LIMIT_CANVAS_PX, &h, err)) ||
      (rc = vt_json_color(o, path, "background", false, &l->background, err)) ||
      (rc = dup_str(name, &l->name, err)))
    return rc;
  l->width = (int)w;
  l->height = (int)h;
  return parse_array(m, l, o, path, "regions", VT_LIMIT_REGIONS, parse_region, err);
}

static enum vt_err parse_window(struct vt_manifest *m, void *owner, const json_t *o,
                                const char *path, struct vt_error *err) {
  (void)owner;
  static const char *const keys[] = {"layout", "start",  "end",    "priority", "kind",
                                     "target", "source", "region", "playlist", NULL};
  struct vt_window *w = vt_manifest_add_window(m);
  if (!w) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  int64_t prio = 0;
  int kind = VT_WINDOW_SCHEDULE, target = VT_TARGET_DISPLAY;
  const char *region = NULL;
  enum vt_err rc;
  bool open_ended = json_is_null(json_object_get(o, "end"));
  w->end_ms = VT_TIME_MAX;
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_int(o, path, "layout", true, 1, INT64_MAX, &w->layout_id, err)) ||
      (rc = vt_json_time(o, path, "start", true, &w->start_ms, err)) ||
      (!open_ended && (rc = vt_json_time(o, path, "end", true, &w->end_ms, err))) ||
      (rc = vt_json_int(o, path, "priority", false, VT_PRIORITY_MIN, VT_PRIORITY_MAX, &prio, err)) ||
      (rc = vt_json_choice(o, path, "kind", false, vt_window_kind_choices, &kind, err)) ||
      (rc = vt_json_choice(o, path, "target", false, vt_window_target_choices, &target, err)) ||
      (rc = vt_json_int(o, path, "source", false, 1, INT64_MAX, &w->source_id, err)) ||
      (rc = vt_json_str(o, path, "region", false, 1, VT_LIMIT_NAME_BYTES, &region, err)) ||
      (rc = vt_json_int(o, path, "playlist", false, 1, INT64_MAX, &w->playlist_id, err)))
    return rc;
  if (region && !(w->region = strdup(region))) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  w->priority = (int)prio;
  w->kind = (enum vt_window_kind)kind;
  w->target = (enum vt_window_target)target;
  return VT_OK;
}

static enum vt_err parse_media(struct vt_manifest *m, void *owner, const json_t *o,
                               const char *path, struct vt_error *err) {
  (void)owner;
  static const char *const keys[] = {"sha256", "size", "type", NULL};
  struct vt_media_ref *r = vt_manifest_add_media(m);
  if (!r) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  const char *sha = NULL, *type = NULL;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_str(o, path, "sha256", true, VT_SHA256_HEX_LEN, VT_SHA256_HEX_LEN, &sha, err)) ||
      (rc = vt_json_int(o, path, "size", true, 0, INT64_MAX, &r->size, err)) ||
      (rc = vt_json_str(o, path, "type", true, 1, VT_LIMIT_NAME_BYTES, &type, err)) ||
      (rc = dup_str(type, &r->type, err)))
    return rc;
  memcpy(r->sha256, sha, VT_SHA256_HEX_LEN + 1);
  return VT_OK;
}

static enum vt_err parse_source(struct vt_manifest *m, void *owner, const json_t *o,
                                const char *path, struct vt_error *err) {
  (void)owner;
  static const char *const keys[] = {"key", "kind", NULL};
  struct vt_source *src = vt_manifest_add_source(m);
  if (!src) return vt_error_set(err, VT_ERR_NO_MEMORY, path, NULL);
  const char *key = NULL;
  int kind = 0;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(o, path, keys, err)) ||
      (rc = vt_json_str(o, path, "key", true, 1, VT_LIMIT_NAME_BYTES, &key, err)) ||
      (rc = vt_json_choice(o, path, "kind", true, vt_source_kind_choices, &kind, err)) ||
      (rc = dup_str(key, &src->key, err)))
    return rc;
  src->kind = (enum vt_source_kind)kind;
  return VT_OK;
}

static enum vt_err parse_root(const json_t *root, struct vt_manifest *m, struct vt_error *err) {
  static const char *const keys[] = {"format",  "version",        "generated_at", "valid_until",
                                     "display", "default_layout", "layouts",      "playlists",
                                     "schedule", "media",         "sources",      NULL};
  static const char *const display_keys[] = {"id", "name", "timezone", NULL};
  enum vt_err rc;
  int64_t format = 0;
  json_t *display = NULL;
  const char *name = NULL, *tz = NULL;
  if ((rc = vt_json_expect_object(root, "", err)) || (rc = vt_json_only_keys(root, "", keys, err)) ||
      (rc = vt_json_int(root, "", "format", true, 0, INT64_MAX, &format, err)))
    return rc;
  if (format != VT_MANIFEST_FORMAT)
    return vt_error_set(err, VT_ERR_INVALID, "format",
                        "manifest format %lld is not supported (this player reads %d)",
                        (long long)format, VT_MANIFEST_FORMAT);
  if ((rc = vt_json_int(root, "", "version", true, 0, INT64_MAX, &m->version, err)) ||
      (rc = vt_json_time(root, "", "generated_at", false, &m->generated_ms, err)) ||
      (rc = vt_json_time(root, "", "valid_until", false, &m->valid_until_ms, err)) ||
      (rc = vt_json_object(root, "", "display", true, &display, err)) ||
      (rc = vt_json_only_keys(display, "display", display_keys, err)) ||
      (rc = vt_json_int(display, "display", "id", false, 0, INT64_MAX, &m->display_id, err)) ||
      (rc = vt_json_str(display, "display", "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = vt_json_str(display, "display", "timezone", false, 1, VT_LIMIT_NAME_BYTES, &tz, err)) ||
      (rc = dup_str(name, &m->display_name, err)) ||
      (rc = dup_str(tz ? tz : "UTC", &m->timezone, err)) ||
      (rc = vt_zone_name_valid(m->timezone)
                ? VT_OK
                : vt_error_set(err, VT_ERR_INVALID, "display.timezone",
                               "'%s' is not an IANA zone name", m->timezone)) ||
      (rc = vt_json_int(root, "", "default_layout", false, 1, INT64_MAX, &m->default_layout_id,
                        err)) ||
      (rc = parse_array(m, NULL, root, "", "media", VT_LIMIT_MEDIA, parse_media, err)) ||
      (rc = parse_array(m, NULL, root, "", "sources", VT_LIMIT_SOURCES, parse_source, err)) ||
      (rc = parse_array(m, NULL, root, "", "playlists", VT_LIMIT_PLAYLISTS, parse_playlist, err)) ||
      (rc = parse_array(m, NULL, root, "", "layouts", VT_LIMIT_LAYOUTS, parse_layout, err)) ||
      (rc = parse_array(m, NULL, root, "", "schedule", VT_LIMIT_WINDOWS, parse_window, err)))
    return rc;
  return vt_manifest_validate(m, err);
}

enum vt_err vt_manifest_from_json(const json_t *root, struct vt_manifest **out,
                                  struct vt_error *err) {
  *out = NULL;
  struct vt_manifest *m = vt_manifest_new();
  if (!m) return vt_error_no_memory(err);
  enum vt_err rc = parse_root(root, m, err);
  if (rc != VT_OK) {
    vt_manifest_free(m);
    return rc;
  }
  *out = m;
  return VT_OK;
}

enum vt_err vt_manifest_parse(const char *json, size_t len, struct vt_manifest **out,
                              struct vt_error *err) {
  *out = NULL;
  if (len > VT_LIMIT_MANIFEST_BYTES)
    return vt_error_set(err, VT_ERR_TOO_LARGE, "", "manifest larger than %u bytes",
                        VT_LIMIT_MANIFEST_BYTES);
  json_t *root = NULL;
  enum vt_err rc = vt_json_parse(json, len, &root, err);
  if (rc != VT_OK) return rc;
  rc = vt_manifest_from_json(root, out, err);
  json_decref(root);
  return rc;
}

/* ---- struct -> JSON ------------------------------------------------------------------ */

/* json_object_set_new that records a failure instead of returning it, so the emitters read
 * as a list of fields; the caller checks ok once at the end. */
static void put(json_t *obj, const char *key, json_t *v, int *ok) {
  if (!v || json_object_set_new(obj, key, v) != 0) *ok = 0;
}

json_t *vt_text_style_to_json(const struct vt_text_style *s) {
  int ok = 1;
  json_t *st = json_object();
  if (!st) return NULL;
  put(st, "size_px", json_integer(s->size_px), &ok);
  put(st, "color", vt_json_color_new(s->color), &ok);
  put(st, "background", vt_json_color_new(s->background), &ok);
  put(st, "align", json_string(vt_choice_name(vt_align_choices, s->align)), &ok);
  put(st, "valign", json_string(vt_choice_name(vt_valign_choices, s->valign)), &ok);
  put(st, "weight", json_string(vt_choice_name(vt_weight_choices, s->weight)), &ok);
  put(st, "padding_px", json_integer(s->padding_px), &ok);
  if (!ok) {
    json_decref(st);
    return NULL;
  }
  return st;
}

static void append(json_t *arr, json_t *v, int *ok) {
  if (!v || json_array_append_new(arr, v) != 0) *ok = 0;
}

/* A string member, or null when unset (null reads back as absent: the same item). */
static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static void live_item_to_json(json_t *o, const struct vt_item *it, int *ok) {
  put(o, "style", vt_text_style_to_json(&it->style), ok);
  put(o, "locale", json_string(it->locale ? it->locale : VT_LOCALE_DEFAULT), ok);
  put(o, "digits", json_string(vt_choice_name(vt_digits_choices, (int)it->digits)), ok);
  if (it->type != VT_ITEM_CLOCK) put(o, "source", str_or_null(it->source), ok);
  switch (it->type) {
  case VT_ITEM_TICKER:
    put(o, "text", str_or_null(it->text), ok);
    put(o, "speed_px_s", json_integer(it->ticker.speed_px_s), ok);
    put(o, "separator",
        json_string(it->ticker.separator ? it->ticker.separator : VT_TICKER_SEPARATOR_DEFAULT), ok);
    put(o, "max_items", json_integer(it->ticker.max_items), ok);
    break;
  case VT_ITEM_CLOCK:
    put(o, "format", json_string(it->clock.format ? it->clock.format : VT_CLOCK_FORMAT_DEFAULT),
        ok);
    put(o, "calendar", json_string(vt_choice_name(vt_calendar_choices, (int)it->clock.calendar)),
        ok);
    put(o, "timezone", str_or_null(it->clock.timezone), ok);
    break;
  case VT_ITEM_WEATHER:
    put(o, "hours", json_integer(it->weather.hours), ok);
    put(o, "days", json_integer(it->weather.days), ok);
    break;
  case VT_ITEM_CURRENCY: {
    json_t *syms = json_array();
    for (size_t i = 0; syms && i < it->currency.n_symbols; i++)
      append(syms, json_string(it->currency.symbols[i]), ok);
    put(o, "base", json_string(it->currency.base), ok);
    put(o, "symbols", syms, ok);
    put(o, "decimals", json_integer(it->currency.decimals), ok);
    break;
  }
  case VT_ITEM_MENU:
    put(o, "columns", json_integer(it->menu.columns), ok);
    put(o, "show_images", json_boolean(it->menu.show_images), ok);
    put(o, "show_descriptions", json_boolean(it->menu.show_descriptions), ok);
    break;
  default:
    break;
  }
}

json_t *vt_item_to_json(const struct vt_item *it) {
  int ok = 1;
  json_t *o = json_object();
  if (!o) return NULL;
  if (it->id) put(o, "id", json_integer(it->id), &ok);
  put(o, "type", json_string(vt_choice_name(vt_item_type_choices, it->type)), &ok);
  put(o, "duration_ms", json_integer(it->duration_ms), &ok);
  if (it->type == VT_ITEM_IMAGE) {
    put(o, "media", json_string(it->media), &ok);
    put(o, "fit", json_string(vt_choice_name(vt_fit_choices, it->fit)), &ok);
  } else if (it->type == VT_ITEM_TEXT) {
    put(o, "text", json_string(it->text ? it->text : ""), &ok);
    put(o, "style", vt_text_style_to_json(&it->style), &ok);
  } else {
    live_item_to_json(o, it, &ok);
  }
  if (!ok) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *layout_to_json(const struct vt_layout *l, int *ok) {
  json_t *o = json_object(), *regions = json_array();
  if (!o || !regions) {
    json_decref(o);
    json_decref(regions);
    *ok = 0;
    return NULL;
  }
  put(o, "id", json_integer(l->id), ok);
  put(o, "name", json_string(l->name ? l->name : ""), ok);
  put(o, "width", json_integer(l->width), ok);
  put(o, "height", json_integer(l->height), ok);
  put(o, "background", vt_json_color_new(l->background), ok);
  for (size_t r = 0; r < l->n_regions; r++) {
    const struct vt_region *rg = &l->regions[r];
    json_t *ro = json_object();
    if (!ro || json_array_append_new(regions, ro) != 0) {
      *ok = 0;
      continue;
    }
    put(ro, "name", json_string(rg->name ? rg->name : ""), ok);
    put(ro, "x", json_integer(rg->x), ok);
    put(ro, "y", json_integer(rg->y), ok);
    put(ro, "width", json_integer(rg->width), ok);
    put(ro, "height", json_integer(rg->height), ok);
    put(ro, "background", vt_json_color_new(rg->background), ok);
    put(ro, "playlist", rg->playlist_id ? json_integer(rg->playlist_id) : json_null(), ok);
  }
  put(o, "regions", regions, ok);
  return o;
}


json_t *vt_manifest_to_json(const struct vt_manifest *m) {
  int ok = 1;
  json_t *root = json_object(), *display = json_object(), *media = json_array(),
         *playlists = json_array(), *layouts = json_array(), *schedule = json_array();
  put(root, "format", json_integer(VT_MANIFEST_FORMAT), &ok);
  put(root, "version", json_integer(m->version), &ok);
  put(root, "generated_at", vt_json_time_new(m->generated_ms), &ok);
  put(root, "valid_until", vt_json_time_new(m->valid_until_ms), &ok);
  if (display) {
    put(display, "id", json_integer(m->display_id), &ok);
    put(display, "name", json_string(m->display_name ? m->display_name : ""), &ok);
    put(display, "timezone", json_string(m->timezone ? m->timezone : "UTC"), &ok);
  }
  put(root, "display", display, &ok);
  put(root, "default_layout", m->default_layout_id ? json_integer(m->default_layout_id) : json_null(),
      &ok);
  for (size_t i = 0; media && i < m->n_media; i++) {
    json_t *o = json_object();
    if (o) {
      put(o, "sha256", json_string(m->media[i].sha256), &ok);
      put(o, "size", json_integer(m->media[i].size), &ok);
      put(o, "type", json_string(m->media[i].type ? m->media[i].type : ""), &ok);
    }
    append(media, o, &ok);
  }
  for (size_t i = 0; playlists && i < m->n_playlists; i++) {
    const struct vt_playlist *p = &m->playlists[i];
    json_t *o = json_object(), *items = json_array();
    if (o) {
      put(o, "id", json_integer(p->id), &ok);
      put(o, "name", json_string(p->name ? p->name : ""), &ok);
      for (size_t k = 0; items && k < p->n_items; k++) append(items, vt_item_to_json(&p->items[k]), &ok);
      put(o, "items", items, &ok);
    } else {
      json_decref(items);
    }
    append(playlists, o, &ok);
  }
  for (size_t i = 0; layouts && i < m->n_layouts; i++)
    append(layouts, layout_to_json(&m->layouts[i], &ok), &ok);
  for (size_t i = 0; schedule && i < m->n_windows; i++) {
    const struct vt_window *w = &m->windows[i];
    json_t *o = json_object();
    if (o) {
      put(o, "layout", json_integer(w->layout_id), &ok);
      put(o, "start", vt_json_time_new(w->start_ms), &ok);
      put(o, "end", w->end_ms == VT_TIME_MAX ? json_null() : vt_json_time_new(w->end_ms), &ok);
      put(o, "priority", json_integer(w->priority), &ok);
      put(o, "kind", json_string(vt_choice_name(vt_window_kind_choices, w->kind)), &ok);
      put(o, "target", json_string(vt_choice_name(vt_window_target_choices, w->target)), &ok);
      if (w->source_id) put(o, "source", json_integer(w->source_id), &ok);
      if (w->region) {
        put(o, "region", json_string(w->region), &ok);
        put(o, "playlist", json_integer(w->playlist_id), &ok);
      }
    }
    append(schedule, o, &ok);
  }
  put(root, "layouts", layouts, &ok);
  put(root, "playlists", playlists, &ok);
  put(root, "schedule", schedule, &ok);
  put(root, "media", media, &ok);
  if (m->n_sources) { /* left out when empty, so manifests without live content keep their bytes */
    json_t *sources = json_array();
    for (size_t i = 0; sources && i < m->n_sources; i++) {
      json_t *o = json_object();
      if (o) {
        put(o, "key", json_string(m->sources[i].key ? m->sources[i].key : ""), &ok);
        put(o, "kind",
            json_string(vt_choice_name(vt_source_kind_choices, (int)m->sources[i].kind)), &ok);
      }
      append(sources, o, &ok);
    }
    put(root, "sources", sources, &ok);
  }
  if (!root || !ok) {
    json_decref(root);
    return NULL;
  }
  return root;
}

char *vt_manifest_dump(const struct vt_manifest *m, size_t *len) {
  json_t *root = vt_manifest_to_json(m);
  if (!root) return NULL;
  char *s = json_dumps(root, JSON_COMPACT);
  json_decref(root);
  if (s && len) *len = strlen(s);
  return s;
}

/* ---- live items: JSON -> struct ------------------------------------------------------ */

/* Members each live type accepts besides "id", "type", "duration_ms", "style", "locale",
 * "digits" (the caller reads the first three). */
static const char *const *live_keys(enum vt_item_type t) {
#define COMMON "id", "type", "duration_ms", "style", "locale", "digits"
  static const char *const ticker[] = {COMMON, "source", "text", "speed_px_s", "separator",
                                       "max_items", NULL};
  static const char *const clock[] = {COMMON, "format", "calendar", "timezone", NULL};
  static const char *const weather[] = {COMMON, "source", "hours", "days", NULL};
  static const char *const currency[] = {COMMON, "source", "base", "symbols", "decimals", NULL};
  static const char *const menu[] = {COMMON, "source", "columns", "show_images",
                                     "show_descriptions", NULL};
#undef COMMON
  switch (t) {
  case VT_ITEM_TICKER: return ticker;
  case VT_ITEM_CLOCK: return clock;
  case VT_ITEM_WEATHER: return weather;
  case VT_ITEM_CURRENCY: return currency;
  default: return menu;
  }
}

/* Replace *slot with a copy of s when s is given (absent members leave *slot alone). */
/* "symbols": an array of strings, each checked for shape later by vt_item_check. */
static enum vt_err parse_symbols(const json_t *obj, const char *path, struct vt_currency_opts *c,
                                 struct vt_error *err) {
  json_t *arr = NULL, *v;
  size_t i;
  char ap[VT_JSON_PATH_MAX], ep[VT_JSON_PATH_MAX];
  enum vt_err rc = vt_json_array(obj, path, "symbols", false, VT_LIMIT_CURRENCY_SYMBOLS, &arr, err);
  if (rc || !arr) return rc;
  vt_json_path_key(ap, path, "symbols");
  char(*syms)[VT_CURRENCY_CODE_LEN] = calloc(json_array_size(arr) + 1, sizeof *syms);
  if (!syms) return vt_error_no_memory(err);
  json_array_foreach(arr, i, v) {
    const char *code = json_string_value(v);
    if (!code || strlen(code) != 3) {
      free(syms);
      vt_json_path_index(ep, ap, i);
      return vt_error_set(err, VT_ERR_INVALID, ep,
                          "'symbols' must be ISO 4217 codes such as \"USD\"");
    }
    memcpy(syms[i], code, VT_CURRENCY_CODE_LEN);
  }
  free(c->symbols);
  c->symbols = syms;
  c->n_symbols = json_array_size(arr);
  return VT_OK;
}

enum vt_err vt_live_item_from_json(const json_t *obj, const char *path, struct vt_item *it,
                                   struct vt_error *err) {
  enum vt_err rc;
  json_t *style = NULL;
  const char *locale = NULL, *source = NULL, *text = NULL, *sep = NULL, *format = NULL,
             *tz = NULL, *base = NULL;
  /* style and text are read here too, so nothing changes before every member is checked */
  int digits = (int)it->digits, calendar = (int)it->clock.calendar;
  int64_t speed = it->ticker.speed_px_s, max_items = it->ticker.max_items,
          hours = it->weather.hours, days = it->weather.days, decimals = it->currency.decimals,
          columns = it->menu.columns;
  if (!is_live(it->type))
    return vt_error_set(err, VT_ERR_INVALID, path, "not a live-content item type");
  /* Keys of other types are refused here (only_keys), so a typo or a member of the wrong
   * type is named instead of ignored. */
  if ((rc = vt_json_expect_object(obj, path, err)) ||
      (rc = vt_json_only_keys(obj, path, live_keys(it->type), err)) ||
      (rc = vt_json_object(obj, path, "style", false, &style, err)) ||
      (rc = vt_json_str(obj, path, "locale", false, 1, VT_LIMIT_LOCALE_BYTES, &locale, err)) ||
      (rc = vt_json_choice(obj, path, "digits", false, vt_digits_choices, &digits, err)) ||
      (rc = vt_json_str(obj, path, "source", false, 1, VT_LIMIT_NAME_BYTES, &source, err)) ||
      (rc = vt_json_str(obj, path, "text", false, 0, VT_LIMIT_TEXT_BYTES, &text, err)) ||
      (rc = vt_json_int(obj, path, "speed_px_s", false, VT_LIMIT_TICKER_MIN_SPEED,
                        VT_LIMIT_TICKER_MAX_SPEED, &speed, err)) ||
      (rc = vt_json_str(obj, path, "separator", false, 0, VT_LIMIT_SEPARATOR_BYTES, &sep, err)) ||
      (rc = vt_json_int(obj, path, "max_items", false, 1, VT_LIMIT_TICKER_MAX_ITEMS, &max_items,
                        err)) ||
      (rc = vt_json_str(obj, path, "format", false, 1, VT_LIMIT_CLOCK_FORMAT_BYTES, &format,
                        err)) ||
      (rc = vt_json_choice(obj, path, "calendar", false, vt_calendar_choices, &calendar, err)) ||
      (rc = vt_json_str(obj, path, "timezone", false, 1, VT_LIMIT_TIMEZONE_BYTES, &tz, err)) ||
      (rc = vt_json_int(obj, path, "hours", false, 0, VT_LIMIT_WEATHER_HOURS, &hours, err)) ||
      (rc = vt_json_int(obj, path, "days", false, 0, VT_LIMIT_WEATHER_DAYS, &days, err)) ||
      (rc = vt_json_str(obj, path, "base", false, 3, 3, &base, err)) ||
      (rc = vt_json_int(obj, path, "decimals", false, 0, VT_LIMIT_CURRENCY_DECIMALS, &decimals,
                        err)) ||
      (rc = vt_json_int(obj, path, "columns", false, 0, VT_LIMIT_MENU_COLUMNS, &columns, err)) ||
      (rc = vt_json_bool(obj, path, "show_images", false, &it->menu.show_images, err)) ||
      (rc = vt_json_bool(obj, path, "show_descriptions", false, &it->menu.show_descriptions,
                         err)))
    return rc;
  if ((rc = vt_text_item_from_json(obj, path, false, it, err)) ||
      (rc = parse_symbols(obj, path, &it->currency, err)) || (rc = set_str(&it->locale, locale, err)) ||
      (rc = set_str(&it->source, source, err)) ||
      (rc = set_str(&it->ticker.separator, sep, err)) ||
      (rc = set_str(&it->clock.format, format, err)) ||
      (rc = set_str(&it->clock.timezone, tz, err)))
    return rc;
  if (base) memcpy(it->currency.base, base, VT_CURRENCY_CODE_LEN);
  it->digits = (enum vt_digits)digits;
  it->clock.calendar = (enum vt_calendar)calendar;
  it->ticker.speed_px_s = (int)speed;
  it->ticker.max_items = (int)max_items;
  it->weather.hours = (int)hours;
  it->weather.days = (int)days;
  it->currency.decimals = (int)decimals;
  it->menu.columns = (int)columns;
  /* Shapes (locale tag, source key, zone name, clock tokens, codes) are checked in one place,
   * vt_item_check, which the manifest's validation and the API both run. Running it here too
   * gives the API the error at parse time with the right field. */
  return check_live(it, path, err);
}
