/* GET /media/<sha256>: the bytes of a media file, straight from its file descriptor.
 * The name is the content's hash, so the response never changes: strong ETag, cacheable
 * for a year and immutable, If-None-Match answered with 304, one byte range with 206 so
 * a player can resume a broken download. */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "fsutil.h"
#include "hash.h"
#include "http_cond.h"
#include "reply.h"
#include "store.h"

#define MEDIA_CACHE_CONTROL "public, max-age=31536000, immutable"

/* The record's type; VT_ERR_NOT_FOUND when the media is not (or no longer) in the store. */
static enum vt_err media_type(struct request *rq, char *out, size_t size, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(rq->store, "SELECT type FROM media WHERE sha256 = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, rq->params.sha256);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (row)
      snprintf(out, size, "%s", store_col_text(st, 0));
    else
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no media %s", rq->params.sha256);
  }
  store_done(st);
  return rc;
}

static void add_cache_headers(struct MHD_Response *r, const char *etag) {
  MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, MEDIA_CACHE_CONTROL);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
  reply_common_headers(r);
}

/* Takes fd: the response closes it, and so does this function on failure. */
static enum vt_err reply_file(struct request *rq, int fd, uint64_t size, const char *type,
                              const char *etag, struct vt_error *err) {
  uint64_t start = 0, len = size;
  unsigned status = MHD_HTTP_OK;
  switch (http_cond_parse_range(http_header(rq, MHD_HTTP_HEADER_RANGE), size, &start, &len)) {
  case HTTP_COND_UNSATISFIABLE:
    close(fd);
    rq->error_header = MHD_HTTP_HEADER_CONTENT_RANGE;
    snprintf(rq->error_header_value, sizeof rq->error_header_value, "bytes */%llu",
             (unsigned long long)size);
    return vt_error_set(err, VT_ERR_RANGE, "", "the file has %llu bytes", (unsigned long long)size);
  case HTTP_COND_PARTIAL:
    status = MHD_HTTP_PARTIAL_CONTENT;
    break;
  case HTTP_COND_FULL:
    break;
  }
  struct MHD_Response *r = MHD_create_response_from_fd_at_offset64(len, fd, start);
  if (!r) {
    close(fd);
    return vt_error_no_memory(err);
  }
  if (status == MHD_HTTP_PARTIAL_CONTENT) {
    char range[96];
    snprintf(range, sizeof range, "bytes %llu-%llu/%llu", (unsigned long long)start,
             (unsigned long long)(start + len - 1), (unsigned long long)size);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, range);
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  add_cache_headers(r, etag);
  reply_take(rq, status, r);
  return VT_OK;
}

API_HANDLER(api_media_file) {
  char type[128], etag[VT_SHA256_HEX_LEN + 3], path[PATH_MAX];
  enum vt_err rc = media_type(rq, type, sizeof type, err);
  if (rc != VT_OK) return rc;
  snprintf(etag, sizeof etag, "\"%s\"", rq->params.sha256);
  if (http_cond_etag_match(http_header(rq, MHD_HTTP_HEADER_IF_NONE_MATCH), etag)) {
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r) return vt_error_no_memory(err);
    add_cache_headers(r, etag);
    reply_take(rq, MHD_HTTP_NOT_MODIFIED, r);
    return VT_OK;
  }
  if (!vt_path_join(path, sizeof path, rq->m->paths.media, rq->params.sha256))
    return vt_error_set(err, VT_ERR_INTERNAL, "", "media path too long");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return vt_error_set(err, errno == ENOENT ? VT_ERR_NOT_FOUND : VT_ERR_IO, "",
                        "media file %s: %s", rq->params.sha256, strerror(errno));
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    close(fd);
    return vt_error_set(err, VT_ERR_IO, "", "stat media %s: %s", rq->params.sha256,
                        strerror(errno));
  }
  return reply_file(rq, fd, (uint64_t)sb.st_size, type, etag, err);
}
