/* Locale data and formatting (locale_fmt.h). The data is a table, one row per language. */
#include "locale_fmt.h"
#include "timeutil.h"

#include <string.h>

/* U+202F NARROW NO-BREAK SPACE: the French thousands separator. U+066B / U+066C: the Arabic
 * decimal and thousands separators, used in Persian as well. */
#define NNBSP "\xe2\x80\xaf"
#define AR_DECIMAL "\xd9\xab"
#define AR_GROUP "\xd9\xac"

#define JALALI_LATIN                                                                          \
  {"Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", \
   "Dey", "Bahman", "Esfand"}
#define JALALI_PERSIAN                                                                        \
  {"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", \
   "اسفند"}

static const struct locale_info locales[] = {
    {"en", VT_DIGITS_LATIN, ".", ",",
     {"January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"},
     JALALI_LATIN,
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
     "AM", "PM"},
    {"de", VT_DIGITS_LATIN, ",", ".",
     {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
      "Oktober", "November", "Dezember"},
     JALALI_LATIN,
     {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
     "AM", "PM"},
    {"fr", VT_DIGITS_LATIN, ",", NNBSP,
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
      "octobre", "novembre", "décembre"},
     JALALI_LATIN,
     {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
     "AM", "PM"},
    {"fa", VT_DIGITS_PERSIAN, AR_DECIMAL, AR_GROUP,
     {"ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر",
      "دسامبر"},
     JALALI_PERSIAN,
     {"یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه"},
     "ق.ظ.", "ب.ظ."},
    {"ar", VT_DIGITS_ARABIC, AR_DECIMAL, AR_GROUP,
     {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
      "نوفمبر", "ديسمبر"},
     JALALI_PERSIAN,
     {"الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"},
     "ص", "م"},
};

const struct locale_info *locale_get(const char *tag) {
  if (!tag) return &locales[0];
  size_t lang = strcspn(tag, "-_");
  for (size_t i = 0; i < sizeof locales / sizeof locales[0]; i++)
    if (strlen(locales[i].tag) == lang && strncmp(locales[i].tag, tag, lang) == 0)
      return &locales[i];
  return &locales[0];
}

enum vt_digits locale_digits(const struct locale_info *loc, enum vt_digits override) {
  return override == VT_DIGITS_LOCALE ? loc->digits : override;
}

/* ---- output buffer ------------------------------------------------------------------- */

struct out {
  char *p;
  size_t len, cap;
  bool full;
};

static void put_bytes(struct out *o, const char *s, size_t n) {
  if (o->full || o->len + n + 1 > o->cap) {
    o->full = true;
    return;
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
  o->p[o->len] = '\0';
}

static void put_str(struct out *o, const char *s) { put_bytes(o, s, strlen(s)); }

/* One ASCII digit in the chosen script: Persian U+06F0.., Arabic-Indic U+0660... */
static void put_digit(struct out *o, enum vt_digits d, int v) {
  char b[2];
  switch (d) {
  case VT_DIGITS_PERSIAN:
    b[0] = (char)0xdb;
    b[1] = (char)(0xb0 + v);
    put_bytes(o, b, 2);
    break;
  case VT_DIGITS_ARABIC:
    b[0] = (char)0xd9;
    b[1] = (char)(0xa0 + v);
    put_bytes(o, b, 2);
    break;
  default:
    b[0] = (char)('0' + v);
    put_bytes(o, b, 1);
    break;
  }
}

/* v as at least width digits, zero-padded. */
static void put_int(struct out *o, enum vt_digits d, long v, int width) {
  char tmp[24];
  int n = 0;
  if (v < 0) {
    put_bytes(o, "-", 1);
    v = -v;
  }
  do {
    tmp[n++] = (char)(v % 10);
    v /= 10;
  } while (v && n < (int)sizeof tmp);
  for (int i = n; i < width; i++) put_digit(o, d, 0);
  while (n) put_digit(o, d, tmp[--n]);
}

static size_t finish(struct out *o) {
  if (o->full) {
    if (o->cap) o->p[0] = '\0';
    return 0;
  }
  return o->len;
}

/* ---- numbers ------------------------------------------------------------------------- */

size_t locale_format_number(const struct locale_info *loc, enum vt_digits digits, const char *num,
                            char *out, size_t cap) {
  struct out o = {out, 0, cap, cap == 0};
  if (cap) out[0] = '\0';
  enum vt_digits d = locale_digits(loc, digits);
  const char *s = num;
  bool neg = *s == '-';
  if (neg) s++;
  size_t int_len = strspn(s, "0123456789");
  const char *frac = s + int_len;
  size_t frac_len = 0;
  if (*frac == '.') {
    frac++;
    frac_len = strspn(frac, "0123456789");
    if (frac_len == 0 || frac[frac_len]) return 0;
  } else if (*frac) {
    return 0;
  }
  if (int_len == 0) return 0;
  if (neg) put_bytes(&o, "-", 1);
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0) put_str(&o, loc->group);
    put_digit(&o, d, s[i] - '0');
  }
  if (frac_len) {
    put_str(&o, loc->decimal);
    for (size_t i = 0; i < frac_len; i++) put_digit(&o, d, frac[i] - '0');
  }
  return finish(&o);
}

/* ---- time ---------------------------------------------------------------------------- */

struct local_time local_time_from_seconds(long long s) {
  long long days = vt_floor_div(s, 86400);
  long long sod = vt_floor_mod(s, 86400);
  struct local_time t;
  t.date = gregorian_from_days(days);
  t.weekday = weekday_from_days(days);
  t.hour = (int)(sod / 3600);
  t.minute = (int)(sod / 60 % 60);
  t.second = (int)(sod % 60);
  return t;
}

size_t locale_format_time(const struct locale_info *loc, enum vt_digits digits,
                          enum vt_calendar cal, const char *format, const struct local_time *t,
                          char *out, size_t cap) {
  struct out o = {out, 0, cap, cap == 0};
  if (cap) out[0] = '\0';
  enum vt_digits d = locale_digits(loc, digits);
  struct ymd date = cal == VT_CALENDAR_JALALI ? jalali_from_gregorian(t->date) : t->date;
  const char *const *months = cal == VT_CALENDAR_JALALI ? loc->jalali_months : loc->months;
  enum vt_clock_token tok;
  const char *lit;
  size_t n;
  int r;
  while ((r = vt_clock_format_next(&format, &tok, &lit, &n)) == 1) {
    switch (tok) {
    case VT_CLOCK_LITERAL: put_bytes(&o, lit, n); break;
    case VT_CLOCK_YEAR: put_int(&o, d, date.year, 4); break;
    case VT_CLOCK_MONTH: put_int(&o, d, date.month, 2); break;
    case VT_CLOCK_MONTH_NAME: put_str(&o, months[date.month - 1]); break;
    case VT_CLOCK_DAY: put_int(&o, d, date.day, 2); break;
    case VT_CLOCK_WEEKDAY: put_str(&o, loc->weekdays[t->weekday]); break;
    case VT_CLOCK_HOUR24: put_int(&o, d, t->hour, 2); break;
    case VT_CLOCK_HOUR12: put_int(&o, d, t->hour % 12 ? t->hour % 12 : 12, 2); break;
    case VT_CLOCK_MINUTE: put_int(&o, d, t->minute, 2); break;
    case VT_CLOCK_SECOND: put_int(&o, d, t->second, 2); break;
    case VT_CLOCK_AMPM: put_str(&o, t->hour < 12 ? loc->am : loc->pm); break;
    }
  }
  if (r < 0) {
    if (cap) out[0] = '\0';
    return 0;
  }
  return finish(&o);
}

bool locale_format_has_seconds(const char *format) {
  enum vt_clock_token tok;
  const char *lit;
  size_t n;
  while (vt_clock_format_next(&format, &tok, &lit, &n) == 1)
    if (tok == VT_CLOCK_SECOND) return true;
  return false;
}

bool locale_is_rtl(const struct locale_info *loc) {
  return strcmp(loc->tag, "fa") == 0 || strcmp(loc->tag, "ar") == 0;
}
