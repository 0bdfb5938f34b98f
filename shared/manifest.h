/* The manifest: everything a player needs to run offline (docs/manifest.md).
 * This file and manifest.c are the only code that reads or writes manifest JSON.
 * A struct vt_manifest owns all memory hanging off it; vt_manifest_free releases it.
 * Layouts, playlists and media refer to each other by id; vt_manifest_parse guarantees that
 * every reference resolves, so consumers (timeline, player) can trust lookups. */
#ifndef VT_MANIFEST_H
#define VT_MANIFEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "choice.h"
#include "hash.h"
#include "vt_err.h"

#define VT_MANIFEST_FORMAT 1

enum vt_item_type {
  VT_ITEM_IMAGE,
  VT_ITEM_TEXT,
  VT_ITEM_TICKER,
  VT_ITEM_CLOCK,
  VT_ITEM_WEATHER,
  VT_ITEM_CURRENCY,
  VT_ITEM_MENU
};
/* What a source's snapshot holds (docs/live-content.md). */
enum vt_source_kind { VT_SOURCE_NEWS, VT_SOURCE_WEATHER, VT_SOURCE_CURRENCY, VT_SOURCE_MENU };
/* Digits a widget writes numbers with; LOCALE: those of the item's locale. */
enum vt_digits { VT_DIGITS_LOCALE, VT_DIGITS_LATIN, VT_DIGITS_PERSIAN, VT_DIGITS_ARABIC };
enum vt_calendar { VT_CALENDAR_GREGORIAN, VT_CALENDAR_JALALI };
enum vt_fit { VT_FIT_CONTAIN, VT_FIT_COVER, VT_FIT_STRETCH };
/* start/end follow the text direction (start = left for Latin, right for Persian). */
enum vt_align { VT_ALIGN_START, VT_ALIGN_CENTER, VT_ALIGN_END, VT_ALIGN_LEFT, VT_ALIGN_RIGHT };
enum vt_valign { VT_VALIGN_TOP, VT_VALIGN_MIDDLE, VT_VALIGN_BOTTOM };
enum vt_weight { VT_WEIGHT_REGULAR, VT_WEIGHT_BOLD };

extern const struct vt_choice vt_item_type_choices[];
extern const struct vt_choice vt_fit_choices[];
extern const struct vt_choice vt_align_choices[];
extern const struct vt_choice vt_valign_choices[];
extern const struct vt_choice vt_weight_choices[];
extern const struct vt_choice vt_source_kind_choices[];
extern const struct vt_choice vt_digits_choices[];
extern const struct vt_choice vt_calendar_choices[];

/* Colours are 0xRRGGBBAA. */
struct vt_text_style {
  int size_px;         /* at canvas scale */
  uint32_t color;      /* default #ffffffff */
  uint32_t background; /* default #00000000 (transparent) */
  enum vt_align align; /* default center */
  enum vt_valign valign; /* default middle */
  enum vt_weight weight; /* default regular */
  int padding_px;      /* inner margin on every side, default 0 */
};

/* Per-type options of the live-content items (docs/live-content.md has the defaults). */
struct vt_ticker_opts {
  int speed_px_s;  /* canvas pixels per second */
  char *separator; /* between items */
  int max_items;
};
struct vt_clock_opts {
  char *format; /* tokens: docs/live-content.md */
  enum vt_calendar calendar;
  char *timezone; /* NULL: the display's */
};
struct vt_weather_opts {
  int hours, days; /* how many of the next hours / days to show */
};
#define VT_CURRENCY_CODE_LEN 4 /* "USD" + NUL */
struct vt_currency_opts {
  char base[VT_CURRENCY_CODE_LEN];
  char (*symbols)[VT_CURRENCY_CODE_LEN];
  size_t n_symbols;
  int decimals;
};
struct vt_menu_opts {
  int columns; /* 0: as many as fit */
  bool show_images, show_descriptions;
};

struct vt_item {
  int64_t id; /* stable id from the manager, for proof of play; 0 in hand-written manifests */
  enum vt_item_type type;
  int64_t duration_ms;
  /* image */
  char media[VT_SHA256_HEX_LEN + 1];
  enum vt_fit fit;
  /* text, and a ticker's static text */
  char *text;
  /* every type but image */
  struct vt_text_style style;
  /* ticker, clock, weather, currency, menu */
  char *locale; /* "en", "fa", ...; NULL: "en" */
  enum vt_digits digits;
  char *source; /* key of one of the manifest's sources; NULL for a static ticker and clock */
  struct vt_ticker_opts ticker;
  struct vt_clock_opts clock;
  struct vt_weather_opts weather;
  struct vt_currency_opts currency;
  struct vt_menu_opts menu;
};

/* A source the manifest's items show (docs/live-content.md); its snapshot travels apart. */
struct vt_source {
  char *key; /* "feed/3", "menu/5" */
  enum vt_source_kind kind;
};

struct vt_playlist {
  int64_t id;
  char *name;
  struct vt_item *items;
  size_t n_items;
  int64_t cycle_ms; /* sum of item durations, computed by parse/validate */
};

struct vt_region {
  char *name; /* unique within its layout */
  int x, y, width, height;
  uint32_t background; /* default transparent */
  int64_t playlist_id; /* 0: the region is empty */
};

struct vt_layout {
  int64_t id;
  char *name;
  int width, height; /* canvas */
  uint32_t background;
  struct vt_region *regions; /* drawn in array order: later regions on top */
  size_t n_regions;
};

enum vt_window_kind { VT_WINDOW_SCHEDULE, VT_WINDOW_OVERRIDE };
enum vt_window_target { VT_TARGET_DISPLAY, VT_TARGET_GROUP };
extern const struct vt_choice vt_window_kind_choices[];
extern const struct vt_choice vt_window_target_choices[];

/* One concrete UTC interval. Without a region, layout_id takes the whole screen; with one,
 * the window only changes what that region of layout_id plays (playlist_id) while that
 * layout is up. Ranking between windows that cover the same instant: docs/manifest.md. */
struct vt_window {
  int64_t layout_id;
  int64_t start_ms, end_ms; /* [start, end); end VT_TIME_MAX: until cleared (JSON null) */
  int priority;             /* higher wins */
  enum vt_window_kind kind; /* an override outranks every schedule window */
  enum vt_window_target target; /* at equal priority, display beats group */
  int64_t source_id;        /* schedule entry or override id; 0 in hand-written manifests */
  char *region;             /* NULL: whole screen */
  int64_t playlist_id;      /* with region: the playlist it plays instead of its own */
};

struct vt_media_ref {
  char sha256[VT_SHA256_HEX_LEN + 1];
  int64_t size;
  char *type; /* MIME type, e.g. image/png */
};

struct vt_manifest {
  int64_t version; /* increases whenever the content for this display changes */
  int64_t generated_ms;
  int64_t valid_until_ms; /* end of the horizon; past it the player keeps its last content */
  int64_t display_id;
  char *display_name;
  char *timezone; /* IANA name, "UTC" until scheduling sets one */
  int64_t default_layout_id; /* 0: none; shown when no window covers the instant */
  struct vt_layout *layouts;
  size_t n_layouts;
  struct vt_playlist *playlists;
  size_t n_playlists;
  struct vt_window *windows; /* sorted by start */
  size_t n_windows;
  struct vt_media_ref *media;
  size_t n_media;
  struct vt_source *sources; /* sorted by key; every item's source is one of them */
  size_t n_sources;
};

/* Parse and fully validate. On error *out is NULL and err names the field. */
enum vt_err vt_manifest_parse(const char *json, size_t len, struct vt_manifest **out,
                              struct vt_error *err) VT_WARN_UNUSED;
enum vt_err vt_manifest_from_json(const json_t *root, struct vt_manifest **out,
                                  struct vt_error *err) VT_WARN_UNUSED;

/* Check references, ranges and limits of a manifest built in memory (the manager's
 * compiler calls this before publishing), fill cycle_ms and sort windows. */
enum vt_err vt_manifest_validate(struct vt_manifest *m, struct vt_error *err) VT_WARN_UNUSED;

/* New JSON object (caller owns the reference); NULL only when out of memory. */
json_t *vt_manifest_to_json(const struct vt_manifest *m);
/* Compact UTF-8 text, NUL-terminated; caller frees. Same input gives the same bytes. */
char *vt_manifest_dump(const struct vt_manifest *m, size_t *len);

void vt_manifest_free(struct vt_manifest *m); /* NULL is a no-op */

/* Allocation helpers for code that builds a manifest (the manager's compiler, tests).
 * Arrays grow by one zeroed element and return it; NULL when out of memory. */
struct vt_manifest *vt_manifest_new(void);
struct vt_layout *vt_manifest_add_layout(struct vt_manifest *m);
struct vt_region *vt_layout_add_region(struct vt_layout *l);
struct vt_playlist *vt_manifest_add_playlist(struct vt_manifest *m);
struct vt_item *vt_playlist_add_item(struct vt_playlist *p); /* with default style */
struct vt_window *vt_manifest_add_window(struct vt_manifest *m);
/* Does window a outrank window b (both covering the same instant)? ai/bi are their
 * indexes in the manifest, the last tie-break. */
bool vt_window_outranks(const struct vt_window *a, size_t ai, const struct vt_window *b,
                        size_t bi);
struct vt_media_ref *vt_manifest_add_media(struct vt_manifest *m);
struct vt_source *vt_manifest_add_source(struct vt_manifest *m);
void vt_text_style_default(struct vt_text_style *s);

/* A text item's "style" object, shared by the manifest and the manager's API so both accept
 * exactly the same thing. Members absent from obj keep their current value in *s. */
enum vt_err vt_text_style_from_json(const json_t *obj, const char *path, struct vt_text_style *s,
                                    struct vt_error *err) VT_WARN_UNUSED;
/* A text item's "text" and "style" members into it: the text replaces it->text when given
 * (required: it must be), the style's members replace those in it->style. */
enum vt_err vt_text_item_from_json(const json_t *obj, const char *path, bool text_required,
                                   struct vt_item *it, struct vt_error *err) VT_WARN_UNUSED;

/* The members of a live-content item (ticker, clock, weather, currency, menu: it->type is
 * set) other than "id", "type" and "duration_ms": "style", "locale", "digits", "source", a
 * ticker's "text" and the type's own options (docs/live-content.md), shared by the manifest
 * and the manager's API. Members absent from obj keep their current value in *it. Whether
 * "source" names a source of the manifest is vt_manifest_validate's check. */
enum vt_err vt_live_item_from_json(const json_t *obj, const char *path, struct vt_item *it,
                                   struct vt_error *err) VT_WARN_UNUSED;
/* Free what an item owns and zero it (items built outside a manifest, e.g. by the API). */
void vt_item_clear(struct vt_item *it);
/* Set the defaults of it->type's own options (docs/live-content.md: speed 120, max_items 20,
 * hours 6, days 3, base EUR, decimals 4, show_images and show_descriptions true, ...) and the
 * default text style. Allocates nothing: the string members it leaves NULL mean their default
 * (separator VT_TICKER_SEPARATOR_DEFAULT, format VT_CLOCK_FORMAT_DEFAULT, locale "en",
 * timezone the display's). Call it on a fresh item before vt_live_item_from_json; an API that
 * changes an item's type calls vt_item_clear, sets id, type and duration_ms, then this. */
void vt_item_defaults(struct vt_item *it);
/* The checks of one item on its own: ranges and members its type requires (an image's media,
 * a text's text, a ticker's source or text, the source of weather/currency/menu, a currency
 * board's symbols). path names the item ("playlists[0].items[2]"). Whether media and sources
 * exist in a manifest is vt_manifest_validate's job, which calls this first. */
enum vt_err vt_item_check(const struct vt_item *it, const char *path,
                          struct vt_error *err) VT_WARN_UNUSED;

#define VT_TICKER_SEPARATOR_DEFAULT " \xe2\x80\xa2 " /* " • " */
#define VT_CLOCK_FORMAT_DEFAULT "HH:mm"
#define VT_LOCALE_DEFAULT "en"

/* The clock format grammar (docs/live-content.md), written once here for the manifest's check
 * and the player's formatter. */
enum vt_clock_token {
  VT_CLOCK_LITERAL, /* text to copy: *lit, *lit_len bytes */
  VT_CLOCK_YEAR,    /* yyyy */
  VT_CLOCK_MONTH,   /* MM */
  VT_CLOCK_MONTH_NAME, /* MMMM */
  VT_CLOCK_DAY,     /* dd */
  VT_CLOCK_WEEKDAY, /* EEEE */
  VT_CLOCK_HOUR24,  /* HH */
  VT_CLOCK_HOUR12,  /* hh */
  VT_CLOCK_MINUTE,  /* mm */
  VT_CLOCK_SECOND,  /* ss */
  VT_CLOCK_AMPM     /* a */
};
/* Read the token at *p and advance *p past it. Returns 1 with *tok (and for a literal *lit,
 * *lit_len) set, 0 at the end of the string, -1 on an error: a run of letters outside quotes
 * that is no token ("YYYY", "MMM") or an unterminated quote. 'quoted text' is literal and ''
 * outside quotes is one quote. */
int vt_clock_format_next(const char **p, enum vt_clock_token *tok, const char **lit,
                         size_t *lit_len);
/* New JSON objects with every member; NULL only when out of memory. An item's "id" is left
 * out when it is 0 (hand-written manifests). */
json_t *vt_text_style_to_json(const struct vt_text_style *s);
json_t *vt_item_to_json(const struct vt_item *it);

/* "menu/<id>" or "feed/<id>", id 1..INT64_MAX in decimal without leading zeros. */
bool vt_source_key_parse(const char *key, bool *is_menu, int64_t *id);
/* Is kind what key's prefix holds (menu/ holds menus, feed/ the other kinds)? */
bool vt_source_key_fits(const char *key, enum vt_source_kind kind);

/* The source kind an item of this type shows; false for types without a source. */
bool vt_item_source_kind(enum vt_item_type type, enum vt_source_kind *kind);
/* An ISO 4217 code: three capital letters. */
bool vt_currency_code_valid(const char *s);

/* Lookups; borrowed pointers valid until m is freed. NULL when absent. */
const struct vt_layout *vt_manifest_layout(const struct vt_manifest *m, int64_t id);
const struct vt_playlist *vt_manifest_playlist(const struct vt_manifest *m, int64_t id);
const struct vt_media_ref *vt_manifest_media(const struct vt_manifest *m, const char *sha256);
const struct vt_source *vt_manifest_source(const struct vt_manifest *m, const char *key);

#endif
