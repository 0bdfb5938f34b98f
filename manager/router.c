/* Matching request paths against the patterns in routes.c. A path segment matches a
 * literal exactly, "{sha256}" when it is a valid media id, and any other placeholder when
 * it is a canonical positive decimal id; so malformed ids are a 404 before any handler. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

static bool is_placeholder(const char *seg, size_t len) {
  return len >= 2 && seg[0] == '{' && seg[len - 1] == '}';
}

static bool is_sha_placeholder(const char *seg, size_t len) {
  return len == 8 && memcmp(seg, "{sha256}", 8) == 0;
}

/* Canonical positive int64: no sign, no leading zero, no overflow. */
static bool parse_id(const char *s, size_t len, int64_t *out) {
  if (len == 0 || len > 19 || s[0] == '0') return false;
  int64_t v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    int d = s[i] - '0';
    if (v > (INT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

static bool match_segment(const char *pat, size_t plen, const char *seg, size_t slen,
                          struct route_params *p) {
  if (!is_placeholder(pat, plen)) return plen == slen && memcmp(pat, seg, plen) == 0;
  if (is_sha_placeholder(pat, plen)) {
    char buf[VT_SHA256_HEX_LEN + 1];
    if (slen != VT_SHA256_HEX_LEN) return false;
    memcpy(buf, seg, slen);
    buf[slen] = '\0';
    if (!vt_sha256_hex_valid(buf)) return false;
    memcpy(p->sha256, buf, sizeof buf);
    return true;
  }
  if (p->n_ids >= ROUTE_MAX_IDS) return false;
  return parse_id(seg, slen, &p->id[p->n_ids++]);
}

/* Walk pattern and path segment by segment ("/a/b" -> "a", "b"). */
static bool match_path(const char *pattern, const char *path, struct route_params *p) {
  memset(p, 0, sizeof *p);
  const char *a = pattern, *b = path;
  while (*a == '/' && *b == '/') {
    a++;
    b++;
    size_t alen = strcspn(a, "/"), blen = strcspn(b, "/");
    if (!match_segment(a, alen, b, blen, p)) return false;
    a += alen;
    b += blen;
  }
  return *a == '\0' && *b == '\0';
}

static bool method_matches(const char *route_method, const char *method) {
  return strcmp(route_method, method) == 0 ||
         (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

const struct route *router_find(const char *method, const char *path, struct route_params *p,
                                char *allow, size_t allow_size, struct vt_error *err) {
  size_t used = 0;
  bool path_known = false;
  if (allow_size) allow[0] = '\0';
  for (size_t i = 0; i < routes_count; i++) {
    const struct route *r = &routes[i];
    if (!match_path(r->pattern, path, p)) continue;
    if (method_matches(r->method, method)) return r;
    path_known = true;
    int n = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", r->method);
    if (n > 0 && (size_t)n < allow_size - used) used += (size_t)n;
  }
  if (path_known) {
    vt_error_set(err, VT_ERR_METHOD_NOT_ALLOWED, "", "%s is not allowed here; use %s", method,
                 allow);
    return NULL;
  }
  vt_error_set(err, VT_ERR_NOT_FOUND, "", "no route for %s", path);
  return NULL;
}

int router_fill(const struct route *r, const int64_t *ids, size_t n_ids, const char *sha256,
                char *out, size_t size) {
  size_t used = 0, next_id = 0;
  for (const char *a = r->pattern; *a;) {
    size_t len = *a == '{' ? strcspn(a, "}") + 1 : strcspn(a, "{");
    int n;
    if (!is_placeholder(a, len))
      n = snprintf(out + used, size - used, "%.*s", (int)len, a);
    else if (is_sha_placeholder(a, len))
      n = snprintf(out + used, size - used, "%s", sha256);
    else if (next_id < n_ids)
      n = snprintf(out + used, size - used, "%lld", (long long)ids[next_id++]);
    else
      return 0;
    if (n < 0 || (size_t)n >= size - used) return 0;
    used += (size_t)n;
    a += len;
  }
  return 1;
}
