/* The real manager fetching feeds from a loopback server that misbehaves in every way the
 * issue names: a feed that changes, one that is malformed, one that stalls, one of 50 MB
 * (and a compressed bomb), a billion-laughs entity bomb, an external entity pointing at a
 * local file. The manager keeps answering the API quickly while they run, records each
 * failure where the owner sees it, keeps the last good items, never leaks the local file,
 * and exits cleanly (under ASan: no leak). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hostile_server.h"

#define GOOD_V1                                                                                  \
  "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour news</title>"             \
  "<link>http://example.invalid/</link>"                                                         \
  "<item><title>Ferry runs late</title><link>/ferry</link>"                                      \
  "<pubDate>Mon, 23 Nov 2026 08:00:00 +0100</pubDate></item>"                                    \
  "<item><title>Fish market opens &amp; sells out</title></item></channel></rss>"
#define GOOD_V2                                                                                  \
  "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour news</title>"             \
  "<item><title>Storm warning lifted</title></item></channel></rss>"
#define LAUGHS                                                                                   \
  "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\">"                             \
  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"  \
  "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"  \
  "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"  \
  "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\"><!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">"  \
  "]><rss version=\"2.0\"><channel><title>&i;</title><item><title>x</title></item></channel>"    \
  "</rss>"
#define SECRET "TOP-SECRET-LOCAL-FILE-CONTENT"

static struct e2e_manager mgr;
static char owner[128];
static struct hostile_server *web;

static int64_t add_feed(const char *name, const char *path) {
  char url[160];
  json_t *f = e2e_apif(&mgr, "POST", "/api/v1/feeds", owner, 201,
                       "{\"name\":\"%s\",\"kind\":\"news\",\"url\":\"%s\",\"refresh_s\":3600}",
                       name, hostile_url(web, path, url, sizeof url));
  int64_t id = json_integer_value(json_object_get(f, "id"));
  json_decref(f);
  return id;
}

static json_t *feed_status(int64_t id) {
  char path[64];
  snprintf(path, sizeof path, "/api/v1/feeds/%lld", (long long)id);
  json_t *f = e2e_api(&mgr, "GET", path, owner, NULL, 200);
  json_t *st = json_incref(json_object_get(f, "status"));
  json_decref(f);
  return st;
}

/* Wait until the feed's status has a last error containing want (or, want NULL, a snapshot
 * version >= min_version); returns the status. */
static json_t *wait_status(int64_t id, const char *want, int64_t min_version, int timeout_ms) {
  int64_t until = e2e_now_ms() + timeout_ms;
  for (;;) {
    json_t *st = feed_status(id);
    const char *e = json_string_value(json_object_get(st, "last_error"));
    int64_t v = json_integer_value(json_object_get(st, "version"));
    if (want ? e && strstr(e, want) : v >= min_version) return st;
    if (e2e_now_ms() > until)
      E2E_FAIL("feed %lld: waited %d ms for %s%s; last error '%s', version %lld", (long long)id,
               timeout_ms, want ? "an error with " : "a snapshot", want ? want : "",
               e ? e : "(none)", (long long)v);
    json_decref(st);
    e2e_sleep_ms(100);
  }
}

static char *snapshot_text(int64_t id) {
  char path[64];
  snprintf(path, sizeof path, "/api/v1/feeds/%lld/snapshot", (long long)id);
  json_t *s = e2e_api(&mgr, "GET", path, owner, NULL, 200);
  char *text = json_dumps(s, JSON_SORT_KEYS);
  json_decref(s);
  return text;
}

int main(void) {
  web = hostile_start();
  char secret_path[512], xxe[1024];
  e2e_path(secret_path, sizeof secret_path, "secret.txt");
  FILE *sf = fopen(secret_path, "w");
  E2E_CHECK(sf && fputs(SECRET "\n", sf) >= 0 && fclose(sf) == 0, "cannot write %s", secret_path);
  snprintf(xxe, sizeof xxe,
           "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY leak SYSTEM \"file://%s\">]>"
           "<rss version=\"2.0\"><channel><title>Leak &leak;</title>"
           "<item><title>item &leak;</title></item></channel></rss>",
           secret_path);
  hostile_set(web, "/good.xml", "application/rss+xml", GOOD_V1, strlen(GOOD_V1), "\"v1\"");
  hostile_set(web, "/laughs.xml", "application/rss+xml", LAUGHS, strlen(LAUGHS), NULL);
  hostile_set(web, "/xxe.xml", "application/rss+xml", xxe, strlen(xxe), NULL);
  static const char truncated[] = "<rss version=\"2.0\"><channel><title>Cut</title><item><tit";
  hostile_set(web, "/truncated.xml", "application/rss+xml", truncated, sizeof truncated - 1, NULL);
  static const char html[] = "<!DOCTYPE html><html><body><p>Moved</p></body></html>";
  hostile_set(web, "/page.html", "text/html", html, sizeof html - 1, NULL);

  e2e_manager_start(&mgr, "manager");
  e2e_token(&mgr, "owner", owner, sizeof owner);

  int64_t stall = add_feed("stall", "/stall"), drip = add_feed("drip", "/drip");
  int64_t huge = add_feed("huge", "/huge"), bomb = add_feed("gzip bomb", "/gzip-bomb");
  int64_t laughs = add_feed("laughs", "/laughs.xml"), leak = add_feed("xxe", "/xxe.xml");
  int64_t cut = add_feed("truncated", "/truncated.xml"), page = add_feed("html", "/page.html");
  int64_t gone = add_feed("gone", "/status/404");
  int64_t good = add_feed("good", "/good.xml");

  /* the good feed is not held up by the stalled ones beside it; its relative link resolves
   * against the address it was fetched from */
  int64_t t0 = e2e_now_ms();
  json_decref(wait_status(good, NULL, 1, 5000));
  printf("good feed stored %lld ms after it was added, beside two stalled feeds\n",
         (long long)(e2e_now_ms() - t0));
  char *text = snapshot_text(good);
  E2E_CHECK(strstr(text, "Ferry runs late") && strstr(text, "Fish market opens & sells out") &&
                strstr(text, "http://127.0.0.1:") && strstr(text, "/ferry\"") &&
                strstr(text, "2026-11-23T07:00:00Z"),
            "the good feed's snapshot is wrong: %s", text);
  free(text);

  /* the API stays quick while the stalled fetches hang */
  int64_t worst = 0;
  for (int i = 0; i < 20; i++) {
    int64_t a = e2e_now_ms();
    json_decref(e2e_api(&mgr, "GET", "/api/v1/feeds", owner, NULL, 200));
    int64_t took = e2e_now_ms() - a;
    if (took > worst) worst = took;
  }
  printf("slowest of 20 GET /api/v1/feeds during the stalls: %lld ms\n", (long long)worst);
  E2E_CHECK(worst < 500, "the API took %lld ms while feeds stalled", (long long)worst);

  const struct {
    int64_t *id;
    const char *error;
  } refused[] = {
      {&huge, "larger than"},   {&bomb, "larger than"}, {&laughs, "entit"},
      {&page, "not RSS or Atom"}, {&gone, "HTTP 404"},  {&stall, "stalled"},
      {&drip, "stalled"},
  };
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    json_t *st = wait_status(*refused[i].id, refused[i].error, 0, 20000);
    printf("feed %lld: %s (version %lld)\n", (long long)*refused[i].id,
           json_string_value(json_object_get(st, "last_error")),
           (long long)json_integer_value(json_object_get(st, "version")));
    E2E_CHECK(json_integer_value(json_object_get(st, "version")) == 0 &&
                  json_integer_value(json_object_get(st, "failures")) >= 1,
              "feed %lld has a snapshot or no failure count", (long long)*refused[i].id);
    json_decref(st);
  }

  /* the external entity is never read: whatever the feed becomes, the secret is not in it */
  json_t *st = wait_status(leak, NULL, 0, 0);
  for (int64_t until = e2e_now_ms() + 5000;
       json_integer_value(json_object_get(st, "version")) == 0 &&
       !json_string_value(json_object_get(st, "last_error"));) {
    E2E_CHECK(e2e_now_ms() < until, "the xxe feed was never fetched");
    json_decref(st);
    e2e_sleep_ms(100);
    st = feed_status(leak);
  }
  if (json_integer_value(json_object_get(st, "version")) > 0) {
    text = snapshot_text(leak);
    E2E_CHECK(!strstr(text, SECRET), "the local file leaked into a snapshot: %s", text);
    free(text);
  }
  char *listing = json_dumps(st, 0);
  E2E_CHECK(!strstr(listing, SECRET), "the local file leaked into the feed's status");
  printf("xxe feed: %s\n", listing);
  free(listing);
  json_decref(st);

  /* a truncated feed is recovered as far as it goes (its title), not a crash */
  st = wait_status(cut, NULL, 0, 0);
  for (int64_t until = e2e_now_ms() + 5000;
       json_integer_value(json_object_get(st, "version")) == 0 &&
       !json_string_value(json_object_get(st, "last_error"));) {
    E2E_CHECK(e2e_now_ms() < until, "the truncated feed was never fetched");
    json_decref(st);
    e2e_sleep_ms(100);
    st = feed_status(cut);
  }
  json_decref(st);

  /* the good feed breaks: the error is recorded, the last good items stay */
  char url[160], path[64];
  snprintf(path, sizeof path, "/api/v1/feeds/%lld", (long long)good);
  json_decref(e2e_apif(&mgr, "PATCH", path, owner, 200, "{\"url\":\"%s\"}",
                       hostile_url(web, "/page.html", url, sizeof url)));
  json_decref(wait_status(good, "not RSS or Atom", 0, 5000));
  text = snapshot_text(good);
  E2E_CHECK(strstr(text, "Ferry runs late") != NULL, "a broken fetch lost the last good items");
  free(text);

  /* and changes: a new version with the new items */
  hostile_set(web, "/good.xml", "application/rss+xml", GOOD_V2, strlen(GOOD_V2), "\"v2\"");
  json_decref(e2e_apif(&mgr, "PATCH", path, owner, 200, "{\"url\":\"%s\"}",
                       hostile_url(web, "/good.xml", url, sizeof url)));
  json_decref(wait_status(good, NULL, 2, 5000));
  text = snapshot_text(good);
  E2E_CHECK(strstr(text, "Storm warning lifted") && !strstr(text, "Ferry runs late"),
            "the changed feed's snapshot is wrong: %s", text);
  free(text);

  /* the owner points a feed elsewhere while a slow fetch of the old address runs: the old
   * answer must not land on the new address (nor its validators, nor its schedule) */
  static const char slow[] = "<rss version=\"2.0\"><channel><title>Old place</title>"
                             "<item><title>Old item</title></item></channel></rss>";
  static const char fresh[] = "<rss version=\"2.0\"><channel><title>New place</title>"
                              "<item><title>New item</title></item></channel></rss>";
  hostile_set(web, "/slow.xml", "application/rss+xml", slow, sizeof slow - 1, "\"old\"");
  hostile_set_delay(web, "/slow.xml", 1500);
  hostile_set(web, "/new.xml", "application/rss+xml", fresh, sizeof fresh - 1, "\"new\"");
  int64_t moved = add_feed("moved", "/slow.xml");
  for (int64_t until = e2e_now_ms() + 3000; hostile_hits(web, "/slow.xml") == 0;) {
    E2E_CHECK(e2e_now_ms() < until, "the slow feed was never requested");
    e2e_sleep_ms(20);
  }
  snprintf(path, sizeof path, "/api/v1/feeds/%lld", (long long)moved);
  json_decref(e2e_apif(&mgr, "PATCH", path, owner, 200, "{\"url\":\"%s\"}",
                       hostile_url(web, "/new.xml", url, sizeof url)));
  json_decref(wait_status(moved, NULL, 1, 5000));
  e2e_sleep_ms(2000); /* the old answer has arrived by now */
  text = snapshot_text(moved);
  E2E_CHECK(strstr(text, "New item") && !strstr(text, "Old item"),
            "a fetch of the old address landed on the new one: %s", text);
  free(text);
  st = feed_status(moved);
  char *status_text = json_dumps(st, 0);
  E2E_CHECK(json_integer_value(json_object_get(st, "version")) == 1,
            "the moved feed has more than one version: %s", status_text);
  free(status_text);
  json_decref(st);

  E2E_CHECK(e2e_stop(&mgr.proc) == 0, "the manager did not exit cleanly (leak or crash)");
  hostile_stop(web);
  e2e_cleanup();
  printf("PASS\n");
  return 0;
}
