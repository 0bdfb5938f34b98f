/* JSON field helpers the API needs on top of shared/json.h: references and strings that may
 * be null (null clears, absent keeps), names, ids that may be null, the display-or-group
 * target of schedule entries and overrides, durations, and id filters in query strings.
 * Times and colours are written with shared/json.h's vt_json_time_new and vt_json_color_new. */
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

/* obj[key] as a string of min_len..max_len bytes that may be null: *present says whether
 * the key is there, *out is NULL for null (borrowed from obj otherwise). */
enum vt_err fields_nullable_str(const json_t *obj, const char *path, const char *key,
                                size_t min_len, size_t max_len, bool *present, const char **out,
                                struct vt_error *err) VT_WARN_UNUSED;

/* The target of a schedule entry or an override: exactly one of display_id and group_id
 * (0 = none). A non-null member given replaces the target and clears the other; null clears
 * that one. create: one is required. Both given: 400 on group_id; none left: 400 missing
 * display_id. References are not looked up here. */
enum vt_err fields_target(const json_t *obj, bool create, int64_t *display_id, int64_t *group_id,
                          struct vt_error *err) VT_WARN_UNUSED;

/* The longest single occurrence of an entry, and the longest override given by duration:
 * a year (a leap one). Longer plans are a recurrence, a validity period, a display's
 * default layout or an override without end; the cap also keeps every end inside the
 * years RFC 3339 can write and bounds how far back the compiler looks for an occurrence
 * still running. */
#define FIELDS_DURATION_MAX_S (366LL * 24 * 3600)

/* obj[key] as an RFC 5545 duration ("PT10M", "P1D") of 1 s .. FIELDS_DURATION_MAX_S;
 * *present false when absent or null. */
enum vt_err fields_duration(const json_t *obj, const char *path, const char *key, bool *present,
                            int64_t *seconds, struct vt_error *err) VT_WARN_UNUSED;

/* A query-string id filter (`?display_id=3`): value NULL leaves *out 0; anything but a
 * positive integer is 400 naming key. */
enum vt_err fields_query_id(const char *value, const char *key, int64_t *out,
                            struct vt_error *err) VT_WARN_UNUSED;

/* A display name of 1..VT_LIMIT_NAME_BYTES bytes. */
enum vt_err fields_name(const json_t *obj, const char *path, const char *key, bool required,
                        const char **out, struct vt_error *err) VT_WARN_UNUSED;

/* Is s UTF-8 of min..max bytes? For names that do not come through JSON (a query string,
 * the command line), which could otherwise break every later reply that shows them. */
bool fields_text_ok(const char *s, size_t min, size_t max);

/* A new JSON value (NULL when out of memory, which json_pack's "o" turns into a failure). */
json_t *fields_id_or_null(int64_t id);                 /* 0 -> null */
json_t *fields_id_array(const int64_t *ids, size_t n); /* [ids...] in the given order */

#endif
