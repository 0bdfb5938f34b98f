/* items.c: the API's item JSON, table-driven: each input either becomes an item or is
 * rejected with the error code and field path the API reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "items.h"
#include "json.h"

#define SHA "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static const struct {
  bool full;
  const char *json;
  enum vt_err want;
  const char *field;
} cases[] = {
    {true, "{\"type\":\"image\",\"media\":\"" SHA "\",\"duration_ms\":100}", VT_OK, ""},
    {true, "{\"type\":\"text\",\"text\":\"\",\"duration_ms\":86400000}", VT_OK, ""},
    {true, "{\"id\":5,\"type\":\"text\",\"text\":\"x\",\"duration_ms\":1000}", VT_OK, ""},
    {true, "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":99}", VT_ERR_INVALID,
     "items[3].duration_ms"},
    {true, "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":\"1000\"}", VT_ERR_WRONG_TYPE,
     "items[3].duration_ms"},
    {true, "{\"type\":\"text\",\"duration_ms\":1000}", VT_ERR_MISSING, "items[3].text"},
    {true, "{\"type\":\"video\",\"duration_ms\":1000}", VT_ERR_INVALID, "items[3].type"},
    {true, "{\"type\":\"image\",\"media\":\"abc\",\"duration_ms\":1000}", VT_ERR_INVALID,
     "items[3].media"},
    {true, "{\"type\":\"image\",\"media\":\"" SHA "\",\"duration_ms\":1000,\"style\":{}}",
     VT_ERR_INVALID, "items[3].style"},
    {true, "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":1000,\"style\":{\"size_px\":3}}",
     VT_ERR_INVALID, "items[3].style.size_px"},
    {true,
     "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":1000,\"style\":{\"valign\":\"center\"}}",
     VT_ERR_INVALID, "items[3].style.valign"},
    {true,
     "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":1000,\"style\":{\"colour\":\"#fff\"}}",
     VT_ERR_INVALID, "items[3].style.colour"},
    {true, "{\"type\":\"text\",\"text\":\"x\",\"duration_ms\":1000,\"id\":0}", VT_ERR_INVALID,
     "items[3].id"},
    {false, "{\"id\":5}", VT_ERR_INVALID, "items[3].id"}, /* an edit cannot carry an id */
    {false, "{\"duration_ms\":2000}", VT_OK, ""},         /* edits are partial */
    {false, "{\"type\":\"image\"}", VT_ERR_MISSING, "items[3].media"},
};

static void test_apply(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *obj = json_loads(cases[i].json, 0, NULL);
    struct vt_playlist p = {0};
    struct vt_item *it = vt_playlist_add_item(&p);
    struct vt_error err = {0};
    assert_non_null(obj);
    if (!cases[i].full) { /* an existing text item to edit */
      it->type = VT_ITEM_TEXT;
      it->duration_ms = 1000;
      it->text = strdup("old");
    }
    print_message("%s\n", cases[i].json);
    assert_int_equal(items_apply_json(obj, "items[3]", cases[i].full, it, &err), cases[i].want);
    assert_string_equal(err.field, cases[i].field);
    free(it->text);
    free(p.items);
    json_decref(obj);
  }
}

/* What the API returns for an item it stored: every field, defaults filled in. */
static void test_to_json(void **state) {
  (void)state;
  struct vt_playlist p = {0};
  struct vt_item *it = vt_playlist_add_item(&p);
  struct vt_error err = {0};
  json_t *in = json_loads("{\"type\":\"text\",\"text\":\"Espresso\",\"duration_ms\":5000,"
                          "\"style\":{\"color\":\"#ff000080\",\"weight\":\"bold\"}}",
                          0, NULL);
  assert_int_equal(items_apply_json(in, "", true, it, &err), VT_OK);
  it->id = 9;
  json_t *out = items_to_json(it);
  json_t *want = json_loads(
      "{\"id\":9,\"type\":\"text\",\"duration_ms\":5000,\"text\":\"Espresso\","
      "\"style\":{\"size_px\":48,\"color\":\"#ff000080\",\"background\":\"#00000000\","
      "\"align\":\"center\",\"valign\":\"middle\",\"weight\":\"bold\",\"padding_px\":0}}",
      0, NULL);
  assert_true(json_equal(out, want));
  json_decref(in);
  json_decref(out);
  json_decref(want);
  free(it->text);
  free(p.items);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_apply), cmocka_unit_test(test_to_json)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
