/* auth.c: token shape, identification against a real store, and the role matrix. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "hash.h"
#include "store.h"
#include "test_manager_util.h"

static void test_secret_shape(void **state) {
  (void)state;
  struct auth_secret a, b;
  regex_t rx;
  assert_true(vt_crypto_init());
  assert_int_equal(regcomp(&rx, "^vt[ad]_[0-9a-f]{16}_[0-9a-f]{64}$", REG_EXTENDED | REG_NOSUB), 0);
  auth_secret_new(AUTH_KIND_API, &a);
  auth_secret_new(AUTH_KIND_DISPLAY, &b);
  assert_int_equal(regexec(&rx, a.token, 0, NULL, 0), 0);
  assert_int_equal(regexec(&rx, b.token, 0, NULL, 0), 0);
  assert_memory_equal(a.token, "vta_", 4);
  assert_memory_equal(b.token, "vtd_", 4);
  assert_memory_equal(a.token + 4, a.public_id, AUTH_PUBLIC_ID_HEX);
  assert_string_not_equal(a.token, b.token);
  regfree(&rx);
}

static void test_identify(void **state) {
  (void)state;
  char header[160];
  struct tmp_store t;
  struct vt_error err = {0};
  struct auth_secret owner, forged;
  struct principal who;
  int64_t id = 0;
  assert_int_equal(tmp_store_open(&t), 0);
  struct store *s = t.s;
  assert_int_equal(auth_api_token_create(s, AUTH_OWNER, "me", 1, &id, &owner, &err), VT_OK);

  snprintf(header, sizeof header, "Bearer %s", owner.token);
  assert_int_equal(auth_identify(s, header, &who, &err), VT_OK);
  assert_int_equal(who.role, AUTH_OWNER);
  assert_int_equal(who.id, id);
  snprintf(header, sizeof header, "bearer   %s", owner.token); /* scheme is case-insensitive */
  assert_int_equal(auth_identify(s, header, &who, &err), VT_OK);

  /* the right public id with the wrong secret */
  auth_secret_new(AUTH_KIND_API, &forged);
  memcpy(forged.token + 4, owner.public_id, AUTH_PUBLIC_ID_HEX);
  snprintf(header, sizeof header, "Bearer %s", forged.token);
  assert_int_equal(auth_identify(s, header, &who, &err), VT_ERR_UNAUTHORIZED);
  /* the same token presented as a display token */
  snprintf(header, sizeof header, "Bearer vtd_%s", owner.token + 4);
  assert_int_equal(auth_identify(s, header, &who, &err), VT_ERR_UNAUTHORIZED);

  const char *bad[] = {
      NULL,
      "",
      "Bearer",
      "Bearer ",
      "Basic dXNlcjpwYXNz",
      "Bearer vta_x",
      "Bearer "
      "vtx_0123456789abcdef_0000000000000000000000000000000000000000000000000000000000000000",
      "Bearer "
      "vta_0123456789ABCDEF_0000000000000000000000000000000000000000000000000000000000000000",
      "Bearer "
      "vta_0123456789abcdef-0000000000000000000000000000000000000000000000000000000000000000"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(auth_identify(s, bad[i], &who, &err), VT_ERR_UNAUTHORIZED);
  tmp_store_close(&t);
}

static void test_allow_matrix(void **state) {
  (void)state;
  static const struct {
    enum auth_role who, route;
    enum vt_err want;
  } cases[] = {
      {AUTH_VIEWER, AUTH_VIEWER, VT_OK},
      {AUTH_VIEWER, AUTH_EDITOR, VT_ERR_FORBIDDEN},
      {AUTH_EDITOR, AUTH_EDITOR, VT_OK},
      {AUTH_EDITOR, AUTH_OWNER, VT_ERR_FORBIDDEN},
      {AUTH_OWNER, AUTH_VIEWER, VT_OK},
      {AUTH_OWNER, AUTH_OWNER, VT_OK},
      {AUTH_OWNER, AUTH_DISPLAY, VT_ERR_FORBIDDEN},
      {AUTH_DISPLAY, AUTH_DISPLAY, VT_OK},
      {AUTH_DISPLAY, AUTH_VIEWER, VT_ERR_FORBIDDEN},
      {AUTH_DISPLAY, AUTH_OWNER, VT_ERR_FORBIDDEN},
      {AUTH_DISPLAY, AUTH_ANY, VT_OK},
      {AUTH_VIEWER, AUTH_ANY, VT_OK},
      {AUTH_NONE, AUTH_ANY, VT_ERR_FORBIDDEN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct principal p = {cases[i].who, 1};
    struct vt_error err = {0};
    assert_int_equal(auth_allow(&p, cases[i].route, &err), cases[i].want);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_secret_shape),
      cmocka_unit_test(test_identify),
      cmocka_unit_test(test_allow_matrix),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
