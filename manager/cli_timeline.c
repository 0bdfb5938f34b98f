/* `vitrine-manager timeline DISPLAY_ID --data DIR [--day YYYY-MM-DD] [--json]`: what each
 * region of a display shows through one local day (docs/scheduling.md, "Preview"). The
 * day runs from local midnight to the next, converted with the display's zone, so a
 * daylight-saving day has 23 or 25 hours. The table has a line per change; --json prints
 * the API's preview document for the same range. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "fsutil.h"
#include "preview.h"
#include "recur.h"
#include "store.h"
#include "timeutil.h"

/* What makes two minutes the same line: layout, its source, and each region's playlist
 * with the entry that put it there. */
struct run_key {
  int64_t layout_id;
  int window_index; /* the source window, -1 default or nothing */
  size_t n_regions;
  int64_t playlist_id[VT_LIMIT_REGIONS];
  int region_window[VT_LIMIT_REGIONS];
};

struct table {
  const struct vt_manifest *m;
  bool open; /* a run is pending */
  struct run_key key;
  char first[6], last[6]; /* "HH:MM" of the run's first and last minute */
  char desc[16384];
};

static void key_of(const struct vt_timeline_frame *f, struct run_key *k) {
  memset(k, 0, sizeof *k);
  k->layout_id = f->layout ? f->layout->id : 0;
  k->window_index = f->window_index;
  k->n_regions = f->n_regions;
  for (size_t r = 0; r < f->n_regions; r++) {
    k->playlist_id[r] = f->regions[r].playlist ? f->regions[r].playlist->id : 0;
    k->region_window[r] = f->regions[r].window_index;
  }
}

static void addf(struct table *t, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void addf(struct table *t, size_t *len, const char *fmt, ...) {
  if (*len >= sizeof t->desc) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t->desc + *len, sizeof t->desc - *len, fmt, ap);
  va_end(ap);
  if (n > 0) *len += (size_t)n;
}

/* "Breakfast (layout 1, entry 5)  menu: Menu | photo: Promo (entry 7)" */
static void describe(struct table *t, const struct vt_timeline_frame *f) {
  size_t len = 0;
  t->desc[0] = '\0';
  if (!f->layout) {
    addf(t, &len, "nothing (no schedule, no default layout)");
    return;
  }
  addf(t, &len, "%s (layout %lld, ", f->layout->name, (long long)f->layout->id);
  if (f->window_index < 0) {
    addf(t, &len, "default)");
  } else {
    const struct vt_window *w = &t->m->windows[f->window_index];
    addf(t, &len, "%s%s %lld)", w->target == VT_TARGET_GROUP ? "group " : "",
         w->kind == VT_WINDOW_OVERRIDE ? "override" : "entry", (long long)w->source_id);
  }
  for (size_t r = 0; r < f->n_regions; r++) {
    const struct vt_region_now *rn = &f->regions[r];
    addf(t, &len, "%s%s: %s", r ? " | " : "  ", rn->region->name,
         rn->playlist ? rn->playlist->name : "-");
    if (rn->window_index >= 0)
      addf(t, &len, " (entry %lld)", (long long)t->m->windows[rn->window_index].source_id);
  }
}

static void flush(struct table *t) {
  if (t->open) printf("%s-%s  %s\n", t->first, t->last, t->desc);
  t->open = false;
}

static bool table_minute(void *ctx, const struct preview_minute *pm) {
  struct table *t = ctx;
  struct run_key k;
  key_of(pm->frame, &k);
  char hhmm[6];
  snprintf(hhmm, sizeof hhmm, "%02u:%02u", (unsigned)pm->local.hour % 24u,
           (unsigned)pm->local.minute % 60u);
  if (!t->open || memcmp(&k, &t->key, sizeof k) != 0) {
    flush(t);
    memcpy(&t->key, &k, sizeof k);
    t->open = true;
    memcpy(t->first, hhmm, sizeof hhmm);
    describe(t, pm->frame);
  }
  memcpy(t->last, hhmm, sizeof hhmm);
  return true;
}

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "vitrine-manager timeline: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return EXIT_USAGE;
}

/* The display's zone; VT_ERR_NOT_FOUND for an unknown display. */
static enum vt_err display_zone(struct store *s, int64_t id, char *zone, size_t size,
                                struct vt_error *err) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, "SELECT timezone FROM displays WHERE id = ?1", &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, id);
  bool row = false;
  if ((rc = store_step(st, &row, err)) == VT_OK) {
    if (row)
      snprintf(zone, size, "%s", store_col_text(st, 0));
    else
      rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no display %lld", (long long)id);
  }
  store_done(st);
  return rc;
}

/* [local midnight of day, local midnight of the next day) in zone, as UTC. */
static enum vt_err day_range(const char *zone, const struct recur_local *day, int64_t *from_ms,
                             int64_t *to_ms, struct vt_error *err) {
  struct recur_local next;
  recur_local_from_seconds(recur_local_seconds(day) + 24 * 3600, &next);
  enum vt_err rc = recur_local_to_utc(zone, day, from_ms, err);
  return rc ? rc : recur_local_to_utc(zone, &next, to_ms, err);
}

static enum vt_err print_day(struct store *s, int64_t id, const struct recur_local *day_opt,
                             bool json, struct vt_error *err) {
  char zone[256];
  struct recur_local day;
  int64_t from_ms, to_ms;
  int offset;
  enum vt_err rc;
  if ((rc = display_zone(s, id, zone, sizeof zone, err))) return rc;
  if (day_opt) {
    day = *day_opt;
  } else {
    if ((rc = recur_utc_to_local(zone, vt_now_ms(), &day, &offset, err))) return rc;
    day.hour = day.minute = day.second = 0;
  }
  struct preview p = {0};
  if ((rc = day_range(zone, &day, &from_ms, &to_ms, err)) ||
      (rc = preview_open(s, id, from_ms, to_ms, &p, err)))
    return rc;
  if (json) {
    json_t *doc = NULL;
    if ((rc = preview_json(&p, &doc, err)) == VT_OK) {
      json_dumpf(doc, stdout, JSON_COMPACT);
      putchar('\n');
    }
    json_decref(doc);
  } else {
    struct table *t = calloc(1, sizeof *t);
    if (!t) {
      preview_close(&p);
      return vt_error_no_memory(err);
    }
    t->m = p.m;
    printf("%s (display %lld)  %s  %04d-%02d-%02d (%lld h)\n", p.m->display_name, (long long)id,
           zone, day.year, day.month, day.day, (long long)((to_ms - from_ms) / 3600000));
    if ((rc = preview_each(&p, table_minute, t, err)) == VT_OK) flush(t);
    free(t);
  }
  preview_close(&p);
  return rc;
}

int cli_timeline(const struct config *cfg) {
  if (cfg->n_args != 1) return usage_error("%s", "exactly one DISPLAY_ID is required");
  char *end = NULL;
  long long id = strtoll(cfg->args[0], &end, 10);
  if (!*cfg->args[0] || *end || id < 1)
    return usage_error("DISPLAY_ID must be a positive integer, got '%s'", cfg->args[0]);
  struct recur_local day;
  if (cfg->day && !recur_date_parse(cfg->day, &day))
    return usage_error("--day must be a date YYYY-MM-DD, got '%s'", cfg->day);

  char db[4096];
  if (!vt_path_join(db, sizeof db, cfg->data, "vitrine.db") || access(db, F_OK) != 0) {
    /* a read-only command must not create a data directory from a typo */
    fprintf(stderr, "vitrine-manager timeline: no database in '%s'\n", cfg->data);
    return 1;
  }
  struct store *s = NULL;
  struct vt_error err = {0};
  enum vt_err rc;
  if ((rc = store_open(db, &s, &err)) == VT_OK && (rc = store_begin(s, false, &err)) == VT_OK) {
    rc = print_day(s, id, cfg->day ? &day : NULL, cfg->json, &err);
    store_rollback(s); /* nothing was written */
  }
  store_free(s);
  fflush(stdout);
  if (rc != VT_OK) {
    fprintf(stderr, "vitrine-manager timeline: %s%s%s\n", err.field, err.field[0] ? ": " : "",
            err.message);
    return 1;
  }
  return 0;
}
