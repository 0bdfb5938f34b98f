/* The preview: what a display shows at the start of each minute of a range
 * (docs/scheduling.md, "Preview"). The manifest is built for exactly that range by the
 * compiler (compile_build) and each minute is answered by the player's own timeline
 * function (vt_timeline_at), so the dashboard and `vitrine-manager timeline` say what the
 * screen shows. Serves GET /api/v1/displays/{id}/timeline (api_timeline.c) and the CLI
 * (cli_timeline.c). */
#ifndef MANAGER_PREVIEW_H
#define MANAGER_PREVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "manifest.h"
#include "recur.h"
#include "store.h"
#include "timeline.h"
#include "vt_err.h"

#define PREVIEW_STEP_MS 60000LL
/* A week of minutes is 10,080 entries (a few MB of JSON): enough to check a whole
 * manifest horizon, small enough to answer in one reply. */
#define PREVIEW_MAX_MS VT_HORIZON_MS
#define PREVIEW_DEFAULT_MS (24LL * 3600 * 1000)

/* The query's from and to (RFC 3339; NULL when absent) as a range: from defaults to now
 * rounded down to the minute, to to from + 24 h. VT_ERR_INVALID naming "from" or "to" when
 * one does not parse, when to is not after from, or when the range is longer than
 * PREVIEW_MAX_MS. */
enum vt_err preview_range(const char *from, const char *to, int64_t now_ms, int64_t *from_ms,
                          int64_t *to_ms, struct vt_error *err) VT_WARN_UNUSED;

struct preview {
  struct vt_manifest *m; /* owned; built for [from_ms, to_ms), valid_until 0 (no clamp) */
  int64_t from_ms, to_ms;
};

/* One minute: the instant, its wall-clock time in the display's zone and the frame. */
struct preview_minute {
  int64_t at_ms;
  struct recur_local local;
  int offset_s; /* local - UTC */
  const struct vt_timeline_frame *frame; /* borrowed for the call only */
};
/* Called for each minute in order; return false to stop. */
typedef bool (*preview_fn)(void *ctx, const struct preview_minute *minute);

/* Build display_id's manifest for [from_ms, to_ms). VT_ERR_NOT_FOUND for an unknown
 * display. On success the caller calls preview_close. */
enum vt_err preview_open(struct store *s, int64_t display_id, int64_t from_ms, int64_t to_ms,
                         struct preview *out, struct vt_error *err) VT_WARN_UNUSED;
void preview_close(struct preview *p);

/* Every minute from from_ms while before to_ms. */
enum vt_err preview_each(const struct preview *p, preview_fn fn, void *ctx,
                         struct vt_error *err) VT_WARN_UNUSED;

/* The API's document: {"display_id","timezone","from","to","minutes":[...]}. *out is a new
 * reference. */
enum vt_err preview_json(const struct preview *p, json_t **out,
                         struct vt_error *err) VT_WARN_UNUSED;

#endif
