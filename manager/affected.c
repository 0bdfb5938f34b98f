#include "affected.h"

#include "rows.h"

/* Each query defines p (the playlists changed) and l (the layouts showing one of them, or
 * the layout changed), then ends in the same step: the displays whose manifest can name
 * one of those. t is the targets of the entries and overrides using them; a group target
 * reaches its members. */
#define DISPLAYS_OF(P, L)                                                                          \
  "WITH p(id) AS (" P "), l(id) AS (" L                                                            \
  "),"                                                                                             \
  " t(display_id, group_id) AS ("                                                                  \
  "  SELECT display_id, group_id FROM schedule_entries"                                            \
  "   WHERE layout_id IN (SELECT id FROM l) OR playlist_id IN (SELECT id FROM p)"                  \
  "  UNION SELECT display_id, group_id FROM overrides WHERE layout_id IN (SELECT id FROM l))"      \
  " SELECT id FROM displays WHERE default_layout_id IN (SELECT id FROM l)"                         \
  " UNION SELECT display_id FROM t WHERE display_id IS NOT NULL"                                   \
  " UNION SELECT m.display_id FROM group_members m JOIN t ON m.group_id = t.group_id"

enum vt_err affected_by_layout(struct store *s, int64_t layout_id, struct idset *out,
                               struct vt_error *err) {
  return rows_ids(s, DISPLAYS_OF("SELECT NULL WHERE 0", "VALUES (?1)"), layout_id, out, err);
}

enum vt_err affected_by_playlist(struct store *s, int64_t playlist_id, struct idset *out,
                                 struct vt_error *err) {
  return rows_ids(
      s, DISPLAYS_OF("VALUES (?1)", "SELECT layout_id FROM regions WHERE playlist_id = ?1"),
      playlist_id, out, err);
}

enum vt_err affected_by_media(struct store *s, const char *sha256, struct idset *out,
                              struct vt_error *err) {
  return rows_ids_text(
      s,
      DISPLAYS_OF("SELECT playlist_id FROM playlist_items WHERE media = ?1",
                  "SELECT layout_id FROM regions WHERE playlist_id IN (SELECT id FROM p)"),
      sha256, out, err);
}

enum vt_err affected_by_group(struct store *s, int64_t group_id, struct idset *out,
                              struct vt_error *err) {
  return rows_ids(s, "SELECT display_id FROM group_members WHERE group_id = ?1", group_id, out,
                  err);
}

enum vt_err affected_by_target(struct store *s, int64_t display_id, int64_t group_id,
                               struct idset *out, struct vt_error *err) {
  if (display_id) return idset_add(out, display_id) ? VT_OK : vt_error_no_memory(err);
  return affected_by_group(s, group_id, out, err);
}
