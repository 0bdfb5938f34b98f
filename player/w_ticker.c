/* w_ticker.c: placeholder until its module lands (docs/live-content.md). */
typedef int w_ticker_placeholder;
