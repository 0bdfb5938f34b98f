#define _GNU_SOURCE /* nftw */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL_image.h>

static char tmpdir[256];

void e2e_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "FAIL %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n(test files kept in %s)\n", tmpdir);
  /* Children are in our process group's reach: take them down so ctest does not hang. */
  signal(SIGTERM, SIG_IGN);
  kill(0, SIGTERM);
  exit(1);
}

int64_t e2e_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t e2e_wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void e2e_sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

const char *e2e_tmpdir(void) {
  if (!tmpdir[0]) {
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/vitrine-e2e-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      exit(1);
    }
    /* Own process group, so e2e_fail can stop every child it started. */
    setpgid(0, 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }
  return tmpdir;
}

void e2e_path(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", e2e_tmpdir(), name);
}

void e2e_spawn(struct e2e_proc *p, const char *name, char *const argv[]) {
  int fds[2];
  char log[512];
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "%s", name);
  snprintf(log, sizeof log, "%s/%s.log", e2e_tmpdir(), name);
  if (pipe(fds) != 0) E2E_FAIL("pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) E2E_FAIL("fork: %s", strerror(errno));
  if (pid == 0) {
    int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fds[1], 1);
    if (logfd >= 0) dup2(logfd, 2);
    close(fds[0]);
    close(fds[1]);
    execv(argv[0], argv);
    fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  p->pid = pid;
  p->out_fd = fds[0];
}

bool e2e_read_line(struct e2e_proc *p, char *line, size_t size, int timeout_ms) {
  int64_t deadline = e2e_now_ms() + timeout_ms;
  for (;;) {
    char *nl = memchr(p->buf, '\n', p->len);
    if (nl) {
      size_t n = (size_t)(nl - p->buf);
      size_t copy = n < size - 1 ? n : size - 1;
      memcpy(line, p->buf, copy);
      line[copy] = '\0';
      memmove(p->buf, nl + 1, p->len - n - 1);
      p->len -= n + 1;
      return true;
    }
    int64_t left = deadline - e2e_now_ms();
    if (left <= 0 || p->out_fd < 0) return false;
    struct pollfd pfd = {p->out_fd, POLLIN, 0};
    if (poll(&pfd, 1, (int)left) <= 0) continue;
    if (p->len == sizeof p->buf) p->len = 0; /* a runaway line: drop it rather than block */
    ssize_t r = read(p->out_fd, p->buf + p->len, sizeof p->buf - p->len);
    if (r > 0) {
      p->len += (size_t)r;
    } else if (r == 0) {
      close(p->out_fd);
      p->out_fd = -1;
    }
  }
}

bool e2e_wait_line(struct e2e_proc *p, const char *needle, char *line, size_t size, int timeout_ms) {
  int64_t deadline = e2e_now_ms() + timeout_ms;
  for (;;) {
    int64_t left = deadline - e2e_now_ms();
    if (left <= 0) return false;
    if (!e2e_read_line(p, line, size, (int)left)) return false;
    if (strstr(line, needle)) return true;
  }
}

bool e2e_alive(struct e2e_proc *p) {
  if (p->pid <= 0) return false;
  int status;
  return waitpid(p->pid, &status, WNOHANG) == 0;
}

int e2e_stop(struct e2e_proc *p) {
  if (p->pid <= 0) return -1;
  int status = 0;
  kill(p->pid, SIGTERM);
  int64_t deadline = e2e_now_ms() + 5000;
  while (waitpid(p->pid, &status, WNOHANG) == 0) {
    if (e2e_now_ms() > deadline) {
      kill(p->pid, SIGKILL);
      waitpid(p->pid, &status, 0);
      status = -1;
      break;
    }
    e2e_sleep_ms(10);
  }
  if (p->out_fd >= 0) close(p->out_fd);
  p->out_fd = -1;
  p->pid = 0;
  if (status == -1) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void e2e_kill9(struct e2e_proc *p) {
  if (p->pid <= 0) return;
  kill(p->pid, SIGKILL);
  waitpid(p->pid, NULL, 0);
  if (p->out_fd >= 0) close(p->out_fd);
  p->out_fd = -1;
  p->pid = 0;
}

int e2e_run(char *const argv[], char *out, size_t size) {
  struct e2e_proc p;
  e2e_spawn(&p, "cmd", argv);
  size_t used = 0;
  out[0] = '\0';
  char line[1024];
  while (e2e_read_line(&p, line, sizeof line, 20000)) {
    int n = snprintf(out + used, size - used, "%s%s", used ? "\n" : "", line);
    if (n > 0) used += (size_t)n < size - used ? (size_t)n : size - used - 1;
  }
  int status;
  waitpid(p.pid, &status, 0);
  if (p.out_fd >= 0) close(p.out_fd);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void e2e_manager_start(struct e2e_manager *m, const char *data_name) {
  e2e_manager_start_port(m, data_name, 0);
}

int e2e_free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  E2E_CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
                getsockname(fd, (struct sockaddr *)&a, &len) == 0,
            "no free port: %s", strerror(errno));
  close(fd);
  return ntohs(a.sin_port);
}

void e2e_manager_start_port(struct e2e_manager *m, const char *data_name, int port) {
  char line[512], listen[64];
  e2e_path(m->data, sizeof m->data, data_name);
  snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
  char *argv[] = {VT_MANAGER_BIN, "serve", "--data", m->data, "--listen", listen, NULL};
  e2e_spawn(&m->proc, "manager", argv);
  if (!e2e_wait_line(&m->proc, "listening on ", line, sizeof line, 20000))
    E2E_FAIL("manager did not start (see %s/manager.log)", e2e_tmpdir());
  snprintf(m->url, sizeof m->url, "%s", strstr(line, "http://"));
}

void e2e_token(const struct e2e_manager *m, const char *role, char *out, size_t size) {
  char *argv[] = {VT_MANAGER_BIN, "token", "create", "--data", (char *)m->data, "--role",
                  (char *)role, NULL};
  int rc = e2e_run(argv, out, size);
  E2E_CHECK(rc == 0 && strlen(out) >= 32, "token create failed (%d): %s", rc, out);
}

struct growbuf {
  char *data;
  size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *ud) {
  struct growbuf *b = ud;
  size_t add = size * n;
  char *nd = realloc(b->data, b->len + add + 1);
  if (!nd) return 0;
  memcpy(nd + b->len, ptr, add);
  b->data = nd;
  b->len += add;
  b->data[b->len] = '\0';
  return add;
}

void e2e_http(const char *method, const char *url, const char *token, const char *content_type,
              const void *body, size_t body_len, struct e2e_response *resp) {
  CURL *c = curl_easy_init();
  struct curl_slist *h = NULL;
  struct growbuf b = {NULL, 0};
  char hdr[512];
  if (token) {
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", token);
    h = curl_slist_append(h, hdr);
  }
  if (content_type) {
    snprintf(hdr, sizeof hdr, "Content-Type: %s", content_type);
    h = curl_slist_append(h, hdr);
  }
  h = curl_slist_append(h, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) E2E_FAIL("%s %s: %s", method, url, curl_easy_strerror(rc));
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
  resp->body = b.data;
  resp->len = b.len;
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
}

void e2e_response_free(struct e2e_response *r) {
  free(r->body);
  r->body = NULL;
}

json_t *e2e_api(const struct e2e_manager *m, const char *method, const char *path,
                const char *token, const char *json_body, long want_status) {
  char url[1024];
  struct e2e_response r;
  snprintf(url, sizeof url, "%s%s", m->url, path);
  e2e_http(method, url, token, json_body ? "application/json" : NULL, json_body,
           json_body ? strlen(json_body) : 0, &r);
  if (r.status != want_status)
    E2E_FAIL("%s %s: status %ld, want %ld: %s", method, path, r.status, want_status,
             r.body ? r.body : "");
  json_t *j = NULL;
  if (r.len) {
    json_error_t je;
    j = json_loadb(r.body, r.len, 0, &je);
    if (!j) E2E_FAIL("%s %s: response is not JSON: %s", method, path, r.body);
  }
  e2e_response_free(&r);
  return j;
}

json_t *e2e_vapif(const struct e2e_manager *m, const char *method, const char *path,
                  const char *token, long want_status, const char *fmt, va_list ap) {
  char body[8192];
  int n = vsnprintf(body, sizeof body, fmt, ap);
  E2E_CHECK(n >= 0 && (size_t)n < sizeof body, "%s %s: request body too long", method, path);
  return e2e_api(m, method, path, token, body, want_status);
}

json_t *e2e_apif(const struct e2e_manager *m, const char *method, const char *path,
                 const char *token, long want_status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  json_t *j = e2e_vapif(m, method, path, token, want_status, fmt, ap);
  va_end(ap);
  return j;
}

void *e2e_make_png(int w, int h, uint32_t rgb, size_t *len) {
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
  E2E_CHECK(s, "SDL surface: %s", SDL_GetError());
  SDL_FillRect(s, NULL, SDL_MapRGB(s->format, (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff));
  char path[512];
  e2e_path(path, sizeof path, "made.png");
  E2E_CHECK(IMG_SavePNG(s, path) == 0, "IMG_SavePNG: %s", IMG_GetError());
  SDL_FreeSurface(s);
  FILE *f = fopen(path, "rb");
  E2E_CHECK(f, "reopen png");
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *buf = malloc((size_t)n);
  E2E_CHECK(buf && fread(buf, 1, (size_t)n, f) == (size_t)n, "read png");
  fclose(f);
  unlink(path);
  *len = (size_t)n;
  return buf;
}

void e2e_wait_presented_layout(struct e2e_proc *player, int64_t min_version, int64_t layout,
                               int timeout_ms, struct e2e_presented *ev) {
  char line[1024], what[64] = "";
  if (layout > 0) snprintf(what, sizeof what, " with layout %lld", (long long)layout);
  int64_t deadline = e2e_now_ms() + timeout_ms;
  for (;;) {
    int64_t left = deadline - e2e_now_ms();
    if (left <= 0 || !e2e_wait_line(player, "\"presented\"", line, sizeof line, (int)left))
      E2E_FAIL("player presented no version >= %lld%s in %d ms (see %s/%s.log)",
               (long long)min_version, what, timeout_ms, e2e_tmpdir(), player->name);
    json_t *j = json_loads(line, 0, NULL);
    struct e2e_presented got = {
        .version = j ? json_integer_value(json_object_get(j, "version")) : -1,
        .layout = j ? json_integer_value(json_object_get(j, "layout")) : 0, /* null reads 0 */
        .at_ms = j ? json_integer_value(json_object_get(j, "at_ms")) : 0,
        .t_ms = j ? json_integer_value(json_object_get(j, "t_ms")) : 0};
    json_decref(j);
    if (got.version >= min_version && (layout <= 0 || got.layout == layout)) {
      if (ev) *ev = got;
      return;
    }
  }
}

int64_t e2e_wait_presented(struct e2e_proc *player, int64_t min_version, int timeout_ms) {
  struct e2e_presented ev;
  e2e_wait_presented_layout(player, min_version, 0, timeout_ms, &ev);
  return ev.version;
}

SDL_Surface *e2e_load_png(const char *path) {
  SDL_Surface *raw = IMG_Load(path);
  E2E_CHECK(raw, "cannot load %s: %s", path, IMG_GetError());
  SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
  SDL_FreeSurface(raw);
  E2E_CHECK(s, "convert %s", path);
  return s;
}

static bool close_to(uint32_t px, uint32_t rgb, int tol) {
  for (int shift = 0; shift <= 16; shift += 8) {
    int a = (int)((px >> shift) & 0xff), b = (int)((rgb >> shift) & 0xff);
    if (abs(a - b) > tol) return false;
  }
  return true;
}

static double fraction(SDL_Surface *s, int x, int y, int w, int h, uint32_t rgb, int tol, bool want) {
  E2E_CHECK(x >= 0 && y >= 0 && x + w <= s->w && y + h <= s->h,
            "rect %d,%d %dx%d outside the %dx%d snapshot", x, y, w, h, s->w, s->h);
  long hit = 0;
  for (int j = y; j < y + h; j++)
    for (int i = x; i < x + w; i++)
      if (close_to(e2e_pixel(s, i, j), rgb, tol) == want) hit++;
  return (double)hit / ((double)w * h);
}

double e2e_fraction(SDL_Surface *s, int x, int y, int w, int h, uint32_t rgb, int tol) {
  return fraction(s, x, y, w, h, rgb, tol, true);
}

double e2e_fraction_not(SDL_Surface *s, int x, int y, int w, int h, uint32_t rgb, int tol) {
  return fraction(s, x, y, w, h, rgb, tol, false);
}

int64_t e2e_mtime_ns(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

bool e2e_wait_file(const char *path, int64_t after_mtime_ns, int timeout_ms) {
  int64_t deadline = e2e_now_ms() + timeout_ms;
  while (e2e_now_ms() < deadline) {
    int64_t m = e2e_mtime_ns(path);
    if (m != 0 && m > after_mtime_ns) return true;
    e2e_sleep_ms(10);
  }
  return false;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void e2e_cleanup(void) {
  if (!tmpdir[0] || getenv("E2E_KEEP")) return;
  nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  curl_global_cleanup();
}

void e2e_write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  E2E_CHECK(f && fwrite(data, 1, len, f) == len, "write %s", path);
  E2E_CHECK(fclose(f) == 0, "write %s", path);
}

void e2e_write_text(const char *path, const char *text) { e2e_write_file(path, text, strlen(text)); }

Uint32 e2e_pixel(SDL_Surface *s, int x, int y) {
  return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x] & 0xffffffu;
}

int e2e_color_diff(Uint32 a, Uint32 b) {
  int d = 0;
  for (int k = 0; k < 24; k += 8) d += abs((int)((a >> k) & 255) - (int)((b >> k) & 255));
  return d;
}
