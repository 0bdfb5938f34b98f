/* feed_parse: an RSS or Atom document → struct feed, the news a screen can show.
 *
 * Formats: RSS 0.90 and 1.0 (RDF), 0.91 .. 0.94, 2.0 (and 2.01, 2.1, or no version: "rss"),
 * Atom 0.3 and 1.0. The bytes go through xml_safe (no network, no external entities, bounded
 * entity expansion, any encoding, recovery). Per item: title and summary as plain text
 * (feed_text), the alternate link resolved against xml:base and the document URL, the first
 * date the item gives (published > issued > created > dc:date > pubDate > updated > modified)
 * in UTC, and an image (media:thumbnail, media:content or an image enclosure, itunes:image).
 * Items and text lengths are capped (VT_LIMIT_FEED_*).
 *
 * Used by `feed check` and by the feed fetcher (on its worker thread: nothing here keeps
 * global state). */
#ifndef FEED_PARSE_H
#define FEED_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_err.h"

#define FEED_FORMAT_BYTES 16
#define FEED_MAX_ERRORS 16

struct feed_item {
  char *title;   /* plain text, or NULL */
  char *link;    /* absolute where a base was known, or NULL */
  char *summary; /* plain text, or NULL */
  char *image;   /* URL, or NULL */
  int64_t published_ms; /* UTC; valid when has_published */
  bool has_published;
};

struct feed {
  /* "rss0.90" "rss0.91" "rss0.92" "rss0.93" "rss0.94" "rss1.0" "rss2.0" "rss2.01" "rss2.1"
   * "rss" (an <rss> without a version) "atom0.3" "atom1.0" */
  char format[FEED_FORMAT_BYTES];
  char encoding[32]; /* what the bytes were decoded as */
  char *title, *link; /* NULL when absent */
  struct feed_item *items;
  size_t n_items;
  bool recovered; /* the document was not well-formed; this is what recovery made of it */
  size_t n_errors;
  char *errors[FEED_MAX_ERRORS]; /* parse errors and what was dropped or capped */
};

/* Parse len bytes. charset_hint: HTTP Content-Type charset or NULL; url: where the document
 * came from (the base of relative links) or NULL. On success *out is a new feed (feed_free).
 * Errors: VT_ERR_INVALID with the reason when it is not a feed at all ("not XML: ...",
 * "root element <html> is not RSS or Atom", entity bomb), VT_ERR_TOO_LARGE, VT_ERR_NO_MEMORY. */
enum vt_err feed_parse(const char *data, size_t len, const char *charset_hint, const char *url,
                       struct feed **out, struct vt_error *err) VT_WARN_UNUSED;

/* The `feed check` object: {"format", "title", "link", "items": [{"title", "link",
 * "published" (RFC 3339 UTC or null), "summary", "image"}], "errors": [...]}; absent values
 * are null. New reference; NULL only when out of memory. */
json_t *feed_to_json(const struct feed *f);

void feed_free(struct feed *f); /* NULL is a no-op */

#endif
