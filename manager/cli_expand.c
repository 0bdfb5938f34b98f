/* `vitrine-manager schedule expand`: the first occurrences of a recurrence rule, for an
 * owner checking a rule before saving it. It expands with recur.c, the code the manifest
 * compiler uses, so what it prints is what a schedule entry would do. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "recur.h"

#define WHAT "vitrine-manager schedule expand"
/* A screenful is the use; the cap bounds what a typo (--count 100000000) prints. */
#define EXPAND_COUNT_MAX 100000
/* EXDATEs one command line can carry. */
#define EXPAND_EXDATES_MAX 1000
/* libical 3.0.16 can search for minutes on some sub-daily rules (docs/scheduling.md); the
 * command gives up after this long instead of hanging the owner's terminal. */
#define EXPAND_TIMEOUT_S 10

static void on_alarm(int sig) {
  (void)sig;
  static const char msg[] = WHAT ": --rrule: libical did not finish expanding this rule "
                                 "within 10 s (sub-daily rules with BYSETPOS can do that)\n";
  ssize_t n = write(STDERR_FILENO, msg, sizeof msg - 1);
  (void)n;
  _exit(1);
}

static int fail(int status, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(int status, const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, WHAT ": %s%s", field ? field : "", field ? ": " : "");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return status;
}

static int fail_err(const struct vt_error *err) {
  return fail(err->code == VT_ERR_INVALID || err->code == VT_ERR_MISSING ? EXIT_USAGE : 1,
              err->field[0] ? err->field : NULL, "%s", err->message);
}

/* --exdate T1,T2,... into out (n_out entries). */
static int parse_exdates(const char *list, struct recur_local *out, size_t *n_out) {
  *n_out = 0;
  if (!list || !*list) return 0;
  for (const char *p = list;;) {
    size_t len = strcspn(p, ",");
    char one[32];
    if (*n_out == EXPAND_EXDATES_MAX)
      return fail(EXIT_USAGE, "--exdate", "at most %d dates", EXPAND_EXDATES_MAX);
    snprintf(one, sizeof one, "%.*s", (int)(len < sizeof one ? len : sizeof one - 1), p);
    if (len >= sizeof one || !recur_local_parse(one, &out[*n_out]))
      return fail(EXIT_USAGE, "--exdate",
                  "'%.*s' is not a local time YYYYMMDDTHHMMSS (no Z or offset)", (int)len, p);
    (*n_out)++;
    if (!p[len]) return 0;
    p += len + 1;
  }
}

struct collected {
  char (*lines)[RECUR_BASIC_LEN];
  size_t n, want;
};

static bool collect(void *ctx, const struct recur_local *occurrence) {
  struct collected *c = ctx;
  recur_local_basic(occurrence, c->lines[c->n++]);
  return c->n < c->want;
}

static int print_json(const struct collected *c) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < c->n; i++)
    if (json_array_append_new(arr, json_string(c->lines[i])) != 0) {
      json_decref(arr);
      arr = NULL;
    }
  char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
  json_decref(arr);
  if (!text) return fail(1, NULL, "out of memory");
  printf("%s\n", text);
  free(text);
  return 0;
}

static int expand(const struct config *cfg, const struct recur_rule *rule,
                  const struct recur_local *limit) {
  struct vt_error err = {0};
  struct collected c = {.want = (size_t)cfg->count};
  c.lines = calloc(c.want, sizeof *c.lines);
  if (!c.lines) return fail(1, NULL, "out of memory");
  signal(SIGALRM, on_alarm);
  alarm(EXPAND_TIMEOUT_S);
  enum vt_err rc = recur_expand_zoned(rule, cfg->tz, limit, collect, &c, &err);
  alarm(0);
  int status = 0;
  if (rc != VT_OK)
    status = fail_err(&err);
  else if (cfg->json)
    status = print_json(&c);
  else
    for (size_t i = 0; i < c.n; i++) printf("%s\n", c.lines[i]);
  free(c.lines);
  return status;
}

int cli_schedule_expand(const struct config *cfg) {
  if (cfg->n_args > 0) return fail(EXIT_USAGE, NULL, "unexpected argument '%s'", cfg->args[0]);
  if (!cfg->dtstart) return fail(EXIT_USAGE, "--dtstart", "is required (YYYYMMDDTHHMMSS)");
  if (!cfg->rrule) return fail(EXIT_USAGE, "--rrule", "is required (e.g. 'FREQ=WEEKLY;BYDAY=MO')");
  if (cfg->count <= 0) return fail(EXIT_USAGE, "--count", "is required (how many to print)");
  if (cfg->count > EXPAND_COUNT_MAX)
    return fail(EXIT_USAGE, "--count", "at most %d", EXPAND_COUNT_MAX);

  struct recur_rule rule = {.rrule = cfg->rrule};
  if (!recur_local_parse(cfg->dtstart, &rule.dtstart))
    return fail(EXIT_USAGE, "--dtstart",
                "'%s' is not a local time YYYYMMDDTHHMMSS or YYYY-MM-DDTHH:MM[:SS] (no Z or "
                "offset: the zone is --tz)",
                cfg->dtstart);
  struct vt_error err = {0};
  if (cfg->tz && recur_zone_check(cfg->tz, "--tz", &err) != VT_OK) return fail_err(&err);
  struct recur_local limit;
  if (cfg->until_limit && !recur_date_parse(cfg->until_limit, &limit))
    return fail(EXIT_USAGE, "--until-limit", "'%s' is not a date YYYY-MM-DD", cfg->until_limit);
  struct recur_local *exdates = calloc(EXPAND_EXDATES_MAX, sizeof *exdates);
  if (!exdates) return fail(1, NULL, "out of memory");
  int status = parse_exdates(cfg->exdate, exdates, &rule.n_exdates);
  rule.exdates = exdates;
  if (status == 0 && recur_rule_check(&rule, "--rrule", &err) != VT_OK) status = fail_err(&err);
  if (status == 0) {
    /* any valid rule may be previewed; say so when a schedule entry would refuse it */
    if (recur_rule_check_schedule(&rule, "--rrule", &err) != VT_OK)
      fprintf(stderr, WHAT ": note: a schedule entry would refuse this rule: %s\n", err.message);
    status = expand(cfg, &rule, cfg->until_limit ? &limit : NULL);
  }
  free(exdates);
  return status;
}
