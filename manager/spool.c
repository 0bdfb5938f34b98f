#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manager.h"

struct spool {
  const struct vt_fs *fs;
  int fd;
  bool committed;
  uint64_t size;
  struct vt_sha256 hash;
  char sha256[VT_SHA256_HEX_LEN + 1];
  char path[PATH_MAX];
};

enum vt_err spool_new(const struct vt_fs *fs, const char *tmp_dir, struct spool **out,
                      struct vt_error *err) {
  *out = NULL;
  struct spool *sp = calloc(1, sizeof *sp);
  if (!sp) return vt_error_no_memory(err);
  char rnd[17];
  vt_random_hex(rnd, 8);
  sp->fs = fs ? fs : &vt_fs_posix;
  if (snprintf(sp->path, sizeof sp->path, "%s/upload-%s", tmp_dir, rnd) >= (int)sizeof sp->path) {
    free(sp);
    return vt_error_set(err, VT_ERR_IO, "", "temp path too long");
  }
  sp->fd = sp->fs->open(sp->fs->ctx, sp->path, O_RDWR | O_CREAT | O_EXCL, 0644);
  if (sp->fd < 0) {
    enum vt_err rc = vt_error_set(err, VT_ERR_IO, "", "create %s: %s", sp->path, strerror(errno));
    free(sp);
    return rc;
  }
  vt_sha256_init(&sp->hash);
  *out = sp;
  return VT_OK;
}

enum vt_err spool_write(struct spool *sp, const void *data, size_t len, struct vt_error *err) {
  vt_sha256_update(&sp->hash, data, len);
  if (vt_write_all(sp->fs, sp->fd, data, len) != 0)
    return vt_error_set(err, VT_ERR_IO, "", "write %s: %s", sp->path, strerror(errno));
  sp->size += len;
  return VT_OK;
}

enum vt_err spool_finish(struct spool *sp, struct vt_error *err) {
  if (sp->fs->fsync(sp->fs->ctx, sp->fd) != 0)
    return vt_error_set(err, VT_ERR_IO, "", "fsync %s: %s", sp->path, strerror(errno));
  vt_sha256_final_hex(&sp->hash, sp->sha256);
  return VT_OK;
}

const char *spool_sha256(const struct spool *sp) { return sp->sha256; }
uint64_t spool_size(const struct spool *sp) { return sp->size; }
int spool_fd(const struct spool *sp) { return sp->fd; }

enum vt_err spool_commit(struct spool *sp, const char *path, struct vt_error *err) {
  if (sp->fs->rename(sp->fs->ctx, sp->path, path) != 0)
    return vt_error_set(err, VT_ERR_IO, "", "rename to %s: %s", path, strerror(errno));
  sp->committed = true;
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  return vt_fsync_dir(sp->fs, dirname(dir), err);
}

void spool_free(struct spool *sp) {
  if (!sp) return;
  sp->fs->close(sp->fs->ctx, sp->fd);
  if (!sp->committed) sp->fs->unlink(sp->fs->ctx, sp->path);
  free(sp);
}
