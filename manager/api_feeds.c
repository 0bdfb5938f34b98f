/* api_feeds.c: placeholder until its module lands (docs/live-content.md). */
typedef int api_feeds_placeholder;
