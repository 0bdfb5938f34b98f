/* /api/v1/media: upload, list, read, rename and delete media records. The bytes live in
 * DIR/media/<sha256>, content-addressed and immutable; api_media_files.c serves them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "fsutil.h"
#include "json.h"
#include "vt_limits.h"
#include "media_probe.h"
#include "reply.h"
#include "spool.h"
#include "store.h"

#define MEDIA_COLUMNS "sha256, size, type, name, width, height, created_at"

static json_t *nullable_int(struct store_stmt *st, int col) {
  return store_col_null(st, col) ? json_null() : json_integer(store_col_int(st, col));
}

static json_t *media_json(struct request *rq, struct store_stmt *st) {
  (void)rq;
  return json_pack("{s:s, s:I, s:s, s:s, s:o, s:o, s:o}", "sha256", store_col_text(st, 0), "size",
                   (json_int_t)store_col_int(st, 1), "type", store_col_text(st, 2), "name",
                   store_col_text(st, 3), "width", nullable_int(st, 4), "height",
                   nullable_int(st, 5), "created_at", vt_json_time_new(store_col_int(st, 6)));
}

/* The record of sha256 as JSON in *out; *out stays NULL when there is none. */
static enum vt_err media_find(struct store *s, const char *sha256, json_t **out,
                              struct vt_error *err) {
  struct store_stmt *st;
  *out = NULL;
  enum vt_err rc =
      store_prepare(s, "SELECT " MEDIA_COLUMNS " FROM media WHERE sha256 = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, sha256);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row && !(*out = media_json(NULL, st)))
    rc = vt_error_no_memory(err);
  store_done(st);
  return rc;
}

static enum vt_err media_require(struct request *rq, json_t **out, struct vt_error *err) {
  enum vt_err rc = media_find(rq->store, rq->params.sha256, out, err);
  if (rc == VT_OK && !*out)
    rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no media %s", rq->params.sha256);
  return rc;
}

static enum vt_err media_path(struct request *rq, const char *sha256, char **out,
                              struct vt_error *err) {
  char path[PATH_MAX];
  if (!vt_path_join(path, sizeof path, rq->m->paths.media, sha256) || !(*out = strdup(path)))
    return vt_error_no_memory(err);
  return VT_OK;
}

/* ?name= : optional, at most VT_LIMIT_NAME_BYTES of UTF-8. */
static enum vt_err upload_name(struct request *rq, const char **out, struct vt_error *err) {
  const char *name = http_query(rq, "name");
  *out = name ? name : "";
  if (!fields_text_ok(*out, 0, VT_LIMIT_NAME_BYTES))
    return vt_error_set(err, VT_ERR_INVALID, "name", "'name' must be UTF-8 of at most %d bytes",
                        VT_LIMIT_NAME_BYTES);
  return VT_OK;
}

/* The uploaded bytes must be an image of the type the client declared. */
static enum vt_err sniff(struct request *rq, struct media_info *info, struct vt_error *err) {
  const char *declared = media_probe_type_of(http_header(rq, "Content-Type"));
  media_probe_fd(spool_fd(rq->spool), info);
  if (!info->type)
    return vt_error_set(err, VT_ERR_UNSUPPORTED_MEDIA, "",
                        "the body is not a PNG, JPEG, GIF, WebP or BMP image");
  if (!declared || strcmp(declared, info->type) != 0)
    return vt_error_set(err, VT_ERR_UNSUPPORTED_MEDIA, "",
                        "Content-Type says %s but the body is %s", declared ? declared : "nothing",
                        info->type);
  if (info->has_size && (info->width > VT_LIMIT_CANVAS_PX || info->height > VT_LIMIT_CANVAS_PX ||
                         info->width * info->height > VT_LIMIT_IMAGE_PIXELS))
    return vt_error_set(err, VT_ERR_TOO_LARGE, "",
                        "the image is %lldx%lld pixels; players show at most %lld megapixels and "
                        "%d pixels a side",
                        (long long)info->width, (long long)info->height,
                        VT_LIMIT_IMAGE_PIXELS / 1000000, VT_LIMIT_CANVAS_PX);
  return VT_OK;
}

API_HANDLER(api_media_create) {
  struct media_info info;
  const char *name;
  const char *sha = spool_sha256(rq->spool);
  json_t *existing = NULL;
  enum vt_err rc;
  if ((rc = upload_name(rq, &name, err)) || (rc = sniff(rq, &info, err)) ||
      (rc = media_find(rq->store, sha, &existing, err)))
    return rc;
  if (existing) return reply_json(rq, 200, existing); /* same bytes, same record */

  struct store_stmt *st;
  if ((rc = store_prepare(rq->store,
                          "INSERT INTO media (sha256, size, type, name, width, height, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          &st, err)))
    return rc;
  store_bind_text(st, 1, sha);
  store_bind_int(st, 2, (int64_t)spool_size(rq->spool));
  store_bind_text(st, 3, info.type);
  store_bind_text(st, 4, name);
  if (info.has_size) {
    store_bind_int(st, 5, info.width);
    store_bind_int(st, 6, info.height);
  }
  store_bind_int(st, 7, rq->now_ms);
  if ((rc = store_exec(st, err)) || (rc = media_path(rq, sha, &rq->unlink_after_rollback, err)) ||
      (rc = spool_commit(rq->spool, rq->unlink_after_rollback, err)) ||
      (rc = media_find(rq->store, sha, &existing, err)))
    return rc;
  return reply_json(rq, 201, existing);
}

API_HANDLER(api_media_list) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      rq->store, "SELECT " MEDIA_COLUMNS " FROM media ORDER BY created_at, sha256", &st, err);
  return rc ? rc : reply_rows(rq, st, media_json, err);
}

API_HANDLER(api_media_get) {
  json_t *media;
  enum vt_err rc = media_require(rq, &media, err);
  return rc ? rc : reply_json(rq, 200, media);
}

API_HANDLER(api_media_patch) {
  static const char *const keys[] = {"name", NULL};
  const char *name = NULL;
  json_t *media;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = vt_json_str(rq->body, "", "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = media_require(rq, &media, err)))
    return rc;
  json_decref(media);
  if (name) {
    if ((rc = store_prepare(rq->store, "UPDATE media SET name = ?2 WHERE sha256 = ?1", &st, err)))
      return rc;
    store_bind_text(st, 1, rq->params.sha256);
    store_bind_text(st, 2, name);
    if ((rc = store_exec(st, err)) ||
        (rc = affected_by_media(rq->store, rq->params.sha256, &rq->recompile, err)))
      return rc;
  }
  if ((rc = media_require(rq, &media, err))) return rc;
  return reply_json(rq, 200, media);
}

API_HANDLER(api_media_delete) {
  json_t *media;
  bool used = false;
  int64_t playlist = 0;
  enum vt_err rc;
  if ((rc = media_require(rq, &media, err))) return rc;
  json_decref(media);
  if ((rc = store_query_int_text(rq->store,
                                 "SELECT playlist_id FROM playlist_items WHERE media = ?1 "
                                 "ORDER BY playlist_id LIMIT 1",
                                 rq->params.sha256, &used, &playlist, err)))
    return rc;
  if (used)
    return vt_error_set(err, VT_ERR_CONFLICT, "", "media %s is used by playlist %lld",
                        rq->params.sha256, (long long)playlist);
  int64_t menu = 0;
  if ((rc = store_query_int_text(rq->store,
                                 "SELECT s.menu_id FROM menu_items i JOIN menu_sections s "
                                 "ON s.id = i.section_id WHERE i.image = ?1 ORDER BY 1 LIMIT 1",
                                 rq->params.sha256, &used, &menu, err)))
    return rc;
  if (used)
    return vt_error_set(err, VT_ERR_CONFLICT, "", "media %s is a picture in menu %lld",
                        rq->params.sha256, (long long)menu);
  struct store_stmt *st;
  if ((rc = store_prepare(rq->store, "DELETE FROM media WHERE sha256 = ?1", &st, err))) return rc;
  store_bind_text(st, 1, rq->params.sha256);
  if ((rc = store_exec(st, err)) ||
      (rc = media_path(rq, rq->params.sha256, &rq->unlink_after_commit, err)))
    return rc;
  return reply_empty(rq, 204);
}
