/* /api/v1/groups: named sets of displays (a display can be in several), the target of
 * schedule entries and overrides meant for many screens. Changing who is in a group
 * changes what its former and new members show, so those are recompiled; deleting a group
 * takes its entries and overrides with it (the schema cascades). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "json.h"
#include "reply.h"
#include "rows.h"
#include "store.h"

/* A group's members: a whole network's worth, far above any real group. */
#define GROUP_MEMBERS_MAX 100000

#define MEMBERS_SQL "SELECT display_id FROM group_members WHERE group_id = ?1"

static json_t *group_json(struct request *rq, struct store_stmt *st) {
  struct idset members = {0};
  struct vt_error ignored;
  int64_t id = store_col_int(st, 0);
  json_t *j = NULL;
  if (rows_ids(rq->store, MEMBERS_SQL, id, &members, &ignored) == VT_OK) {
    idset_seal(&members);
    j = json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)id, "name", store_col_text(st, 1),
                  "display_ids", fields_id_array(members.ids, members.n), "created_at",
                  vt_json_time_new(store_col_int(st, 2)), "updated_at",
                  vt_json_time_new(store_col_int(st, 3)));
  }
  idset_clear(&members);
  return j;
}

static enum vt_err reply_group(struct request *rq, int64_t id, unsigned status,
                               struct vt_error *err) {
  return reply_row(rq, status, "SELECT id, name, created_at, updated_at FROM groups WHERE id = ?1",
                   id, "group", group_json, err);
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* 400 naming the second place where an id of ids (n, given order, some listed twice) is. */
static enum vt_err report_twice(const int64_t *ids, size_t n, struct vt_error *err) {
  int64_t *sorted = malloc(n * sizeof *sorted), twice = 0;
  if (!sorted) return vt_error_no_memory(err);
  memcpy(sorted, ids, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_id);
  for (size_t i = 1; i < n && !twice; i++)
    if (sorted[i] == sorted[i - 1]) twice = sorted[i];
  free(sorted);
  size_t seen = 0, at = 0;
  for (size_t i = 0; i < n && seen < 2; i++)
    if (ids[i] == twice) seen++, at = i;
  char field[VT_JSON_PATH_MAX];
  vt_json_path_index(field, "display_ids", at);
  return vt_error_set(err, VT_ERR_INVALID, field, "display %lld is listed twice", (long long)twice);
}

/* body.display_ids into out (sealed): existing displays, each listed once. */
static enum vt_err read_members(struct request *rq, const json_t *arr, struct idset *out,
                                struct vt_error *err) {
  size_t i;
  json_t *elem;
  json_array_foreach(arr, i, elem) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_index(field, "display_ids", i);
    if (!json_is_integer(elem))
      return vt_error_set(err, VT_ERR_WRONG_TYPE, field, "'%s' must be a display id", field);
    int64_t id = json_integer_value(elem);
    enum vt_err rc =
        id < 1 ? vt_error_set(err, VT_ERR_INVALID, field, "there is no display %lld", (long long)id)
               : rows_require_ref(rq->store, "SELECT 1 FROM displays WHERE id = ?1", id, "display",
                                  field, err);
    if (rc != VT_OK) return rc;
    if (!idset_add(out, id)) return vt_error_no_memory(err);
  }
  size_t given = out->n;
  enum vt_err rc = VT_OK;
  int64_t *copy = NULL;
  /* sealing drops repeats; when it did, say where (from a copy in the given order) */
  if (given > 1 && !(copy = malloc(given * sizeof *copy))) return vt_error_no_memory(err);
  if (copy) memcpy(copy, out->ids, given * sizeof *copy);
  idset_seal(out);
  if (out->n != given) rc = report_twice(copy, given, err);
  free(copy);
  return rc;
}

/* Make group id's members exactly want (sealed); the displays that joined or left go into
 * the recompile set. Those that stay see no change. */
static enum vt_err save_members(struct request *rq, int64_t id, const struct idset *want,
                                struct vt_error *err) {
  struct idset had = {0};
  struct store_stmt *st;
  enum vt_err rc = rows_ids(rq->store, MEMBERS_SQL, id, &had, err);
  idset_seal(&had);
  for (size_t i = 0; rc == VT_OK && i < had.n; i++)
    if (!idset_has(want, had.ids[i]) && !idset_add(&rq->recompile, had.ids[i]))
      rc = vt_error_no_memory(err);
  for (size_t i = 0; rc == VT_OK && i < want->n; i++)
    if (!idset_has(&had, want->ids[i]) && !idset_add(&rq->recompile, want->ids[i]))
      rc = vt_error_no_memory(err);
  idset_clear(&had);
  if (rc ||
      (rc = store_prepare(rq->store, "DELETE FROM group_members WHERE group_id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  for (size_t i = 0; rc == VT_OK && i < want->n; i++) {
    if ((rc = store_prepare(rq->store,
                            "INSERT INTO group_members (group_id, display_id) VALUES (?1, ?2)", &st,
                            err)))
      break;
    store_bind_int(st, 1, id);
    store_bind_int(st, 2, want->ids[i]);
    rc = store_exec(st, err);
  }
  return rc;
}

/* Read and check the body: name (required on create), display_ids (optional; *given says
 * whether it is there). */
static enum vt_err read_body(struct request *rq, bool create, const char **name,
                             struct idset *members, bool *given, struct vt_error *err) {
  static const char *const keys[] = {"name", "display_ids", NULL};
  json_t *arr = NULL;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", create, name, err)) ||
      (rc = vt_json_array(rq->body, "", "display_ids", false, GROUP_MEMBERS_MAX, &arr, err)) ||
      (arr && (rc = read_members(rq, arr, members, err))))
    return rc;
  *given = arr != NULL;
  return VT_OK;
}

API_HANDLER(api_groups_create) {
  const char *name = NULL;
  struct idset members = {0};
  bool given = false, row = false;
  int64_t id = 0;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = read_body(rq, true, &name, &members, &given, err)) == VT_OK &&
      (rc = store_prepare(rq->store,
                          "INSERT INTO groups (name, created_at, updated_at) VALUES (?1, ?2, ?2) "
                          "RETURNING id",
                          &st, err)) == VT_OK) {
    store_bind_text(st, 1, name);
    store_bind_int(st, 2, rq->now_ms);
    if ((rc = store_step(st, &row, err)) == VT_OK && row) id = store_col_int(st, 0);
    store_done(st);
  }
  if (rc == VT_OK) rc = save_members(rq, id, &members, err);
  idset_clear(&members);
  return rc ? rc : reply_group(rq, id, 201, err);
}

API_HANDLER(api_groups_list) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      rq->store, "SELECT id, name, created_at, updated_at FROM groups ORDER BY id", &st, err);
  return rc ? rc : reply_rows(rq, st, group_json, err);
}

API_HANDLER(api_groups_get) { return reply_group(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_groups_patch) {
  int64_t id = rq->params.id[0];
  const char *name = NULL;
  struct idset members = {0};
  bool given = false;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = rows_require(rq->store, "SELECT 1 FROM groups WHERE id = ?1", id, "group", err)) ==
          VT_OK &&
      (rc = read_body(rq, false, &name, &members, &given, err)) == VT_OK &&
      (!given || (rc = save_members(rq, id, &members, err)) == VT_OK) &&
      (rc = store_prepare(rq->store,
                          "UPDATE groups SET name = coalesce(?2, name), updated_at = ?3 "
                          "WHERE id = ?1",
                          &st, err)) == VT_OK) {
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, name);
    store_bind_int(st, 3, rq->now_ms);
    rc = store_exec(st, err);
  }
  idset_clear(&members);
  return rc ? rc : reply_group(rq, id, 200, err);
}

API_HANDLER(api_groups_delete) {
  int64_t id = rq->params.id[0];
  struct store_stmt *st;
  enum vt_err rc;
  /* its entries and overrides cascade away: every member's manifest may change */
  if ((rc = rows_require(rq->store, "SELECT 1 FROM groups WHERE id = ?1", id, "group", err)) ||
      (rc = affected_by_group(rq->store, id, &rq->recompile, err)) ||
      (rc = store_prepare(rq->store, "DELETE FROM groups WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
