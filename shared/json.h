/* Typed getters over jansson that name the failing field ("items[2].duration_ms") in the
 * error, so every API and manifest error can say exactly what is wrong.
 * `path` is the path of the object being read ("" for the root); `key` is the member.
 * An absent optional member (or one that is null) leaves *out untouched and returns VT_OK. */
#ifndef VT_JSON_H
#define VT_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

#define VT_JSON_PATH_MAX VT_ERROR_FIELD_MAX

/* Strict parse: duplicate keys rejected, the whole buffer must be one value. The message
 * carries jansson's line and column. *out is a new reference. */
enum vt_err vt_json_parse(const char *buf, size_t len, json_t **out,
                          struct vt_error *err) VT_WARN_UNUSED;

/* The whole value must be an object (the root of every request body). */
enum vt_err vt_json_expect_object(const json_t *v, const char *path,
                                  struct vt_error *err) VT_WARN_UNUSED;

/* Reject members not in allowed (NULL-terminated), so a typo ("duraton_ms") is an error
 * instead of a silently ignored field. */
enum vt_err vt_json_only_keys(const json_t *obj, const char *path, const char *const *allowed,
                              struct vt_error *err) VT_WARN_UNUSED;

/* *out borrows from obj: valid while obj lives. Strings must be valid UTF-8 (jansson
 * guarantees it) and at most max_len bytes; min_len 1 rejects "". */
enum vt_err vt_json_str(const json_t *obj, const char *path, const char *key, bool required,
                        size_t min_len, size_t max_len, const char **out,
                        struct vt_error *err) VT_WARN_UNUSED;
enum vt_err vt_json_int(const json_t *obj, const char *path, const char *key, bool required,
                        int64_t min, int64_t max, int64_t *out, struct vt_error *err) VT_WARN_UNUSED;
enum vt_err vt_json_bool(const json_t *obj, const char *path, const char *key, bool required,
                         bool *out, struct vt_error *err) VT_WARN_UNUSED;
/* An RFC 3339 string, as milliseconds since the epoch. */
enum vt_err vt_json_time(const json_t *obj, const char *path, const char *key, bool required,
                         int64_t *out_ms, struct vt_error *err) VT_WARN_UNUSED;
/* *out borrows. max_items bounds the array length. */
enum vt_err vt_json_array(const json_t *obj, const char *path, const char *key, bool required,
                          size_t max_items, json_t **out, struct vt_error *err) VT_WARN_UNUSED;
enum vt_err vt_json_object(const json_t *obj, const char *path, const char *key, bool required,
                           json_t **out, struct vt_error *err) VT_WARN_UNUSED;

/* "path.key" (or "key" at the root) and "path[i]". Truncates rather than fails. */
void vt_json_path_key(char out[VT_JSON_PATH_MAX], const char *path, const char *key);
void vt_json_path_index(char out[VT_JSON_PATH_MAX], const char *path, size_t index);

/* "#rrggbb" or "#rrggbbaa" into 0xRRGGBBAA. */
bool vt_parse_color(const char *s, uint32_t *rgba);
void vt_format_color(uint32_t rgba, char out[10]);
/* New JSON strings in the one written form of each: RFC 3339 UTC, and "#rrggbb[aa]". NULL
 * only when out of memory. */
json_t *vt_json_time_new(int64_t ms);
json_t *vt_json_color_new(uint32_t rgba);

enum vt_err vt_json_color(const json_t *obj, const char *path, const char *key, bool required,
                          uint32_t *out, struct vt_error *err) VT_WARN_UNUSED;

#endif
