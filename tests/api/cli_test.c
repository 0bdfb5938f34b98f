/* The command line: help and usage errors, `token create` and `display add` output, and
 * that what the CLI writes is what the server then serves. */
#include <regex.h>
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
  }
  server_stop(&srv); /* also removes dir */
  fprintf(stderr, "%s: command line\n", h_failures ? "FAIL" : "PASS");
  return h_failures ? 1 : 0;
}
