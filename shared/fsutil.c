#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"

static int posix_open(void *ctx, const char *path, int flags, int mode) {
  (void)ctx;
  return open(path, flags | O_CLOEXEC, mode);
}
static ssize_t posix_write(void *ctx, int fd, const void *buf, size_t len) {
  (void)ctx;
  return write(fd, buf, len);
}
static int posix_fsync(void *ctx, int fd) {
  (void)ctx;
  return fsync(fd);
}
static int posix_close(void *ctx, int fd) {
  (void)ctx;
  return close(fd);
}
static int posix_rename(void *ctx, const char *from, const char *to) {
  (void)ctx;
  return rename(from, to);
}
static int posix_unlink(void *ctx, const char *path) {
  (void)ctx;
  return unlink(path);
}

const struct vt_fs vt_fs_posix = {posix_open, posix_write, posix_fsync, posix_close,
                                  posix_rename, posix_unlink, NULL};

int vt_path_join(char *out, size_t size, const char *dir, const char *name) {
  int n = snprintf(out, size, "%s/%s", dir, name);
  return n >= 0 && (size_t)n < size;
}

int vt_write_all(const struct vt_fs *fs, int fd, const void *data, size_t len) {
  if (!fs) fs = &vt_fs_posix;
  const char *p = data;
  while (len > 0) {
    ssize_t w = fs->write(fs->ctx, fd, p, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (w == 0) errno = EIO;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

enum vt_err vt_fsync_dir(const struct vt_fs *fs, const char *dir, struct vt_error *err) {
  if (!fs) fs = &vt_fs_posix;
  int fd = fs->open(fs->ctx, dir, O_RDONLY | O_DIRECTORY, 0);
  if (fd < 0) return vt_error_set(err, VT_ERR_IO, "", "open %s: %s", dir, strerror(errno));
  int rc = fs->fsync(fs->ctx, fd);
  int saved = errno;
  fs->close(fs->ctx, fd);
  if (rc != 0) return vt_error_set(err, VT_ERR_IO, "", "fsync %s: %s", dir, strerror(saved));
  return VT_OK;
}

enum vt_err vt_write_file_atomic(const struct vt_fs *fs, const char *path, const void *data,
                                 size_t len, struct vt_error *err) {
  if (!fs) fs = &vt_fs_posix;
  char tmp[4096], rnd[17], dir[4096];
  vt_random_hex(rnd, 8);
  if (snprintf(tmp, sizeof tmp, "%s.tmp-%s", path, rnd) >= (int)sizeof tmp ||
      snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
    return vt_error_set(err, VT_ERR_INVALID, "", "path too long: %s", path);
  int fd = fs->open(fs->ctx, tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) return vt_error_set(err, VT_ERR_IO, "", "create %s: %s", tmp, strerror(errno));
  if (vt_write_all(fs, fd, data, len) != 0 || fs->fsync(fs->ctx, fd) != 0) goto fail;
  if (fs->close(fs->ctx, fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  if (fs->rename(fs->ctx, tmp, path) != 0) goto fail;
  return vt_fsync_dir(fs, dirname(dir), err);
fail:;
  int saved = errno;
  if (fd >= 0) fs->close(fs->ctx, fd);
  fs->unlink(fs->ctx, tmp);
  return vt_error_set(err, VT_ERR_IO, "", "write %s: %s", path, strerror(saved ? saved : EIO));
}

enum vt_err vt_read_file(const char *path, size_t max, char **out, size_t *len,
                         struct vt_error *err) {
  *out = NULL;
  if (len) *len = 0;
  FILE *f = fopen(path, "rbe");
  if (!f) {
    return vt_error_set(err, errno == ENOENT ? VT_ERR_NOT_FOUND : VT_ERR_IO, "", "open %s: %s",
                        path, strerror(errno));
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf) {
    fclose(f);
    return vt_error_no_memory(err);
  }
  for (;;) {
    if (n == cap) {
      if (cap > max) break;
      cap *= 2;
      char *nb = realloc(buf, cap + 1);
      if (!nb) {
        free(buf);
        fclose(f);
        return vt_error_no_memory(err);
      }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (r == 0) break;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return vt_error_set(err, VT_ERR_IO, "", "read %s failed", path);
  }
  if (n > max) {
    free(buf);
    return vt_error_set(err, VT_ERR_TOO_LARGE, "", "%s is larger than %zu bytes", path, max);
  }
  buf[n] = '\0';
  *out = buf;
  if (len) *len = n;
  return VT_OK;
}

enum vt_err vt_mkdir_p(const char *path, struct vt_error *err) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
    return vt_error_set(err, VT_ERR_INVALID, "", "path too long");
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return vt_error_set(err, VT_ERR_IO, "", "mkdir %s: %s", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST)
    return vt_error_set(err, VT_ERR_IO, "", "mkdir %s: %s", buf, strerror(errno));
  return VT_OK;
}
