/* Manifest JSON: every file in tests/data/manifest/valid must parse, and dump -> parse ->
 * dump must give the same bytes (the canonical form is stable). Every file in
 * tests/data/manifest/invalid holds {"note", "manifest" (or "manifest_text"), "error":
 * {"code", "field"}} and must be rejected with exactly that code and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manifest.h"
#include "test_util.h"

static void test_valid_round_trip(void **state) {
  (void)state;
  size_t n;
  char **files = test_list_files(VT_TEST_DATA_DIR "/manifest/valid", ".json", &n);
  for (size_t i = 0; i < n; i++) {
    json_t *doc = test_load_json(files[i]);
    struct vt_manifest *m = NULL, *again = NULL;
    struct vt_error err = {0};
    if (vt_manifest_from_json(doc, &m, &err) != VT_OK)
      fail_msg("%s: rejected: %s (%s)", files[i], err.message, err.field);
    size_t len1, len2;
    char *d1 = vt_manifest_dump(m, &len1);
    assert_non_null(d1);
    if (vt_manifest_parse(d1, len1, &again, &err) != VT_OK)
      fail_msg("%s: own dump rejected: %s (%s)", files[i], err.message, err.field);
    char *d2 = vt_manifest_dump(again, &len2);
    assert_string_equal(d1, d2);
    /* The dump keeps every value the input gave. */
    json_t *redone = json_loads(d1, 0, NULL);
    assert_non_null(redone);
    assert_int_equal(json_integer_value(json_object_get(redone, "version")),
                     json_integer_value(json_object_get(doc, "version")));
    assert_int_equal(json_array_size(json_object_get(redone, "playlists")),
                     json_array_size(json_object_get(doc, "playlists")));
    json_decref(redone);
    free(d1);
    free(d2);
    vt_manifest_free(m);
    vt_manifest_free(again);
    json_decref(doc);
  }
  test_free_list(files, n);
}

static void test_invalid_rejected(void **state) {
  (void)state;
  size_t n;
  char **files = test_list_files(VT_TEST_DATA_DIR "/manifest/invalid", ".json", &n);
  for (size_t i = 0; i < n; i++) {
    json_t *doc = test_load_json(files[i]);
    json_t *expect = json_object_get(doc, "error");
    const char *want_code = json_string_value(json_object_get(expect, "code"));
    const char *want_field = json_string_value(json_object_get(expect, "field"));
    if (!want_code || !want_field) fail_msg("%s: needs error.code and error.field", files[i]);
    json_t *text = json_object_get(doc, "manifest_text");
    char *body = text ? strdup(json_string_value(text))
                      : json_dumps(json_object_get(doc, "manifest"), JSON_COMPACT);
    struct vt_manifest *m = NULL;
    struct vt_error err = {0};
    enum vt_err rc = vt_manifest_parse(body, strlen(body), &m, &err);
    if (rc == VT_OK) fail_msg("%s: accepted", files[i]);
    assert_null(m);
    if (strcmp(vt_err_code(rc), want_code) != 0 || strcmp(err.field, want_field) != 0)
      fail_msg("%s: got %s at '%s' (%s), want %s at '%s'", files[i], vt_err_code(rc), err.field,
               err.message, want_code, want_field);
    assert_true(strlen(err.message) > 0);
    free(body);
    json_decref(doc);
  }
  test_free_list(files, n);
}

static void test_build_in_memory(void **state) {
  (void)state;
  struct vt_manifest *m = vt_manifest_new();
  struct vt_error err = {0};
  struct vt_playlist *p = vt_manifest_add_playlist(m);
  p->id = 7;
  struct vt_item *it = vt_playlist_add_item(p);
  it->type = VT_ITEM_TEXT;
  it->duration_ms = 1000;
  it->text = strdup("menu");
  struct vt_layout *l = vt_manifest_add_layout(m);
  l->id = 1;
  l->width = 100;
  l->height = 50;
  struct vt_region *r = vt_layout_add_region(l);
  r->name = strdup("main");
  r->width = 100;
  r->height = 50;
  r->playlist_id = 7;
  m->default_layout_id = 1;
  assert_int_equal(vt_manifest_validate(m, &err), VT_OK);
  assert_int_equal(m->playlists[0].cycle_ms, 1000);
  /* A region that leaves the canvas is refused with its path. */
  r->width = 101;
  assert_int_equal(vt_manifest_validate(m, &err), VT_ERR_INVALID);
  assert_string_equal(err.field, "layouts[0].regions[0]");
  vt_manifest_free(m);
  vt_manifest_free(NULL);
}

/* The manager's API builds items one at a time: defaults, then JSON members; a later edit
 * changes only what it names; the dump shows every member with defaults filled in. */
static void test_live_item_api(void **state) {
  (void)state;
  struct vt_item it = {0};
  struct vt_error err = {0};
  it.type = VT_ITEM_CLOCK;
  it.duration_ms = 5000;
  vt_item_defaults(&it);
  json_t *in = json_loads("{\"type\":\"clock\",\"calendar\":\"jalali\",\"locale\":\"fa\","
                          "\"style\":{\"size_px\":30}}",
                          0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "item", &it, &err), VT_OK);
  json_decref(in);
  assert_int_equal(vt_item_check(&it, "item", &err), VT_OK);
  json_t *out = vt_item_to_json(&it);
  char *s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
  assert_string_equal(s, "{\"calendar\":\"jalali\",\"digits\":\"locale\",\"duration_ms\":5000,"
                         "\"format\":\"HH:mm\",\"locale\":\"fa\",\"style\":{\"align\":\"center\","
                         "\"background\":\"#00000000\",\"color\":\"#ffffff\",\"padding_px\":0,"
                         "\"size_px\":30,\"valign\":\"middle\",\"weight\":\"regular\"},"
                         "\"timezone\":null,\"type\":\"clock\"}");
  free(s);
  json_decref(out);
  /* An edit names one member; the rest stay. A bad value is refused with its field. */
  in = json_loads("{\"format\":\"HH:mm:ss\"}", 0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "item", &it, &err), VT_OK);
  json_decref(in);
  assert_string_equal(it.clock.format, "HH:mm:ss");
  assert_string_equal(it.locale, "fa");
  assert_int_equal(it.style.size_px, 30);
  in = json_loads("{\"format\":\"hh:MMM\"}", 0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "item", &it, &err), VT_ERR_INVALID);
  assert_string_equal(err.field, "item.format");
  json_decref(in);
  in = json_loads("{\"source\":\"feed/1\"}", 0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "item", &it, &err), VT_ERR_INVALID);
  assert_string_equal(err.field, "item.source");
  json_decref(in);
  vt_item_clear(&it);
  assert_null(it.clock.format);
  /* A fresh currency board needs its source and symbols. */
  it.type = VT_ITEM_CURRENCY;
  it.duration_ms = 1000;
  vt_item_defaults(&it);
  in = json_loads("{\"source\":\"feed/2\"}", 0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "x", &it, &err), VT_ERR_INVALID);
  assert_string_equal(err.field, "x.symbols");
  json_decref(in);
  in = json_loads("{\"symbols\":[\"USD\",\"JPY\"],\"base\":\"CHF\"}", 0, NULL);
  assert_int_equal(vt_live_item_from_json(in, "x", &it, &err), VT_OK);
  json_decref(in);
  assert_int_equal(it.currency.n_symbols, 2);
  assert_string_equal(it.currency.symbols[1], "JPY");
  assert_string_equal(it.currency.base, "CHF");
  assert_int_equal(it.currency.decimals, 4);
  vt_item_clear(&it);
  vt_item_clear(&it); /* clearing twice is harmless */
}

static void test_clock_tokens(void **state) {
  (void)state;
  const char *f = "EEEE dd'th' HH:mm a ''";
  static const enum vt_clock_token want[] = {
      VT_CLOCK_WEEKDAY, VT_CLOCK_LITERAL, VT_CLOCK_DAY, VT_CLOCK_LITERAL, VT_CLOCK_LITERAL,
      VT_CLOCK_HOUR24,  VT_CLOCK_LITERAL, VT_CLOCK_MINUTE, VT_CLOCK_LITERAL, VT_CLOCK_AMPM,
      VT_CLOCK_LITERAL, VT_CLOCK_LITERAL};
  const char *lits[] = {NULL, " ", NULL, "th", " ", NULL, ":", NULL, " ", NULL, " ", "'"};
  enum vt_clock_token tok;
  const char *lit;
  size_t n, i = 0;
  int r;
  while ((r = vt_clock_format_next(&f, &tok, &lit, &n)) == 1) {
    assert_true(i < sizeof want / sizeof want[0]);
    assert_int_equal(tok, want[i]);
    if (lits[i]) {
      assert_int_equal(n, strlen(lits[i]));
      assert_memory_equal(lit, lits[i], n);
    }
    i++;
  }
  assert_int_equal(r, 0);
  assert_int_equal(i, sizeof want / sizeof want[0]);
  const char *bad[] = {"YYYY", "MMM", "HH 'open", "d", "x"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    const char *p = bad[k];
    while ((r = vt_clock_format_next(&p, &tok, &lit, &n)) == 1) {
    }
    assert_int_equal(r, -1);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_valid_round_trip),
      cmocka_unit_test(test_invalid_rejected),
      cmocka_unit_test(test_build_in_memory),
      cmocka_unit_test(test_live_item_api),
      cmocka_unit_test(test_clock_tokens),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
