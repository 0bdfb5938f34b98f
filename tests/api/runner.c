/* vt_api_runner --manager BIN MODE [ARG]
 *   case FILE       run one tests/data/api/NNNN.case
 *   routes [DOCS]   authentication on every route of routes.c (and DOCS lists them all)
 *   sse             push to event streams
 *   cli             the command line */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static int usage(void) {
  fprintf(stderr, "usage: vt_api_runner --manager BIN case FILE | routes [DOCS] | sse | cli\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[1], "--manager") != 0) return usage();
  const char *bin = argv[2], *mode = argv[3], *arg = argc > 4 ? argv[4] : NULL;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;
  int rc;
  if (strcmp(mode, "case") == 0 && arg)
    rc = mode_case(bin, arg);
  else if (strcmp(mode, "routes") == 0)
    rc = mode_routes(bin, arg);
  else if (strcmp(mode, "sse") == 0)
    rc = mode_sse(bin);
  else if (strcmp(mode, "cli") == 0)
    rc = mode_cli(bin);
  else
    rc = usage();
  curl_global_cleanup();
  return rc;
}
