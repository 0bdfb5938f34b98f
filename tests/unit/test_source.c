/* Snapshot documents (shared/source.c): every file in tests/data/source/valid parses, and
 * dump -> parse -> dump gives the same bytes; every file in tests/data/source/invalid holds
 * {"note", "snapshot", "error": {"code", "field"}} and is refused with exactly that code and
 * field. Plus keys, prices, and the size cap. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "source.h"
#include "test_util.h"

static void test_valid_round_trip(void **state) {
  (void)state;
  size_t n;
  char **files = test_list_files(VT_TEST_DATA_DIR "/source/valid", ".json", &n);
  assert_true(n >= 4); /* one per kind at least */
  bool kinds[4] = {false};
  for (size_t i = 0; i < n; i++) {
    json_t *doc = test_load_json(files[i]);
    struct vt_snapshot *s = NULL, *again = NULL;
    struct vt_error err = {0};
    if (vt_snapshot_from_json(doc, &s, &err) != VT_OK)
      fail_msg("%s: rejected: %s (%s)", files[i], err.message, err.field);
    kinds[s->kind] = true;
    json_t *j1 = vt_snapshot_to_json(s);
    char *d1 = json_dumps(j1, JSON_COMPACT);
    assert_non_null(d1);
    if (vt_snapshot_parse(d1, strlen(d1), &again, &err) != VT_OK)
      fail_msg("%s: own dump rejected: %s (%s)", files[i], err.message, err.field);
    json_t *j2 = vt_snapshot_to_json(again);
    char *d2 = json_dumps(j2, JSON_COMPACT);
    assert_string_equal(d1, d2);
    /* the dump says what the input said (numbers compared as numbers) */
    if (!json_equal(j1, doc)) {
      char *in = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
      char *out = json_dumps(j1, JSON_COMPACT | JSON_SORT_KEYS);
      fail_msg("%s: dump differs from input:\n%s\n%s", files[i], in, out);
    }
    free(d1);
    free(d2);
    json_decref(j1);
    json_decref(j2);
    json_decref(doc);
    vt_snapshot_free(s);
    vt_snapshot_free(again);
  }
  for (int k = 0; k < 4; k++) assert_true(kinds[k]);
  test_free_list(files, n);
}

static void test_invalid_cases(void **state) {
  (void)state;
  size_t n;
  char **files = test_list_files(VT_TEST_DATA_DIR "/source/invalid", ".json", &n);
  assert_true(n >= 20);
  for (size_t i = 0; i < n; i++) {
    json_t *doc = test_load_json(files[i]);
    json_t *want = json_object_get(doc, "error");
    const char *code = json_string_value(json_object_get(want, "code"));
    const char *field = json_string_value(json_object_get(want, "field"));
    assert_non_null(code);
    assert_non_null(field);
    struct vt_snapshot *s = NULL;
    struct vt_error err = {0};
    enum vt_err rc = vt_snapshot_from_json(json_object_get(doc, "snapshot"), &s, &err);
    if (rc == VT_OK) fail_msg("%s: accepted", files[i]);
    assert_null(s);
    if (strcmp(vt_err_code(rc), code) != 0 || strcmp(err.field, field) != 0)
      fail_msg("%s: got %s at '%s' (%s), want %s at '%s'", files[i], vt_err_code(rc), err.field,
               err.message, code, field);
    json_decref(doc);
  }
  test_free_list(files, n);
}

static void test_keys(void **state) {
  (void)state;
  bool menu = false;
  int64_t id = 0;
  assert_true(vt_source_key_parse("menu/5", &menu, &id) && menu && id == 5);
  assert_true(vt_source_key_parse("feed/9223372036854775807", &menu, &id) && !menu &&
              id == INT64_MAX);
  const char *bad[] = {"menu/0", "menu/05", "feed/", "feed/-1", "feed/1x", "news/1", "menu/1/",
                       "feed/9223372036854775808", "", "menu"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (vt_source_key_parse(bad[i], &menu, &id)) fail_msg("key '%s' accepted", bad[i]);
  assert_true(vt_source_key_fits("menu/1", VT_SOURCE_MENU));
  assert_false(vt_source_key_fits("menu/1", VT_SOURCE_NEWS));
  assert_true(vt_source_key_fits("feed/1", VT_SOURCE_WEATHER));
  assert_false(vt_source_key_fits("feed/1", VT_SOURCE_MENU));
}

static void test_prices(void **state) {
  (void)state;
  const char *good[] = {"0", "3.20", "120000", "999999999999", "1.2345", "0.5"};
  const char *bad[] = {"",      "-1",    "+1",   "1.",   ".5",           "1.23456", "1,000",
                       "1e3",   "1.2.3", " 1",   "1 ",   "1000000000000", "۱۲۰", "NaN"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    if (!vt_price_valid(good[i])) fail_msg("price '%s' refused", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (vt_price_valid(bad[i])) fail_msg("price '%s' accepted", bad[i]);
}

/* A document over the cap is refused before it is parsed. */
static void test_too_large(void **state) {
  (void)state;
  size_t len = VT_LIMIT_SNAPSHOT_BYTES + 1;
  char *big = malloc(len);
  assert_non_null(big);
  memset(big, ' ', len);
  struct vt_snapshot *s = NULL;
  struct vt_error err = {0};
  assert_int_equal(vt_snapshot_parse(big, len, &s, &err), VT_ERR_TOO_LARGE);
  assert_null(s);
  free(big);
}

/* check_data is what the manager runs on a fetched feed before storing it. */
static void test_check_data(void **state) {
  (void)state;
  struct vt_error err = {0};
  json_t *d = json_loads("{\"source\":\"ECB\",\"date\":\"2026-11-20\",\"base\":\"EUR\","
                         "\"rates\":{\"USD\":1.08,\"JPY\":163.2}}", 0, NULL);
  assert_int_equal(vt_snapshot_check_data(VT_SOURCE_CURRENCY, d, "data", &err), VT_OK);
  assert_int_equal(vt_snapshot_check_data(VT_SOURCE_NEWS, d, "data", &err), VT_ERR_INVALID);
  assert_string_equal(err.field, "data.source"); /* a member news does not have */
  json_decref(d);
}

/* Every value a source may leave out is null: parsed as NULL / NAN, written back as null. */
static void test_weather_nulls(void **state) {
  (void)state;
  size_t len;
  char *text = test_read_file(VT_TEST_DATA_DIR "/source/valid/weather-nulls.json", &len);
  struct vt_snapshot *s = NULL;
  struct vt_error err = {0};
  if (vt_snapshot_parse(text, len, &s, &err) != VT_OK) fail_msg("%s (%s)", err.message, err.field);
  const struct vt_weather *w = &s->u.weather;
  assert_null(w->location_name);
  assert_true(isnan(w->lat) && isnan(w->lon));
  assert_true(w->has_current);
  assert_true(isnan(w->current.temperature));
  assert_null(w->current.condition);
  assert_null(w->current.icon);
  assert_int_equal(w->n_hours, 1);
  assert_true(isnan(w->hours[0].temperature));
  assert_null(w->hours[0].icon);
  assert_int_equal(w->n_days, 2);
  assert_true(isnan(w->days[0].min) && w->days[0].max == 3.5); /* min > max skipped with NAN */
  assert_true(w->days[1].min == -1.0 && isnan(w->days[1].max));
  /* written back as null (test_valid_round_trip compares the whole document) */
  json_t *back = vt_snapshot_to_json(s);
  const json_t *cur = json_object_get(json_object_get(back, "data"), "current");
  assert_true(json_is_null(json_object_get(cur, "time")));
  assert_true(json_is_null(json_object_get(cur, "temperature")));
  json_decref(back);
  vt_snapshot_free(s);
  free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_round_trip), cmocka_unit_test(test_invalid_cases),
      cmocka_unit_test(test_keys),             cmocka_unit_test(test_prices),
      cmocka_unit_test(test_too_large),        cmocka_unit_test(test_check_data),
      cmocka_unit_test(test_weather_nulls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
