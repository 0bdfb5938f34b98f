/* JSON field helpers the API needs on top of shared/json.h: references that may be null
 * (null clears, absent keeps), names, and ids that may be null. Times and colours are
 * written with shared/json.h's vt_json_time_new and vt_json_color_new. */
#ifndef MANAGER_FIELDS_H
#define MANAGER_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

/* obj[key] as an id reference that may be null: *present says whether the key is there,
 * *id is 0 for null. shared/json.h treats null as absent, which PATCH cannot use. */
enum vt_err fields_nullable_id(const json_t *obj, const char *path, const char *key, bool *present,
                               int64_t *id, struct vt_error *err) VT_WARN_UNUSED;

/* A display name of 1..VT_LIMIT_NAME_BYTES bytes. */
enum vt_err fields_name(const json_t *obj, const char *path, const char *key, bool required,
                        const char **out, struct vt_error *err) VT_WARN_UNUSED;

/* Is s UTF-8 of min..max bytes? For names that do not come through JSON (a query string,
 * the command line), which could otherwise break every later reply that shows them. */
bool fields_text_ok(const char *s, size_t min, size_t max);

/* A new JSON value (NULL when out of memory, which json_pack's "o" turns into a failure). */
json_t *fields_id_or_null(int64_t id); /* 0 -> null */

#endif
