/* http_cond.c: Range headers and If-None-Match, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "http_cond.h"

static void test_ranges(void **state) {
  (void)state;
  static const struct {
    const char *header;
    uint64_t size;
    enum http_cond_range want;
    uint64_t start, len;
  } cases[] = {
      {NULL, 100, HTTP_COND_FULL, 0, 0},
      {"bytes=0-9", 100, HTTP_COND_PARTIAL, 0, 10},
      {"bytes=90-", 100, HTTP_COND_PARTIAL, 90, 10},
      {"bytes=-10", 100, HTTP_COND_PARTIAL, 90, 10},
      {"bytes=-500", 100, HTTP_COND_PARTIAL, 0, 100},
      {"bytes=50-5000", 100, HTTP_COND_PARTIAL, 50, 50},
      {"bytes=99-99", 100, HTTP_COND_PARTIAL, 99, 1},
      {"bytes=100-", 100, HTTP_COND_UNSATISFIABLE, 0, 0},
      {"bytes=100-200", 100, HTTP_COND_UNSATISFIABLE, 0, 0},
      {"bytes=-0", 100, HTTP_COND_UNSATISFIABLE, 0, 0},
      {"bytes=0-", 0, HTTP_COND_UNSATISFIABLE, 0, 0},
      {"bytes=9-1", 100, HTTP_COND_FULL, 0, 0},     /* invalid: ignored */
      {"bytes=0-1,5-6", 100, HTTP_COND_FULL, 0, 0}, /* several: ignored */
      {"items=0-1", 100, HTTP_COND_FULL, 0, 0},     /* other unit */
      {"bytes=-", 100, HTTP_COND_FULL, 0, 0},
      {"bytes=a-b", 100, HTTP_COND_FULL, 0, 0},
      {"bytes=99999999999999999999-", 100, HTTP_COND_UNSATISFIABLE, 0, 0}, /* beyond any file */
      {"bytes=0-99999999999999999999", 100, HTTP_COND_PARTIAL, 0, 100},   /* clamped to the end */
      {"bytes=-99999999999999999999", 100, HTTP_COND_PARTIAL, 0, 100},    /* the whole file */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint64_t start = 0, len = 0;
    assert_int_equal(http_cond_parse_range(cases[i].header, cases[i].size, &start, &len),
                     cases[i].want);
    if (cases[i].want == HTTP_COND_PARTIAL) {
      assert_int_equal(start, cases[i].start);
      assert_int_equal(len, cases[i].len);
    }
  }
}

static void test_etags(void **state) {
  (void)state;
  static const struct {
    const char *header, *etag;
    bool match;
  } cases[] = {
      {"\"abc\"", "\"abc\"", true},
      {"W/\"abc\"", "\"abc\"", true},
      {"\"x\", \"abc\"", "\"abc\"", true},
      {"*", "\"abc\"", true},
      {"\"abcd\"", "\"abc\"", false},
      {"\"ab\"", "\"abc\"", false},
      {"", "\"abc\"", false},
      {NULL, "\"abc\"", false},
      {"\"abc", "\"abc\"", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_int_equal(http_cond_etag_match(cases[i].header, cases[i].etag), cases[i].match);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_ranges), cmocka_unit_test(test_etags)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
