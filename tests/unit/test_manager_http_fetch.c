/* http_fetch.c against a misbehaving loopback server: every cap holds, with an error an
 * owner can read, and a conditional fetch gets 304. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "hostile_server.h"
#include "http_fetch.h"
#include "timeutil.h"

static struct hostile_server *server;

static int setup(void **state) {
  (void)state;
  server = hostile_start();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  hostile_stop(server);
  return 0;
}

/* Small caps so the hostile cases end in about a second each. */
static const struct fetch_limits quick = {1024 * 1024, 4000, 2000, 1};

/* Fetch path; expect an error whose message contains want, within max_s seconds. */
static void expect_refused(const char *path, const char *want, double max_s) {
  char url[128];
  struct fetch_result r;
  struct vt_error err = {0};
  double t0 = (double)vt_mono_us() / 1e6;
  enum vt_err rc = http_fetch(hostile_url(server, path, url, sizeof url), NULL, NULL, &quick, &r,
                              &err);
  double took = (double)vt_mono_us() / 1e6 - t0;
  print_message("%-16s -> %s (%.2f s)\n", path, err.message, took);
  assert_int_equal(rc, VT_ERR_UNAVAILABLE);
  assert_null(r.body);
  assert_non_null(strstr(err.message, want));
  assert_true(took < max_s);
}

static void test_hostile_responses_are_refused_in_time(void **state) {
  (void)state;
  expect_refused("/huge", "larger than 1 MB", 3);
  expect_refused("/huge-declared", "larger than 1 MB", 3);
  expect_refused("/gzip-bomb", "larger than 1 MB", 3);
  expect_refused("/drip", "stalled", 4);
  expect_refused("/stall", "stalled", 4);
  expect_refused("/redirect-file", "only http and https", 3);
  expect_refused("/redirect-loop", "redirects", 3);
  expect_refused("/status/404", "HTTP 404", 3);
  expect_refused("/status/503", "HTTP 503", 3);
  expect_refused("/nothing-here", "HTTP 404", 3);
}

static void test_conditional_fetch(void **state) {
  (void)state;
  const char *doc = "<rss version=\"2.0\"><channel><title>A</title></channel></rss>";
  hostile_set(server, "/feed.xml", "application/rss+xml; charset=utf-8", doc, strlen(doc),
              "\"v1\"");
  char url[128];
  hostile_url(server, "/feed.xml", url, sizeof url);
  struct fetch_result r;
  struct vt_error err = {0};
  assert_int_equal(http_fetch(url, NULL, NULL, &quick, &r, &err), VT_OK);
  assert_int_equal(r.status, 200);
  assert_false(r.not_modified);
  assert_int_equal(r.len, strlen(doc));
  assert_string_equal(r.body, doc);
  assert_string_equal(r.etag, "\"v1\"");
  assert_string_equal(r.content_type, "application/rss+xml; charset=utf-8");

  struct fetch_result again;
  assert_int_equal(http_fetch(url, r.etag, NULL, &quick, &again, &err), VT_OK);
  assert_true(again.not_modified);
  assert_null(again.body);
  assert_int_equal(hostile_not_modified(server, "/feed.xml"), 1);

  /* the document changes: the old validator no longer matches */
  hostile_set(server, "/feed.xml", "application/rss+xml", "<rss/>", 6, "\"v2\"");
  struct fetch_result changed;
  assert_int_equal(http_fetch(url, r.etag, NULL, &quick, &changed, &err), VT_OK);
  assert_false(changed.not_modified);
  assert_string_equal(changed.body, "<rss/>");
  assert_string_equal(changed.etag, "\"v2\"");
  assert_int_equal(hostile_hits(server, "/feed.xml"), 3);
  fetch_result_clear(&r);
  fetch_result_clear(&again);
  fetch_result_clear(&changed);
}

static void test_urls_only_http(void **state) {
  (void)state;
  assert_true(fetch_is_url("http://x/"));
  assert_true(fetch_is_url("HTTPS://x/"));
  assert_false(fetch_is_url("file:///etc/passwd"));
  assert_false(fetch_is_url("feed.xml"));
  struct fetch_result r;
  struct vt_error err = {0};
  assert_int_equal(http_fetch("file:///etc/passwd", NULL, NULL, &quick, &r, &err),
                   VT_ERR_UNAVAILABLE);
  assert_non_null(strstr(err.message, "only http and https"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hostile_responses_are_refused_in_time),
      cmocka_unit_test(test_conditional_fetch),
      cmocka_unit_test(test_urls_only_http),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
