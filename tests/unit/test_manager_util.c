#include "test_manager_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

int tmp_store_open(struct tmp_store *t) {
  struct vt_error err = {0};
  snprintf(t->dir, sizeof t->dir, "/tmp/vt-manager-test-XXXXXX");
  if (!mkdtemp(t->dir)) return -1;
  snprintf(t->path, sizeof t->path, "%s/vitrine.db", t->dir);
  t->s = NULL;
  if (store_open(t->path, &t->s, &err) != VT_OK) {
    print_error("store_open: %s\n", err.message);
    return -1;
  }
  return 0;
}

void tmp_store_close(struct tmp_store *t) {
  static const char *const suffix[] = {"", "-wal", "-shm"};
  char f[160];
  store_free(t->s);
  t->s = NULL;
  for (int i = 0; i < 3; i++) {
    snprintf(f, sizeof f, "%s%s", t->path, suffix[i]);
    unlink(f);
  }
  rmdir(t->dir);
}

void tmp_exec(struct store *s, const char *sql, enum vt_err want) {
  struct store_stmt *st;
  struct vt_error err = {0};
  enum vt_err rc = store_prepare(s, sql, &st, &err);
  if (rc == VT_OK) rc = store_exec(st, &err);
  if (rc != want) print_error("%s: %s\n", sql, err.message);
  assert_int_equal(rc, want);
}
