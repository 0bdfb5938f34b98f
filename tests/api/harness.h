/* The API test harness: a real vitrine-manager on loopback, a real SQLite file, libcurl.
 * runner.c dispatches to the modes (one .case file, the route walk, the push test, the CLI
 * test); the pieces they share are declared here. Every check prints what it expected and
 * what it got, and counts a failure; a mode fails when any check did. */
#ifndef VT_API_HARNESS_H
#define VT_API_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How long any single wait in a test may take before it counts as a failure. */
#define H_DEADLINE_MS 10000

extern int h_failures;
#define H_CHECK(cond, ...)                                                                         \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                         \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
      h_failures++;                                                                                \
    }                                                                                              \
  } while (0)

/* ---- growable byte buffer (NUL-terminated) -------------------------------------------- */
struct hbuf {
  char *data;
  size_t len, cap;
};
void hbuf_add(struct hbuf *b, const void *data, size_t len);
void hbuf_addf(struct hbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hbuf_free(struct hbuf *b);

/* ---- the server (server.c) ------------------------------------------------------------ */
struct server {
  const char *bin; /* path of vitrine-manager */
  char dir[256];   /* fresh data directory */
  char url[128];   /* "http://127.0.0.1:PORT" */
  char owner[128]; /* owner token from `token create` */
  pid_t pid;
};
/* Run `bin args...` (NULL-terminated), capture stdout (and stderr into err if not NULL),
 * wait; returns the exit status, or -1. */
int h_run(const char *bin, const char *const *args, struct hbuf *out, struct hbuf *err);
/* New data dir, owner token via the CLI, then `serve --listen 127.0.0.1:0 extra...`;
 * waits for the "listening on" line. false on failure (reported). */
bool server_start(struct server *s, const char *bin, const char *const *extra);
/* Serve the existing s->dir with s->bin (no token is made). */
bool server_serve(struct server *s, const char *const *extra);
/* SIGTERM, wait for exit (status 0 expected: a clean shutdown with no leak under ASan),
 * remove the data dir. */
void server_stop(struct server *s);
int64_t h_mono_ms(void);

/* ---- HTTP (client.c) ------------------------------------------------------------------ */
struct response {
  long status;
  struct hbuf body;
  struct hbuf headers; /* raw header block of the final response */
  json_t *json;        /* parsed body when it is JSON, else NULL */
};
/* headers: "Name: value" strings, NULL-terminated, may be NULL. body may be NULL. */
bool http_do(const char *url, const char *method, const char *path, const char *const *headers,
             const void *body, size_t body_len, struct response *r);
void response_free(struct response *r);
/* The value of header name in r (case-insensitive), copied to out; false if absent. */
bool response_header(const struct response *r, const char *name, char *out, size_t size);
/* Shorthand: request with "Authorization: Bearer token" and a JSON body (may be NULL);
 * returns the parsed JSON (new reference) and stores the status. */
json_t *api_call(const struct server *s, const char *token, const char *method, const char *path,
                 const char *json_body, long *status);

/* ---- fixtures (fixture.c) --------------------------------------------------------------- */
/* What every case starts from; ids and tokens are substituted as %NAME% in case files. */
/* Resources struct fixture has no member for (fixture.c). A fresh store numbers each table from 1
 * (AUTOINCREMENT) and the fixture creates them in a fixed order, so their ids are known in
 * advance, like the owner token's; fixture_seed checks each one it gets. */
enum {
  FIXTURE_PLAYLIST_PROMO = 4,
  FIXTURE_LAYOUT_PROMO = 4,
  FIXTURE_GROUP = 1,
  FIXTURE_GROUP_SCHEDULE = 2,
  FIXTURE_REGION_SCHEDULE = 3,
  FIXTURE_OVERRIDE = 1,
};

struct fixture {
  char owner[128], editor[128], viewer[128], display[128], display2[128];
  int64_t token_owner, token_editor, token_viewer;
  char media1[65], media2[65];
  int64_t media1_size;
  int64_t playlist, playlist2, playlist_unused, item1, item2, layout, layout2, layout_unused;
  int64_t display_id, display2_id, schedule;
  char manifest_etag[96];
};
bool fixture_seed(const struct server *s, struct fixture *f);
/* Replace %NAME% placeholders in text (new string, caller frees). Unknown names are kept. */
char *fixture_expand(const struct fixture *f, const char *text);

/* ---- generated bodies (gen.c) ------------------------------------------------------------ */
/* "zeros N", "png W H [SEED]", "gif W H", "jpeg W H", "bmp W H", "webp W H", "text S"  */
bool gen_body(const char *spec, struct hbuf *out);

/* ---- store snapshots (snapshot.c) ------------------------------------------------------ */
struct snapshot {
  size_t n;
  struct snap_table {
    char name[64];
    long rows;
    char *content; /* every row, one per line */
  } t[32];
};
/* Every table of DIR/vitrine.db (read-only) plus "media/" and "tmp/" listings. */
bool snapshot_take(const char *dir, struct snapshot *out);
void snapshot_free(struct snapshot *s);
/* Compare: spec NULL or "unchanged" demands identity; otherwise lines "TABLE +N", "TABLE -N",
 * "TABLE ~" (changed, same count) or "TABLE *" (anything); unnamed tables must be identical
 * (sqlite_sequence may follow inserts). Reports each difference; false if any. */
bool snapshot_expect(const struct snapshot *before, const struct snapshot *after, const char *spec);
/* A single integer from the database (read-only), for checks after events. */
bool snapshot_query_int(const char *dir, const char *sql, int64_t *out);

/* ---- JSON subset (client.c) ------------------------------------------------------------ */
/* Is expected a subset of actual? Objects: every expected key present and matching
 * ("%ANY%" matches any value, "%ABSENT%" demands the key is missing); arrays: same length,
 * element by element; scalars: equal. Reports the first mismatch's path. */
bool json_subset(const json_t *expected, const json_t *actual, const char *path);

/* ---- modes ----------------------------------------------------------------------------- */
int mode_case(const char *bin, const char *case_path);
int mode_routes(const char *bin, const char *docs_path);
int mode_sse(const char *bin);
int mode_cli(const char *bin);

#endif
