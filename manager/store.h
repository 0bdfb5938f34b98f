/* The manager's store: one SQLite connection, its transactions and its prepared
 * statements (docs/internals/store.md). Everything above this file speaks only the calls
 * below, never sqlite3_*, so another backend (PostgreSQL) can implement the same calls.
 *
 * A struct store is used by one thread at a time. The HTTP thread and the renewal timer
 * each open their own; SQLite's WAL mode and busy timeout arbitrate between them.
 *
 * Statement life: store_prepare hands out a cached statement; bind, step until no row,
 * then store_done (always, also on error) resets it for the next user. A statement cannot
 * be prepared again while in use: nesting the same SQL is a bug and reports VT_ERR_INTERNAL. */
#ifndef MANAGER_STORE_H
#define MANAGER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

struct store;
struct store_stmt;

/* Open (creating if needed) the database at path, set WAL, foreign keys and the busy
 * timeout, and apply pending migrations. */
enum vt_err store_open(const char *path, struct store **out, struct vt_error *err) VT_WARN_UNUSED;
void store_free(struct store *s); /* NULL is a no-op */

/* The schema version (PRAGMA user_version) and the newest one this binary knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);

/* write = BEGIN IMMEDIATE (takes the write lock now, so a transaction never fails half
 * way on lock upgrade); otherwise a deferred read transaction for a consistent view. */
enum vt_err store_begin(struct store *s, bool write, struct vt_error *err) VT_WARN_UNUSED;
enum vt_err store_commit(struct store *s, struct vt_error *err) VT_WARN_UNUSED;
void store_rollback(struct store *s); /* no-op outside a transaction */
bool store_in_transaction(struct store *s);

/* sql is a constant string; placeholders are ?1, ?2, ... */
enum vt_err store_prepare(struct store *s, const char *sql, struct store_stmt **out,
                          struct vt_error *err) VT_WARN_UNUSED;
void store_bind_int(struct store_stmt *st, int idx, int64_t v);
void store_bind_text(struct store_stmt *st, int idx, const char *v); /* NULL binds NULL; copied */
void store_bind_blob(struct store_stmt *st, int idx, const void *v, size_t len); /* copied */
void store_bind_null(struct store_stmt *st, int idx);
void store_bind_double(struct store_stmt *st, int idx, double v);
/* Advance: *row is true while a row is available. Constraint failures map to
 * VT_ERR_CONFLICT, a busy database to VT_ERR_UNAVAILABLE. */
enum vt_err store_step(struct store_stmt *st, bool *row, struct vt_error *err) VT_WARN_UNUSED;
/* Step a statement that returns no rows (or ignore them) and store_done it. */
enum vt_err store_exec(struct store_stmt *st, struct vt_error *err) VT_WARN_UNUSED;
void store_done(struct store_stmt *st); /* NULL is a no-op */

/* Columns of the current row, by index. Text and blobs borrow until the next step/done. */
bool store_col_null(struct store_stmt *st, int i);
int64_t store_col_int(struct store_stmt *st, int i);
double store_col_double(struct store_stmt *st, int i);
const char *store_col_text(struct store_stmt *st, int i); /* "" for NULL */
const void *store_col_blob(struct store_stmt *st, int i, size_t *len);

/* Rows changed by the last INSERT/UPDATE/DELETE. */
int64_t store_changes(struct store *s);

/* One-shot helpers for the most common shapes: a query whose first column of the first
 * row is an integer (*found false when there is no row). */
enum vt_err store_query_int(struct store *s, const char *sql, int64_t param, bool *found,
                            int64_t *out, struct vt_error *err) VT_WARN_UNUSED;
enum vt_err store_query_int_text(struct store *s, const char *sql, const char *param, bool *found,
                                 int64_t *out, struct vt_error *err) VT_WARN_UNUSED;

#endif
