/* Focused cases for the feed parser: HTML entities and text clean-up, the date table,
 * xml:base, encodings (BOM, declaration, HTTP charset, detection, repair), hostile input
 * (billion laughs, an external entity naming a real local file, huge text, many items),
 * documents that are not feeds, recovery; and `vitrine-manager feed check` run as the real
 * binary on files and on a feed served over loopback HTTP. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "feed_date.h"
#include "feed_parse.h"
#include "feed_text.h"
#include "fsutil.h"
#include "hostile_server.h"
#include "run_cmd.h"
#include "timeutil.h"
#include "vt_limits.h"
#include "xml_safe.h"

static struct feed *parse_ok(const char *doc, size_t len, const char *hint, const char *url) {
  struct feed *f = NULL;
  struct vt_error err = {0};
  enum vt_err rc = feed_parse(doc, len, hint, url, &f, &err);
  if (rc != VT_OK) fail_msg("feed_parse failed: %s", err.message);
  return f;
}

static struct feed *parse_str(const char *doc) { return parse_ok(doc, strlen(doc), NULL, NULL); }

/* ---- text ----------------------------------------------------------------------------------- */

static void test_entities(void **state) {
  (void)state;
  /* HTML entities XML does not define, numeric references, windows-1252 references, an
   * unknown name kept as text, a bare '&' in a URL */
  struct feed *f = parse_str(
      "<rss version=\"2.0\"><channel><title>a &hellip; b&nbsp;c &eacute;t&eacute; &#8217; "
      "&#146;&#x2019; &doesnotexist; AT&T</title>"
      "<link>http://x/?a=1&b=2</link>"
      "<item><title>Caf&eacute; &amp;amp; &lt;b&gt;bold&lt;/b&gt;</title>"
      "<description>&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;copy; 2024&lt;/p&gt;"
      "&lt;script&gt;alert(1)&lt;/script&gt;&lt;style&gt;p{}&lt;/style&gt;x&amp;#150;y"
      "</description></item></channel></rss>");
  assert_string_equal(f->title,
                      "a \xE2\x80\xA6 b\xC2\xA0"
                      "c \xC3\xA9t\xC3\xA9 \xE2\x80\x99 "
                      "\xE2\x80\x99\xE2\x80\x99 &doesnotexist; AT&T");
  assert_string_equal(f->link, "http://x/?a=1&b=2");
  assert_true(f->recovered); /* &hellip; and the bare & are not XML */
  assert_int_equal(f->n_items, 1);
  assert_string_equal(f->items[0].title, "Caf\xC3\xA9 & bold");
  assert_string_equal(f->items[0].summary, "One Two \xC2\xA9 2024 x\xE2\x80\x93y");
  feed_free(f);
}

static void test_text_clean(void **state) {
  (void)state;
  static const struct {
    const char *in;
    enum feed_text_mode mode;
    const char *want;
  } cases[] = {
      {"  a \n\t b  ", FEED_TEXT_PLAIN, "a b"},
      {"<p>a</p><p>b</p>c<br/>d<b>e</b>f", FEED_TEXT_HTML, "a b c def"},
      {"<!-- x --><SCRIPT type='a>b'>x<y</SCRIPT>ok", FEED_TEXT_HTML, "ok"},
      {"1 < 2 & 3 > 2", FEED_TEXT_HTML, "1 < 2 & 3 > 2"},
      {"&amp;lt; &#x41;&#66; &#0; &#xD800; &copy 2", FEED_TEXT_HTML,
       "&lt; AB \xEF\xBF\xBD \xEF\xBF\xBD \xC2\xA9 2"},
      {"\xC2\x93quoted\xC2\x94 \x96 dash", FEED_TEXT_PLAIN,
       "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\x93 dash"}, /* C1 and a stray byte */
      {"<a href=\"x\" title='<b>'>link</a>", FEED_TEXT_HTML, "link"},
      {"&NotEqualTilde;", FEED_TEXT_HTML, "\xE2\x89\x82\xCC\xB8"}, /* two code points */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *t = feed_text_clean(cases[i].in, strlen(cases[i].in), cases[i].mode, 1000);
    assert_non_null(t);
    if (strcmp(t, cases[i].want)) fail_msg("case %zu: got [%s] want [%s]", i, t, cases[i].want);
    free(t);
  }
  /* the cap: on a character boundary, with an ellipsis, never over max */
  char big[3000];
  for (size_t i = 0; i + 2 < sizeof big; i += 2) memcpy(big + i, "\xC3\xA9", 2);
  big[sizeof big - 2] = '\0';
  char *t = feed_text_clean(big, strlen(big), FEED_TEXT_PLAIN, 101);
  assert_true(strlen(t) <= 101);
  assert_non_null(strstr(t, "\xE2\x80\xA6"));
  assert_int_equal(strlen(t) % 2, 1); /* 49 é and one 3-byte … */
  free(t);
  /* every HTML 4 entity decodes: spot checks across the three HTML 4 sets */
  char out[FEED_TEXT_ENTITY_MAX];
  assert_int_equal(feed_text_entity("yuml", 4, out), 2);
  assert_int_equal(feed_text_entity("thetasym", 8, out), 2);
  assert_int_equal(feed_text_entity("euro", 4, out), 3);
  assert_int_equal(feed_text_entity("rsaquo", 6, out), 3);
  assert_int_equal(feed_text_entity("nope", 4, out), 0);
}

/* ---- dates ---------------------------------------------------------------------------------- */

static void test_dates(void **state) {
  (void)state;
  static const struct {
    const char *in, *want; /* want NULL: refused */
  } cases[] = {
      {"Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},
      {"Thu, 01 Jan 2004 19:48:21 +0000", "2004-01-01T19:48:21Z"},
      {"Thu, 01 Aug 2019 16:15 EDT", "2019-08-01T20:15:00Z"},
      {"Fri, 09 Feb 2018 13:00:00 PST", "2018-02-09T21:00:00Z"},
      {"01 Jan 2004 19:48:21 -0500", "2004-01-02T00:48:21Z"},
      {"Sun, 6 Jul 14 12:56:00 UT", "2014-07-06T12:56:00Z"},
      {"Tue, 10 Jun 2003 09:41:01 Z", "2003-06-10T09:41:01Z"},
      {"mer, 16 nov 2022 23:38:15 +0100", "2022-11-16T22:38:15Z"},
      {"Gio, 21 Dic 2023 10:00:00 +01:00", "2023-12-21T09:00:00Z"},
      {"Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T14:02:33Z"},
      {"Mon, 02 Jan 2006 15:04:05 +05:30", "2006-01-02T09:34:05Z"},
      {"2 Mar 99 10:00 CET", "1999-03-02T09:00:00Z"},
      {"Wed, 02 Oct 2002 08:00:00 EST", "2002-10-02T13:00:00Z"},
      {"2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"},
      {"2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z"},
      {"2003-12-31T10:14:55.123+0100", "2003-12-31T09:14:55.123Z"},
      {"2000-01-01T12:00+00:00", "2000-01-01T12:00:00Z"},
      {"2003-12-31", "2003-12-31T00:00:00Z"},
      {"2003-12", "2003-12-01T00:00:00Z"},
      {"2004-01-01 19:48:21", "2004-01-01T19:48:21Z"},
      {"  2010-02-28T24:00:00Z ", "2010-03-01T00:00:00Z"},
      {"2017-06-13T03:18:00+00:0", NULL}, /* broken offset: not guessed at */
      {"2003-02-30T10:00:00Z", NULL},
      {"yesterday", NULL},
      {"", NULL},
      {"Thu, 32 Jan 2004 19:48:21 GMT", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int64_t ms = 0;
    bool ok = feed_date_parse(cases[i].in, &ms);
    if (!cases[i].want) {
      if (ok) fail_msg("case %zu [%s] should be refused", i, cases[i].in);
      continue;
    }
    if (!ok) fail_msg("case %zu [%s] refused", i, cases[i].in);
    char got[VT_RFC3339_MAX];
    vt_time_format(ms, got);
    if (strcmp(got, cases[i].want))
      fail_msg("case %zu [%s]: got %s want %s", i, cases[i].in, got, cases[i].want);
  }
}

/* ---- links ----------------------------------------------------------------------------------- */

static void test_xml_base(void **state) {
  (void)state;
  const char *doc =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.org/a/\">"
      "<title>t</title><link rel=\"self\" href=\"/self\"/><link href=\"home\"/>"
      "<entry xml:base=\"b/\"><title>e1</title><link rel=\"related\" href=\"no\"/>"
      "<link rel=\"alternate\" type=\"text/html\" href=\"c.html\"/></entry>"
      "<entry><title>e2</title><link href=\"//cdn.example.net/x\"/></entry>"
      "<entry><title>e3</title><link href=\"rel\"/></entry>"
      "</feed>";
  struct feed *f = parse_str(doc);
  assert_string_equal(f->format, "atom1.0");
  assert_string_equal(f->link, "http://example.org/a/home");
  assert_int_equal(f->n_items, 3);
  assert_string_equal(f->items[0].link, "http://example.org/a/b/c.html");
  assert_string_equal(f->items[1].link, "http://cdn.example.net/x");
  feed_free(f);
  /* without xml:base the document URL is the base; with neither, links stay as written */
  const char *rel =
      "<rss version=\"2.0\"><channel><link>/</link><item><link>p/1</link>"
      "</item></channel></rss>";
  f = parse_ok(rel, strlen(rel), NULL, "https://news.example.com/feeds/main.xml");
  assert_string_equal(f->link, "https://news.example.com/");
  assert_string_equal(f->items[0].link, "https://news.example.com/feeds/p/1");
  feed_free(f);
  f = parse_str(rel);
  assert_string_equal(f->items[0].link, "p/1");
  feed_free(f);
}

static void test_items_fields(void **state) {
  (void)state;
  const char *doc =
      "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
      "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>c</title>"
      "<item><guid>http://x/1</guid><dc:date>2003-12-31T10:14:55Z</dc:date>"
      "<enclosure url=\"http://x/a.mp3\" type=\"audio/mpeg\"/>"
      "<enclosure url=\"http://x/p.jpg\" type=\"image/jpeg\"/></item>"
      "<item><guid isPermaLink=\"false\">http://x/2</guid><pubDate>Thu, 01 Jan 2004 "
      "19:48:21 GMT</pubDate><media:content url=\"http://x/v.mp4\" medium=\"video\">"
      "<media:thumbnail url=\"http://x/t.jpg\"/></media:content></item>"
      "<item><itunes:image href=\"http://x/i.png\"/><dc:title>from dc</dc:title></item>"
      "</channel></rss>";
  struct feed *f = parse_str(doc);
  assert_false(f->recovered);
  assert_int_equal(f->n_items, 3);
  assert_string_equal(f->items[0].link, "http://x/1");
  assert_true(f->items[0].has_published);
  assert_string_equal(f->items[0].image, "http://x/p.jpg");
  assert_null(f->items[1].link); /* isPermaLink=false */
  assert_string_equal(f->items[1].image, "http://x/t.jpg");
  assert_string_equal(f->items[2].image, "http://x/i.png");
  assert_string_equal(f->items[2].title, "from dc");
  assert_false(f->items[2].has_published);
  json_t *j = feed_to_json(f);
  json_t *it0 = json_array_get(json_object_get(j, "items"), 0);
  assert_string_equal(json_string_value(json_object_get(it0, "published")), "2003-12-31T10:14:55Z");
  assert_true(json_is_null(json_object_get(it0, "title")));
  assert_true(json_is_null(json_object_get(it0, "summary")));
  json_decref(j);
  feed_free(f);
}

/* ---- encodings ------------------------------------------------------------------------------- */

/* ASCII doc as UTF-16 (le or be), optionally with a BOM. */
static char *widen(const char *s, bool le, bool bom, size_t *len) {
  size_t n = strlen(s);
  char *o = calloc(2 * n + 2, 1);
  size_t k = 0;
  if (bom) {
    o[k++] = le ? '\xFF' : '\xFE';
    o[k++] = le ? '\xFE' : '\xFF';
  }
  for (size_t i = 0; i < n; i++) {
    o[k + (le ? 0 : 1)] = s[i];
    k += 2;
  }
  *len = k;
  return o;
}

static void test_encodings(void **state) {
  (void)state;
  /* declared ISO-8859-1 (read as windows-1252, as browsers do: 0x92 is a quote) */
  const char *latin =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"0.91\">"
      "<channel><title>caf\xE9 \x92</title></channel></rss>";
  struct feed *f = parse_str(latin);
  assert_string_equal(f->title, "caf\xC3\xA9 \xE2\x80\x99");
  assert_false(f->recovered);
  assert_string_equal(f->format, "rss0.91");
  feed_free(f);
  /* the HTTP charset beats the declaration */
  const char *koi =
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\">"
      "<channel><title>\xEB\xC1\xCB</title></channel></rss>";
  f = parse_ok(koi, strlen(koi), "koi8-r", NULL);
  assert_string_equal(f->title, "\xD0\x9A\xD0\xB0\xD0\xBA"); /* Как */
  assert_string_equal(f->encoding, "koi8-r");
  feed_free(f);
  /* UTF-16 with and without a BOM (the declaration says UTF-16 either way) */
  const char *ascii =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\">"
      "<channel><title>wide</title></channel></rss>";
  for (int v = 0; v < 4; v++) {
    size_t len;
    char *w = widen(ascii, v & 1, v & 2, &len);
    f = parse_ok(w, len, NULL, NULL);
    assert_string_equal(f->title, "wide");
    assert_false(f->recovered);
    feed_free(f);
    free(w);
  }
  /* a UTF-8 BOM beats a wrong HTTP charset */
  const char *bom =
      "\xEF\xBB\xBF<rss version=\"2.0\"><channel><title>\xC3\xA9</title>"
      "</channel></rss>";
  f = parse_ok(bom, strlen(bom), "windows-1252", NULL);
  assert_string_equal(f->title, "\xC3\xA9");
  feed_free(f);
  /* no declaration and not UTF-8: windows-1252, marked */
  const char *undeclared =
      "<rss version=\"2.0\"><channel><title>na\xEFve \x93q\x94</title>"
      "</channel></rss>";
  f = parse_str(undeclared);
  assert_string_equal(f->title, "na\xC3\xAFve \xE2\x80\x9Cq\xE2\x80\x9D");
  assert_true(f->recovered);
  feed_free(f);
  /* UTF-8 with one stray byte: the rest stays UTF-8, the byte is repaired */
  const char *stray =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
      "<title>\xC3\xA9t\xE9 \x01ok</title></channel></rss>";
  f = parse_str(stray);
  assert_string_equal(f->title, "\xC3\xA9t\xC3\xA9 ok");
  assert_true(f->recovered);
  feed_free(f);
  /* an encoding name nobody knows: noted, then detection */
  const char *bogus =
      "<?xml version=\"1.0\" encoding=\"x-no-such\"?><rss version=\"2.0\">"
      "<channel><title>plain</title></channel></rss>";
  f = parse_str(bogus);
  assert_string_equal(f->title, "plain");
  assert_true(f->recovered);
  feed_free(f);
  /* EUC-KR, Big5 from the corpus: the declared encoding is used */
  char *body;
  size_t len;
  struct vt_error err;
  assert_int_equal(vt_read_file(VT_SHARED_TESTDATA_DIR "/feeds/feedparser-encoding-euc-kr.xml",
                                1 << 20, &body, &len, &err),
                   VT_OK);
  f = parse_ok(body, len, NULL, NULL);
  assert_string_equal(f->title, "\xEB\x85\x84"); /* 년 */
  feed_free(f);
  free(body);
}

/* ---- hostile input ----------------------------------------------------------------------------
 */

static void test_billion_laughs(void **state) {
  (void)state;
  char doc[4096];
  size_t n = (size_t)snprintf(doc, sizeof doc,
                              "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
                              "<!ENTITY l0 \"lol\">\n");
  for (int i = 1; i <= 10; i++) {
    n += (size_t)snprintf(doc + n, sizeof doc - n, "<!ENTITY l%d \"", i);
    for (int k = 0; k < 10; k++) n += (size_t)snprintf(doc + n, sizeof doc - n, "&l%d;", i - 1);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "\">\n");
  }
  n += (size_t)snprintf(doc + n, sizeof doc - n,
                        "]>\n<rss version=\"2.0\"><channel><title>&l10;</title>"
                        "<item><title>&l10;&l10;</title></item></channel></rss>");
  int64_t t0 = vt_mono_ms();
  struct feed *f = NULL;
  struct vt_error err = {0};
  assert_int_equal(feed_parse(doc, n, NULL, NULL, &f, &err), VT_ERR_INVALID);
  assert_null(f);
  assert_non_null(strstr(err.message, "entity"));
  assert_true(vt_mono_ms() - t0 < 2000);
  /* a few small declared entities are fine */
  const char *ok =
      "<!DOCTYPE rss [<!ENTITY co \"Example &amp; Co\">]><rss version=\"2.0\">"
      "<channel><title>&co; news</title></channel></rss>";
  f = parse_str(ok);
  assert_string_equal(f->title, "Example & Co news");
  assert_false(f->recovered);
  feed_free(f);
}

static void test_external_entity(void **state) {
  (void)state;
  char path[] = "/tmp/vt-feed-secret-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char secret[] = "TOP-SECRET-LOCAL-FILE";
  assert_int_equal(write(fd, secret, sizeof secret - 1), (ssize_t)(sizeof secret - 1));
  close(fd);
  char dtd_path[] = "/tmp/vt-feed-dtd-XXXXXX";
  fd = mkstemp(dtd_path);
  assert_true(fd >= 0);
  char dtd[512];
  int dn = snprintf(dtd, sizeof dtd, "<!ENTITY fromdtd SYSTEM \"file://%s\">", path);
  assert_int_equal(write(fd, dtd, (size_t)dn), dn);
  close(fd);
  char doc[2048];
  int n = snprintf(doc, sizeof doc,
                   "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"file://%s\" [\n"
                   "<!ENTITY xxe SYSTEM \"file://%s\">\n<!ENTITY %% pe SYSTEM \"file://%s\">\n"
                   "%%pe;\n]>\n<rss version=\"2.0\"><channel><title>a &xxe; b</title>"
                   "<item><title>&fromdtd;</title><description>&xxe;</description></item>"
                   "</channel></rss>",
                   dtd_path, path, path);
  struct feed *f = parse_ok(doc, (size_t)n, NULL, NULL);
  json_t *j = feed_to_json(f);
  char *text = json_dumps(j, 0);
  assert_null(strstr(text, secret));
  assert_string_equal(f->title, "a b");
  assert_true(f->recovered);
  free(text);
  json_decref(j);
  feed_free(f);
  /* and directly through xml_safe, the tree itself holds nothing of the file */
  struct xml_safe_report rep;
  struct vt_error err;
  xmlDocPtr d = xml_safe_read(doc, (size_t)n, NULL, NULL, &rep, &err);
  assert_non_null(d);
  char *all = xml_safe_text(xmlDocGetRootElement(d));
  assert_null(strstr(all, secret));
  xmlFree(all);
  xmlFreeDoc(d);
  unlink(path);
  unlink(dtd_path);
}

static void test_caps(void **state) {
  (void)state;
  /* a 1 MB title is cut to the cap; 600 items become VT_LIMIT_FEED_ITEMS with a note */
  size_t big = 1 << 20;
  size_t cap = big + 600 * 40 + 200;
  char *doc = malloc(cap);
  size_t n = (size_t)snprintf(doc, cap, "<rss version=\"2.0\"><channel><title>");
  memset(doc + n, 'x', big);
  n += big;
  n += (size_t)snprintf(doc + n, cap - n, "</title>");
  for (int i = 0; i < 600; i++)
    n += (size_t)snprintf(doc + n, cap - n, "<item><title>%d</title></item>", i);
  n += (size_t)snprintf(doc + n, cap - n, "</channel></rss>");
  struct feed *f = parse_ok(doc, n, NULL, NULL);
  assert_true(strlen(f->title) <= VT_LIMIT_FEED_TITLE_BYTES);
  assert_int_equal(f->n_items, VT_LIMIT_FEED_ITEMS);
  bool noted = false;
  for (size_t i = 0; i < f->n_errors; i++)
    if (strstr(f->errors[i], "600 items")) noted = true;
  assert_true(noted);
  feed_free(f);
  free(doc);
  /* over the document cap: refused before parsing */
  struct vt_error err;
  struct feed *g = NULL;
  assert_int_equal(feed_parse("<rss/>", (size_t)VT_LIMIT_XML_BYTES + 1, NULL, NULL, &g, &err),
                   VT_ERR_TOO_LARGE);
}

static void test_not_a_feed(void **state) {
  (void)state;
  static const struct {
    const char *doc, *reason;
  } cases[] = {
      {"<html><head><title>x</title></head><body>hi</body></html>", "<html>"},
      {"", "empty"},
      {"   \n ", "empty"},
      {"just some text", "not XML"},
      {"{\"json\": true}", "not XML"},
      {"<?xml version=\"1.0\"?><foo xmlns=\"http://example.com/\"/>", "<foo>"},
      {"<feed xmlns=\"http://example.com/not-atom\"/>", "<feed>"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct feed *f = NULL;
    struct vt_error err = {0};
    enum vt_err rc = feed_parse(cases[i].doc, strlen(cases[i].doc), NULL, NULL, &f, &err);
    if (rc != VT_ERR_INVALID) fail_msg("case %zu: rc %d", i, rc);
    assert_null(f);
    if (!strstr(err.message, cases[i].reason))
      fail_msg("case %zu: [%s] lacks [%s]", i, err.message, cases[i].reason);
  }
}

static void test_recovered(void **state) {
  (void)state;
  /* truncated in the middle of the second item: the first survives, marked */
  const char *cut =
      "<rss version=\"2.0\"><channel><title>t</title><item><title>one</title>"
      "<link>http://x/1</link></item><item><title>tw";
  struct feed *f = parse_str(cut);
  assert_true(f->recovered);
  assert_true(f->n_items >= 1);
  assert_string_equal(f->items[0].title, "one");
  assert_true(f->n_errors >= 2);
  assert_non_null(strstr(f->errors[0], "not well-formed"));
  feed_free(f);
  /* an undeclared prefix: namespace error, element still read */
  const char *ns =
      "<rss version=\"2.0\"><channel><item><title>i</title>"
      "<media:thumbnail url=\"http://x/t.png\"/></item></channel></rss>";
  f = parse_str(ns);
  assert_true(f->recovered);
  assert_string_equal(f->items[0].image, "http://x/t.png");
  feed_free(f);
  /* well-formed stays unmarked, with no errors */
  f = parse_str(
      "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>r</title></channel>"
      "<item><title>a</title><link>http://x/a</link></item></rdf:RDF>");
  assert_false(f->recovered);
  assert_int_equal(f->n_errors, 0);
  assert_string_equal(f->format, "rss1.0");
  assert_int_equal(f->n_items, 1);
  feed_free(f);
}

/* Parses on several threads at once: no shared state, errors land in each parse's report. */
static void *thread_parse(void *arg) {
  (void)arg;
  for (int i = 0; i < 50; i++) {
    const char *doc =
        "<rss version=\"2.0\"><channel><title>&bad; t</title><item><title>x"
        "</title></item></channel></rss>";
    struct feed *f = NULL;
    struct vt_error err;
    if (feed_parse(doc, strlen(doc), NULL, NULL, &f, &err) != VT_OK) return (void *)1;
    bool ok = f->recovered && f->n_items == 1 && !strcmp(f->title, "&bad; t");
    feed_free(f);
    if (!ok) return (void *)1;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, thread_parse, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    assert_null(r);
  }
}

/* ---- the command ------------------------------------------------------------------------------
 */

/* vitrine-manager feed check [arg]. */
static void run_check(const char *arg, struct run_cmd *r) {
  const char *argv[] = {VT_MANAGER_BIN, "feed", "check", arg, NULL};
  assert_true(run_cmd(argv, 30000, r));
}

static void test_cli(void **state) {
  (void)state;
  struct run_cmd run, *r = &run;
  /* a real feed file: exit 0, one JSON object of the documented shape */
  run_check(VT_SHARED_TESTDATA_DIR "/feeds/feedrs-rss_2_0_bbc.xml", r);
  assert_int_equal(r->status, 0);
  json_error_t je;
  json_t *j = json_loads(run_cmd_text(&r->out), 0, &je);
  assert_non_null(j);
  const char *keys[] = {"format", "title", "link", "items", "errors"};
  assert_int_equal(json_object_size(j), 5);
  for (size_t i = 0; i < 5; i++) assert_non_null(json_object_get(j, keys[i]));
  assert_string_equal(json_string_value(json_object_get(j, "format")), "rss2.0");
  json_t *it = json_array_get(json_object_get(j, "items"), 0);
  assert_int_equal(json_object_size(it), 5);
  const char *ikeys[] = {"title", "link", "published", "summary", "image"};
  for (size_t i = 0; i < 5; i++) assert_non_null(json_object_get(it, ikeys[i]));
  assert_string_equal(json_string_value(json_object_get(it, "published")), "2021-02-25T10:15:00Z");
  json_decref(j);
  run_cmd_free(r);
  /* not a feed: exit 2, the reason on stderr, nothing on stdout */
  run_check(VT_SHARED_TESTDATA_DIR "/feeds/gofeed-uni-unknown_feed.xml", r);
  assert_int_equal(r->status, 2);
  assert_non_null(strstr(run_cmd_text(&r->err), "not a feed"));
  assert_string_equal(run_cmd_text(&r->out), "");
  run_cmd_free(r);
  /* usage, and a file that is not there */
  run_check(NULL, r);
  assert_int_equal(r->status, 2);
  run_cmd_free(r);
  run_check("/nonexistent/feed.xml", r);
  assert_int_equal(r->status, 1);
  run_cmd_free(r);
  /* over HTTP on loopback: the Content-Type charset decodes an undeclared latin-1 feed */
  static const char latin1[] = "<rss version=\"2.0\"><channel><title>Z\xFCrich</title><item>"
                               "<title>a</title><link>p/1</link></item></channel></rss>";
  struct hostile_server *s = hostile_start();
  hostile_set(s, "/feeds/news.xml", "application/rss+xml; charset=ISO-8859-1", latin1,
              sizeof latin1 - 1, NULL);
  char url[128], want[160];
  run_check(hostile_url(s, "/feeds/news.xml", url, sizeof url), r);
  hostile_stop(s);
  assert_int_equal(r->status, 0);
  j = json_loads(run_cmd_text(&r->out), 0, &je);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "title")), "Z\xC3\xBCrich");
  it = json_array_get(json_object_get(j, "items"), 0);
  /* the relative link resolves against the address it was fetched from */
  snprintf(want, sizeof want, "%.*sp/1", (int)(strrchr(url, '/') - url + 1), url);
  assert_string_equal(json_string_value(json_object_get(it, "link")), want);
  json_decref(j);
  run_cmd_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_entities),
      cmocka_unit_test(test_text_clean),
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_xml_base),
      cmocka_unit_test(test_items_fields),
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_external_entity),
      cmocka_unit_test(test_caps),
      cmocka_unit_test(test_not_a_feed),
      cmocka_unit_test(test_recovered),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_cli),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
