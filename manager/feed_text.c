/* feed_text.c: placeholder until its module lands (docs/live-content.md). */
typedef int feed_text_placeholder;
