/* `weather check FILE-or-URL` and `currency check FILE-or-URL`: what weather.c and
 * currency.c make of a document, as one JSON object on stdout, for owners debugging a source
 * and for tests. Exit 0 when parsed; 2 when the document is not one the parser knows (the
 * reason on stderr) or the arguments are wrong; 1 when it cannot be read or fetched. */
#include <stdio.h>

#include "cli_doc.h"
#include "commands.h"
#include "currency.h"
#include "weather.h"

/* Exit status for a parse failure: 2 for "not such a document", 1 for the rest. */
static int failed(const char *src, const struct vt_error *err) {
  fprintf(stderr, "vitrine-manager: %s: %s\n", src, err->message);
  return err->code == VT_ERR_INVALID ? EXIT_USAGE : 1;
}

int cli_weather_check(const struct config *cfg) {
  struct cli_doc d;
  int rc = cli_doc_load(cfg, "weather check FILE-or-URL", &d);
  if (rc != 0) return rc;
  struct vt_error err = {0};
  struct weather *w = weather_parse(d.body, d.len, d.charset_hint, &err);
  cli_doc_free(&d);
  if (!w) return failed(cfg->args[0], &err);
  json_t *warnings = json_array();
  for (size_t i = 0; warnings && i < w->n_warnings; i++)
    json_array_append_new(warnings, json_string(w->warnings[i]));
  json_t *out = warnings ? json_pack("{s:s,s:b,s:o,s:o}", "format",
                                     weather_format_name(w->format), "recovered", w->recovered,
                                     "warnings", warnings, "data", weather_to_json(w))
                         : NULL;
  weather_free(w);
  return cli_doc_print(out);
}

int cli_currency_check(const struct config *cfg) {
  struct cli_doc d;
  int rc = cli_doc_load(cfg, "currency check FILE-or-URL", &d);
  if (rc != 0) return rc;
  struct vt_error err = {0};
  struct currency *c = currency_parse(d.body, d.len, d.charset_hint, &err);
  cli_doc_free(&d);
  if (!c) return failed(cfg->args[0], &err);
  json_t *out = json_pack("{s:s,s:o}", "format", "ecb-eurofxref", "data", currency_to_json(c));
  currency_free(c);
  return cli_doc_print(out);
}
