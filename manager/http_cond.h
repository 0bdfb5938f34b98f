/* Conditional and partial GETs (RFC 9110 sections 13.1.2 and 14): If-None-Match against
 * an ETag, and one byte range. Pure string logic, no I/O. */
#ifndef MANAGER_HTTP_COND_H
#define MANAGER_HTTP_COND_H

#include <stdbool.h>
#include <stdint.h>

enum http_cond_range {
  HTTP_COND_FULL,          /* no Range, or one we may ignore (syntax, several ranges): 200 */
  HTTP_COND_PARTIAL,       /* 206 with [*start, *start + *len) */
  HTTP_COND_UNSATISFIABLE, /* 416 */
};

/* header "bytes=a-b" | "bytes=a-" | "bytes=-n" for a representation of size bytes. */
enum http_cond_range http_cond_parse_range(const char *header, uint64_t size, uint64_t *start,
                                           uint64_t *len);

/* Does an If-None-Match header value ("*", or a list of tags, weak or strong) match etag
 * (a quoted tag)? Uses the weak comparison the header calls for. */
bool http_cond_etag_match(const char *if_none_match, const char *etag);

#endif
