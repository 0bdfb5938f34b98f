/* compile.c and affected.c on a real store: what goes into a manifest (entries through
 * groups, overrides, region entries, validity, local time in each display's zone across
 * daylight saving), what the shared timeline then shows, the version rule (unchanged content
 * keeps its version, a new day brings one), broken rows left out, a batch cache (same
 * bytes, never stale after an edit), the content hash (found and remembered without
 * extra dumps), and which displays a change reaches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "affected.h"
#include "compile.h"
#include "hash.h"
#include "store.h"
#include "test_manager_util.h"
#include "timeline.h"
#include "timeutil.h"
#include "vt_limits.h"

#define DAY (24LL * 3600 * 1000)
#define HOUR (3600LL * 1000)
#define D1 1796083200000LL /* 2026-12-01T00:00:00Z */
#define SHA "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

/* display ids of the fixture */
enum { D_UTC = 1, D_UTC2 = 2, D_BARE = 3, D_TEHRAN = 4, D_LA = 5, D_BERLIN = 6 };
/* group ids: G_BOTH = {1, 2}, G_CAFES = {4, 5}, G_EMPTY = {} */
enum { G_BOTH = 1, G_CAFES = 2, G_EMPTY = 3 };
/* layouts: L_BREAKFAST (region "main" plays P_MENU), L_LUNCH ("side" plays P_SOUP),
 * L_ALERT ("main", empty) */
enum { L_BREAKFAST = 1, L_LUNCH = 2, L_ALERT = 3 };
enum { P_MENU = 1, P_SOUP = 2, P_PROMO = 3 };

static void exec(struct store *s, const char *sql) { tmp_exec(s, sql, VT_OK); }

static int setup(void **state) {
  struct tmp_store *c = calloc(1, sizeof *c);
  *state = c;
  if (tmp_store_open(c) != 0) return -1;
  exec(c->s,
       "INSERT INTO media (sha256, size, type, created_at) VALUES ('" SHA "', 10, 'image/png', 1)");
  exec(c->s, "INSERT INTO playlists (id, name, created_at, updated_at) VALUES (1, 'Menu', 1, 1),"
             " (2, 'Soup', 1, 1), (3, 'Promo', 1, 1)");
  exec(c->s,
       "INSERT INTO playlist_items (id, playlist_id, position, type, duration_ms, media, fit) "
       "VALUES (1, 1, 0, 'image', 8000, '" SHA "', 'cover')");
  exec(c->s,
       "INSERT INTO playlist_items (id, playlist_id, position, type, duration_ms, text, "
       "style_size_px, style_color, style_background, style_align, style_valign, style_weight, "
       "style_padding_px) VALUES"
       " (2, 1, 1, 'text', 5000, 'Espresso 2.50', 64, 4294967295, 0, 'end', 'top', 'bold', 4),"
       " (3, 2, 0, 'text', 5000, 'Soup', 48, 4294967295, 0, 'center', 'middle', 'regular', 0),"
       " (4, 3, 0, 'text', 5000, '-20%', 48, 4294967295, 0, 'center', 'middle', 'regular', 0)");
  exec(c->s, "INSERT INTO layouts (id, name, width, height, background, created_at, updated_at) "
             "VALUES (1, 'Breakfast', 1920, 1080, 255, 1, 1), (2, 'Lunch', 1080, 1920, 255, 1, 1),"
             " (3, 'Alert', 1920, 1080, 255, 1, 1)");
  exec(c->s, "INSERT INTO regions (layout_id, position, name, x, y, width, height, background, "
             "playlist_id) VALUES (1, 0, 'main', 0, 0, 1920, 1080, 0, 1),"
             " (2, 0, 'side', 0, 0, 1080, 1920, 0, 2), (3, 0, 'main', 0, 0, 1920, 1080, 0, NULL)");
  exec(c->s,
       "INSERT INTO displays (id, name, default_layout_id, timezone, token_public_id, token_hash,"
       " created_at, updated_at) VALUES (1, 'D1', 1, 'UTC', 'a', x'00', 1, 1),"
       " (2, 'D2', 2, 'UTC', 'b', x'00', 1, 1), (3, 'D3', NULL, 'UTC', 'c', x'00', 1, 1),"
       " (4, 'Tehran', NULL, 'Asia/Tehran', 'd', x'00', 1, 1),"
       " (5, 'Los Angeles', NULL, 'America/Los_Angeles', 'e', x'00', 1, 1),"
       " (6, 'Berlin', NULL, 'Europe/Berlin', 'f', x'00', 1, 1)");
  exec(c->s, "INSERT INTO groups (id, name, created_at, updated_at) VALUES (1, 'Both', 1, 1),"
             " (2, 'Cafes', 1, 1), (3, 'Empty', 1, 1)");
  exec(c->s, "INSERT INTO group_members (group_id, display_id) VALUES (1, 1), (1, 2), (2, 4),"
             " (2, 5)");
  return 0;
}

static int teardown(void **state) {
  tmp_store_close(*state);
  free(*state);
  return 0;
}

/* One schedule entry row, as the API would store it. */
struct entry {
  int64_t display, group, layout; /* display or group: the other is 0 */
  const char *start;              /* YYYYMMDDTHHMMSS */
  int64_t duration_s;
  const char *rrule, *exdates, *valid_from, *valid_until; /* NULL: none */
  int priority;
  const char *region;
  int64_t playlist;
};

static int64_t add_entry(struct store *s, struct entry e) {
  struct store_stmt *st;
  struct vt_error err = {0};
  assert_int_equal(
      store_prepare(s,
                    "INSERT INTO schedule_entries (display_id, group_id, layout_id, region, "
                    "playlist_id, start_local, duration_s, rrule, exdates, valid_from, "
                    "valid_until, priority, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                    "?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, 1) RETURNING id",
                    &st, &err),
      VT_OK);
  if (e.display) store_bind_int(st, 1, e.display);
  if (e.group) store_bind_int(st, 2, e.group);
  store_bind_int(st, 3, e.layout);
  store_bind_text(st, 4, e.region);
  if (e.playlist) store_bind_int(st, 5, e.playlist);
  store_bind_text(st, 6, e.start);
  store_bind_int(st, 7, e.duration_s);
  store_bind_text(st, 8, e.rrule);
  store_bind_text(st, 9, e.exdates ? e.exdates : "");
  store_bind_text(st, 10, e.valid_from);
  store_bind_text(st, 11, e.valid_until);
  store_bind_int(st, 12, e.priority);
  bool row = false;
  assert_int_equal(store_step(st, &row, &err), VT_OK);
  assert_true(row);
  int64_t id = store_col_int(st, 0);
  store_done(st);
  return id;
}

/* An override; end_ms 0 = until cleared. */
static int64_t add_override(struct store *s, int64_t display, int64_t group, int64_t layout,
                            int64_t start_ms, int64_t end_ms) {
  struct store_stmt *st;
  struct vt_error err = {0};
  assert_int_equal(store_prepare(s,
                                 "INSERT INTO overrides (display_id, group_id, layout_id, "
                                 "start_ms, end_ms, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 1) "
                                 "RETURNING id",
                                 &st, &err),
                   VT_OK);
  if (display) store_bind_int(st, 1, display);
  if (group) store_bind_int(st, 2, group);
  store_bind_int(st, 3, layout);
  store_bind_int(st, 4, start_ms);
  if (end_ms) store_bind_int(st, 5, end_ms);
  bool row = false;
  assert_int_equal(store_step(st, &row, &err), VT_OK);
  int64_t id = store_col_int(st, 0);
  store_done(st);
  return id;
}

static struct vt_manifest *build(struct store *s, int64_t display, int64_t from, int64_t to) {
  struct vt_manifest *m = NULL;
  struct vt_error err = {0};
  enum vt_err rc = compile_build(s, NULL, display, from, to, &m, &err);
  if (rc != VT_OK) print_error("compile_build: %s: %s\n", err.field, err.message);
  assert_int_equal(rc, VT_OK);
  return m;
}

static int64_t at(const char *rfc3339) {
  int64_t ms = 0;
  assert_true(vt_time_parse(rfc3339, &ms));
  return ms;
}

/* The layout on screen at t (0: none) and the id of the entry or override behind it. */
static int64_t shown(const struct vt_manifest *m, const char *t, int64_t *source) {
  struct vt_timeline_frame f;
  vt_timeline_at(m, at(t), &f);
  if (source) *source = f.window_index >= 0 ? m->windows[f.window_index].source_id : 0;
  return f.layout ? f.layout->id : 0;
}

static void test_contents(void **state) {
  struct tmp_store *c = *state;
  int64_t in = add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH,
                                              .start = "20261201T120000", .duration_s = 3600});
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261220T120000",
                                 .duration_s = 3600}); /* beyond the range */
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261101T120000",
                                 .duration_s = 3600}); /* over */
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + 8 * DAY);
  assert_int_equal(m->display_id, D_UTC);
  assert_string_equal(m->display_name, "D1");
  assert_string_equal(m->timezone, "UTC");
  assert_int_equal(m->default_layout_id, L_BREAKFAST);
  assert_int_equal(m->n_windows, 1);
  const struct vt_window *w = &m->windows[0];
  assert_int_equal(w->layout_id, L_LUNCH);
  assert_int_equal(w->start_ms, D1 + 12 * HOUR);
  assert_int_equal(w->end_ms, D1 + 13 * HOUR);
  assert_int_equal(w->kind, VT_WINDOW_SCHEDULE);
  assert_int_equal(w->target, VT_TARGET_DISPLAY);
  assert_int_equal(w->source_id, in);
  assert_null(w->region);
  assert_int_equal(m->n_layouts, 2); /* default + the window's */
  assert_int_equal(m->n_playlists, 2);
  assert_int_equal(m->n_media, 1);
  assert_string_equal(m->media[0].sha256, SHA);
  const struct vt_playlist *p = vt_manifest_playlist(m, P_MENU);
  assert_non_null(p);
  assert_int_equal(p->n_items, 2);
  assert_int_equal(p->items[0].fit, VT_FIT_COVER);
  assert_string_equal(p->items[1].text, "Espresso 2.50");
  assert_int_equal(p->items[1].style.align, VT_ALIGN_END);
  assert_int_equal(p->cycle_ms, 13000);
  vt_manifest_free(m);

  /* display 2 sees only its own layout and playlist, no media */
  m = build(c->s, D_UTC2, D1, D1 + 8 * DAY);
  assert_int_equal(m->n_windows, 0);
  assert_int_equal(m->n_layouts, 1);
  assert_int_equal(m->n_playlists, 1);
  assert_int_equal(m->n_media, 0);
  vt_manifest_free(m);
  /* display 3 has nothing at all: still a valid manifest */
  m = build(c->s, D_BARE, D1, D1 + 8 * DAY);
  assert_int_equal(m->n_layouts, 0);
  vt_manifest_free(m);
  struct vt_error err = {0};
  assert_int_equal(compile_build(c->s, NULL, 99, D1, D1 + DAY, &m, &err), VT_ERR_NOT_FOUND);
  assert_null(m);
}

/* A window that began before the range is kept whole: its playlists loop from its start. */
static void test_window_kept_whole(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261130T220000",
                                 .duration_s = 4 * 3600});
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + DAY);
  assert_int_equal(m->n_windows, 1);
  assert_int_equal(m->windows[0].start_ms, D1 - 2 * HOUR);
  assert_int_equal(m->windows[0].end_ms, D1 + 2 * HOUR);
  vt_manifest_free(m);
}

static void test_group_entries(void **state) {
  struct tmp_store *c = *state;
  int64_t e = add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_LUNCH,
                                             .start = "20261201T120000", .duration_s = 3600});
  add_entry(c->s, (struct entry){.group = G_EMPTY, .layout = L_ALERT, .start = "20261201T120000",
                                 .duration_s = 3600});
  for (int64_t d = D_UTC; d <= D_UTC2; d++) {
    struct vt_manifest *m = build(c->s, d, D1, D1 + DAY);
    assert_int_equal(m->n_windows, 1);
    assert_int_equal(m->windows[0].target, VT_TARGET_GROUP);
    assert_int_equal(m->windows[0].source_id, e);
    int64_t src = 0;
    assert_int_equal(shown(m, "2026-12-01T12:30:00Z", &src), L_LUNCH);
    assert_int_equal(src, e);
    vt_manifest_free(m);
  }
  struct vt_manifest *m = build(c->s, D_BARE, D1, D1 + DAY); /* in no group */
  assert_int_equal(m->n_windows, 0);
  vt_manifest_free(m);
}

/* Resolution (docs/scheduling.md): priority, then display over group, then later start;
 * an override beats everything; the default when nothing covers the instant. */
static void test_ranking(void **state) {
  struct tmp_store *c = *state;
  int64_t group = add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_LUNCH,
                                                 .start = "20261201T100000",
                                                 .duration_s = 4 * 3600});
  int64_t mine = add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_ALERT,
                                                .start = "20261201T100000",
                                                .duration_s = 2 * 3600});
  int64_t urgent = add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_BREAKFAST,
                                                  .start = "20261201T130000", .duration_s = 3600,
                                                  .priority = 5});
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + DAY);
  int64_t src = 0;
  assert_int_equal(shown(m, "2026-12-01T09:59:59Z", &src), L_BREAKFAST); /* the default */
  assert_int_equal(src, 0);
  /* same priority, same start: the display's own entry beats the group's */
  assert_int_equal(shown(m, "2026-12-01T10:00:00Z", &src), L_ALERT);
  assert_int_equal(src, mine);
  assert_int_equal(shown(m, "2026-12-01T12:00:00Z", &src), L_LUNCH);
  assert_int_equal(src, group);
  /* a higher priority beats the more specific target */
  assert_int_equal(shown(m, "2026-12-01T13:00:00Z", &src), L_BREAKFAST);
  assert_int_equal(src, urgent);
  vt_manifest_free(m);
  /* display 2 only has the group's entries */
  m = build(c->s, D_UTC2, D1, D1 + DAY);
  assert_int_equal(shown(m, "2026-12-01T10:00:00Z", &src), L_LUNCH);
  assert_int_equal(src, group);
  vt_manifest_free(m);
}

static void test_overrides(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T000000",
                                 .duration_s = 24 * 3600, .priority = 1000});
  int64_t open = add_override(c->s, D_UTC, 0, L_ALERT, D1 + 10 * HOUR, 0);
  int64_t ten = add_override(c->s, D_UTC, 0, L_BREAKFAST, D1 + 11 * HOUR, D1 + 11 * HOUR + 600000);
  int64_t all = add_override(c->s, 0, G_BOTH, L_LUNCH, D1 + 11 * HOUR, D1 + 11 * HOUR + 600000);
  add_override(c->s, D_UTC, 0, L_ALERT, D1 - 2 * HOUR, D1 - HOUR); /* over before the range */
  add_override(c->s, D_UTC, 0, L_ALERT, D1 + 3 * DAY, 0);           /* after it */
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + DAY);
  assert_int_equal(m->n_windows, 4);
  const struct vt_window *w = NULL;
  for (size_t i = 0; i < m->n_windows; i++)
    if (m->windows[i].kind == VT_WINDOW_OVERRIDE && m->windows[i].source_id == open)
      w = &m->windows[i];
  assert_non_null(w);
  assert_int_equal(w->end_ms, VT_TIME_MAX); /* until cleared */
  assert_int_equal(w->target, VT_TARGET_DISPLAY);
  assert_int_equal(w->start_ms, D1 + 10 * HOUR);
  int64_t src = 0;
  assert_int_equal(shown(m, "2026-12-01T09:59:00Z", &src), L_LUNCH);
  /* an override beats a schedule entry of any priority */
  assert_int_equal(shown(m, "2026-12-01T10:00:00Z", &src), L_ALERT);
  assert_int_equal(src, open);
  /* among overrides: the display's own beats the group's, then the one started last */
  assert_int_equal(shown(m, "2026-12-01T11:05:00Z", &src), L_BREAKFAST);
  assert_int_equal(src, ten);
  assert_int_equal(shown(m, "2026-12-01T11:10:00Z", &src), L_ALERT);
  assert_int_equal(shown(m, "2026-12-05T00:00:00Z", &src), L_ALERT); /* still not cleared */
  /* the open end is written as null and read back */
  char *dump = vt_manifest_dump(m, NULL);
  assert_non_null(strstr(dump, "\"end\":null"));
  struct vt_manifest *back = NULL;
  struct vt_error err = {0};
  assert_int_equal(vt_manifest_parse(dump, strlen(dump), &back, &err), VT_OK);
  free(dump);
  vt_manifest_free(back);
  vt_manifest_free(m);
  /* the group's override reaches display 2 too */
  m = build(c->s, D_UTC2, D1, D1 + DAY);
  assert_int_equal(m->n_windows, 1);
  assert_int_equal(m->windows[0].kind, VT_WINDOW_OVERRIDE);
  assert_int_equal(m->windows[0].target, VT_TARGET_GROUP);
  assert_int_equal(shown(m, "2026-12-01T11:05:00Z", &src), L_LUNCH);
  assert_int_equal(src, all);
  vt_manifest_free(m);
}

static void test_region_entries(void **state) {
  struct tmp_store *c = *state;
  int64_t promo = add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_BREAKFAST,
                                                 .region = "main", .playlist = P_PROMO,
                                                 .start = "20261201T090000", .duration_s = 3600});
  /* a region the layout does not have (renamed since): left out, not a failed manifest */
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_BREAKFAST, .region = "gone",
                                 .playlist = P_SOUP, .start = "20261201T090000",
                                 .duration_s = 3600});
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + DAY);
  assert_int_equal(m->n_windows, 1);
  assert_string_equal(m->windows[0].region, "main");
  assert_int_equal(m->windows[0].playlist_id, P_PROMO);
  assert_non_null(vt_manifest_playlist(m, P_PROMO)); /* loaded for the region entry */
  assert_null(vt_manifest_playlist(m, P_SOUP));
  struct vt_timeline_frame f;
  vt_timeline_at(m, at("2026-12-01T08:59:59Z"), &f);
  assert_int_equal(f.layout->id, L_BREAKFAST);
  assert_int_equal(f.regions[0].playlist->id, P_MENU);
  assert_int_equal(f.regions[0].window_index, -1);
  vt_timeline_at(m, at("2026-12-01T09:00:00Z"), &f);
  assert_int_equal(f.layout->id, L_BREAKFAST); /* the layout stays, the region changes */
  assert_int_equal(f.window_index, -1);
  assert_int_equal(f.regions[0].playlist->id, P_PROMO);
  assert_int_equal(m->windows[f.regions[0].window_index].source_id, promo);
  vt_timeline_at(m, at("2026-12-01T10:00:00Z"), &f);
  assert_int_equal(f.regions[0].playlist->id, P_MENU);
  vt_manifest_free(m);
  /* display 2 shows layout 2: the region entry is in its manifest but changes nothing */
  m = build(c->s, D_UTC2, D1, D1 + DAY);
  vt_timeline_at(m, at("2026-12-01T09:30:00Z"), &f);
  assert_int_equal(f.layout->id, L_LUNCH);
  assert_int_equal(f.regions[0].playlist->id, P_SOUP);
  vt_manifest_free(m);
}

/* A promotion: daily afternoons, only 3..5 December, minus the 4th. */
static void test_validity(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T140000",
                                 .duration_s = 3 * 3600, .rrule = "FREQ=DAILY",
                                 .exdates = "20261204T140000", .valid_from = "2026-12-03",
                                 .valid_until = "2026-12-05"});
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + 8 * DAY);
  assert_int_equal(m->n_windows, 2);
  assert_int_equal(m->windows[0].start_ms, D1 + 2 * DAY + 14 * HOUR);
  assert_int_equal(m->windows[1].start_ms, D1 + 4 * DAY + 14 * HOUR);
  assert_int_equal(shown(m, "2026-12-02T15:00:00Z", NULL), L_BREAKFAST);
  assert_int_equal(shown(m, "2026-12-03T15:00:00Z", NULL), L_LUNCH);
  assert_int_equal(shown(m, "2026-12-04T15:00:00Z", NULL), L_BREAKFAST);
  assert_int_equal(shown(m, "2026-12-05T16:59:59Z", NULL), L_LUNCH);
  assert_int_equal(shown(m, "2026-12-06T15:00:00Z", NULL), L_BREAKFAST);
  vt_manifest_free(m);
  /* an overnight occurrence is cut at the end of the last valid day */
  exec(c->s, "DELETE FROM schedule_entries");
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T220000",
                                 .duration_s = 4 * 3600, .rrule = "FREQ=DAILY",
                                 .valid_until = "2026-12-02"});
  m = build(c->s, D_UTC, D1, D1 + 8 * DAY);
  assert_int_equal(m->n_windows, 2);
  assert_int_equal(m->windows[1].start_ms, D1 + DAY + 22 * HOUR);
  assert_int_equal(m->windows[1].end_ms, D1 + 2 * DAY);
  vt_manifest_free(m);
}

/* Breakfast 06:00-11:00 and lunch 11:00-16:00 local every day, for a group of two cafés in
 * Tehran (UTC+03:30) and Los Angeles (UTC-08:00): each switches at its own 11:00. */
static void test_zones(void **state) {
  struct tmp_store *c = *state;
  int64_t breakfast = add_entry(c->s, (struct entry){.group = G_CAFES, .layout = L_BREAKFAST,
                                                     .start = "20261201T060000",
                                                     .duration_s = 5 * 3600,
                                                     .rrule = "FREQ=DAILY"});
  int64_t lunch = add_entry(c->s, (struct entry){.group = G_CAFES, .layout = L_LUNCH,
                                                 .start = "20261201T110000",
                                                 .duration_s = 5 * 3600, .rrule = "FREQ=DAILY"});
  struct vt_manifest *m = build(c->s, D_TEHRAN, D1, D1 + 2 * DAY);
  assert_string_equal(m->timezone, "Asia/Tehran");
  int64_t src = 0;
  assert_int_equal(shown(m, "2026-12-01T02:29:59Z", NULL), 0); /* 05:59:59, no default */
  assert_int_equal(shown(m, "2026-12-01T02:30:00Z", &src), L_BREAKFAST);
  assert_int_equal(src, breakfast);
  assert_int_equal(shown(m, "2026-12-01T07:29:59Z", NULL), L_BREAKFAST);
  assert_int_equal(shown(m, "2026-12-01T07:30:00Z", &src), L_LUNCH); /* 11:00 in Tehran */
  assert_int_equal(src, lunch);
  assert_int_equal(shown(m, "2026-12-01T12:30:00Z", NULL), 0);
  vt_manifest_free(m);

  m = build(c->s, D_LA, D1, D1 + 2 * DAY);
  assert_int_equal(shown(m, "2026-12-01T14:00:00Z", NULL), L_BREAKFAST); /* 06:00 in LA */
  assert_int_equal(shown(m, "2026-12-01T18:59:59Z", NULL), L_BREAKFAST);
  assert_int_equal(shown(m, "2026-12-01T19:00:00Z", &src), L_LUNCH); /* 11:00 in LA */
  assert_int_equal(src, lunch);
  /* the range starts at a UTC midnight: 16:00 the day before in LA, after lunch */
  assert_int_equal(shown(m, "2026-12-01T00:00:00Z", NULL), 0);
  vt_manifest_free(m);
}

/* A daily 08:00 entry in Europe/Berlin stays at 08:00 local across both changes of 2026
 * (29 March, 25 October); 02:30 on the spring-forward day is read as 03:30 (RFC 5545). */
static void test_dst_berlin(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.display = D_BERLIN, .layout = L_BREAKFAST,
                                 .start = "20260301T080000", .duration_s = 3600,
                                 .rrule = "FREQ=DAILY"});
  int64_t mar28 = at("2026-03-28T00:00:00Z"), oct24 = at("2026-10-24T00:00:00Z");
  struct vt_manifest *m = build(c->s, D_BERLIN, mar28, mar28 + 2 * DAY);
  assert_int_equal(m->n_windows, 2);
  assert_int_equal(m->windows[0].start_ms, at("2026-03-28T07:00:00Z")); /* CET */
  assert_int_equal(m->windows[1].start_ms, at("2026-03-29T06:00:00Z")); /* CEST */
  assert_int_equal(m->windows[1].end_ms, at("2026-03-29T07:00:00Z"));
  vt_manifest_free(m);
  m = build(c->s, D_BERLIN, oct24, oct24 + 2 * DAY);
  assert_int_equal(m->n_windows, 2);
  assert_int_equal(m->windows[0].start_ms, at("2026-10-24T06:00:00Z"));
  assert_int_equal(m->windows[1].start_ms, at("2026-10-25T07:00:00Z"));
  vt_manifest_free(m);

  exec(c->s, "DELETE FROM schedule_entries");
  add_entry(c->s, (struct entry){.display = D_BERLIN, .layout = L_LUNCH,
                                 .start = "20260329T023000", .duration_s = 90 * 60});
  m = build(c->s, D_BERLIN, mar28, mar28 + 2 * DAY);
  assert_int_equal(m->n_windows, 1);
  assert_int_equal(m->windows[0].start_ms, at("2026-03-29T01:30:00Z")); /* 03:30 CEST */
  assert_int_equal(m->windows[0].end_ms, at("2026-03-29T02:00:00Z"));   /* 04:00 CEST */
  vt_manifest_free(m);
}

/* Rows the API would never store (hand edits, older data): each bad entry is left out with a
 * warning and the display still gets its manifest. */
static void test_broken_entry_skipped(void **state) {
  struct tmp_store *c = *state;
  int64_t good = add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH,
                                                .start = "20261201T120000", .duration_s = 3600,
                                                .rrule = "FREQ=DAILY"});
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_ALERT, .start = "20261301T120000",
                                 .duration_s = 3600}); /* month 13 */
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_ALERT, .start = "20261201T130000",
                                 .duration_s = 3600, .rrule = "FREQ=DAILY;BYDAY=XX"});
  add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_ALERT, .start = "20261201T140000",
                                 .duration_s = 3600, .rrule = "FREQ=DAILY",
                                 .exdates = "20261202T140000,yesterday"});
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_ALERT, .start = "20261201T150000",
                                 .duration_s = 3600, .valid_until = "2026-02-30"});
  struct vt_manifest *m = build(c->s, D_UTC, D1, D1 + 2 * DAY);
  assert_int_equal(m->n_windows, 2);
  for (size_t i = 0; i < m->n_windows; i++) {
    assert_int_equal(m->windows[i].source_id, good);
    assert_int_equal(m->windows[i].layout_id, L_LUNCH);
  }
  assert_null(vt_manifest_layout(m, L_ALERT));
  vt_manifest_free(m);
  struct compile_changes ch = {0};
  struct vt_error err = {0};
  assert_int_equal(compile_display(c->s, NULL, D_UTC, D1 + HOUR, false, &ch, &err), VT_OK);
  assert_int_equal(ch.n, 1);
  compile_changes_clear(&ch);
}

static int64_t stored(struct store *s, int64_t display, int64_t *valid_until) {
  struct store_stmt *st;
  struct vt_error err = {0};
  assert_int_equal(
      store_prepare(s, "SELECT version, valid_until FROM manifests WHERE display_id = ?1", &st,
                    &err),
      VT_OK);
  store_bind_int(st, 1, display);
  bool row = false;
  assert_int_equal(store_step(st, &row, &err), VT_OK);
  int64_t v = row ? store_col_int(st, 0) : 0;
  if (valid_until) *valid_until = row ? store_col_int(st, 1) : 0;
  store_done(st);
  return v;
}

static size_t compile(struct store *s, int64_t display, int64_t now, bool renew) {
  struct compile_changes ch = {0};
  struct vt_error err = {0};
  enum vt_err rc = compile_display(s, NULL, display, now, renew, &ch, &err);
  if (rc != VT_OK) print_error("compile_display: %s\n", err.message);
  assert_int_equal(rc, VT_OK);
  size_t n = ch.n;
  if (n) {
    assert_int_equal(ch.v[0].display_id, display);
    assert_int_equal(ch.v[0].version, stored(s, display, NULL));
    char want[32];
    snprintf(want, sizeof want, "\"%lld-%lld-", (long long)display, (long long)ch.v[0].version);
    assert_memory_equal(ch.v[0].etag, want, strlen(want));
  }
  compile_changes_clear(&ch);
  return n;
}

static void test_versions(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T120000",
                                 .duration_s = 3600, .rrule = "FREQ=DAILY"});
  int64_t valid_until = 0;
  assert_int_equal(compile(c->s, D_UTC, D1 + HOUR, false), 1);
  assert_int_equal(stored(c->s, D_UTC, &valid_until), 1);
  /* the horizon: from the day's start, 8 days, so at least 7 days ahead */
  assert_int_equal(valid_until, D1 + 8 * DAY);
  /* same content later that day: no new version, no announcement */
  assert_int_equal(compile(c->s, D_UTC, D1 + 20 * HOUR, false), 0);
  assert_int_equal(compile(c->s, D_UTC, D1 + 20 * HOUR, true), 0);
  assert_int_equal(stored(c->s, D_UTC, NULL), 1);
  assert_int_equal(compile(c->s, D_UTC2, D1 + HOUR, false), 1);
  /* a price change reaches display 1 only */
  exec(c->s, "UPDATE playlist_items SET text = 'Espresso 2.80' WHERE id = 2");
  assert_int_equal(compile(c->s, D_UTC, D1 + 21 * HOUR, false), 1);
  assert_int_equal(stored(c->s, D_UTC, NULL), 2);
  assert_int_equal(compile(c->s, D_UTC2, D1 + 21 * HOUR, false), 0);
  /* a new day: a day of windows enters the horizon, yesterday's leaves */
  assert_int_equal(compile(c->s, D_UTC, D1 + DAY + 60000, true), 1);
  assert_int_equal(stored(c->s, D_UTC, &valid_until), 3);
  assert_int_equal(valid_until, D1 + 9 * DAY);
  /* display 2 has no windows: its content is the same every day; renewal moves a horizon
   * that is running out without a content change */
  assert_int_equal(compile(c->s, D_UTC2, D1 + DAY + 60000, true), 0);
  assert_int_equal(compile(c->s, D_UTC2, D1 + 4 * DAY + HOUR, true), 0); /* 3.96 days left */
  assert_int_equal(compile(c->s, D_UTC2, D1 + 5 * DAY, false), 0);
  assert_int_equal(compile(c->s, D_UTC2, D1 + 5 * DAY, true), 1); /* 3 days left */
  assert_int_equal(stored(c->s, D_UTC2, &valid_until), 2);
  assert_int_equal(valid_until, D1 + 13 * DAY);
  assert_int_equal(compile(c->s, D_UTC2, D1 + 5 * DAY + HOUR, true), 0); /* now fresh */
  /* a deleted display is skipped */
  assert_int_equal(compile(c->s, 99, D1, false), 0);
}

/* A schedule too dense for a full horizon (over VT_LIMIT_WINDOWS in 8 days, e.g. entries
 * valid only from a later day that the API checked one by one) gives the display a shorter
 * horizon that fits, not no manifest at all. */
static void test_dense_schedule_shorter_horizon(void **state) {
  struct tmp_store *c = *state;
  /* 60 entries, one window every 5 minutes each: 288 x 60 = 17,280 windows a day */
  for (int i = 0; i < 60; i++)
    add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T000000",
                                   .duration_s = 60, .rrule = "FREQ=MINUTELY;INTERVAL=5"});
  int64_t valid_until = 0;
  assert_int_equal(compile(c->s, D_UTC, D1 + HOUR, false), 1);
  stored(c->s, D_UTC, &valid_until);
  /* 8 days (138,240) and 4 days (69,120 windows, but over the 8 MB body limit) do not fit */
  assert_true(valid_until < D1 + 8 * DAY);
  assert_true(valid_until >= D1 + DAY);
  struct vt_manifest *m = build(c->s, D_UTC, D1, valid_until);
  assert_true(m->n_windows <= VT_LIMIT_WINDOWS);
  assert_true(m->n_windows >= 17280);
  vt_manifest_free(m);
}

/* The stored body is what the player reads: 8 days of a daily entry, the zone, the
 * horizon, and it parses back. */
static void test_stored_body(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.group = G_CAFES, .layout = L_LUNCH, .start = "20261101T110000",
                                 .duration_s = 5 * 3600, .rrule = "FREQ=DAILY"});
  assert_int_equal(compile(c->s, D_TEHRAN, D1 + 23 * HOUR, false), 1);
  struct store_stmt *st;
  struct vt_error err = {0};
  assert_int_equal(
      store_prepare(c->s, "SELECT body FROM manifests WHERE display_id = ?1", &st, &err), VT_OK);
  store_bind_int(st, 1, D_TEHRAN);
  bool row = false;
  assert_int_equal(store_step(st, &row, &err), VT_OK);
  size_t len = 0;
  const char *body = store_col_blob(st, 0, &len);
  struct vt_manifest *m = NULL;
  assert_int_equal(vt_manifest_parse(body, len, &m, &err), VT_OK);
  store_done(st);
  assert_string_equal(m->timezone, "Asia/Tehran");
  assert_int_equal(m->valid_until_ms, D1 + 8 * DAY);
  assert_int_equal(m->n_windows, 8); /* 11:00 Tehran = 07:30Z, once in each of the 8 days */
  assert_int_equal(m->windows[0].start_ms, D1 + 7 * HOUR + 30 * 60000);
  assert_int_equal(m->windows[7].start_ms, D1 + 7 * DAY + 7 * HOUR + 30 * 60000);
  vt_manifest_free(m);
}

static void test_same_input_same_bytes(void **state) {
  struct tmp_store *c = *state;
  add_entry(c->s, (struct entry){.group = G_BOTH, .layout = L_LUNCH, .start = "20261201T120000",
                                 .duration_s = 3600, .rrule = "FREQ=DAILY"});
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_ALERT, .start = "20261201T120000",
                                 .duration_s = 3600, .rrule = "FREQ=DAILY"});
  add_override(c->s, D_UTC, 0, L_ALERT, D1 + 12 * HOUR, 0);
  struct vt_manifest *a = build(c->s, D_UTC, D1, D1 + 8 * DAY);
  struct vt_manifest *b = build(c->s, D_UTC, D1, D1 + 8 * DAY);
  char *da = vt_manifest_dump(a, NULL), *db = vt_manifest_dump(b, NULL);
  assert_string_equal(da, db);
  /* equal starts: the override first, then entries by id */
  assert_int_equal(a->windows[0].kind, VT_WINDOW_OVERRIDE);
  assert_int_equal(a->windows[1].target, VT_TARGET_GROUP);
  assert_int_equal(a->windows[2].target, VT_TARGET_DISPLAY);
  free(da);
  free(db);
  vt_manifest_free(a);
  vt_manifest_free(b);
}

/* Entries for the cache tests: for a group in two zones, for each display, recurring
 * sub-daily and daily, with EXDATEs and validity, a region entry, across the EU spring
 * change. */
static void cache_fixture(struct store *s) {
  exec(s, "INSERT INTO group_members (group_id, display_id) VALUES (2, 6), (1, 4)");
  add_entry(s, (struct entry){.group = G_CAFES, .layout = L_LUNCH, .start = "20260301T060000",
                              .duration_s = 5 * 3600, .rrule = "FREQ=DAILY",
                              .exdates = "20260327T060000", .valid_until = "2026-04-30"});
  add_entry(s, (struct entry){.group = G_CAFES, .layout = L_ALERT, .start = "20260315T080000",
                              .duration_s = 1800,
                              .rrule = "FREQ=HOURLY;INTERVAL=3;BYHOUR=8,10,12,14,16,18",
                              .priority = 2});
  add_entry(s, (struct entry){.group = G_BOTH, .layout = L_LUNCH, .region = "side",
                              .playlist = P_PROMO, .start = "20260320T120000",
                              .duration_s = 7200, .rrule = "FREQ=WEEKLY;BYDAY=MO,FR,SU"});
  for (int64_t d = D_UTC; d <= D_BERLIN; d++) {
    char start[32];
    snprintf(start, sizeof start, "202603%02lldT0%lld3000", (long long)(20 + d), (long long)d);
    add_entry(s, (struct entry){.display = d, .layout = L_BREAKFAST, .start = start,
                                .duration_s = 2 * 3600, .rrule = "FREQ=DAILY;INTERVAL=2"});
  }
}

static char *dump_of(struct store *s, struct compile_cache *cache, int64_t display, int64_t from,
                     int64_t to) {
  struct vt_manifest *m = NULL;
  struct vt_error err = {0};
  if (compile_build(s, cache, display, from, to, &m, &err) != VT_OK)
    fail_msg("compile_build %lld: %s: %s", (long long)display, err.field, err.message);
  char *d = vt_manifest_dump(m, NULL);
  vt_manifest_free(m);
  assert_non_null(d);
  return d;
}

/* One cache for many displays and ranges gives the bytes each display gets alone, and
 * expands a group's entry once for all its displays. */
static void test_cache_same_bytes(void **state) {
  struct tmp_store *c = *state;
  cache_fixture(c->s);
  int64_t spring = at("2026-03-25T00:00:00Z");
  static const int64_t froms[] = {0, 3 * DAY, 0};
  struct compile_cache *cache = compile_cache_new();
  assert_non_null(cache);
  size_t windows = 0;
  for (size_t r = 0; r < sizeof froms / sizeof froms[0]; r++)
    for (int64_t d = D_UTC; d <= D_BERLIN; d++) {
      int64_t from = spring + froms[r], to = from + COMPILE_SPAN_MS;
      char *alone = dump_of(c->s, NULL, d, from, to);
      char *shared = dump_of(c->s, cache, d, from, to);
      assert_string_equal(shared, alone);
      windows += strlen(alone);
      free(alone);
      free(shared);
    }
  size_t expanded = 0, reused = 0;
  compile_cache_counts(cache, &expanded, &reused);
  /* 3 group entries and one per display, in two ranges (the third repeats the first) */
  assert_int_equal(expanded, 2 * (3 + 6));
  /* each display in each of the 3 ranges sees its entry and the group entries it is in */
  assert_true(reused > 0);
  assert_true(windows > 0);
  compile_cache_free(cache);
}

/* An edited entry (its row changed: new start, rule, EXDATEs or duration) is never served
 * from the cache that expanded its old version. */
static void test_cache_edit_not_stale(void **state) {
  struct tmp_store *c = *state;
  int64_t id = add_entry(c->s, (struct entry){.group = G_CAFES, .layout = L_LUNCH,
                                               .start = "20261120T120000", .duration_s = 3600,
                                               .rrule = "FREQ=DAILY"});
  struct compile_cache *cache = compile_cache_new();
  static const char *const edits[] = {
      "UPDATE schedule_entries SET start_local = '20261120T130000', updated_at = 2 WHERE id = ?",
      "UPDATE schedule_entries SET rrule = 'FREQ=DAILY;INTERVAL=2', updated_at = 3 WHERE id = ?",
      "UPDATE schedule_entries SET exdates = '20261202T130000', updated_at = 4 WHERE id = ?",
      "UPDATE schedule_entries SET duration_s = 60, updated_at = 5 WHERE id = ?",
      "UPDATE schedule_entries SET valid_until = '2026-12-04', updated_at = 6 WHERE id = ?",
  };
  char *before = dump_of(c->s, cache, D_LA, D1, D1 + COMPILE_SPAN_MS);
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "%.*s%lld", (int)(strlen(edits[i]) - 1), edits[i], (long long)id);
    exec(c->s, sql);
    char *alone = dump_of(c->s, NULL, D_LA, D1, D1 + COMPILE_SPAN_MS);
    char *shared = dump_of(c->s, cache, D_LA, D1, D1 + COMPILE_SPAN_MS);
    assert_string_equal(shared, alone);
    if (strcmp(shared, before) == 0) fail_msg("edit %zu did not change the manifest", i);
    free(before);
    free(alone);
    before = shared;
  }
  free(before);
  compile_cache_free(cache);
}

/* The stored content hash (now found without a second dump, or remembered without any)
 * is the SHA-256 of the dump with version, generated_at and valid_until zeroed, and
 * remembering never hides a change. */
static void test_content_hash(void **state) {
  struct tmp_store *c = *state;
  cache_fixture(c->s);
  int64_t now = at("2026-03-26T05:00:00Z");
  for (int round = 0; round < 2; round++) {
    compile_forget();
    for (int64_t d = D_UTC; d <= D_BERLIN; d++) {
      assert_int_equal(compile(c->s, d, now, false), round == 0 ? 1 : 0);
      struct store_stmt *st;
      struct vt_error err = {0};
      assert_int_equal(store_prepare(c->s,
                                     "SELECT body, content_hash, etag FROM manifests WHERE "
                                     "display_id = ?1",
                                     &st, &err),
                       VT_OK);
      store_bind_int(st, 1, d);
      bool row = false;
      assert_int_equal(store_step(st, &row, &err), VT_OK);
      size_t len = 0;
      const char *body = store_col_blob(st, 0, &len);
      struct vt_manifest *m = NULL;
      assert_int_equal(vt_manifest_parse(body, len, &m, &err), VT_OK);
      assert_true(m->version > 0 && m->generated_ms > 0 && m->valid_until_ms > 0);
      m->version = m->generated_ms = m->valid_until_ms = 0;
      size_t n = 0;
      char *zeroed = vt_manifest_dump(m, &n), hash[VT_SHA256_HEX_LEN + 1];
      vt_sha256_hex(zeroed, n, hash);
      assert_string_equal(store_col_text(st, 1), hash);
      assert_memory_equal(strchr(store_col_text(st, 2), '-') + 3, hash, 16);
      free(zeroed);
      vt_manifest_free(m);
      store_done(st);
    }
  }
  /* remembered: each change still makes a version, its reversal another */
  static const char *const changes[] = {
      "UPDATE schedule_entries SET priority = 3 WHERE rrule LIKE 'FREQ=HOURLY%'",
      "UPDATE schedule_entries SET priority = 2 WHERE rrule LIKE 'FREQ=HOURLY%'",
      "UPDATE schedule_entries SET playlist_id = 1 WHERE region = 'side'",
      "UPDATE schedule_entries SET layout_id = 2 WHERE rrule LIKE 'FREQ=HOURLY%'",
      "UPDATE playlist_items SET text = 'Soup of the day' WHERE id = 3",
      "UPDATE displays SET name = 'Tehran 2' WHERE id = 4",
  };
  for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
    exec(c->s, changes[i]);
    size_t n = 0;
    for (int64_t d = D_UTC; d <= D_BERLIN; d++) n += compile(c->s, d, now, false);
    if (n == 0) fail_msg("'%s' made no new version", changes[i]);
    for (int64_t d = D_UTC; d <= D_BERLIN; d++) assert_int_equal(compile(c->s, d, now, false), 0);
  }
}

static void expect_set(struct idset *set, const int64_t *want, size_t n) {
  idset_seal(set);
  assert_int_equal(set->n, n);
  for (size_t i = 0; i < n; i++) assert_int_equal(set->ids[i], want[i]);
  idset_clear(set);
}

static void test_affected(void **state) {
  struct tmp_store *c = *state;
  struct idset set = {0};
  struct vt_error err = {0};
  add_entry(c->s, (struct entry){.display = D_UTC, .layout = L_LUNCH, .start = "20261201T120000",
                                 .duration_s = 3600});
  add_entry(c->s, (struct entry){.group = G_CAFES, .layout = L_ALERT, .region = "main",
                                 .playlist = P_PROMO, .start = "20261201T120000",
                                 .duration_s = 3600});
  assert_int_equal(affected_by_media(c->s, SHA, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1}, 1);
  /* playlist 2 is on layout 2: display 2's default and display 1's entry */
  assert_int_equal(affected_by_playlist(c->s, P_SOUP, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1, 2}, 2);
  /* a region entry's playlist reaches its group */
  assert_int_equal(affected_by_playlist(c->s, P_PROMO, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){4, 5}, 2);
  assert_int_equal(affected_by_layout(c->s, L_BREAKFAST, &set, &err), VT_OK);
  expect_set(&set, (const int64_t[]){1}, 1);
  assert_int_equal(affected_by_layout(c->s, 99, &set, &err), VT_OK);
  expect_set(&set, NULL, 0);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_contents),      T(test_window_kept_whole),  T(test_group_entries),
      T(test_ranking),       T(test_overrides),          T(test_region_entries),
      T(test_validity),      T(test_zones),              T(test_dst_berlin),
      T(test_broken_entry_skipped), T(test_versions), T(test_dense_schedule_shorter_horizon),T(test_stored_body),
      T(test_same_input_same_bytes), T(test_affected),   T(test_cache_same_bytes),
      T(test_cache_edit_not_stale),  T(test_content_hash),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
