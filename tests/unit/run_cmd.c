/* See run_cmd.h. */
#define _GNU_SOURCE /* pipe2 */
#include "run_cmd.h"
#include "timeutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool run_cmd(const char *const argv[], int deadline_ms, struct run_cmd *r) {
  memset(r, 0, sizeof *r);
  r->status = -1;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return false;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return false;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    return false;
  }
  struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int64_t deadline = vt_mono_ms() + deadline_ms;
  int open_fds = 2;
  bool ok = true;
  while (open_fds > 0 && vt_mono_ms() < deadline) {
    if (poll(p, 2, 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t got = read(p[i].fd, buf, sizeof buf);
      if (got > 0) {
        if (vt_buf_append(i == 0 ? &r->out : &r->err, buf, (size_t)got) != VT_OK) ok = false;
      } else {
        close(p[i].fd);
        p[i].fd = -1;
        open_fds--;
      }
    }
  }
  for (int i = 0; i < 2; i++)
    if (p[i].fd >= 0) close(p[i].fd);
  if (open_fds > 0) kill(pid, SIGKILL);
  int status = 0;
  if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && ok)
    r->status = WEXITSTATUS(status);
  return true;
}

const char *run_cmd_text(const struct vt_buf *b) { return b->data ? b->data : ""; }

void run_cmd_free(struct run_cmd *r) {
  vt_buf_free(&r->out);
  vt_buf_free(&r->err);
}
