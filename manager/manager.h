/* The manager's context: what a request handler may reach. Passed explicitly everywhere;
 * there is no global state, so a test can run two managers in one process. */
#ifndef MANAGER_MANAGER_H
#define MANAGER_MANAGER_H

#include <stdbool.h>
#include <stdint.h>

#include <limits.h>

#include "vt_err.h"


struct store;
struct hub;

/* Where a data directory keeps things. Media files are DIR/media/<sha256>; uploads are
 * spooled in DIR/tmp (same file system, so the final rename is atomic). */
struct paths {
  char data[PATH_MAX];
  char media[PATH_MAX];
  char tmp[PATH_MAX];
  char db[PATH_MAX];
};

/* Fill p for data_dir and create the directories (mode 0755) if missing. */
enum vt_err paths_init(struct paths *p, const char *data_dir, struct vt_error *err) VT_WARN_UNUSED;

struct manager {
  struct paths paths;
  struct store *store; /* the HTTP thread's connection; nobody else uses it */
  struct hub *hub;     /* thread-safe */
};

#endif
