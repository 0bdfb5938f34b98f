/* A menu price change through the API reaches, as `event: source` on their open event
 * streams, exactly the displays that show the menu, with the menu's new version; their
 * manifest versions do not move; the snapshot they then fetch holds the new price and the
 * version as ETag, and If-None-Match with it is a 304. The real vitrine-manager on loopback.
 *   usage: test_source_push [DISPLAYS=100] [RUNS=20]
 * Prints, per run, the time from sending the PATCH to the event on the last of the streams,
 * and p50/p99 over the runs as the last line. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

struct stream {
  int fd;
  int64_t display_id;
  char token[160];
  char buf[8192];
  size_t len;
};

static int port_of(const char *url) {
  const char *p = strrchr(url, ':');
  E2E_CHECK(p, "no port in %s", url);
  return atoi(p + 1);
}

static void stream_open(struct stream *s, int port) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  E2E_CHECK(s->fd >= 0 && connect(s->fd, (struct sockaddr *)&a, sizeof a) == 0, "connect: %s",
            strerror(errno));
  char req[512];
  /* HTTP/1.0: the stream is not chunked, so events can be found in the raw bytes */
  int n = snprintf(req, sizeof req,
                   "GET /api/v1/player/events HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n",
                   s->token);
  E2E_CHECK(write(s->fd, req, (size_t)n) == n, "write: %s", strerror(errno));
  fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
  s->len = 0;
}

/* Append what the socket has now to the buffer. */
static void stream_fill(struct stream *s) {
  while (s->len + 1 < sizeof s->buf) {
    ssize_t n = read(s->fd, s->buf + s->len, sizeof s->buf - 1 - s->len);
    if (n <= 0) break;
    s->len += (size_t)n;
  }
  s->buf[s->len] = '\0';
}

/* Read what is there; consume up to and including the first occurrence of needle. */
static bool stream_take(struct stream *s, const char *needle) {
  stream_fill(s);
  char *hit = strstr(s->buf, needle);
  if (!hit) return false;
  size_t used = (size_t)(hit - s->buf) + strlen(needle);
  memmove(s->buf, s->buf + used, s->len - used + 1);
  s->len -= used;
  return true;
}

/* Wait until every stream has delivered needle; returns ms from t0 to the last one. */
static int64_t wait_all(struct stream *v, int n, const char *needle, int64_t t0, int timeout_ms) {
  bool *done = calloc((size_t)n, sizeof *done);
  struct pollfd *p = calloc((size_t)n, sizeof *p);
  int left = n;
  int64_t last = 0;
  while (left > 0) {
    int64_t now = e2e_now_ms();
    E2E_CHECK(now - t0 < timeout_ms, "%d of %d streams did not get '%s'", left, n, needle);
    for (int i = 0; i < n; i++) p[i] = (struct pollfd){.fd = done[i] ? -1 : v[i].fd, .events = POLLIN};
    poll(p, (nfds_t)n, 50);
    for (int i = 0; i < n; i++)
      if (!done[i] && stream_take(&v[i], needle)) {
        done[i] = true;
        left--;
        last = e2e_now_ms() - t0;
      }
  }
  free(done);
  free(p);
  return last;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int64_t manifest_version(const struct e2e_manager *m, const char *owner, int64_t id) {
  char path[64];
  snprintf(path, sizeof path, "/api/v1/displays/%lld", (long long)id);
  json_t *j = e2e_api(m, "GET", path, owner, NULL, 200);
  int64_t v = json_integer_value(json_object_get(j, "manifest_version"));
  json_decref(j);
  return v;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100, runs = argc > 2 ? atoi(argv[2]) : 20;
  E2E_CHECK(n > 0 && runs > 0, "usage: test_source_push [DISPLAYS] [RUNS]");
  struct e2e_manager mgr;
  char owner[128];
  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  json_t *j = e2e_api(&mgr, "POST", "/api/v1/menus", owner,
                      "{\"name\":\"Breakfast\",\"sections\":[{\"name\":\"Hot\",\"items\":[{\"name\":"
                      "\"Espresso\",\"price\":\"2.50\",\"currency\":\"EUR\"}]}]}",
                      201);
  int64_t menu = json_integer_value(json_object_get(j, "id"));
  int64_t item = json_integer_value(json_object_get(
      json_array_get(json_object_get(json_array_get(json_object_get(j, "sections"), 0), "items"), 0),
      "id"));
  json_decref(j);
  j = e2e_apif(&mgr, "POST", "/api/v1/playlists", owner, 201,
               "{\"name\":\"board\",\"items\":[{\"type\":\"menu\",\"duration_ms\":60000,"
               "\"source\":\"menu/%lld\"}]}", (long long)menu);
  int64_t pl = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  j = e2e_api(&mgr, "POST", "/api/v1/playlists", owner,
              "{\"name\":\"other\",\"items\":[{\"type\":\"text\",\"text\":\"hi\",\"duration_ms\":1000}]}",
              201);
  int64_t pl_other = json_integer_value(json_object_get(j, "id"));
  json_decref(j);
  int64_t layouts[2];
  for (int k = 0; k < 2; k++) {
    j = e2e_apif(&mgr, "POST", "/api/v1/layouts", owner, 201,
                 "{\"name\":\"l%d\",\"width\":1280,\"height\":720,\"regions\":[{\"name\":\"main\","
                 "\"x\":0,\"y\":0,\"width\":1280,\"height\":720,\"playlist_id\":%lld}]}",
                 k, (long long)(k ? pl_other : pl));
    layouts[k] = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
  }
  /* n displays show the menu; one more (the last stream) does not */
  struct stream *v = calloc((size_t)n + 1, sizeof *v);
  for (int i = 0; i <= n; i++) {
    j = e2e_apif(&mgr, "POST", "/api/v1/displays", owner, 201,
                 "{\"name\":\"d%d\",\"default_layout_id\":%lld}", i,
                 (long long)layouts[i == n ? 1 : 0]);
    v[i].display_id = json_integer_value(json_object_get(j, "id"));
    snprintf(v[i].token, sizeof v[i].token, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
  }
  int port = port_of(mgr.url);
  for (int i = 0; i <= n; i++) stream_open(&v[i], port);
  /* every stream starts with its manifest event */
  wait_all(v, n + 1, "event: manifest\n", e2e_now_ms(), 10000);
  int64_t before = manifest_version(&mgr, owner, v[0].display_id);

  int64_t *lat = calloc((size_t)runs, sizeof *lat);
  char path[128], body[128], needle[128];
  snprintf(path, sizeof path, "/api/v1/menus/%lld/items/%lld", (long long)menu, (long long)item);
  for (int r = 0; r < runs; r++) {
    snprintf(body, sizeof body, "{\"price\":\"%d.%02d\"}", 3 + r, r % 100);
    int64_t t0 = e2e_now_ms();
    j = e2e_api(&mgr, "PATCH", path, owner, body, 200);
    int64_t version = json_integer_value(json_object_get(j, "menu_version"));
    json_decref(j);
    E2E_CHECK(version == r + 2, "run %d: menu version %lld, want %d", r, (long long)version, r + 2);
    snprintf(needle, sizeof needle, "event: source\ndata: {\"key\":\"menu/%lld\",\"version\":%lld}\n\n",
             (long long)menu, (long long)version);
    lat[r] = wait_all(v, n, needle, t0, 10000);
    printf("run %d: version %lld on %d streams after %lld ms\n", r, (long long)version, n,
           (long long)lat[r]);
  }
  /* the display that does not show the menu heard nothing but its manifest */
  e2e_sleep_ms(200);
  stream_fill(&v[n]);
  E2E_CHECK(strstr(v[n].buf, "event: source") == NULL, "a display without the menu got: %s",
            v[n].buf);
  /* no manifest moved, and no manifest event followed the first */
  for (int i = 0; i < n; i++) {
    E2E_CHECK(manifest_version(&mgr, owner, v[i].display_id) == before,
              "display %lld: the manifest changed with a price", (long long)v[i].display_id);
    stream_fill(&v[i]);
    E2E_CHECK(strstr(v[i].buf, "event: manifest") == NULL, "display %lld got a manifest event",
              (long long)v[i].display_id);
  }
  /* the snapshot holds the last price; its version is the ETag; revalidation is a 304 */
  char url[256], auth[256], etag[32];
  snprintf(url, sizeof url, "%s/api/v1/player/sources/menu/%lld", mgr.url, (long long)menu);
  struct e2e_response resp;
  e2e_http("GET", url, v[0].token, NULL, NULL, 0, &resp);
  E2E_CHECK(resp.status == 200, "snapshot: %ld", resp.status);
  json_t *doc = json_loadb(resp.body, resp.len, 0, NULL);
  snprintf(body, sizeof body, "%d.%02d", 3 + runs - 1, (runs - 1) % 100);
  const char *price = json_string_value(json_object_get(
      json_array_get(json_object_get(json_array_get(json_object_get(json_object_get(doc, "data"),
                                                                     "sections"),
                                                    0),
                                     "items"),
                     0),
      "price"));
  E2E_CHECK(price && strcmp(price, body) == 0, "snapshot price %s, want %s", price ? price : "-", body);
  E2E_CHECK(json_integer_value(json_object_get(doc, "version")) == runs + 1, "snapshot version");
  json_decref(doc);
  e2e_response_free(&resp);
  /* the display without the menu may not fetch it */
  e2e_http("GET", url, v[n].token, NULL, NULL, 0, &resp);
  E2E_CHECK(resp.status == 404, "a display without the menu fetched it: %ld", resp.status);
  e2e_response_free(&resp);
  snprintf(etag, sizeof etag, "\"%d\"", runs + 1);
  snprintf(auth, sizeof auth, "If-None-Match: %s", etag);
  {
    /* e2e_http sends no extra headers: a raw request for the 304 */
    struct stream q = {0};
    snprintf(q.token, sizeof q.token, "%s", v[0].token);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    q.fd = socket(AF_INET, SOCK_STREAM, 0);
    E2E_CHECK(connect(q.fd, (struct sockaddr *)&a, sizeof a) == 0, "connect");
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET /api/v1/player/sources/menu/%lld HTTP/1.0\r\nAuthorization: Bearer "
                       "%s\r\n%s\r\n\r\n", (long long)menu, q.token, auth);
    E2E_CHECK(write(q.fd, req, (size_t)len) == len, "write");
    ssize_t got = read(q.fd, q.buf, sizeof q.buf - 1);
    q.buf[got > 0 ? got : 0] = '\0';
    E2E_CHECK(strncmp(q.buf, "HTTP/1.0 304", 12) == 0 || strncmp(q.buf, "HTTP/1.1 304", 12) == 0,
              "If-None-Match %s: %.40s", etag, q.buf);
    close(q.fd);
  }

  for (int i = 0; i <= n; i++) close(v[i].fd);
  free(v);
  qsort(lat, (size_t)runs, sizeof *lat, cmp_i64);
  printf("source_push_ms displays=%d p50=%lld p99=%lld max=%lld n=%d\n", n,
         (long long)lat[runs / 2], (long long)lat[(runs * 99) / 100],
         (long long)lat[runs - 1], runs);
  free(lat);
  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "the manager did not exit cleanly");
  e2e_cleanup();
  return 0;
}
