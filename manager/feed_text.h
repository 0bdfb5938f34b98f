/* feed_text: what a feed says → plain text for a screen. Feed titles and summaries arrive as
 * plain text, as escaped HTML, or as XHTML; a ticker needs one clean line of UTF-8:
 * tags stripped (block tags become a space, script/style dropped), named (HTML 4 and 5) and
 * numeric character references decoded, windows-1252 code points misused as U+0080..U+009F
 * mapped to what windows-1252 means by them, invalid UTF-8 repaired, whitespace collapsed,
 * length capped on a character boundary. */
#ifndef FEED_TEXT_H
#define FEED_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FEED_TEXT_ENTITY_MAX 8 /* UTF-8 bytes of the longest named reference (two code points) */

/* The UTF-8 of the HTML named character reference `name` (len bytes, without '&' and ';'),
 * written to out; returns its length, 0 when the name is not an HTML entity. */
size_t feed_text_entity(const char *name, size_t len, char out[FEED_TEXT_ENTITY_MAX]);

/* One UTF-8 sequence at s (n bytes available): its length (1..4) and *cp, or 0 when the bytes
 * are not well-formed UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
size_t feed_text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Writes the UTF-8 of cp (must be a scalar value) to out; returns 1..4. */
size_t feed_text_utf8_put(uint32_t cp, char out[4]);
/* The character windows-1252 gives byte b (0x80..0xFF); b itself (as Latin-1) elsewhere and
 * for the five bytes windows-1252 leaves undefined. */
uint32_t feed_text_cp1252(unsigned char b);

enum feed_text_mode {
  FEED_TEXT_PLAIN, /* text as is: only the fix-ups, whitespace and cap */
  FEED_TEXT_HTML,  /* markup: tags stripped, references decoded, then as PLAIN */
};

/* Plain text from len bytes of s in the given mode, at most max_bytes bytes (cut on a
 * character boundary, "…" appended when cut). New string, caller frees; NULL only when out
 * of memory. */
char *feed_text_clean(const char *s, size_t len, enum feed_text_mode mode, size_t max_bytes);

/* Does this text look like HTML markup (a tag such as <p>, <br/>, </a>, or a reference like
 * &amp;)? RSS says nothing about whether description holds HTML, so the parser asks. */
bool feed_text_looks_html(const char *s, size_t len);

#endif
