/* The option table: one line per option, with the subcommands it applies to. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "vt_limits.h"

/* The renewal period: hourly keeps a 7-day horizon always at least 6 days 23 hours ahead. */
#define CONFIG_DEFAULT_RENEW_MS (3600 * 1000)
#define CONFIG_DEFAULT_LISTEN "127.0.0.1:8080"

enum opt_kind { OPT_STRING, OPT_ID, OPT_MS, OPT_FLAG };

struct option_def {
  const char *name;
  const char *metavar;
  enum opt_kind kind;
  size_t offset;
  unsigned cmds;
  const char *help;
};

#define ALL_CMDS                                                                              \
  (CMD_SERVE | CMD_TOKEN_CREATE | CMD_DISPLAY_ADD | CMD_TIMELINE | CMD_SCHEDULE_EXPAND |        \
   CMD_FEED_CHECK | CMD_WEATHER_CHECK | CMD_CURRENCY_CHECK)
#define DATA_CMDS (CMD_SERVE | CMD_TOKEN_CREATE | CMD_DISPLAY_ADD | CMD_TIMELINE)
#define AT(field) offsetof(struct config, field)

static const struct option_def options[] = {
    {"data", "DIR", OPT_STRING, AT(data), DATA_CMDS,
     "data directory: vitrine.db and media/ (created if missing)"},
    {"listen", "HOST:PORT", OPT_STRING, AT(listen), CMD_SERVE,
     "address to serve on (default " CONFIG_DEFAULT_LISTEN "; port 0 picks a free one)"},
    {"keepalive-ms", "MS", OPT_MS, AT(keepalive_ms), CMD_SERVE,
     "period of SSE keep-alive comments (default 15000)"},
    {"renew-ms", "MS", OPT_MS, AT(renew_ms), CMD_SERVE,
     "period of the manifest renewal (default 3600000)"},
    {"role", "ROLE", OPT_STRING, AT(role), CMD_TOKEN_CREATE, "owner, editor or viewer"},
    {"name", "NAME", OPT_STRING, AT(name), CMD_TOKEN_CREATE, "a label for the token"},
    {"layout", "LAYOUT_ID", OPT_ID, AT(layout), CMD_DISPLAY_ADD, "the display's default layout"},
    {"day", "YYYY-MM-DD", OPT_STRING, AT(day), CMD_TIMELINE,
     "the day to show, in the display's time zone (default: today there)"},
    {"dtstart", "YYYYMMDDTHHMMSS", OPT_STRING, AT(dtstart), CMD_SCHEDULE_EXPAND,
     "the first start, in local time"},
    {"tz", "ZONE", OPT_STRING, AT(tz), CMD_SCHEDULE_EXPAND,
     "IANA time zone of --dtstart (default: floating time)"},
    {"rrule", "RULE", OPT_STRING, AT(rrule), CMD_SCHEDULE_EXPAND,
     "RFC 5545 recurrence rule, e.g. 'FREQ=WEEKLY;BYDAY=MO,TU'"},
    {"exdate", "T1,T2,...", OPT_STRING, AT(exdate), CMD_SCHEDULE_EXPAND,
     "occurrences to leave out, local YYYYMMDDTHHMMSS"},
    {"until-limit", "YYYY-MM-DD", OPT_STRING, AT(until_limit), CMD_SCHEDULE_EXPAND,
     "stop looking at this date even if fewer than --count were found"},
    {"count", "N", OPT_ID, AT(count), CMD_SCHEDULE_EXPAND, "how many occurrences to print"},
    {"json", NULL, OPT_FLAG, AT(json), CMD_TIMELINE | CMD_SCHEDULE_EXPAND,
     "print JSON instead of a table"},
    {"help", NULL, OPT_FLAG, AT(help), ALL_CMDS, "show this help"},
};

void config_defaults(struct config *c) {
  memset(c, 0, sizeof *c);
  c->listen = CONFIG_DEFAULT_LISTEN;
  c->keepalive_ms = VT_SSE_KEEPALIVE_MS;
  c->renew_ms = CONFIG_DEFAULT_RENEW_MS;
}

static const struct option_def *find_option(const char *name, size_t len, unsigned cmd) {
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
    if ((options[i].cmds & cmd) && strlen(options[i].name) == len &&
        strncmp(options[i].name, name, len) == 0)
      return &options[i];
  return NULL;
}

static bool set_value(struct config *c, const struct option_def *o, const char *v) {
  void *field = (char *)c + o->offset;
  char *end = NULL;
  long long n;
  switch (o->kind) {
  case OPT_STRING:
    *(const char **)field = v;
    return true;
  case OPT_ID:
  case OPT_MS:
    n = strtoll(v, &end, 10);
    if (!*v || *end || n < 1) {
      fprintf(stderr, "vitrine-manager: --%s needs a positive integer, got '%s'\n", o->name, v);
      return false;
    }
    *(int64_t *)field = n;
    return true;
  case OPT_FLAG:
    *(bool *)field = true;
    return true;
  }
  return false;
}

bool config_parse(struct config *c, unsigned cmd, int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
      if (c->n_args == CONFIG_MAX_ARGS) {
        fprintf(stderr, "vitrine-manager: too many arguments at '%s'\n", a);
        return false;
      }
      c->args[c->n_args++] = a;
      continue;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct option_def *o = find_option(name, len, cmd);
    if (!o) {
      fprintf(stderr, "vitrine-manager: unknown option '--%.*s' (see --help)\n", (int)len, name);
      return false;
    }
    const char *value = eq ? eq + 1 : NULL;
    if (o->kind == OPT_FLAG && value) {
      fprintf(stderr, "vitrine-manager: --%s takes no value\n", o->name);
      return false;
    }
    if (o->kind != OPT_FLAG && !value) {
      if (i + 1 >= argc) {
        fprintf(stderr, "vitrine-manager: --%s needs a value (%s)\n", o->name, o->metavar);
        return false;
      }
      value = argv[++i];
    }
    if (!set_value(c, o, value ? value : "")) return false;
  }
  return true;
}

void config_print_options(FILE *f, unsigned cmd) {
  for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
    const struct option_def *o = &options[i];
    if (!(o->cmds & cmd)) continue;
    char left[40];
    snprintf(left, sizeof left, "--%s%s%s", o->name, o->metavar ? " " : "",
             o->metavar ? o->metavar : "");
    fprintf(f, "  %-24s %s\n", left, o->help);
  }
}
