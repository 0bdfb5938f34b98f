/* RFC 3339 parsing and formatting, as a table of {input, expected ms or reject}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "timeutil.h"

static const struct {
  const char *in;
  int ok;
  int64_t ms;
} parse_cases[] = {
    {"1970-01-01T00:00:00Z", 1, 0},
    {"2026-12-01T08:30:00Z", 1, 1796113800000LL},
    {"2026-12-01T08:30:00.5Z", 1, 1796113800500LL},
    {"2026-12-01T08:30:00.123456Z", 1, 1796113800123LL},
    {"2026-12-01T12:00:00+03:30", 1, 1796113800000LL},
    {"2026-12-01t08:30:00z", 1, 1796113800000LL},
    {"2026-12-01 08:30:00Z", 1, 1796113800000LL},
    {"1969-12-31T23:59:59Z", 1, -1000},
    {"2028-02-29T00:00:00Z", 1, 1835395200000LL},
    {"2026-02-29T00:00:00Z", 0, 0}, /* not a leap year */
    {"2026-13-01T00:00:00Z", 0, 0},
    {"2026-12-01T24:00:00Z", 0, 0},
    {"2026-12-01T08:30:00", 0, 0}, /* no zone: ambiguous */
    {"2026-12-01T08:30Z", 0, 0},
    {"2026-12-01T08:30:00.Z", 0, 0},
    {"2026-12-01T08:30:00Zjunk", 0, 0},
    {"", 0, 0},
    {"0000-01-01T00:00:00Z", 1, -62167219200000LL},
    {"9999-12-31T23:59:59.999Z", 1, 253402300799999LL},
    {"0000-01-01T00:00:00+00:01", 0, 0}, /* the offset carries it before year 0 */
    {"9999-12-31T23:59:59-00:01", 0, 0}, /* and past year 9999 */
};

static void test_parse(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
    int64_t ms = 42;
    int ok = vt_time_parse(parse_cases[i].in, &ms);
    if (ok != parse_cases[i].ok) fail_msg("'%s': parse %s", parse_cases[i].in, ok ? "accepted" : "rejected");
    if (ok && ms != parse_cases[i].ms)
      fail_msg("'%s': %lld, want %lld", parse_cases[i].in, (long long)ms, (long long)parse_cases[i].ms);
  }
}

static void test_format_round_trip(void **state) {
  (void)state;
  const int64_t values[] = {0, -1000, 1796113800000LL, 1796113800500LL, 253402300799000LL,
                            VT_TIME_FIRST_MS, VT_TIME_LAST_MS, -62135596800000LL /* 0001 */};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    char buf[VT_RFC3339_MAX];
    int64_t back;
    vt_time_format(values[i], buf);
    assert_true(vt_time_parse(buf, &back));
    assert_int_equal(back, values[i]);
  }
  char buf[VT_RFC3339_MAX];
  vt_time_format(1796113800000LL, buf);
  assert_string_equal(buf, "2026-12-01T08:30:00Z");
  vt_time_format(VT_TIME_FIRST_MS, buf);
  assert_string_equal(buf, "0000-01-01T00:00:00Z"); /* four digits, always */
  vt_time_format(-62135596800000LL, buf);
  assert_string_equal(buf, "0001-01-01T00:00:00Z");
}

static void test_floor(void **state) {
  (void)state;
  assert_int_equal(vt_floor_div(-1, 10), -1);
  assert_int_equal(vt_floor_mod(-1, 10), 9);
  assert_int_equal(vt_floor_mod(10, 10), 0);
  assert_int_equal(vt_floor_div(19, 10), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_format_round_trip),
      cmocka_unit_test(test_floor),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
