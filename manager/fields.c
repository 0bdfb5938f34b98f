#include "fields.h"

#include <string.h>

#include "json.h"
#include "vt_limits.h"

enum vt_err fields_nullable_id(const json_t *obj, const char *path, const char *key, bool *present,
                               int64_t *id, struct vt_error *err) {
  json_t *v = json_object_get(obj, key);
  *present = v != NULL;
  *id = 0;
  if (!v || json_is_null(v)) return VT_OK;
  return vt_json_int(obj, path, key, true, 1, INT64_MAX, id, err);
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
