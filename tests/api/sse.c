/* Push: two displays hold event streams while the API changes things.
 *
 *   A = DISPLAY  (its content: PLAYLIST via LAYOUT)
 *   B = DISPLAY2 (its content: PLAYLIST2 via LAYOUT2)
 *
 * 1. On connect each stream sends the current version at once.
 * 2. A change to PLAYLIST gives A exactly version + 1, and by the time the event arrives
 *    the database already holds that version (announced after COMMIT, never before).
 * 3. A rejected write, a write that changes nothing, and a change that reaches only B
 *    send nothing to A: A's next event after them is exactly + 1 again. The same holds
 *    the other way round for B.
 * 4. Keep-alive comments flow; deleting B ends B's stream; SIGTERM ends A's.
 * 5. Rotating a display's token ends the stream opened with the old token, and the old
 *    token stops working at once. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SSE_MAX_EVENTS 64

struct stream {
  const char *name;
  CURL *h;
  struct curl_slist *headers;
  struct hbuf buf;
  size_t parsed;
  int64_t versions[SSE_MAX_EVENTS];
  int n_events, keepalives;
  int64_t last_event_ms; /* when the newest event was parsed */
  bool done;
};

static size_t on_data(char *data, size_t size, size_t n, void *user) {
  hbuf_add(&((struct stream *)user)->buf, data, size * n);
  return size * n;
}

/* Consume the complete blocks ("...\n\n") received so far. */
static void parse(struct stream *s) {
  for (;;) {
    char *start = s->buf.data ? s->buf.data + s->parsed : NULL;
    char *end = start ? strstr(start, "\n\n") : NULL;
    if (!end) return;
    *end = '\0';
    if (strncmp(start, ": keep-alive", 12) == 0) {
      s->keepalives++;
    } else if (strncmp(start, "event: manifest\ndata: ", 22) == 0) {
      json_t *j = json_loads(start + 22, 0, NULL);
      json_t *v = json_object_get(j, "version");
      H_CHECK(json_is_integer(v) && json_is_string(json_object_get(j, "etag")),
              "%s: bad event data '%s'", s->name, start + 22);
      if (s->n_events < SSE_MAX_EVENTS) s->versions[s->n_events++] = json_integer_value(v);
      s->last_event_ms = h_mono_ms();
      json_decref(j);
    } else {
      H_CHECK(false, "%s: unexpected block '%s'", s->name, start);
    }
    s->parsed = (size_t)(end - s->buf.data) + 2;
  }
}

static bool stream_open(CURLM *m, struct stream *s, const char *name, const char *url,
                        const char *token) {
  char auth[256], full[256];
  memset(s, 0, sizeof *s);
  s->name = name;
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
  snprintf(full, sizeof full, "%s/api/v1/player/events", url);
  s->headers = curl_slist_append(NULL, auth);
  s->h = curl_easy_init();
  if (!s->h) return false;
  curl_easy_setopt(s->h, CURLOPT_URL, full);
  curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, s->headers);
  curl_easy_setopt(s->h, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(s->h, CURLOPT_WRITEDATA, s);
  curl_easy_setopt(s->h, CURLOPT_PRIVATE, s);
  curl_easy_setopt(s->h, CURLOPT_NOSIGNAL, 1L);
  return curl_multi_add_handle(m, s->h) == CURLM_OK;
}

static void stream_close(CURLM *m, struct stream *s) {
  if (s->h) {
    curl_multi_remove_handle(m, s->h);
    curl_easy_cleanup(s->h);
  }
  curl_slist_free_all(s->headers);
  hbuf_free(&s->buf);
}

typedef bool (*condition)(struct stream *s, int arg);
static bool has_events(struct stream *s, int n) { return s->n_events >= n; }
static bool has_keepalives(struct stream *s, int n) { return s->keepalives >= n; }
static bool is_done(struct stream *s, int n) {
  (void)n;
  return s->done;
}

/* Drive the transfers until cond(s, arg) holds or the deadline passes. */
static bool pump(CURLM *m, struct stream *s, condition cond, int arg, const char *what) {
  int64_t deadline = h_mono_ms() + H_DEADLINE_MS;
  for (;;) {
    int running = 0, left = 0;
    curl_multi_perform(m, &running);
    for (CURLMsg *msg; (msg = curl_multi_info_read(m, &left));) {
      struct stream *done = NULL;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&done);
      if (msg->msg == CURLMSG_DONE && done) done->done = true;
    }
    parse(s);
    if (cond(s, arg)) return true;
    if (h_mono_ms() > deadline) {
      H_CHECK(false, "%s: timed out waiting for %s", s->name, what);
      return false;
    }
    curl_multi_poll(m, NULL, 0, 50, NULL);
  }
}

static void write_ok(const struct server *srv, const char *token, const char *method,
                     const char *path, const char *body, long want) {
  long status = 0;
  json_t *j = api_call(srv, token, method, path, body, &status);
  H_CHECK(status == want, "%s %s: want %ld, got %ld", method, path, want, status);
  json_decref(j);
}

static int64_t stored_version(const struct server *srv, int64_t display) {
  char sql[128];
  int64_t v = -1;
  snprintf(sql, sizeof sql, "SELECT version FROM manifests WHERE display_id = %lld",
           (long long)display);
  H_CHECK(snapshot_query_int(srv->dir, sql, &v), "cannot read the stored version");
  return v;
}

static void check_online(const struct server *srv, const struct fixture *fx, int64_t id,
                         bool want) {
  char path[64];
  long status = 0;
  snprintf(path, sizeof path, "/api/v1/displays/%lld", (long long)id);
  json_t *j = api_call(srv, fx->viewer, "GET", path, NULL, &status);
  json_t *online = json_object_get(j, "online");
  H_CHECK(status == 200 && json_is_boolean(online) && json_boolean_value(online) == want &&
              (!want || json_is_string(json_object_get(j, "last_seen"))),
          "display %lld: want online=%d with last_seen", (long long)id, want);
  json_decref(j);
}

static long status_with(const struct server *srv, const char *token, const char *path) {
  long status = 0;
  json_decref(api_call(srv, token, "GET", path, NULL, &status));
  return status;
}

/* 5: a third display C, its stream, then a token rotation. */
static void rotation(const struct server *srv, const struct fixture *fx, CURLM *m,
                     struct stream *c) {
  long status = 0;
  char old_token[128] = "", new_token[128] = "", path[96];
  json_t *d =
      api_call(srv, fx->editor, "POST", "/api/v1/displays", "{\"name\":\"Side door\"}", &status);
  int64_t id = json_integer_value(json_object_get(d, "id"));
  const char *t = json_string_value(json_object_get(d, "token"));
  if (t) snprintf(old_token, sizeof old_token, "%s", t);
  json_decref(d);
  H_CHECK(status == 201 && id > 0 && old_token[0], "cannot create display C");
  if (status != 201 || !stream_open(m, c, "C", srv->url, old_token) ||
      !pump(m, c, has_events, 1, "C's first event"))
    return;
  snprintf(path, sizeof path, "/api/v1/displays/%lld/token", (long long)id);
  d = api_call(srv, fx->owner, "POST", path, NULL, &status);
  t = json_string_value(json_object_get(d, "token"));
  if (t) snprintf(new_token, sizeof new_token, "%s", t);
  json_decref(d);
  H_CHECK(status == 200 && new_token[0] && strcmp(new_token, old_token) != 0, "rotation failed");
  pump(m, c, is_done, 0, "the end of C's stream after its token was rotated");
  H_CHECK(status_with(srv, old_token, "/api/v1/player/manifest") == 401,
          "the rotated-out token still works");
  H_CHECK(status_with(srv, new_token, "/api/v1/player/manifest") == 200,
          "the new token does not work");
}

static void scenario(const struct server *srv, const struct fixture *fx, CURLM *m, struct stream *a,
                     struct stream *b, struct stream *c) {
  char item[128], pl2[128];
  snprintf(item, sizeof item, "/api/v1/playlists/%lld/items/%lld", (long long)fx->playlist,
           (long long)fx->item2);
  snprintf(pl2, sizeof pl2, "/api/v1/playlists/%lld", (long long)fx->playlist2);

  /* 1: current state on connect */
  if (!pump(m, a, has_events, 1, "the first event") ||
      !pump(m, b, has_events, 1, "the first event"))
    return;
  int64_t va = a->versions[0], vb = b->versions[0];
  H_CHECK(va == stored_version(srv, fx->display_id), "A's first event is not the stored version");
  H_CHECK(vb == stored_version(srv, fx->display2_id), "B's first event is not the stored version");
  char *type = NULL;
  curl_easy_getinfo(a->h, CURLINFO_CONTENT_TYPE, &type);
  H_CHECK(type && strcmp(type, "text/event-stream") == 0, "Content-Type: %s", type ? type : "none");
  check_online(srv, fx, fx->display_id, true);

  /* 2: a change reaching A, announced after commit */
  int64_t t0 = h_mono_ms();
  write_ok(srv, fx->editor, "PATCH", item, "{\"text\":\"Espresso 2.80\"}", 200);
  if (!pump(m, a, has_events, 2, "the event after a change")) return;
  int64_t committed = stored_version(srv, fx->display_id);
  H_CHECK(a->versions[1] == va + 1, "A: want version %lld, got %lld", (long long)(va + 1),
          (long long)a->versions[1]);
  H_CHECK(committed >= a->versions[1],
          "A got version %lld before it was committed (store has %lld)", (long long)a->versions[1],
          (long long)committed);
  fprintf(stderr, "push latency: %lld ms after the write was sent\n",
          (long long)(a->last_event_ms - t0));

  /* 3: nothing for A from a rejected write, a no-op write, or B's change */
  write_ok(srv, fx->editor, "PATCH", item, "{\"duration_ms\":0}", 400);
  write_ok(srv, fx->editor, "PATCH", item, "{\"text\":\"Espresso 2.80\"}", 200);
  write_ok(srv, fx->editor, "PATCH", pl2, "{\"name\":\"Lunch 2\"}", 200);
  if (!pump(m, b, has_events, 2, "B's event")) return;
  H_CHECK(b->versions[1] == vb + 1, "B: want version %lld, got %lld", (long long)(vb + 1),
          (long long)b->versions[1]);
  write_ok(srv, fx->editor, "PATCH", item, "{\"text\":\"Espresso 3.00\"}", 200);
  if (!pump(m, a, has_events, 3, "A's third event")) return;
  H_CHECK(a->versions[2] == va + 2, "A: an event arrived that was not A's (want %lld, got %lld)",
          (long long)(va + 2), (long long)a->versions[2]);
  write_ok(srv, fx->editor, "PATCH", pl2, "{\"name\":\"Lunch 3\"}", 200);
  if (!pump(m, b, has_events, 3, "B's third event")) return;
  H_CHECK(b->versions[2] == vb + 2, "B: an event arrived that was not B's (want %lld, got %lld)",
          (long long)(vb + 2), (long long)b->versions[2]);

  /* 4: keep-alive, and streams that end */
  pump(m, a, has_keepalives, 1, "a keep-alive comment");
  char d2[64];
  snprintf(d2, sizeof d2, "/api/v1/displays/%lld", (long long)fx->display2_id);
  write_ok(srv, fx->editor, "DELETE", d2, NULL, 204);
  pump(m, b, is_done, 0, "the end of B's stream after its display was deleted");
  rotation(srv, fx, m, c);
  H_CHECK(a->n_events == 3, "A: %d events, want 3", a->n_events);
}

int mode_sse(const char *bin) {
  const char *extra[] = {"--keepalive-ms", "300", NULL};
  struct server srv;
  struct fixture fx;
  struct stream a = {0}, b = {0}, c = {0};
  if (!server_start(&srv, bin, extra)) return 1;
  CURLM *m = curl_multi_init();
  bool ok = fixture_seed(&srv, &fx);
  H_CHECK(ok, "fixture seeding failed");
  if (ok && stream_open(m, &a, "A", srv.url, fx.display) &&
      stream_open(m, &b, "B", srv.url, fx.display2)) {
    scenario(&srv, &fx, m, &a, &b, &c);
    server_stop(&srv); /* SIGTERM: the server must end A's stream and exit 0 */
    pump(m, &a, is_done, 0, "the end of A's stream at shutdown");
  } else {
    server_stop(&srv);
  }
  stream_close(m, &a);
  stream_close(m, &b);
  stream_close(m, &c);
  curl_multi_cleanup(m);
  fprintf(stderr, "%s: push to event streams\n", h_failures ? "FAIL" : "PASS");
  return h_failures ? 1 : 0;
}
