/* What an uploaded file really is: the image type from its magic bytes, and its pixel
 * size from its header (PNG, JPEG, GIF, BMP, WebP). The Content-Type a client claims is
 * only accepted when the bytes agree. Reads through a callback so it works on the spooled
 * file (pread) and on memory (tests) alike; never reads more than the headers. */
#ifndef MANAGER_MEDIA_PROBE_H
#define MANAGER_MEDIA_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Content types the manager accepts for upload, NULL-terminated. */
extern const char *const media_probe_types[];
/* The entry of media_probe_types a Content-Type value names ("image/PNG; x=y" gives
 * "image/png"), or NULL. */
const char *media_probe_type_of(const char *content_type);

struct media_info {
  const char *type; /* one of media_probe_types; NULL when not recognised */
  bool has_size;    /* width/height read from the header */
  int64_t width, height;
};

/* Reads up to len bytes at off into buf; returns the count (short at end of data), -1 on error. */
typedef ssize_t (*media_read_fn)(void *ctx, uint64_t off, void *buf, size_t len);

/* Fill info; info->type NULL when the bytes are not a supported image. */
void media_probe(media_read_fn read, void *ctx, struct media_info *info);
void media_probe_fd(int fd, struct media_info *info);
void media_probe_mem(const void *data, size_t len, struct media_info *info);

#endif
