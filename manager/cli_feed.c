/* placeholder until the feed parser lands */
#include <stdio.h>

#include "commands.h"

int cli_feed_check(const struct config *cfg) {
  (void)cfg;
  fprintf(stderr, "feed check: not built yet\n");
  return 1;
}
