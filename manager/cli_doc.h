/* The document a `... check FILE-or-URL` command reads: fetched with http_fetch (the
 * fetcher's caps and User-Agent) or read from a file, with its charset hint. */
#ifndef MANAGER_CLI_DOC_H
#define MANAGER_CLI_DOC_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"

struct cli_doc {
  const char *source; /* the argument, for messages */
  char *body;         /* NUL-terminated */
  size_t len;
  char charset[64];   /* from the HTTP Content-Type, "" when none */
  const char *charset_hint; /* charset, or NULL when none: what the parsers take */
  const char *url;    /* the argument when it was fetched (a base for links), else NULL */
};

/* Load the one positional argument of cfg. Returns 0, or the exit status after printing why
 * on stderr (2: usage, or too large a file; 1: cannot read or fetch). usage is the synopsis
 * ("feed check FILE-or-URL"). */
int cli_doc_load(const struct config *cfg, const char *usage, struct cli_doc *d);
void cli_doc_free(struct cli_doc *d);

/* Print obj (stolen; NULL: out of memory) on stdout, indented, reals with enough digits to
 * read as the source wrote them. Returns the exit status. */
int cli_doc_print(json_t *obj);

#endif
