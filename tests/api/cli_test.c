/* The command line: help and usage errors, `token create` and `display add` output, and
 * that what the CLI writes is what the server then serves; `timeline` prints the same
 * preview the API serves. */
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void expect_exit(const char *bin, const char *const *args, int want, const char *what) {
  struct hbuf out = {0}, err = {0};
  int rc = h_run(bin, args, &out, &err);
  H_CHECK(rc == want, "%s: exit %d, want %d (stderr: %s)", what, rc, want,
          err.data ? err.data : "");
  if (want == 2) H_CHECK(err.len > 0, "%s: a usage error must say why on stderr", what);
  if (want == 0 && strstr(what, "help"))
    H_CHECK(out.data && strstr(out.data, "usage:"), "%s: no usage on stdout", what);
  hbuf_free(&out);
  hbuf_free(&err);
}

/* Run, expect exit 0 and one line matching re; copy the line to line. */
static bool expect_line(const char *bin, const char *const *args, const char *re, char *line,
                        size_t size) {
  struct hbuf out = {0};
  regex_t rx;
  int rc = h_run(bin, args, &out, NULL);
  regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);
  bool ok = rc == 0 && out.data && regexec(&rx, out.data, 0, NULL, 0) == 0;
  H_CHECK(ok, "%s %s: exit %d, output '%s' does not match %s", args[0], args[1], rc,
          out.data ? out.data : "", re);
  if (ok) snprintf(line, size, "%.*s", (int)strcspn(out.data, "\n"), out.data);
  regfree(&rx);
  hbuf_free(&out);
  return ok;
}

static json_t *cli_json(const char *bin, const char *const *args) {
  struct hbuf out = {0};
  int rc = h_run(bin, args, &out, NULL);
  json_t *doc = rc == 0 && out.data ? json_loads(out.data, 0, NULL) : NULL;
  H_CHECK(doc, "%s %s: exit %d, no JSON on stdout", args[0], args[1], rc);
  hbuf_free(&out);
  return doc;
}

/* A layout and a daily 06:00-11:00 entry on display 1 (UTC), written straight into the
 * database: then `timeline --json` for 1 December equals GET .../timeline for that day, the
 * table has its line, and the route checks its range and the display. */
static void check_timeline(const struct server *srv, const char *bin, const char *token) {
  char path[512], *msg = NULL;
  sqlite3 *db = NULL;
  snprintf(path, sizeof path, "%s/vitrine.db", srv->dir);
  int rc = sqlite3_open(path, &db);
  if (rc == SQLITE_OK) sqlite3_busy_timeout(db, H_DEADLINE_MS);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(
        db,
        "INSERT INTO layouts (id, name, width, height, background, created_at, updated_at) "
        "VALUES (1, 'Breakfast', 640, 360, 255, 1, 1);"
        "INSERT INTO regions (layout_id, position, name, x, y, width, height, background) "
        "VALUES (1, 0, 'main', 0, 0, 640, 360, 0);"
        "INSERT INTO schedule_entries (display_id, layout_id, start_local, duration_s, rrule, "
        "created_at, updated_at) VALUES (1, 1, '20261130T060000', 18000, 'FREQ=DAILY', 1, 1);",
        NULL, NULL, &msg);
  H_CHECK(rc == SQLITE_OK, "timeline fixture: %s", msg ? msg : sqlite3_errstr(rc));
  sqlite3_free(msg);
  sqlite3_close(db);

  const char *day[] = {"timeline", "1", "--data", srv->dir, "--day", "2026-12-01", "--json", NULL};
  json_t *from_cli = cli_json(bin, day);
  long status = 0;
  json_t *from_api = api_call(srv, token, "GET",
                              "/api/v1/displays/1/timeline?from=2026-12-01T00:00:00Z"
                              "&to=2026-12-02T00:00:00Z",
                              NULL, &status);
  H_CHECK(status == 200 && from_cli && json_equal(from_cli, from_api),
          "timeline --json and GET .../timeline differ (status %ld)", status);
  json_t *six = json_array_get(json_object_get(from_api, "minutes"), 360);
  H_CHECK(json_array_size(json_object_get(from_api, "minutes")) == 1440 &&
              json_string_value(json_object_get(six, "local")) &&
              strcmp(json_string_value(json_object_get(six, "local")),
                     "2026-12-01T06:00:00+00:00") == 0 &&
              json_integer_value(json_object_get(json_object_get(six, "layout"), "id")) == 1,
          "the preview does not show layout 1 at 06:00");
  json_decref(from_cli);
  json_decref(from_api);

  char line[256];
  const char *table[] = {"timeline", "1", "--data", srv->dir, "--day", "2026-12-01", NULL};
  expect_line(bin, table, "\n06:00-10:59  Breakfast \\(layout 1, entry 1\\)  main: -\n", line,
              sizeof line);

  const struct {
    const char *path;
    long status;
    const char *field;
  } bad[] = {
      {"/api/v1/displays/99/timeline", 404, ""}, /* "": no field (null) */
      {"/api/v1/displays/1/timeline?from=2026-12-01", 400, "from"},
      {"/api/v1/displays/1/timeline?from=2026-12-01T00:00:00Z&to=2026-12-09T00:00:00Z", 400,
       "to"},
      {"/api/v1/displays/1/timeline?from=2026-12-01T00:00:00Z&to=2026-11-30T00:00:00Z", 400,
       "to"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    json_t *e = api_call(srv, token, "GET", bad[i].path, NULL, &status);
    const char *field = json_string_value(json_object_get(json_object_get(e, "error"), "field"));
    bool same = bad[i].field[0] ? field && strcmp(field, bad[i].field) == 0 : !field;
    H_CHECK(status == bad[i].status && same,
            "GET %s: status %ld field '%s', want %ld '%s'", bad[i].path, status,
            field ? field : "(none)", bad[i].status, bad[i].field);
    json_decref(e);
  }
}

int mode_cli(const char *bin) {
  char dir[] = "/tmp/vt-cli-XXXXXX", token[256], display[256];
  if (!mkdtemp(dir)) return 1;
  /* argv after the program name (DIR is the temp dir), the expected exit, what it tests */
  const struct {
    const char *args[8];
    int want;
    const char *what;
  } runs[] = {
      {{"--help"}, 0, "--help"},
      {{"serve", "--help"}, 0, "serve --help"},
      {{"token", "create", "--help"}, 0, "token create --help"},
      {{"display", "add", "--help"}, 0, "display add --help"},
      {{NULL}, 2, "no command"},
      {{"frobnicate"}, 2, "an unknown command"},
      {{"serve", "--data", "DIR", "--bogus"}, 2, "an unknown option"},
      {{"serve", "--data"}, 2, "an option without its value"},
      {{"token", "create", "--role", "owner"}, 2, "no --data"},
      {{"token", "create", "--data", "DIR", "--role", "king"}, 2, "an unknown role"},
      {{"display", "add", "Lobby", "--data", "DIR", "--layout", "99"}, 2, "an unknown layout"},
      {{"display", "add", "--data", "DIR"}, 2, "no display name"},
      {{"display", "add", "\xff\xfe", "--data", "DIR"}, 2, "a display name that is not UTF-8"},
      {{"token", "create", "--data", "DIR", "--role", "viewer", "--name", "\xc3"},
       2,
       "a token name that is not UTF-8"},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    const char *args[9] = {NULL};
    for (size_t k = 0; k < 8 && runs[i].args[k]; k++)
      args[k] = strcmp(runs[i].args[k], "DIR") == 0 ? dir : runs[i].args[k];
    expect_exit(bin, args, runs[i].want, runs[i].what);
  }

  const char *mk_token[] = {"token",  "create", "--data", dir, "--role",
                            "viewer", "--name", "ci",     NULL};
  const char *mk_display[] = {"display", "add", "Lobby", "--data", dir, NULL};
  struct server srv = {.bin = bin};
  snprintf(srv.dir, sizeof srv.dir, "%s", dir);
  /* then serve the same directory: what the CLI wrote works over HTTP */
  if (expect_line(bin, mk_token, "^vta_[0-9a-f]{16}_[0-9a-f]{64}\n$", token, sizeof token) &&
      expect_line(bin, mk_display, "^1 vtd_[0-9a-f]{16}_[0-9a-f]{64}\n$", display,
                  sizeof display) &&
      server_serve(&srv, NULL)) {
    long status = 0;
    json_t *list = api_call(&srv, token, "GET", "/api/v1/displays", NULL, &status);
    json_t *first = json_array_get(json_object_get(list, "items"), 0);
    H_CHECK(status == 200 && json_is_string(json_object_get(first, "name")) &&
                strcmp(json_string_value(json_object_get(first, "name")), "Lobby") == 0 &&
                json_integer_value(json_object_get(first, "manifest_version")) == 1,
            "the CLI's display is not listed with manifest version 1");
    json_decref(list);
    json_t *manifest = api_call(&srv, display + 2, "GET", "/api/v1/player/manifest", NULL, &status);
    H_CHECK(status == 200 && json_integer_value(json_object_get(manifest, "version")) == 1,
            "the CLI's display token does not fetch its manifest");
    json_decref(manifest);
    check_timeline(&srv, bin, token);
  }
  server_stop(&srv); /* also removes dir */
  fprintf(stderr, "%s: command line\n", h_failures ? "FAIL" : "PASS");
  return h_failures ? 1 : 0;
}
