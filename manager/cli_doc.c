/* Loading a check command's document (see cli_doc.h). */
#include "cli_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fsutil.h"
#include "http_fetch.h"
#include "vt_limits.h"

int cli_doc_load(const struct config *cfg, const char *usage, struct cli_doc *d) {
  memset(d, 0, sizeof *d);
  if (cfg->n_args != 1) {
    fprintf(stderr, "usage: vitrine-manager %s\n", usage);
    return EXIT_USAGE;
  }
  d->source = cfg->args[0];
  struct vt_error err = {0};
  if (fetch_is_url(d->source)) {
    struct fetch_limits lim = fetch_default_limits;
    if (lim.max_bytes > VT_LIMIT_XML_BYTES) lim.max_bytes = VT_LIMIT_XML_BYTES;
    struct fetch_result r;
    if (http_fetch(d->source, NULL, NULL, &lim, &r, &err) != VT_OK) {
      fprintf(stderr, "vitrine-manager: %s: %s\n", d->source, err.message);
      return 1;
    }
    d->charset_hint = fetch_charset(r.content_type, d->charset, sizeof d->charset);
    d->body = r.body;
    d->len = r.len;
    d->url = d->source;
    r.body = NULL;
    fetch_result_clear(&r);
    return 0;
  }
  if (vt_read_file(d->source, VT_LIMIT_XML_BYTES, &d->body, &d->len, &err) != VT_OK) {
    fprintf(stderr, "vitrine-manager: %s: %s\n", d->source, err.message);
    return err.code == VT_ERR_TOO_LARGE ? EXIT_USAGE : 1;
  }
  return 0;
}

int cli_doc_print(json_t *obj) {
  if (!obj) {
    fprintf(stderr, "vitrine-manager: out of memory\n");
    return 1;
  }
  int rc = json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) == 0 ? 0 : 1;
  json_decref(obj);
  if (rc == 0) fputc('\n', stdout);
  return fflush(stdout) == 0 ? rc : 1;
}

void cli_doc_free(struct cli_doc *d) {
  free(d->body);
  memset(d, 0, sizeof *d);
}
