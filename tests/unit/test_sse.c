/* player/sse.c: the event-stream parser. Every table case is fed whole, split in two at
 * every byte position, and one byte at a time; the events must come out the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sse.h"

/* Events are recorded as "[event]{data}" one after the other, so a table row can state
 * the whole expected output as one string. */
struct record {
  char out[4 * SSE_DATA_MAX + 256];
  size_t len;
  int count;
};

static void on_event(void *user, const char *event, const char *data, size_t len) {
  struct record *r = user;
  assert_int_equal(strlen(data), len); /* NUL-terminated at len (no NUL inside in our cases) */
  int n = snprintf(r->out + r->len, sizeof r->out - r->len, "[%s]{%s}", event, data);
  assert_true(n > 0 && (size_t)n < sizeof r->out - r->len);
  r->len += (size_t)n;
  r->count++;
}

/* Feed input in pieces: split == 0 whole, split > 0 as [0,split) + [split,len),
 * split == -1 one byte at a time. */
static void run_split(const char *input, size_t len, long split, struct record *r) {
  struct sse_parser *p = sse_parser_new(on_event, r);
  assert_non_null(p);
  memset(r, 0, sizeof *r);
  if (split < 0) {
    for (size_t i = 0; i < len; i++) sse_parser_feed(p, input + i, 1);
  } else {
    sse_parser_feed(p, input, (size_t)split);
    sse_parser_feed(p, input + split, len - (size_t)split);
  }
  sse_parser_free(p);
}

static void check_all_splits(const char *name, const char *input, size_t len, const char *expect) {
  struct record *r = malloc(sizeof *r);
  assert_non_null(r);
  for (long split = -1; split <= (long)len; split++) {
    run_split(input, len, split, r);
    if (strcmp(r->out, expect) != 0)
      fail_msg("%s (split %ld): got '%s', want '%s'", name, split, r->out, expect);
  }
  free(r);
}

static const struct {
  const char *name;
  const char *input;
  const char *expect;
} cases[] = {
    {"lf", "event: manifest\ndata: {\"version\":1}\n\n", "[manifest]{{\"version\":1}}"},
    {"crlf", "event: manifest\r\ndata: {\"v\":1}\r\n\r\n", "[manifest]{{\"v\":1}}"},
    {"cr", "event: manifest\rdata: x\r\r", "[manifest]{x}"},
    {"mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", "[message]{a\nb\nc}"},
    {"default event name", "data: x\n\n", "[message]{x}"},
    {"multi-line data", "data: one\ndata: two\ndata:three\n\n", "[message]{one\ntwo\nthree}"},
    {"comments ignored", ": keep-alive\n\n:\ndata: x\n: inside\n\n", "[message]{x}"},
    {"only comments", ": keep-alive\r\n\r\n: keep-alive\r\n\r\n", ""},
    {"one leading space removed", "data:  x \n\n", "[message]{ x }"},
    {"no space after colon", "data:x\n\n", "[message]{x}"},
    {"colon in value", "data: a:b: c\n\n", "[message]{a:b: c}"},
    {"field without colon", "data\n\n", "[message]{}"},
    {"empty data lines", "data\ndata\n\n", "[message]{\n}"},
    {"event without data is not dispatched", "event: x\n\ndata: y\n\n", "[message]{y}"},
    {"event name resets after dispatch", "event: a\ndata: 1\n\ndata: 2\n\n", "[a]{1}[message]{2}"},
    {"empty event name", "event\ndata: x\n\n", "[message]{x}"},
    {"last event line wins", "event: a\nevent: b\ndata: x\n\n", "[b]{x}"},
    {"unknown fields ignored", "foo: bar\nDATA: no\ndata: x\n\n", "[message]{x}"},
    {"incomplete event dropped", "data: x\n", ""},
    {"incomplete line dropped", "data: x", ""},
    {"extra blank lines", "\n\ndata: x\n\n\n\n", "[message]{x}"},
    {"two events", "event: manifest\ndata: 1\n\nevent: manifest\ndata: 2\n\n",
     "[manifest]{1}[manifest]{2}"},
    {"cr then lf is one line end", "data: x\r\n\r\n", "[message]{x}"},
    {"lf cr is two line ends", "data: x\n\r", "[message]{x}"},
    {"bom skipped", "\xEF\xBB\xBF" "data: x\n\n", "[message]{x}"},
    {"bom only at the start", "\xEF\xBB\xBF" "data: x\n\n\xEF\xBB\xBF" "data: y\n\n",
     "[message]{x}"},
    /* A prefix of the BOM that is not one is content, not dropped: "\xEF\xBB" + "data"
     * is then an unknown field name. */
    {"partial bom is content", "\xEF\xBB" "data: x\n\n", ""},
    {"partial bom is content 2", "\xEF" "data: x\n\ndata: y\n\n", "[message]{y}"},
    {"id and retry do not dispatch", "id: 7\nretry: 100\n\n", ""},
    {"utf-8 data", "data: \xD9\x85\xD9\x86\xD9\x88\n\n", "[message]{\xD9\x85\xD9\x86\xD9\x88}"},
};

static void test_table(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_all_splits(cases[i].name, cases[i].input, strlen(cases[i].input), cases[i].expect);
}

static void test_id_and_retry(void **state) {
  (void)state;
  static const struct {
    const char *input;
    const char *id;
    long long retry;
  } rows[] = {
      {"id: 42\nretry: 1500\ndata: x\n\n", "42", 1500},
      {"retry: 12a\n\n", "", -1},       /* not all digits: ignored */
      {"retry:\n\n", "", -1},           /* empty: ignored */
      {"retry: 100\nretry: x\n", "", 100}, /* the bad one does not undo the good one */
      {"id: a\nid\n", "", -1},          /* an empty id clears it */
      {"id: 1\r\nid: 2\r\n", "2", -1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    struct record r = {0};
    struct sse_parser *p = sse_parser_new(on_event, &r);
    assert_non_null(p);
    sse_parser_feed(p, rows[i].input, strlen(rows[i].input));
    assert_string_equal(sse_parser_last_id(p), rows[i].id);
    assert_int_equal(sse_parser_retry_ms(p), rows[i].retry);
    /* A reconnect keeps the id and the retry, as the format says. */
    sse_parser_reset(p);
    assert_string_equal(sse_parser_last_id(p), rows[i].id);
    assert_int_equal(sse_parser_retry_ms(p), rows[i].retry);
    sse_parser_free(p);
  }
}

/* Build "<prefix><fill x n><suffix>" on the heap. */
static char *build(const char *prefix, char fill, size_t n, const char *suffix, size_t *len) {
  size_t a = strlen(prefix), b = strlen(suffix);
  char *s = malloc(a + n + b + 1);
  assert_non_null(s);
  memcpy(s, prefix, a);
  memset(s + a, fill, n);
  memcpy(s + a + n, suffix, b + 1);
  *len = a + n + b;
  return s;
}

static void test_line_limit(void **state) {
  (void)state;
  size_t len;
  /* A line of exactly VT_LIMIT_SSE_LINE bytes is accepted... */
  char *in = build("data: ", 'a', VT_LIMIT_SSE_LINE - 6, "\n\n", &len);
  char *expect = build("[message]{", 'a', VT_LIMIT_SSE_LINE - 6, "}", &(size_t){0});
  check_all_splits("line at the limit", in, len, expect);
  free(in);
  free(expect);
  /* ...one byte more and the line is dropped whole, not cut, and the stream goes on. */
  in = build("data: ", 'a', VT_LIMIT_SSE_LINE - 5, "\n\ndata: next\n\n", &len);
  check_all_splits("line over the limit", in, len, "[message]{next}");
  free(in);
  /* The tail of an overlong line is never read as a field or as the empty line. */
  in = build("data: x\n", 'q', 3 * VT_LIMIT_SSE_LINE, "\r\n\r\n", &len);
  check_all_splits("overlong line between fields", in, len, "[message]{x}");
  free(in);
  in = build("data: keep\n:", 'c', 2 * VT_LIMIT_SSE_LINE, "\n\n", &len);
  check_all_splits("overlong comment", in, len, "[message]{keep}");
  free(in);
}

static void test_data_limit(void **state) {
  (void)state;
  /* Many data lines, each short, adding up past SSE_DATA_MAX: the event is dropped whole
   * and the next one is delivered. */
  size_t line = 100, lines = SSE_DATA_MAX / line + 2, n = 0;
  char *in = malloc(lines * (line + 8) + 64);
  assert_non_null(in);
  for (size_t i = 0; i < lines; i++) {
    memcpy(in + n, "data: ", 6);
    memset(in + n + 6, 'z', line);
    in[n + 6 + line] = '\n';
    n += line + 7;
  }
  const char *tail = "\ndata: after\n\n";
  memcpy(in + n, tail, strlen(tail) + 1);
  n += strlen(tail);
  struct record *r = malloc(sizeof *r);
  assert_non_null(r);
  run_split(in, n, 0, r);
  assert_string_equal(r->out, "[message]{after}");
  run_split(in, n, -1, r);
  assert_string_equal(r->out, "[message]{after}");
  free(r);
  free(in);
}

static void test_reset(void **state) {
  (void)state;
  struct record r = {0};
  struct sse_parser *p = sse_parser_new(on_event, &r);
  assert_non_null(p);
  /* Half an event, then the connection drops: nothing of it survives the reset. */
  sse_parser_feed(p, "event: manifest\ndata: half", 26);
  sse_parser_reset(p);
  sse_parser_feed(p, "\n\n", 2);
  assert_int_equal(r.count, 0);
  /* Each fresh stream may start with a BOM. */
  sse_parser_reset(p);
  sse_parser_feed(p, "\xEF\xBB\xBF" "data: x\n\n", 12);
  assert_string_equal(r.out, "[message]{x}");
  sse_parser_free(p);
  sse_parser_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),      cmocka_unit_test(test_id_and_retry),
      cmocka_unit_test(test_line_limit), cmocka_unit_test(test_data_limit),
      cmocka_unit_test(test_reset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
