/* The one list of error kinds, with their HTTP status and default message.
 * Functions return enum vt_err (VT_OK == 0) and fill a caller-owned struct vt_error;
 * the API's {"error":{"code","message","field"}} is a direct serialisation of it. */
#ifndef VT_ERR_H
#define VT_ERR_H

#include <stdarg.h>

#define VT_WARN_UNUSED __attribute__((warn_unused_result))

/* X(NAME, http_status, code string, default message) */
#define VT_ERR_LIST(X)                                                                   \
  X(OK, 200, "ok", "ok")                                                                 \
  X(BAD_JSON, 400, "bad_json", "the body is not valid JSON")                             \
  X(MISSING, 400, "missing", "a required field is missing")                              \
  X(WRONG_TYPE, 400, "wrong_type", "a field has the wrong type")                         \
  X(INVALID, 400, "invalid", "a field has an invalid value")                             \
  X(UNAUTHORIZED, 401, "unauthorized", "a valid token is required")                      \
  X(FORBIDDEN, 403, "forbidden", "this token may not do that")                           \
  X(NOT_FOUND, 404, "not_found", "no such resource")                                     \
  X(METHOD_NOT_ALLOWED, 405, "method_not_allowed", "method not allowed on this resource") \
  X(CONFLICT, 409, "conflict", "the resource is in use or already exists")               \
  X(TOO_LARGE, 413, "too_large", "the body is too large")                                \
  X(UNSUPPORTED_MEDIA, 415, "unsupported_media_type", "unsupported content type")        \
  X(RANGE, 416, "range_not_satisfiable", "the requested range is not satisfiable")       \
  X(CORRUPT, 422, "corrupt", "the data does not match its checksum or format")           \
  X(IO, 500, "io", "an input/output error occurred")                                     \
  X(NO_MEMORY, 500, "no_memory", "out of memory")                                        \
  X(INTERNAL, 500, "internal", "internal error")                                         \
  X(UNAVAILABLE, 503, "unavailable", "the service is not reachable")

enum vt_err {
#define VT_ERR_ENUM(name, status, code, msg) VT_ERR_##name,
  VT_ERR_LIST(VT_ERR_ENUM)
#undef VT_ERR_ENUM
  VT_ERR__COUNT
};
#define VT_OK VT_ERR_OK

#define VT_ERROR_FIELD_MAX 128
#define VT_ERROR_MESSAGE_MAX 256

struct vt_error {
  enum vt_err code;
  char field[VT_ERROR_FIELD_MAX];     /* JSON path of the offending field, "" if none */
  char message[VT_ERROR_MESSAGE_MAX]; /* human-readable, specific */
};

int vt_err_http_status(enum vt_err e);
const char *vt_err_code(enum vt_err e);    /* "bad_json", ... */
const char *vt_err_message(enum vt_err e); /* the default message */

/* Fill err (may be NULL) and return code, so callers can write
 * `return vt_error_set(err, VT_ERR_INVALID, "items[0].duration_ms", "must be > 0");`
 * fmt may be NULL for the default message. */
enum vt_err vt_error_set(struct vt_error *err, enum vt_err code, const char *field,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
enum vt_err vt_error_vset(struct vt_error *err, enum vt_err code, const char *field,
                          const char *fmt, va_list ap);
void vt_error_clear(struct vt_error *err);
/* The out-of-memory error, the one every allocation failure reports. */
enum vt_err vt_error_no_memory(struct vt_error *err);

#endif
