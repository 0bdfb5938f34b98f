/* w_clock.c: placeholder until its module lands (docs/live-content.md). */
typedef int w_clock_placeholder;
