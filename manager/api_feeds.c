/* /api/v1/feeds: the feeds the manager fetches (news, weather, currency) and their fetch
 * status, where the owner sees why a feed shows old items (docs/api.md). The fetcher writes
 * snapshots and errors through sources.c; this file only creates, edits and shows feeds. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fields.h"
#include "json.h"
#include "reply.h"
#include "rows.h"
#include "sources.h"
#include "store.h"
#include "vt_limits.h"

/* Feeds the owner writes: news, weather, currency (menus live in /api/v1/menus). */
static const struct vt_choice feed_kinds[] = {{"news", VT_SOURCE_NEWS},
                                              {"weather", VT_SOURCE_WEATHER},
                                              {"currency", VT_SOURCE_CURRENCY},
                                              {NULL, 0}};

/* Default refresh by kind: news changes by the minute, forecasts hourly, ECB rates daily. */
static int64_t default_refresh_s(int kind) {
  return kind == VT_SOURCE_NEWS ? 900 : kind == VT_SOURCE_WEATHER ? 1800 : 3600;
}

#define FEED_COLUMNS                                                                         \
  "id, name, kind, url, forecast_url, location_name, lat, lon, refresh_s, version, "         \
  "snapshot_at, last_ok_at, last_error, last_error_at, failures, next_fetch_at, created_at, " \
  "updated_at"

static json_t *time_or_null(struct store_stmt *st, int col) {
  return store_col_null(st, col) ? json_null() : vt_json_time_new(store_col_int(st, col));
}
static json_t *text_or_null(struct store_stmt *st, int col) {
  return store_col_null(st, col) ? json_null() : json_string(store_col_text(st, col));
}
static json_t *real_or_null(struct store_stmt *st, int col) {
  return store_col_null(st, col) ? json_null() : json_real(store_col_double(st, col));
}

static json_t *feed_json(struct request *rq, struct store_stmt *st) {
  (void)rq;
  char key[VT_SOURCE_KEY_MAX];
  sources_key(key, false, store_col_int(st, 0));
  json_t *status = json_pack(
      "{s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "version", (json_int_t)store_col_int(st, 9),
      "snapshot_at", time_or_null(st, 10), "last_ok_at", time_or_null(st, 11), "last_error",
      text_or_null(st, 12), "last_error_at", time_or_null(st, 13), "failures",
      (json_int_t)store_col_int(st, 14), "next_fetch_at", vt_json_time_new(store_col_int(st, 15)));
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
                   (json_int_t)store_col_int(st, 0), "key", key, "name", store_col_text(st, 1),
                   "kind", store_col_text(st, 2), "url", store_col_text(st, 3), "forecast_url",
                   text_or_null(st, 4), "location_name", text_or_null(st, 5), "lat",
                   real_or_null(st, 6), "lon", real_or_null(st, 7), "refresh_s",
                   (json_int_t)store_col_int(st, 8), "status", status, "created_at",
                   vt_json_time_new(store_col_int(st, 16)), "updated_at",
                   vt_json_time_new(store_col_int(st, 17)));
}

/* ---- input ----------------------------------------------------------------------------- */

struct feed_in {
  const char *name, *url;
  bool forecast_given, location_given;
  const char *forecast_url, *location_name; /* NULL with *_given: cleared */
  bool lat_given, lon_given;
  double lat, lon; /* NAN: cleared */
  int kind;
  int64_t refresh_s; /* 0: not given */
};

/* An http(s) URL without spaces or control characters: the fetcher hands it to libcurl,
 * which must not be asked for file:// or any other scheme. */
static enum vt_err check_url(const char *url, const char *field, struct vt_error *err) {
  if (!url) return VT_OK;
  if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must be an http:// or https:// URL",
                        field);
  const char *host = strstr(url, "//") + 2;
  if (!*host || *host == '/')
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' has no host", field);
  for (const unsigned char *p = (const unsigned char *)url; *p; p++)
    if (*p <= ' ' || *p == 0x7f)
      return vt_error_set(err, VT_ERR_INVALID, field,
                          "'%s' must not contain spaces or control characters", field);
  return VT_OK;
}

/* obj[key] as a coordinate in [-lim, lim], null clearing it. */
static enum vt_err coordinate(const json_t *obj, const char *key, double lim, bool *given,
                              double *out, struct vt_error *err) {
  const json_t *v = json_object_get(obj, key);
  if (!v) return VT_OK;
  *given = true;
  if (json_is_null(v)) {
    *out = NAN;
    return VT_OK;
  }
  if (!json_is_number(v)) return vt_error_set(err, VT_ERR_WRONG_TYPE, key, "'%s' must be a number", key);
  *out = json_number_value(v);
  if (!(*out >= -lim && *out <= lim))
    return vt_error_set(err, VT_ERR_INVALID, key, "'%s' must be within -%g..%g", key, lim, lim);
  return VT_OK;
}

static enum vt_err read_body(struct request *rq, bool create, struct feed_in *in,
                             struct vt_error *err) {
  static const char *const keys[] = {"name", "kind", "url", "forecast_url", "location_name",
                                     "lat",  "lon",  "refresh_s", NULL};
  const json_t *b = rq->body;
  enum vt_err rc;
  in->kind = -1;
  if ((rc = vt_json_only_keys(b, "", keys, err)) ||
      (rc = fields_name(b, "", "name", create, &in->name, err)))
    return rc;
  if (!create && json_object_get(b, "kind"))
    return vt_error_set(err, VT_ERR_INVALID, "kind",
                        "a feed's kind cannot change (items rely on it); create another feed");
  if ((create && (rc = vt_json_choice(b, "", "kind", true, feed_kinds, &in->kind, err))) ||
      (rc = vt_json_str(b, "", "url", create, 1, VT_LIMIT_FEED_URL_BYTES, &in->url, err)) ||
      (rc = check_url(in->url, "url", err)) ||
      (rc = fields_nullable_str(b, "", "forecast_url", 1, VT_LIMIT_FEED_URL_BYTES,
                                &in->forecast_given, &in->forecast_url, err)) ||
      (rc = check_url(in->forecast_url, "forecast_url", err)) ||
      (rc = fields_nullable_str(b, "", "location_name", 0, VT_LIMIT_NAME_BYTES,
                                &in->location_given, &in->location_name, err)) ||
      (rc = coordinate(b, "lat", 90, &in->lat_given, &in->lat, err)) ||
      (rc = coordinate(b, "lon", 180, &in->lon_given, &in->lon, err)) ||
      (rc = vt_json_int(b, "", "refresh_s", false, VT_FEED_REFRESH_MIN_S, VT_FEED_REFRESH_MAX_S,
                        &in->refresh_s, err)))
    return rc;
  return VT_OK;
}

static void bind_real_or_null(struct store_stmt *st, int idx, bool given, double v) {
  if (given && !isnan(v))
    store_bind_double(st, idx, v);
  else
    store_bind_null(st, idx);
}

/* ---- handlers --------------------------------------------------------------------------- */

static enum vt_err reply_feed(struct request *rq, unsigned status, int64_t id,
                              struct vt_error *err) {
  return reply_row(rq, status, "SELECT " FEED_COLUMNS " FROM feeds WHERE id = ?1", id, "feed",
                   feed_json, err);
}

API_HANDLER(api_feeds_create) {
  struct feed_in in = {0};
  struct store_stmt *st;
  bool row = false;
  int64_t id = 0;
  enum vt_err rc = read_body(rq, true, &in, err);
  if (rc != VT_OK) return rc;
  if (in.forecast_url && in.kind != VT_SOURCE_WEATHER)
    return vt_error_set(err, VT_ERR_INVALID, "forecast_url", "only a weather feed has a forecast_url");
  if ((rc = store_prepare(rq->store,
                          "INSERT INTO feeds (name, kind, url, forecast_url, location_name, lat, "
                          "lon, refresh_s, next_fetch_at, created_at, updated_at) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?9) RETURNING id",
                          &st, err)))
    return rc;
  store_bind_text(st, 1, in.name);
  store_bind_text(st, 2, vt_choice_name(feed_kinds, in.kind));
  store_bind_text(st, 3, in.url);
  store_bind_text(st, 4, in.forecast_url);
  store_bind_text(st, 5, in.location_name);
  bind_real_or_null(st, 6, in.lat_given, in.lat);
  bind_real_or_null(st, 7, in.lon_given, in.lon);
  store_bind_int(st, 8, in.refresh_s ? in.refresh_s : default_refresh_s(in.kind));
  store_bind_int(st, 9, rq->now_ms);
  if ((rc = store_step(st, &row, err)) == VT_OK) id = store_col_int(st, 0);
  store_done(st);
  return rc ? rc : reply_feed(rq, 201, id, err);
}

API_HANDLER(api_feeds_list) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(rq->store, "SELECT " FEED_COLUMNS " FROM feeds ORDER BY id", &st, err);
  return rc ? rc : reply_rows(rq, st, feed_json, err);
}

API_HANDLER(api_feeds_get) { return reply_feed(rq, 200, rq->params.id[0], err); }

API_HANDLER(api_feeds_patch) {
  int64_t id = rq->params.id[0];
  struct feed_in in = {0};
  struct store_stmt *st;
  int64_t kind_weather = 0;
  bool found = false;
  enum vt_err rc;
  if ((rc = read_body(rq, false, &in, err)) ||
      (rc = rows_require(rq->store, "SELECT 1 FROM feeds WHERE id = ?1", id, "feed", err)))
    return rc;
  if (in.forecast_url &&
      ((rc = store_query_int(rq->store, "SELECT kind = 'weather' FROM feeds WHERE id = ?1", id,
                             &found, &kind_weather, err)) ||
       !kind_weather))
    return rc ? rc
              : vt_error_set(err, VT_ERR_INVALID, "forecast_url",
                             "only a weather feed has a forecast_url");
  /* a new address starts over: no validators of the old one, fetched at once */
  if ((rc = store_prepare(
           rq->store,
           "UPDATE feeds SET name = coalesce(?2, name), url = coalesce(?3, url), "
           "forecast_url = CASE WHEN ?4 THEN ?5 ELSE forecast_url END, "
           "location_name = CASE WHEN ?6 THEN ?7 ELSE location_name END, "
           "lat = CASE WHEN ?8 THEN ?9 ELSE lat END, "
           "lon = CASE WHEN ?10 THEN ?11 ELSE lon END, "
           "refresh_s = coalesce(?12, refresh_s), updated_at = ?13, "
           "etag = CASE WHEN ?14 THEN NULL ELSE etag END, "
           "last_modified = CASE WHEN ?14 THEN NULL ELSE last_modified END, "
           "next_fetch_at = CASE WHEN ?14 THEN 0 ELSE next_fetch_at END WHERE id = ?1",
           &st, err)))
    return rc;
  bool moved = in.url || in.forecast_given;
  store_bind_int(st, 1, id);
  store_bind_text(st, 2, in.name);
  store_bind_text(st, 3, in.url);
  store_bind_int(st, 4, in.forecast_given);
  store_bind_text(st, 5, in.forecast_url);
  store_bind_int(st, 6, in.location_given);
  store_bind_text(st, 7, in.location_name);
  store_bind_int(st, 8, in.lat_given);
  bind_real_or_null(st, 9, in.lat_given, in.lat);
  store_bind_int(st, 10, in.lon_given);
  bind_real_or_null(st, 11, in.lon_given, in.lon);
  if (in.refresh_s)
    store_bind_int(st, 12, in.refresh_s);
  else
    store_bind_null(st, 12);
  store_bind_int(st, 13, rq->now_ms);
  store_bind_int(st, 14, moved);
  if ((rc = store_exec(st, err))) return rc;
  return reply_feed(rq, 200, id, err);
}

API_HANDLER(api_feeds_delete) {
  int64_t id = rq->params.id[0];
  char key[VT_SOURCE_KEY_MAX];
  struct store_stmt *st;
  enum vt_err rc;
  sources_key(key, false, id);
  if ((rc = rows_require(rq->store, "SELECT 1 FROM feeds WHERE id = ?1", id, "feed", err)) ||
      (rc = sources_check_unused(rq->store, key, err)))
    return rc;
  if ((rc = store_prepare(rq->store, "DELETE FROM feeds WHERE id = ?1", &st, err))) return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}

API_HANDLER(api_feeds_snapshot) {
  int64_t id = rq->params.id[0], version = 0;
  char key[VT_SOURCE_KEY_MAX];
  json_t *doc = NULL;
  enum vt_err rc;
  sources_key(key, false, id);
  if ((rc = rows_require(rq->store, "SELECT 1 FROM feeds WHERE id = ?1", id, "feed", err)) ||
      (rc = sources_snapshot(rq->store, key, &doc, &version, err)))
    return rc;
  return reply_json(rq, 200, doc);
}
