/* Solar Hijri arithmetic: see jalali.h for the leap rule and where it holds. */
#include "jalali.h"

#include "timeutil.h"

/* ---- Gregorian ----------------------------------------------------------------------- */

/* The arithmetic is shared/timeutil.c's, the one the manager's schedules use too. */
int64_t gregorian_to_days(struct ymd g) {
  return vt_days_from_civil(g.year, (unsigned)g.month, (unsigned)g.day);
}

struct ymd gregorian_from_days(int64_t days) {
  int64_t y;
  unsigned m, d;
  vt_civil_from_days(days, &y, &m, &d);
  return (struct ymd){(int)y, (int)m, (int)d};
}

int weekday_from_days(int64_t days) { return (int)vt_floor_mod(days + 4, 7); /* 1970-01-01: Thu */ }

/* ---- Jalali -------------------------------------------------------------------------- */

#define CYCLE_YEARS 33
#define CYCLE_LEAPS 8
#define CYCLE_DAYS (CYCLE_YEARS * 365 + CYCLE_LEAPS)
/* Day number (from 1970-01-01) of 1 Farvardin of year 1 under the 33-year rule. Fixed by
 * one observed date, 1 Farvardin 1403 = 2024-03-20 = day 19802, minus days_before_year(1403)
 * = 365 * 1402 + 8 * 42 + 4 = 512070. test_jalali checks it against many known Nowruz dates. */
#define EPOCH_OFFSET (19802 - 512070)

/* Leap years among 1..r of a cycle (r = 0..32): positions 1 5 9 13 17 22 26 30. */
static int leaps_upto(int r) {
  static const int pos[CYCLE_LEAPS] = {1, 5, 9, 13, 17, 22, 26, 30};
  int n = 0;
  for (int i = 0; i < CYCLE_LEAPS; i++) n += pos[i] <= r;
  return n;
}

bool jalali_is_leap(int year) {
  int r = (int)vt_floor_mod(year, CYCLE_YEARS);
  return r > 0 && leaps_upto(r) != leaps_upto(r - 1);
}

/* Days from 1 Farvardin of year 1 to 1 Farvardin of year (years before it: 365 each plus
 * their leap days). */
static int64_t days_before_year(int64_t year) {
  int64_t n = year - 1;
  return 365 * n + CYCLE_LEAPS * vt_floor_div(n, CYCLE_YEARS) + leaps_upto((int)vt_floor_mod(n, CYCLE_YEARS));
}

static int64_t first_day(int64_t year) { return EPOCH_OFFSET + days_before_year(year); }

int jalali_month_days(int year, int month) {
  if (month < 1 || month > 12) return 0;
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return jalali_is_leap(year) ? 30 : 29;
}

bool jalali_valid(struct ymd j) {
  return j.year >= 1 && j.year <= 9999 && j.day >= 1 && j.day <= jalali_month_days(j.year, j.month);
}

int64_t jalali_to_days(struct ymd j) {
  int m = j.month - 1;
  int64_t before = m <= 6 ? 31 * m : 186 + 30 * (m - 6);
  return first_day(j.year) + before + j.day - 1;
}

struct ymd jalali_from_days(int64_t days) {
  /* Estimate the year from the mean year length, then correct by at most one. */
  int64_t rel = days - first_day(1);
  int64_t year = 1 + vt_floor_div(rel * CYCLE_YEARS, CYCLE_DAYS);
  while (first_day(year) > days) year--;
  while (first_day(year + 1) <= days) year++;
  int64_t doy = days - first_day(year); /* 0..365 */
  struct ymd j;
  j.year = (int)year;
  if (doy < 186) {
    j.month = (int)(doy / 31) + 1;
    j.day = (int)(doy % 31) + 1;
  } else {
    j.month = (int)((doy - 186) / 30) + 7;
    j.day = (int)((doy - 186) % 30) + 1;
  }
  return j;
}

struct ymd jalali_from_gregorian(struct ymd g) { return jalali_from_days(gregorian_to_days(g)); }
struct ymd jalali_to_gregorian(struct ymd j) { return gregorian_from_days(jalali_to_days(j)); }
