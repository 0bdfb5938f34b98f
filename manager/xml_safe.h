/* xml_safe: the one place where untrusted bytes (feeds, weather and currency documents)
 * become a libxml2 tree. Every caller gets the same rules:
 *  - no network and no file access: no DTD loading, external entities are dropped at their
 *    declaration and a refusing entity loader is installed besides;
 *  - internal entities are expanded under libxml2's own amplification checks (never
 *    XML_PARSE_HUGE); a document that trips them is refused, not half-parsed;
 *  - the bytes are decoded to UTF-8 before libxml2 sees them: BOM, then the HTTP charset,
 *    then the XML declaration, then detection (valid UTF-8, else windows-1252 as browsers
 *    do); bytes that are invalid in the chosen encoding are repaired, not fatal;
 *  - a document that is not well-formed is recovered as far as libxml2's recovery mode
 *    goes, and the report says so;
 *  - libxml2's messages are collected into the report, never printed.
 * Thread-safe: each call has its own parser context and error sink, so the feed fetcher may
 * parse on a worker thread while the manager serves requests. */
#ifndef XML_SAFE_H
#define XML_SAFE_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "vt_err.h"

#define XML_SAFE_MAX_ERRORS 8       /* kept in the report; later ones are only counted */
#define XML_SAFE_ERROR_BYTES 160    /* one message, "line N: text", truncated */
#define XML_SAFE_ENCODING_BYTES 32

struct xml_safe_report {
  /* The document was not well-formed (or not namespace-well-formed), or bytes had to be
   * repaired: the tree is what recovery made of it. */
  bool recovered;
  char encoding[XML_SAFE_ENCODING_BYTES]; /* what the bytes were decoded as, e.g. "UTF-8" */
  size_t n_errors;                        /* messages in errors[] */
  char errors[XML_SAFE_MAX_ERRORS][XML_SAFE_ERROR_BYTES];
};

/* Parse len bytes of data. charset_hint: the charset parameter of the HTTP Content-Type, or
 * NULL. base_url: the document's own URL (becomes doc->URL, the base that xmlNodeGetBase and
 * xml:base resolution start from), or NULL. rep (required) is filled in every case.
 * Returns a new document (free with xmlFreeDoc) or NULL with err set: VT_ERR_TOO_LARGE
 * (over VT_LIMIT_XML_BYTES), VT_ERR_INVALID (empty, no root element even after recovery,
 * or entity expansion over its bound; the message says which), VT_ERR_NO_MEMORY. */
xmlDocPtr xml_safe_read(const char *data, size_t len, const char *charset_hint,
                        const char *base_url, struct xml_safe_report *rep,
                        struct vt_error *err);

/* The text content of node (entities already expanded, CDATA included), as a new
 * NUL-terminated UTF-8 string the caller frees with xmlFree; "" for an empty element.
 * NULL only when out of memory or node is NULL. */
char *xml_safe_text(const xmlNode *node);

/* Is n an element named name (no namespace check: the weather and rate documents use one
 * vocabulary each)? Its first child element of that name, or NULL (n may be NULL). */
bool xml_safe_is(const xmlNode *n, const char *name);
xmlNode *xml_safe_child(const xmlNode *n, const char *name);

#endif
