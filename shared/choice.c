#include "choice.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "vt_limits.h"

bool vt_choice_parse(const struct vt_choice *table, const char *name, int *out) {
  for (const struct vt_choice *c = table; c->name; c++)
    if (strcmp(c->name, name) == 0) {
      *out = c->value;
      return true;
    }
  return false;
}

const char *vt_choice_name(const struct vt_choice *table, int value) {
  for (const struct vt_choice *c = table; c->name; c++)
    if (c->value == value) return c->name;
  return NULL;
}

enum vt_err vt_json_choice(const json_t *obj, const char *path, const char *key, bool required,
                           const struct vt_choice *table, int *out, struct vt_error *err) {
  const char *s = NULL;
  enum vt_err rc = vt_json_str(obj, path, key, required, 1, VT_LIMIT_NAME_BYTES, &s, err);
  if (rc != VT_OK || !s) return rc;
  if (vt_choice_parse(table, s, out)) return VT_OK;
  char allowed[160] = "";
  size_t used = 0;
  for (const struct vt_choice *c = table; c->name && used < sizeof allowed; c++) {
    int n = snprintf(allowed + used, sizeof allowed - used, "%s%s", used ? ", " : "", c->name);
    if (n < 0) break;
    used += (size_t)n;
  }
  char field[VT_JSON_PATH_MAX];
  vt_json_path_key(field, path, key);
  return vt_error_set(err, VT_ERR_INVALID, field, "'%s' must be one of: %s", key, allowed);
}
