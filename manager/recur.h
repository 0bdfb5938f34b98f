/* Recurrence and local time: the only code that calls libical (docs/scheduling.md).
 *
 * Schedules are written in wall-clock time of a display's zone. This module expands an
 * RFC 5545 RRULE (with EXDATE) into local occurrences, turns local times into UTC instants
 * and back, and turns one schedule entry into the concrete UTC windows of a manifest. The
 * manifest compiler, the preview and `vitrine-manager schedule expand` all call it, so
 * what an owner previews is what the player gets. Players never need libical.
 *
 * Local times in a daylight-saving change follow RFC 5545 §3.3.5: a time that does not
 * exist (spring forward, 02:30 in Europe/Berlin on the last Sunday of March) is read with
 * the offset before the gap (02:30 CET = 03:30 CEST); a time that happens twice (fall back)
 * means the first of the two.
 *
 * libical keeps global state (zone cache, errno); every entry point here serialises on one
 * mutex, so the HTTP thread and the renewal thread can both compile. */
#ifndef MANAGER_RECUR_H
#define MANAGER_RECUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

/* A wall-clock date and time with no zone. */
struct recur_local {
  int year, month, day, hour, minute, second;
};

/* "YYYYMMDDTHHMMSS" + NUL, and "YYYY-MM-DDTHH:MM:SS" + NUL */
#define RECUR_BASIC_LEN 16
#define RECUR_ISO_LEN 20

/* Parse "YYYYMMDDTHHMMSS" or "YYYY-MM-DDTHH:MM[:SS]" (no zone suffix: a 'Z' or an offset is
 * refused, since these are local times). Checks that the date exists (no 31 April). */
bool recur_local_parse(const char *s, struct recur_local *out);
/* A stored list "YYYYMMDDTHHMMSS,..." ("" for none) into *v (grown with realloc; *cap is its
 * size, so one array can serve row after row) and *n. False on no memory (bad[0] == '\0') or
 * on an element that is not a local time (copied, cut to fit, into bad). */
bool recur_local_list_parse(const char *text, struct recur_local **v, size_t *cap, size_t *n,
                            char bad[RECUR_BASIC_LEN]);
/* "YYYY-MM-DD" into a local time at 00:00:00. */
bool recur_date_parse(const char *s, struct recur_local *out);
void recur_local_basic(const struct recur_local *l, char out[RECUR_BASIC_LEN]);
void recur_local_iso(const struct recur_local *l, char out[RECUR_ISO_LEN]);
/* Wall-clock arithmetic as if no zone had daylight saving: seconds since 1970-01-01T00:00:00
 * read as a floating time, and back. Comparing two local times = comparing these. */
int64_t recur_local_seconds(const struct recur_local *l);
void recur_local_from_seconds(int64_t s, struct recur_local *out);

/* An RFC 5545 / ISO 8601 duration of whole seconds: "PT10M", "PT5H30M", "P1D", "P2W",
 * "P1DT12H" (no sign, no years or months: their length varies). Format writes the shortest
 * such form ("PT5H"). */
#define RECUR_DURATION_LEN 32
bool recur_duration_parse(const char *s, int64_t *seconds);
void recur_duration_format(int64_t seconds, char out[RECUR_DURATION_LEN]);

/* Is tzid an IANA zone name libical knows ("UTC" included)? If not, VT_ERR_INVALID naming
 * field: "unknown time zone 'Mars/Base'". */
enum vt_err recur_zone_check(const char *tzid, const char *field,
                             struct vt_error *err) VT_WARN_UNUSED;

/* Local wall-clock time in tzid -> UTC milliseconds (gap and overlap as above). */
enum vt_err recur_local_to_utc(const char *tzid, const struct recur_local *l, int64_t *out_ms,
                               struct vt_error *err) VT_WARN_UNUSED;
/* UTC milliseconds -> local time in tzid (seconds truncated) and its UTC offset. */
enum vt_err recur_utc_to_local(const char *tzid, int64_t ms, struct recur_local *out,
                               int *offset_s, struct vt_error *err) VT_WARN_UNUSED;

/* A recurrence: DTSTART, RRULE (NULL or "" = the single occurrence dtstart), EXDATEs. All in
 * the same local (or floating) time. */
struct recur_rule {
  struct recur_local dtstart;
  const char *rrule;
  const struct recur_local *exdates;
  size_t n_exdates;
};

/* Is the RRULE well formed and acceptable to libical? On error VT_ERR_INVALID with field
 * `field` and a message naming the part: "BYDAY=XX: 'XX' is not a weekday (MO..SU)",
 * "unknown part 'FOO'", "COUNT and UNTIL cannot both be given", "BYWEEKNO needs
 * FREQ=YEARLY" (the constraints of RFC 5545 §3.3.10). */
enum vt_err recur_rule_check(const struct recur_rule *r, const char *field,
                             struct vt_error *err) VT_WARN_UNUSED;

/* Stricter check for schedule entries: also refuses FREQ=SECONDLY (a screen cannot change
 * every second), and HOURLY/MINUTELY rules filtered by BYMONTH, BYWEEKNO, BYYEARDAY or
 * BYMONTHDAY (libical 3.0.16 may search for minutes on such a rule). */
enum vt_err recur_rule_check_schedule(const struct recur_rule *r, const char *field,
                                      struct vt_error *err) VT_WARN_UNUSED;

/* Called with each occurrence in order; return false to stop. */
typedef bool (*recur_fn)(void *ctx, const struct recur_local *occurrence);

/* Expand r (checked with recur_rule_check first) in order from dtstart: EXDATEs are left out
 * (COUNT counts before they are removed, RFC 5545), a DTSTART that does not match the rule is
 * not an occurrence. On HOURLY, MINUTELY and SECONDLY rules the BY parts from FREQ's unit up
 * filter the periods, as RFC 5545 says (INTERVAL=3 hours from 08:00 with BYHOUR=8,10,12,14 is
 * 08:00 and 14:00 each day), which libical 3.0.16 alone does not do. Stops when fn returns
 * false, when the rule ends, or at the first occurrence at or after `limit` (NULL: no
 * limit). */
enum vt_err recur_expand(const struct recur_rule *r, const struct recur_local *limit, recur_fn fn,
                         void *ctx, struct vt_error *err) VT_WARN_UNUSED;

/* recur_expand with DTSTART in zone tzid (NULL: floating): the same local occurrences,
 * except that an UNTIL written in UTC ('...Z') is the instant it names. Unknown zone:
 * VT_ERR_INVALID, field "timezone". */
enum vt_err recur_expand_zoned(const struct recur_rule *r, const char *tzid,
                               const struct recur_local *limit, recur_fn fn, void *ctx,
                               struct vt_error *err) VT_WARN_UNUSED;

/* A schedule entry as the compiler sees it. */
struct recur_entry {
  struct recur_rule rule;  /* in the display's local time */
  int64_t duration_s;      /* wall-clock length of each occurrence, > 0 */
  bool has_valid_from, has_valid_until;
  struct recur_local valid_from;  /* first day (00:00:00 local) */
  struct recur_local valid_until; /* last day, inclusive (00:00:00 local of that day) */
};

/* Called with each window [start_ms, end_ms) in start order; return false to stop. */
typedef bool (*recur_window_fn)(void *ctx, int64_t start_ms, int64_t end_ms);

/* The UTC windows of entry e in zone tzid overlapping [from_ms, to_ms): each occurrence
 * runs from its local start to local start + duration_s (both read in tzid, so 06:00-11:00
 * stays 06:00-11:00 across a DST change; if that end is not after the start, which only a
 * gap can cause, the end is start + duration_s exactly), cut to the validity days. */
enum vt_err recur_entry_windows(const struct recur_entry *e, const char *tzid, int64_t from_ms,
                                int64_t to_ms, recur_window_fn fn, void *ctx,
                                struct vt_error *err) VT_WARN_UNUSED;

/* Work shared by many recur_entry_windows_cached calls over the same range, e.g. one
 * compile pass over many displays: each rule's local occurrences (expanded once and
 * converted per zone: an entry reaching 500 displays through a group is expanded once) and
 * each zone's UTC offsets over the range (found with libical once, then each conversion
 * is a lookup). Occurrences are keyed by everything they depend on (DTSTART, rule,
 * EXDATEs, the span; the zone too for an UNTIL in UTC), so an edited entry is never
 * served from an older expansion, and a cache may be kept as long as its memory is
 * wanted (it stops growing at a bound). One caller at a time. */
struct recur_cache;
struct recur_cache *recur_cache_new(void); /* NULL: out of memory */
void recur_cache_free(struct recur_cache *c);
/* recur_entry_windows through c (NULL: nothing shared): the same windows either way. */
enum vt_err recur_entry_windows_cached(struct recur_cache *c, const struct recur_entry *e,
                                       const char *tzid, int64_t from_ms, int64_t to_ms,
                                       recur_window_fn fn, void *ctx,
                                       struct vt_error *err) VT_WARN_UNUSED;
/* Rule expansions c made and ones it saved (tests, the bench). */
void recur_cache_counts(const struct recur_cache *c, size_t *expanded, size_t *reused);

/* Could e ever take the screen? Looks for an occurrence that survives EXDATE and the
 * validity days, up to RECUR_SEARCH_YEARS after dtstart. On "no", VT_ERR_INVALID with a
 * message saying why and the field most to blame ("rrule", "exdates", "valid_until"). */
#define RECUR_SEARCH_YEARS 30
enum vt_err recur_entry_check_occurs(const struct recur_entry *e,
                                     struct vt_error *err) VT_WARN_UNUSED;

#endif
