/* Recurrence and local time with libical (recur.h, docs/scheduling.md).
 *
 * How the pieces fit:
 *   - Local times are plain numbers: wall-clock seconds as if the zone never changed offset
 *     (recur_local_seconds). Rules are expanded by libical in that floating time, never with
 *     the zone attached: libical 3.0.16 moves a zoned occurrence that falls into a spring-
 *     forward gap (02:30 -> 03:30) and then keeps the moved time on the following days.
 *   - A local time becomes an instant only at the end (local_to_utc_s), with the offsets a
 *     day either side of it (RFC 5545 §3.3.5 for gaps and overlaps, recur.h).
 *   - An UNTIL written in UTC ('...Z') on a zoned expansion is therefore not handed to
 *     libical as is: libical gets the local time of that instant plus a day, and each
 *     occurrence is then kept only if its instant is not after UNTIL (expansion_next).
 *   - Rules are checked part by part against the RFC 5545 grammar first, so an owner gets
 *     "BYDAY=XX: ..." rather than libical's "malformed data"; what libical still refuses is
 *     traced to the part (or pair of parts) it cannot take (find_refused_part).
 *   - On HOURLY, MINUTELY and SECONDLY rules libical only steps the periods; the BY parts
 *     that filter them are applied here (own_limits: libical 3.0.16 ignores INTERVAL with
 *     BYHOUR, and loses its phase when started elsewhere than DTSTART).
 *   - A compile pass shares a recur_cache: each rule's local occurrences are expanded once
 *     for every display (they do not depend on the zone), and each zone's offsets over the
 *     range are found once (struct offsets), so converting is a lookup.
 *
 * libical keeps global state (the zone cache, icalerrno): every entry point takes one
 * recursive lock, so the HTTP and renewal threads can both compile, and a callback may call
 * back into this module. */
#include "recur.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "timeutil.h"

#define DAY_S 86400LL
/* libical keeps INTERVAL in a short. */
#define RECUR_INTERVAL_MAX 32767
/* A rule longer than this is not something an owner typed; it also bounds the copies below. */
#define RECUR_RULE_MAX 1024
/* Iterator steps one expansion may take. A minutely rule across the 8-day manifest horizon
 * is 11,520 steps and a daily rule over RECUR_SEARCH_YEARS about 11,000; a step costs about
 * 3 us (libical goes through ICU), so this cap ends a runaway expansion (a minutely rule
 * with COUNT that began months ago must be walked from its start) in under a second. */
#define RECUR_MAX_STEPS 250000
/* A century of wall-clock time: far longer than any screen plan, and keeps every
 * millisecond sum far from overflow. */
#define RECUR_DURATION_MAX_S (36525LL * DAY_S)
/* IANA names are at most a few dozen bytes ("America/Argentina/ComodRivadavia"). */
#define RECUR_ZONE_NAME_MAX 64
/* How much of a rule part an error message quotes. */
#define PART_QUOTE_MAX 48

/* ---------------------------------------------------------------- the libical lock */

static pthread_once_t lock_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t ical_lock;

static void lock_init(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&ical_lock, &a);
  pthread_mutexattr_destroy(&a);
  /* A malformed rule is an answer here, never a reason to abort the manager. */
  icalerror_set_errors_are_fatal(0);
}

static void ical_enter(void) {
  pthread_once(&lock_once, lock_init);
  pthread_mutex_lock(&ical_lock);
}

static void ical_leave(void) { pthread_mutex_unlock(&ical_lock); }

/* ---------------------------------------------------------------- local times */

static bool local_valid(const struct recur_local *l) {
  return l->year >= 1 && l->year <= 9999 && l->month >= 1 && l->month <= 12 && l->day >= 1 &&
         l->day <= vt_days_in_month(l->year, l->month) && l->hour >= 0 && l->hour <= 23 &&
         l->minute >= 0 && l->minute <= 59 && l->second >= 0 && l->second <= 59;
}

/* n decimal digits exactly, at s. */
static bool take_digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

/* "YYYYMMDD", then "THHMMSS" when time is true. */
static bool parse_basic(const char *s, bool time, struct recur_local *out) {
  struct recur_local l = {0};
  if (!take_digits(s, 4, &l.year) || !take_digits(s + 4, 2, &l.month) ||
      !take_digits(s + 6, 2, &l.day))
    return false;
  if (time && (s[8] != 'T' || !take_digits(s + 9, 2, &l.hour) ||
               !take_digits(s + 11, 2, &l.minute) || !take_digits(s + 13, 2, &l.second)))
    return false;
  if (!local_valid(&l)) return false;
  *out = l;
  return true;
}

bool recur_local_parse(const char *s, struct recur_local *out) {
  if (!s) return false;
  size_t len = strlen(s);
  if (len == 15) return parse_basic(s, true, out);
  if (len != 16 && len != 19) return false;
  struct recur_local l = {0};
  if (!take_digits(s, 4, &l.year) || s[4] != '-' || !take_digits(s + 5, 2, &l.month) ||
      s[7] != '-' || !take_digits(s + 8, 2, &l.day) || s[10] != 'T' ||
      !take_digits(s + 11, 2, &l.hour) || s[13] != ':' || !take_digits(s + 14, 2, &l.minute))
    return false;
  if (len == 19 && (s[16] != ':' || !take_digits(s + 17, 2, &l.second))) return false;
  if (!local_valid(&l)) return false;
  *out = l;
  return true;
}

bool recur_local_list_parse(const char *text, struct recur_local **v, size_t *cap, size_t *n,
                            char bad[RECUR_BASIC_LEN]) {
  bad[0] = '\0';
  size_t count = *text ? 1 : 0;
  for (const char *c = text; *c; c++) count += *c == ',';
  if (count > *cap) {
    struct recur_local *grown = realloc(*v, count * sizeof *grown);
    if (!grown) return false;
    *v = grown;
    *cap = count;
  }
  for (*n = 0; *n < count; ++*n) {
    size_t len = strcspn(text, ",");
    size_t kept = len < RECUR_BASIC_LEN ? len : RECUR_BASIC_LEN - 1;
    memcpy(bad, text, kept);
    bad[kept] = '\0';
    /* only the basic form is stored; a longer element would be cut to a valid prefix */
    if (len != RECUR_BASIC_LEN - 1 || !recur_local_parse(bad, &(*v)[*n])) return false;
    text += len + (text[len] == ',');
  }
  bad[0] = '\0';
  return true;
}

bool recur_date_parse(const char *s, struct recur_local *out) {
  struct recur_local l = {0};
  if (!s || strlen(s) != 10 || !take_digits(s, 4, &l.year) || s[4] != '-' ||
      !take_digits(s + 5, 2, &l.month) || s[7] != '-' || !take_digits(s + 8, 2, &l.day) ||
      !local_valid(&l))
    return false;
  *out = l;
  return true;
}

void recur_local_basic(const struct recur_local *l, char out[RECUR_BASIC_LEN]) {
  snprintf(out, RECUR_BASIC_LEN, "%04u%02u%02uT%02u%02u%02u", (unsigned)l->year % 10000u,
           (unsigned)l->month % 100u, (unsigned)l->day % 100u, (unsigned)l->hour % 100u,
           (unsigned)l->minute % 100u, (unsigned)l->second % 100u);
}

void recur_local_iso(const struct recur_local *l, char out[RECUR_ISO_LEN]) {
  snprintf(out, RECUR_ISO_LEN, "%04u-%02u-%02uT%02u:%02u:%02u", (unsigned)l->year % 10000u,
           (unsigned)l->month % 100u, (unsigned)l->day % 100u, (unsigned)l->hour % 100u,
           (unsigned)l->minute % 100u, (unsigned)l->second % 100u);
}

int64_t recur_local_seconds(const struct recur_local *l) {
  /* arithmetic, not timegm: this runs for every occurrence and exdate of every entry */
  return vt_days_from_civil(l->year, (unsigned)l->month, (unsigned)l->day) * 86400 +
         l->hour * 3600 + l->minute * 60 + l->second;
}

/* The local times recur_local_parse accepts: 0001-01-01T00:00:00 .. 9999-12-31T23:59:59. */
#define LOCAL_FIRST_S (-62135596800LL)
#define LOCAL_LAST_S (253402300799LL)

void recur_local_from_seconds(int64_t s, struct recur_local *out) {
  if (s < LOCAL_FIRST_S) s = LOCAL_FIRST_S;
  if (s > LOCAL_LAST_S) s = LOCAL_LAST_S;
  int64_t days = vt_floor_div(s, 86400), rest = s - days * 86400, y;
  unsigned m, d;
  vt_civil_from_days(days, &y, &m, &d);
  *out = (struct recur_local){(int)y, (int)m, (int)d, (int)(rest / 3600), (int)(rest / 60 % 60),
                              (int)(rest % 60)};
}

/* ---------------------------------------------------------------- durations */

bool recur_duration_parse(const char *s, int64_t *seconds) {
  /* RFC 5545 dur-value without sign: "P" then weeks alone, or days, then "T" and
   * hours/minutes/seconds in that order. Years and months have no fixed length. */
  static const struct {
    char unit;
    bool time;
    int64_t seconds;
  } units[] = {{'W', false, 7 * DAY_S},
               {'D', false, DAY_S},
               {'H', true, 3600},
               {'M', true, 60},
               {'S', true, 1}};
  if (!s || s[0] != 'P') return false;
  const char *p = s + 1;
  int64_t total = 0;
  size_t next = 0;
  bool in_time = false, any = false, any_after_t = false, weeks = false;
  while (*p) {
    if (*p == 'T') {
      if (in_time) return false;
      in_time = true;
      p++;
      continue;
    }
    if (*p < '0' || *p > '9') return false;
    int64_t n = 0;
    for (int digits = 0; *p >= '0' && *p <= '9'; p++) {
      if (++digits > 12) return false;
      n = n * 10 + (*p - '0');
    }
    size_t k = next;
    while (k < sizeof units / sizeof units[0] && (units[k].unit != *p || units[k].time != in_time))
      k++;
    if (k == sizeof units / sizeof units[0]) return false;
    if (weeks || (units[k].unit == 'W' && any)) return false; /* weeks stand alone */
    weeks = units[k].unit == 'W';
    total += n * units[k].seconds;
    if (total > RECUR_DURATION_MAX_S) return false;
    next = k + 1;
    any = true;
    any_after_t = any_after_t || in_time;
    p++;
  }
  if (!any || (in_time && !any_after_t) || total <= 0) return false;
  *seconds = total;
  return true;
}

void recur_duration_format(int64_t seconds, char out[RECUR_DURATION_LEN]) {
  if (seconds <= 0) {
    snprintf(out, RECUR_DURATION_LEN, "PT0S");
    return;
  }
  if (seconds % (7 * DAY_S) == 0) {
    snprintf(out, RECUR_DURATION_LEN, "P%lldW", (long long)(seconds / (7 * DAY_S)));
    return;
  }
  long long d = seconds / DAY_S, h = seconds % DAY_S / 3600, m = seconds % 3600 / 60,
            s = seconds % 60;
  char days[24] = "", hours[8] = "", minutes[8] = "", secs[8] = "";
  if (d) snprintf(days, sizeof days, "%lldD", d);
  if (h) snprintf(hours, sizeof hours, "%lldH", h);
  if (m) snprintf(minutes, sizeof minutes, "%lldM", m);
  if (s) snprintf(secs, sizeof secs, "%lldS", s);
  char all[64];
  snprintf(all, sizeof all, "P%s%s%s%s%s", days, h || m || s ? "T" : "", hours, minutes, secs);
  snprintf(out, RECUR_DURATION_LEN, "%.31s", all);
}

/* ---------------------------------------------------------------- zones */

/* The zone, or NULL if unknown. Call locked. The pointer lives as long as the process:
 * libical caches every zone it loads. */
static icaltimezone *zone_find(const char *tzid) {
  if (!tzid || !vt_zone_name_valid(tzid)) return NULL;
  if (strcmp(tzid, "UTC") == 0) return icaltimezone_get_utc_timezone();
  return icaltimezone_get_builtin_timezone(tzid);
}

static enum vt_err unknown_zone(const char *tzid, const char *field, struct vt_error *err) {
  return vt_error_set(err, VT_ERR_INVALID, field, "unknown time zone '%.64s'", tzid ? tzid : "");
}

enum vt_err recur_zone_check(const char *tzid, const char *field, struct vt_error *err) {
  ical_enter();
  bool known = zone_find(tzid) != NULL;
  ical_leave();
  return known ? VT_OK : unknown_zone(tzid, field, err);
}

static struct icaltimetype ical_time(const struct recur_local *l, const icaltimezone *zone) {
  struct icaltimetype t = icaltime_null_time();
  t.year = l->year;
  t.month = l->month;
  t.day = l->day;
  t.hour = l->hour;
  t.minute = l->minute;
  t.second = l->second;
  t.is_date = 0;
  t.zone = zone;
  return t;
}

static struct recur_local local_of(struct icaltimetype t) {
  return (struct recur_local){t.year, t.month, t.day, t.hour, t.minute, t.second};
}

/* Seconds to add to UTC for local time in zone at UTC second utc_s (zone NULL: 0), from
 * libical. Locked. */
static int64_t offset_at(icaltimezone *zone, int64_t utc_s) {
  if (!zone) return 0;
  struct recur_local l;
  recur_local_from_seconds(utc_s, &l);
  struct icaltimetype t = ical_time(&l, icaltimezone_get_utc_timezone());
  int daylight = 0;
  return icaltimezone_get_utc_offset_of_utc_time(zone, &t, &daylight);
}

/* A zone's offsets over a span of UTC seconds, found with libical once (offsets_build) so
 * that each conversion in the span is a lookup: a compile converts thousands of times in
 * one zone and range, and each libical call costs about a microsecond. */
#define OFFSETS_MAX 32
/* Samples this far apart, then bisection to the second: no zone changes offset twice
 * within six hours (the conversion below assumes far less: once in two days). */
#define OFFSETS_STEP_S (6 * 3600)
struct offsets {
  int64_t from_s, to_s; /* the span covered; outside it libical is asked */
  size_t n;
  int64_t at[OFFSETS_MAX];          /* UTC second at which offset[i + 1] begins */
  int64_t offset[OFFSETS_MAX + 1];  /* offset[0] from from_s */
};

/* Fill o for zone over [from_s, to_s). Too many changes: o covers nothing. Locked. */
static void offsets_build(struct offsets *o, icaltimezone *zone, int64_t from_s, int64_t to_s) {
  memset(o, 0, sizeof *o);
  int64_t prev_s = from_s, prev = offset_at(zone, from_s);
  o->offset[0] = prev;
  for (int64_t t = from_s; t < to_s;) {
    t = t + OFFSETS_STEP_S < to_s ? t + OFFSETS_STEP_S : to_s;
    int64_t off = offset_at(zone, t);
    if (off != prev) {
      int64_t lo = prev_s, hi = t; /* offset(lo) == prev, offset(hi) == off */
      while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (offset_at(zone, mid) == prev)
          lo = mid;
        else
          hi = mid;
      }
      if (o->n == OFFSETS_MAX) {
        o->from_s = o->to_s = 0;
        o->n = 0;
        return;
      }
      o->at[o->n++] = hi;
      o->offset[o->n] = off;
      prev = off;
    }
    prev_s = t;
  }
  o->from_s = from_s;
  o->to_s = to_s;
}

/* offset_at, from o (NULL: none) where it covers utc_s. Locked. */
static int64_t zone_offset(icaltimezone *zone, const struct offsets *o, int64_t utc_s) {
  if (!zone) return 0;
  if (!o || utc_s < o->from_s || utc_s >= o->to_s) return offset_at(zone, utc_s);
  size_t i = 0;
  while (i < o->n && utc_s >= o->at[i]) i++;
  return o->offset[i];
}

/* Local seconds -> UTC seconds. Every zone changes offset at most once in two days, so the
 * offsets a day before and a day after are the only candidates; a candidate is right if
 * its instant reads back as the same local time. Both right (fall back): the earlier.
 * Neither (spring forward gap): the offset before the gap. Locked. */
static int64_t to_utc(icaltimezone *zone, const struct offsets *o, int64_t local_s) {
  if (!zone) return local_s;
  int64_t before = zone_offset(zone, o, local_s - DAY_S);
  int64_t after = zone_offset(zone, o, local_s + DAY_S);
  int64_t c1 = local_s - before, c2 = local_s - after;
  if (before == after) return c1;
  bool ok1 = c1 + zone_offset(zone, o, c1) == local_s;
  bool ok2 = c2 + zone_offset(zone, o, c2) == local_s;
  if (ok1 && ok2) return c1 < c2 ? c1 : c2;
  if (ok2) return c2;
  return c1; /* valid, or the gap read with the offset before it */
}

static int64_t local_to_utc_s(icaltimezone *zone, int64_t local_s) {
  return to_utc(zone, NULL, local_s);
}

static int64_t clamp_ms(int64_t ms) {
  return ms < VT_TIME_FIRST_MS ? VT_TIME_FIRST_MS : ms > VT_TIME_LAST_MS ? VT_TIME_LAST_MS : ms;
}

enum vt_err recur_local_to_utc(const char *tzid, const struct recur_local *l, int64_t *out_ms,
                               struct vt_error *err) {
  ical_enter();
  icaltimezone *zone = tzid ? zone_find(tzid) : NULL;
  if (tzid && !zone) {
    ical_leave();
    return unknown_zone(tzid, "timezone", err);
  }
  *out_ms = local_to_utc_s(zone, recur_local_seconds(l)) * 1000;
  ical_leave();
  return VT_OK;
}

enum vt_err recur_utc_to_local(const char *tzid, int64_t ms, struct recur_local *out, int *offset_s,
                               struct vt_error *err) {
  ical_enter();
  icaltimezone *zone = tzid ? zone_find(tzid) : NULL;
  if (tzid && !zone) {
    ical_leave();
    return unknown_zone(tzid, "timezone", err);
  }
  int64_t s = vt_floor_div(clamp_ms(ms), 1000), off = offset_at(zone, s);
  recur_local_from_seconds(s + off, out);
  if (offset_s) *offset_s = (int)off;
  ical_leave();
  return VT_OK;
}

/* ---------------------------------------------------------------- rule grammar */

enum part_id {
  P_FREQ,
  P_UNTIL,
  P_COUNT,
  P_INTERVAL,
  P_BYSECOND,
  P_BYMINUTE,
  P_BYHOUR,
  P_BYDAY,
  P_BYMONTHDAY,
  P_BYYEARDAY,
  P_BYWEEKNO,
  P_BYMONTH,
  P_BYSETPOS,
  P_WKST,
  P__COUNT
};

enum part_kind { K_FREQ, K_UNTIL, K_INT, K_LIST, K_DAYS, K_WEEKDAY };

/* One RFC 5545 §3.3.10 rule part: its values, and for lists the range of one value
 * (negative: -max..-min allowed too). blame ranks which part of a pair libical refuses is
 * more likely the culprit: the rarer, more specific one. */
static const struct part_def {
  const char *name;
  enum part_kind kind;
  long long min, max;
  bool negative;
  const char *what;
  int blame;
} part_defs[P__COUNT] = {
    [P_FREQ] = {"FREQ", K_FREQ, 0, 0, false, "a frequency", 0},
    [P_UNTIL] = {"UNTIL", K_UNTIL, 0, 0, false, "a date", 0},
    [P_COUNT] = {"COUNT", K_INT, 1, INT_MAX, false, "a count", 0},
    [P_INTERVAL] = {"INTERVAL", K_INT, 1, RECUR_INTERVAL_MAX, false, "an interval", 0},
    [P_BYSECOND] = {"BYSECOND", K_LIST, 0, 60, false, "a second", 1},
    [P_BYMINUTE] = {"BYMINUTE", K_LIST, 0, 59, false, "a minute", 2},
    [P_BYHOUR] = {"BYHOUR", K_LIST, 0, 23, false, "an hour", 3},
    [P_BYDAY] = {"BYDAY", K_DAYS, 1, 53, true, "a weekday", 5},
    [P_BYMONTHDAY] = {"BYMONTHDAY", K_LIST, 1, 31, true, "a day of the month", 6},
    [P_BYYEARDAY] = {"BYYEARDAY", K_LIST, 1, 366, true, "a day of the year", 7},
    [P_BYWEEKNO] = {"BYWEEKNO", K_LIST, 1, 53, true, "a week number", 8},
    [P_BYMONTH] = {"BYMONTH", K_LIST, 1, 12, false, "a month", 4},
    [P_BYSETPOS] = {"BYSETPOS", K_LIST, 1, 366, true, "a position in the set", 9},
    [P_WKST] = {"WKST", K_WEEKDAY, 0, 0, false, "a weekday", 0},
};

static const char *const weekdays[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
#define WEEKDAY_LIST "MO, TU, WE, TH, FR, SA, SU"
static const char *const freqs[7] = {"SECONDLY", "MINUTELY", "HOURLY", "DAILY",
                                     "WEEKLY",   "MONTHLY",  "YEARLY"};

/* A rule split into its parts. text is the upper-cased rule (RFC 5545 names and values are
 * case-insensitive) with each part NUL-terminated in place. */
struct rule {
  char text[RECUR_RULE_MAX + 1];
  const char *part[P__COUNT]; /* "NAME=VALUE", NULL if absent */
  char *value[P__COUNT];
  enum part_id order[P__COUNT]; /* in the order written */
  int n_parts;
  icalrecurrencetype_frequency freq;
  bool until_date, until_utc;
  struct recur_local until;
  int ordinal_day; /* index in BYDAY's value of the first numbered weekday, -1 if none */
  char ordinal_text[8];
  unsigned months;        /* BYMONTH as a bit set */
  long long monthday[32]; /* BYMONTHDAY values */
  int n_monthdays;
  long long seen[RECUR_RULE_MAX / 2]; /* the values of the list being checked */
  int n_seen;
};

/* "<part>: <message>" with the part quoted at most PART_QUOTE_MAX bytes. */
static enum vt_err part_error(struct vt_error *err, const char *field, const char *part,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum vt_err part_error(struct vt_error *err, const char *field, const char *part,
                              const char *fmt, ...) {
  char msg[VT_ERROR_MESSAGE_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int len = (int)strlen(part);
  if (len > PART_QUOTE_MAX)
    return vt_error_set(err, VT_ERR_INVALID, field, "%.*s...: %s", PART_QUOTE_MAX - 3, part, msg);
  return vt_error_set(err, VT_ERR_INVALID, field, "%s: %s", part, msg);
}

/* A value quoted in a message, cut short if long. */
static const char *quote(const char *s, char buf[24]) {
  if (strlen(s) <= 20) return s;
  snprintf(buf, 24, "%.17s...", s);
  return buf;
}

/* Optional sign, then 1 to max_digits digits. */
static bool parse_number(const char *s, bool sign, int max_digits, long long *out) {
  long long v = 0, neg = 1;
  if (sign && (*s == '+' || *s == '-')) neg = *s++ == '-' ? -1 : 1;
  int n = 0;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (++n > max_digits) return false;
    v = v * 10 + (*s - '0');
  }
  if (n == 0 || *s) return false;
  *out = v * neg;
  return true;
}

static bool in_range(const struct part_def *d, long long v) {
  return (v >= d->min && v <= d->max) || (d->negative && v <= -d->min && v >= -d->max);
}

static int weekday_index(const char *s) {
  for (int i = 0; i < 7; i++)
    if (strcmp(s, weekdays[i]) == 0) return i;
  return -1;
}

/* Is v new in the list being checked? A value listed twice means the same as once, but
 * libical 3.0.16 then returns an occurrence twice (BYDAY=SU,TH,TH): repeats are dropped
 * before libical sees the rule. */
static bool first_time(struct rule *r, long long v) {
  for (int i = 0; i < r->n_seen; i++)
    if (r->seen[i] == v) return false;
  if (r->n_seen < (int)(sizeof r->seen / sizeof r->seen[0])) r->seen[r->n_seen++] = v;
  return true;
}

/* One value of a list part; item is NUL-terminated. */
static enum vt_err check_item(struct rule *r, enum part_id id, const char *item, int index,
                              bool *fresh, const char *field, struct vt_error *err) {
  const struct part_def *d = &part_defs[id];
  const char *part = r->part[id];
  char q[24];
  char range[96];
  if (d->negative)
    snprintf(range, sizeof range, "%lld to %lld or %lld to %lld", d->min, d->max, -d->max, -d->min);
  else
    snprintf(range, sizeof range, "%lld to %lld", d->min, d->max);
  if (!*item) return part_error(err, field, part, "an empty value in the list");
  if (id == P_BYDAY) {
    size_t len = strlen(item);
    if (len < 2 || weekday_index(item + len - 2) < 0)
      return part_error(err, field, part, "'%s' is not a weekday (" WEEKDAY_LIST ")",
                        quote(item, q));
    long long n = 0;
    if (len > 2) {
      char num[24];
      snprintf(num, sizeof num, "%.*s", (int)(len - 2), item);
      if (!parse_number(num, true, 2, &n) || !in_range(d, n))
        return part_error(err, field, part,
                          "'%s': the number before the weekday must be 1 to 53 or -53 to -1",
                          quote(item, q));
      if (r->ordinal_day < 0) {
        r->ordinal_day = index;
        snprintf(r->ordinal_text, sizeof r->ordinal_text, "%.7s", item);
      }
    }
    *fresh = first_time(r, n * 8 + weekday_index(item + len - 2));
    return VT_OK;
  }
  long long v;
  if (!parse_number(item, d->negative, 3, &v) || !in_range(d, v))
    return part_error(err, field, part, "'%s' is not %s (%s)", quote(item, q), d->what, range);
  *fresh = first_time(r, v);
  if (id == P_BYMONTH) r->months |= 1u << v;
  if (id == P_BYMONTHDAY && r->n_monthdays < 32) r->monthday[r->n_monthdays++] = v;
  return VT_OK;
}

static enum vt_err check_value(struct rule *r, enum part_id id, const char *field,
                               struct vt_error *err) {
  const struct part_def *d = &part_defs[id];
  const char *part = r->part[id], *value = r->value[id];
  char q[24];
  switch (d->kind) {
  case K_FREQ:
    for (int i = 0; i < 7; i++)
      if (strcmp(value, freqs[i]) == 0) {
        r->freq = (icalrecurrencetype_frequency)(ICAL_SECONDLY_RECURRENCE + i);
        return VT_OK;
      }
    return part_error(err, field, part,
                      "'%s' is not a frequency (SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, "
                      "MONTHLY, YEARLY)",
                      quote(value, q));
  case K_UNTIL: {
    size_t len = strlen(value);
    r->until_utc = len == 16 && value[15] == 'Z';
    r->until_date = len == 8;
    if ((len == 8 && parse_basic(value, false, &r->until)) ||
        ((len == 15 || r->until_utc) && parse_basic(value, true, &r->until)))
      return VT_OK;
    return part_error(err, field, part,
                      "'%s' is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, "
                      "with Z for UTC)",
                      quote(value, q));
  }
  case K_INT: {
    long long v;
    if (!parse_number(value, false, 10, &v) || !in_range(d, v))
      return part_error(err, field, part, "'%s' is not %s (%lld to %lld)", quote(value, q), d->what,
                        d->min, d->max);
    return VT_OK;
  }
  case K_WEEKDAY:
    if (weekday_index(value) < 0)
      return part_error(err, field, part, "'%s' is not a weekday (" WEEKDAY_LIST ")",
                        quote(value, q));
    return VT_OK;
  case K_LIST:
  case K_DAYS: {
    char items[RECUR_RULE_MAX + 1], unique[RECUR_RULE_MAX + 1];
    snprintf(items, sizeof items, "%s", value);
    char *item = items;
    size_t n = 0;
    r->n_seen = 0;
    for (int i = 0;; i++) {
      char *comma = strchr(item, ',');
      if (comma) *comma = '\0';
      bool fresh = true;
      enum vt_err rc = check_item(r, id, item, i, &fresh, field, err);
      if (rc != VT_OK) return rc;
      if (fresh) n += (size_t)snprintf(unique + n, sizeof unique - n, "%s%s", n ? "," : "", item);
      if (!comma) break;
      item = comma + 1;
    }
    memcpy(r->value[id], unique, n + 1); /* never longer than the value it replaces */
    return VT_OK;
  }
  }
  return VT_OK;
}

/* Split text into parts and check each value. */
static enum vt_err split_rule(const char *text, struct rule *r, const char *field,
                              struct vt_error *err) {
  memset(r, 0, sizeof *r);
  r->ordinal_day = -1;
  if (strlen(text) > RECUR_RULE_MAX)
    return vt_error_set(err, VT_ERR_INVALID, field, "the rule is longer than %d bytes",
                        RECUR_RULE_MAX);
  for (size_t i = 0; text[i]; i++)
    r->text[i] = text[i] >= 'a' && text[i] <= 'z' ? (char)(text[i] - 'a' + 'A') : text[i];
  if (strncmp(r->text, "RRULE:", 6) == 0)
    return vt_error_set(err, VT_ERR_INVALID, field,
                        "write the rule without 'RRULE:' (e.g. FREQ=WEEKLY;BYDAY=MO)");
  char *p = r->text;
  for (;;) {
    char *semi = strchr(p, ';');
    if (semi) *semi = '\0';
    if (!*p && semi == NULL && p != r->text) return VT_OK; /* "FREQ=DAILY;": a common habit */
    if (!*p)
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "an empty part (a ';' at the start, or two in a row)");
    char *eq = strchr(p, '=');
    if (!eq) return part_error(err, field, p, "a part must be NAME=VALUE");
    *eq = '\0';
    int id = 0;
    while (id < P__COUNT && strcmp(part_defs[id].name, p) != 0) id++;
    *eq = '=';
    if (id == P__COUNT) {
      char name[PART_QUOTE_MAX];
      snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "unknown part '%s' (known: FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, "
                          "BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, "
                          "BYSETPOS, WKST)",
                          name);
    }
    if (r->part[id]) return part_error(err, field, p, "%s is given twice", part_defs[id].name);
    r->part[id] = p;
    r->value[id] = eq + 1;
    r->order[r->n_parts++] = (enum part_id)id;
    if (!eq[1]) return part_error(err, field, p, "no value");
    enum vt_err rc = check_value(r, (enum part_id)id, field, err);
    if (rc != VT_OK) return rc;
    if (!semi) return VT_OK;
    p = semi + 1;
  }
}

/* Could BYMONTHDAY fall in any month of BYMONTH? (FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 never
 * occurs, and libical refuses it without saying why.) */
static bool monthdays_possible(const struct rule *r) {
  for (int m = 1; m <= 12; m++) {
    if (!(r->months & (1u << m))) continue;
    for (int i = 0; i < r->n_monthdays; i++) {
      long long d = r->monthday[i] < 0 ? -r->monthday[i] : r->monthday[i];
      if (d <= vt_days_in_month(2000, m)) return true; /* a leap year: 29 February exists */
    }
  }
  return false;
}

/* The combinations RFC 5545 §3.3.10 rules out. */
static enum vt_err check_combinations(const struct rule *r, const char *field,
                                      struct vt_error *err) {
  const char *freq = r->value[P_FREQ];
  if (!r->part[P_FREQ])
    return vt_error_set(err, VT_ERR_INVALID, field, "FREQ is required (e.g. FREQ=WEEKLY)");
  if (r->part[P_COUNT] && r->part[P_UNTIL])
    return vt_error_set(err, VT_ERR_INVALID, field, "COUNT and UNTIL cannot both be given");
  if (r->part[P_BYWEEKNO] && r->freq != ICAL_YEARLY_RECURRENCE)
    return part_error(err, field, r->part[P_BYWEEKNO], "BYWEEKNO needs FREQ=YEARLY, not %s", freq);
  if (r->part[P_BYYEARDAY] &&
      (r->freq == ICAL_DAILY_RECURRENCE || r->freq == ICAL_WEEKLY_RECURRENCE ||
       r->freq == ICAL_MONTHLY_RECURRENCE))
    return part_error(err, field, r->part[P_BYYEARDAY], "BYYEARDAY cannot be used with FREQ=%s",
                      freq);
  if (r->part[P_BYMONTHDAY] && r->freq == ICAL_WEEKLY_RECURRENCE)
    return part_error(err, field, r->part[P_BYMONTHDAY],
                      "BYMONTHDAY cannot be used with FREQ=WEEKLY");
  if (r->ordinal_day >= 0 && r->freq != ICAL_MONTHLY_RECURRENCE &&
      r->freq != ICAL_YEARLY_RECURRENCE)
    return part_error(err, field, r->part[P_BYDAY],
                      "a numbered weekday ('%s') needs FREQ=MONTHLY or FREQ=YEARLY, not %s",
                      r->ordinal_text, freq);
  if (r->ordinal_day >= 0 && r->freq == ICAL_YEARLY_RECURRENCE && r->part[P_BYWEEKNO])
    return part_error(err, field, r->part[P_BYDAY],
                      "a numbered weekday ('%s') cannot be used together with BYWEEKNO",
                      r->ordinal_text);
  if (r->part[P_BYSETPOS]) {
    bool other = false;
    for (int id = P_BYSECOND; id <= P_BYMONTH; id++) other = other || r->part[id];
    if (!other)
      return part_error(err, field, r->part[P_BYSETPOS],
                        "BYSETPOS needs another BYxxx part to pick from");
  }
  if (r->part[P_BYMONTH] && r->part[P_BYMONTHDAY] && !monthdays_possible(r))
    return part_error(err, field, r->part[P_BYMONTHDAY],
                      "no month in %s has such a day, so the rule never occurs",
                      r->part[P_BYMONTH]);
  return VT_OK;
}

/* Does libical parse text and make an iterator of it from dtstart? Locked. */
static bool ical_accepts(const char *text, const struct recur_local *dtstart) {
  icalerror_clear_errno();
  struct icalrecurrencetype rule = icalrecurrencetype_from_string(text);
  if (rule.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
    icalerror_clear_errno();
    return false;
  }
  icalrecur_iterator *it = icalrecur_iterator_new(rule, ical_time(dtstart, NULL));
  icalerror_clear_errno();
  if (!it) return false;
  icalrecur_iterator_free(it);
  return true;
}

/* libical refused a rule that passed the grammar: name the part, or the pair of parts, it
 * cannot take together with FREQ. */
static enum vt_err find_refused_part(const struct rule *r, const struct recur_local *dtstart,
                                     const char *field, struct vt_error *err) {
  char text[3 * (RECUR_RULE_MAX + 2)];
  const char *freq = r->part[P_FREQ];
  for (int i = 0; i < r->n_parts; i++) {
    enum part_id a = r->order[i];
    if (a == P_FREQ) continue;
    snprintf(text, sizeof text, "%s;%s", freq, r->part[a]);
    if (!ical_accepts(text, dtstart))
      return part_error(err, field, r->part[a], "libical cannot expand this part with %s", freq);
  }
  for (int i = 0; i < r->n_parts; i++)
    for (int j = i + 1; j < r->n_parts; j++) {
      enum part_id a = r->order[i], b = r->order[j];
      if (a == P_FREQ || b == P_FREQ) continue;
      snprintf(text, sizeof text, "%s;%s;%s", freq, r->part[a], r->part[b]);
      if (ical_accepts(text, dtstart)) continue;
      if (part_defs[b].blame > part_defs[a].blame) {
        enum part_id t = a;
        a = b;
        b = t;
      }
      return part_error(err, field, r->part[a], "libical cannot expand this part with %s and %s",
                        freq, part_defs[b].name);
    }
  return vt_error_set(err, VT_ERR_INVALID, field, "libical cannot expand this rule");
}

/* The parts again as one rule (split_rule cut the text in place), upper-cased, without
 * the parts whose bit is set in leave_out. */
static void rule_join(const struct rule *r, unsigned leave_out, char out[RECUR_RULE_MAX + 1]) {
  size_t n = 0;
  out[0] = '\0';
  for (int i = 0; i < r->n_parts && n < RECUR_RULE_MAX; i++)
    if (!(leave_out & 1u << r->order[i]))
      n += (size_t)snprintf(out + n, RECUR_RULE_MAX + 1 - n, "%s%s", n ? ";" : "",
                            r->part[r->order[i]]);
}

/* The whole check of one rule text; r receives its parts. Locked. */
static enum vt_err rule_check_locked(const char *text, const struct recur_local *dtstart,
                                     struct rule *r, const char *field, struct vt_error *err) {
  enum vt_err rc = split_rule(text, r, field, err);
  if (rc == VT_OK) rc = check_combinations(r, field, err);
  if (rc != VT_OK) return rc;
  char joined[RECUR_RULE_MAX + 1];
  rule_join(r, 0, joined);
  if (!ical_accepts(joined, dtstart)) return find_refused_part(r, dtstart, field, err);
  return VT_OK;
}

static bool rule_empty(const struct recur_rule *r) { return !r->rrule || !r->rrule[0]; }

static enum vt_err check_dtstart(const struct recur_rule *r, const char *field,
                                 struct vt_error *err) {
  if (!local_valid(&r->dtstart))
    return vt_error_set(err, VT_ERR_INVALID, field, "the start is not a valid local time");
  return VT_OK;
}

enum vt_err recur_rule_check(const struct recur_rule *r, const char *field, struct vt_error *err) {
  enum vt_err rc = check_dtstart(r, field, err);
  if (rc != VT_OK || rule_empty(r)) return rc;
  struct rule *parts = malloc(sizeof *parts);
  if (!parts) return vt_error_no_memory(err);
  ical_enter();
  rc = rule_check_locked(r->rrule, &r->dtstart, parts, field, err);
  ical_leave();
  free(parts);
  return rc;
}

enum vt_err recur_rule_check_schedule(const struct recur_rule *r, const char *field,
                                      struct vt_error *err) {
  enum vt_err rc = check_dtstart(r, field, err);
  if (rc != VT_OK || rule_empty(r)) return rc;
  struct rule *p = malloc(sizeof *p);
  if (!p) return vt_error_no_memory(err);
  ical_enter();
  rc = rule_check_locked(r->rrule, &r->dtstart, p, field, err);
  ical_leave();
  if (rc == VT_OK && p->freq == ICAL_SECONDLY_RECURRENCE)
    rc = part_error(err, field, p->part[P_FREQ],
                    "a schedule cannot change every second; use MINUTELY or slower");
  /* What libical 3.0.16 expands differently from RFC 5545 (the skipped families of the
   * RRULE vectors): a schedule must mean what it says, so these are refused with a way out. */
  bool yearly = p->freq == ICAL_YEARLY_RECURRENCE, monthly = p->freq == ICAL_MONTHLY_RECURRENCE;
  if (rc == VT_OK && p->part[P_BYWEEKNO])
    rc = part_error(err, field, p->part[P_BYWEEKNO],
                    "libical 3.0.16 does not expand week numbers as RFC 5545 says; write the "
                    "dates with BYMONTH and BYMONTHDAY instead");
  if (rc == VT_OK && p->part[P_BYSETPOS] &&
      (!(yearly || monthly) || p->part[P_BYHOUR] || p->part[P_BYMINUTE] || p->part[P_BYSECOND]))
    rc = part_error(err, field, p->part[P_BYSETPOS],
                    "libical 3.0.16 expands BYSETPOS as RFC 5545 says only with FREQ=MONTHLY or "
                    "YEARLY and no BYHOUR, BYMINUTE or BYSECOND");
  if (rc == VT_OK && yearly && p->part[P_BYMONTHDAY] && !p->part[P_BYMONTH])
    rc = part_error(err, field, p->part[P_BYMONTHDAY],
                    "with FREQ=YEARLY libical 3.0.16 keeps the start's month; write "
                    "FREQ=MONTHLY;%s for every month, or add BYMONTH",
                    p->part[P_BYMONTHDAY]);
  free(p);
  return rc;
}

/* ---------------------------------------------------------------- expansion */

/* The filters of a sub-daily rule that recur.c applies itself (own_limits): bit v of a
 * set = value v is listed; monthdays and yeardays [0] positive, [1] counted from the end. */
struct limits {
  unsigned parts; /* bit per part_id */
  uint64_t months, monthdays[2], yeardays[2][6], hours, minutes, seconds;
  unsigned weekdays; /* bit 0 = MO .. 6 = SU */
};

/* One running expansion: libical's iterator plus what libical is not told. */
struct expansion {
  icalrecur_iterator *it; /* NULL: the rule is the single occurrence dtstart */
  const struct recur_rule *r;
  int64_t dtstart_s;
  icaltimezone *zone;
  bool until_utc; /* keep only occurrences whose instant is <= until_s */
  int64_t until_s;
  bool has_count;   /* walked from DTSTART: COUNT counts from there */
  bool no_skip;     /* libical's set_start is not used (BYWEEKNO: it returns weeks out of order) */
  int64_t period_s; /* sub-daily: seconds between periods (INTERVAL x the unit), else 0 */
  struct limits limits;   /* filters applied here rather than by libical (own_limits) */
  bool expand_minute, expand_second; /* libical expands BYMINUTE / BYSECOND in each period */
  long long count_left;   /* COUNT applied here (with limits), else -1 */
  struct icalrecurrencetype rule; /* as given to libical, to restart it (expansion_skip_to) */
  bool has_until;
  int64_t until_local_s; /* the UNTIL libical was given, in local seconds */
  bool single_done;
  bool any;
  int64_t last_s;
  long steps;
};

static bool exdated(const struct recur_rule *r, int64_t s) {
  for (size_t i = 0; i < r->n_exdates; i++)
    if (recur_local_seconds(&r->exdates[i]) == s) return true;
  return false;
}

/* RFC 5545 §3.3.10: on an HOURLY, MINUTELY or SECONDLY rule, BYMONTH, BYYEARDAY,
 * BYMONTHDAY, BYDAY, BYHOUR, and BYMINUTE/BYSECOND from FREQ's own unit up, only filter the
 * rule's periods (INTERVAL=3 hours from 08:00 with BYHOUR=8,10,12,14 is 08:00 and 14:00).
 * libical 3.0.16 gets these wrong: it expands BYHOUR on an HOURLY rule into every listed
 * hour whatever INTERVAL says, returns an occurrence twice when started at one other than
 * the first, and loses INTERVAL's phase when started outside BYHOUR. So libical gets the
 * rule without them (and without COUNT, which must count only what the filters keep): it
 * then only steps the periods and expands BYMINUTE/BYSECOND within them, which it does
 * right from any period, and expansion_next filters and counts. With BYSETPOS, which
 * picks from the filtered set, libical keeps the whole rule and is walked from DTSTART.
 * Fills x->limits; returns the parts to leave out. */
static unsigned own_limits(const struct rule *p, struct expansion *x) {
  if (p->freq != ICAL_HOURLY_RECURRENCE && p->freq != ICAL_MINUTELY_RECURRENCE &&
      p->freq != ICAL_SECONDLY_RECURRENCE)
    return 0;
  if (p->part[P_BYSETPOS]) {
    x->no_skip = true;
    return 0;
  }
  x->expand_minute = p->freq == ICAL_HOURLY_RECURRENCE && p->part[P_BYMINUTE];
  x->expand_second = p->freq != ICAL_SECONDLY_RECURRENCE && p->part[P_BYSECOND];
  static const enum part_id filters[] = {P_BYMONTH, P_BYYEARDAY, P_BYMONTHDAY, P_BYDAY,
                                         P_BYHOUR,  P_BYMINUTE,  P_BYSECOND};
  struct limits *lim = &x->limits;
  unsigned leave_out = 0;
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
    enum part_id id = filters[i];
    if (!p->part[id]) continue;
    if (id == P_BYMINUTE && p->freq == ICAL_HOURLY_RECURRENCE) continue; /* expands */
    if (id == P_BYSECOND && p->freq != ICAL_SECONDLY_RECURRENCE) continue;
    leave_out |= 1u << id;
    /* split_rule checked every value; BYDAY has no numbered weekday below MONTHLY */
    for (char *v = p->value[id]; *v; v += *v == ',') {
      if (id == P_BYDAY) {
        char day[3] = {v[0], v[1], '\0'};
        lim->weekdays |= 1u << weekday_index(day);
        v += 2;
        continue;
      }
      long n = strtol(v, &v, 10), a = n < 0 ? -n : n;
      uint64_t *set = id == P_BYMONTH      ? &lim->months
                      : id == P_BYMONTHDAY ? &lim->monthdays[n < 0]
                      : id == P_BYYEARDAY  ? &lim->yeardays[n < 0][a / 64]
                      : id == P_BYHOUR     ? &lim->hours
                      : id == P_BYMINUTE   ? &lim->minutes
                                           : &lim->seconds;
      *set |= 1ull << (id == P_BYYEARDAY ? a % 64 : a);
    }
  }
  lim->parts = leave_out;
  if (leave_out && p->part[P_COUNT]) {
    x->count_left = atoll(p->value[P_COUNT]);
    leave_out |= 1u << P_COUNT;
  }
  return leave_out;
}

static bool has(uint64_t set, int v) { return set >> v & 1; }

/* 0 if local time l (local second s) passes x's own filters; else the first local second
 * at which the coarsest failing one can pass again (the next month, day, hour, minute or
 * second), so that expansion_next can jump there rather than step through every period. */
static int64_t limits_fail(const struct expansion *x, const struct recur_local *l, int64_t s) {
  const struct limits *lim = &x->limits;
  unsigned on = lim->parts;
  if (!on) return 0;
  int64_t day = vt_floor_div(s, DAY_S) * DAY_S;
  if ((on & 1u << P_BYMONTH) && !has(lim->months, l->month))
    return day + (vt_days_in_month(l->year, l->month) + 1 - l->day) * DAY_S;
  if (on & 1u << P_BYMONTHDAY) {
    int back = vt_days_in_month(l->year, l->month) + 1 - l->day; /* 1 = the last day */
    if (!has(lim->monthdays[0], l->day) && !has(lim->monthdays[1], back)) return day + DAY_S;
  }
  if (on & 1u << P_BYYEARDAY) {
    struct recur_local jan1 = {l->year, 1, 1, 0, 0, 0};
    int n = (int)((day - recur_local_seconds(&jan1)) / DAY_S) + 1;
    int back = (vt_is_leap_year(l->year) ? 366 : 365) + 1 - n;
    if (!has(lim->yeardays[0][n / 64], n % 64) && !has(lim->yeardays[1][back / 64], back % 64))
      return day + DAY_S;
  }
  /* 1970-01-01 was a Thursday, index 3 from Monday */
  if ((on & 1u << P_BYDAY) && !has(lim->weekdays, (int)((day / DAY_S % 7 + 7 + 3) % 7)))
    return day + DAY_S;
  if ((on & 1u << P_BYHOUR) && !has(lim->hours, l->hour)) return s - s % 3600 + 3600;
  if ((on & 1u << P_BYMINUTE) && !has(lim->minutes, l->minute)) return s - s % 60 + 60;
  if ((on & 1u << P_BYSECOND) && !has(lim->seconds, l->second)) return s + 1;
  return 0;
}

/* Restart a sub-daily iterator at period k (DTSTART + k x INTERVAL units, so INTERVAL
 * keeps its phase), with the minute and second that libical expands (BYMINUTE on HOURLY,
 * BYSECOND) at 0 so that none of that period's occurrences is lost. Such a rule is the
 * same rule from any of its periods: its filters are ours (own_limits) or calendar fields.
 * False if libical refuses (then the old iterator goes on). */
static bool restart_period(struct expansion *x, int64_t k) {
  struct recur_local l;
  recur_local_from_seconds(x->dtstart_s + k * x->period_s, &l);
  if (x->expand_minute) l.minute = 0;
  if (x->expand_second) l.second = 0;
  icalrecur_iterator *it = icalrecur_iterator_new(x->rule, ical_time(&l, NULL));
  icalerror_clear_errno();
  if (!it) return false;
  icalrecur_iterator_free(x->it);
  x->it = it;
  return true;
}

/* Start expanding r in zone (NULL: floating). Locked. */
static enum vt_err expansion_open(struct expansion *x, const struct recur_rule *r,
                                  icaltimezone *zone, const char *field, struct vt_error *err) {
  memset(x, 0, sizeof *x);
  x->count_left = -1;
  x->r = r;
  x->dtstart_s = recur_local_seconds(&r->dtstart);
  x->zone = zone;
  enum vt_err rc = check_dtstart(r, field, err);
  if (rc != VT_OK || rule_empty(r)) return rc;
  struct rule *p = malloc(sizeof *p);
  if (!p) return vt_error_no_memory(err);
  /* the grammar here; what libical refuses shows when it makes the iterator below */
  rc = split_rule(r->rrule, p, field, err);
  if (rc == VT_OK) rc = check_combinations(p, field, err);
  if (rc != VT_OK) {
    free(p);
    return rc;
  }
  char joined[RECUR_RULE_MAX + 1];
  rule_join(p, own_limits(p, x), joined);
  icalerror_clear_errno();
  struct icalrecurrencetype rule = icalrecurrencetype_from_string(joined);
  bool parsed = rule.freq != ICAL_NO_RECURRENCE && icalerrno == ICAL_NO_ERROR;
  x->has_count = p->part[P_COUNT] != NULL;
  x->no_skip = x->no_skip || x->has_count || p->part[P_BYWEEKNO] != NULL;
  int64_t interval = p->value[P_INTERVAL] ? atoll(p->value[P_INTERVAL]) : 1;
  if (p->freq == ICAL_HOURLY_RECURRENCE) x->period_s = interval * 3600;
  if (p->freq == ICAL_MINUTELY_RECURRENCE) x->period_s = interval * 60;
  if (p->freq == ICAL_SECONDLY_RECURRENCE) x->period_s = interval;
  if (p->part[P_UNTIL]) {
    /* libical compares UNTIL with each floating occurrence as a floating time */
    struct recur_local until = p->until;
    if (p->until_date) until.hour = 23, until.minute = 59, until.second = 59; /* the whole day */
    int64_t until_s = recur_local_seconds(&until);
    if (p->until_utc && zone) {
      /* an instant: give libical its local time a day later, then filter exactly */
      x->until_utc = true;
      x->until_s = until_s;
      until_s = until_s + offset_at(zone, until_s) + DAY_S;
      recur_local_from_seconds(until_s, &until);
    }
    rule.until = ical_time(&until, NULL);
    x->has_until = true;
    x->until_local_s = until_s;
  }
  icalerror_clear_errno();
  x->rule = rule;
  x->it = parsed ? icalrecur_iterator_new(rule, ical_time(&r->dtstart, NULL)) : NULL;
  icalerror_clear_errno();
  if (!x->it) rc = find_refused_part(p, &r->dtstart, field, err);
  free(p);
  return rc;
}

static void expansion_close(struct expansion *x) {
  if (x->it) icalrecur_iterator_free(x->it);
  x->it = NULL;
}

/* Move the iterator to the occurrences at or after local second s (libical's set_start), so
 * a rule that began years ago does not walk every occurrence since. A rule with COUNT must be
 * walked from DTSTART to count right; with BYWEEKNO, libical 3.0.16 then returns weeks out of
 * order (vectors libical-L273, -L364). */
static void expansion_skip_to(struct expansion *x, int64_t s) {
  if (!x->it || x->no_skip || s <= recur_local_seconds(&x->r->dtstart)) return;
  if (x->has_until && s > x->until_local_s) s = x->until_local_s;
  int64_t dtstart_s = recur_local_seconds(&x->r->dtstart);
  struct recur_local l;
  if (x->period_s > 0) {
    /* libical 3.0.16's set_start misplaces sub-daily periods (an hour late, or counted
     * from the new start): restart at the last period that begins at or before s */
    int64_t k = vt_floor_div(s - dtstart_s, x->period_s);
    if (k > 0) restart_period(x, k);
    return;
  }
  /* daily and longer periods begin at a day; libical aligns INTERVAL itself */
  recur_local_from_seconds(s, &l);
  l.hour = l.minute = l.second = 0;
  if (recur_local_seconds(&l) <= dtstart_s) return;
  icalrecur_iterator_set_start(x->it, ical_time(&l, NULL));
  icalerror_clear_errno();
}

/* The next occurrence, EXDATEs included (*excluded says so); *done at the end. Locked. */
static enum vt_err expansion_next(struct expansion *x, struct recur_local *occ, int64_t *occ_s,
                                  bool *excluded, bool *done, const char *field,
                                  struct vt_error *err) {
  *done = false;
  if (!x->it) {
    if (x->single_done) {
      *done = true;
      return VT_OK;
    }
    x->single_done = true;
    *occ = x->r->dtstart;
    *occ_s = recur_local_seconds(occ);
    *excluded = exdated(x->r, *occ_s);
    return VT_OK;
  }
  for (;;) {
    if (++x->steps > RECUR_MAX_STEPS)
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "libical needs more than %d steps to expand this rule; make it "
                          "simpler or shorter",
                          RECUR_MAX_STEPS);
    struct icaltimetype t = icalrecur_iterator_next(x->it);
    icalerror_clear_errno();
    if (icaltime_is_null_time(t)) {
      *done = true;
      return VT_OK;
    }
    struct recur_local l = local_of(t);
    int64_t s = recur_local_seconds(&l);
    if (x->any && s <= x->last_s) {
      char at[RECUR_ISO_LEN];
      recur_local_iso(&l, at);
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "libical returns this rule's occurrences out of order (%s again "
                          "or earlier); it cannot be used",
                          at);
    }
    x->any = true;
    x->last_s = s;
    int64_t next_s = limits_fail(x, &l, s);
    if (next_s) {
      /* far ahead (a MINUTELY rule on one weekday): restart at the first period there */
      if (x->period_s > 0 && next_s - s > 8 * x->period_s)
        restart_period(x, vt_floor_div(next_s - x->dtstart_s - 1, x->period_s) + 1);
      continue;
    }
    if (x->count_left == 0) {
      *done = true;
      return VT_OK;
    }
    if (x->count_left > 0) x->count_left--;
    if (x->until_utc && local_to_utc_s(x->zone, s) > x->until_s) continue;
    *occ = l;
    *occ_s = s;
    *excluded = exdated(x->r, s);
    return VT_OK;
  }
}

enum vt_err recur_expand_zoned(const struct recur_rule *r, const char *tzid,
                               const struct recur_local *limit, recur_fn fn, void *ctx,
                               struct vt_error *err) {
  ical_enter();
  icaltimezone *zone = tzid ? zone_find(tzid) : NULL;
  if (tzid && !zone) {
    ical_leave();
    return unknown_zone(tzid, "timezone", err);
  }
  struct expansion x;
  enum vt_err rc = expansion_open(&x, r, zone, "rrule", err);
  int64_t limit_s = limit ? recur_local_seconds(limit) : INT64_MAX;
  while (rc == VT_OK) {
    struct recur_local occ;
    int64_t s;
    bool excluded, done;
    rc = expansion_next(&x, &occ, &s, &excluded, &done, "rrule", err);
    if (rc != VT_OK || done || s >= limit_s) break;
    if (!excluded && !fn(ctx, &occ)) break;
  }
  expansion_close(&x);
  ical_leave();
  return rc;
}

enum vt_err recur_expand(const struct recur_rule *r, const struct recur_local *limit, recur_fn fn,
                         void *ctx, struct vt_error *err) {
  return recur_expand_zoned(r, NULL, limit, fn, ctx, err);
}

/* ---------------------------------------------------------------- entries */

struct window {
  int64_t start_ms, end_ms;
};

struct windows {
  struct window *w;
  size_t n, cap;
};

static bool windows_push(struct windows *ws, int64_t start_ms, int64_t end_ms) {
  if (ws->n == ws->cap) {
    size_t cap = ws->cap ? ws->cap * 2 : 16;
    struct window *w = realloc(ws->w, cap * sizeof *w);
    if (!w) return false;
    ws->w = w;
    ws->cap = cap;
  }
  ws->w[ws->n++] = (struct window){start_ms, end_ms};
  return true;
}

static int window_cmp(const void *a, const void *b) {
  const struct window *x = a, *y = b;
  if (x->start_ms != y->start_ms) return x->start_ms < y->start_ms ? -1 : 1;
  return (x->end_ms > y->end_ms) - (x->end_ms < y->end_ms);
}

/* The validity days as local seconds [from, until) (unbounded sides: INT64_MIN/MAX). */
static void validity(const struct recur_entry *e, int64_t *from_s, int64_t *until_s) {
  *from_s = e->has_valid_from ? recur_local_seconds(&e->valid_from) : INT64_MIN;
  *until_s = e->has_valid_until ? recur_local_seconds(&e->valid_until) + DAY_S : INT64_MAX;
}

static enum vt_err check_entry(const struct recur_entry *e, struct vt_error *err) {
  if (e->duration_s <= 0 || e->duration_s > RECUR_DURATION_MAX_S)
    return vt_error_set(err, VT_ERR_INVALID, "duration", "must be 1 s to 36525 days");
  if (e->has_valid_from && !local_valid(&e->valid_from))
    return vt_error_set(err, VT_ERR_INVALID, "valid_from", "is not a valid date");
  if (e->has_valid_until && !local_valid(&e->valid_until))
    return vt_error_set(err, VT_ERR_INVALID, "valid_until", "is not a valid date");
  if (e->has_valid_from && e->has_valid_until &&
      recur_local_seconds(&e->valid_until) < recur_local_seconds(&e->valid_from))
    return vt_error_set(err, VT_ERR_INVALID, "valid_until", "is before valid_from");
  return VT_OK;
}

/* ---------------------------------------------------------------- the cache */

/* One rule's local occurrences in a local span [lo_s, hi_s), EXDATEs left out, in order.
 * They depend only on the key (DTSTART, rule, EXDATEs, span, and the zone for an UNTIL
 * written in UTC), never on the zone otherwise: one expansion serves every display an
 * entry reaches, and an edited entry has another key. An expansion that failed keeps what
 * it found and the last occurrence it saw (reached_s): a caller that needs nothing past
 * that gets the list, one that does gets the error, just as when it expanded itself. */
struct occ_set {
  struct occ_set *next; /* in its bucket */
  uint64_t hash;
  unsigned char *key;
  size_t key_len;
  int64_t *s;
  size_t n, cap;
  enum vt_err rc;
  struct vt_error err;
  int64_t reached_s; /* INT64_MAX when the span was expanded to its end */
};

/* Bounds on what a cache holds (a pass over thousands of displays with their own entries):
 * past them, expansions are still right, just not kept. */
#define CACHE_MAX_BYTES (32u << 20)
#define CACHE_MAX_ZONES 64

struct zone_span {
  char tzid[RECUR_ZONE_NAME_MAX + 1];
  int64_t from_s, to_s; /* the range asked for; o covers three days more on each side */
  struct offsets o;
};

struct recur_cache {
  struct occ_set **buckets;
  size_t n_buckets, n_sets, bytes;
  struct zone_span *zones;
  size_t n_zones;
  size_t expanded, reused;
};

struct recur_cache *recur_cache_new(void) { return calloc(1, sizeof(struct recur_cache)); }

static void occ_set_free(struct occ_set *o) {
  if (!o) return;
  free(o->key);
  free(o->s);
  free(o);
}

void recur_cache_free(struct recur_cache *c) {
  if (!c) return;
  for (size_t b = 0; b < c->n_buckets; b++)
    for (struct occ_set *o = c->buckets[b], *next; o; o = next) {
      next = o->next;
      occ_set_free(o);
    }
  free(c->buckets);
  free(c->zones);
  free(c);
}

void recur_cache_counts(const struct recur_cache *c, size_t *expanded, size_t *reused) {
  *expanded = c ? c->expanded : 0;
  *reused = c ? c->reused : 0;
}

/* Expand r from local second lo_s (skipping ahead) until hi_s into o. Locked. */
static void expand_span(const struct recur_rule *r, icaltimezone *zone, int64_t lo_s,
                        int64_t hi_s, struct occ_set *o) {
  struct expansion x;
  o->reached_s = INT64_MIN;
  enum vt_err rc = expansion_open(&x, r, zone, "rrule", &o->err);
  if (rc == VT_OK) expansion_skip_to(&x, lo_s);
  while (rc == VT_OK) {
    struct recur_local occ;
    int64_t s;
    bool excluded, done;
    rc = expansion_next(&x, &occ, &s, &excluded, &done, "rrule", &o->err);
    if (rc != VT_OK) break;
    if (done || s >= hi_s) {
      o->reached_s = INT64_MAX;
      break;
    }
    o->reached_s = s;
    if (excluded || s < lo_s) continue;
    if (o->n == o->cap) {
      size_t cap = o->cap ? 2 * o->cap : 16;
      int64_t *v = realloc(o->s, cap * sizeof *v);
      if (!v) {
        rc = vt_error_no_memory(&o->err);
        o->reached_s = INT64_MIN;
        break;
      }
      o->s = v;
      o->cap = cap;
    }
    o->s[o->n++] = s;
  }
  expansion_close(&x);
  o->rc = rc;
}

static void key_put(unsigned char **p, const void *v, size_t len) {
  memcpy(*p, v, len);
  *p += len;
}

/* Everything the local occurrences of r in [lo_s, hi_s) depend on, as bytes. */
static unsigned char *occ_key(const struct recur_rule *r, const char *tzid, int64_t lo_s,
                              int64_t hi_s, size_t *len) {
  const char *rule = r->rrule ? r->rrule : "";
  /* only an UNTIL in UTC ('...Z') makes the zone matter; no other part has a Z */
  const char *zone = tzid && strpbrk(rule, "Zz") ? tzid : "";
  size_t n = 4 * sizeof(int64_t) + r->n_exdates * sizeof(int64_t) + strlen(rule) + 1 +
             strlen(zone) + 1;
  unsigned char *key = malloc(n), *p = key;
  if (!key) return NULL;
  int64_t head[4] = {lo_s, hi_s, recur_local_seconds(&r->dtstart), (int64_t)r->n_exdates};
  key_put(&p, head, sizeof head);
  for (size_t i = 0; i < r->n_exdates; i++) {
    int64_t ex = recur_local_seconds(&r->exdates[i]);
    key_put(&p, &ex, sizeof ex);
  }
  key_put(&p, rule, strlen(rule) + 1);
  key_put(&p, zone, strlen(zone) + 1);
  *len = n;
  return key;
}

static uint64_t fnv1a(const unsigned char *p, size_t n) {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

static bool cache_insert(struct recur_cache *c, struct occ_set *o) {
  size_t bytes = sizeof *o + o->key_len + o->cap * sizeof *o->s;
  if (c->bytes + bytes > CACHE_MAX_BYTES) return false;
  if (c->n_sets >= 2 * c->n_buckets) {
    size_t n = c->n_buckets ? 4 * c->n_buckets : 256;
    struct occ_set **b = calloc(n, sizeof *b);
    if (!b) return false;
    for (size_t i = 0; i < c->n_buckets; i++)
      for (struct occ_set *x = c->buckets[i], *next; x; x = next) {
        next = x->next;
        x->next = b[x->hash % n];
        b[x->hash % n] = x;
      }
    free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
  }
  o->next = c->buckets[o->hash % c->n_buckets];
  c->buckets[o->hash % c->n_buckets] = o;
  c->n_sets++;
  c->bytes += bytes;
  return true;
}

/* The occurrences of r in [lo_s, hi_s): from c, or expanded (and kept in c if it has
 * room). *owned: the caller frees the set. NULL: out of memory. Locked. */
static struct occ_set *occurrences(struct recur_cache *c, const struct recur_rule *r,
                                   icaltimezone *zone, const char *tzid, int64_t lo_s,
                                   int64_t hi_s, bool *owned) {
  struct occ_set *o = calloc(1, sizeof *o);
  if (!o) return NULL;
  *owned = true;
  if (c) {
    if (!(o->key = occ_key(r, tzid, lo_s, hi_s, &o->key_len))) {
      free(o);
      return NULL;
    }
    o->hash = fnv1a(o->key, o->key_len);
    for (struct occ_set *x = c->n_buckets ? c->buckets[o->hash % c->n_buckets] : NULL; x;
         x = x->next)
      if (x->hash == o->hash && x->key_len == o->key_len && !memcmp(x->key, o->key, o->key_len)) {
        occ_set_free(o);
        c->reused++;
        *owned = false;
        return x;
      }
    c->expanded++;
  }
  expand_span(r, zone, lo_s, hi_s, o);
  if (c && o->rc != VT_ERR_NO_MEMORY && cache_insert(c, o)) *owned = false;
  return o;
}

/* zone's offsets around [from_s, to_s) from c, built on first use; NULL if c is full. */
static const struct offsets *cache_offsets(struct recur_cache *c, icaltimezone *zone,
                                           const char *tzid, int64_t from_s, int64_t to_s) {
  for (size_t i = 0; i < c->n_zones; i++)
    if (c->zones[i].from_s == from_s && c->zones[i].to_s == to_s &&
        strcmp(c->zones[i].tzid, tzid) == 0)
      return &c->zones[i].o;
  if (c->n_zones == CACHE_MAX_ZONES) return NULL;
  if (!c->zones && !(c->zones = malloc(CACHE_MAX_ZONES * sizeof *c->zones))) return NULL;
  struct zone_span *z = &c->zones[c->n_zones++];
  snprintf(z->tzid, sizeof z->tzid, "%s", tzid);
  z->from_s = from_s;
  z->to_s = to_s;
  offsets_build(&z->o, zone, from_s - 3 * DAY_S, to_s + 3 * DAY_S);
  return &z->o;
}

/* ---------------------------------------------------------------- windows */

/* Collect the windows of e overlapping [from_ms, to_ms) in zone (named tzid). Locked. */
static enum vt_err collect_windows(struct recur_cache *c, const struct recur_entry *e,
                                   icaltimezone *zone, const char *tzid, int64_t from_ms,
                                   int64_t to_ms, struct windows *ws, struct vt_error *err) {
  int64_t from_s = vt_floor_div(from_ms, 1000), to_s = vt_floor_div(to_ms - 1, 1000) + 1;
  int64_t dur = e->duration_s, valid_from_s, valid_until_s;
  validity(e, &valid_from_s, &valid_until_s);
  const struct offsets *o = c && zone ? cache_offsets(c, zone, tzid, from_s, to_s) : NULL;
  /* an occurrence starting this early (local) can still reach from_ms; one starting after
   * the last bound cannot start before to_ms */
  int64_t first_s = from_s + zone_offset(zone, o, from_s) - dur - DAY_S;
  int64_t last_s = to_s + zone_offset(zone, o, to_s) + DAY_S;
  /* the same bounds for any zone (no offset reaches a day): the span expanded, and cached */
  int64_t lo_s = from_s - 2 * DAY_S - dur, hi_s = to_s + 2 * DAY_S;
  if (e->has_valid_from && valid_from_s - dur - DAY_S > first_s)
    first_s = valid_from_s - dur - DAY_S;
  if (e->has_valid_from && valid_from_s - dur - DAY_S > lo_s) lo_s = valid_from_s - dur - DAY_S;
  if (e->has_valid_until && valid_until_s < last_s) last_s = valid_until_s;
  if (e->has_valid_until && valid_until_s < hi_s) hi_s = valid_until_s;
  int64_t cut_from_ms = e->has_valid_from ? to_utc(zone, o, valid_from_s) * 1000 : INT64_MIN;
  int64_t cut_until_ms = e->has_valid_until ? to_utc(zone, o, valid_until_s) * 1000 : INT64_MAX;

  bool owned;
  struct occ_set *set = occurrences(c, &e->rule, zone, tzid, lo_s, hi_s, &owned);
  if (!set) return vt_error_no_memory(err);
  enum vt_err rc = VT_OK;
  if (set->rc != VT_OK && set->reached_s < last_s) {
    *err = set->err;
    rc = set->rc;
  }
  for (size_t i = 0; rc == VT_OK && i < set->n; i++) {
    int64_t s = set->s[i];
    if (s < first_s) continue;
    if (s >= last_s) break;
    int64_t start_ms = to_utc(zone, o, s) * 1000;
    int64_t end_ms = to_utc(zone, o, s + dur) * 1000;
    if (end_ms <= start_ms) end_ms = start_ms + dur * 1000; /* only a gap can do this */
    if (start_ms < cut_from_ms) start_ms = cut_from_ms;
    if (end_ms > cut_until_ms) end_ms = cut_until_ms;
    if (start_ms >= end_ms || end_ms <= from_ms || start_ms >= to_ms) continue;
    if (!windows_push(ws, start_ms, end_ms)) rc = vt_error_no_memory(err);
  }
  if (owned) occ_set_free(set);
  return rc;
}

enum vt_err recur_entry_windows_cached(struct recur_cache *c, const struct recur_entry *e,
                                       const char *tzid, int64_t from_ms, int64_t to_ms,
                                       recur_window_fn fn, void *ctx, struct vt_error *err) {
  enum vt_err rc = check_entry(e, err);
  if (rc != VT_OK) return rc;
  from_ms = clamp_ms(from_ms);
  to_ms = clamp_ms(to_ms);
  if (from_ms >= to_ms) return VT_OK;
  struct windows ws = {0};
  ical_enter();
  icaltimezone *zone = tzid ? zone_find(tzid) : NULL;
  if (tzid && !zone)
    rc = unknown_zone(tzid, "timezone", err);
  else
    rc = collect_windows(c, e, zone, tzid, from_ms, to_ms, &ws, err);
  ical_leave();
  /* Local order is UTC order except inside a spring-forward gap, where 02:30 reads as
   * 03:30; sorting keeps the promise of start order. Callbacks run unlocked. */
  if (rc == VT_OK && ws.n > 0) {
    qsort(ws.w, ws.n, sizeof *ws.w, window_cmp);
    for (size_t i = 0; i < ws.n; i++)
      if (!fn(ctx, ws.w[i].start_ms, ws.w[i].end_ms)) break;
  }
  free(ws.w);
  return rc;
}

enum vt_err recur_entry_windows(const struct recur_entry *e, const char *tzid, int64_t from_ms,
                                int64_t to_ms, recur_window_fn fn, void *ctx,
                                struct vt_error *err) {
  return recur_entry_windows_cached(NULL, e, tzid, from_ms, to_ms, fn, ctx, err);
}

/* Why e never takes the screen, once the search found nothing. */
static enum vt_err explain_never(const struct recur_entry *e, bool any_raw, int64_t first_raw_s,
                                 long in_validity, int64_t valid_until_s, struct vt_error *err) {
  char at[RECUR_ISO_LEN];
  if (!any_raw)
    return vt_error_set(err, VT_ERR_INVALID, "rrule",
                        "the rule has no occurrence in the %d years after its start",
                        RECUR_SEARCH_YEARS);
  if (in_validity > 0)
    return vt_error_set(err, VT_ERR_INVALID, "exdates",
                        e->has_valid_from || e->has_valid_until
                            ? "every occurrence on the validity days is in exdates"
                            : "every occurrence of the rule is in exdates");
  struct recur_local first;
  recur_local_from_seconds(first_raw_s, &first);
  recur_local_iso(&first, at);
  if (e->has_valid_until && first_raw_s >= valid_until_s)
    return vt_error_set(err, VT_ERR_INVALID, "valid_until",
                        "the validity days end before the first occurrence (%s)", at);
  if (e->has_valid_from)
    return vt_error_set(err, VT_ERR_INVALID, "valid_from",
                        "no occurrence falls on the validity days");
  return vt_error_set(err, VT_ERR_INVALID, "rrule", "the entry never occurs");
}

enum vt_err recur_entry_check_occurs(const struct recur_entry *e, struct vt_error *err) {
  enum vt_err rc = check_entry(e, err);
  if (rc != VT_OK) return rc;
  int64_t dur = e->duration_s, valid_from_s, valid_until_s;
  validity(e, &valid_from_s, &valid_until_s);
  struct recur_local end = e->rule.dtstart;
  end.year += RECUR_SEARCH_YEARS;
  if (end.month == 2 && end.day == 29 && !vt_is_leap_year(end.year)) end.day = 28;
  int64_t limit_s = recur_local_seconds(&end);

  ical_enter();
  /* the first occurrence at all, EXDATEs and validity aside */
  struct expansion x;
  bool any_raw = false, done = false, excluded;
  int64_t first_raw_s = 0, s;
  struct recur_local occ;
  rc = expansion_open(&x, &e->rule, NULL, "rrule", err);
  if (rc == VT_OK) rc = expansion_next(&x, &occ, &first_raw_s, &excluded, &done, "rrule", err);
  any_raw = rc == VT_OK && !done && first_raw_s < limit_s;
  expansion_close(&x);

  /* then one that survives both, skipping ahead to the validity days */
  long in_validity = 0;
  bool found = false;
  if (rc == VT_OK && any_raw) rc = expansion_open(&x, &e->rule, NULL, "rrule", err);
  if (rc == VT_OK && any_raw) {
    if (e->has_valid_from) expansion_skip_to(&x, valid_from_s - dur - DAY_S);
    while (rc == VT_OK && !found) {
      rc = expansion_next(&x, &occ, &s, &excluded, &done, "rrule", err);
      if (rc != VT_OK || done || s >= limit_s || s >= valid_until_s) break;
      if (e->has_valid_from && s + dur <= valid_from_s) continue;
      in_validity++;
      found = !excluded;
    }
    expansion_close(&x);
  }
  ical_leave();
  if (rc != VT_OK || found) return rc;
  return explain_never(e, any_raw, first_raw_s, in_validity, valid_until_s, err);
}
