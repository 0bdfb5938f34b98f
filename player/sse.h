/* An incremental parser for text/event-stream (the WHATWG "server-sent events" format).
 * Pure: no I/O, no clock, no allocation after sse_parser_new. Bytes are fed in chunks of any
 * size, split anywhere (even inside a CRLF or the BOM); complete events go to a callback.
 *
 * What it accepts: lines ended by "\n", "\r\n" or "\r"; an optional UTF-8 BOM at the very
 * start; comment lines (":..."); the fields event, data (several data lines join with "\n"),
 * id and retry; unknown fields are ignored; an empty line dispatches the event.
 * What it refuses, safely: a line longer than VT_LIMIT_SSE_LINE bytes is dropped whole, and
 * an event whose data grows past SSE_DATA_MAX is dropped whole, so a hostile or broken server
 * can neither make it allocate nor deliver half an event. Used by sync.c on the sync thread. */
#ifndef PLAYER_SSE_H
#define PLAYER_SSE_H

#include <stddef.h>
#include <stdint.h>

#include "vt_limits.h"

/* The data of one event (all its data lines): the manager's events are one small JSON object,
 * so one line's worth is already far more than any of ours needs. */
#define SSE_DATA_MAX VT_LIMIT_SSE_LINE
struct sse_parser;

/* NULL when out of memory. on_event is called once per dispatched event, on the thread that
 * feeds: event is the event type ("message" when the stream named none); data is
 * NUL-terminated (len excludes the NUL) and has no trailing "\n". Both are borrowed until
 * the callback returns. */
struct sse_parser *sse_parser_new(void (*on_event)(void *user, const char *event,
                                                   const char *data, size_t len),
                                  void *user);
void sse_parser_free(struct sse_parser *p); /* NULL is a no-op */

/* Start of a new stream (a reconnect): forget any half-received line or event and expect a
 * BOM again. The last event id and the retry value are kept, as the format says. */
void sse_parser_reset(struct sse_parser *p);

/* Feed the next len bytes of the stream. Events complete in them are delivered before this
 * returns; the callback must not call back into the same parser. */
void sse_parser_feed(struct sse_parser *p, const char *buf, size_t len);

/* The last id: field seen ("" if none); borrowed until the next feed or reset. */
const char *sse_parser_last_id(const struct sse_parser *p);
/* The last valid retry: value in milliseconds, -1 if none was sent. */
int64_t sse_parser_retry_ms(const struct sse_parser *p);

#endif
