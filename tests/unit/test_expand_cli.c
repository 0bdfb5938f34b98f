/* `vitrine-manager schedule expand`, run as the real binary: output lines and JSON, EXDATE,
 * --tz with a UTC UNTIL, --until-limit, usage errors (exit 2, the part named on stderr),
 * and a set of the external RRULE vectors (../shared/testdata/rrule) through the command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "run_cmd.h"
#include "timeutil.h"

#define VECTORS VT_SHARED_TESTDATA_DIR "/rrule/vectors.json"
/* The command stops itself after 10 s on a rule libical cannot finish; this is longer. */
#define RUN_DEADLINE_MS 30000
#define MAX_ARGS 24

/* Run the manager's schedule expand with args (NULL-terminated). */
static void run(struct run_cmd *r, const char *const *args) {
  const char *argv[MAX_ARGS + 4] = {VT_MANAGER_BIN, "schedule", "expand"};
  size_t n = 3;
  for (; *args && n < MAX_ARGS + 3; args++) argv[n++] = *args;
  argv[n] = NULL;
  assert_true(run_cmd(argv, RUN_DEADLINE_MS, r));
}

/* Run and expect exit status and stdout exactly (NULL: not checked). */
static void expect(const char *const *args, int status, const char *out, const char *err_has) {
  struct run_cmd r;
  run(&r, args);
  if (r.status != status)
    fail_msg("%s %s: exit %d, want %d (stderr: %s)", args[0], args[1] ? args[1] : "", r.status,
             status, run_cmd_text(&r.err));
  if (out && strcmp(run_cmd_text(&r.out), out) != 0)
    fail_msg("%s: stdout\n%s\nwant\n%s", args[1] ? args[1] : args[0], run_cmd_text(&r.out), out);
  if (err_has && !strstr(run_cmd_text(&r.err), err_has))
    fail_msg("stderr '%s' does not contain '%s'", run_cmd_text(&r.err), err_has);
  if (!err_has && status == 0 && r.err.len > 0) fail_msg("unexpected stderr: %s", run_cmd_text(&r.err));
  if (status == 2 && r.err.len == 0) fail_msg("a usage error must say why on stderr");
  run_cmd_free(&r);
}

/* ------------------------------------------------------------------ the command */

static void test_weekly_exdate(void **state) {
  (void)state;
  const char *args[] = {"--dtstart", "20261201T060000",
                        "--tz",      "Europe/Berlin",
                        "--rrule",   "FREQ=WEEKLY;BYDAY=MO,TU",
                        "--exdate",  "20261208T060000,20261215T060000",
                        "--count",   "5",
                        NULL};
  expect(args, 0,
         "20261201T060000\n20261207T060000\n20261214T060000\n20261221T060000\n"
         "20261222T060000\n",
         NULL);
  /* the extended form of --dtstart, and --opt=value */
  const char *ext[] = {"--dtstart=2026-12-01T06:00", "--rrule=FREQ=DAILY;INTERVAL=10", "--count=3",
                       NULL};
  expect(ext, 0, "20261201T060000\n20261211T060000\n20261221T060000\n", NULL);
  /* no rule part but FREQ, a single occurrence rule */
  const char *once[] = {
      "--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY;COUNT=1", "--count", "5", NULL};
  expect(once, 0, "20261201T060000\n", NULL);
}

static void test_json(void **state) {
  (void)state;
  const char *args[] = {"--dtstart", "20261201T060000",
                        "--tz",      "Asia/Tehran",
                        "--rrule",   "FREQ=MONTHLY;BYDAY=-1FR",
                        "--count",   "3",
                        "--json",    NULL};
  struct run_cmd r;
  run(&r, args);
  assert_int_equal(r.status, 0);
  json_error_t jerr;
  json_t *arr = json_loads(run_cmd_text(&r.out), 0, &jerr);
  if (!arr) fail_msg("not JSON: %s (%s)", run_cmd_text(&r.out), jerr.text);
  assert_true(json_is_array(arr));
  assert_int_equal(json_array_size(arr), 3);
  assert_string_equal(json_string_value(json_array_get(arr, 0)), "20261225T060000");
  assert_string_equal(json_string_value(json_array_get(arr, 1)), "20270129T060000");
  assert_string_equal(json_string_value(json_array_get(arr, 2)), "20270226T060000");
  json_decref(arr);
  run_cmd_free(&r);
  /* nothing found is an empty array */
  const char *none[] = {"--dtstart",     "20261201T060000",
                        "--rrule",       "FREQ=YEARLY;COUNT=3",
                        "--until-limit", "2026-12-01",
                        "--count",       "3",
                        "--json",        NULL};
  expect(none, 0, "[]\n", NULL);
}

static void test_until_limit(void **state) {
  (void)state;
  const char *args[] = {"--dtstart",
                        "20261201T060000",
                        "--rrule",
                        "FREQ=WEEKLY;BYDAY=MO,TU",
                        "--until-limit",
                        "2026-12-10",
                        "--count",
                        "10",
                        NULL};
  expect(args, 0, "20261201T060000\n20261207T060000\n20261208T060000\n", NULL);
}

/* UNTIL in UTC is an instant in the --tz zone: 08:00 in Berlin on 3 December is 07:00Z, so
 * the third occurrence is in; read as floating time (no --tz) 08:00 is after 07:00. */
static void test_utc_until(void **state) {
  (void)state;
  const char *zoned[] = {"--dtstart", "20261201T080000",
                         "--tz",      "Europe/Berlin",
                         "--rrule",   "FREQ=DAILY;UNTIL=20261203T070000Z",
                         "--count",   "10",
                         NULL};
  expect(zoned, 0, "20261201T080000\n20261202T080000\n20261203T080000\n", NULL);
  const char *floating[] = {"--dtstart", "20261201T080000",
                            "--rrule",   "FREQ=DAILY;UNTIL=20261203T070000Z",
                            "--count",   "10",
                            NULL};
  expect(floating, 0, "20261201T080000\n20261202T080000\n", NULL);
  /* a spring-forward day keeps the local time: 02:30 is printed, as the rule says */
  const char *gap[] = {"--dtstart", "20260328T023000", "--tz",    "Europe/Berlin",
                       "--rrule",   "FREQ=DAILY",      "--count", "3",
                       NULL};
  expect(gap, 0, "20260328T023000\n20260329T023000\n20260330T023000\n", NULL);
}

static void test_errors(void **state) {
  (void)state;
  static const struct {
    const char *args[12];
    const char *err;
  } cases[] = {
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=WEEKLY;BYDAY=XX", "--count", "3"},
       "schedule expand: --rrule: BYDAY=XX: 'XX' is not a weekday (MO, TU, WE, TH, FR, SA, SU)"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY;BYHOUR=25", "--count", "3"},
       "--rrule: BYHOUR=25: '25' is not an hour (0 to 23)"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY;COUNT=2;UNTIL=20270101", "--count",
        "3"},
       "--rrule: COUNT and UNTIL cannot both be given"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=WEEKLY;BYMONTHDAY=1", "--count", "3"},
       "--rrule: BYMONTHDAY=1: BYMONTHDAY cannot be used with FREQ=WEEKLY"},
      {{"--dtstart", "20261201T060000", "--tz", "Mars/Base", "--rrule", "FREQ=DAILY", "--count",
        "3"},
       "--tz: unknown time zone 'Mars/Base'"},
      {{"--rrule", "FREQ=DAILY", "--count", "3"}, "--dtstart: is required"},
      {{"--dtstart", "20261201T060000", "--count", "3"}, "--rrule: is required"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY"}, "--count: is required"},
      {{"--dtstart", "20261201T060000Z", "--rrule", "FREQ=DAILY", "--count", "3"},
       "--dtstart: '20261201T060000Z' is not a local time"},
      {{"--dtstart", "20260230T060000", "--rrule", "FREQ=DAILY", "--count", "3"}, "--dtstart"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--exdate",
        "20261202T060000,tomorrow", "--count", "3"},
       "--exdate: 'tomorrow' is not a local time"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--until-limit", "20270101",
        "--count", "3"},
       "--until-limit: '20270101' is not a date YYYY-MM-DD"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--count", "0"}, "--count"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--count", "100001"},
       "--count: at most 100000"},
      {{"extra", "--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--count", "3"},
       "unexpected argument 'extra'"},
      {{"--dtstart", "20261201T060000", "--rrule", "FREQ=DAILY", "--count", "3", "--data", "x"},
       "unknown option '--data'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    expect(cases[i].args, 2, "", cases[i].err);
}

/* A rule a schedule entry would refuse is still expanded, with a note saying why. */
static void test_schedule_note(void **state) {
  (void)state;
  const char *args[] = {
      "--dtstart", "20261201T060000", "--rrule", "FREQ=YEARLY;BYMONTHDAY=1", "--count", "1",
      NULL};
  expect(args, 0, "20261201T060000\n",
         "note: a schedule entry would refuse this rule: BYMONTHDAY=1: with FREQ=YEARLY libical "
         "3.0.16 keeps the start's month");
  const char *secondly[] = {
      "--dtstart", "20261201T060000", "--rrule", "FREQ=SECONDLY;INTERVAL=30", "--count",
      "2",         "--json",          NULL};
  expect(secondly, 0, "[\"20261201T060000\",\"20261201T060030\"]\n",
         "FREQ=SECONDLY: a schedule cannot change every second");
}

/* A rule libical 3.0.16 searches for minutes (a SECONDLY rule with BYSETPOS, which goes to
 * libical whole) ends the command after 10 s with a message, instead of hanging the
 * terminal. */
static void test_timeout(void **state) {
  (void)state;
  const char *args[] = {"--dtstart", "19970902T090000",
                        "--rrule",   "FREQ=SECONDLY;COUNT=3;BYMONTH=1,3;BYSETPOS=1",
                        "--count",   "3",
                        NULL};
  int64_t t0 = vt_mono_ms();
  expect(args, 1, "", "libical did not finish expanding this rule within 10 s");
  assert_true(vt_mono_ms() - t0 < 20000);
}

/* ------------------------------------------------------------------ vectors via the CLI */

/* Cases from every source: zoned ones across DST changes with a UTC UNTIL, EXDATE, BYSETPOS,
 * sub-daily, floating and UTC. */
static const char *const cli_vectors[] = {
    "rfc5545-ex02",
    "rfc5545-ex05b",
    "rfc5545-ex12",
    "rfc5545-ex14",
    "rfc5545-ex28",
    "rfc5545-ex32",
    "rfc5545-ex33",
    "rfc5545-ex36b",
    "dateutil-RRuleTest.testStrSetExDateWithTZID",
    "dateutil-RRuleSetTest.testSetExDateRevOrder",
    "dateutil-RRuleTest.testStrUntilWithTZ",
    "dateutil-RRuleTest.testMonthlyByNWeekDayLarge",
    "dateutil-RRuleTest.testUntilNotMatching",
    "libical-L263",
    "libical-L268",
    "libical-L293",
    "libical-L656",
};

static const json_t *find_case(const json_t *cases, const char *id) {
  for (size_t i = 0; i < json_array_size(cases); i++) {
    const json_t *c = json_array_get(cases, i);
    if (strcmp(json_string_value(json_object_get(c, "id")), id) == 0) return c;
  }
  fail_msg("vector %s is not in %s", id, VECTORS);
  return NULL;
}

static void test_vectors_cli(void **state) {
  (void)state;
  json_error_t jerr;
  json_t *cases = json_load_file(VECTORS, 0, &jerr);
  if (!cases) fail_msg("%s: %s", VECTORS, jerr.text);
  for (size_t i = 0; i < sizeof cli_vectors / sizeof cli_vectors[0]; i++) {
    const json_t *c = find_case(cases, cli_vectors[i]);
    const char *tzid = json_string_value(json_object_get(c, "tzid"));
    const char *tz = json_string_value(json_object_get(c, "tz"));
    const json_t *want = json_object_get(c, "expect"), *ex = json_object_get(c, "exdate");
    size_t n = json_array_size(want);
    bool complete = json_is_true(json_object_get(c, "expect_complete"));
    char count[16], exdates[1024] = "";
    snprintf(count, sizeof count, "%zu", n + (complete ? 1 : 0));
    for (size_t k = 0; k < json_array_size(ex); k++) {
      strcat(exdates, k ? "," : "");
      strcat(exdates, json_string_value(json_array_get(ex, k)));
    }
    const char *args[MAX_ARGS] = {"--dtstart", json_string_value(json_object_get(c, "dtstart")),
                                  "--rrule",   json_string_value(json_object_get(c, "rrule")),
                                  "--count",   count};
    size_t a = 6;
    if (tzid || (tz && strcmp(tz, "UTC") == 0)) {
      args[a++] = "--tz";
      args[a++] = tzid ? tzid : "UTC";
    }
    if (exdates[0]) {
      args[a++] = "--exdate";
      args[a++] = exdates;
    }
    args[a] = NULL;
    struct vt_buf lines = {0};
    for (size_t k = 0; k < n; k++) {
      const char *s = json_string_value(json_array_get(want, k));
      assert_int_equal(vt_buf_append(&lines, s, strlen(s)), VT_OK);
      assert_int_equal(vt_buf_append(&lines, "\n", 1), VT_OK);
    }
    struct run_cmd r;
    run(&r, args);
    if (r.status != 0 || strcmp(run_cmd_text(&r.out), run_cmd_text(&lines)) != 0)
      fail_msg("%s: exit %d, stderr %s\nstdout\n%s\nwant\n%s", cli_vectors[i], r.status,
               run_cmd_text(&r.err), run_cmd_text(&r.out), run_cmd_text(&lines));
    run_cmd_free(&r);
    vt_buf_free(&lines);
  }
  json_decref(cases);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_weekly_exdate), cmocka_unit_test(test_json),
      cmocka_unit_test(test_until_limit),   cmocka_unit_test(test_utc_until),
      cmocka_unit_test(test_errors),        cmocka_unit_test(test_schedule_note),
      cmocka_unit_test(test_timeout),       cmocka_unit_test(test_vectors_cli),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
