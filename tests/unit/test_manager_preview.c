/* preview.c on a real store, and `vitrine-manager timeline` as a real process on the same
 * database: the range rules of GET /api/v1/displays/{id}/timeline, the document minute by
 * minute (Tehran and Los Angeles switching to lunch at their own 11:00, region entries,
 * overrides, the default layout, nothing), and the CLI's table and JSON for a local day
 * including a 23-hour daylight-saving day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "preview.h"
#include "store.h"
#include "test_manager_util.h"
#include "timeutil.h"

extern char **environ;

#define MINUTE 60000LL
#define HOUR (60 * MINUTE)

static void exec(struct store *s, const char *sql) { tmp_exec(s, sql, VT_OK); }

/* Display 1 in Tehran and 2 in Los Angeles are group 1: breakfast (entry 1) 06:00-11:00 and
 * lunch (entry 2) 11:00-16:00 daily, local time. Entry 3 puts the promotion into display 1's
 * breakfast photo region 08:00-09:00 on 1 December. Display 3 in Berlin has a daily 08:00
 * hour (entry 4). Display 4 has no default and nothing scheduled. Override 1 takes display
 * 1 from 2026-12-02T09:00Z until cleared. */
static int setup(void **state) {
  struct tmp_store *c = calloc(1, sizeof *c);
  *state = c;
  if (tmp_store_open(c) != 0) return -1;
  exec(c->s, "INSERT INTO playlists (id, name, created_at, updated_at) VALUES (10, 'Menu', 1, 1),"
             " (11, 'Photos', 1, 1), (12, 'Lunch menu', 1, 1), (13, 'Promo', 1, 1)");
  exec(c->s, "INSERT INTO playlist_items (id, playlist_id, position, type, duration_ms, text, "
             "style_size_px, style_color, style_background, style_align, style_valign, "
             "style_weight, style_padding_px) VALUES"
             " (100, 10, 0, 'text', 600000, 'Espresso', 48, 4294967295, 0, 'center', 'middle', "
             "'regular', 0),"
             " (101, 10, 1, 'text', 600000, 'Croissant', 48, 4294967295, 0, 'center', 'middle', "
             "'regular', 0),"
             " (110, 11, 0, 'text', 5000, 'photo', 48, 4294967295, 0, 'center', 'middle', "
             "'regular', 0),"
             " (120, 12, 0, 'text', 5000, 'Soup', 48, 4294967295, 0, 'center', 'middle', "
             "'regular', 0),"
             " (130, 13, 0, 'text', 5000, '-20%', 48, 4294967295, 0, 'center', 'middle', "
             "'regular', 0)");
  exec(c->s, "INSERT INTO layouts (id, name, width, height, background, created_at, updated_at) "
             "VALUES (1, 'Breakfast', 1920, 1080, 255, 1, 1), (2, 'Lunch', 1920, 1080, 255, 1, 1),"
             " (3, 'Closed', 1920, 1080, 255, 1, 1)");
  exec(c->s, "INSERT INTO regions (layout_id, position, name, x, y, width, height, background, "
             "playlist_id) VALUES (1, 0, 'menu', 0, 0, 1160, 1080, 0, 10),"
             " (1, 1, 'photo', 1160, 0, 760, 1080, 0, 11), (2, 0, 'menu', 0, 0, 1920, 1080, 0, 12),"
             " (3, 0, 'main', 0, 0, 1920, 1080, 0, NULL)");
  exec(c->s,
       "INSERT INTO displays (id, name, default_layout_id, timezone, token_public_id, token_hash,"
       " created_at, updated_at) VALUES (1, 'Tehran board', 3, 'Asia/Tehran', 'a', x'00', 1, 1),"
       " (2, 'LA board', 3, 'America/Los_Angeles', 'b', x'00', 1, 1),"
       " (3, 'Berlin', 3, 'Europe/Berlin', 'c', x'00', 1, 1),"
       " (4, 'Dark', NULL, 'UTC', 'd', x'00', 1, 1)");
  exec(c->s, "INSERT INTO groups (id, name, created_at, updated_at) VALUES (1, 'Cafes', 1, 1)");
  exec(c->s, "INSERT INTO group_members (group_id, display_id) VALUES (1, 1), (1, 2)");
  exec(c->s,
       "INSERT INTO schedule_entries (id, display_id, group_id, layout_id, region, playlist_id,"
       " start_local, duration_s, rrule, created_at, updated_at) VALUES"
       " (1, NULL, 1, 1, NULL, NULL, '20261101T060000', 18000, 'FREQ=DAILY', 1, 1),"
       " (2, NULL, 1, 2, NULL, NULL, '20261101T110000', 18000, 'FREQ=DAILY', 1, 1),"
       " (3, 1, NULL, 1, 'photo', 13, '20261201T080000', 3600, NULL, 1, 1),"
       " (4, 3, NULL, 1, NULL, NULL, '20260301T080000', 3600, 'FREQ=DAILY', 1, 1)");
  exec(c->s, "INSERT INTO overrides (id, display_id, layout_id, start_ms, end_ms, created_at)"
             " VALUES (1, 1, 2, 1796202000000, NULL, 1)"); /* 2026-12-02T09:00:00Z */
  return 0;
}

static int teardown(void **state) {
  tmp_store_close(*state);
  free(*state);
  return 0;
}

static int64_t at(const char *rfc3339) {
  int64_t ms = 0;
  assert_true(vt_time_parse(rfc3339, &ms));
  return ms;
}

static void test_range(void **state) {
  (void)state;
  int64_t now = at("2026-12-01T10:17:42.5Z");
  const struct {
    const char *from, *to;
    const char *field; /* NULL: valid */
    const char *want_from, *want_to;
  } cases[] = {
      {NULL, NULL, NULL, "2026-12-01T10:17:00Z", "2026-12-02T10:17:00Z"},
      {"2026-12-01T07:00:00Z", NULL, NULL, "2026-12-01T07:00:00Z", "2026-12-02T07:00:00Z"},
      {"2026-12-01T10:30:00+03:30", "2026-12-01T08:00:00Z", NULL, "2026-12-01T07:00:00Z",
       "2026-12-01T08:00:00Z"},
      {NULL, "2026-12-08T10:17:00Z", NULL, "2026-12-01T10:17:00Z", "2026-12-08T10:17:00Z"},
      {"2026-12-01", NULL, "from", NULL, NULL},
      {"yesterday", "2026-12-01T08:00:00Z", "from", NULL, NULL},
      {"2026-12-01T07:00:00Z", "2026-12-01T25:00:00Z", "to", NULL, NULL},
      {"2026-12-01T07:00:00Z", "2026-12-01T07:00:00Z", "to", NULL, NULL},  /* empty */
      {"2026-12-01T07:00:00Z", "2026-12-01T06:00:00Z", "to", NULL, NULL},  /* backwards */
      {"2026-12-01T07:00:00Z", "2026-12-08T07:00:01Z", "to", NULL, NULL},  /* > 7 days */
      {NULL, "2026-12-08T10:17:01Z", "to", NULL, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t from = 0, to = 0;
    struct vt_error err = {0};
    enum vt_err rc = preview_range(cases[i].from, cases[i].to, now, &from, &to, &err);
    if (cases[i].field) {
      assert_int_equal(rc, VT_ERR_INVALID);
      assert_string_equal(err.field, cases[i].field);
      assert_true(err.message[0] != '\0');
    } else {
      if (rc != VT_OK) print_error("case %zu: %s\n", i, err.message);
      assert_int_equal(rc, VT_OK);
      assert_int_equal(from, at(cases[i].want_from));
      assert_int_equal(to, at(cases[i].want_to));
    }
  }
}

static void test_unknown_display(void **state) {
  struct tmp_store *c = *state;
  struct preview p = {0};
  struct vt_error err = {0};
  assert_int_equal(preview_open(c->s, 99, 0, HOUR, &p, &err), VT_ERR_NOT_FOUND);
  assert_null(p.m);
}

/* The document for display over [from, to), checked and returned (new reference). */
static json_t *doc(struct store *s, int64_t display, const char *from, const char *to) {
  struct preview p = {0};
  struct vt_error err = {0};
  json_t *d = NULL;
  enum vt_err rc = preview_open(s, display, at(from), at(to), &p, &err);
  if (rc == VT_OK) rc = preview_json(&p, &d, &err);
  if (rc != VT_OK) print_error("preview: %s: %s\n", err.field, err.message);
  assert_int_equal(rc, VT_OK);
  preview_close(&p);
  size_t n = (size_t)((at(to) - at(from) + MINUTE - 1) / MINUTE);
  assert_int_equal(json_array_size(json_object_get(d, "minutes")), n);
  return d;
}

/* Is the minute at index i of d equal to the JSON text want? */
static void expect_minute(json_t *d, size_t i, const char *want) {
  json_error_t jerr;
  json_t *w = json_loads(want, 0, &jerr);
  if (!w) print_error("bad expectation: %s\n", jerr.text);
  assert_non_null(w);
  json_t *got = json_array_get(json_object_get(d, "minutes"), i);
  if (!json_equal(w, got)) {
    char *text = json_dumps(got, JSON_COMPACT);
    print_error("minute %zu:\n  got  %s\n  want %s\n", i, text, want);
    free(text);
  }
  assert_true(json_equal(w, got));
  json_decref(w);
}

static void test_tehran(void **state) {
  struct tmp_store *c = *state;
  json_t *d = doc(c->s, 1, "2026-12-01T07:00:00Z", "2026-12-01T08:00:00Z");
  json_t *head = json_pack("{s:i, s:s, s:s, s:s}", "display_id", 1, "timezone", "Asia/Tehran",
                           "from", "2026-12-01T07:00:00Z", "to", "2026-12-01T08:00:00Z");
  json_t *copy = json_copy(d);
  json_object_del(copy, "minutes");
  assert_true(json_equal(head, copy));
  json_decref(head);
  json_decref(copy);
  /* breakfast started at 06:00 local (02:30Z): its menu loop of two 10-minute items is at
   * item 1 at 10:59 (299 minutes in) */
  expect_minute(d, 29,
                "{\"at\":\"2026-12-01T07:29:00Z\",\"local\":\"2026-12-01T10:59:00+03:30\","
                "\"layout\":{\"id\":1,\"name\":\"Breakfast\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":1,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":10,\"name\":\"Menu\"},\"from_entry\":null,"
                "\"item\":{\"id\":101,\"index\":1,\"type\":\"text\"}},"
                "{\"name\":\"photo\",\"playlist\":{\"id\":11,\"name\":\"Photos\"},"
                "\"from_entry\":null,\"item\":{\"id\":110,\"index\":0,\"type\":\"text\"}}]}");
  expect_minute(d, 30,
                "{\"at\":\"2026-12-01T07:30:00Z\",\"local\":\"2026-12-01T11:00:00+03:30\","
                "\"layout\":{\"id\":2,\"name\":\"Lunch\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":2,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":12,\"name\":\"Lunch menu\"},"
                "\"from_entry\":null,\"item\":{\"id\":120,\"index\":0,\"type\":\"text\"}}]}");
  json_decref(d);

  /* 08:00-09:00 local the region entry gives the photo region the promotion; before
   * breakfast the default layout plays */
  d = doc(c->s, 1, "2026-12-01T02:29:00Z", "2026-12-01T04:31:00Z");
  expect_minute(d, 0,
                "{\"at\":\"2026-12-01T02:29:00Z\",\"local\":\"2026-12-01T05:59:00+03:30\","
                "\"layout\":{\"id\":3,\"name\":\"Closed\"},\"source\":{\"kind\":\"default\"},"
                "\"regions\":[{\"name\":\"main\",\"playlist\":null,\"from_entry\":null,"
                "\"item\":null}]}");
  expect_minute(d, 11, /* 06:10 local: the menu's second item */
                "{\"at\":\"2026-12-01T02:40:00Z\",\"local\":\"2026-12-01T06:10:00+03:30\","
                "\"layout\":{\"id\":1,\"name\":\"Breakfast\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":1,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":10,\"name\":\"Menu\"},\"from_entry\":null,"
                "\"item\":{\"id\":101,\"index\":1,\"type\":\"text\"}},"
                "{\"name\":\"photo\",\"playlist\":{\"id\":11,\"name\":\"Photos\"},"
                "\"from_entry\":null,\"item\":{\"id\":110,\"index\":0,\"type\":\"text\"}}]}");
  expect_minute(d, 121, /* 08:00 local */
                "{\"at\":\"2026-12-01T04:30:00Z\",\"local\":\"2026-12-01T08:00:00+03:30\","
                "\"layout\":{\"id\":1,\"name\":\"Breakfast\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":1,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":10,\"name\":\"Menu\"},\"from_entry\":null,"
                "\"item\":{\"id\":100,\"index\":0,\"type\":\"text\"}},"
                "{\"name\":\"photo\",\"playlist\":{\"id\":13,\"name\":\"Promo\"},"
                "\"from_entry\":3,\"item\":{\"id\":130,\"index\":0,\"type\":\"text\"}}]}");
  json_decref(d);
}

static void test_los_angeles(void **state) {
  struct tmp_store *c = *state;
  json_t *d = doc(c->s, 2, "2026-12-01T18:59:00Z", "2026-12-01T19:01:00Z");
  expect_minute(d, 0,
                "{\"at\":\"2026-12-01T18:59:00Z\",\"local\":\"2026-12-01T10:59:00-08:00\","
                "\"layout\":{\"id\":1,\"name\":\"Breakfast\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":1,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":10,\"name\":\"Menu\"},\"from_entry\":null,"
                "\"item\":{\"id\":101,\"index\":1,\"type\":\"text\"}},"
                "{\"name\":\"photo\",\"playlist\":{\"id\":11,\"name\":\"Photos\"},"
                "\"from_entry\":null,\"item\":{\"id\":110,\"index\":0,\"type\":\"text\"}}]}");
  expect_minute(d, 1,
                "{\"at\":\"2026-12-01T19:00:00Z\",\"local\":\"2026-12-01T11:00:00-08:00\","
                "\"layout\":{\"id\":2,\"name\":\"Lunch\"},"
                "\"source\":{\"kind\":\"schedule\",\"id\":2,\"target\":\"group\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":12,\"name\":\"Lunch menu\"},"
                "\"from_entry\":null,\"item\":{\"id\":120,\"index\":0,\"type\":\"text\"}}]}");
  json_decref(d);
}

static void test_override_and_nothing(void **state) {
  struct tmp_store *c = *state;
  json_t *d = doc(c->s, 1, "2026-12-02T08:59:00Z", "2026-12-02T09:00:30Z");
  assert_string_equal(
      json_string_value(json_object_get(
          json_object_get(json_array_get(json_object_get(d, "minutes"), 0), "layout"), "name")),
      "Lunch"); /* 12:29 local */
  expect_minute(d, 1,
                "{\"at\":\"2026-12-02T09:00:00Z\",\"local\":\"2026-12-02T12:30:00+03:30\","
                "\"layout\":{\"id\":2,\"name\":\"Lunch\"},"
                "\"source\":{\"kind\":\"override\",\"id\":1,\"target\":\"display\"},\"regions\":["
                "{\"name\":\"menu\",\"playlist\":{\"id\":12,\"name\":\"Lunch menu\"},"
                "\"from_entry\":null,\"item\":{\"id\":120,\"index\":0,\"type\":\"text\"}}]}");
  json_decref(d);
  d = doc(c->s, 4, "2026-12-01T12:00:00Z", "2026-12-01T12:01:00Z");
  expect_minute(d, 0,
                "{\"at\":\"2026-12-01T12:00:00Z\",\"local\":\"2026-12-01T12:00:00+00:00\","
                "\"layout\":null,\"source\":null,\"regions\":[]}");
  json_decref(d);
}

/* ---- the command ------------------------------------------------------------------------ */

struct run {
  int status; /* exit status, -1 if it did not exit normally */
  char *out;  /* stdout, NUL-terminated; the caller frees */
  size_t len;
};

/* Run vitrine-manager with args (NULL-terminated); capture stdout (replacing what r held). */
static void run_cli(const char *const *args, struct run *r) {
  free(r->out);
  const char *argv[16] = {VT_MANAGER_BIN};
  size_t n = 1;
  for (size_t i = 0; args[i] && n < 15; i++) argv[n++] = args[i];
  argv[n] = NULL;
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid;
  assert_int_equal(posix_spawn(&pid, VT_MANAGER_BIN, &fa, NULL, (char *const *)argv, environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  size_t cap = 1 << 16;
  r->out = malloc(cap);
  r->len = 0;
  ssize_t got;
  while ((got = read(fds[0], r->out + r->len, cap - 1 - r->len)) > 0) {
    r->len += (size_t)got;
    if (r->len == cap - 1) r->out = realloc(r->out, cap *= 2); /* a day of JSON is ~0.5 MB */
    assert_non_null(r->out);
  }
  r->out[r->len] = '\0';
  close(fds[0]);
  int st = 0;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_table(void **state) {
  struct tmp_store *c = *state;
  struct run r = {0};
  run_cli((const char *[]){"timeline", "1", "--data", c->dir, "--day", "2026-12-01", NULL}, &r);
  assert_int_equal(r.status, 0);
  const char *want =
      "Tehran board (display 1)  Asia/Tehran  2026-12-01 (24 h)\n"
      "00:00-05:59  Closed (layout 3, default)  main: -\n"
      "06:00-07:59  Breakfast (layout 1, group entry 1)  menu: Menu | photo: Photos\n"
      "08:00-08:59  Breakfast (layout 1, group entry 1)  menu: Menu | photo: Promo (entry 3)\n"
      "09:00-10:59  Breakfast (layout 1, group entry 1)  menu: Menu | photo: Photos\n"
      "11:00-15:59  Lunch (layout 2, group entry 2)  menu: Lunch menu\n"
      "16:00-23:59  Closed (layout 3, default)  main: -\n";
  if (strcmp(r.out, want) != 0) print_error("got:\n%s\nwant:\n%s", r.out, want);
  assert_string_equal(r.out, want);

  /* the day the clocks go forward has 23 hours; 08:00 stays 08:00 */
  run_cli((const char *[]){"timeline", "3", "--data", c->dir, "--day", "2026-03-29", NULL}, &r);
  assert_int_equal(r.status, 0);
  want = "Berlin (display 3)  Europe/Berlin  2026-03-29 (23 h)\n"
         "00:00-07:59  Closed (layout 3, default)  main: -\n"
         "08:00-08:59  Breakfast (layout 1, entry 4)  menu: Menu | photo: Photos\n"
         "09:00-23:59  Closed (layout 3, default)  main: -\n";
  if (strcmp(r.out, want) != 0) print_error("got:\n%s\nwant:\n%s", r.out, want);
  assert_string_equal(r.out, want);
  run_cli((const char *[]){"timeline", "3", "--data", c->dir, "--day", "2026-10-25", NULL}, &r);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "2026-10-25 (25 h)\n"));
  assert_non_null(strstr(r.out, "\n08:00-08:59  Breakfast"));

  /* without --day: today in the display's zone (whatever it is, a full table) */
  run_cli((const char *[]){"timeline", "4", "--data", c->dir, NULL}, &r);
  assert_int_equal(r.status, 0);
  assert_non_null(strstr(r.out, "\n00:00-23:59  nothing"));
  free(r.out);
}

/* --json is the API's document for the local day's range. */
static void test_cli_json(void **state) {
  struct tmp_store *c = *state;
  struct run r = {0};
  run_cli((const char *[]){"timeline", "1", "--data", c->dir, "--day", "2026-12-01", "--json",
                           NULL},
          &r);
  assert_int_equal(r.status, 0);
  json_error_t jerr;
  json_t *got = json_loads(r.out, 0, &jerr);
  assert_non_null(got);
  json_t *want = doc(c->s, 1, "2026-11-30T20:30:00Z", "2026-12-01T20:30:00Z");
  assert_true(json_equal(got, want));
  json_decref(got);
  json_decref(want);
  run_cli((const char *[]){"timeline", "3", "--data", c->dir, "--day", "2026-03-29", "--json",
                           NULL},
          &r);
  assert_int_equal(r.status, 0);
  got = json_loads(r.out, 0, &jerr);
  assert_int_equal(json_array_size(json_object_get(got, "minutes")), 23 * 60);
  json_decref(got);
  free(r.out);
}

static void test_cli_errors(void **state) {
  struct tmp_store *c = *state;
  const struct {
    const char *args[8];
    int want;
  } cases[] = {
      {{"timeline", "99", "--data", "DIR", "--day", "2026-12-01"}, 1}, /* unknown display */
      {{"timeline", "1", "--data", "DIR", "--day", "2026-13-01"}, 2},
      {{"timeline", "1", "--data", "DIR", "--day", "tomorrow"}, 2},
      {{"timeline", "--data", "DIR"}, 2},
      {{"timeline", "one", "--data", "DIR"}, 2},
      {{"timeline", "1", "2", "--data", "DIR"}, 2},
      {{"timeline", "1"}, 2}, /* no --data */
      {{"timeline", "1", "--data", "/nonexistent/vitrine-data"}, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *args[8] = {NULL};
    for (size_t k = 0; k < 7 && cases[i].args[k]; k++)
      args[k] = strcmp(cases[i].args[k], "DIR") == 0 ? c->dir : cases[i].args[k];
    struct run r = {0};
    run_cli(args, &r);
    if (r.status != cases[i].want) print_error("case %zu: exit %d\n", i, r.status);
    assert_int_equal(r.status, cases[i].want);
    assert_int_equal(r.len, 0); /* errors go to stderr */
    free(r.out);
  }
  /* a read-only command creates nothing */
  assert_int_equal(access("/nonexistent/vitrine-data", F_OK), -1);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_range),      T(test_unknown_display), T(test_tehran),
      T(test_los_angeles), T(test_override_and_nothing), T(test_cli_table),
      T(test_cli_json),   T(test_cli_errors),
  };
#undef T
  return cmocka_run_group_tests(tests, NULL, NULL);
}
