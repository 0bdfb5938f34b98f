/* Clocks and RFC 3339 timestamps. Instants are int64 milliseconds since the Unix epoch, UTC. */
#ifndef VT_TIMEUTIL_H
#define VT_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#define VT_TIME_MAX INT64_MAX /* "never ends" */
#define VT_RFC3339_MAX 32     /* buffer size for vt_time_format */

int64_t vt_now_ms(void);  /* wall clock, UTC */
int64_t vt_mono_ms(void); /* monotonic, for timeouts and latency */
int64_t vt_mono_us(void);

/* Parse "2026-12-01T08:30:00Z", with optional fraction and "+hh:mm"/"-hh:mm" offset.
 * A lower-case t/z and a space instead of T are accepted; anything else is rejected. */
bool vt_time_parse(const char *s, int64_t *out_ms);

/* Format as "2026-12-01T08:30:00Z", or with ".123" when the instant has milliseconds. */
void vt_time_format(int64_t ms, char out[VT_RFC3339_MAX]);

/* Floor division and modulo for possibly negative instants (loop positions before the anchor). */
int64_t vt_floor_div(int64_t a, int64_t b);
int64_t vt_floor_mod(int64_t a, int64_t b);

#endif
