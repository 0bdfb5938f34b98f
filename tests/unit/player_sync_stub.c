/* Loopback HTTP stub for the player's sync tests (see player_sync_stub.h). */
#define _GNU_SOURCE
#include "player_sync_stub.h"
#include "timeutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define STUB_MAX_CONN 256
#define STUB_REQUEST_MAX 8192
#define STUB_TICK_MS 20 /* how often blocked threads look at the stop flag */

struct stub_conn {
  struct stub *srv;
  pthread_t thread;
  int fd; /* -1 once the connection thread closed it */
  bool used;
};

struct stub {
  bool (*handle)(struct stub *srv, void *user, const struct stub_request *req, int fd);
  void *user;
  int listen_fd;
  char url[64];
  pthread_t accept_thread;
  atomic_bool stop;
  atomic_int requests;
  pthread_mutex_t lock;
  struct stub_conn conns[STUB_MAX_CONN];
};

bool stub_wait_for(bool (*cond)(void *arg), void *arg, int ms) {
  int64_t deadline = vt_mono_ms() + ms;
  while (!cond(arg)) {
    if (vt_mono_ms() >= deadline) return cond(arg);
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return true;
}

const char *stub_url(const struct stub *s) { return s->url; }
bool stub_stopping(const struct stub *s) { return atomic_load(&s->stop); }
int stub_request_count(const struct stub *s) { return atomic_load(&s->requests); }

bool stub_write(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    len -= (size_t)w;
  }
  return true;
}

static const char *reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 416: return "Range Not Satisfiable";
    default: return "Status";
  }
}

bool stub_reply(int fd, int status, const char *extra_headers, const void *body, size_t len) {
  char head[1024];
  int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s\r\n", status,
                   reason(status), len, extra_headers ? extra_headers : "");
  return n > 0 && (size_t)n < sizeof head && stub_write(fd, head, (size_t)n) &&
         stub_write(fd, body, len);
}

bool stub_wait_closed(const struct stub *s, int fd, int ms) {
  int64_t deadline = vt_mono_ms() + ms;
  while (!stub_stopping(s) && vt_mono_ms() < deadline) {
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
    if (poll(&p, 1, STUB_TICK_MS) > 0) {
      char c;
      if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
      if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0) return true;
    }
  }
  return false;
}

/* Copy header `name`'s value from the header block into out. */
static void header(const char *head, const char *name, char *out, size_t size) {
  out[0] = '\0';
  size_t nlen = strlen(name);
  for (const char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
    line += 2;
    if (strncasecmp(line, name, nlen) != 0 || line[nlen] != ':') continue;
    const char *v = line + nlen + 1;
    while (*v == ' ') v++;
    const char *end = strstr(v, "\r\n");
    size_t len = end ? (size_t)(end - v) : strlen(v);
    if (len >= size) len = size - 1;
    memcpy(out, v, len);
    out[len] = '\0';
    return;
  }
}

/* Read one request head into buf (keeping what follows it in buf for the next request);
 * false at EOF, error, overflow or stop. */
static bool read_request(struct stub *s, int fd, char *buf, size_t *have, struct stub_request *r) {
  for (;;) {
    buf[*have] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (end) {
      end[2] = '\0';
      memset(r, 0, sizeof *r);
      if (sscanf(buf, "%15s %511s", r->method, r->path) != 2) return false;
      header(buf, "Range", r->range, sizeof r->range);
      header(buf, "Authorization", r->auth, sizeof r->auth);
      header(buf, "If-None-Match", r->if_none_match, sizeof r->if_none_match);
      size_t used = (size_t)(end + 4 - buf);
      memmove(buf, buf + used, *have - used);
      *have -= used;
      return true;
    }
    if (*have >= STUB_REQUEST_MAX || stub_stopping(s)) return false;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, STUB_TICK_MS) <= 0) continue;
    ssize_t n = recv(fd, buf + *have, STUB_REQUEST_MAX - *have, 0);
    if (n <= 0) return false;
    *have += (size_t)n;
  }
}

static void *conn_main(void *arg) {
  struct stub_conn *c = arg;
  struct stub *s = c->srv;
  char *buf = malloc(STUB_REQUEST_MAX + 1);
  size_t have = 0;
  struct stub_request req;
  while (buf && read_request(s, c->fd, buf, &have, &req)) {
    atomic_fetch_add(&s->requests, 1);
    if (!s->handle(s, s->user, &req, c->fd)) break;
  }
  free(buf);
  pthread_mutex_lock(&s->lock);
  close(c->fd);
  c->fd = -1;
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static void *accept_main(void *arg) {
  struct stub *s = arg;
  while (!stub_stopping(s)) {
    struct pollfd p = {.fd = s->listen_fd, .events = POLLIN};
    if (poll(&p, 1, STUB_TICK_MS) <= 0) continue;
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) continue;
    /* Handlers write a head and a body separately; without this, Nagle plus the client's
     * delayed ACK adds 40 ms to every reply and hides what the player itself costs. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
    pthread_mutex_lock(&s->lock);
    struct stub_conn *c = NULL;
    for (int i = 0; i < STUB_MAX_CONN && !c; i++)
      if (!s->conns[i].used) c = &s->conns[i];
    if (c) {
      c->used = true;
      c->srv = s;
      c->fd = fd;
      if (pthread_create(&c->thread, NULL, conn_main, c) != 0) {
        c->used = false;
        c = NULL;
      }
    }
    pthread_mutex_unlock(&s->lock);
    if (!c) close(fd);
  }
  return NULL;
}

struct stub *stub_start(bool (*handle)(struct stub *srv, void *user, const struct stub_request *req,
                                       int fd),
                        void *user) {
  struct stub *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->handle = handle;
  s->user = user;
  pthread_mutex_init(&s->lock, NULL);
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      listen(s->listen_fd, 64) != 0 ||
      getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0 ||
      pthread_create(&s->accept_thread, NULL, accept_main, s) != 0) {
    if (s->listen_fd >= 0) close(s->listen_fd);
    free(s);
    return NULL;
  }
  snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", ntohs(addr.sin_port));
  return s;
}

void stub_stop(struct stub *s) {
  if (!s) return;
  atomic_store(&s->stop, true);
  pthread_join(s->accept_thread, NULL);
  pthread_mutex_lock(&s->lock);
  for (int i = 0; i < STUB_MAX_CONN; i++)
    if (s->conns[i].used && s->conns[i].fd >= 0) shutdown(s->conns[i].fd, SHUT_RDWR);
  pthread_mutex_unlock(&s->lock);
  for (int i = 0; i < STUB_MAX_CONN; i++)
    if (s->conns[i].used) pthread_join(s->conns[i].thread, NULL);
  close(s->listen_fd);
  pthread_mutex_destroy(&s->lock);
  free(s);
}
