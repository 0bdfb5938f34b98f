/* router.c: path patterns, typed placeholders, 404 versus 405, and router_fill. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "routes.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const struct {
  const char *method, *path;
  const char *pattern; /* NULL: no route */
  enum vt_err why;     /* when pattern is NULL */
  int64_t id0, id1;
} cases[] = {
    {"GET", "/api/v1/playlists", "/api/v1/playlists", VT_OK, 0, 0},
    {"POST", "/api/v1/playlists", "/api/v1/playlists", VT_OK, 0, 0},
    {"GET", "/api/v1/playlists/42", "/api/v1/playlists/{id}", VT_OK, 42, 0},
    {"PATCH", "/api/v1/playlists/7/items/9", "/api/v1/playlists/{id}/items/{item_id}", VT_OK, 7, 9},
    {"GET", "/api/v1/playlists/9223372036854775807", "/api/v1/playlists/{id}", VT_OK, INT64_MAX, 0},
    {"HEAD", "/media/" SHA, "/media/{sha256}", VT_OK, 0, 0},
    {"GET", "/api/v1/playlists/0", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists/007", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists/-1", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists/9223372036854775808", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists/1x", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists/", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/api/v1/playlists//1", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/media/" SHA "0", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/media/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL,
     VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "/media/../etc/passwd", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"GET", "", NULL, VT_ERR_NOT_FOUND, 0, 0},
    {"PUT", "/api/v1/playlists", NULL, VT_ERR_METHOD_NOT_ALLOWED, 0, 0},
    {"POST", "/media/" SHA, NULL, VT_ERR_METHOD_NOT_ALLOWED, 0, 0},
    {"DELETE", "/api/v1/tokens", NULL, VT_ERR_METHOD_NOT_ALLOWED, 0, 0},
};

static void test_find(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct route_params p;
    struct vt_error err = {0};
    char allow[64];
    const struct route *r =
        router_find(cases[i].method, cases[i].path, &p, allow, sizeof allow, &err);
    if (!cases[i].pattern) {
      assert_null(r);
      assert_int_equal(err.code, cases[i].why);
      continue;
    }
    assert_non_null(r);
    assert_string_equal(r->pattern, cases[i].pattern);
    if (cases[i].id0) assert_int_equal(p.id[0], cases[i].id0);
    if (cases[i].id1) assert_int_equal(p.id[1], cases[i].id1);
    if (strstr(cases[i].pattern, "{sha256}")) assert_string_equal(p.sha256, SHA);
  }
}

static void test_allow_lists_methods(void **state) {
  (void)state;
  struct route_params p;
  struct vt_error err = {0};
  char allow[64];
  assert_null(router_find("PUT", "/api/v1/media/" SHA, &p, allow, sizeof allow, &err));
  assert_string_equal(allow, "GET, PATCH, DELETE");
}

/* Every route's pattern filled with values must route back to the same entry. */
static void test_fill_round_trip(void **state) {
  (void)state;
  const int64_t ids[2] = {12, 34};
  for (size_t i = 0; i < routes_count; i++) {
    char path[256];
    struct route_params p;
    struct vt_error err = {0};
    char allow[64];
    assert_true(router_fill(&routes[i], ids, 2, SHA, path, sizeof path));
    assert_ptr_equal(router_find(routes[i].method, path, &p, allow, sizeof allow, &err),
                     &routes[i]);
  }
  char tiny[8];
  assert_false(router_fill(&routes[0], ids, 2, SHA, tiny, sizeof tiny));
}

/* Two routes with the same method and pattern would make one unreachable. */
static void test_table_has_no_duplicates(void **state) {
  (void)state;
  for (size_t i = 0; i < routes_count; i++)
    for (size_t k = i + 1; k < routes_count; k++)
      assert_false(strcmp(routes[i].method, routes[k].method) == 0 &&
                   strcmp(routes[i].pattern, routes[k].pattern) == 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_find),
      cmocka_unit_test(test_allow_lists_methods),
      cmocka_unit_test(test_fill_round_trip),
      cmocka_unit_test(test_table_has_no_duplicates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
