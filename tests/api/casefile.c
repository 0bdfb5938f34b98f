/* One tests/data/api/NNNN.case: parse it, run its request against a fresh seeded server,
 * check the status, headers, JSON and the store. The format is documented in
 * tests/data/api/README.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "harness.h"

#define CASE_MAX_HEADERS 16

struct testcase {
  struct hbuf info, request, body, generate, expect, json, store;
  bool has_body, has_json, has_store;
};

static void case_free(struct testcase *c) {
  hbuf_free(&c->info);
  hbuf_free(&c->request);
  hbuf_free(&c->body);
  hbuf_free(&c->generate);
  hbuf_free(&c->expect);
  hbuf_free(&c->json);
  hbuf_free(&c->store);
}

static struct hbuf *section(struct testcase *c, const char *name) {
  static const char *const names[] = {"info",   "request", "body", "generate",
                                      "expect", "json",    "store"};
  struct hbuf *bufs[] = {&c->info,   &c->request, &c->body, &c->generate,
                         &c->expect, &c->json,    &c->store};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i], name) == 0) {
      if (bufs[i] == &c->body) c->has_body = true;
      if (bufs[i] == &c->json) c->has_json = true;
      if (bufs[i] == &c->store) c->has_store = true;
      return bufs[i];
    }
  return NULL;
}

/* Sections are <name> ... </name> on their own lines; text outside them is ignored. */
static bool case_parse(const char *path, struct testcase *c) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return false;
  }
  char *line = NULL, name[32];
  size_t line_cap = 0;
  struct hbuf *cur = NULL;
  bool ok = true;
  ssize_t got;
  while (ok && (got = getline(&line, &line_cap, f)) >= 0) {
    size_t len = (size_t)got;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (!cur && sscanf(line, "<%31[a-z]>", name) == 1 && line[strlen(name) + 1] == '>') {
      if (!(cur = section(c, name))) {
        fprintf(stderr, "%s: unknown section <%s>\n", path, name);
        ok = false;
      }
      hbuf_add(cur ? cur : &c->info, "", 0);
      continue;
    }
    if (cur && strncmp(line, "</", 2) == 0) {
      cur = NULL;
      continue;
    }
    if (!cur) continue;
    if (cur->len) hbuf_add(cur, "\n", 1);
    hbuf_add(cur, line, len);
  }
  free(line);
  fclose(f);
  if (ok && !c->request.len) {
    fprintf(stderr, "%s: no <request> section\n", path);
    ok = false;
  }
  return ok;
}

/* The Authorization header for an auth name. */
static bool auth_header(const struct fixture *fx, const char *who, char *out, size_t size) {
  const char *token = NULL;
  if (strcmp(who, "owner") == 0)
    token = fx->owner;
  else if (strcmp(who, "editor") == 0)
    token = fx->editor;
  else if (strcmp(who, "viewer") == 0)
    token = fx->viewer;
  else if (strcmp(who, "display") == 0)
    token = fx->display;
  else if (strcmp(who, "display2") == 0)
    token = fx->display2;
  else if (strcmp(who, "bad") == 0) /* well formed, unknown */
    token = "vta_0123456789abcdef_0000000000000000000000000000000000000000000000000000000000000000";
  if (token) {
    snprintf(out, size, "Authorization: Bearer %s", token);
    return true;
  }
  if (strcmp(who, "malformed") == 0) {
    snprintf(out, size, "Authorization: Bearer not-a-token");
    return true;
  }
  if (strcmp(who, "none") == 0) {
    out[0] = '\0';
    return true;
  }
  return false;
}

struct request_spec {
  char method[16], path[1024], auth[256];
  char *headers[CASE_MAX_HEADERS + 1];
  size_t n_headers;
};

/* First line "METHOD PATH", then "auth: WHO" and header lines. text is expanded already. */
static bool parse_request(const struct fixture *fx, char *text, struct request_spec *r) {
  memset(r, 0, sizeof *r);
  char *save = NULL, who[32] = "none";
  char *line = strtok_r(text, "\n", &save);
  if (!line || sscanf(line, "%15s %1023s", r->method, r->path) != 2) return false;
  while ((line = strtok_r(NULL, "\n", &save))) {
    if (sscanf(line, "auth: %31s", who) == 1) continue;
    if (r->n_headers < CASE_MAX_HEADERS) r->headers[r->n_headers++] = line;
  }
  if (!auth_header(fx, who, r->auth, sizeof r->auth)) {
    fprintf(stderr, "unknown auth '%s'\n", who);
    return false;
  }
  if (r->auth[0]) r->headers[r->n_headers++] = r->auth;
  return true;
}

/* "status: N", "header: Name: value", "header-absent: Name". */
static void check_expect(char *text, const struct response *resp, long *status) {
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char name[128], got[512];
    if (sscanf(line, "status: %ld", status) == 1) continue;
    if (strncmp(line, "header: ", 8) == 0) {
      const char *colon = strchr(line + 8, ':');
      if (!colon) continue;
      snprintf(name, sizeof name, "%.*s", (int)(colon - line - 8), line + 8);
      const char *want = colon + 1;
      while (*want == ' ') want++;
      bool present = response_header(resp, name, got, sizeof got);
      H_CHECK(present && strcmp(got, want) == 0, "header %s: want '%s', got '%s'", name, want,
              present ? got : "(absent)");
    } else if (sscanf(line, "header-absent: %127s", name) == 1) {
      H_CHECK(!response_header(resp, name, got, sizeof got), "header %s should be absent, is '%s'",
              name, got);
    }
  }
}

/* Every 4xx/5xx reply is {"error":{"code":string,"message":string,"field":string|null}}. */
static void check_error_shape(const struct response *r) {
  json_t *e = json_object_get(r->json, "error");
  json_t *field = json_object_get(e, "field");
  H_CHECK(json_is_string(json_object_get(e, "code")) &&
              json_is_string(json_object_get(e, "message")) &&
              (json_is_string(field) || json_is_null(field)),
          "a %ld reply must be {\"error\":{\"code\",\"message\",\"field\"}}, got: %s", r->status,
          r->body.data);
}

static void run_case(const struct server *srv, const struct fixture *fx, struct testcase *c) {
  char *request = fixture_expand(fx, c->request.data);
  char *body = c->has_body ? fixture_expand(fx, c->body.data) : NULL;
  char *expect = fixture_expand(fx, c->expect.data ? c->expect.data : "");
  char *json = c->has_json ? fixture_expand(fx, c->json.data) : NULL;
  struct request_spec rs;
  struct hbuf generated = {0};
  struct snapshot before, after;
  struct response resp = {0};
  long want_status = 0;
  const void *payload = body;
  size_t payload_len = body ? strlen(body) : 0;

  if (!parse_request(fx, request, &rs)) {
    H_CHECK(false, "bad <request> section");
    goto out;
  }
  if (c->generate.len) {
    if (!gen_body(c->generate.data, &generated)) {
      H_CHECK(false, "bad <generate> '%s'", c->generate.data);
      goto out;
    }
    payload = generated.data;
    payload_len = generated.len;
  }
  if (!snapshot_take(srv->dir, &before)) {
    H_CHECK(false, "snapshot failed");
    goto out;
  }
  if (!http_do(srv->url, rs.method, rs.path, (const char *const *)rs.headers, payload, payload_len,
               &resp)) {
    H_CHECK(false, "request failed");
    snapshot_free(&before);
    goto out;
  }
  check_expect(expect, &resp, &want_status);
  H_CHECK(want_status == 0 || resp.status == want_status, "status: want %ld, got %ld; body: %s",
          want_status, resp.status, resp.body.data);
  if (resp.status >= 400) check_error_shape(&resp);
  if (json) {
    json_error_t je;
    json_t *want = json_loads(json, 0, &je);
    H_CHECK(want != NULL, "<json> is not JSON: %s (line %d)", je.text, je.line);
    if (want) {
      H_CHECK(resp.json && json_subset(want, resp.json, "$"),
              "reply is not a superset of <json>: %s", resp.body.data);
      json_decref(want);
    }
  }
  if (snapshot_take(srv->dir, &after)) {
    H_CHECK(snapshot_expect(&before, &after, c->has_store ? c->store.data : NULL),
            "the store does not match <store>");
    snapshot_free(&after);
  } else {
    H_CHECK(false, "snapshot after the request failed");
  }
  snapshot_free(&before);
out:
  response_free(&resp);
  hbuf_free(&generated);
  free(request);
  free(body);
  free(expect);
  free(json);
}

int mode_case(const char *bin, const char *case_path) {
  struct testcase c;
  if (!case_parse(case_path, &c)) {
    case_free(&c);
    return 1;
  }
  struct server srv;
  struct fixture fx;
  if (!server_start(&srv, bin, NULL)) {
    case_free(&c);
    return 1;
  }
  if (fixture_seed(&srv, &fx))
    run_case(&srv, &fx, &c);
  else
    H_CHECK(false, "fixture seeding failed");
  server_stop(&srv);
  fprintf(stderr, "%s: %s\n", h_failures ? "FAIL" : "PASS", c.info.data ? c.info.data : case_path);
  case_free(&c);
  return h_failures ? 1 : 0;
}
