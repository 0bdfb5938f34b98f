/* currency.c on the two real ECB files of ../shared/testdata/currency (facts from its README:
 * counts, USD/GBP/JPY/RUB/ISK rates, no RUB in 2022), cross rates, the JSON, and malformed,
 * empty and hostile input. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "currency.h"
#include "test_util.h"

#define DIR VT_SHARED_TESTDATA_DIR "/currency"

static struct currency *parse_file(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", DIR, name);
  size_t len;
  char *xml = test_read_file(path, &len);
  struct vt_error err = {0};
  struct currency *c = currency_parse(xml, len, NULL, &err);
  free(xml);
  if (!c) fail_msg("%s: %s", name, err.message);
  return c;
}

static double rate(const struct currency *c, const char *code) {
  double v = NAN;
  assert_int_equal(currency_rate(c, code, &v), VT_OK);
  return v;
}

static void test_2017(void **state) {
  (void)state;
  struct currency *c = parse_file("ecb-eurofxref-daily-2017-03-08.xml");
  assert_string_equal(c->source, "ECB");
  assert_string_equal(c->date, "2017-03-08");
  assert_string_equal(c->base, "EUR");
  assert_int_equal(c->n_rates, 31);
  assert_true(rate(c, "USD") == 1.0556);
  assert_true(rate(c, "GBP") == 0.86753);
  assert_true(rate(c, "JPY") == 120.65);
  assert_true(rate(c, "RUB") == 61.7573);
  assert_true(rate(c, "EUR") == 1.0);
  currency_free(c);
}

static void test_2022(void **state) {
  (void)state;
  struct currency *c = parse_file("ecb-eurofxref-daily-2022-07-08.xml");
  assert_string_equal(c->date, "2022-07-08");
  assert_int_equal(c->n_rates, 31);
  assert_true(rate(c, "USD") == 1.0163);
  assert_true(rate(c, "GBP") == 0.84585);
  assert_true(rate(c, "ISK") == 139.50);
  double v;
  assert_int_equal(currency_rate(c, "RUB", &v), VT_ERR_NOT_FOUND);

  /* cross rates: USD->GBP = GBP/USD; EUR is 1; inverse pairs multiply to 1 */
  struct vt_error err = {0};
  assert_int_equal(currency_cross(c, "USD", "GBP", &v, &err), VT_OK);
  assert_true(fabs(v - 0.84585 / 1.0163) < 1e-12);
  assert_int_equal(currency_cross(c, "EUR", "USD", &v, &err), VT_OK);
  assert_true(v == 1.0163);
  assert_int_equal(currency_cross(c, "USD", "EUR", &v, &err), VT_OK);
  assert_true(fabs(v - 1 / 1.0163) < 1e-12);
  double a, b;
  assert_int_equal(currency_cross(c, "JPY", "CHF", &a, &err), VT_OK);
  assert_int_equal(currency_cross(c, "CHF", "JPY", &b, &err), VT_OK);
  assert_true(fabs(a * b - 1) < 1e-12);
  assert_int_equal(currency_cross(c, "GBP", "GBP", &v, &err), VT_OK);
  assert_true(v == 1.0);
  assert_int_equal(currency_cross(c, "RUB", "USD", &v, &err), VT_ERR_NOT_FOUND);
  assert_string_equal(err.field, "from");
  assert_int_equal(currency_cross(c, "USD", "XXX", &v, &err), VT_ERR_NOT_FOUND);
  assert_string_equal(err.field, "to");

  /* the snapshot data: exactly source, date, base, rates; the rates as the ECB wrote them */
  json_t *j = currency_to_json(c);
  assert_non_null(j);
  assert_int_equal(json_object_size(j), 4);
  assert_string_equal(json_string_value(json_object_get(j, "source")), "ECB");
  assert_string_equal(json_string_value(json_object_get(j, "base")), "EUR");
  assert_string_equal(json_string_value(json_object_get(j, "date")), "2022-07-08");
  json_t *rates = json_object_get(j, "rates");
  assert_int_equal(json_object_size(rates), 31);
  assert_null(json_object_get(rates, "EUR"));
  char *s = json_dumps(rates, JSON_COMPACT | JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER);
  assert_non_null(strstr(s, "\"USD\":1.0163,"));
  assert_non_null(strstr(s, "\"ISK\":139.5,"));
  free(s);
  json_decref(j);
  currency_free(c);
}

static void expect_invalid(const char *xml, const char *why) {
  struct vt_error err = {0};
  struct currency *c = currency_parse(xml, strlen(xml), NULL, &err);
  if (c) fail_msg("parsed: %s", why);
  assert_int_equal(err.code, VT_ERR_INVALID);
  assert_true(err.message[0] != '\0');
}

#define ENV_OPEN                                                                  \
  "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" "       \
  "xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"><Cube>"
#define ENV_CLOSE "</Cube></gesmes:Envelope>"

static void test_malformed(void **state) {
  (void)state;
  expect_invalid("", "empty");
  expect_invalid("not xml at all", "text");
  expect_invalid("<rss><channel/></rss>", "a news feed");
  expect_invalid("<weatherdata/>", "a weather document");
  expect_invalid(ENV_OPEN ENV_CLOSE, "no day");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'></Cube>" ENV_CLOSE, "no rates");
  expect_invalid(ENV_OPEN "<Cube time='yesterday'><Cube currency='USD' rate='1'/></Cube>" ENV_CLOSE,
                 "bad date");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='-1'/></Cube>" ENV_CLOSE,
                 "negative rate");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='0'/></Cube>" ENV_CLOSE,
                 "zero rate");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='1.2x'/></Cube>" ENV_CLOSE,
                 "junk after the rate");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='NaN'/></Cube>" ENV_CLOSE,
                 "NaN");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='usd' rate='1'/></Cube>" ENV_CLOSE,
                 "lower-case code");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='EUR' rate='1'/></Cube>" ENV_CLOSE,
                 "the base quoted");
  expect_invalid(ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='1'/>"
                 "<Cube currency='USD' rate='2'/></Cube>" ENV_CLOSE,
                 "a code twice");
  /* cut short: recovery would give a partial list of rates, which is refused */
  size_t len;
  char *xml = test_read_file(DIR "/ecb-eurofxref-daily-2022-07-08.xml", &len);
  struct vt_error err = {0};
  assert_null(currency_parse(xml, len - 200, NULL, &err));
  assert_int_equal(err.code, VT_ERR_INVALID);
  free(xml);
  /* several days (the 90-day history file): the first, the latest */
  const char *hist = ENV_OPEN "<Cube time='2022-07-08'><Cube currency='USD' rate='1.0163'/></Cube>"
                     "<Cube time='2022-07-07'><Cube currency='USD' rate='1.0180'/></Cube>" ENV_CLOSE;
  struct currency *c = currency_parse(hist, strlen(hist), NULL, &err);
  assert_non_null(c);
  assert_string_equal(c->date, "2022-07-08");
  assert_int_equal(c->n_rates, 1);
  currency_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_2017),
      cmocka_unit_test(test_2022),
      cmocka_unit_test(test_malformed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
