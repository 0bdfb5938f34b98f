/* jalali.c: placeholder until its module lands (docs/live-content.md). */
typedef int jalali_placeholder;
