/* placeholder until the weather and currency parsers land */
#include <stdio.h>

#include "commands.h"

int cli_weather_check(const struct config *cfg) {
  (void)cfg;
  fprintf(stderr, "weather check: not built yet\n");
  return 1;
}

int cli_currency_check(const struct config *cfg) {
  (void)cfg;
  fprintf(stderr, "currency check: not built yet\n");
  return 1;
}
