/* vt_buf: grows across the initial size, stays NUL-terminated, hands over and resets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void test_grow_take_free(void **state) {
  (void)state;
  struct vt_buf b = {0};
  char chunk[1000];
  memset(chunk, 'x', sizeof chunk);
  for (int i = 0; i < 10; i++) assert_int_equal(vt_buf_append(&b, chunk, sizeof chunk), VT_OK);
  assert_int_equal(b.len, 10000);
  assert_true(b.cap > b.len);
  assert_int_equal(b.data[b.len], '\0');
  assert_int_equal(strlen(b.data), 10000);
  size_t len = 0;
  char *taken = vt_buf_take(&b, &len);
  assert_int_equal(len, 10000);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  free(taken);
  assert_int_equal(vt_buf_append(&b, "ab", 2), VT_OK);
  assert_int_equal(vt_buf_append(&b, "", 0), VT_OK);
  assert_string_equal(b.data, "ab");
  assert_int_equal(vt_buf_append(&b, "c", SIZE_MAX), VT_ERR_NO_MEMORY); /* refused, unchanged */
  assert_string_equal(b.data, "ab");
  vt_buf_free(&b);
  vt_buf_free(&b);
  assert_null(vt_buf_take(&b, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_grow_take_free)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
