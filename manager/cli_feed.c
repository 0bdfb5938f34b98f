/* `vitrine-manager feed check FILE-or-URL`: what feed_parse makes of a feed, as one JSON
 * object on stdout, for owners debugging a feed and for tests. The parser is the one the
 * feed fetcher uses, so what this prints is what a screen would get.
 * Exit 0 when it is a feed (even a recovered one: its "errors" say what was wrong); 2 when it
 * is not a feed at all or the arguments are wrong (the reason on stderr); 1 when it cannot
 * be read or fetched. */
#include <jansson.h>
#include <stdio.h>

#include "cli_doc.h"
#include "commands.h"
#include "feed_parse.h"

#define WHAT "vitrine-manager feed check"

int cli_feed_check(const struct config *cfg) {
  struct cli_doc d;
  int status = cli_doc_load(cfg, "feed check FILE-or-URL", &d);
  if (status != 0) return status;
  struct vt_error err = {0};
  struct feed *f = NULL;
  enum vt_err rc = feed_parse(d.body, d.len, d.charset_hint, d.url, &f, &err);
  if (rc != VT_OK) {
    fprintf(stderr, WHAT ": %s: not a feed: %s\n", d.source, err.message);
    cli_doc_free(&d);
    return rc == VT_ERR_INVALID || rc == VT_ERR_TOO_LARGE ? EXIT_USAGE : 1;
  }
  cli_doc_free(&d);
  json_t *j = feed_to_json(f);
  feed_free(f);
  return cli_doc_print(j);
}
