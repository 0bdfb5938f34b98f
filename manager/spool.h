/* An upload body on its way to disk: written to a temp file while it is hashed, so a
 * 64 MiB image never sits in memory, then fsynced and renamed into place by its owner.
 * Invariant: until spool_commit succeeds, nothing exists outside the temp directory, and
 * spool_free removes the temp file; so a rejected upload leaves no trace. */
#ifndef MANAGER_SPOOL_H
#define MANAGER_SPOOL_H

#include <stdint.h>

#include "fsutil.h"
#include "hash.h"
#include "vt_err.h"

struct spool;

/* fs NULL: the real file system. */
enum vt_err spool_new(const struct vt_fs *fs, const char *tmp_dir, struct spool **out,
                      struct vt_error *err) VT_WARN_UNUSED;
enum vt_err spool_write(struct spool *sp, const void *data, size_t len,
                        struct vt_error *err) VT_WARN_UNUSED;
/* All data written: fsync and compute the hash. */
enum vt_err spool_finish(struct spool *sp, struct vt_error *err) VT_WARN_UNUSED;

/* After spool_finish. The fd stays open for reading (pread) until spool_free. */
const char *spool_sha256(const struct spool *sp);
uint64_t spool_size(const struct spool *sp);
int spool_fd(const struct spool *sp);

/* Rename the temp file to path (same file system) and fsync its directory. */
enum vt_err spool_commit(struct spool *sp, const char *path, struct vt_error *err) VT_WARN_UNUSED;

/* Close, and remove the temp file unless committed. NULL is a no-op. */
void spool_free(struct spool *sp);

#endif
