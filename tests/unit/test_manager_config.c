/* config.c: the option table, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"

static bool parse(unsigned cmd, const char *line, struct config *c) {
  static char buf[256];
  char *argv[16];
  int argc = 0;
  snprintf(buf, sizeof buf, "%s", line);
  for (char *save = NULL, *t = strtok_r(buf, " ", &save); t && argc < 16;
       t = strtok_r(NULL, " ", &save))
    argv[argc++] = t;
  config_defaults(c);
  return config_parse(c, cmd, argc, argv);
}

static void test_options(void **state) {
  (void)state;
  struct config c;
  assert_true(parse(CMD_SERVE, "--data /d --listen 0.0.0.0:80", &c));
  assert_string_equal(c.data, "/d");
  assert_string_equal(c.listen, "0.0.0.0:80");
  assert_true(parse(CMD_SERVE, "--data=/e --keepalive-ms=250", &c));
  assert_string_equal(c.data, "/e");
  assert_int_equal(c.keepalive_ms, 250);
  assert_string_equal(c.listen, "127.0.0.1:8080"); /* default */
  assert_true(parse(CMD_DISPLAY_ADD, "Lobby --data /d --layout 3", &c));
  assert_int_equal(c.n_args, 1);
  assert_string_equal(c.args[0], "Lobby");
  assert_int_equal(c.layout, 3);
  assert_true(parse(CMD_TOKEN_CREATE, "--help", &c));
  assert_true(c.help);
}

static void test_rejections(void **state) {
  (void)state;
  struct config c;
  const struct {
    unsigned cmd;
    const char *line;
  } bad[] = {
      {CMD_SERVE, "--bogus"},
      {CMD_SERVE, "--data"},              /* value missing */
      {CMD_SERVE, "--role owner"},        /* not an option of serve */
      {CMD_TOKEN_CREATE, "--listen x:1"}, /* nor of token create */
      {CMD_DISPLAY_ADD, "--layout abc"},
      {CMD_DISPLAY_ADD, "--layout 0"},
      {CMD_SERVE, "--keepalive-ms -5"},
      {CMD_SERVE, "--help=yes"},
      {CMD_DISPLAY_ADD, "a b c d e"}, /* too many arguments */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_false(parse(bad[i].cmd, bad[i].line, &c));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_options),
                                     cmocka_unit_test(test_rejections)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
