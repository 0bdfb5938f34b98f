/* locale_fmt.c: placeholder until its module lands (docs/live-content.md). */
typedef int locale_fmt_placeholder;
