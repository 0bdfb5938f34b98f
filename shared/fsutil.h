/* File helpers with crash-safe writes. Everything that writes goes through struct vt_fs so
 * tests can fail the Nth write, fsync or rename and check that nothing partial is left. */
#ifndef VT_FSUTIL_H
#define VT_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "vt_err.h"

struct vt_fs {
  int (*open)(void *ctx, const char *path, int flags, int mode);
  ssize_t (*write)(void *ctx, int fd, const void *buf, size_t len);
  int (*fsync)(void *ctx, int fd);
  int (*close)(void *ctx, int fd);
  int (*rename)(void *ctx, const char *from, const char *to);
  int (*unlink)(void *ctx, const char *path);
  void *ctx;
};

/* The real file system. Functions below accept fs == NULL to mean this. */
extern const struct vt_fs vt_fs_posix;

/* Write all len bytes to fd, going on after interrupted and short writes. 0, or -1 with
 * errno set (EIO when the file takes no more bytes without saying why). */
int vt_write_all(const struct vt_fs *fs, int fd, const void *data, size_t len);

/* Write data to path so that path holds either its old content or all of data, never a
 * mix: write to a unique temp name in the same directory, fsync, rename, fsync the
 * directory. On failure the temp file is removed and path is untouched. */
enum vt_err vt_write_file_atomic(const struct vt_fs *fs, const char *path, const void *data,
                                 size_t len, struct vt_error *err) VT_WARN_UNUSED;

/* fsync a directory so a rename inside it survives a power cut. */
enum vt_err vt_fsync_dir(const struct vt_fs *fs, const char *dir, struct vt_error *err) VT_WARN_UNUSED;

/* Read a whole file of at most max bytes into a new NUL-terminated buffer (*out, caller
 * frees). VT_ERR_NOT_FOUND if absent, VT_ERR_TOO_LARGE if over max. */
enum vt_err vt_read_file(const char *path, size_t max, char **out, size_t *len,
                         struct vt_error *err) VT_WARN_UNUSED;

/* mkdir -p with mode 0755. */
enum vt_err vt_mkdir_p(const char *path, struct vt_error *err) VT_WARN_UNUSED;

/* Build "dir/name" into out; false if it does not fit. */
int vt_path_join(char *out, size_t size, const char *dir, const char *name);

#endif
