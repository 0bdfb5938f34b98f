/* Levelled log with a module tag, to stderr. A message repeated back to back is printed
 * once; the count is printed when a different message arrives, so a failure that repeats
 * every second on an unattended player does not fill the disk. Thread-safe. */
#ifndef VT_LOG_H
#define VT_LOG_H

enum vt_log_level { VT_LOG_DEBUG, VT_LOG_INFO, VT_LOG_WARN, VT_LOG_ERROR, VT_LOG_OFF };

/* Messages below this level are dropped. Default INFO, or $VITRINE_LOG
 * (debug|info|warn|error|off) read on the first call. */
void vt_log_set_level(enum vt_log_level level);

void vt_log(enum vt_log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define vt_debug(mod, ...) vt_log(VT_LOG_DEBUG, mod, __VA_ARGS__)
#define vt_info(mod, ...) vt_log(VT_LOG_INFO, mod, __VA_ARGS__)
#define vt_warn(mod, ...) vt_log(VT_LOG_WARN, mod, __VA_ARGS__)
#define vt_error(mod, ...) vt_log(VT_LOG_ERROR, mod, __VA_ARGS__)

/* "Cannot happen" paths: abort in debug builds, log and carry on in release, because an
 * unattended player must keep showing something rather than die. */
#ifdef NDEBUG
#define VT_NEVER(cond) \
  ((cond) ? (vt_log(VT_LOG_ERROR, "never", "%s:%d: %s", __FILE__, __LINE__, #cond), 1) : 0)
#else
#include <assert.h>
#define VT_NEVER(cond) ((cond) ? (assert(!(cond)), 1) : 0)
#endif

#endif
