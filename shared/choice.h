/* String <-> enum tables for manifest and API values ("fit": "contain" | "cover" ...),
 * so each mapping is written once and errors can list the allowed names. */
#ifndef VT_CHOICE_H
#define VT_CHOICE_H

#include <jansson.h>
#include <stdbool.h>

#include "vt_err.h"

struct vt_choice {
  const char *name;
  int value;
};
/* Tables end with {NULL, 0}. */

bool vt_choice_parse(const struct vt_choice *table, const char *name, int *out);
const char *vt_choice_name(const struct vt_choice *table, int value); /* NULL if unknown */

/* Read obj[key] as one of the table's names. Absent optional member: *out untouched. */
enum vt_err vt_json_choice(const json_t *obj, const char *path, const char *key, bool required,
                           const struct vt_choice *table, int *out,
                           struct vt_error *err) VT_WARN_UNUSED;

#endif
