/* Periodic renewal: recompile every display so the manifests' 7-day horizon rolls forward
 * (a schedule entry entering or leaving the horizon is a real change), at start-up and
 * every hour. Announces only the versions that changed. */
#ifndef MANAGER_RENEW_H
#define MANAGER_RENEW_H

#include <stddef.h>
#include <stdint.h>

#include "hub.h"
#include "store.h"
#include "vt_err.h"

/* One write transaction per display, so the HTTP thread never waits on a long one.
 * hub may be NULL (start-up, before anyone listens). *changed counts new versions. */
enum vt_err renew_all(struct store *s, struct hub *hub, int64_t now_ms, size_t *changed,
                      struct vt_error *err) VT_WARN_UNUSED;

#endif
