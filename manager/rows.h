/* Reading stored playlists and layouts into the shared manifest structs, so the compiler
 * and the API's GET handlers share one reader (and the API shows what players get). */
#ifndef MANAGER_ROWS_H
#define MANAGER_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "idset.h"
#include "manifest.h"
#include "store.h"
#include "vt_err.h"

struct rows_stamp {
  int64_t created_ms, updated_ms;
};

/* Appends resource id to m and sets *index to its place; rows_playlist and rows_layout. */
typedef enum vt_err (*rows_loader)(struct store *s, int64_t id, struct vt_manifest *m,
                                   size_t *index, struct rows_stamp *stamp, struct vt_error *err);

/* Append playlist id (items in order) to m; *index is its place in m->playlists.
 * VT_ERR_NOT_FOUND if it does not exist. stamp may be NULL. */
enum vt_err rows_playlist(struct store *s, int64_t id, struct vt_manifest *m, size_t *index,
                          struct rows_stamp *stamp, struct vt_error *err) VT_WARN_UNUSED;
/* Append layout id (regions in order) to m; *index is its place in m->layouts. */
enum vt_err rows_layout(struct store *s, int64_t id, struct vt_manifest *m, size_t *index,
                        struct rows_stamp *stamp, struct vt_error *err) VT_WARN_UNUSED;

/* Does sql (one ?1 id parameter) return a row? If not: rows_require answers 404 "there is
 * no <what> <id>", rows_require_ref 400 invalid naming field (a reference inside a body). */
enum vt_err rows_require(struct store *s, const char *sql, int64_t id, const char *what,
                         struct vt_error *err) VT_WARN_UNUSED;
enum vt_err rows_require_ref(struct store *s, const char *sql, int64_t id, const char *what,
                             const char *field, struct vt_error *err) VT_WARN_UNUSED;

/* Add the first column of every row of sql (?1 bound to param, if it has a ?1) to out. */
enum vt_err rows_ids(struct store *s, const char *sql, int64_t param, struct idset *out,
                     struct vt_error *err) VT_WARN_UNUSED;
enum vt_err rows_ids_text(struct store *s, const char *sql, const char *param, struct idset *out,
                          struct vt_error *err) VT_WARN_UNUSED;

#endif
