/* Gregorian <-> Solar Hijri (Jalali, the Iranian civil calendar) by arithmetic, no tables.
 *
 * The Iranian year starts at Nowruz, the day of the March equinox (as observed in Tehran).
 * Over 1800..2250 CE that observed calendar agrees with the arithmetic 33-year cycle used
 * here: in every 33 years, the years y with y mod 33 in {1, 5, 9, 13, 17, 22, 26, 30} are
 * leap (366 days, 30 Esfand). Outside that span the two drift apart by a day now and then;
 * signage clocks live well inside it. Months 1-6 have 31 days, 7-11 have 30, Esfand 29 or 30.
 *
 * Days are counted from 1970-01-01 (day 0) in both directions, so conversions compose with
 * Unix time: days = floor(seconds_local / 86400). */
#ifndef PLAYER_JALALI_H
#define PLAYER_JALALI_H

#include <stdbool.h>
#include <stdint.h>

struct ymd {
  int year, month, day; /* month 1..12, day 1..31 */
};

/* Proleptic Gregorian date <-> days since 1970-01-01. */
int64_t gregorian_to_days(struct ymd g);
struct ymd gregorian_from_days(int64_t days);
/* 0 = Sunday .. 6 = Saturday. */
int weekday_from_days(int64_t days);

bool jalali_is_leap(int year);
int jalali_month_days(int year, int month); /* 0 for a month outside 1..12 */
/* Jalali date <-> days since 1970-01-01. jalali_to_days expects a valid date
 * (jalali_valid); years 1..9999. */
bool jalali_valid(struct ymd j);
int64_t jalali_to_days(struct ymd j);
struct ymd jalali_from_days(int64_t days);

/* Convenience: the two directions by date. */
struct ymd jalali_from_gregorian(struct ymd g);
struct ymd jalali_to_gregorian(struct ymd j);

#endif
