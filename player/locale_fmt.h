/* Locale formatting for the live widgets: digits, decimal and grouping separators, month and
 * weekday names, am/pm, for the locales the manifest names (en, de, fr, fa, ar; any other tag
 * falls back to its language, then to en). Pure functions over UTF-8 strings; no setlocale,
 * no process-global state, so widgets on any thread may call them. */
#ifndef PLAYER_LOCALE_FMT_H
#define PLAYER_LOCALE_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "jalali.h"
#include "manifest.h"

struct locale_info {
  const char *tag;      /* "en" */
  enum vt_digits digits; /* the locale's own digits (never VT_DIGITS_LOCALE) */
  const char *decimal, *group; /* UTF-8 separators */
  const char *months[12];        /* Gregorian month names */
  const char *jalali_months[12]; /* Solar Hijri month names */
  const char *weekdays[7];       /* Sunday first */
  const char *am, *pm;
};

/* The locale for a tag ("fa-IR" -> fa; unknown -> en; NULL -> en). Never NULL; static. */
const struct locale_info *locale_get(const char *tag);

/* Is the locale's script written right to left (fa, ar)? Widgets mirror their layout then. */
bool locale_is_rtl(const struct locale_info *loc);

/* The digits to write with: override unless it is VT_DIGITS_LOCALE. */
enum vt_digits locale_digits(const struct locale_info *loc, enum vt_digits override);

/* A decimal number as text ("-1234567.50", "120000": optional '-', ASCII digits, optional '.'
 * and digits) in the locale's form: grouped by thousands, its separators and digits
 * ("۱۲۰٬۰۰۰", "1.234.567,50"). Writes a NUL-terminated string to out; returns its length,
 * or 0 when the input is not such a number or out (cap bytes) is too small. */
size_t locale_format_number(const struct locale_info *loc, enum vt_digits digits, const char *num,
                            char *out, size_t cap);

/* A local (already zone-shifted) instant, broken down. */
struct local_time {
  struct ymd date; /* Gregorian */
  int weekday;     /* 0 = Sunday */
  int hour, minute, second;
};
struct local_time local_time_from_seconds(long long local_seconds);

/* The clock format (tokens in docs/live-content.md; grammar vt_clock_format_next) for t,
 * with the calendar's date and month names, the locale's names and the given digits. Same
 * return as locale_format_number; 0 also for a format that does not parse. */
size_t locale_format_time(const struct locale_info *loc, enum vt_digits digits,
                          enum vt_calendar cal, const char *format, const struct local_time *t,
                          char *out, size_t cap);

/* Does the format show seconds (then the text changes every second, else every minute)? */
bool locale_format_has_seconds(const char *format);

#endif
