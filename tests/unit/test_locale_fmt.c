/* Locale formatting: numbers (digits, grouping, decimal separator) and clock formats per
 * locale and calendar, as tables of {input, expected bytes}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "locale_fmt.h"

struct num_case {
  const char *locale;
  enum vt_digits digits;
  const char *in, *want; /* want NULL: refused */
};

static const struct num_case num_cases[] = {
    {"en", VT_DIGITS_LOCALE, "120000", "120,000"},
    {"en", VT_DIGITS_LOCALE, "1234567.891", "1,234,567.891"},
    {"en", VT_DIGITS_LOCALE, "-3.20", "-3.20"},
    {"en", VT_DIGITS_LOCALE, "999", "999"},
    {"en", VT_DIGITS_LOCALE, "0", "0"},
    {"de", VT_DIGITS_LOCALE, "1234567.5", "1.234.567,5"},
    {"de-AT", VT_DIGITS_LOCALE, "1000", "1.000"},
    {"fr", VT_DIGITS_LOCALE, "1234.25", "1\xe2\x80\xaf" "234,25"},
    {"fa", VT_DIGITS_LOCALE, "120000", "۱۲۰٬۰۰۰"},
    {"fa-IR", VT_DIGITS_LOCALE, "3.5", "۳٫۵"},
    {"fa", VT_DIGITS_LATIN, "120000", "120٬000"},
    {"ar", VT_DIGITS_LOCALE, "1234567.09", "١٬٢٣٤٬٥٦٧٫٠٩"},
    {"ar", VT_DIGITS_PERSIAN, "10", "۱۰"},
    {"en", VT_DIGITS_ARABIC, "42", "٤٢"},
    {"xx", VT_DIGITS_LOCALE, "1000", "1,000"}, /* unknown locale: en */
    {"en", VT_DIGITS_LOCALE, "", NULL},
    {"en", VT_DIGITS_LOCALE, "1.", NULL},
    {"en", VT_DIGITS_LOCALE, ".5", NULL},
    {"en", VT_DIGITS_LOCALE, "1e5", NULL},
    {"en", VT_DIGITS_LOCALE, "1,000", NULL},
    {"en", VT_DIGITS_LOCALE, "--1", NULL},
};

static void test_numbers(void **state) {
  (void)state;
  char out[64];
  for (size_t i = 0; i < sizeof num_cases / sizeof num_cases[0]; i++) {
    const struct num_case *c = &num_cases[i];
    size_t n = locale_format_number(locale_get(c->locale), c->digits, c->in, out, sizeof out);
    if (!c->want) {
      if (n != 0) fail_msg("%s '%s': accepted as '%s'", c->locale, c->in, out);
      continue;
    }
    if (n != strlen(c->want) || strcmp(out, c->want) != 0)
      fail_msg("%s '%s': got '%s', want '%s'", c->locale, c->in, out, c->want);
  }
  /* Too small a buffer is refused, never truncated. */
  assert_int_equal(locale_format_number(locale_get("fa"), VT_DIGITS_LOCALE, "120000", out, 8), 0);
  assert_string_equal(out, "");
}

struct time_case {
  const char *locale;
  enum vt_digits digits;
  enum vt_calendar cal;
  const char *format;
  long long local_s; /* local seconds since 1970 */
  const char *want;
};

/* 2024-03-20 10:59:07 local (a Wednesday, 1 Farvardin 1403); 2026-11-23 23:05:00 (Monday,
 * 2 Azar 1405). */
#define T1 (1710932347LL)
#define T2 (1795475100LL)

static const struct time_case time_cases[] = {
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "HH:mm", T1, "10:59"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "HH:mm:ss", T1, "10:59:07"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "EEEE dd MMMM yyyy", T1,
     "Wednesday 20 March 2024"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "hh:mm a", T2, "11:05 PM"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "yyyy-MM-dd'T'HH", T2, "2026-11-23T23"},
    {"de", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "EEEE, dd. MMMM yyyy", T1,
     "Mittwoch, 20. März 2024"},
    {"fr", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "EEEE dd MMMM", T2, "lundi 23 novembre"},
    {"fa", VT_DIGITS_LOCALE, VT_CALENDAR_JALALI, "EEEE dd MMMM yyyy", T1,
     "چهارشنبه ۰۱ فروردین ۱۴۰۳"},
    {"fa", VT_DIGITS_LOCALE, VT_CALENDAR_JALALI, "yyyy/MM/dd HH:mm", T2, "۱۴۰۵/۰۹/۰۲ ۲۳:۰۵"},
    {"fa", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "dd MMMM yyyy", T2, "۲۳ نوامبر ۲۰۲۶"},
    {"fa", VT_DIGITS_LATIN, VT_CALENDAR_JALALI, "MMMM", T2, "آذر"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_JALALI, "dd MMMM yyyy", T1, "01 Farvardin 1403"},
    {"ar", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "EEEE HH:mm a", T1, "الأربعاء ١٠:٥٩ ص"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "hh a", 0, "12 AM"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "''HH''", T1, "'10'"},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "YYYY", T1, NULL},
    {"en", VT_DIGITS_LOCALE, VT_CALENDAR_GREGORIAN, "HH 'open", T1, NULL},
};

static void test_times(void **state) {
  (void)state;
  char out[128];
  for (size_t i = 0; i < sizeof time_cases / sizeof time_cases[0]; i++) {
    const struct time_case *c = &time_cases[i];
    struct local_time t = local_time_from_seconds(c->local_s);
    size_t n =
        locale_format_time(locale_get(c->locale), c->digits, c->cal, c->format, &t, out, sizeof out);
    if (!c->want) {
      if (n != 0) fail_msg("'%s': accepted as '%s'", c->format, out);
      continue;
    }
    if (n != strlen(c->want) || strcmp(out, c->want) != 0)
      fail_msg("%s '%s': got '%s', want '%s'", c->locale, c->format, out, c->want);
  }
  assert_true(locale_format_has_seconds("HH:mm:ss"));
  assert_false(locale_format_has_seconds("HH:mm 'ss'"));
  /* Negative local times (before 1970) break down correctly too. */
  struct local_time t = local_time_from_seconds(-1);
  assert_int_equal(t.date.year, 1969);
  assert_int_equal(t.hour, 23);
  assert_int_equal(t.second, 59);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_times),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
