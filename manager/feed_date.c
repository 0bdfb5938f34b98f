/* feed_date: feed dates → UTC ms (see feed_date.h). Pure arithmetic on civil dates
 * (vt_days_from_civil); no locale, no libc time zone. */
#include "feed_date.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "timeutil.h"

struct fd_fields {
  int64_t year;
  int month, day, hour, min, sec, ms;
  int offset_min; /* east of UTC */
};

static bool fd_digit(char c) { return c >= '0' && c <= '9'; }
static bool fd_alpha(unsigned char c) {
  return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}

/* n digits at *p into *v; advances *p. */
static bool fd_num(const char **p, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if (!fd_digit((*p)[i])) return false;
    x = x * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *v = x;
  return true;
}

static bool fd_finish(struct fd_fields *f, int64_t *out_ms) {
  if (f->year < 1 || f->year > 9999 || f->month < 1 || f->month > 12 || f->day < 1 ||
      f->day > vt_days_in_month(f->year, f->month) || f->hour < 0 || f->hour > 24 ||
      f->min < 0 || f->min > 59 || f->sec < 0 || f->sec > 60)
    return false;
  if (f->hour == 24 && (f->min || f->sec)) return false;
  if (f->sec == 60) f->sec = 59; /* a leap second: the nearest instant we can name */
  int64_t days = vt_days_from_civil(f->year, (unsigned)f->month, (unsigned)f->day);
  int64_t secs = days * 86400 + f->hour * 3600 + f->min * 60 + f->sec - f->offset_min * 60LL;
  *out_ms = secs * 1000 + f->ms;
  return true;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" (also after "GMT"/"UTC" in the RFC form); p at the sign.
 * Returns false on a malformed offset. */
static bool fd_offset(const char **p, int *off) {
  const char *s = *p;
  int sign = *s == '-' ? -1 : 1;
  s++;
  int h, m = 0;
  if (!fd_num(&s, 2, &h)) return false;
  if (*s == ':') {
    s++;
    if (!fd_num(&s, 2, &m)) return false;
  } else if (fd_digit(*s)) {
    if (!fd_num(&s, 2, &m)) return false;
  }
  if (fd_digit(*s) || h > 23 || m > 59) return false;
  *off = sign * (h * 60 + m);
  *p = s;
  return true;
}

/* ISO 8601 / W3C-DTF; s starts with four digits. */
static bool fd_iso(const char *s, int64_t *out_ms) {
  struct fd_fields f = {.month = 1, .day = 1};
  int y;
  if (!fd_num(&s, 4, &y)) return false;
  f.year = y;
  bool dashes = *s == '-';
  if (dashes) s++;
  if (fd_digit(*s)) {
    if (!fd_num(&s, 2, &f.month)) return false;
    if (dashes ? *s == '-' : fd_digit(*s)) {
      if (dashes) s++;
      if (!fd_num(&s, 2, &f.day)) return false;
    }
  }
  if (*s == 'T' || *s == 't' || (*s == ' ' && fd_digit(s[1]))) {
    s++;
    if (!fd_num(&s, 2, &f.hour)) return false;
    if (*s == ':') s++;
    if (!fd_num(&s, 2, &f.min)) return false;
    if (*s == ':' || fd_digit(*s)) {
      if (*s == ':') s++;
      if (!fd_num(&s, 2, &f.sec)) return false;
      if (*s == '.' || *s == ',') {
        s++;
        if (!fd_digit(*s)) return false;
        int scale = 100;
        while (fd_digit(*s)) {
          f.ms += (*s - '0') * scale;
          scale /= 10;
          s++;
        }
      }
    }
    while (*s == ' ') s++;
    if (*s == 'Z' || *s == 'z') {
      s++;
    } else if (*s == '+' || *s == '-') {
      if (!fd_offset(&s, &f.offset_min)) return false;
    }
  }
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  if (*s) return false;
  return fd_finish(&f, out_ms);
}

/* Month names: English first, then Italian, German, French, Spanish, Dutch, Portuguese;
 * matched on the first three letters (lower case), or more where those collide. */
static int fd_month(const char *w, size_t len) {
  static const struct {
    const char *p;
    int m;
  } names[] = {
      {"jan", 1}, {"feb", 2},  {"mar", 3},  {"apr", 4},  {"may", 5},  {"jun", 6},
      {"jul", 7}, {"aug", 8},  {"sep", 9},  {"oct", 10}, {"nov", 11}, {"dec", 12},
      {"gen", 1}, {"mag", 5},  {"giu", 6},  {"lug", 7},  {"ago", 8},  {"set", 9},
      {"ott", 10}, {"dic", 12}, {"mär", 3}, {"mrz", 3},  {"mai", 5},  {"okt", 10},
      {"dez", 12}, {"fév", 2},  {"fev", 2},  {"avr", 4},  {"aoû", 8},  {"aou", 8},
      {"déc", 12}, {"ene", 1},  {"abr", 4},  {"out", 10}, {"mei", 5},  {"maa", 3},
      {"juin", 6}, {"juil", 7}, {"janv", 1}, {"sept", 9}};
  char low[8];
  size_t n = 0;
  for (size_t i = 0; i < len && n < sizeof low - 1; i++) {
    unsigned char c = (unsigned char)w[i];
    low[n++] = (char)(c < 0x80 ? (c | 0x20) : c);
  }
  low[n] = '\0';
  int best = 0;
  size_t best_len = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t pl = strlen(names[i].p);
    if (pl <= n && pl > best_len && !memcmp(low, names[i].p, pl)) {
      best = names[i].m;
      best_len = pl;
    }
  }
  /* "juin"/"juil" must not be read as "jun"/"jul" prefixes of something else: they are
   * the same months anyway; "mar" vs "mars" likewise */
  return best;
}

/* Named zones, in minutes east of UTC. Unknown names are taken as UTC. */
static bool fd_zone(const char *w, size_t len, int *off) {
  static const struct {
    const char *name;
    int off;
  } zones[] = {{"UT", 0},       {"UTC", 0},      {"GMT", 0},      {"Z", 0},
               {"EST", -300},   {"EDT", -240},   {"CST", -360},   {"CDT", -300},
               {"MST", -420},   {"MDT", -360},   {"PST", -480},   {"PDT", -420},
               {"AKST", -540},  {"AKDT", -480},  {"HST", -600},   {"WET", 0},
               {"WEST", 60},    {"BST", 60},     {"CET", 60},     {"CEST", 120},
               {"MET", 60},     {"MEST", 120},   {"EET", 120},    {"EEST", 180},
               {"MSK", 180},    {"JST", 540},    {"KST", 540},    {"AEST", 600},
               {"AEDT", 660},   {"ACST", 570},   {"AWST", 480},   {"NZST", 720},
               {"NZDT", 780}};
  for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
    if (strlen(zones[i].name) == len && !strncasecmp(zones[i].name, w, len)) {
      *off = zones[i].off;
      return true;
    }
  return false;
}

/* The RFC 822 family, read as tokens in any order the web uses. */
static bool fd_rfc822(const char *s, int64_t *out_ms) {
  struct fd_fields f = {0};
  bool have_day = false, have_year = false, have_time = false, pm = false, am = false;
  f.month = 0;
  while (*s) {
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n' || c == '.' ||
        (c == '-' && !have_time)) {
      s++;
      continue;
    }
    if ((c == '+' || c == '-') && have_time) {
      if (!fd_offset(&s, &f.offset_min)) return false;
      continue;
    }
    if (fd_alpha(c)) {
      const char *w = s;
      while (*s && fd_alpha((unsigned char)*s)) s++;
      size_t len = (size_t)(s - w);
      int m, off;
      if (!f.month && !have_time && (m = fd_month(w, len)) != 0 && len >= 3) {
        f.month = m;
      } else if (have_time && len == 2 && !strncasecmp(w, "pm", 2)) {
        pm = true;
      } else if (have_time && len == 2 && !strncasecmp(w, "am", 2)) {
        am = true;
      } else if (have_time && fd_zone(w, len, &off)) {
        f.offset_min = off;
      }
      /* anything else: a weekday (any language), "at", an unknown zone */
      continue;
    }
    if (fd_digit((char)c)) {
      const char *d = s;
      while (fd_digit(*s)) s++;
      size_t nd = (size_t)(s - d);
      if (*s == ':' && !have_time && nd <= 2) { /* hh:mm[:ss] */
        s = d;
        int h = 0, mi = 0, se = 0;
        if (nd == 1) {
          h = *s - '0';
          s++;
        } else if (!fd_num(&s, 2, &h)) {
          return false;
        }
        s++;
        if (!fd_num(&s, 2, &mi)) return false;
        if (*s == ':') {
          s++;
          if (!fd_num(&s, 2, &se)) return false;
          if (*s == '.') { /* fractions of a second */
            s++;
            int scale = 100;
            while (fd_digit(*s)) {
              if (scale) f.ms += (*s - '0') * scale;
              scale /= 10;
              s++;
            }
          }
        }
        f.hour = h, f.min = mi, f.sec = se;
        have_time = true;
        continue;
      }
      int v = 0;
      for (size_t i = 0; i < nd && i < 9; i++) v = v * 10 + (d[i] - '0');
      if (nd >= 3) {
        if (have_year) return false;
        f.year = nd == 3 ? 1900 + v : v;
        have_year = true;
      } else if (!have_day && v >= 1 && v <= 31) {
        f.day = v;
        have_day = true;
      } else if (!have_year) {
        f.year = v < 50 ? 2000 + v : 1900 + v; /* RFC 2822 §4.3 */
        have_year = true;
      } else {
        return false;
      }
      continue;
    }
    s++; /* other punctuation */
  }
  if (!have_day || !have_year || !f.month) return false;
  if (pm && f.hour < 12) f.hour += 12;
  if (am && f.hour == 12) f.hour = 0;
  return fd_finish(&f, out_ms);
}

bool feed_date_parse(const char *s, int64_t *out_ms) {
  if (!s) return false;
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  if (!*s) return false;
  if (fd_digit(s[0]) && fd_digit(s[1]) && fd_digit(s[2]) && fd_digit(s[3]) &&
      (s[4] == '-' || s[4] == '\0' || fd_digit(s[4]) || s[4] == 'T'))
    return fd_iso(s, out_ms);
  return fd_rfc822(s, out_ms);
}
