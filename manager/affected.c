#include "affected.h"

#include "rows.h"

/* Each query ends in the same step: the displays showing one of the layouts in l. */
#define DISPLAYS_OF_LAYOUTS                                                                        \
  " SELECT id FROM displays WHERE default_layout_id IN (SELECT id FROM l)"                         \
  " UNION SELECT display_id FROM schedules WHERE layout_id IN (SELECT id FROM l)"

enum vt_err affected_by_layout(struct store *s, int64_t layout_id, struct idset *out,
                               struct vt_error *err) {
  return rows_ids(s, "WITH l(id) AS (VALUES (?1))" DISPLAYS_OF_LAYOUTS, layout_id, out, err);
}

enum vt_err affected_by_playlist(struct store *s, int64_t playlist_id, struct idset *out,
                                 struct vt_error *err) {
  return rows_ids(
      s, "WITH l(id) AS (SELECT layout_id FROM regions WHERE playlist_id = ?1)" DISPLAYS_OF_LAYOUTS,
      playlist_id, out, err);
}

enum vt_err affected_by_media(struct store *s, const char *sha256, struct idset *out,
                              struct vt_error *err) {
  return rows_ids_text(s,
                       "WITH l(id) AS (SELECT r.layout_id FROM regions r JOIN playlist_items i"
                       " ON i.playlist_id = r.playlist_id WHERE i.media = ?1)" DISPLAYS_OF_LAYOUTS,
                       sha256, out, err);
}
