#include "fields.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "recur.h"
#include "vt_limits.h"

enum vt_err fields_nullable_id(const json_t *obj, const char *path, const char *key, bool *present,
                               int64_t *id, struct vt_error *err) {
  json_t *v = json_object_get(obj, key);
  *present = v != NULL;
  *id = 0;
  if (!v || json_is_null(v)) return VT_OK;
  return vt_json_int(obj, path, key, true, 1, INT64_MAX, id, err);
}

enum vt_err fields_nullable_str(const json_t *obj, const char *path, const char *key,
                                size_t min_len, size_t max_len, bool *present, const char **out,
                                struct vt_error *err) {
  json_t *v = json_object_get(obj, key);
  *present = v != NULL;
  *out = NULL;
  if (!v || json_is_null(v)) return VT_OK;
  return vt_json_str(obj, path, key, true, min_len, max_len, out, err);
}

enum vt_err fields_target(const json_t *obj, bool create, int64_t *display_id, int64_t *group_id,
                          struct vt_error *err) {
  bool has_display, has_group;
  int64_t display, group;
  enum vt_err rc;
  if ((rc = fields_nullable_id(obj, "", "display_id", &has_display, &display, err)) ||
      (rc = fields_nullable_id(obj, "", "group_id", &has_group, &group, err)))
    return rc;
  if (display && group)
    return vt_error_set(err, VT_ERR_INVALID, "group_id",
                        "give either 'display_id' or 'group_id', not both");
  if (has_display) *display_id = display;
  if (has_group) *group_id = group;
  if (display) *group_id = 0;
  if (group) *display_id = 0;
  if (!*display_id && !*group_id)
    return vt_error_set(err, VT_ERR_MISSING, has_group && !has_display ? "group_id" : "display_id",
                        create ? "'display_id' or 'group_id' is required"
                               : "a target is required: give 'display_id' or 'group_id'");
  return VT_OK;
}

enum vt_err fields_duration(const json_t *obj, const char *path, const char *key, bool *present,
                            int64_t *seconds, struct vt_error *err) {
  const char *s = NULL;
  enum vt_err rc = fields_nullable_str(obj, path, key, 1, RECUR_DURATION_LEN, present, &s, err);
  if (rc != VT_OK || !s) {
    *present = false;
    return rc;
  }
  if (!recur_duration_parse(s, seconds) || *seconds < 1 || *seconds > FIELDS_DURATION_MAX_S) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field,
                        "'%s' must be a duration such as PT10M, PT5H30M or P1D, of 1 second to "
                        "366 days",
                        key);
  }
  return VT_OK;
}

enum vt_err fields_query_id(const char *value, const char *key, int64_t *out,
                            struct vt_error *err) {
  *out = 0;
  if (!value) return VT_OK;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(value, &end, 10);
  if (*value < '0' || *value > '9' || *end || v < 1 || errno == ERANGE)
    return vt_error_set(err, VT_ERR_INVALID, key, "the %s filter must be a positive integer", key);
  *out = v;
  return VT_OK;
}

enum vt_err fields_name(const json_t *obj, const char *path, const char *key, bool required,
                        const char **out, struct vt_error *err) {
  return vt_json_str(obj, path, key, required, 1, VT_LIMIT_NAME_BYTES, out, err);
}

bool fields_text_ok(const char *s, size_t min, size_t max) {
  size_t len = strlen(s);
  json_t *probe = len >= min && len <= max ? json_string(s) : NULL; /* NULL unless UTF-8 */
  json_decref(probe);
  return probe != NULL;
}

json_t *fields_id_or_null(int64_t id) { return id ? json_integer(id) : json_null(); }

json_t *fields_id_array(const int64_t *ids, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++)
    if (json_array_append_new(a, json_integer(ids[i])) != 0) {
      json_decref(a);
      a = NULL;
    }
  return a;
}
