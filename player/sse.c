/* Incremental text/event-stream parser (see sse.h for what it accepts and refuses).
 *
 * Bytes pass through three stages, each a few lines below:
 *   feed -> skip_bom   (only at stream start; a partial BOM that turns out not to be one is
 *                       replayed as content, so no byte is lost)
 *        -> push_byte  (splits lines on \n, \r\n and \r; a \r at the end of one chunk and a
 *                       \n at the start of the next are one line end: pending_cr)
 *        -> end_line   (one complete line: comment, field or the empty line that dispatches)
 * Invariants: line_len <= VT_LIMIT_SSE_LINE; data_len <= SSE_DATA_MAX; every buffer is
 * NUL-terminated at its length; a line marked too_long is never interpreted. */
#include "sse.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char sse_bom[3] = {0xEF, 0xBB, 0xBF};

struct sse_parser {
  void (*on_event)(void *user, const char *event, const char *data, size_t len);
  void *user;
  size_t bom_seen;  /* bytes of the BOM matched so far; 3 (or past_start) ends the check */
  bool past_start;  /* the BOM check is over for this stream */
  bool pending_cr;  /* the previous byte was \r: a following \n belongs to the same line end */
  bool too_long;    /* the current line overflowed: skip to its end and drop it */
  bool has_data;    /* a data: line was seen in the current event (even an empty one) */
  bool data_overflow; /* the current event's data overflowed: drop the event */
  size_t line_len;
  size_t data_len;
  int64_t retry_ms;
  char line[VT_LIMIT_SSE_LINE + 1];
  char data[SSE_DATA_MAX + 2]; /* room for the "\n" appended after each data line */
  char event[VT_LIMIT_SSE_LINE + 1];
  char last_id[VT_LIMIT_SSE_LINE + 1];
};

struct sse_parser *sse_parser_new(void (*on_event)(void *user, const char *event,
                                                   const char *data, size_t len),
                                  void *user) {
  struct sse_parser *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->on_event = on_event;
  p->user = user;
  p->retry_ms = -1;
  return p;
}

void sse_parser_free(struct sse_parser *p) { free(p); }

static void clear_event(struct sse_parser *p) {
  p->event[0] = '\0';
  p->data[0] = '\0';
  p->data_len = 0;
  p->has_data = false;
  p->data_overflow = false;
}

void sse_parser_reset(struct sse_parser *p) {
  clear_event(p);
  p->bom_seen = 0;
  p->past_start = false;
  p->pending_cr = false;
  p->too_long = false;
  p->line_len = 0;
  p->line[0] = '\0';
}

const char *sse_parser_last_id(const struct sse_parser *p) { return p->last_id; }
int64_t sse_parser_retry_ms(const struct sse_parser *p) { return p->retry_ms; }

static void dispatch(struct sse_parser *p) {
  /* The format dispatches nothing for an event without data lines, and an oversized event
   * is dropped rather than cut, so the callback only ever sees what the server sent. */
  if (p->has_data && !p->data_overflow) {
    size_t len = p->data_len;
    if (len > 0 && p->data[len - 1] == '\n') len--; /* always true: each data line adds one */
    p->data[len] = '\0';
    p->on_event(p->user, p->event[0] ? p->event : "message", p->data, len);
  }
  clear_event(p);
}

static void append_data(struct sse_parser *p, const char *value, size_t len) {
  p->has_data = true;
  if (p->data_overflow) return;
  if (p->data_len + len > SSE_DATA_MAX) {
    p->data_overflow = true;
    return;
  }
  memcpy(p->data + p->data_len, value, len);
  p->data_len += len;
  p->data[p->data_len++] = '\n';
  p->data[p->data_len] = '\0';
}

static void set_retry(struct sse_parser *p, const char *value, size_t len) {
  if (len == 0 || len > 18) return; /* 18 digits cannot overflow int64 */
  int64_t ms = 0;
  for (size_t i = 0; i < len; i++) {
    if (value[i] < '0' || value[i] > '9') return; /* the format ignores non-digit values */
    ms = ms * 10 + (value[i] - '0');
  }
  p->retry_ms = ms;
}

/* The field name is line[0..name_len), the value follows ": " or ":" (one space removed). */
static void end_line(struct sse_parser *p) {
  char *line = p->line;
  size_t len = p->line_len;
  p->line_len = 0;
  if (p->too_long) { /* the tail of an overlong line: drop it, never read it as a field */
    p->too_long = false;
    return;
  }
  if (len == 0) {
    dispatch(p);
    return;
  }
  if (line[0] == ':') return; /* comment, e.g. the manager's keep-alive */
  char *colon = memchr(line, ':', len);
  size_t name_len = colon ? (size_t)(colon - line) : len;
  const char *value = colon ? colon + 1 : line + len;
  size_t value_len = len - (size_t)(value - line);
  if (value_len > 0 && value[0] == ' ') {
    value++;
    value_len--;
  }
  line[name_len] = '\0';
  if (strcmp(line, "event") == 0) {
    memcpy(p->event, value, value_len);
    p->event[value_len] = '\0';
  } else if (strcmp(line, "data") == 0) {
    append_data(p, value, value_len);
  } else if (strcmp(line, "id") == 0) {
    if (!memchr(value, '\0', value_len)) { /* an id with NUL is ignored, as the format says */
      memcpy(p->last_id, value, value_len);
      p->last_id[value_len] = '\0';
    }
  } else if (strcmp(line, "retry") == 0) {
    set_retry(p, value, value_len);
  }
  /* any other field name is ignored */
}

static void push_byte(struct sse_parser *p, char c) {
  if (p->pending_cr) {
    p->pending_cr = false;
    if (c == '\n') return; /* second half of \r\n */
  }
  if (c == '\r' || c == '\n') {
    p->pending_cr = c == '\r';
    end_line(p);
    return;
  }
  if (p->too_long) return;
  if (p->line_len == VT_LIMIT_SSE_LINE) {
    p->too_long = true;
    return;
  }
  p->line[p->line_len++] = c;
  p->line[p->line_len] = '\0';
}

/* Consume the BOM bytes at the start of the stream; returns how many bytes of buf it used. */
static size_t skip_bom(struct sse_parser *p, const char *buf, size_t len) {
  size_t used = 0;
  while (!p->past_start && used < len) {
    if ((unsigned char)buf[used] == sse_bom[p->bom_seen]) {
      used++;
      if (++p->bom_seen == sizeof sse_bom) p->past_start = true;
      continue;
    }
    /* Not a BOM after all: the bytes held back so far are content. */
    p->past_start = true;
    for (size_t i = 0; i < p->bom_seen; i++) push_byte(p, (char)sse_bom[i]);
  }
  return used;
}

void sse_parser_feed(struct sse_parser *p, const char *buf, size_t len) {
  size_t i = skip_bom(p, buf, len);
  for (; i < len; i++) push_byte(p, buf[i]);
}
