/* A growable byte buffer, always NUL-terminated so a JSON or text body can be handed to a
 * parser as is. The size cap is the caller's job (it knows which limit applies and what error
 * to give); this only grows, hands over and frees. */
#ifndef VT_BUF_H
#define VT_BUF_H

#include <stddef.h>

#include "vt_err.h"

struct vt_buf {
  char *data; /* NULL until the first append */
  size_t len;
  size_t cap;
};

/* Append n bytes; VT_ERR_NO_MEMORY leaves the buffer as it was. */
enum vt_err vt_buf_append(struct vt_buf *b, const void *data, size_t n) VT_WARN_UNUSED;
/* Hand the bytes to the caller (who frees them) and leave the buffer empty. */
char *vt_buf_take(struct vt_buf *b, size_t *len);
void vt_buf_free(struct vt_buf *b); /* frees the bytes, leaves it empty and reusable */

#endif
