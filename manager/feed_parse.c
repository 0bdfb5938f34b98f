/* feed_parse.c: placeholder until its module lands (docs/live-content.md). */
typedef int feed_parse_placeholder;
