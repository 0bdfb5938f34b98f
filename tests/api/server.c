/* Starting and stopping the real vitrine-manager, and running its CLI. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

int h_failures;

int64_t h_mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hbuf_add(struct hbuf *b, const void *data, size_t len) {
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + len + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) abort();
    b->data = p;
    b->cap = cap;
  }
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void hbuf_addf(struct hbuf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    hbuf_add(b, tmp, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) abort();
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  hbuf_add(b, big, (size_t)n);
  free(big);
}

void hbuf_free(struct hbuf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

/* fork + exec with stdout (and stderr) on pipes; argv[0] is bin. */
static pid_t spawn(const char *bin, const char *const *args, int *out_fd, int *err_fd) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return -1;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return -1;
  }
  const char *argv[32];
  size_t n = 0;
  argv[n++] = bin;
  for (; args && *args && n < 31; args++) argv[n++] = *args;
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    if (err_fd) dup2(err[1], STDERR_FILENO);
    execv(bin, (char *const *)argv);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  *out_fd = out[0];
  if (err_fd)
    *err_fd = err[0];
  else
    close(err[0]);
  return pid;
}

static bool wait_exit(pid_t pid, int64_t deadline, int *status) {
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return false;
    if (h_mono_ms() > deadline) return false;
    /* poll on nothing: a bounded pause between checks of the condition */
    poll(NULL, 0, 10);
  }
}

int h_run(const char *bin, const char *const *args, struct hbuf *out, struct hbuf *err) {
  int ofd = -1, efd = -1;
  pid_t pid = spawn(bin, args, &ofd, &efd);
  if (pid < 0) return -1;
  struct pollfd p[2] = {{ofd, POLLIN, 0}, {efd, POLLIN, 0}};
  int open_fds = 2;
  int64_t deadline = h_mono_ms() + H_DEADLINE_MS;
  while (open_fds > 0 && h_mono_ms() < deadline) {
    if (poll(p, 2, 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n > 0) {
        struct hbuf *dst = i == 0 ? out : err;
        if (dst) hbuf_add(dst, buf, (size_t)n);
      } else {
        close(p[i].fd);
        p[i].fd = -1;
        open_fds--;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (p[i].fd >= 0) close(p[i].fd);
  int status = 0;
  if (!wait_exit(pid, deadline, &status)) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Read the server's stdout until the "listening on URL" line. */
static bool read_listening(int fd, char *url, size_t size) {
  struct hbuf b = {0};
  int64_t deadline = h_mono_ms() + H_DEADLINE_MS;
  bool ok = false;
  while (!ok && h_mono_ms() < deadline) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    hbuf_add(&b, buf, (size_t)n);
    char *nl = strchr(b.data, '\n');
    if (nl) {
      *nl = '\0';
      ok = strncmp(b.data, "listening on http://", 20) == 0 &&
           snprintf(url, size, "%s", b.data + 13) < (int)size;
      if (!ok) fprintf(stderr, "unexpected first line from the server: '%s'\n", b.data);
      break;
    }
  }
  hbuf_free(&b);
  return ok;
}

bool server_start(struct server *s, const char *bin, const char *const *extra) {
  memset(s, 0, sizeof *s);
  s->bin = bin;
  const char *tmp = getenv("TMPDIR");
  snprintf(s->dir, sizeof s->dir, "%s/vt-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(s->dir)) {
    perror("mkdtemp");
    return false;
  }
  struct hbuf out = {0};
  const char *token_args[] = {"token", "create", "--data", s->dir, "--role", "owner", NULL};
  int rc = h_run(bin, token_args, &out, NULL);
  size_t len = out.data ? strcspn(out.data, "\n") : 0;
  bool ok = rc == 0 && len > 0 && len < sizeof s->owner;
  if (ok) memcpy(s->owner, out.data, len);
  hbuf_free(&out);
  if (!ok) {
    fprintf(stderr, "token create failed (exit %d)\n", rc);
    return false;
  }
  return server_serve(s, extra);
}

bool server_serve(struct server *s, const char *const *extra) {
  const char *args[24] = {"serve", "--data", s->dir, "--listen", "127.0.0.1:0"};
  size_t n = 5;
  for (; extra && *extra && n < 23; extra++) args[n++] = *extra;
  args[n] = NULL;
  int fd = -1;
  s->pid = spawn(s->bin, args, &fd, NULL);
  if (s->pid < 0) return false;
  bool ok = read_listening(fd, s->url, sizeof s->url);
  close(fd);
  if (!ok) {
    fprintf(stderr, "the server did not report 'listening on'\n");
    server_stop(s);
  }
  return ok;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void server_stop(struct server *s) {
  if (s->pid > 0) {
    int status = 0;
    kill(s->pid, SIGTERM);
    if (!wait_exit(s->pid, h_mono_ms() + H_DEADLINE_MS, &status)) {
      H_CHECK(false, "the server did not exit within %d ms of SIGTERM", H_DEADLINE_MS);
      kill(s->pid, SIGKILL);
      waitpid(s->pid, &status, 0);
    } else {
      H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the server's exit after SIGTERM was %s %d (want exit 0)",
              WIFEXITED(status) ? "status" : "signal",
              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
    s->pid = 0;
  }
  if (s->dir[0] && !getenv("VT_KEEP_DATA")) nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
