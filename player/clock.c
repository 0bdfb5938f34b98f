#include "clock.h"

#include "timeutil.h"

void player_clock_start_at(struct player_clock *c, int64_t start_ms) {
  c->offset_ms = start_ms - vt_now_ms();
}

/* An offset rather than a monotonic base: a wall clock stepped by NTP moves the rehearsal
 * too, as it moves a live screen, and the loop re-reads the clock at least every minute. */
int64_t player_now_ms(const struct player_clock *c) { return vt_now_ms() + c->offset_ms; }
