/* Helpers shared by the manager's unit tests: a store in a fresh temp directory. */
#ifndef TEST_MANAGER_UTIL_H
#define TEST_MANAGER_UTIL_H

#include "store.h"

struct tmp_store {
  char dir[64], path[128];
  struct store *s;
};

/* mkdtemp + store_open (migrated); returns 0 or -1, as cmocka setups do. */
int tmp_store_open(struct tmp_store *t);
/* store_free, then remove the database files and the directory. */
void tmp_store_close(struct tmp_store *t);
/* Run one statement; assert it ends with want. */
void tmp_exec(struct store *s, const char *sql, enum vt_err want);

#endif
