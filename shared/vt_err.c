#include "vt_err.h"

#include <stdio.h>
#include <string.h>

static const struct {
  int status;
  const char *code;
  const char *message;
} err_table[] = {
#define VT_ERR_ROW(name, status, code, msg) {status, code, msg},
    VT_ERR_LIST(VT_ERR_ROW)
#undef VT_ERR_ROW
};

static int err_valid(enum vt_err e) { return (int)e >= 0 && e < VT_ERR__COUNT; }

int vt_err_http_status(enum vt_err e) { return err_valid(e) ? err_table[e].status : 500; }
const char *vt_err_code(enum vt_err e) { return err_valid(e) ? err_table[e].code : "internal"; }
const char *vt_err_message(enum vt_err e) {
  return err_valid(e) ? err_table[e].message : "internal error";
}

enum vt_err vt_error_vset(struct vt_error *err, enum vt_err code, const char *field,
                          const char *fmt, va_list ap) {
  if (!err) return code;
  err->code = code;
  snprintf(err->field, sizeof err->field, "%s", field ? field : "");
  if (fmt)
    vsnprintf(err->message, sizeof err->message, fmt, ap);
  else
    snprintf(err->message, sizeof err->message, "%s", vt_err_message(code));
  return code;
}

enum vt_err vt_error_set(struct vt_error *err, enum vt_err code, const char *field,
                         const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  enum vt_err r = vt_error_vset(err, code, field, fmt, ap);
  va_end(ap);
  return r;
}

enum vt_err vt_error_no_memory(struct vt_error *err) {
  return vt_error_set(err, VT_ERR_NO_MEMORY, "", NULL);
}

void vt_error_clear(struct vt_error *err) {
  if (err) memset(err, 0, sizeof *err);
}
