/* SQLite implementation of store.h.
 *
 * Invariants:
 * 1. Every connection runs with foreign_keys=ON, WAL journaling and a busy timeout, set
 *    before anything else touches it (store_open).
 * 2. The schema is exactly the embedded migrations 1..PRAGMA user_version; each migration
 *    and its user_version bump commit together, so a crash leaves either all or none of it.
 * 3. A cached statement is reset (store_done) before anyone else may use it, so no
 *    statement keeps a read snapshot or a lock open between requests. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_migrations.h"

/* Long enough to ride out the renewal timer's short write transactions, short enough that
 * a stuck writer turns into a 503 instead of a hung request. */
#define STORE_BUSY_TIMEOUT_MS 5000
/* Distinct SQL strings in the manager number in the dozens. */
#define STORE_STMT_BUCKETS 128

struct store_stmt {
  sqlite3_stmt *stmt;
  struct store *store;
  const char *sql; /* the caller's constant string; the cache key */
  bool in_use;
  struct store_stmt *next;
};

struct store {
  sqlite3 *db;
  bool in_txn;
  struct store_stmt *buckets[STORE_STMT_BUCKETS];
};

static enum vt_err db_error(struct store *s, int rc, struct vt_error *err) {
  const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
  case SQLITE_CONSTRAINT:
    return vt_error_set(err, VT_ERR_CONFLICT, "", "the change conflicts with stored data: %s", msg);
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return vt_error_set(err, VT_ERR_UNAVAILABLE, "", "the database is busy: %s", msg);
  case SQLITE_NOMEM:
    return vt_error_no_memory(err);
  default:
    return vt_error_set(err, VT_ERR_IO, "", "database error: %s", msg);
  }
}

static enum vt_err exec_sql(struct store *s, const char *sql, struct vt_error *err) {
  int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? VT_OK : db_error(s, rc, err);
}

int store_schema_latest(void) {
  return store_migration_count ? store_migrations[store_migration_count - 1].number : 0;
}

int store_schema_version(struct store *s) {
  sqlite3_stmt *st = NULL;
  int v = -1;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* One migration inside one transaction, together with its user_version bump. */
static enum vt_err apply_migration(struct store *s, const struct store_migration *mig,
                                   struct vt_error *err) {
  char pragma[64];
  enum vt_err rc;
  snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", mig->number);
  if ((rc = exec_sql(s, "BEGIN IMMEDIATE", err))) return rc;
  /* Another process may have migrated since we looked; under the write lock we know. */
  if (store_schema_version(s) >= mig->number) return exec_sql(s, "COMMIT", err);
  if ((rc = exec_sql(s, mig->sql, err)) || (rc = exec_sql(s, pragma, err)) ||
      (rc = exec_sql(s, "COMMIT", err))) {
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    char why[VT_ERROR_MESSAGE_MAX];
    snprintf(why, sizeof why, "%s", err ? err->message : "");
    return vt_error_set(err, rc, "", "migration %s failed: %s", mig->name, why);
  }
  vt_info("store", "applied migration %s", mig->name);
  return VT_OK;
}

static enum vt_err migrate(struct store *s, struct vt_error *err) {
  int have = store_schema_version(s);
  if (have < 0) return db_error(s, sqlite3_errcode(s->db), err);
  if (have > store_schema_latest())
    return vt_error_set(err, VT_ERR_INVALID, "",
                        "the database has schema %d but this manager knows only up to %d", have,
                        store_schema_latest());
  for (unsigned i = 0; i < store_migration_count; i++) {
    const struct store_migration *mig = &store_migrations[i];
    if (mig->number != (int)i + 1)
      return vt_error_set(err, VT_ERR_INTERNAL, "", "migration %s is out of sequence", mig->name);
    if (mig->number <= have) continue;
    enum vt_err rc = apply_migration(s, mig, err);
    if (rc != VT_OK) return rc;
  }
  return VT_OK;
}

enum vt_err store_open(const char *path, struct store **out, struct vt_error *err) {
  *out = NULL;
  struct store *s = calloc(1, sizeof *s);
  if (!s) return vt_error_no_memory(err);
  int rc = sqlite3_open_v2(path, &s->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  enum vt_err e = VT_OK;
  if (rc != SQLITE_OK) {
    e = vt_error_set(err, VT_ERR_IO, "", "cannot open %s: %s", path,
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    goto fail;
  }
  sqlite3_extended_result_codes(s->db, 1);
  sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
  /* synchronous=FULL: a change is announced to players right after COMMIT, so it must be
   * on disk by then, not only in the WAL's page cache. */
  if ((e = exec_sql(s, "PRAGMA foreign_keys = ON", err)) ||
      (e = exec_sql(s, "PRAGMA journal_mode = WAL", err)) ||
      (e = exec_sql(s, "PRAGMA synchronous = FULL", err)) || (e = migrate(s, err)))
    goto fail;
  *out = s;
  return VT_OK;
fail:
  store_free(s);
  return e;
}

void store_free(struct store *s) {
  if (!s) return;
  for (size_t b = 0; b < STORE_STMT_BUCKETS; b++)
    for (struct store_stmt *st = s->buckets[b], *next; st; st = next) {
      next = st->next;
      sqlite3_finalize(st->stmt);
      free(st);
    }
  sqlite3_close(s->db);
  free(s);
}

enum vt_err store_begin(struct store *s, bool write, struct vt_error *err) {
  if (s->in_txn) return vt_error_set(err, VT_ERR_INTERNAL, "", "nested transaction");
  enum vt_err rc = exec_sql(s, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
  if (rc == VT_OK) s->in_txn = true;
  return rc;
}

enum vt_err store_commit(struct store *s, struct vt_error *err) {
  enum vt_err rc = exec_sql(s, "COMMIT", err);
  if (rc != VT_OK) {
    store_rollback(s);
    return rc;
  }
  s->in_txn = false;
  return VT_OK;
}

void store_rollback(struct store *s) {
  if (!s->in_txn) return;
  sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
  s->in_txn = false;
}

bool store_in_transaction(struct store *s) { return s->in_txn; }

static size_t sql_hash(const char *sql) {
  size_t h = 2166136261u; /* FNV-1a */
  for (const unsigned char *p = (const unsigned char *)sql; *p; p++) h = (h ^ *p) * 16777619u;
  return h % STORE_STMT_BUCKETS;
}

enum vt_err store_prepare(struct store *s, const char *sql, struct store_stmt **out,
                          struct vt_error *err) {
  *out = NULL;
  size_t b = sql_hash(sql);
  struct store_stmt *st = s->buckets[b];
  while (st && st->sql != sql && strcmp(st->sql, sql) != 0) st = st->next;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st) return vt_error_no_memory(err);
    int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL);
    if (rc != SQLITE_OK) {
      free(st);
      vt_error("store", "cannot prepare [%s]: %s", sql, sqlite3_errmsg(s->db));
      return db_error(s, rc, err);
    }
    st->store = s;
    st->sql = sql;
    st->next = s->buckets[b];
    s->buckets[b] = st;
  }
  if (st->in_use)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "statement already in use: %s", sql);
  st->in_use = true;
  *out = st;
  return VT_OK;
}

void store_bind_int(struct store_stmt *st, int idx, int64_t v) {
  sqlite3_bind_int64(st->stmt, idx, v);
}
void store_bind_double(struct store_stmt *st, int idx, double v) {
  sqlite3_bind_double(st->stmt, idx, v);
}
void store_bind_text(struct store_stmt *st, int idx, const char *v) {
  if (v)
    sqlite3_bind_text(st->stmt, idx, v, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st->stmt, idx);
}
void store_bind_blob(struct store_stmt *st, int idx, const void *v, size_t len) {
  sqlite3_bind_blob64(st->stmt, idx, v, len, SQLITE_TRANSIENT);
}
void store_bind_null(struct store_stmt *st, int idx) { sqlite3_bind_null(st->stmt, idx); }

enum vt_err store_step(struct store_stmt *st, bool *row, struct vt_error *err) {
  int rc = sqlite3_step(st->stmt);
  *row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return VT_OK;
  return db_error(st->store, rc, err);
}

enum vt_err store_exec(struct store_stmt *st, struct vt_error *err) {
  bool row = true;
  enum vt_err rc = VT_OK;
  while (rc == VT_OK && row) rc = store_step(st, &row, err);
  store_done(st);
  return rc;
}

void store_done(struct store_stmt *st) {
  if (!st) return;
  sqlite3_reset(st->stmt);
  sqlite3_clear_bindings(st->stmt);
  st->in_use = false;
}

bool store_col_null(struct store_stmt *st, int i) {
  return sqlite3_column_type(st->stmt, i) == SQLITE_NULL;
}
int64_t store_col_int(struct store_stmt *st, int i) { return sqlite3_column_int64(st->stmt, i); }
double store_col_double(struct store_stmt *st, int i) { return sqlite3_column_double(st->stmt, i); }
const char *store_col_text(struct store_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st->stmt, i);
  return t ? (const char *)t : "";
}
const void *store_col_blob(struct store_stmt *st, int i, size_t *len) {
  const void *p = sqlite3_column_blob(st->stmt, i);
  *len = (size_t)sqlite3_column_bytes(st->stmt, i);
  return p;
}

int64_t store_changes(struct store *s) { return sqlite3_changes64(s->db); }

static enum vt_err query_int(struct store_stmt *st, bool *found, int64_t *out,
                             struct vt_error *err) {
  bool row = false;
  enum vt_err rc = store_step(st, &row, err);
  *found = rc == VT_OK && row;
  if (*found) *out = store_col_int(st, 0);
  store_done(st);
  return rc;
}

enum vt_err store_query_int(struct store *s, const char *sql, int64_t param, bool *found,
                            int64_t *out, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, param);
  return query_int(st, found, out, err);
}

enum vt_err store_query_int_text(struct store *s, const char *sql, const char *param, bool *found,
                                 int64_t *out, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, param);
  return query_int(st, found, out, err);
}
