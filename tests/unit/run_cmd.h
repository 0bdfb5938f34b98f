/* Run a program to completion (or a deadline) and collect its exit status, stdout and
 * stderr: for tests of the manager's commands run as the real binary. */
#ifndef TESTS_RUN_CMD_H
#define TESTS_RUN_CMD_H

#include <stdbool.h>

#include "buf.h"

struct run_cmd {
  int status; /* exit status, or -1 if it did not exit by itself (killed at the deadline) */
  struct vt_buf out, err;
};

/* argv[0] is the program's path; argv is NULL-terminated. False only when the process could
 * not be started. */
bool run_cmd(const char *const argv[], int deadline_ms, struct run_cmd *r);
const char *run_cmd_text(const struct vt_buf *b); /* "" for an empty buffer */
void run_cmd_free(struct run_cmd *r);

#endif
