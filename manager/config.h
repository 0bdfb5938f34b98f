/* Command-line options of vitrine-manager, declared once in the table in config.c. */
#ifndef MANAGER_CONFIG_H
#define MANAGER_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Which subcommands an option applies to (a bit mask). */
enum config_cmd {
  CMD_SERVE = 1u << 0,
  CMD_TOKEN_CREATE = 1u << 1,
  CMD_DISPLAY_ADD = 1u << 2,
  CMD_TIMELINE = 1u << 3,
  CMD_SCHEDULE_EXPAND = 1u << 4,
  CMD_FEED_CHECK = 1u << 5,
  CMD_WEATHER_CHECK = 1u << 6,
  CMD_CURRENCY_CHECK = 1u << 7,
};

#define CONFIG_MAX_ARGS 4

struct config {
  const char *data;     /* --data DIR */
  const char *listen;   /* --listen HOST:PORT */
  const char *role;     /* --role */
  const char *name;     /* --name */
  int64_t layout;       /* --layout, 0 if not given */
  int64_t keepalive_ms; /* --keepalive-ms */
  int64_t renew_ms;     /* --renew-ms */
  const char *day;      /* timeline --day YYYY-MM-DD (the display's local day) */
  bool json;            /* --json: machine-readable output */
  const char *dtstart;  /* schedule expand --dtstart YYYYMMDDTHHMMSS */
  const char *tz;       /* schedule expand --tz ZONE (absent: floating time) */
  const char *rrule;    /* schedule expand --rrule RULE */
  const char *exdate;   /* schedule expand --exdate T1,T2,... */
  const char *until_limit; /* schedule expand --until-limit YYYY-MM-DD */
  int64_t count;        /* schedule expand --count N, 0 if not given */
  bool help;
  const char *args[CONFIG_MAX_ARGS]; /* positional arguments, borrowed from argv */
  int n_args;
};

/* Defaults for every option. */
void config_defaults(struct config *c);

/* Parse argv[0..argc) (the words after the subcommand) for cmd. Returns false after
 * printing the problem to stderr. Values borrow from argv. */
bool config_parse(struct config *c, unsigned cmd, int argc, char **argv);

/* The options of cmd, one per line, for --help. */
void config_print_options(FILE *f, unsigned cmd);

#endif
