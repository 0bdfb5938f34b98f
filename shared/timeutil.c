#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vt_limits.h"

int64_t vt_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t vt_mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t vt_mono_ms(void) { return vt_mono_us() / 1000; }

int64_t vt_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int64_t vt_floor_mod(int64_t a, int64_t b) { return a - vt_floor_div(a, b) * b; }

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian); valid for all years. */
int64_t vt_days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static bool read_digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)(*p)[i])) return false;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *out = v;
  return true;
}

static bool expect_char(const char **p, char c) {
  if (**p != c) return false;
  (*p)++;
  return true;
}

bool vt_is_leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int vt_days_in_month(int64_t y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && vt_is_leap_year(y) ? 29 : dm[m - 1];
}

bool vt_time_parse(const char *s, int64_t *out_ms) {
  if (!s) return false;
  const char *p = s;
  int Y, M, D, h, mi, sec, ms = 0;
  if (!read_digits(&p, 4, &Y) || !expect_char(&p, '-') || !read_digits(&p, 2, &M) ||
      !expect_char(&p, '-') || !read_digits(&p, 2, &D))
    return false;
  if (*p != 'T' && *p != 't' && *p != ' ') return false;
  p++;
  if (!read_digits(&p, 2, &h) || !expect_char(&p, ':') || !read_digits(&p, 2, &mi) ||
      !expect_char(&p, ':') || !read_digits(&p, 2, &sec))
    return false;
  if (*p == '.') {
    p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
      if (digits < 3) ms = ms * 10 + (*p - '0');
      digits++;
      p++;
    }
    if (digits == 0) return false;
    for (; digits < 3; digits++) ms *= 10;
  }
  int offset_min = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int sign = *p == '-' ? -1 : 1, oh, om;
    p++;
    if (!read_digits(&p, 2, &oh) || !expect_char(&p, ':') || !read_digits(&p, 2, &om) || oh > 23 ||
        om > 59)
      return false;
    offset_min = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (*p != '\0') return false;
  /* sec == 60 (leap second) is folded onto the next second's start by the arithmetic. */
  if (M < 1 || M > 12 || D < 1 || D > vt_days_in_month(Y, M) || h > 23 || mi > 59 || sec > 60)
    return false;
  int64_t days = vt_days_from_civil(Y, (unsigned)M, (unsigned)D);
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset_min * 60;
  int64_t t = secs * 1000 + ms;
  /* An offset can carry 0000-01-01 or 9999-12-31 out of the range that formats back. */
  if (t < VT_TIME_FIRST_MS || t > VT_TIME_LAST_MS) return false;
  *out_ms = t;
  return true;
}

/* The civil date of a day count from 1970-01-01 (inverse of vt_days_from_civil). */
void vt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void vt_time_format(int64_t ms, char out[VT_RFC3339_MAX]) {
  if (ms < VT_TIME_FIRST_MS) ms = VT_TIME_FIRST_MS;
  if (ms > VT_TIME_LAST_MS) ms = VT_TIME_LAST_MS;
  int64_t days = vt_floor_div(ms, 86400000), rem = vt_floor_mod(ms, 86400000), y;
  unsigned m, d;
  vt_civil_from_days(days, &y, &m, &d);
  unsigned secs = (unsigned)(rem / 1000), frac = (unsigned)(rem % 1000);
  /* The modulos only tell the compiler the widths; the clamp above already bounds them. */
  int n = snprintf(out, VT_RFC3339_MAX, "%04u-%02u-%02uT%02u:%02u:%02u", (unsigned)(y % 10000),
                   m % 100, d % 100, secs / 3600 % 100, secs / 60 % 60, secs % 60);
  if (frac)
    snprintf(out + n, VT_RFC3339_MAX - (size_t)n, ".%03uZ", frac % 1000);
  else
    snprintf(out + n, VT_RFC3339_MAX - (size_t)n, "Z");
}

bool vt_zone_name_valid(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > VT_LIMIT_TIMEZONE_BYTES) return false;
  if (strncmp(name, "posix/", 6) == 0 || strncmp(name, "right/", 6) == 0) return false;
  static const char *const not_zones[] = {"localtime", "posixrules", "Factory", NULL};
  for (size_t i = 0; not_zones[i]; i++)
    if (strcmp(name, not_zones[i]) == 0) return false;
  const char *part = name;
  for (const char *p = name;; p++) {
    if (*p == '/' || *p == '\0') {
      if (p == part || *part == '.' || *part == '-') return false; /* "", ".", "..", ".x" */
      if (*p == '\0') return true;
      part = p + 1;
      continue;
    }
    bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '+' || *p == '.';
    if (!ok) return false;
  }
}
