#include "json.h"

#include <stdio.h>
#include <string.h>

#include "timeutil.h"

void vt_json_path_key(char out[VT_JSON_PATH_MAX], const char *path, const char *key) {
  if (!path || !*path)
    snprintf(out, VT_JSON_PATH_MAX, "%s", key);
  else
    snprintf(out, VT_JSON_PATH_MAX, "%s.%s", path, key);
}

void vt_json_path_index(char out[VT_JSON_PATH_MAX], const char *path, size_t index) {
  snprintf(out, VT_JSON_PATH_MAX, "%s[%zu]", path ? path : "", index);
}

enum vt_err vt_json_parse(const char *buf, size_t len, json_t **out, struct vt_error *err) {
  json_error_t je;
  *out = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
  if (!*out)
    return vt_error_set(err, VT_ERR_BAD_JSON, "", "invalid JSON at line %d column %d: %s", je.line,
                        je.column, je.text);
  return VT_OK;
}

enum vt_err vt_json_expect_object(const json_t *v, const char *path, struct vt_error *err) {
  if (!json_is_object(v))
    return vt_error_set(err, VT_ERR_WRONG_TYPE, path, "expected a JSON object");
  return VT_OK;
}

enum vt_err vt_json_only_keys(const json_t *obj, const char *path, const char *const *allowed,
                              struct vt_error *err) {
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)obj, key, value) {
    (void)value;
    bool known = false;
    for (const char *const *a = allowed; *a; a++)
      if (strcmp(*a, key) == 0) {
        known = true;
        break;
      }
    if (!known) {
      char field[VT_JSON_PATH_MAX];
      vt_json_path_key(field, path, key);
      return vt_error_set(err, VT_ERR_INVALID, field, "unknown field '%s'", key);
    }
  }
  return VT_OK;
}

/* Looks up key; returns NULL both when absent and when null. Sets *missing_err when a
 * required member is absent. */
static json_t *member(const json_t *obj, const char *path, const char *key, bool required,
                      enum vt_err *rc, struct vt_error *err) {
  json_t *v = json_object_get(obj, key);
  *rc = VT_OK;
  if (!v || json_is_null(v)) {
    if (required) {
      char field[VT_JSON_PATH_MAX];
      vt_json_path_key(field, path, key);
      *rc = vt_error_set(err, VT_ERR_MISSING, field, "'%s' is required", key);
    }
    return NULL;
  }
  return v;
}

static enum vt_err wrong_type(const char *path, const char *key, const char *want,
                              struct vt_error *err) {
  char field[VT_JSON_PATH_MAX];
  vt_json_path_key(field, path, key);
  return vt_error_set(err, VT_ERR_WRONG_TYPE, field, "'%s' must be %s", key, want);
}

enum vt_err vt_json_str(const json_t *obj, const char *path, const char *key, bool required,
                        size_t min_len, size_t max_len, const char **out, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_string(v)) return wrong_type(path, key, "a string", err);
  size_t len = json_string_length(v);
  const char *s = json_string_value(v);
  if (len != strlen(s)) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must not contain NUL characters", key);
  }
  if (len < min_len || len > max_len) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must be %zu to %zu bytes long", key,
                        min_len, max_len);
  }
  *out = s;
  return VT_OK;
}

enum vt_err vt_json_int(const json_t *obj, const char *path, const char *key, bool required,
                        int64_t min, int64_t max, int64_t *out, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_integer(v)) return wrong_type(path, key, "an integer", err);
  json_int_t i = json_integer_value(v);
  if (i < min || i > max) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must be between %lld and %lld", key,
                        (long long)min, (long long)max);
  }
  *out = i;
  return VT_OK;
}

enum vt_err vt_json_bool(const json_t *obj, const char *path, const char *key, bool required,
                         bool *out, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_boolean(v)) return wrong_type(path, key, "true or false", err);
  *out = json_is_true(v);
  return VT_OK;
}

enum vt_err vt_json_time(const json_t *obj, const char *path, const char *key, bool required,
                         int64_t *out_ms, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_string(v)) return wrong_type(path, key, "an RFC 3339 time string", err);
  if (!vt_time_parse(json_string_value(v), out_ms)) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field,
                        "'%s' must be an RFC 3339 time such as 2026-12-01T08:30:00Z", key);
  }
  return VT_OK;
}

enum vt_err vt_json_array(const json_t *obj, const char *path, const char *key, bool required,
                          size_t max_items, json_t **out, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_array(v)) return wrong_type(path, key, "an array", err);
  if (json_array_size(v) > max_items) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' has more than %zu entries", key,
                        max_items);
  }
  *out = v;
  return VT_OK;
}

enum vt_err vt_json_object(const json_t *obj, const char *path, const char *key, bool required,
                           json_t **out, struct vt_error *err) {
  enum vt_err rc;
  json_t *v = member(obj, path, key, required, &rc, err);
  if (!v) return rc;
  if (!json_is_object(v)) return wrong_type(path, key, "an object", err);
  *out = v;
  return VT_OK;
}

static int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool vt_parse_color(const char *s, uint32_t *rgba) {
  if (!s || s[0] != '#') return false;
  size_t n = strlen(s + 1);
  if (n != 6 && n != 8) return false;
  uint32_t v = 0;
  for (size_t i = 1; i <= n; i++) {
    int d = hex_nibble(s[i]);
    if (d < 0) return false;
    v = (v << 4) | (uint32_t)d;
  }
  *rgba = n == 6 ? (v << 8) | 0xffu : v;
  return true;
}

void vt_format_color(uint32_t rgba, char out[10]) {
  if ((rgba & 0xff) == 0xff)
    snprintf(out, 10, "#%06x", rgba >> 8);
  else
    snprintf(out, 10, "#%08x", rgba);
}

json_t *vt_json_time_new(int64_t ms) {
  char buf[VT_RFC3339_MAX];
  vt_time_format(ms, buf);
  return json_string(buf);
}

json_t *vt_json_color_new(uint32_t rgba) {
  char buf[10];
  vt_format_color(rgba, buf);
  return json_string(buf);
}

enum vt_err vt_json_color(const json_t *obj, const char *path, const char *key, bool required,
                          uint32_t *out, struct vt_error *err) {
  const char *s = NULL;
  enum vt_err rc = vt_json_str(obj, path, key, required, 0, 16, &s, err);
  if (rc != VT_OK || !s) return rc;
  if (!vt_parse_color(s, out)) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_key(field, path, key);
    return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must be a colour like #rrggbb or #rrggbbaa",
                        key);
  }
  return VT_OK;
}
