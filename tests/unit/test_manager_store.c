/* store.c on a real SQLite file: migrations and user_version, transactions, error mapping,
 * statement discipline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "test_manager_util.h"

static int setup(void **state) {
  struct tmp_store *t = calloc(1, sizeof *t);
  *state = t;
  if (tmp_store_open(t) != 0) return -1;
  store_free(t->s); /* each test opens the file itself */
  t->s = NULL;
  return 0;
}

static int teardown(void **state) {
  tmp_store_close(*state);
  free(*state);
  return 0;
}

static int64_t count(struct store *s, const char *sql) {
  bool found = false;
  int64_t n = -1;
  struct vt_error err = {0};
  assert_int_equal(store_query_int(s, sql, 0, &found, &n, &err), VT_OK);
  assert_true(found);
  return n;
}

static void test_migrations(void **state) {
  struct tmp_store *c = *state;
  struct store *s = NULL;
  struct vt_error err = {0};
  assert_int_equal(store_open(c->path, &s, &err), VT_OK);
  assert_true(store_schema_latest() >= 1);
  assert_int_equal(store_schema_version(s), store_schema_latest());
  assert_int_equal(count(s, "SELECT count(*) FROM sqlite_master WHERE name = 'manifests'"), 1);
  assert_int_equal(count(s, "PRAGMA foreign_keys"), 1);
  store_free(s);
  /* opening again applies nothing and changes nothing */
  assert_int_equal(store_open(c->path, &s, &err), VT_OK);
  assert_int_equal(store_schema_version(s), store_schema_latest());
  /* a database from a newer manager is refused, not damaged */
  tmp_exec(s, "PRAGMA user_version = 999", VT_OK);
  store_free(s);
  assert_int_equal(store_open(c->path, &s, &err), VT_ERR_INVALID);
  assert_null(s);
}

static void test_transactions(void **state) {
  struct tmp_store *c = *state;
  struct store *s = NULL;
  struct vt_error err = {0};
  assert_int_equal(store_open(c->path, &s, &err), VT_OK);
  assert_int_equal(store_begin(s, true, &err), VT_OK);
  assert_int_equal(store_begin(s, true, &err), VT_ERR_INTERNAL); /* no nesting */
  tmp_exec(s, "INSERT INTO playlists (name, created_at, updated_at) VALUES ('a', 1, 1)", VT_OK);
  store_rollback(s);
  assert_false(store_in_transaction(s));
  assert_int_equal(count(s, "SELECT count(*) FROM playlists"), 0);
  assert_int_equal(store_begin(s, true, &err), VT_OK);
  tmp_exec(s, "INSERT INTO playlists (name, created_at, updated_at) VALUES ('a', 1, 1)", VT_OK);
  assert_int_equal(store_commit(s, &err), VT_OK);
  assert_int_equal(count(s, "SELECT count(*) FROM playlists"), 1);
  store_free(s);
}

static void test_errors(void **state) {
  struct tmp_store *c = *state;
  struct store *s = NULL;
  struct vt_error err = {0};
  assert_int_equal(store_open(c->path, &s, &err), VT_OK);
  /* foreign keys are on: an item of a playlist that does not exist is a conflict */
  tmp_exec(s,
           "INSERT INTO playlist_items (playlist_id, position, type, duration_ms, text) "
           "VALUES (99, 0, 'text', 1000, 'x')",
           VT_ERR_CONFLICT);
  tmp_exec(s,
           "INSERT INTO media (sha256, size, type, created_at) VALUES ('short', 1, 'image/png', 1)",
           VT_ERR_CONFLICT);
  /* the same statement cannot be used twice at once */
  struct store_stmt *a, *b;
  assert_int_equal(store_prepare(s, "SELECT 1", &a, &err), VT_OK);
  assert_int_equal(store_prepare(s, "SELECT 1", &b, &err), VT_ERR_INTERNAL);
  store_done(a);
  assert_int_equal(store_prepare(s, "SELECT 1", &b, &err), VT_OK);
  store_done(b);
  assert_int_equal(store_prepare(s, "SELEKT nonsense", &a, &err), VT_ERR_IO);
  store_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
