/* vitrine-manager: the subcommand table. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"

struct command {
  const char *word, *subword; /* "token" "create"; subword NULL for one-word commands */
  unsigned cmd;
  int (*run)(const struct config *cfg);
  const char *synopsis;
  const char *summary;
  bool needs_data; /* --data DIR is required */
};

static const struct command commands[] = {
    {"serve", NULL, CMD_SERVE, serve_main, "serve --data DIR [--listen HOST:PORT]",
     "run the HTTP API, the media server and the push hub; prints 'listening on URL' when ready",
     true},
    {"token", "create", CMD_TOKEN_CREATE, cli_token_create,
     "token create --data DIR --role owner|editor|viewer [--name N]",
     "issue an API token and print it (shown only this once)", true},
    {"display", "add", CMD_DISPLAY_ADD, cli_display_add,
     "display add NAME --data DIR [--layout ID]", "add a display and print '<id> <token>'", true},
    {"timeline", NULL, CMD_TIMELINE, cli_timeline, "timeline DISPLAY_ID --data DIR [--day YYYY-MM-DD] [--json]",
     "print what each region of a display shows through one local day", true},
    {"schedule", "expand", CMD_SCHEDULE_EXPAND, cli_schedule_expand,
     "schedule expand --dtstart YYYYMMDDTHHMMSS [--tz ZONE] --rrule RULE [--exdate T,...] "
     "[--until-limit YYYY-MM-DD] --count N [--json]",
     "print the first N occurrences of a recurrence rule, in local time", false},
    {"feed", "check", CMD_FEED_CHECK, cli_feed_check, "feed check FILE-or-URL",
     "print what the feed parser makes of a feed, as one JSON object", false},
    {"weather", "check", CMD_WEATHER_CHECK, cli_weather_check, "weather check FILE-or-URL",
     "print the parsed weather (current conditions and forecast) as JSON", false},
    {"currency", "check", CMD_CURRENCY_CHECK, cli_currency_check, "currency check FILE-or-URL",
     "print the parsed reference rates as JSON", false},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f) {
  fprintf(f, "usage: vitrine-manager COMMAND [options]\n\ncommands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(f, "  %s\n      %s\n", commands[i].synopsis, commands[i].summary);
  fprintf(f, "\n'vitrine-manager COMMAND --help' lists a command's options.\n");
}

static void command_usage(FILE *f, const struct command *c) {
  fprintf(f, "usage: vitrine-manager %s\n  %s\n\noptions:\n", c->synopsis, c->summary);
  config_print_options(f, c->cmd);
}

static const struct command *find_command(int argc, char **argv, int *used) {
  for (size_t i = 0; i < N_COMMANDS; i++) {
    const struct command *c = &commands[i];
    if (argc < 2 || strcmp(argv[1], c->word) != 0) continue;
    if (!c->subword) {
      *used = 2;
      return c;
    }
    if (argc >= 3 && strcmp(argv[2], c->subword) == 0) {
      *used = 3;
      return c;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    usage(stdout);
    return 0;
  }
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  int used = 0;
  const struct command *c = find_command(argc, argv, &used);
  if (!c) {
    fprintf(stderr, "vitrine-manager: unknown command '%s%s%s'\n", argv[1], argc >= 3 ? " " : "",
            argc >= 3 ? argv[2] : "");
    usage(stderr);
    return EXIT_USAGE;
  }
  struct config cfg;
  config_defaults(&cfg);
  if (!config_parse(&cfg, c->cmd, argc - used, argv + used)) return EXIT_USAGE;
  if (cfg.help) {
    command_usage(stdout, c);
    return 0;
  }
  if (c->needs_data && !cfg.data) {
    fprintf(stderr, "vitrine-manager %s: --data DIR is required\n", c->word);
    return EXIT_USAGE;
  }
  return c->run(&cfg);
}
