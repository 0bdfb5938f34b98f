/* A set of int64 ids (display ids mostly): append freely, then idset_seal sorts and drops
 * duplicates once, so adding the thousands of displays a popular playlist reaches stays
 * O(n log n). */
#ifndef MANAGER_IDSET_H
#define MANAGER_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idset {
  int64_t *ids;
  size_t n, cap;
};

bool idset_add(struct idset *s, int64_t id)
    __attribute__((warn_unused_result));           /* false: no memory */
void idset_seal(struct idset *s);                  /* sort ascending and remove duplicates */
bool idset_has(const struct idset *s, int64_t id); /* only after idset_seal */
void idset_clear(struct idset *s);                 /* frees; the set stays usable */

#endif
