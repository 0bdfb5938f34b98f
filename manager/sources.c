/* sources.c: placeholder until its module lands (docs/live-content.md). */
typedef int sources_placeholder;
