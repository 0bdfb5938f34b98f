/* feed_date.c: placeholder until its module lands (docs/live-content.md). */
typedef int feed_date_placeholder;
