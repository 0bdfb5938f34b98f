/* `vitrine-manager feed check FILE-or-URL`: what feed_parse makes of a feed, as one JSON
 * object on stdout, for owners debugging a feed and for tests. The parser is the one the
 * feed fetcher uses, so what this prints is what a screen would get.
 * Exit 0 when it is a feed (even a recovered one: its "errors" say what was wrong); 2 when it
 * is not a feed at all or the arguments are wrong (the reason on stderr); 1 when it cannot
 * be read or fetched. */
#define _GNU_SOURCE /* strcasestr */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "feed_parse.h"
#include "fsutil.h"
#include "http_fetch.h"
#include "vt_limits.h"

#define WHAT "vitrine-manager feed check"

/* The charset parameter of a Content-Type value into out ("" when none). */
static void charset_of(const char *ct, char *out, size_t size) {
  out[0] = '\0';
  const char *p = ct ? strcasestr(ct, "charset=") : NULL;
  if (!p) return;
  p += 8;
  if (*p == '"' || *p == '\'') p++;
  size_t n = strcspn(p, "\"'; \t");
  if (n == 0 || n >= size) return;
  memcpy(out, p, n);
  out[n] = '\0';
}

int cli_feed_check(const struct config *cfg) {
  if (cfg->n_args != 1) {
    fprintf(stderr, "usage: " WHAT " FILE-or-URL\n");
    return EXIT_USAGE;
  }
  const char *src = cfg->args[0];
  struct vt_error err = {0};
  char *body = NULL;
  size_t len = 0;
  char charset[64] = "";
  const char *url = NULL;
  if (fetch_is_url(src)) {
    struct fetch_limits lim = fetch_default_limits;
    if (lim.max_bytes > VT_LIMIT_XML_BYTES) lim.max_bytes = VT_LIMIT_XML_BYTES;
    struct fetch_result r;
    if (http_fetch(src, NULL, NULL, &lim, &r, &err) != VT_OK) {
      fprintf(stderr, WHAT ": %s: %s\n", src, err.message);
      return 1;
    }
    charset_of(r.content_type, charset, sizeof charset);
    body = r.body;
    len = r.len;
    r.body = NULL;
    fetch_result_clear(&r);
    url = src;
  } else if (vt_read_file(src, VT_LIMIT_XML_BYTES, &body, &len, &err) != VT_OK) {
    fprintf(stderr, WHAT ": %s: %s\n", src, err.message);
    return err.code == VT_ERR_TOO_LARGE ? EXIT_USAGE : 1;
  }
  struct feed *f = NULL;
  enum vt_err rc = feed_parse(body ? body : "", len, charset[0] ? charset : NULL, url, &f, &err);
  free(body);
  if (rc != VT_OK) {
    fprintf(stderr, WHAT ": %s: not a feed: %s\n", src, err.message);
    return rc == VT_ERR_INVALID || rc == VT_ERR_TOO_LARGE ? EXIT_USAGE : 1;
  }
  json_t *j = feed_to_json(f);
  feed_free(f);
  char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
  json_decref(j);
  if (!text) {
    fprintf(stderr, WHAT ": out of memory\n");
    return 1;
  }
  puts(text);
  free(text);
  return 0;
}
