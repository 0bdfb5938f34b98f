/* player/download.c against a loopback HTTP stub: full fetch, Range resume, a server that
 * ignores Range, truncated, corrupt and overlong bodies, a stalled server, the stop flag,
 * HTTP errors, hostile names, and the manifest fetch with If-None-Match. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "download.h"
#include "hash.h"
#include "vt_limits.h"
#include "player_sync_stub.h"
#include "timeutil.h"

#define BODY_LEN 5000
#define MAX_SEEN 16
#define TOKEN "display-token-1"

enum serve_mode {
  SERVE_RANGE,          /* honours Range with 206 */
  SERVE_IGNORE_RANGE,   /* always 200 with the whole body */
  SERVE_TRUNCATE_ONCE,  /* first reply stops halfway and closes; then as SERVE_RANGE */
  SERVE_CORRUPT,        /* right length, one byte wrong, every time */
  SERVE_CORRUPT_ONCE,   /* corrupt the first time, then as SERVE_RANGE */
  SERVE_TOO_LONG,       /* the body plus extra bytes */
  SERVE_STALL,          /* headers, then nothing */
  SERVE_STATUS,         /* an empty reply with `status` */
};

struct fixture {
  char dir[256];
  struct cache *cache;
  struct stub *srv;
  struct download *dl;
  atomic_bool stop;
  /* what the stub serves */
  enum serve_mode mode;
  int status;
  char body[BODY_LEN];
  char sha[VT_SHA256_HEX_LEN + 1];
  char *manifest;
  size_t manifest_len;
  /* what the stub saw, one entry per media request */
  pthread_mutex_t lock;
  int seen;
  char ranges[MAX_SEEN][128];
  char auth[512];
  char if_none_match[512];
};

static long range_start(const char *range) {
  long start;
  return sscanf(range, "bytes=%ld-", &start) == 1 ? start : -1;
}

static bool serve_media(struct fixture *f, const struct stub_request *req, int fd, int nth) {
  char headers[256];
  long start = range_start(req->range);
  enum serve_mode mode = f->mode;
  if ((mode == SERVE_TRUNCATE_ONCE || mode == SERVE_CORRUPT_ONCE) && nth > 0) mode = SERVE_RANGE;
  switch (mode) {
    case SERVE_RANGE:
      if (start >= BODY_LEN) return stub_reply(fd, 416, NULL, "", 0);
      if (start >= 0) {
        snprintf(headers, sizeof headers, "Content-Range: bytes %ld-%d/%d\r\nETag: \"%s\"\r\n",
                 start, BODY_LEN - 1, BODY_LEN, f->sha);
        return stub_reply(fd, 206, headers, f->body + start, BODY_LEN - (size_t)start);
      }
      return stub_reply(fd, 200, NULL, f->body, BODY_LEN);
    case SERVE_IGNORE_RANGE: return stub_reply(fd, 200, NULL, f->body, BODY_LEN);
    case SERVE_TRUNCATE_ONCE: {
      const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
      stub_write(fd, head, strlen(head));
      stub_write(fd, f->body, BODY_LEN / 2);
      return false; /* close mid-body */
    }
    case SERVE_CORRUPT:
    case SERVE_CORRUPT_ONCE: {
      char bad[BODY_LEN];
      memcpy(bad, f->body, BODY_LEN);
      bad[BODY_LEN / 3] ^= 0x20;
      return stub_reply(fd, 200, NULL, bad, BODY_LEN);
    }
    case SERVE_TOO_LONG: {
      char longer[BODY_LEN + 100];
      memcpy(longer, f->body, BODY_LEN);
      memset(longer + BODY_LEN, 'x', 100);
      return stub_reply(fd, 200, NULL, longer, sizeof longer);
    }
    case SERVE_STALL: {
      const char *head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
      stub_write(fd, head, strlen(head));
      stub_wait_closed(f->srv, fd, 20000);
      return false;
    }
    case SERVE_STATUS: return stub_reply(fd, f->status, NULL, "", 0);
  }
  return false;
}

static bool handle(struct stub *srv, void *user, const struct stub_request *req, int fd) {
  (void)srv;
  struct fixture *f = user;
  pthread_mutex_lock(&f->lock);
  int nth = f->seen;
  if (f->seen < MAX_SEEN) snprintf(f->ranges[f->seen], sizeof f->ranges[0], "%s", req->range);
  f->seen++;
  snprintf(f->auth, sizeof f->auth, "%s", req->auth);
  snprintf(f->if_none_match, sizeof f->if_none_match, "%s", req->if_none_match);
  pthread_mutex_unlock(&f->lock);
  if (strcmp(req->path, "/api/v1/player/manifest") == 0) {
    if (f->mode == SERVE_STATUS) return stub_reply(fd, f->status, NULL, "", 0);
    if (strcmp(req->if_none_match, "\"m1\"") == 0)
      return stub_reply(fd, 304, "ETag: \"m1\"\r\n", "", 0);
    return stub_reply(fd, 200, "ETag: \"m1\"\r\nContent-Type: application/json\r\n", f->manifest,
                      f->manifest_len);
  }
  char want[128];
  snprintf(want, sizeof want, "/media/%s", f->sha);
  if (strcmp(req->path, want) != 0) return stub_reply(fd, 404, NULL, "", 0);
  return serve_media(f, req, fd, nth);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static struct download *new_download(struct fixture *f, int64_t stall_ms) {
  struct download_opts o = {.manager_url = stub_url(f->srv), .token = TOKEN, .stop = &f->stop,
                            .stall_ms = stall_ms};
  struct download *d = NULL;
  struct vt_error err;
  if (download_new(&o, &d, &err) != VT_OK) fail_msg("%s", err.message);
  return d;
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  if (!f || !vt_crypto_init()) return -1;
  pthread_mutex_init(&f->lock, NULL);
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/vt_dl_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(f->dir)) return -1;
  for (int i = 0; i < BODY_LEN; i++) f->body[i] = (char)('a' + (i * 7) % 26);
  vt_sha256_hex(f->body, BODY_LEN, f->sha);
  struct vt_error err;
  if (cache_open(f->dir, NULL, &f->cache, &err) != VT_OK) return -1;
  f->srv = stub_start(handle, f);
  if (!f->srv) return -1;
  f->dl = new_download(f, 0);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  download_free(f->dl);
  stub_stop(f->srv);
  cache_free(f->cache);
  nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  pthread_mutex_destroy(&f->lock);
  free(f->manifest);
  free(f);
  return 0;
}

static void part_path(const struct fixture *f, char *out, size_t size) {
  snprintf(out, size, "%s/%s.part", cache_tmp_dir(f->cache), f->sha);
}

static void write_part(const struct fixture *f, const char *data, size_t len) {
  char path[512];
  part_path(f, path, sizeof path);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  fclose(fp);
}

static bool part_exists(const struct fixture *f) {
  char path[512];
  part_path(f, path, sizeof path);
  return access(path, F_OK) == 0;
}

static void assert_media_is_body(const struct fixture *f) {
  char path[512], *data;
  size_t len;
  snprintf(path, sizeof path, "%s/%s", cache_media_dir(f->cache), f->sha);
  assert_int_equal(vt_read_file(path, BODY_LEN * 2, &data, &len, NULL), VT_OK);
  assert_int_equal(len, BODY_LEN);
  assert_memory_equal(data, f->body, BODY_LEN);
  free(data);
  assert_false(part_exists(f));
}

static enum vt_err fetch(struct fixture *f, struct vt_error *err) {
  return download_media(f->dl, f->cache, f->sha, BODY_LEN, err);
}

/* Start a table row from an empty cache and a fresh request log. */
static void reset(struct fixture *f) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", cache_media_dir(f->cache), f->sha);
  unlink(path);
  part_path(f, path, sizeof path);
  unlink(path);
  memset(f->ranges, 0, sizeof f->ranges);
  f->seen = 0;
}

/* What is in tmp/<sha>.part before the download starts. */
enum part_kind { PART_NONE, PART_PREFIX, PART_WRONG_BYTES, PART_TOO_LONG };

static void make_part(struct fixture *f, enum part_kind kind, size_t len) {
  char data[BODY_LEN + 16];
  assert_true(len <= sizeof data);
  memcpy(data, f->body, BODY_LEN);
  if (kind == PART_WRONG_BYTES) memset(data, 'z', BODY_LEN);
  if (kind == PART_TOO_LONG) memset(data + BODY_LEN, 'q', sizeof data - BODY_LEN);
  if (kind != PART_NONE) write_part(f, data, len);
}

static void test_downloads_that_succeed(void **state) {
  struct fixture *f = *state;
  static const struct {
    const char *name;
    enum serve_mode mode;
    enum part_kind part;
    size_t part_len;
    int requests;
    const char *ranges[2]; /* the Range header of each request, "" for none */
  } rows[] = {
      {"whole file", SERVE_RANGE, PART_NONE, 0, 1, {""}},
      {"resume with Range", SERVE_RANGE, PART_PREFIX, 1234, 1, {"bytes=1234-"}},
      /* The 200 carries the whole file: it must replace the part, not be appended to it. */
      {"server ignores Range", SERVE_IGNORE_RANGE, PART_PREFIX, 1234, 1, {"bytes=1234-"}},
      {"truncated body resumes", SERVE_TRUNCATE_ONCE, PART_NONE, 0, 2, {"", "bytes=2500-"}},
      /* Bad bytes are fetched again from nothing, never resumed. */
      {"corrupt body refetched", SERVE_CORRUPT_ONCE, PART_NONE, 0, 2, {"", ""}},
      /* A full-length part with other bytes (an older, buggy player) is discarded. */
      {"wrong part discarded", SERVE_RANGE, PART_WRONG_BYTES, BODY_LEN, 1, {""}},
      {"part longer than the file", SERVE_RANGE, PART_TOO_LONG, BODY_LEN + 10, 1, {""}},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    struct vt_error err = {0};
    reset(f);
    f->mode = rows[i].mode;
    make_part(f, rows[i].part, rows[i].part_len);
    if (fetch(f, &err) != VT_OK) fail_msg("%s: %s", rows[i].name, err.message);
    if (f->seen != rows[i].requests)
      fail_msg("%s: %d requests, want %d", rows[i].name, f->seen, rows[i].requests);
    for (int k = 0; k < rows[i].requests; k++)
      if (strcmp(f->ranges[k], rows[i].ranges[k]) != 0)
        fail_msg("%s: request %d had Range '%s', want '%s'", rows[i].name, k, f->ranges[k],
                 rows[i].ranges[k]);
    assert_media_is_body(f);
  }
  assert_string_equal(f->auth, "Bearer " TOKEN);
  /* Already cached: no request at all. */
  f->seen = 0;
  assert_int_equal(fetch(f, NULL), VT_OK);
  assert_int_equal(f->seen, 0);
}

static void test_downloads_that_fail(void **state) {
  struct fixture *f = *state;
  static const struct {
    enum serve_mode mode;
    int status;
    enum vt_err want;
    int requests;
  } rows[] = {
      /* Corrupt every time: bounded retries from scratch, then the caller backs off. */
      {SERVE_CORRUPT, 0, VT_ERR_CORRUPT, DOWNLOAD_ATTEMPTS},
      {SERVE_TOO_LONG, 0, VT_ERR_CORRUPT, DOWNLOAD_ATTEMPTS},
      /* Refusals are not retried here. */
      {SERVE_STATUS, 404, VT_ERR_NOT_FOUND, 1},
      {SERVE_STATUS, 401, VT_ERR_UNAUTHORIZED, 1},
      {SERVE_STATUS, 403, VT_ERR_FORBIDDEN, 1},
      {SERVE_STATUS, 500, VT_ERR_UNAVAILABLE, 1},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    struct vt_error err = {0};
    reset(f);
    f->mode = rows[i].mode;
    f->status = rows[i].status;
    enum vt_err got = fetch(f, &err);
    if (got != rows[i].want || f->seen != rows[i].requests)
      fail_msg("row %zu: %s after %d requests (%s), want %s after %d", i, vt_err_code(got),
               f->seen, err.message, vt_err_code(rows[i].want), rows[i].requests);
    assert_false(cache_has_media(f->cache, f->sha, BODY_LEN));
    assert_false(part_exists(f)); /* nothing bad is kept for a resume */
  }
}

static void test_stalled_server_times_out(void **state) {
  struct fixture *f = *state;
  struct vt_error err;
  download_free(f->dl);
  f->dl = new_download(f, 300);
  f->mode = SERVE_STALL;
  int64_t t0 = vt_mono_ms();
  assert_int_equal(fetch(f, &err), VT_ERR_UNAVAILABLE);
  int64_t took = vt_mono_ms() - t0;
  /* 300 ms of silence, seen by a progress callback that curl calls about once a second. */
  assert_true(took >= 300);
  assert_true(took < 2500);
  assert_non_null(strstr(err.message, "no progress"));
  assert_int_equal(f->seen, 1); /* nothing arrived, so no retry: the caller backs off */
  assert_false(cache_has_media(f->cache, f->sha, BODY_LEN));
}

static void *raise_stop(void *arg) {
  struct fixture *f = arg;
  struct timespec ts = {0, 100 * 1000 * 1000};
  nanosleep(&ts, NULL);
  atomic_store(&f->stop, true);
  return NULL;
}

static void test_stop_flag_aborts(void **state) {
  struct fixture *f = *state;
  struct vt_error err;
  f->mode = SERVE_STALL; /* with the default 30 s stall limit */
  pthread_t t;
  pthread_create(&t, NULL, raise_stop, f);
  int64_t t0 = vt_mono_ms();
  assert_int_equal(fetch(f, &err), VT_ERR_UNAVAILABLE);
  int64_t took = vt_mono_ms() - t0;
  pthread_join(t, NULL);
  assert_true(took < 1000);
  assert_non_null(strstr(err.message, "stopped"));
  assert_int_equal(f->seen, 1);
}

static void test_hostile_names(void **state) {
  struct fixture *f = *state;
  struct vt_error err;
  static const char *const names[] = {
      "../../../../etc/passwd",
      "..%2f..%2fetc%2fpasswd",
      "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    assert_int_equal(download_media(f->dl, f->cache, names[i], 1, &err), VT_ERR_INVALID);
  assert_int_equal(download_media(f->dl, f->cache, f->sha, -1, &err), VT_ERR_INVALID);
  assert_int_equal(stub_request_count(f->srv), 0);
}

static void test_manifest_fetch(void **state) {
  struct fixture *f = *state;
  struct vt_error err;
  char *body, *etag;
  size_t len;
  f->manifest = strdup("{\"format\":1,\"version\":1,\"display\":{}}");
  f->manifest_len = strlen(f->manifest);
  assert_int_equal(download_manifest(f->dl, NULL, &body, &len, &etag, &err), VT_OK);
  assert_string_equal(f->if_none_match, "");
  assert_int_equal(len, f->manifest_len);
  assert_string_equal(body, f->manifest);
  assert_string_equal(etag, "\"m1\"");
  assert_string_equal(f->auth, "Bearer " TOKEN);
  free(body);
  free(etag);

  /* Same etag: 304, nothing to read. */
  assert_int_equal(download_manifest(f->dl, "\"m1\"", &body, &len, &etag, &err), VT_OK);
  assert_string_equal(f->if_none_match, "\"m1\"");
  assert_null(body);
  assert_null(etag);

  /* Over the cap: refused without buffering it all. */
  free(f->manifest);
  f->manifest_len = VT_LIMIT_MANIFEST_BYTES + 1;
  f->manifest = malloc(f->manifest_len);
  memset(f->manifest, ' ', f->manifest_len);
  assert_int_equal(download_manifest(f->dl, NULL, &body, &len, &etag, &err), VT_ERR_TOO_LARGE);
  assert_null(body);
  assert_null(etag);

  f->mode = SERVE_STATUS;
  f->status = 401;
  assert_int_equal(download_manifest(f->dl, NULL, &body, &len, &etag, &err), VT_ERR_UNAUTHORIZED);
  assert_null(body);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_downloads_that_succeed),
      T(test_downloads_that_fail),
      T(test_stalled_server_times_out),
      T(test_stop_flag_aborts),
      T(test_hostile_names),
      T(test_manifest_fetch),
  };
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  curl_global_cleanup();
  return failed;
}
