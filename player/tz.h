/* Time zones from the system's TZif files, without libc's process-global TZ state: a zone is
 * read once into a table of transitions (plus the file's footer rule for instants past its
 * last transition); the UTC offset at any instant is then a binary search. Render thread or
 * any thread: a struct tz is plain data. Used by the clock and the weather panel. */
#ifndef PLAYER_TZ_H
#define PLAYER_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

/* A POSIX TZ rule for instants past the table ("<+0330>-3:30", "CET-1CEST,M3.5.0,M10.5.0/3"):
 * standard offset, and optionally a DST offset with Mm.w.d start and end rules. */
struct tz_rule {
  long std_off, dst_off; /* seconds east of UTC */
  bool has_dst;
  int start_m, start_w, start_d, end_m, end_w, end_d;
  long start_t, end_t; /* seconds after local midnight */
};

struct tz {
  int64_t *at; /* transition instants, seconds UTC, ascending */
  long *off;   /* offset from each transition on */
  size_t n;
  long first_off; /* before the first transition */
  struct tz_rule rule;
  bool has_rule;
};

/* Read the TZif (version 2+, 64-bit section and footer) of zone name ("UTC" needs no file). */
enum vt_err tz_load(const char *name, struct tz *z, struct vt_error *err) VT_WARN_UNUSED;
void tz_free(struct tz *z);
/* Offset (seconds east of UTC) at t (seconds UTC), and the next instant it may change (> t;
 * INT64_MAX: never). */
long tz_offset(const struct tz *z, int64_t t, int64_t *next);

#endif
