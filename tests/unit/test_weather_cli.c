/* `vitrine-manager weather check` and `currency check`, run as the real binary: on files (exit
 * 0 and the JSON shape; 2 with the reason for a document that is not one; 1 for a missing
 * file; 2 for wrong arguments) and on URLs served by a loopback HTTP server in this test
 * (the User-Agent MET requires is sent; a 404, an oversized body and a non-document fail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "fsutil.h"
#include "hostile_server.h"
#include "http_fetch.h"
#include "run_cmd.h"

#define WEATHER VT_SHARED_TESTDATA_DIR "/weather"
#define CURRENCY VT_SHARED_TESTDATA_DIR "/currency"
#define RUN_DEADLINE_MS 30000

/* vitrine-manager cmd check [arg]. */
static void run(struct run_cmd *r, const char *cmd, const char *arg) {
  const char *argv[] = {VT_MANAGER_BIN, cmd, "check", arg, NULL};
  assert_true(run_cmd(argv, RUN_DEADLINE_MS, r));
}

/* Run, expect status; on 0 return the stdout JSON (new reference), else check stderr. */
static json_t *expect(const char *cmd, const char *arg, int status, const char *err_has) {
  struct run_cmd r;
  run(&r, cmd, arg);
  if (r.status != status)
    fail_msg("%s check %s: exit %d, want %d (stderr: %s)", cmd, arg ? arg : "", r.status,
             status, run_cmd_text(&r.err));
  json_t *j = NULL;
  if (status == 0) {
    json_error_t je;
    j = json_loads(run_cmd_text(&r.out), JSON_REJECT_DUPLICATES, &je);
    if (!j) fail_msg("stdout is not JSON: %s\n%s", je.text, run_cmd_text(&r.out));
  } else {
    if (r.err.len == 0) fail_msg("a failure must say why on stderr");
    if (r.out.len != 0) fail_msg("a failure prints nothing on stdout: %s", run_cmd_text(&r.out));
    if (err_has && !strstr(run_cmd_text(&r.err), err_has))
      fail_msg("stderr '%s' does not contain '%s'", run_cmd_text(&r.err), err_has);
  }
  run_cmd_free(&r);
  return j;
}

static void check_weather_shape(const json_t *j, const char *format) {
  assert_string_equal(json_string_value(json_object_get(j, "format")), format);
  assert_true(json_is_boolean(json_object_get(j, "recovered")));
  assert_true(json_is_array(json_object_get(j, "warnings")));
  const json_t *d = json_object_get(j, "data");
  assert_int_equal(json_object_size(d), 5);
  static const char *const keys[] = {"location", "units", "current", "hours", "days"};
  for (size_t i = 0; i < 5; i++) assert_non_null(json_object_get(d, keys[i]));
  const json_t *units = json_object_get(d, "units");
  assert_true(json_is_string(json_object_get(units, "temperature")));
  assert_true(json_is_string(json_object_get(units, "wind")));
  assert_true(json_is_string(json_object_get(units, "precipitation")));
}

static void test_files(void **state) {
  (void)state;
  json_t *j = expect("weather", WEATHER "/metno-locationforecast-2.0-classic-60.10N9.58E-2023.xml",
                     0, NULL);
  check_weather_shape(j, "metno-locationforecast");
  const json_t *cur = json_object_get(json_object_get(j, "data"), "current");
  assert_string_equal(json_string_value(json_object_get(cur, "time")), "2023-07-27T13:00:00Z");
  assert_true(json_number_value(json_object_get(cur, "temperature")) == 19.0);
  assert_string_equal(json_string_value(json_object_get(cur, "icon")), "partly-cloudy-day");
  json_decref(j);

  j = expect("weather", WEATHER "/nws-current-KVAY-2008.xml", 0, NULL);
  check_weather_shape(j, "nws-current-obs");
  cur = json_object_get(json_object_get(j, "data"), "current");
  assert_true(json_number_value(json_object_get(cur, "temperature")) == 24);
  assert_string_equal(json_string_value(json_object_get(cur, "time")), "2008-12-23T15:54:00Z");
  json_decref(j);

  j = expect("weather", WEATHER "/nws-dwml-edge-mapclick-digital-marine-malibu-2025.xml", 0, NULL);
  check_weather_shape(j, "nws-dwml");
  assert_true(json_array_size(json_object_get(j, "warnings")) > 0); /* the count defects */
  json_decref(j);

  expect("weather", WEATHER "/metno-locationforecast-edge-wrong-root.xml", 2, "weathesdrdata");
  expect("weather", CURRENCY "/ecb-eurofxref-daily-2022-07-08.xml", 2, "not a weather document");
  expect("weather", WEATHER "/no-such-file.xml", 1, "No such file");
  expect("weather", NULL, 2, "usage");

  j = expect("currency", CURRENCY "/ecb-eurofxref-daily-2017-03-08.xml", 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "format")), "ecb-eurofxref");
  const json_t *d = json_object_get(j, "data");
  assert_string_equal(json_string_value(json_object_get(d, "base")), "EUR");
  assert_string_equal(json_string_value(json_object_get(d, "date")), "2017-03-08");
  assert_int_equal(json_object_size(json_object_get(d, "rates")), 31);
  assert_true(json_number_value(json_object_get(json_object_get(d, "rates"), "USD")) == 1.0556);
  json_decref(j);
  expect("currency", WEATHER "/nws-current-KDCA-2021.xml", 2, "not an ECB");
  expect("currency", NULL, 2, "usage");
}

static void test_urls(void **state) {
  (void)state;
  size_t len;
  char *ecb = NULL;
  struct vt_error err = {0};
  assert_int_equal(
      vt_read_file(CURRENCY "/ecb-eurofxref-daily-2022-07-08.xml", 1 << 20, &ecb, &len, &err),
      VT_OK);
  static const char path[] = "/stats/eurofxref/eurofxref-daily.xml";
  struct hostile_server *s = hostile_start();
  hostile_set(s, path, "text/xml; charset=UTF-8", ecb, len, NULL);
  char url[128], other[128], user_agent[256];
  hostile_url(s, path, url, sizeof url);

  json_t *j = expect("currency", url, 0, NULL);
  assert_true(json_number_value(json_object_get(
                  json_object_get(json_object_get(j, "data"), "rates"), "GBP")) == 0.84585);
  json_decref(j);
  hostile_user_agent(s, path, user_agent, sizeof user_agent);
  assert_string_equal(user_agent, FETCH_USER_AGENT);

  /* served, but not a weather document: 2 */
  expect("weather", url, 2, "not a weather document");
  /* 404: 1, with the status */
  expect("currency", hostile_url(s, "/status/404", other, sizeof other), 1, "404");
  /* a body over the cap: refused from its Content-Length, 1 */
  expect("currency", hostile_url(s, "/huge-declared", other, sizeof other), 1, "larger than");
  assert_true(hostile_requests(s) >= 4);
  hostile_stop(s);
  /* nothing listens there any more: 1 */
  expect("currency", url, 1, NULL);
  /* only http and https */
  expect("currency", "file:///etc/passwd", 1, NULL);
  free(ecb);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_files),
      cmocka_unit_test(test_urls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
