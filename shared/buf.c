#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Start small (most bodies are a few hundred bytes) and double, so a large body costs a
 * logarithmic number of copies. */
#define BUF_INITIAL 4096

enum vt_err vt_buf_append(struct vt_buf *b, const void *data, size_t n) {
  if (n > SIZE_MAX - b->len - 1) return VT_ERR_NO_MEMORY;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : BUF_INITIAL;
    while (cap < b->len + n + 1) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) return VT_ERR_NO_MEMORY;
    b->data = grown;
    b->cap = cap;
  }
  if (n) memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
  return VT_OK;
}

char *vt_buf_take(struct vt_buf *b, size_t *len) {
  char *d = b->data;
  if (len) *len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return d;
}

void vt_buf_free(struct vt_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
