#include "http_cond.h"

#include <ctype.h>
#include <string.h>

/* Digits into *out; false on none. A number past 2^64-1 saturates there: it is still a
 * position beyond any file, so a first position is unsatisfiable (416) and a last one is
 * clamped to the end (206), as RFC 9110 asks, rather than the header being ignored. */
static bool parse_u64(const char **p, uint64_t *out) {
  const char *s = *p;
  uint64_t v = 0;
  if (!isdigit((unsigned char)*s)) return false;
  for (; isdigit((unsigned char)*s); s++) {
    unsigned d = (unsigned)(*s - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  *p = s;
  *out = v;
  return true;
}

enum http_cond_range http_cond_parse_range(const char *header, uint64_t size, uint64_t *start,
                                           uint64_t *len) {
  if (!header || strncmp(header, "bytes=", 6) != 0) return HTTP_COND_FULL;
  const char *p = header + 6;
  while (*p == ' ') p++;
  uint64_t a = 0, b = 0;
  bool has_a = parse_u64(&p, &a);
  if (*p++ != '-') return HTTP_COND_FULL;
  bool has_b = parse_u64(&p, &b);
  while (*p == ' ') p++;
  if (*p != '\0' || (!has_a && !has_b)) return HTTP_COND_FULL; /* several ranges, or junk */
  if (!has_a) {                                                /* suffix: the last b bytes */
    if (b == 0 || size == 0) return HTTP_COND_UNSATISFIABLE;
    *len = b < size ? b : size;
    *start = size - *len;
    return HTTP_COND_PARTIAL;
  }
  if (has_b && b < a) return HTTP_COND_FULL; /* invalid syntax: ignored, per RFC 9110 */
  if (a >= size) return HTTP_COND_UNSATISFIABLE;
  uint64_t last = has_b && b < size - 1 ? b : size - 1;
  *start = a;
  *len = last - a + 1;
  return HTTP_COND_PARTIAL;
}

/* The opaque part of a tag, without W/ and quotes, as [*s, *s + *n). */
static bool next_tag(const char **p, const char **s, size_t *n) {
  const char *q = *p;
  while (*q == ' ' || *q == ',') q++;
  if (!*q) return false;
  if (strncmp(q, "W/", 2) == 0) q += 2;
  if (*q == '"') {
    const char *end = strchr(q + 1, '"');
    if (!end) return false;
    *s = q + 1;
    *n = (size_t)(end - q - 1);
    *p = end + 1;
  } else { /* unquoted: take up to the next comma, so "*" and sloppy clients work */
    size_t k = strcspn(q, ", ");
    *s = q;
    *n = k;
    *p = q + k;
  }
  return true;
}

bool http_cond_etag_match(const char *if_none_match, const char *etag) {
  if (!if_none_match || !etag) return false;
  const char *want = etag, *ws;
  size_t wn;
  if (!next_tag(&want, &ws, &wn)) return false;
  const char *p = if_none_match, *s;
  size_t n;
  while (next_tag(&p, &s, &n)) {
    if (n == 1 && *s == '*') return true;
    if (n == wn && memcmp(s, ws, n) == 0) return true;
  }
  return false;
}
