/* The shared timeline function against the files in tests/data/timeline: each file holds a
 * manifest and cases {at, layout (id or null), regions: {name: {item (index or null),
 * remaining_ms (or null for "until further notice"), optionally playlist (id or null)}},
 * next_change (or null)}. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "manifest.h"
#include "test_util.h"
#include "timeline.h"
#include "timeutil.h"

static const struct vt_region_now *find_region(const struct vt_timeline_frame *f, const char *name) {
  for (size_t r = 0; r < f->n_regions; r++)
    if (strcmp(f->regions[r].region->name, name) == 0) return &f->regions[r];
  return NULL;
}

static void check_case(const char *file, const struct vt_manifest *m, const json_t *c) {
  const char *at_s = json_string_value(json_object_get(c, "at"));
  int64_t at;
  if (!at_s || !vt_time_parse(at_s, &at)) fail_msg("%s: bad 'at'", file);
  struct vt_timeline_frame f;
  vt_timeline_at(m, at, &f);

  json_t *want_layout = json_object_get(c, "layout");
  if (json_is_null(want_layout)) {
    if (f.layout) fail_msg("%s @ %s: layout %lld, want none", file, at_s, (long long)f.layout->id);
  } else {
    if (!f.layout || f.layout->id != json_integer_value(want_layout))
      fail_msg("%s @ %s: layout %lld, want %lld", file, at_s, f.layout ? (long long)f.layout->id : 0LL,
               (long long)json_integer_value(want_layout));
  }

  const char *name;
  json_t *want;
  json_object_foreach(json_object_get(c, "regions"), name, want) {
    const struct vt_region_now *rn = find_region(&f, name);
    if (!rn) fail_msg("%s @ %s: no region %s", file, at_s, name);
    json_t *wp = json_object_get(want, "playlist");
    if (wp) {
      int64_t got = rn->playlist ? rn->playlist->id : 0, want_p = json_integer_value(wp);
      if (got != want_p)
        fail_msg("%s @ %s: region %s plays playlist %lld, want %lld", file, at_s, name,
                 (long long)got, (long long)want_p);
    }
    json_t *wi = json_object_get(want, "item"), *wr = json_object_get(want, "remaining_ms");
    int want_item = json_is_null(wi) ? -1 : (int)json_integer_value(wi);
    if (rn->item_index != want_item)
      fail_msg("%s @ %s: region %s shows item %d, want %d", file, at_s, name, rn->item_index,
               want_item);
    if (want_item >= 0) {
      int64_t remaining = rn->item_end_ms == VT_TIME_MAX ? -1 : rn->item_end_ms - at;
      int64_t want_rem = json_is_null(wr) ? -1 : json_integer_value(wr);
      if (remaining != want_rem)
        fail_msg("%s @ %s: region %s has %lld ms left, want %lld", file, at_s, name,
                 (long long)remaining, (long long)want_rem);
      assert_true(rn->item_start_ms <= at);
    }
  }
  json_t *wn = json_object_get(c, "next_change");
  int64_t want_next = VT_TIME_MAX;
  if (!json_is_null(wn) && !vt_time_parse(json_string_value(wn), &want_next))
    fail_msg("%s: bad next_change", file);
  if (f.next_change_ms != want_next) {
    char got[VT_RFC3339_MAX] = "never";
    if (f.next_change_ms != VT_TIME_MAX) vt_time_format(f.next_change_ms, got);
    fail_msg("%s @ %s: next change %s, want %s", file, at_s, got,
             json_is_null(wn) ? "never" : json_string_value(wn));
  }
}

static void test_timeline_cases(void **state) {
  (void)state;
  size_t n, total = 0;
  char **files = test_list_files(VT_TEST_DATA_DIR "/timeline", ".json", &n);
  for (size_t i = 0; i < n; i++) {
    json_t *doc = test_load_json(files[i]);
    struct vt_manifest *m = NULL;
    struct vt_error err = {0};
    if (vt_manifest_from_json(json_object_get(doc, "manifest"), &m, &err) != VT_OK)
      fail_msg("%s: manifest rejected: %s (%s)", files[i], err.message, err.field);
    size_t k;
    json_t *c;
    json_array_foreach(json_object_get(doc, "cases"), k, c) {
      check_case(files[i], m, c);
      total++;
    }
    vt_manifest_free(m);
    json_decref(doc);
  }
  test_free_list(files, n);
  assert_true(total >= 20);
}

/* Two players that start at different moments agree on what shows at every instant:
 * nothing in the function depends on anything but the manifest and the instant. */
static void test_same_instant_same_item(void **state) {
  (void)state;
  json_t *doc = test_load_json(VT_TEST_DATA_DIR "/timeline/loop-wrap.json");
  struct vt_manifest *a = NULL, *b = NULL;
  struct vt_error err;
  assert_int_equal(vt_manifest_from_json(json_object_get(doc, "manifest"), &a, &err), VT_OK);
  assert_int_equal(vt_manifest_from_json(json_object_get(doc, "manifest"), &b, &err), VT_OK);
  int64_t t0;
  assert_true(vt_time_parse("2026-12-01T08:00:00Z", &t0));
  for (int64_t t = t0; t < t0 + 60000; t += 137) {
    struct vt_timeline_frame fa, fb;
    vt_timeline_at(a, t, &fa);
    vt_timeline_at(b, t, &fb);
    assert_int_equal(fa.regions[0].item_index, fb.regions[0].item_index);
    assert_true(fa.next_change_ms > t);
    assert_int_equal(fa.next_change_ms, fb.next_change_ms);
  }
  vt_manifest_free(a);
  vt_manifest_free(b);
  json_decref(doc);
}

static void test_null_manifest(void **state) {
  (void)state;
  struct vt_timeline_frame f;
  vt_timeline_at(NULL, 0, &f);
  assert_null(f.layout);
  assert_int_equal(f.next_change_ms, VT_TIME_MAX);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_timeline_cases),
      cmocka_unit_test(test_same_instant_same_item),
      cmocka_unit_test(test_null_manifest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
