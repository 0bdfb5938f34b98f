/* compile.c and affected.c on a real store: what goes into a manifest, the version rule
 * (unchanged content keeps its version), the horizon, renewal, and which displays a
 * change reaches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "affected.h"
#include "compile.h"
#include "vt_limits.h"
#include "store.h"
#include "test_manager_util.h"

#define NOW 1800000000000LL /* 2027-01-15 */
#define SHA "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void exec(struct store *s, const char *sql) { tmp_exec(s, sql, VT_OK); }

/* Two displays on two layouts on two playlists; playlist 1 shows the media file.
 * Display 1 also has a window of layout 2 within the horizon, one beyond it, one past. */
static int setup(void **state) {
  struct tmp_store *c = calloc(1, sizeof *c);
  *state = c;
  if (tmp_store_open(c) != 0) return -1;
  exec(c->s,
       "INSERT INTO media (sha256, size, type, created_at) VALUES ('" SHA "', 10, 'image/png', 1)");
  exec(c->s, "INSERT INTO playlists (id, name, created_at, updated_at) VALUES (1, 'P1', 1, 1), (2, "
             "'P2', 1, 1)");
  exec(c->s,
       "INSERT INTO playlist_items (id, playlist_id, position, type, duration_ms, media, fit) "
       "VALUES (1, 1, 0, 'image', 8000, '" SHA "', 'cover')");
  exec(c->s,
       "INSERT INTO playlist_items (id, playlist_id, position, type, duration_ms, text, "
       "style_size_px,"
       " style_color, style_background, style_align, style_valign, style_weight, style_padding_px)"
       " VALUES (2, 1, 1, 'text', 5000, 'Espresso 2.50', 64, 4294967295, 0, 'end', 'top', 'bold', "
       "4),"
       " (3, 2, 0, 'text', 5000, 'Soup', 48, 4294967295, 0, 'center', 'middle', 'regular', 0)");
  exec(c->s, "INSERT INTO layouts (id, name, width, height, background, created_at, updated_at) "
             "VALUES (1, 'L1', 1920, 1080, 255, 1, 1), (2, 'L2', 1080, 1920, 255, 1, 1)");
  exec(c->s,
       "INSERT INTO regions (layout_id, position, name, x, y, width, height, background, "
       "playlist_id)"
       " VALUES (1, 0, 'main', 0, 0, 1920, 1080, 0, 1), (2, 0, 'side', 0, 0, 1080, 1920, 0, 2)");
  exec(c->s,
       "INSERT INTO displays (id, name, default_layout_id, token_public_id, token_hash, created_at,"
       " updated_at) VALUES (1, 'D1', 1, 'a', x'00', 1, 1), (2, 'D2', 2, 'b', x'00', 1, 1),"
       " (3, 'D3', NULL, 'c', x'00', 1, 1)");
  exec(c->s, "INSERT INTO schedules (display_id, layout_id, start_ms, end_ms, created_at, "
             "updated_at) VALUES"
             " (1, 2, 1800003600000, 1800007200000, 1, 1),"  /* in the horizon */
             " (1, 2, 1810000000000, 1810003600000, 1, 1),"  /* beyond it */
             " (1, 2, 1700000000000, 1700003600000, 1, 1)"); /* over */
  return 0;
}

static int teardown(void **state) {
  tmp_store_close(*state);
  free(*state);
  return 0;
}

static void test_contents(void **state) {
  struct tmp_store *c = *state;
  struct vt_manifest *m = NULL;
  struct vt_error err = {0};
  assert_int_equal(compile_build(c->s, 1, NOW, &m, &err), VT_OK);
  assert_int_equal(m->display_id, 1);
  assert_string_equal(m->display_name, "D1");
  assert_string_equal(m->timezone, "UTC");
  assert_int_equal(m->default_layout_id, 1);
  assert_int_equal(m->n_windows, 1); /* only the window inside [now, now + horizon) */
  assert_int_equal(m->windows[0].layout_id, 2);
  assert_int_equal(m->windows[0].priority, 0);
  assert_int_equal(m->n_layouts, 2); /* default + the window's */
  assert_int_equal(m->n_playlists, 2);
  assert_int_equal(m->n_media, 1);
  assert_string_equal(m->media[0].sha256, SHA);
  const struct vt_playlist *p = vt_manifest_playlist(m, 1);
  assert_non_null(p);
  assert_int_equal(p->n_items, 2);
  assert_int_equal(p->items[0].fit, VT_FIT_COVER);
  assert_string_equal(p->items[1].text, "Espresso 2.50");
  assert_int_equal(p->items[1].style.align, VT_ALIGN_END);
  assert_int_equal(p->items[1].style.weight, VT_WEIGHT_BOLD);
  assert_int_equal(p->cycle_ms, 13000);
  vt_manifest_free(m);

  /* display 2 sees only its own layout and playlist, no media */
  assert_int_equal(compile_build(c->s, 2, NOW, &m, &err), VT_OK);
  assert_int_equal(m->n_layouts, 1);
  assert_int_equal(m->n_playlists, 1);
  assert_int_equal(m->n_media, 0);
  vt_manifest_free(m);
  /* display 3 has nothing at all: still a valid manifest */
  assert_int_equal(compile_build(c->s, 3, NOW, &m, &err), VT_OK);
  assert_int_equal(m->n_layouts, 0);
  vt_manifest_free(m);
  assert_int_equal(compile_build(c->s, 99, NOW, &m, &err), VT_ERR_NOT_FOUND);
}

static int64_t stored(struct store *s, int64_t display) {
  bool found = false;
  int64_t v = 0;
  struct vt_error err = {0};
  assert_int_equal(store_query_int(s, "SELECT version FROM manifests WHERE display_id = ?1",
                                   display, &found, &v, &err),
                   VT_OK);
  return found ? v : 0;
}

static size_t compile(struct store *s, int64_t display, int64_t now, bool renew) {
  struct compile_changes ch = {0};
  struct vt_error err = {0};
  assert_int_equal(compile_display(s, display, now, renew, &ch, &err), VT_OK);
  size_t n = ch.n;
  if (n) {
    assert_int_equal(ch.v[0].display_id, display);
    assert_int_equal(ch.v[0].version, stored(s, display));
    char want[32];
    snprintf(want, sizeof want, "\"%lld-%lld-", (long long)display, (long long)ch.v[0].version);
    assert_memory_equal(ch.v[0].etag, want, strlen(want));
  }
  compile_changes_clear(&ch);
  return n;
}

static void test_versions(void **state) {
  struct tmp_store *c = *state;
  assert_int_equal(compile(c->s, 1, NOW, false), 1);
  assert_int_equal(stored(c->s, 1), 1);
  /* same content later: no new version, no announcement */
  assert_int_equal(compile(c->s, 1, NOW + 60000, false), 0);
  assert_int_equal(stored(c->s, 1), 1);
  assert_int_equal(compile(c->s, 2, NOW, false), 1);
  /* a price change reaches display 1 only */
  exec(c->s, "UPDATE playlist_items SET text = 'Espresso 2.80' WHERE id = 2");
  assert_int_equal(compile(c->s, 1, NOW, false), 1);
  assert_int_equal(stored(c->s, 1), 2);
  assert_int_equal(compile(c->s, 2, NOW, false), 0);
  /* a window entering the horizon is a real change */
  assert_int_equal(compile(c->s, 1, 1810000000000LL - VT_HORIZON_MS + 1000, false), 1);
  /* renewal moves a horizon that is running out, even without a content change */
  int64_t later = NOW + VT_HORIZON_MS / 2 + 1000;
  exec(c->s, "UPDATE manifests SET valid_until = 1800000000000 + 604800000 WHERE display_id = 2");
  assert_int_equal(compile(c->s, 2, later, false), 0);
  assert_int_equal(compile(c->s, 2, later, true), 1);
  assert_int_equal(compile(c->s, 2, later, true), 0); /* now fresh */
  /* a deleted display is skipped */
  assert_int_equal(compile(c->s, 99, NOW, false), 0);
}

static void test_same_input_same_bytes(void **state) {
  struct tmp_store *c = *state;
  struct vt_manifest *a = NULL, *b = NULL;
  struct vt_error err = {0};
  assert_int_equal(compile_build(c->s, 1, NOW, &a, &err), VT_OK);
  assert_int_equal(compile_build(c->s, 1, NOW, &b, &err), VT_OK);
  char *da = vt_manifest_dump(a, NULL), *db = vt_manifest_dump(b, NULL);
  assert_string_equal(da, db);
  free(da);
  free(db);
  vt_manifest_free(a);
  vt_manifest_free(b);
}

static void expect_set(struct idset *set, const int64_t *want, size_t n) {
  idset_seal(set);
  assert_int_equal(set->n, n);
  for (size_t i = 0; i < n; i++) assert_int_equal(set->ids[i], want[i]);
  idset_clear(set);
}

static void test_affected(void **state) {
  struct tmp_store *c = *state;
  struct idset set = {0};
  struct vt_error err = {0};
  assert_int_equal(affected_by_media(c->s, SHA, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1}, 1);
  assert_int_equal(affected_by_playlist(c->s, 1, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1}, 1);
  /* playlist 2 is on layout 2: display 2's default and display 1's schedule */
  assert_int_equal(affected_by_playlist(c->s, 2, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1, 2}, 2);
  assert_int_equal(affected_by_layout(c->s, 1, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1}, 1);
  assert_int_equal(affected_by_layout(c->s, 99, &set, &err), VT_OK);
  expect_set(&set, NULL, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_contents, setup, teardown),
      cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_input_same_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_affected, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
