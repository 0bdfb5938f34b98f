/* Authentication on every route, generated from the route table itself (routes.c), so a
 * new route is covered the day it is added: no token, an unknown token, a malformed one
 * and a non-Bearer scheme get 401; a token of the wrong kind or too low a role gets 403;
 * the store is unchanged by all of them; GET routes answer the least role they allow.
 * With a docs path, also checks that docs/api.md documents every route. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "hostile_server.h"
#include "routes.h"

/* The live content this test adds to the shared fixture, so the menu, feed and source
 * routes have something to find: a menu and a news feed (fetched by the manager from a
 * loopback server), both shown by %DISPLAY%'s playlist. */
struct live {
  int64_t menu, menu_item, feed;
};

static int64_t id_of(json_t *j, const char *key) {
  return json_integer_value(json_object_get(j, key));
}

static bool seed_live(const struct server *s, const struct fixture *fx,
                      struct hostile_server *news, struct live *out) {
  static const char rss[] = "<rss version=\"2.0\"><channel><title>News</title>"
                            "<item><title>First</title></item></channel></rss>";
  char url[128], body[512], path[64];
  long status = 0;
  hostile_set(news, "/news.xml", "application/rss+xml", rss, sizeof rss - 1, "\"1\"");
  json_t *menu = api_call(s, fx->owner, "POST", "/api/v1/menus",
                          "{\"name\":\"M\",\"sections\":[{\"name\":\"S\",\"items\":"
                          "[{\"name\":\"Tea\",\"price\":\"2.00\",\"currency\":\"EUR\"}]}]}",
                          &status);
  out->menu = id_of(menu, "id");
  out->menu_item = id_of(json_array_get(
      json_object_get(json_array_get(json_object_get(menu, "sections"), 0), "items"), 0), "id");
  json_decref(menu);
  snprintf(body, sizeof body, "{\"name\":\"N\",\"kind\":\"news\",\"url\":\"%s\"}",
           hostile_url(news, "/news.xml", url, sizeof url));
  json_t *feed = api_call(s, fx->owner, "POST", "/api/v1/feeds", body, &status);
  out->feed = id_of(feed, "id");
  json_decref(feed);
  if (!out->menu || !out->menu_item || !out->feed) return false;

  /* the playlist %DISPLAY% shows keeps its items and gains a menu and a ticker */
  snprintf(path, sizeof path, "/api/v1/playlists/%lld", (long long)fx->playlist);
  json_t *pl = api_call(s, fx->owner, "GET", path, NULL, &status);
  json_t *items = json_object_get(pl, "items");
  snprintf(body, sizeof body, "menu/%lld", (long long)out->menu);
  json_array_append_new(items, json_pack("{s:s, s:i, s:s}", "type", "menu", "duration_ms", 5000,
                                         "source", body));
  snprintf(body, sizeof body, "feed/%lld", (long long)out->feed);
  json_array_append_new(items, json_pack("{s:s, s:i, s:s}", "type", "ticker", "duration_ms", 5000,
                                         "source", body));
  json_t *wrapper = json_pack("{s:O}", "items", items);
  char *patch = json_dumps(wrapper, 0);
  json_decref(wrapper);
  json_decref(pl);
  json_t *done = api_call(s, fx->owner, "PATCH", path, patch, &status);
  free(patch);
  json_decref(done);
  if (status != 200) return false;

  /* the fetcher runs at once; wait for its first good snapshot */
  snprintf(path, sizeof path, "/api/v1/feeds/%lld", (long long)out->feed);
  for (int tries = 0; tries < 100; tries++) {
    json_t *f = api_call(s, fx->owner, "GET", path, NULL, &status);
    int64_t version = id_of(json_object_get(f, "status"), "version");
    json_decref(f);
    if (version > 0) return true;
    nanosleep(&(struct timespec){0, 50 * 1000000L}, NULL);
  }
  return false;
}

/* Real ids for a route's placeholders, by resource, so the positive GETs find something. */
static void route_ids(const struct fixture *fx, const struct live *live, const struct route *r,
                      int64_t ids[2]) {
  ids[0] = ids[1] = 1;
  if (strstr(r->pattern, "/menus/") || strstr(r->pattern, "/sources/menu/")) {
    ids[0] = live->menu;
    ids[1] = live->menu_item;
  } else if (strstr(r->pattern, "/feeds/") || strstr(r->pattern, "/sources/feed/")) {
    ids[0] = live->feed;
  } else if (strstr(r->pattern, "/playlists/")) {
    ids[0] = fx->playlist;
    ids[1] = fx->item2;
  } else if (strstr(r->pattern, "/layouts/")) {
    ids[0] = fx->layout;
  } else if (strstr(r->pattern, "/displays/")) {
    ids[0] = fx->display_id;
  } else if (strstr(r->pattern, "/schedules/")) {
    ids[0] = fx->schedule;
  } else if (strstr(r->pattern, "/groups/")) {
    ids[0] = FIXTURE_GROUP;
  } else if (strstr(r->pattern, "/overrides/")) {
    ids[0] = FIXTURE_OVERRIDE;
  } else if (strstr(r->pattern, "/tokens/")) {
    ids[0] = fx->token_viewer;
  }
}

static void send(const struct server *s, const struct route *r, const char *path, const char *auth,
                 long want, const char *who) {
  const char *ct =
      r->flags & ROUTE_UPLOAD ? "Content-Type: image/png" : "Content-Type: application/json";
  const char *headers[] = {ct, auth, NULL};
  const char *body = r->flags & (ROUTE_JSON | ROUTE_UPLOAD) ? "{}" : NULL;
  struct response resp;
  if (!http_do(s->url, r->method, path, auth ? headers : headers + 1, body, body ? 2 : 0, &resp)) {
    H_CHECK(false, "%s %s as %s: request failed", r->method, path, who);
    return;
  }
  if (want) {
    H_CHECK(resp.status == want, "%s %s as %s: want %ld, got %ld %s", r->method, path, who, want,
            resp.status, resp.body.data);
    json_t *code = json_object_get(json_object_get(resp.json, "error"), "code");
    H_CHECK(json_is_string(code), "%s %s as %s: no JSON error in %s", r->method, path, who,
            resp.body.data);
    char h[64];
    if (want == 401)
      H_CHECK(response_header(&resp, "WWW-Authenticate", h, sizeof h) && strcmp(h, "Bearer") == 0,
              "%s %s as %s: 401 without WWW-Authenticate: Bearer", r->method, path, who);
  } else {
    H_CHECK(resp.status == 200, "%s %s as %s (allowed): want 200, got %ld %s", r->method, path, who,
            resp.status, resp.body.data);
  }
  response_free(&resp);
}

static void walk(const struct server *s, const struct fixture *fx, const struct live *live) {
  static const struct {
    enum auth_role role;
    const char *name;
  } api_roles[] = {{AUTH_VIEWER, "viewer"}, {AUTH_EDITOR, "editor"}, {AUTH_OWNER, "owner"}};
  const char *tokens[] = {fx->viewer, fx->editor, fx->owner};
  char bearer[4][256], path[512];
  snprintf(bearer[0], sizeof bearer[0], "Authorization: Bearer %s", fx->display);
  for (size_t i = 0; i < 3; i++)
    snprintf(bearer[i + 1], sizeof bearer[i + 1], "Authorization: Bearer %s", tokens[i]);
  for (size_t i = 0; i < routes_count; i++) {
    const struct route *r = &routes[i];
    int64_t ids[2];
    route_ids(fx, live, r, ids);
    if (!router_fill(r, ids, 2, fx->media1, path, sizeof path)) {
      H_CHECK(false, "cannot fill %s", r->pattern);
      continue;
    }
    send(s, r, path, NULL, 401, "nobody");
    send(s, r, path,
         "Authorization: Bearer vta_0123456789abcdef_"
         "0000000000000000000000000000000000000000000000000000000000000000",
         401, "an unknown token");
    send(s, r, path, "Authorization: Bearer not-a-token", 401, "a malformed token");
    send(s, r, path, "Authorization: Basic dXNlcjpwYXNz", 401, "Basic auth");
    bool is_get = strcmp(r->method, "GET") == 0, streams = strstr(r->pattern, "/events") != NULL;
    if (r->min_role == AUTH_DISPLAY) {
      for (size_t k = 0; k < 3; k++) send(s, r, path, bearer[k + 1], 403, api_roles[k].name);
      if (is_get && !streams) send(s, r, path, bearer[0], 0, "display");
      continue;
    }
    if (r->min_role != AUTH_ANY) send(s, r, path, bearer[0], 403, "display");
    for (size_t k = 0; k < 3; k++) {
      bool allowed = r->min_role == AUTH_ANY || api_roles[k].role >= r->min_role;
      if (!allowed)
        send(s, r, path, bearer[k + 1], 403, api_roles[k].name);
      else if (is_get && (r->min_role == api_roles[k].role || r->min_role == AUTH_ANY))
        send(s, r, path, bearer[k + 1], 0, api_roles[k].name);
    }
    if (r->min_role == AUTH_ANY && is_get) send(s, r, path, bearer[0], 0, "display");
  }
}

/* Every "METHOD pattern" of the table must appear in the API reference. */
static void check_docs(const char *docs_path) {
  FILE *f = fopen(docs_path, "r");
  H_CHECK(f != NULL, "cannot open %s", docs_path);
  if (!f) return;
  struct hbuf text = {0};
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) hbuf_add(&text, buf, n);
  fclose(f);
  for (size_t i = 0; i < routes_count; i++) {
    char needle[256];
    snprintf(needle, sizeof needle, "%s %s", routes[i].method, routes[i].pattern);
    H_CHECK(text.data && strstr(text.data, needle), "%s does not document '%s'", docs_path, needle);
  }
  hbuf_free(&text);
}

int mode_routes(const char *bin, const char *docs_path) {
  struct server srv;
  struct fixture fx;
  struct snapshot before, after;
  if (!server_start(&srv, bin, NULL)) return 1;
  struct hostile_server *news = hostile_start();
  struct live live = {0};
  if (fixture_seed(&srv, &fx) && seed_live(&srv, &fx, news, &live) &&
      snapshot_take(srv.dir, &before)) {
    walk(&srv, &fx, &live);
    if (snapshot_take(srv.dir, &after)) {
      H_CHECK(snapshot_expect(&before, &after, NULL), "a refused request changed the store");
      snapshot_free(&after);
    }
    snapshot_free(&before);
  } else {
    H_CHECK(false, "fixture seeding failed");
  }
  server_stop(&srv);
  hostile_stop(news);
  if (docs_path) check_docs(docs_path);
  fprintf(stderr, "%s: authentication on %zu routes\n", h_failures ? "FAIL" : "PASS", routes_count);
  return h_failures ? 1 : 0;
}
