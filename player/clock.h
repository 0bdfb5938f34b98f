/* The player's timeline clock: the instant the screen should show now. It is the wall clock,
 * unless --clock TIME rehearses a schedule: then it read TIME when the player started and runs
 * on at normal speed from there (an owner watches tomorrow's 11:00 switch on a real screen;
 * the e2e tests cannot wait for 11:00). Only what is shown follows it (loop.c); sync, backoff
 * and HTTP timing stay on the real clocks (vt_now_ms, vt_mono_ms). */
#ifndef PLAYER_CLOCK_H
#define PLAYER_CLOCK_H

#include <stdint.h>

struct player_clock {
  int64_t offset_ms; /* added to the wall clock; 0 unless rehearsing */
};

/* From now on c reads start_ms, advancing with the wall clock. */
void player_clock_start_at(struct player_clock *c, int64_t start_ms);

/* The instant to show: wall clock + offset, in UTC milliseconds. */
int64_t player_now_ms(const struct player_clock *c);

#endif
