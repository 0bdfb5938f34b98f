/* TZif reading: see tz.h. */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jalali.h"
#include "timeutil.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define TZIF_MAX_BYTES (1 << 20) /* the largest real TZif files are ~5 KiB */

/* ---- TZif ------------------------------------------------------------------------------ */

void tz_free(struct tz *z) {
  free(z->at);
  free(z->off);
  memset(z, 0, sizeof *z);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

/* POSIX TZ pieces. Each returns the position after what it read, NULL on a syntax error. */
static const char *tz_name(const char *s) {
  if (*s == '<') {
    const char *e = strchr(s, '>');
    return e ? e + 1 : NULL;
  }
  const char *b = s;
  while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) s++;
  return s - b >= 3 ? s : NULL;
}
static const char *tz_hms(const char *s, long *out) { /* [+-]h[:mm[:ss]] */
  long sign = 1, h = 0, m = 0, sec = 0;
  if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
  if (*s < '0' || *s > '9') return NULL;
  h = strtol(s, (char **)&s, 10);
  if (*s == ':') m = strtol(s + 1, (char **)&s, 10);
  if (*s == ':') sec = strtol(s + 1, (char **)&s, 10);
  *out = sign * (h * 3600 + m * 60 + sec);
  return s;
}
static const char *tz_date(const char *s, int *m, int *w, int *d, long *t) {
  if (*s != 'M') return NULL; /* Jn and n forms: no zone in use has them */
  *m = (int)strtol(s + 1, (char **)&s, 10);
  if (*s++ != '.') return NULL;
  *w = (int)strtol(s, (char **)&s, 10);
  if (*s++ != '.') return NULL;
  *d = (int)strtol(s, (char **)&s, 10);
  *t = 7200;
  if (*s == '/') s = tz_hms(s + 1, t);
  return (*m >= 1 && *m <= 12 && *w >= 1 && *w <= 5 && *d >= 0 && *d <= 6) ? s : NULL;
}

static bool tz_parse_rule(const char *s, struct tz_rule *r) {
  long off;
  memset(r, 0, sizeof *r);
  if (!(s = tz_name(s)) || !(s = tz_hms(s, &off))) return false;
  r->std_off = -off; /* POSIX offsets are west of UTC */
  if (!*s) return true;
  if (!(s = tz_name(s))) return false;
  r->dst_off = r->std_off + 3600;
  if (*s && *s != ',') {
    if (!(s = tz_hms(s, &off))) return false;
    r->dst_off = -off;
  }
  if (*s++ != ',' || !(s = tz_date(s, &r->start_m, &r->start_w, &r->start_d, &r->start_t)) ||
      *s++ != ',' || !(s = tz_date(s, &r->end_m, &r->end_w, &r->end_d, &r->end_t)))
    return false;
  r->has_dst = true;
  return *s == '\0';
}

/* Local midnight (as days since 1970) of the w-th weekday d of month m in year y (w = 5: last). */
static int64_t rule_day(int64_t y, int m, int w, int d) {
  int64_t first = vt_days_from_civil(y, (unsigned)m, 1);
  int64_t day = first + vt_floor_mod(d - weekday_from_days(first), 7) + 7 * (w - 1);
  int64_t next_month = m == 12 ? vt_days_from_civil(y + 1, 1, 1) : vt_days_from_civil(y, (unsigned)m + 1, 1);
  while (day >= next_month) day -= 7;
  return day;
}

static long rule_offset(const struct tz_rule *r, int64_t t) {
  if (!r->has_dst) return r->std_off;
  int64_t y;
  unsigned mo, dd;
  vt_civil_from_days(vt_floor_div(t + r->std_off, 86400), &y, &mo, &dd);
  /* Transitions are given in local time: start in standard time, end in daylight time. */
  int64_t start = rule_day(y, r->start_m, r->start_w, r->start_d) * 86400 + r->start_t - r->std_off;
  int64_t end = rule_day(y, r->end_m, r->end_w, r->end_d) * 86400 + r->end_t - r->dst_off;
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start); /* south */
  return dst ? r->dst_off : r->std_off;
}

/* Read the TZif (version 2+, 64-bit section and footer) of zone name. */
enum vt_err tz_load(const char *name, struct tz *z, struct vt_error *err) {
  memset(z, 0, sizeof *z);
  if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) return VT_OK; /* no file needed */
  char path[256];
  char *text = NULL;
  size_t len = 0;
  /* the name becomes a path: only zone-shaped names go near the file system */
  if (!vt_zone_name_valid(name) || !vt_path_join(path, sizeof path, ZONEINFO_DIR, name) ||
      vt_read_file(path, TZIF_MAX_BYTES, &text, &len, err) != VT_OK)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "timezone", "no zone '%s' in %s", name,
                        ZONEINFO_DIR);
  const unsigned char *buf = (const unsigned char *)text;
  enum vt_err rc = vt_error_set(err, VT_ERR_CORRUPT, "timezone", "zone file of '%s' is not TZif v2+", name);
  /* v1 header: skip its 32-bit data to the v2 header. */
  if (len < 44 || memcmp(buf, "TZif", 4) != 0 || buf[4] < '2') goto out;
  size_t p = 0;
  for (int pass = 0; pass < 2; pass++) {
    if (p + 44 > len) goto out;
    uint32_t isut = be32(buf + p + 20), isstd = be32(buf + p + 24), leap = be32(buf + p + 28),
             timecnt = be32(buf + p + 32), typecnt = be32(buf + p + 36), charcnt = be32(buf + p + 40);
    size_t tsize = pass == 0 ? 4 : 8;
    size_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
    if (typecnt == 0 || timecnt > 100000 || typecnt > 256 || p + 44 + body > len) goto out;
    if (pass == 0) {
      p += 44 + body;
      continue;
    }
    const unsigned char *times = buf + p + 44, *idx = times + timecnt * 8, *types = idx + timecnt;
    z->at = calloc(timecnt + 1, sizeof *z->at);
    z->off = calloc(timecnt + 1, sizeof *z->off);
    if (!z->at || !z->off) {
      rc = vt_error_no_memory(err);
      goto out;
    }
    z->n = timecnt;
    for (uint32_t i = 0; i < timecnt; i++) {
      if (idx[i] >= typecnt) goto out;
      z->at[i] = be64(times + 8 * i);
      z->off[i] = (int32_t)be32(types + 6 * idx[i]);
    }
    z->first_off = (int32_t)be32(types); /* type 0: before the first transition */
    p += 44 + body;
    /* Footer: "\n<POSIX TZ>\n". */
    if (p < len && buf[p] == '\n') {
      char rule[128];
      size_t e = p + 1;
      while (e < len && buf[e] != '\n' && e - p - 1 < sizeof rule - 1) e++;
      memcpy(rule, buf + p + 1, e - p - 1);
      rule[e - p - 1] = '\0';
      z->has_rule = rule[0] && tz_parse_rule(rule, &z->rule);
    }
    rc = VT_OK;
  }
out:
  free(text);
  if (rc) tz_free(z);
  return rc;
}

/* Offset (seconds east of UTC) at t, and the next instant it may change (> t). */
long tz_offset(const struct tz *z, int64_t t, int64_t *next) {
  *next = INT64_MAX;
  if (z->n == 0 && !z->has_rule) return z->first_off;
  size_t lo = 0, hi = z->n; /* first transition after t */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (z->at[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  if (lo < z->n) {
    *next = z->at[lo];
    return lo == 0 ? z->first_off : z->off[lo - 1];
  }
  if (!z->has_rule) return z->n ? z->off[z->n - 1] : z->first_off;
  long off = rule_offset(&z->rule, t);
  if (z->rule.has_dst) *next = (t / 3600 + 1) * 3600; /* re-checked hourly; rules change on hours */
  return off;
}

