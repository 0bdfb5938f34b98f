/* feed_date: the dates feeds write, as UTC milliseconds.
 * Two families: W3C-DTF / ISO 8601 ("2003-12-31T10:14:55Z", "2003-12-31", "...T10:14-05:00",
 * fractions, "+0100", space instead of T) and RFC 822/1123 as the web writes it: optional
 * weekday in any language (ignored), "DD Mon YYYY" or "Mon DD YYYY", month names in English
 * and the common European languages, 2-digit years, missing seconds or time, AM/PM, named
 * zones (GMT, UT, Z, EST..PDT, CET, ...), numeric offsets with or without a colon. A time
 * without a zone is taken as UTC. An offset with the wrong number of digits ("+00:0") is not
 * guessed at: the date is refused. */
#ifndef FEED_DATE_H
#define FEED_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* *out_ms only written on success. */
bool feed_date_parse(const char *s, int64_t *out_ms);

#endif
