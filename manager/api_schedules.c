/* /api/v1/schedules: schedule entries (docs/scheduling.md). An entry is written in local
 * wall-clock time, read in the zone of each display it reaches, so it is stored as local
 * text, never as instants. A body is applied onto a struct entry (a new one, or the stored
 * one), checked whole with recur.h (the code the compiler expands it with, so what is
 * accepted here is what compiles) and only then written. Every display the entry reached
 * before the write and reaches after it is recompiled. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affected.h"
#include "api.h"
#include "fields.h"
#include "json.h"
#include "recur.h"
#include "reply.h"
#include "rows.h"
#include "store.h"
#include "timeutil.h"
#include "vt_limits.h"

#define ENTRY_COLUMNS                                                                              \
  "id, name, display_id, group_id, layout_id, region, playlist_id, start_local, duration_s, "      \
  "rrule, exdates, valid_from, valid_until, priority, created_at, updated_at"

/* Longest accepted text of a local time or date member: "YYYY-MM-DDTHH:MM:SS" and some
 * room for what a user might write instead (an offset, a fraction), which gets a precise
 * error rather than a length complaint. */
#define ENTRY_TIME_MAX 40
/* A rule longer than this is a list of dates dressed up as a rule. */
#define ENTRY_RRULE_MAX 1024
/* Left-out occurrences: three years of daily exceptions. */
#define ENTRY_EXDATES_MAX 1000
/* "YYYY-MM-DD" + NUL */
#define ENTRY_DATE_LEN 11

struct entry {
  int64_t id, display_id, group_id, layout_id, playlist_id, duration_s, priority;
  int64_t created_ms, updated_ms;
  char *name, *region, *rrule; /* owned; region and rrule NULL when absent */
  struct recur_local start;
  struct recur_local *exdates; /* owned */
  size_t n_exdates;
  bool has_valid_from, has_valid_until;
  struct recur_local valid_from, valid_until;
};

static void entry_free(struct entry *e) {
  free(e->name);
  free(e->region);
  free(e->rrule);
  free(e->exdates);
  memset(e, 0, sizeof *e);
}

/* Replace *dst by a copy of src (NULL: by NULL). */
static enum vt_err set_text(char **dst, const char *src, struct vt_error *err) {
  char *copy = NULL;
  if (src && !(copy = strdup(src))) return vt_error_no_memory(err);
  free(*dst);
  *dst = copy;
  return VT_OK;
}

static void date_text(const struct recur_local *d, char out[ENTRY_DATE_LEN]) {
  snprintf(out, ENTRY_DATE_LEN, "%04u-%02u-%02u", (unsigned)d->year % 10000u,
           (unsigned)d->month % 100u, (unsigned)d->day % 100u);
}

static struct recur_local entry_end(const struct entry *e) {
  struct recur_local end;
  recur_local_from_seconds(recur_local_seconds(&e->start) + e->duration_s, &end);
  return end;
}

/* ---- the stored form -------------------------------------------------------------------- */

/* The stored exdates into e. */
static bool exdates_from_text(const char *text, struct entry *e) {
  char bad[RECUR_BASIC_LEN];
  size_t cap = 0;
  return recur_local_list_parse(text, &e->exdates, &cap, &e->n_exdates, bad);
}

/* A row of ENTRY_COLUMNS into e (zeroed; the caller frees it, also on error). */
static enum vt_err entry_from_row(struct store_stmt *st, struct entry *e, struct vt_error *err) {
  e->id = store_col_int(st, 0);
  e->display_id = store_col_null(st, 2) ? 0 : store_col_int(st, 2);
  e->group_id = store_col_null(st, 3) ? 0 : store_col_int(st, 3);
  e->layout_id = store_col_int(st, 4);
  e->playlist_id = store_col_null(st, 6) ? 0 : store_col_int(st, 6);
  e->duration_s = store_col_int(st, 8);
  e->priority = store_col_int(st, 13);
  e->created_ms = store_col_int(st, 14);
  e->updated_ms = store_col_int(st, 15);
  enum vt_err rc;
  if ((rc = set_text(&e->name, store_col_text(st, 1), err)) ||
      (rc = set_text(&e->region, store_col_null(st, 5) ? NULL : store_col_text(st, 5), err)) ||
      (rc = set_text(&e->rrule, store_col_null(st, 9) ? NULL : store_col_text(st, 9), err)))
    return rc;
  e->has_valid_from = !store_col_null(st, 11);
  e->has_valid_until = !store_col_null(st, 12);
  /* the store is written only by this file; a row it cannot read back is a bug */
  if (!recur_local_parse(store_col_text(st, 7), &e->start) ||
      !exdates_from_text(store_col_text(st, 10), e) ||
      (e->has_valid_from && !recur_date_parse(store_col_text(st, 11), &e->valid_from)) ||
      (e->has_valid_until && !recur_date_parse(store_col_text(st, 12), &e->valid_until)))
    return vt_error_set(err, VT_ERR_INTERNAL, "", "schedule entry %lld is stored unreadably",
                        (long long)e->id);
  return VT_OK;
}

static json_t *exdates_json(const struct entry *e) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < e->n_exdates; i++) {
    char iso[RECUR_ISO_LEN];
    recur_local_iso(&e->exdates[i], iso);
    if (json_array_append_new(a, json_string(iso)) != 0) {
      json_decref(a);
      a = NULL;
    }
  }
  return a;
}

static json_t *entry_json(const struct entry *e) {
  char start[RECUR_ISO_LEN], end[RECUR_ISO_LEN], duration[RECUR_DURATION_LEN];
  char from[ENTRY_DATE_LEN], until[ENTRY_DATE_LEN];
  struct recur_local end_l = entry_end(e);
  recur_local_iso(&e->start, start);
  recur_local_iso(&end_l, end);
  recur_duration_format(e->duration_s, duration);
  date_text(&e->valid_from, from);
  date_text(&e->valid_until, until);
  return json_pack(
      "{s:I, s:s, s:o, s:o, s:I, s:s?, s:o, s:s, s:s, s:s, s:s?, s:o, s:s?, s:s?, s:I, s:o, s:o}",
      "id", (json_int_t)e->id, "name", e->name ? e->name : "", "display_id",
      fields_id_or_null(e->display_id), "group_id", fields_id_or_null(e->group_id), "layout_id",
      (json_int_t)e->layout_id, "region", e->region, "playlist_id",
      fields_id_or_null(e->playlist_id), "start", start, "end", end, "duration", duration, "rrule",
      e->rrule, "exdates", exdates_json(e), "valid_from", e->has_valid_from ? from : NULL,
      "valid_until", e->has_valid_until ? until : NULL, "priority", (json_int_t)e->priority,
      "created_at", vt_json_time_new(e->created_ms), "updated_at", vt_json_time_new(e->updated_ms));
}

static json_t *row_json(struct request *rq, struct store_stmt *st) {
  (void)rq;
  struct entry e = {0};
  struct vt_error ignored;
  json_t *j = entry_from_row(st, &e, &ignored) == VT_OK ? entry_json(&e) : NULL;
  entry_free(&e);
  return j;
}

/* Load entry id into e (zeroed; the caller frees it); 404 if absent. */
static enum vt_err entry_load(struct store *s, int64_t id, struct entry *e, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc =
      store_prepare(s, "SELECT " ENTRY_COLUMNS " FROM schedule_entries WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (!row)
      rc =
          vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no schedule entry %lld", (long long)id);
    else
      rc = entry_from_row(st, e, err);
  }
  store_done(st);
  return rc;
}

static enum vt_err reply_entry(struct request *rq, int64_t id, unsigned status,
                               struct vt_error *err) {
  struct entry e = {0};
  enum vt_err rc = entry_load(rq->store, id, &e, err);
  json_t *body = rc == VT_OK ? entry_json(&e) : NULL;
  entry_free(&e);
  return rc ? rc : reply_json(rq, status, body);
}

/* ---- reading a body ------------------------------------------------------------------- */

/* A local time member. 'Z' or an offset gets its own reason: the same entry is read in the
 * zone of every display it reaches, so an instant would mean nothing. */
static enum vt_err local_time(const char *s, const char *field, struct recur_local *out,
                              struct vt_error *err) {
  if (recur_local_parse(s, out)) return VT_OK;
  const char *t = strpbrk(s, "Tt ");
  if (t && strpbrk(t, "Zz+-"))
    return vt_error_set(err, VT_ERR_INVALID, field,
                        "'%s' must be a local time without Z or offset: it is read in each "
                        "display's time zone",
                        field);
  return vt_error_set(err, VT_ERR_INVALID, field,
                      "'%s' must be an existing local time such as 2026-12-01T06:00:00", field);
}

static enum vt_err local_date(const char *s, const char *field, struct recur_local *out,
                              struct vt_error *err) {
  if (recur_date_parse(s, out)) return VT_OK;
  return vt_error_set(err, VT_ERR_INVALID, field,
                      "'%s' must be an existing date such as 2026-12-01", field);
}

/* body.exdates (an array of local times) replaces e's. */
static enum vt_err apply_exdates(const json_t *arr, struct entry *e, struct vt_error *err) {
  size_t n = json_array_size(arr), i;
  struct recur_local *v = n ? calloc(n, sizeof *v) : NULL;
  if (n && !v) return vt_error_no_memory(err);
  json_t *elem;
  json_array_foreach(arr, i, elem) {
    char field[VT_JSON_PATH_MAX];
    vt_json_path_index(field, "exdates", i);
    enum vt_err rc = VT_OK;
    if (!json_is_string(elem))
      rc = vt_error_set(err, VT_ERR_WRONG_TYPE, field, "'%s' must be a string", field);
    else
      rc = local_time(json_string_value(elem), field, &v[i], err);
    if (rc != VT_OK) {
      free(v);
      return rc;
    }
  }
  free(e->exdates);
  e->exdates = v;
  e->n_exdates = n;
  return VT_OK;
}

/* The length from body.end or body.duration (exactly one on create; either replaces it on
 * a PATCH). Runs after start is applied: an end is read against the new start. */
static enum vt_err apply_length(const char *end, bool has_duration, int64_t duration, bool create,
                                struct entry *e, struct vt_error *err) {
  if (end && has_duration)
    return vt_error_set(err, VT_ERR_INVALID, "duration",
                        "give either 'end' or 'duration', not both");
  if (end) {
    struct recur_local end_l;
    enum vt_err rc = local_time(end, "end", &end_l, err);
    if (rc != VT_OK) return rc;
    int64_t d = recur_local_seconds(&end_l) - recur_local_seconds(&e->start);
    if (d <= 0) return vt_error_set(err, VT_ERR_INVALID, "end", "'end' must be after 'start'");
    if (d > FIELDS_DURATION_MAX_S)
      return vt_error_set(err, VT_ERR_INVALID, "end",
                          "an occurrence lasts at most 366 days: use 'rrule' or "
                          "'valid_from'/'valid_until' for longer plans");
    e->duration_s = d;
  } else if (has_duration) {
    e->duration_s = duration;
  } else if (create) {
    return vt_error_set(err, VT_ERR_MISSING, "end", "'end' or 'duration' is required");
  }
  /* the end must stay writable as a four-digit year, like every time the API answers */
  static const struct recur_local last = {9999, 12, 31, 23, 59, 59};
  if (recur_local_seconds(&e->start) + e->duration_s > recur_local_seconds(&last))
    return vt_error_set(err, VT_ERR_INVALID,
                        end            ? "end"
                        : has_duration ? "duration"
                                       : "start",
                        "the first occurrence must end before the year 10000");
  return VT_OK;
}

/* Apply the body onto e (zeroed for a new entry, where the required members must be
 * there). Only the body's own form is checked here; check_entry does the rest. */
static enum vt_err apply_body(struct request *rq, bool create, struct entry *e,
                              struct vt_error *err) {
  static const char *const keys[] = {"name",        "display_id",  "group_id", "layout_id",
                                     "region",      "playlist_id", "start",    "end",
                                     "duration",    "rrule",       "exdates",  "valid_from",
                                     "valid_until", "priority",    NULL};
  const json_t *b = rq->body;
  const char *name = NULL, *region = NULL, *start = NULL, *end = NULL, *rrule = NULL, *from = NULL,
             *until = NULL;
  bool has_region, has_playlist, has_duration, has_rrule, has_from, has_until;
  int64_t playlist = 0, duration = 0;
  json_t *exdates = NULL;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(b, "", keys, err)) ||
      (rc = vt_json_str(b, "", "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = fields_target(b, create, &e->display_id, &e->group_id, err)) ||
      (rc = vt_json_int(b, "", "layout_id", create, 1, INT64_MAX, &e->layout_id, err)) ||
      (rc = fields_nullable_str(b, "", "region", 1, VT_LIMIT_NAME_BYTES, &has_region, &region,
                                err)) ||
      (rc = fields_nullable_id(b, "", "playlist_id", &has_playlist, &playlist, err)) ||
      (rc = vt_json_str(b, "", "start", create, 1, ENTRY_TIME_MAX, &start, err)) ||
      (rc = vt_json_str(b, "", "end", false, 1, ENTRY_TIME_MAX, &end, err)) ||
      (rc = fields_duration(b, "", "duration", &has_duration, &duration, err)) ||
      (rc = fields_nullable_str(b, "", "rrule", 1, ENTRY_RRULE_MAX, &has_rrule, &rrule, err)) ||
      (rc = vt_json_array(b, "", "exdates", false, ENTRY_EXDATES_MAX, &exdates, err)) ||
      (rc = fields_nullable_str(b, "", "valid_from", 1, ENTRY_TIME_MAX, &has_from, &from, err)) ||
      (rc =
           fields_nullable_str(b, "", "valid_until", 1, ENTRY_TIME_MAX, &has_until, &until, err)) ||
      (rc = vt_json_int(b, "", "priority", false, VT_PRIORITY_MIN, VT_PRIORITY_MAX, &e->priority,
                        err)))
    return rc;
  if ((name && (rc = set_text(&e->name, name, err))) ||
      (has_region && (rc = set_text(&e->region, region, err))) ||
      (has_rrule && (rc = set_text(&e->rrule, rrule, err))))
    return rc;
  if (has_playlist) e->playlist_id = playlist;
  if (!e->region != !e->playlist_id)
    return vt_error_set(err, VT_ERR_INVALID, e->region ? "playlist_id" : "region",
                        "a region entry needs both 'region' and 'playlist_id' (or neither)");
  if ((start && (rc = local_time(start, "start", &e->start, err))) ||
      (rc = apply_length(end, has_duration, duration, create, e, err)))
    return rc;
  if (json_is_null(json_object_get(b, "exdates"))) {
    free(e->exdates);
    e->exdates = NULL;
    e->n_exdates = 0;
  } else if (exdates && (rc = apply_exdates(exdates, e, err))) {
    return rc;
  }
  if (has_from) e->has_valid_from = from != NULL;
  if (has_until) e->has_valid_until = until != NULL;
  if ((from && (rc = local_date(from, "valid_from", &e->valid_from, err))) ||
      (until && (rc = local_date(until, "valid_until", &e->valid_until, err))))
    return rc;
  if (e->has_valid_from && e->has_valid_until &&
      recur_local_seconds(&e->valid_until) < recur_local_seconds(&e->valid_from))
    return vt_error_set(err, VT_ERR_INVALID, "valid_until",
                        "'valid_until' (the last day) is before 'valid_from'");
  return VT_OK;
}

/* Does layout_id have a region called name? */
static enum vt_err check_region(struct store *s, int64_t layout_id, const char *name,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc =
      store_prepare(s, "SELECT 1 FROM regions WHERE layout_id = ?1 AND name = ?2", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, layout_id);
  store_bind_text(st, 2, name);
  bool row = false;
  rc = store_step(st, &row, err);
  store_done(st);
  if (rc == VT_OK && !row)
    rc = vt_error_set(err, VT_ERR_INVALID, "region", "layout %lld has no region '%s'",
                      (long long)layout_id, name);
  return rc;
}

/* libical stops at year 2582 and a sign's schedule lives in this century: a year outside
 * this range is a typo, said as such rather than as a rule libical cannot expand. */
#define ENTRY_YEAR_MIN 1970
#define ENTRY_YEAR_MAX 2500
/* At most one showing every 5 minutes on average: a denser rule is a mistake, and every
 * showing is a manifest window a player holds for a week (VT_LIMIT_WINDOWS per display). */
#define ENTRY_MAX_PER_DAY 288
/* A local time is within 14 hours of UTC in every zone. */
#define ZONE_SLACK_MS (14LL * 3600 * 1000)
#define DAY_MS (24LL * 3600 * 1000)

static enum vt_err check_years(const struct entry *e, struct vt_error *err) {
  const struct {
    bool given;
    const struct recur_local *t;
    const char *field;
  } dates[] = {{true, &e->start, "start"},
               {e->has_valid_from, &e->valid_from, "valid_from"},
               {e->has_valid_until, &e->valid_until, "valid_until"}};
  for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
    if (dates[i].given && (dates[i].t->year < ENTRY_YEAR_MIN || dates[i].t->year > ENTRY_YEAR_MAX))
      return vt_error_set(err, VT_ERR_INVALID, dates[i].field, "the year must be %d to %d",
                          ENTRY_YEAR_MIN, ENTRY_YEAR_MAX);
  return VT_OK;
}

struct exdate_hits {
  const struct recur_local *exdates;
  size_t n;
  bool *hit;
  int64_t last_s; /* the latest exdate, as local seconds */
};

static bool mark_exdate(void *ctx, const struct recur_local *occ) {
  struct exdate_hits *h = ctx;
  int64_t t = recur_local_seconds(occ);
  for (size_t i = 0; i < h->n; i++)
    if (recur_local_seconds(&h->exdates[i]) == t) h->hit[i] = true;
  return t < h->last_s;
}

/* Every exdate must be an occurrence of the rule: one that is not (a typo, or a start moved
 * since) would silently leave the holiday it was meant for on the schedule. */
static enum vt_err check_exdates(const struct recur_entry *re, struct vt_error *err) {
  if (re->rule.n_exdates == 0) return VT_OK;
  struct recur_rule all = re->rule;
  all.exdates = NULL;
  all.n_exdates = 0;
  struct exdate_hits h = {re->rule.exdates, re->rule.n_exdates,
                          calloc(re->rule.n_exdates, sizeof(bool)), INT64_MIN};
  if (!h.hit) return vt_error_no_memory(err);
  for (size_t i = 0; i < h.n; i++)
    if (recur_local_seconds(&h.exdates[i]) > h.last_s) h.last_s = recur_local_seconds(&h.exdates[i]);
  struct recur_local limit;
  recur_local_from_seconds(h.last_s + 1, &limit);
  enum vt_err rc = recur_expand(&all, &limit, mark_exdate, &h, err);
  for (size_t i = 0; rc == VT_OK && i < h.n; i++) {
    char field[32], when[RECUR_ISO_LEN];
    snprintf(field, sizeof field, "exdates[%zu]", i);
    recur_local_iso(&h.exdates[i], when);
    if (!h.hit[i])
      rc = vt_error_set(err, VT_ERR_INVALID, field, "%s is not an occurrence of this entry", when);
    for (size_t k = 0; rc == VT_OK && k < i; k++)
      if (recur_local_seconds(&h.exdates[k]) == recur_local_seconds(&h.exdates[i]))
        rc = vt_error_set(err, VT_ERR_INVALID, field, "%s is listed twice", when);
  }
  free(h.hit);
  return rc;
}

struct window_count {
  int64_t first_end_ms; /* end of the first window found, 0: none yet */
  size_t n;
  size_t max;
};

static bool first_window(void *ctx, int64_t start_ms, int64_t end_ms) {
  (void)start_ms;
  ((struct window_count *)ctx)->first_end_ms = end_ms;
  return false;
}

static bool count_window(void *ctx, int64_t start_ms, int64_t end_ms) {
  (void)start_ms;
  (void)end_ms;
  struct window_count *c = ctx;
  return ++c->n <= c->max;
}

/* Expand the entry the way the manifest compiler will, in the zone of every display it
 * reaches, from its first showing that is not over yet for a week: an entry whose showings
 * are all in the past, that libical cannot expand there, or that shows more than
 * ENTRY_MAX_PER_DAY times a day is refused now, not dropped later by the compiler. */
static enum vt_err check_as_compiled(struct request *rq, const struct entry *e,
                                     const struct recur_entry *re, struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      rq->store,
      "SELECT DISTINCT timezone FROM displays WHERE id = ?1 OR id IN "
      "(SELECT display_id FROM group_members WHERE group_id = ?2) "
      "UNION SELECT 'UTC' ORDER BY 1",
      &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, e->display_id);
  store_bind_int(st, 2, e->group_id);
  const char *field = e->rrule ? "rrule" : "start";
  bool row = true;
  while (rc == VT_OK && (rc = store_step(st, &row, err)) == VT_OK && row) {
    const char *zone = store_col_text(st, 0);
    struct window_count c = {0, 0, 7 * ENTRY_MAX_PER_DAY};
    int64_t from = rq->now_ms - ZONE_SLACK_MS;
    if ((rc = recur_entry_windows(re, zone, from, from + RECUR_SEARCH_YEARS * 366 * DAY_MS,
                                  first_window, &c, err)))
      break;
    if (!c.first_end_ms) {
      rc = vt_error_set(err, VT_ERR_INVALID, e->has_valid_until ? "valid_until" : field,
                        "this entry has no showing from now on (looked %d years ahead)",
                        RECUR_SEARCH_YEARS);
      break;
    }
    from = c.first_end_ms - 1;
    if ((rc = recur_entry_windows(re, zone, from, from + 7 * DAY_MS, count_window, &c, err)))
      break;
    if (c.n > c.max)
      rc = vt_error_set(err, VT_ERR_INVALID, field,
                        "this entry shows more than %d times a day; a schedule allows one "
                        "showing every 5 minutes on average",
                        ENTRY_MAX_PER_DAY);
  }
  store_done(st);
  if (rc != VT_OK && !err->field[0]) snprintf(err->field, sizeof err->field, "%s", field);
  return rc;
}

/* Everything the body alone cannot tell: references, the region, and the rule. */
static enum vt_err check_entry(struct request *rq, const struct entry *e, struct vt_error *err) {
  struct store *s = rq->store;
  enum vt_err rc;
  if ((e->display_id && (rc = rows_require_ref(s, "SELECT 1 FROM displays WHERE id = ?1",
                                               e->display_id, "display", "display_id", err))) ||
      (e->group_id && (rc = rows_require_ref(s, "SELECT 1 FROM groups WHERE id = ?1", e->group_id,
                                             "group", "group_id", err))) ||
      (rc = rows_require_ref(s, "SELECT 1 FROM layouts WHERE id = ?1", e->layout_id, "layout",
                             "layout_id", err)) ||
      (e->playlist_id && (rc = rows_require_ref(s, "SELECT 1 FROM playlists WHERE id = ?1",
                                                e->playlist_id, "playlist", "playlist_id", err))) ||
      (e->region && (rc = check_region(s, e->layout_id, e->region, err))))
    return rc;
  struct recur_entry re = {
      .rule = {.dtstart = e->start,
               .rrule = e->rrule,
               .exdates = e->exdates,
               .n_exdates = e->n_exdates},
      .duration_s = e->duration_s,
      .has_valid_from = e->has_valid_from,
      .has_valid_until = e->has_valid_until,
      .valid_from = e->valid_from,
      .valid_until = e->valid_until,
  };
  if ((rc = check_years(e, err)) ||
      (e->rrule && (rc = recur_rule_check_schedule(&re.rule, "rrule", err))) ||
      (rc = recur_entry_check_occurs(&re, err)) || (rc = check_exdates(&re, err)))
    return rc;
  return check_as_compiled(rq, e, &re, err);
}

/* ---- writing -------------------------------------------------------------------------- */

/* e's exdates in the stored form (new string, caller frees; NULL: no memory). */
static char *exdates_text(const struct entry *e) {
  char *text = malloc(e->n_exdates * RECUR_BASIC_LEN + 1);
  if (!text) return NULL;
  text[0] = '\0';
  for (size_t i = 0; i < e->n_exdates; i++) {
    char *at = text + i * RECUR_BASIC_LEN;
    if (i) at[-1] = ',';
    recur_local_basic(&e->exdates[i], at);
  }
  return text;
}

/* Insert (e->id 0: receives the new id) or update the entry's row. */
static enum vt_err entry_save(struct store *s, struct entry *e, int64_t now_ms,
                              struct vt_error *err) {
  char start[RECUR_BASIC_LEN], from[ENTRY_DATE_LEN], until[ENTRY_DATE_LEN];
  char *exdates = exdates_text(e);
  if (!exdates) return vt_error_no_memory(err);
  struct store_stmt *st;
  enum vt_err rc = store_prepare(
      s,
      e->id ? "UPDATE schedule_entries SET name = ?2, display_id = ?3, group_id = ?4, "
              "layout_id = ?5, region = ?6, playlist_id = ?7, start_local = ?8, duration_s = ?9, "
              "rrule = ?10, exdates = ?11, valid_from = ?12, valid_until = ?13, priority = ?14, "
              "updated_at = ?15 WHERE id = ?1 RETURNING id"
            : "INSERT INTO schedule_entries (name, display_id, group_id, layout_id, region, "
              "playlist_id, start_local, duration_s, rrule, exdates, valid_from, valid_until, "
              "priority, created_at, updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
              "?11, ?12, ?13, ?14, ?15, ?15) RETURNING id",
      &st, err);
  if (rc != VT_OK) {
    free(exdates);
    return rc;
  }
  recur_local_basic(&e->start, start);
  date_text(&e->valid_from, from);
  date_text(&e->valid_until, until);
  if (e->id) store_bind_int(st, 1, e->id);
  store_bind_text(st, 2, e->name ? e->name : "");
  if (e->display_id) store_bind_int(st, 3, e->display_id);
  if (e->group_id) store_bind_int(st, 4, e->group_id);
  store_bind_int(st, 5, e->layout_id);
  store_bind_text(st, 6, e->region);
  if (e->playlist_id) store_bind_int(st, 7, e->playlist_id);
  store_bind_text(st, 8, start);
  store_bind_int(st, 9, e->duration_s);
  store_bind_text(st, 10, e->rrule);
  store_bind_text(st, 11, exdates);
  store_bind_text(st, 12, e->has_valid_from ? from : NULL);
  store_bind_text(st, 13, e->has_valid_until ? until : NULL);
  store_bind_int(st, 14, e->priority);
  store_bind_int(st, 15, now_ms);
  free(exdates);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) e->id = store_col_int(st, 0);
  store_done(st);
  return rc;
}

/* The displays e reaches now go into the request's recompile set. */
static enum vt_err recompile(struct request *rq, const struct entry *e, struct vt_error *err) {
  return affected_by_target(rq->store, e->display_id, e->group_id, &rq->recompile, err);
}

/* ---- handlers ------------------------------------------------------------------------- */

API_HANDLER(api_schedules_create) {
  struct entry e = {0};
  enum vt_err rc;
  if ((rc = apply_body(rq, true, &e, err)) == VT_OK && (rc = check_entry(rq, &e, err)) == VT_OK &&
      (rc = entry_save(rq->store, &e, rq->now_ms, err)) == VT_OK &&
      (rc = recompile(rq, &e, err)) == VT_OK)
    rc = reply_entry(rq, e.id, 201, err);
  entry_free(&e);
  return rc;
}

/* ?display_id=N: the entries reaching display N, directly or through one of its groups;
 * ?group_id=N: the entries for group N. Both: both must hold. */
API_HANDLER(api_schedules_list) {
  return reply_target_rows(rq, "SELECT " ENTRY_COLUMNS " FROM schedule_entries", "start_local, id",
                           row_json, err);
}

API_HANDLER(api_schedules_get) { return reply_entry(rq, rq->params.id[0], 200, err); }

API_HANDLER(api_schedules_patch) {
  struct entry e = {0};
  enum vt_err rc;
  /* the displays it reached before (a moved entry leaves them) and those it reaches after */
  if ((rc = entry_load(rq->store, rq->params.id[0], &e, err)) == VT_OK &&
      (rc = recompile(rq, &e, err)) == VT_OK && (rc = apply_body(rq, false, &e, err)) == VT_OK &&
      (rc = check_entry(rq, &e, err)) == VT_OK &&
      (rc = entry_save(rq->store, &e, rq->now_ms, err)) == VT_OK &&
      (rc = recompile(rq, &e, err)) == VT_OK)
    rc = reply_entry(rq, e.id, 200, err);
  entry_free(&e);
  return rc;
}

API_HANDLER(api_schedules_delete) {
  struct entry e = {0};
  struct store_stmt *st = NULL;
  enum vt_err rc;
  if ((rc = entry_load(rq->store, rq->params.id[0], &e, err)) == VT_OK &&
      (rc = recompile(rq, &e, err)) == VT_OK &&
      (rc = store_prepare(rq->store, "DELETE FROM schedule_entries WHERE id = ?1", &st, err)) ==
          VT_OK) {
    store_bind_int(st, 1, e.id);
    rc = store_exec(st, err);
  }
  entry_free(&e);
  return rc ? rc : reply_empty(rq, 204);
}
