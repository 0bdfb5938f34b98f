/* The schema migrations compiled into the binary (generated from migrations/NNN_*.sql by
 * embed_migrations.cmake). store.c applies them in order; see docs/internals/store.md. */
#ifndef MANAGER_STORE_MIGRATIONS_H
#define MANAGER_STORE_MIGRATIONS_H

struct store_migration {
  int number;       /* NNN: the PRAGMA user_version the database has after this step */
  const char *name; /* "001_initial" */
  const char *sql;  /* one or more statements, run inside one transaction */
};

/* Sorted by number, ending with {0, NULL, NULL}. */
extern const struct store_migration store_migrations[];
extern const unsigned store_migration_count;

#endif
