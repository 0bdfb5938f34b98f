/* The subcommands main.c dispatches to. Each returns the process exit status:
 * 0 success, 1 failure (reported on stderr), 2 usage error. */
#ifndef MANAGER_COMMANDS_H
#define MANAGER_COMMANDS_H

#include "config.h"

#define EXIT_USAGE 2

int serve_main(const struct config *cfg);       /* serve.c */
int cli_token_create(const struct config *cfg); /* cli.c */
int cli_display_add(const struct config *cfg);  /* cli.c */
int cli_timeline(const struct config *cfg);     /* cli_timeline.c */
int cli_schedule_expand(const struct config *cfg); /* cli_expand.c */
int cli_feed_check(const struct config *cfg);      /* cli_feed.c */
int cli_weather_check(const struct config *cfg);   /* cli_weather.c */
int cli_currency_check(const struct config *cfg);  /* cli_weather.c */

#endif
