#include "idset.h"

#include <stdlib.h>

bool idset_add(struct idset *s, int64_t id) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    int64_t *ids = realloc(s->ids, cap * sizeof *ids);
    if (!ids) return false;
    s->ids = ids;
    s->cap = cap;
  }
  s->ids[s->n++] = id;
  return true;
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

void idset_seal(struct idset *s) {
  if (s->n < 2) return;
  qsort(s->ids, s->n, sizeof *s->ids, cmp_id);
  size_t w = 1;
  for (size_t r = 1; r < s->n; r++)
    if (s->ids[r] != s->ids[w - 1]) s->ids[w++] = s->ids[r];
  s->n = w;
}

bool idset_has(const struct idset *s, int64_t id) {
  return s->n && bsearch(&id, s->ids, s->n, sizeof *s->ids, cmp_id) != NULL;
}

void idset_clear(struct idset *s) {
  free(s->ids);
  s->ids = NULL;
  s->n = s->cap = 0;
}
