/* currency.c: placeholder until its module lands (docs/live-content.md). */
typedef int currency_placeholder;
