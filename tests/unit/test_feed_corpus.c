/* The feed corpus (../shared/testdata/feeds: 197 real feeds from gofeed, feedparser and
 * feed-rs, each with NAME.expected.json): every case through feed_parse, compared field by
 * field with what the source project expects.
 *
 * Fields: format; feed title and link; the item count where the expectation lists every
 * item; per item title, link and date. Text is compared after collapsing runs of ASCII
 * whitespace to one space and trimming (the README's rule; the sources differ in trimming);
 * links as URLs (scheme and host case-insensitive, an empty path is "/": feed-rs normalises).
 * Dates: our item has one date, the first the item gives (published before updated); it is
 * compared with the expected "published", or with "updated" where the source gives only that.
 * A case whose expected format is null (not a feed) matches when feed_parse refuses it.
 *
 * The bar: every comparison matches except the exceptions listed in EXCEPTIONS below, each
 * with its reason. A mismatch not listed fails the test; a listed exception that matches is
 * reported (so the list can be trimmed) but does not fail. Per-field counts are printed. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "feed_parse.h"
#include "fsutil.h"
#include "test_util.h"
#include "timeutil.h"

#define CORPUS VT_SHARED_TESTDATA_DIR "/feeds"

/* Where we deliberately differ from the source's expectation. `field` is "format", "title",
 * "link", "count", or "items[i].title|link|date". */
/* Titles written as HTML (escaped, in CDATA, inline XHTML, base64 of HTML): gofeed keeps
 * the markup as the title's text ("<p>Feed Title</p>", or "&lt;p&gt;..." where the HTML
 * itself escapes it); a screen needs the text, so we strip tags and decode the HTML's
 * references once ("Feed Title", "<p>Entry Title</p>"). */
#define MARKUP "title is HTML: the source keeps the markup, we show its text"
static const struct {
  const char *name, *field, *reason;
} EXCEPTIONS[] = {
    {"gofeed-atom-atom03_feed_title_html_escaped_markup", "title", MARKUP},
    {"gofeed-atom-atom03_feed_title_xhtml_inline_markup", "title", MARKUP},
    {"gofeed-atom-atom10_feed_entry_title_base64_escaped_markup", "items[0].title", MARKUP},
    {"gofeed-atom-atom10_feed_entry_title_html_escaped_markup", "items[0].title", MARKUP},
    {"gofeed-atom-atom10_feed_entry_title_xhtml_escaped_markup", "items[0].title", MARKUP},
    {"gofeed-atom-atom10_feed_entry_title_xhtml_inline_markup", "items[0].title", MARKUP},
    {"gofeed-atom-atom10_feed_title_base64", "title", MARKUP},
    {"gofeed-atom-atom10_feed_title_html_escaped_markup", "title", MARKUP},
    {"gofeed-atom-feed_title_xml_base_cdata", "title", MARKUP},
    {"gofeed-rss-rss_channel_item_title_cdata_escaped_markup", "items[0].title", MARKUP},
    {"gofeed-rss-rss_channel_item_title_cdata_naked_markup", "items[0].title", MARKUP},
    {"gofeed-rss-rss_channel_item_title_escaped_markup", "items[0].title", MARKUP},
    {"gofeed-rss-rss_channel_item_title_naked_markup", "items[0].title", MARKUP},
    {"gofeed-rss-rss_channel_title_cdata_escaped_markup", "title", MARKUP},
    {"gofeed-rss-rss_channel_title_cdata_naked_markup", "title", MARKUP},
    {"gofeed-rss-rss_channel_title_escaped_markup", "title", MARKUP},
    {"gofeed-rss-rss_channel_title_naked_markup", "title", MARKUP},
    {"feedrs-rss_2_0_nbcny", "items[0].date",
     "'Sat, Dec 16 2023 02:02:33 PM' has no zone: feed-rs gives no date, we read it as UTC"},
    {"feedrs-rss_2_0_spec_1", "items[0].link",
     "no <link>, a guid without isPermaLink: RSS 2.0 makes it a permalink, we use it as the "
     "link; feed-rs does not"},
    {"feedrs-rss_2_0_spec_1", "items[1].link", "as items[0].link"},
    {NULL, NULL, NULL},
};

enum field { F_FORMAT, F_TITLE, F_LINK, F_COUNT, F_ITEM_TITLE, F_ITEM_LINK, F_ITEM_DATE, F_N };
static const char *const FIELD_NAMES[F_N] = {"format",     "title",     "link",     "count",
                                             "item title", "item link", "item date"};

struct tally {
  size_t checked[F_N], matched[F_N], excepted[F_N];
  size_t unexpected; /* mismatches not in EXCEPTIONS */
  size_t stale;      /* exceptions that matched */
};

/* ASCII whitespace runs → one space, trimmed. New string. */
static char *norm(const char *s) {
  if (!s) return NULL;
  char *o = malloc(strlen(s) + 1);
  assert_non_null(o);
  size_t n = 0;
  bool space = false;
  for (; *s; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') {
      space = n > 0;
      continue;
    }
    if (space) o[n++] = ' ';
    space = false;
    o[n++] = *s;
  }
  o[n] = '\0';
  return o;
}

static bool same_text(const char *want, const char *got) {
  char *a = norm(want), *b = norm(got);
  bool eq;
  if (!a || !*a)
    eq = !b || !*b; /* null expectation: absent or empty */
  else
    eq = b && !strcmp(a, b);
  free(a);
  free(b);
  return eq;
}

/* URL equivalence (RFC 3986 §6.2.2-3): scheme and host are case-insensitive and an empty
 * path is "/". feed-rs normalises its URLs this way, the feed does not. New string. */
static char *norm_url(const char *s) {
  char *u = norm(s);
  if (!u) return NULL;
  char *sep = strstr(u, "://");
  if (!sep) return u;
  char *host_end = sep + 3 + strcspn(sep + 3, "/?#");
  for (char *p = u; p < host_end; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  if (*host_end != '/') {
    size_t n = strlen(u);
    char *v = malloc(n + 2);
    assert_non_null(v);
    size_t at = (size_t)(host_end - u);
    memcpy(v, u, at);
    v[at] = '/';
    memcpy(v + at + 1, u + at, n - at + 1);
    free(u);
    return v;
  }
  return u;
}

static bool same_url(const char *want, const char *got) {
  char *a = norm_url(want), *b = norm_url(got);
  bool eq = same_text(a, b);
  free(a);
  free(b);
  return eq;
}

static const char *exception_reason(const char *name, const char *field) {
  for (size_t i = 0; EXCEPTIONS[i].name; i++)
    if (!strcmp(EXCEPTIONS[i].name, name) && !strcmp(EXCEPTIONS[i].field, field))
      return EXCEPTIONS[i].reason;
  return NULL;
}

static void record(struct tally *t, enum field f, const char *name, const char *field, bool ok,
                   const char *want, const char *got) {
  t->checked[f]++;
  const char *why = exception_reason(name, field);
  if (ok) {
    t->matched[f]++;
    if (why) {
      t->stale++;
      printf("  note: %s %s matches but is listed as an exception\n", name, field);
    }
    return;
  }
  if (why) {
    t->excepted[f]++;
    return;
  }
  t->unexpected++;
  printf("  MISMATCH %s %s: want [%s] got [%s]\n", name, field, want ? want : "null",
         got ? got : "null");
}

static void check_case(struct tally *t, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.expected.json", CORPUS, name);
  json_t *exp = test_load_json(path);
  snprintf(path, sizeof path, "%s/%s.xml", CORPUS, name);
  char *body = NULL;
  size_t len = 0;
  struct vt_error err = {0};
  assert_int_equal(vt_read_file(path, 64 << 20, &body, &len, &err), VT_OK);
  struct feed *f = NULL;
  enum vt_err rc = feed_parse(body, len, NULL, NULL, &f, &err);
  free(body);

  json_t *jformat = json_object_get(exp, "format");
  const char *want_format = json_string_value(jformat);
  if (!want_format) {
    record(t, F_FORMAT, name, "format", rc == VT_ERR_INVALID, "(not a feed)",
           rc == VT_OK ? f->format : err.message);
    feed_free(f);
    json_decref(exp);
    return;
  }
  record(t, F_FORMAT, name, "format", rc == VT_OK && !strcmp(f->format, want_format),
         want_format, rc == VT_OK ? f->format : err.message);
  if (rc != VT_OK) {
    json_decref(exp);
    return;
  }
  json_t *v;
  if ((v = json_object_get(exp, "title")))
    record(t, F_TITLE, name, "title", same_text(json_string_value(v), f->title),
           json_string_value(v), f->title);
  if ((v = json_object_get(exp, "link")))
    record(t, F_LINK, name, "link", same_url(json_string_value(v), f->link),
           json_string_value(v), f->link);
  json_t *items = json_object_get(exp, "items");
  if (items) {
    if (json_is_true(json_object_get(exp, "items_complete"))) {
      char want[32], got[32];
      snprintf(want, sizeof want, "%zu", json_array_size(items));
      snprintf(got, sizeof got, "%zu", f->n_items);
      record(t, F_COUNT, name, "count", json_array_size(items) == f->n_items, want, got);
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
      const struct feed_item *ours = i < f->n_items ? &f->items[i] : NULL;
      char field[64];
      if ((v = json_object_get(it, "title"))) {
        snprintf(field, sizeof field, "items[%zu].title", i);
        record(t, F_ITEM_TITLE, name, field,
               ours && same_text(json_string_value(v), ours->title), json_string_value(v),
               ours ? ours->title : "(no item)");
      }
      if ((v = json_object_get(it, "link"))) {
        snprintf(field, sizeof field, "items[%zu].link", i);
        record(t, F_ITEM_LINK, name, field, ours && same_url(json_string_value(v), ours->link),
               json_string_value(v), ours ? ours->link : "(no item)");
      }
      json_t *pub = json_object_get(it, "published"), *upd = json_object_get(it, "updated");
      if (pub || upd) {
        /* the date we should have: published, else updated (our one date falls back) */
        const char *want = json_string_value(pub);
        if (!want) want = json_string_value(upd);
        char got[VT_RFC3339_MAX] = "";
        if (ours && ours->has_published) vt_time_format(ours->published_ms, got);
        bool ok;
        if (!want) {
          ok = ours && !ours->has_published;
        } else {
          int64_t want_ms;
          ok = ours && ours->has_published && vt_time_parse(want, &want_ms) &&
               want_ms == ours->published_ms;
        }
        snprintf(field, sizeof field, "items[%zu].date", i);
        record(t, F_ITEM_DATE, name, field, ok, want, got[0] ? got : NULL);
      }
    }
  }
  feed_free(f);
  json_decref(exp);
}

static void test_corpus(void **state) {
  (void)state;
  size_t n = 0;
  char **files = test_list_files(CORPUS, ".expected.json", &n);
  struct tally t = {0};
  for (size_t i = 0; i < n; i++) {
    /* test_list_files gives names; strip the suffix */
    const char *base = strrchr(files[i], '/');
    base = base ? base + 1 : files[i];
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - strlen(".expected.json")), base);
    check_case(&t, name);
  }
  printf("feed corpus: %zu cases\n", n);
  size_t all = 0, ok = 0, exc = 0;
  for (int f = 0; f < F_N; f++) {
    printf("  %-10s %4zu/%-4zu match, %zu listed exceptions\n", FIELD_NAMES[f], t.matched[f],
           t.checked[f], t.excepted[f]);
    all += t.checked[f];
    ok += t.matched[f];
    exc += t.excepted[f];
  }
  printf("  all        %4zu/%-4zu match, %zu listed exceptions, %zu unexpected mismatches, "
         "%zu stale exceptions\n",
         ok, all, exc, t.unexpected, t.stale);
  test_free_list(files, n);
  assert_true(n >= 197);
  assert_int_equal(t.unexpected, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
