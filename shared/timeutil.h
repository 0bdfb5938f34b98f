/* Clocks and RFC 3339 timestamps. Instants are int64 milliseconds since the Unix epoch, UTC. */
#ifndef VT_TIMEUTIL_H
#define VT_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#define VT_TIME_MAX INT64_MAX /* "never ends" */
#define VT_RFC3339_MAX 32     /* buffer size for vt_time_format */
/* The instants RFC 3339 can write with a four-digit year: 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999Z. vt_time_parse refuses anything outside, so every parsed instant
 * formats back to a string it accepts. */
#define VT_TIME_FIRST_MS (-62167219200000LL)
#define VT_TIME_LAST_MS (253402300799999LL)

int64_t vt_now_ms(void);  /* wall clock, UTC */
int64_t vt_mono_ms(void); /* monotonic, for timeouts and latency */
int64_t vt_mono_us(void);

/* Parse "2026-12-01T08:30:00Z", with optional fraction and "+hh:mm"/"-hh:mm" offset.
 * A lower-case t/z and a space instead of T are accepted; anything else is rejected. */
bool vt_time_parse(const char *s, int64_t *out_ms);

/* Format as "2026-12-01T08:30:00Z", or with ".123" when the instant has milliseconds.
 * Instants outside [VT_TIME_FIRST_MS, VT_TIME_LAST_MS] are clamped to that range. */
void vt_time_format(int64_t ms, char out[VT_RFC3339_MAX]);

/* Floor division and modulo for possibly negative instants (loop positions before the anchor). */
int64_t vt_floor_div(int64_t a, int64_t b);
int64_t vt_floor_mod(int64_t a, int64_t b);

/* Days from 1970-01-01 to a civil date (proleptic Gregorian, any year), and back: plain
 * arithmetic, no time zone and no libc call. */
int64_t vt_days_from_civil(int64_t y, unsigned m, unsigned d);
void vt_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Is name shaped like an IANA zone name ("Asia/Tehran", "UTC")? It is opened as a file below
 * the zoneinfo directory (by libical, by the player), so no empty, "." or ".." component
 * reaches it, nor the database copies "posix/" and "right/", nor the files that are not
 * zones ("localtime" follows the host's own zone, which must never change what a display
 * shows). At most VT_LIMIT_TIMEZONE_BYTES. */
bool vt_zone_name_valid(const char *name);

/* Gregorian leap years, and the length of month m (1..12) of year y. */
bool vt_is_leap_year(int64_t y);
int vt_days_in_month(int64_t y, int m);

#endif
