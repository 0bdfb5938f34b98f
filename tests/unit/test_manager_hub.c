/* hub.c with fake connections: who gets which event, suspend/resume bookkeeping, keep-alives,
 * disconnects, shutdown and status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hub.h"
#include "vt_limits.h"

struct fake_conn {
  int suspends, resumes;
  bool parked;
};

static void fake_suspend(void *conn) {
  struct fake_conn *c = conn;
  assert_false(c->parked); /* never parked twice */
  c->parked = true;
  c->suspends++;
}

static void fake_resume(void *conn) {
  struct fake_conn *c = conn;
  assert_true(c->parked); /* only what was parked is resumed */
  c->parked = false;
  c->resumes++;
}

static const struct hub_conn_ops fake_ops = {fake_suspend, fake_resume};

/* Everything the stream has to send now, as a string; stops at a suspend or the end. */
static ssize_t drain(struct hub_sub *s, char *out, size_t size, size_t chunk) {
  size_t used = 0;
  for (;;) {
    ssize_t n = hub_read(s, out + used, chunk < size - used - 1 ? chunk : size - used - 1);
    if (n <= 0) {
      out[used] = '\0';
      return n < 0 ? -1 : (ssize_t)used;
    }
    used += (size_t)n;
  }
}

/* A display told of more keys over its uptime than it has slots for still gets every new
 * one: slots of keys its streams have sent are reused. */
static void test_source_slots_are_reused(void **state) {
  (void)state;
  struct hub *h = hub_new(&fake_ops);
  struct fake_conn c = {0};
  struct hub_sub *s = hub_subscribe(h, 1, 1, "\"1\"", &c);
  char buf[4096], key[32], want[64];
  drain(s, buf, sizeof buf, 1000);
  int64_t id = 1;
  for (int i = 1; i <= VT_LIMIT_SOURCES * 2 + 5; i++) {
    snprintf(key, sizeof key, "menu/%d", i);
    hub_announce_source(h, &id, 1, key, 7);
    drain(s, buf, sizeof buf, 1000);
    snprintf(want, sizeof want, "\"key\":\"%s\",\"version\":7", key);
    if (!strstr(buf, want)) fail_msg("key %d was not sent: '%s'", i, buf);
  }
  hub_unsubscribe(s);
  hub_free(h);
}

static void test_events_reach_only_their_display(void **state) {
  (void)state;
  struct hub *h = hub_new(&fake_ops);
  struct fake_conn ca = {0}, cb = {0};
  struct hub_sub *a = hub_subscribe(h, 1, 3, "\"1-3-x\"", &ca);
  struct hub_sub *b = hub_subscribe(h, 2, 7, "\"2-7-y\"", &cb);
  char buf[512];
  /* the current state at once, then nothing: parked */
  ssize_t n = drain(a, buf, sizeof buf, 1000);
  assert_int_equal(n, strlen(buf));
  assert_string_equal(buf, "event: manifest\ndata: {\"version\":3,\"etag\":\"\\\"1-3-x\\\"\"}\n\n");
  assert_true(ca.parked);
  drain(b, buf, sizeof buf, 1000);
  assert_non_null(strstr(buf, "\"version\":7"));
  assert_true(cb.parked);

  hub_announce(h, 1, 4, "\"1-4-z\"");
  assert_int_equal(ca.resumes, 1);
  assert_int_equal(cb.resumes, 0); /* B is not even woken */
  drain(a, buf, sizeof buf, 7);    /* small reads reassemble the event */
  assert_string_equal(buf, "event: manifest\ndata: {\"version\":4,\"etag\":\"\\\"1-4-z\\\"\"}\n\n");

  /* an older or equal version (a late announcer) does not even wake the stream */
  hub_announce(h, 1, 4, "\"1-4-z\"");
  hub_announce(h, 1, 2, "\"1-2-old\"");
  assert_int_equal(ca.resumes, 1);
  assert_true(ca.parked);

  /* two versions before the stream runs: only the newest is sent */
  hub_announce(h, 2, 8, "\"2-8\"");
  hub_announce(h, 2, 9, "\"2-9\"");
  assert_int_equal(cb.resumes, 1);
  drain(b, buf, sizeof buf, 1000);
  assert_null(strstr(buf, "\"version\":8"));
  assert_non_null(strstr(buf, "\"version\":9"));

  hub_unsubscribe(a);
  hub_unsubscribe(b);
  hub_free(h);
}

static void test_keepalive_and_disconnect(void **state) {
  (void)state;
  struct hub *h = hub_new(&fake_ops);
  struct fake_conn ca = {0}, cb = {0};
  struct hub_sub *a = hub_subscribe(h, 1, 1, "\"a\"", &ca);
  struct hub_sub *b = hub_subscribe(h, 2, 1, "\"b\"", &cb);
  char buf[512];
  drain(a, buf, sizeof buf, 1000);
  drain(b, buf, sizeof buf, 1000);
  hub_keepalive(h);
  assert_int_equal(ca.resumes + cb.resumes, 2);
  drain(a, buf, sizeof buf, 1000);
  assert_string_equal(buf, ": keep-alive\n\n");
  /* an event pending with a keep-alive: the event alone keeps the stream alive */
  hub_keepalive(h);
  hub_announce(h, 2, 2, "\"b2\"");
  drain(b, buf, sizeof buf, 1000);
  assert_null(strstr(buf, "keep-alive"));
  assert_non_null(strstr(buf, "\"version\":2"));

  drain(a, buf, sizeof buf, 1000);
  assert_true(ca.parked && cb.parked);
  hub_disconnect(h, 1);
  assert_false(ca.parked); /* woken to end */
  assert_true(cb.parked);  /* B unaffected */
  assert_int_equal(hub_read(a, buf, sizeof buf), -1);
  hub_unsubscribe(a);
  hub_unsubscribe(b);
  hub_free(h);
}

static void test_status_and_shutdown(void **state) {
  (void)state;
  struct hub *h = hub_new(&fake_ops);
  struct fake_conn c1 = {0}, c2 = {0};
  int64_t seen = -1;
  assert_false(hub_status(h, 5, 1000, &seen));
  assert_int_equal(seen, 0); /* never heard from */
  hub_seen(h, 5, 400);
  assert_false(hub_status(h, 5, 1000, &seen));
  assert_int_equal(seen, 400);
  struct hub_sub *s1 = hub_subscribe(h, 5, 1, "\"x\"", &c1);
  struct hub_sub *s2 = hub_subscribe(h, 5, 1, "\"x\"", &c2); /* two streams, one display */
  assert_true(hub_status(h, 5, 2000, &seen));
  assert_int_equal(seen, 2000);
  char buf[256];
  drain(s1, buf, sizeof buf, 1000);
  hub_unsubscribe(s2);
  assert_true(hub_status(h, 5, 2000, &seen)); /* still one */

  /* shutdown ends the parked stream; it reports how many are still open */
  assert_int_equal(hub_shutdown(h, 0), 1);
  assert_false(c1.parked);
  assert_int_equal(hub_read(s1, buf, sizeof buf), -1);
  hub_unsubscribe(s1);
  assert_int_equal(hub_shutdown(h, 0), 0);
  assert_false(hub_status(h, 5, 3000, &seen));
  assert_true(seen > 0);
  hub_free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_events_reach_only_their_display),
      cmocka_unit_test(test_source_slots_are_reused),
      cmocka_unit_test(test_keepalive_and_disconnect),
      cmocka_unit_test(test_status_and_shutdown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
