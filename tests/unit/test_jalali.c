/* Gregorian <-> Solar Hijri: known pairs (Nowruz across leap years, 30 Esfand of leap
 * years, dated events), then every day from 1900 to 2200 both ways, with the calendar's
 * structure checked day by day (each day is the next one in both calendars). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "jalali.h"

struct pair {
  struct ymd g, j;
};

static const struct pair known[] = {
    {{2024, 3, 20}, {1403, 1, 1}},  {{2025, 3, 21}, {1404, 1, 1}},  {{2026, 3, 21}, {1405, 1, 1}},
    {{2025, 3, 20}, {1403, 12, 30}}, /* 1403 is leap: 30 Esfand */
    {{2021, 3, 20}, {1399, 12, 30}}, /* 1399 is leap */
    {{2021, 3, 21}, {1400, 1, 1}},  {{2020, 3, 20}, {1399, 1, 1}},  {{2019, 3, 21}, {1398, 1, 1}},
    {{2017, 3, 21}, {1396, 1, 1}},  {{2016, 3, 20}, {1395, 1, 1}},  {{2022, 3, 21}, {1401, 1, 1}},
    {{2023, 3, 21}, {1402, 1, 1}},  {{2023, 3, 20}, {1401, 12, 29}}, /* 1401 is common */
    {{1979, 2, 11}, {1357, 11, 22}}, {{1979, 3, 21}, {1358, 1, 1}}, {{1921, 3, 21}, {1300, 1, 1}},
    {{1900, 3, 21}, {1279, 1, 1}},  {{2024, 12, 21}, {1403, 10, 1}}, {{2024, 9, 21}, {1403, 6, 31}},
    {{2024, 9, 22}, {1403, 7, 1}},  {{1970, 1, 1}, {1348, 10, 11}},
};

static void test_known_pairs(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    struct ymd j = jalali_from_gregorian(known[i].g);
    if (j.year != known[i].j.year || j.month != known[i].j.month || j.day != known[i].j.day)
      fail_msg("%04d-%02d-%02d: got %d/%d/%d, want %d/%d/%d", known[i].g.year, known[i].g.month,
               known[i].g.day, j.year, j.month, j.day, known[i].j.year, known[i].j.month,
               known[i].j.day);
    struct ymd g = jalali_to_gregorian(known[i].j);
    assert_int_equal(g.year, known[i].g.year);
    assert_int_equal(g.month, known[i].g.month);
    assert_int_equal(g.day, known[i].g.day);
  }
}

static void test_leap_years(void **state) {
  (void)state;
  static const int leap[] = {1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412};
  static const int common[] = {1400, 1401, 1402, 1404, 1405, 1406, 1407, 1409};
  for (size_t i = 0; i < sizeof leap / sizeof leap[0]; i++) {
    assert_true(jalali_is_leap(leap[i]));
    assert_int_equal(jalali_month_days(leap[i], 12), 30);
  }
  for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
    assert_false(jalali_is_leap(common[i]));
    assert_false(jalali_valid((struct ymd){common[i], 12, 30}));
  }
  assert_false(jalali_valid((struct ymd){1403, 7, 31}));
  assert_false(jalali_valid((struct ymd){1403, 13, 1}));
  assert_true(jalali_valid((struct ymd){1403, 6, 31}));
}

/* Every day 1900-01-01 .. 2200-12-31: both conversions round-trip, and consecutive days
 * are consecutive dates in both calendars (so no day is skipped or doubled anywhere). */
static void test_every_day(void **state) {
  (void)state;
  int64_t from = gregorian_to_days((struct ymd){1900, 1, 1});
  int64_t to = gregorian_to_days((struct ymd){2200, 12, 31});
  assert_int_equal(to - from + 1, 301 * 365 + 73); /* leap days 1904..2196, minus 2100 */
  struct ymd pg = gregorian_from_days(from - 1), pj = jalali_from_days(from - 1);
  long nowruz = 0;
  for (int64_t d = from; d <= to; d++) {
    struct ymd g = gregorian_from_days(d), j = jalali_from_days(d);
    assert_int_equal(gregorian_to_days(g), d);
    assert_int_equal(jalali_to_days(j), d);
    assert_true(jalali_valid(j));
    /* next day in Jalali */
    if (j.day == 1) {
      if (j.month == 1) {
        assert_int_equal(j.year, pj.year + 1);
        assert_int_equal(pj.month, 12);
        assert_int_equal(pj.day, jalali_month_days(pj.year, 12));
        /* Nowruz falls on 20 or 21 March (the 33-year rule over this span) */
        assert_int_equal(g.month, 3);
        assert_true(g.day == 20 || g.day == 21 || g.day == 22);
        nowruz++;
      } else {
        assert_int_equal(j.month, pj.month + 1);
        assert_int_equal(pj.day, jalali_month_days(pj.year, pj.month));
      }
    } else {
      assert_int_equal(j.day, pj.day + 1);
      assert_int_equal(j.month, pj.month);
    }
    if (g.day != 1) assert_int_equal(g.day, pg.day + 1);
    pg = g;
    pj = j;
  }
  assert_int_equal(nowruz, 301);
  assert_int_equal(weekday_from_days(gregorian_to_days((struct ymd){2024, 3, 20})), 3); /* Wed */
  assert_int_equal(weekday_from_days(gregorian_to_days((struct ymd){1900, 1, 1})), 1);  /* Mon */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_known_pairs),
      cmocka_unit_test(test_leap_years),
      cmocka_unit_test(test_every_day),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
