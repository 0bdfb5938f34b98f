/* player/cache.c: content-addressed store, activation, etag binding, prune, and atomicity
 * under injected failures (a vt_fs that fails the Nth open, write, fsync, close or rename). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "hash.h"
#include "sources.h"

struct fixture {
  char dir[256];
};

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static int setup(void **state) {
  struct fixture *f = calloc(1, sizeof *f);
  const char *tmp = getenv("TMPDIR");
  snprintf(f->dir, sizeof f->dir, "%s/vt_cache_XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(f->dir)) return -1;
  *state = f;
  return vt_crypto_init() ? 0 : -1;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(f);
  return 0;
}

static void write_file(const char *path, const void *data, size_t len) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static void path_in(char *out, size_t size, const char *a, const char *b) {
  assert_true(vt_path_join(out, size, a, b));
}

/* A media file in the test: its bytes and their sha256. */
struct blob {
  const char *data;
  char sha[VT_SHA256_HEX_LEN + 1];
};

static struct blob blob_of(const char *data) {
  struct blob b = {.data = data};
  vt_sha256_hex(data, strlen(data), b.sha);
  return b;
}

/* Put b into the cache the way download.c does: a temp file, then cache_store_media. */
static enum vt_err store(struct cache *c, const struct blob *b, struct vt_error *err) {
  char tmp[512];
  snprintf(tmp, sizeof tmp, "%s/%s.part", cache_tmp_dir(c), b->sha);
  write_file(tmp, b->data, strlen(b->data));
  return cache_store_media(c, tmp, b->sha, (int64_t)strlen(b->data), err);
}

/* A valid manifest of the given version listing the blobs; the JSON goes into json. */
static struct vt_manifest *manifest_with(int version, const struct blob *blobs, size_t n,
                                         char *json, size_t size) {
  int len =
      snprintf(json, size, "{\"format\":1,\"version\":%d,\"display\":{},\"media\":[", version);
  for (size_t i = 0; i < n; i++)
    len += snprintf(json + len, size - (size_t)len,
                    "%s{\"sha256\":\"%s\",\"size\":%zu,\"type\":\"image/png\"}", i ? "," : "",
                    blobs[i].sha, strlen(blobs[i].data));
  snprintf(json + len, size - (size_t)len, "]}");
  struct vt_manifest *m = NULL;
  struct vt_error err;
  if (vt_manifest_parse(json, strlen(json), &m, &err) != VT_OK) fail_msg("%s", err.message);
  return m;
}

static struct cache *open_cache(const struct fixture *f, const struct vt_fs *fs) {
  struct cache *c = NULL;
  struct vt_error err;
  if (cache_open(f->dir, fs, &c, &err) != VT_OK) fail_msg("cache_open: %s", err.message);
  return c;
}

/* Activate version/etag with blobs (stored first) and check it loads back. */
static void activate_ok(struct cache *c, int version, const struct blob *blobs, size_t n,
                        const char *etag) {
  char json[2048];
  struct vt_error err;
  for (size_t i = 0; i < n; i++)
    if (store(c, &blobs[i], &err) != VT_OK) fail_msg("store: %s", err.message);
  struct vt_manifest *m = manifest_with(version, blobs, n, json, sizeof json);
  if (cache_activate(c, m, json, strlen(json), etag, &err) != VT_OK)
    fail_msg("activate: %s", err.message);
  vt_manifest_free(m);
}

/* What cache_load_active says: version (or -1 if none) and etag ("" if unknown). */
static int64_t load_version(const struct cache *c, char *etag, size_t size) {
  struct vt_manifest *m = NULL;
  char *e = NULL;
  struct vt_error err;
  enum vt_err rc = cache_load_active(c, &m, &e, &err);
  if (rc == VT_ERR_NOT_FOUND) {
    assert_null(m);
    assert_null(e);
    return -1;
  }
  if (rc != VT_OK) fail_msg("load: %s", err.message);
  snprintf(etag, size, "%s", e ? e : "");
  int64_t v = m->version;
  vt_manifest_free(m);
  free(e);
  return v;
}

static void test_store_and_has(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob b = blob_of("hello, screen");
  struct vt_error err;
  assert_false(cache_has_media(c, b.sha, 13));
  assert_int_equal(store(c, &b, &err), VT_OK);
  assert_true(cache_has_media(c, b.sha, 13));
  assert_false(cache_has_media(c, b.sha, 12)); /* the size is part of the identity */
  char path[512], tmp[512];
  path_in(path, sizeof path, cache_media_dir(c), b.sha);
  assert_true(exists(path));
  snprintf(tmp, sizeof tmp, "%s/%s.part", cache_tmp_dir(c), b.sha);
  assert_false(exists(tmp)); /* moved, not copied */
  /* Storing the same content again is harmless. */
  assert_int_equal(store(c, &b, &err), VT_OK);
  assert_true(cache_has_media(c, b.sha, 13));
  cache_free(c);
  cache_free(NULL);
}

static void test_store_rejects(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob good = blob_of("the real bytes");
  struct vt_error err;
  char tmp[512], path[512];
  snprintf(tmp, sizeof tmp, "%s/x.part", cache_tmp_dir(c));
  path_in(path, sizeof path, cache_media_dir(c), good.sha);

  /* Same length, other bytes: hash mismatch. */
  write_file(tmp, "the fake bytes", 14);
  assert_int_equal(cache_store_media(c, tmp, good.sha, 14, &err), VT_ERR_CORRUPT);
  assert_string_equal(err.field, "sha256");
  assert_false(exists(tmp)); /* a corrupt download is discarded */
  assert_false(exists(path));

  /* Right prefix, short: size mismatch. */
  write_file(tmp, "the real", 8);
  assert_int_equal(cache_store_media(c, tmp, good.sha, 14, &err), VT_ERR_CORRUPT);
  assert_string_equal(err.field, "size");
  assert_false(exists(tmp));
  assert_false(exists(path));

  /* Names from the network that are not a sha256 never become paths. */
  static const char *const bad_names[] = {
      "../../../../etc/passwd",
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "aaaa",
      "",
  };
  for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
    write_file(tmp, "x", 1);
    assert_int_equal(cache_store_media(c, tmp, bad_names[i], 1, &err), VT_ERR_INVALID);
    assert_true(exists(tmp));
    assert_false(cache_has_media(c, bad_names[i], 1));
  }
  /* A missing temp file is reported, not stored. */
  unlink(tmp);
  assert_int_equal(cache_store_media(c, tmp, good.sha, 14, &err), VT_ERR_NOT_FOUND);
  cache_free(c);
}

static void test_activate_needs_every_file(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob blobs[2] = {blob_of("first"), blob_of("second")};
  char json[2048], etag[64];
  struct vt_error err;
  assert_int_equal(load_version(c, etag, sizeof etag), -1);
  assert_int_equal(store(c, &blobs[0], &err), VT_OK);
  struct vt_manifest *m = manifest_with(1, blobs, 2, json, sizeof json);
  assert_int_equal(cache_activate(c, m, json, strlen(json), "\"e1\"", &err), VT_ERR_NOT_FOUND);
  assert_string_equal(err.field, "media[1]");
  assert_non_null(strstr(err.message, blobs[1].sha));
  assert_int_equal(load_version(c, etag, sizeof etag), -1); /* nothing became active */

  assert_int_equal(store(c, &blobs[1], &err), VT_OK);
  assert_int_equal(cache_activate(c, m, json, strlen(json), "\"e1\"", &err), VT_OK);
  assert_int_equal(load_version(c, etag, sizeof etag), 1);
  assert_string_equal(etag, "\"e1\"");
  vt_manifest_free(m);

  /* The next activation replaces both the document and its etag. */
  activate_ok(c, 2, blobs, 1, "\"e2\"");
  assert_int_equal(load_version(c, etag, sizeof etag), 2);
  assert_string_equal(etag, "\"e2\"");
  /* No etag from the server: the manifest is active, its etag unknown. */
  activate_ok(c, 3, blobs, 1, NULL);
  assert_int_equal(load_version(c, etag, sizeof etag), 3);
  assert_string_equal(etag, "");
  /* An etag that cannot go into a header is not stored. */
  activate_ok(c, 4, blobs, 1, "\"bad\r\nX-Evil: 1\"");
  assert_int_equal(load_version(c, etag, sizeof etag), 4);
  assert_string_equal(etag, "");
  cache_free(c);
}

/* The etag belongs to one document: a manifest.json that changed without its etag file
 * (a crash between the two renames, or a hand edit) has an unknown etag, never a wrong one. */
static void test_etag_bound_to_document(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob b = blob_of("pixels");
  char etag[64], path[512], json[2048];
  activate_ok(c, 1, &b, 1, "\"v1\"");
  assert_int_equal(load_version(c, etag, sizeof etag), 1);
  assert_string_equal(etag, "\"v1\"");

  /* The new document landed, the etag write did not. */
  struct vt_manifest *m = manifest_with(2, &b, 1, json, sizeof json);
  vt_manifest_free(m);
  path_in(path, sizeof path, f->dir, "manifest.json");
  write_file(path, json, strlen(json));
  assert_int_equal(load_version(c, etag, sizeof etag), 2);
  assert_string_equal(etag, "");

  /* A damaged etag file reads as unknown too. */
  activate_ok(c, 3, &b, 1, "\"v3\"");
  path_in(path, sizeof path, f->dir, "manifest.etag");
  write_file(path, "garbage", 7);
  assert_int_equal(load_version(c, etag, sizeof etag), 3);
  assert_string_equal(etag, "");
  unlink(path);
  assert_int_equal(load_version(c, etag, sizeof etag), 3);
  assert_string_equal(etag, "");

  /* An invalid manifest.json is an error, not an empty screen. */
  path_in(path, sizeof path, f->dir, "manifest.json");
  write_file(path, "{\"format\":1", 11);
  struct vt_manifest *out = (void *)1;
  char *e = (void *)1;
  struct vt_error err;
  assert_int_not_equal(cache_load_active(c, &out, &e, &err), VT_OK);
  assert_null(out);
  assert_null(e);
  cache_free(c);
}

static void test_open_removes_stale_temp_files(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob b = blob_of("kept");
  struct vt_error err;
  assert_int_equal(store(c, &b, &err), VT_OK);
  char stale_manifest[512], stale_tmp[512], part[512], junk_media[512], media[512], name[128];
  path_in(stale_manifest, sizeof stale_manifest, f->dir, "manifest.json.tmp-0011223344556677");
  path_in(stale_tmp, sizeof stale_tmp, cache_tmp_dir(c), "upload.tmp");
  snprintf(name, sizeof name, "%s.part", b.sha);
  path_in(part, sizeof part, cache_tmp_dir(c), name);
  path_in(junk_media, sizeof junk_media, cache_media_dir(c), "half-written");
  path_in(media, sizeof media, cache_media_dir(c), b.sha);
  write_file(stale_manifest, "{", 1);
  write_file(stale_tmp, "x", 1);
  write_file(part, "ke", 2);
  write_file(junk_media, "x", 1);
  cache_free(c);

  /* A reader (a one-shot snapshot beside a live player) removes nothing: those files may be
   * the live player's writes in progress. It still finds the media. */
  struct cache *reader;
  assert_int_equal(cache_open_reader(f->dir, &reader, &err), VT_OK);
  assert_true(cache_has_media(reader, b.sha, 4));
  cache_free(reader);
  assert_true(exists(stale_manifest) && exists(stale_tmp) && exists(junk_media));

  c = open_cache(f, NULL);
  assert_false(exists(stale_manifest));
  assert_false(exists(stale_tmp));
  assert_false(exists(junk_media));
  assert_true(exists(part)); /* a partial download is kept for resume */
  assert_true(exists(media));
  cache_free(c);
}

static void set_mtime(const char *path, time_t t) {
  struct timeval tv[2] = {{t, 0}, {t, 0}};
  assert_int_equal(utimes(path, tv), 0);
}

static void test_prune(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  struct blob active = blob_of("active content"), keep = blob_of("previous content"),
              old = blob_of("old unreferenced"), recent = blob_of("recent unreferenced"),
              wanted_part = blob_of("wanted"), unwanted_part = blob_of("unwanted");
  struct blob all[] = {active, keep, old, recent};
  char path[512], name[128], json[2048], part_ok[512], part_gone[512];
  struct vt_error err;
  for (size_t i = 0; i < 4; i++) assert_int_equal(store(c, &all[i], &err), VT_OK);
  path_in(path, sizeof path, cache_media_dir(c), old.sha);
  set_mtime(path, 1000000);
  path_in(path, sizeof path, cache_media_dir(c), recent.sha);
  set_mtime(path, 2000000);
  struct blob active_refs[] = {active, wanted_part};
  struct vt_manifest *ma = manifest_with(2, active_refs, 2, json, sizeof json);
  struct vt_manifest *mk = manifest_with(1, &keep, 1, json, sizeof json);
  snprintf(name, sizeof name, "%s.part", wanted_part.sha);
  path_in(part_ok, sizeof part_ok, cache_tmp_dir(c), name);
  snprintf(name, sizeof name, "%s.part", unwanted_part.sha);
  path_in(part_gone, sizeof part_gone, cache_tmp_dir(c), name);
  write_file(part_ok, "wa", 2);
  write_file(part_gone, "un", 2);

  /* Room for the newest unreferenced file only. */
  cache_prune(c, ma, mk, (int64_t)strlen(recent.data));
  assert_true(cache_has_media(c, active.sha, (int64_t)strlen(active.data)));
  assert_true(cache_has_media(c, keep.sha, (int64_t)strlen(keep.data)));
  assert_true(cache_has_media(c, recent.sha, (int64_t)strlen(recent.data)));
  assert_false(cache_has_media(c, old.sha, (int64_t)strlen(old.data)));
  assert_true(exists(part_ok));
  assert_false(exists(part_gone));

  /* No room: every unreferenced file goes; referenced ones never do. */
  cache_prune(c, ma, NULL, 0);
  assert_true(cache_has_media(c, active.sha, (int64_t)strlen(active.data)));
  assert_false(cache_has_media(c, keep.sha, (int64_t)strlen(keep.data)));
  assert_false(cache_has_media(c, recent.sha, (int64_t)strlen(recent.data)));
  /* Without an active manifest nothing is known to be safe to delete. */
  cache_prune(c, NULL, NULL, 0);
  assert_true(cache_has_media(c, active.sha, (int64_t)strlen(active.data)));
  vt_manifest_free(ma);
  vt_manifest_free(mk);
  cache_free(c);
}

/* ---- fault injection ---- */

enum fault_op { FAULT_OPEN, FAULT_WRITE, FAULT_FSYNC, FAULT_CLOSE, FAULT_RENAME, FAULT__COUNT };
static const char *const fault_names[] = {"open", "write", "fsync", "close", "rename"};

/* Fails the fail_at-th call of op (1-based) with EIO; counts calls of op. */
struct fault {
  enum fault_op op;
  int fail_at;
  int calls;
  bool fired;
};

static bool fault_hit(struct fault *f, enum fault_op op) {
  if (op != f->op || ++f->calls != f->fail_at) return false;
  f->fired = true;
  errno = EIO;
  return true;
}

static int f_open(void *ctx, const char *path, int flags, int mode) {
  return fault_hit(ctx, FAULT_OPEN) ? -1 : vt_fs_posix.open(NULL, path, flags, mode);
}
static ssize_t f_write(void *ctx, int fd, const void *buf, size_t len) {
  return fault_hit(ctx, FAULT_WRITE) ? -1 : vt_fs_posix.write(NULL, fd, buf, len);
}
static int f_fsync(void *ctx, int fd) {
  return fault_hit(ctx, FAULT_FSYNC) ? -1 : vt_fs_posix.fsync(NULL, fd);
}
static int f_close(void *ctx, int fd) {
  /* A failing close still releases the descriptor, as close(2) does on Linux. */
  bool fail = fault_hit(ctx, FAULT_CLOSE);
  int rc = vt_fs_posix.close(NULL, fd);
  if (fail) errno = EIO;
  return fail ? -1 : rc;
}
static int f_rename(void *ctx, const char *from, const char *to) {
  return fault_hit(ctx, FAULT_RENAME) ? -1 : vt_fs_posix.rename(NULL, from, to);
}
static int f_unlink(void *ctx, const char *path) {
  (void)ctx;
  return vt_fs_posix.unlink(NULL, path);
}

/* Nothing partial is visible: the data dir holds only the cache's own names, and every file
 * under media/ hashes to its name. */
static void assert_nothing_partial(const char *dir) {
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    const char *n = e->d_name;
    if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "manifest.json") ||
        !strcmp(n, "manifest.etag") || !strcmp(n, "media") || !strcmp(n, "tmp") ||
        !strcmp(n, "sources"))
      continue;
    fail_msg("unexpected file %s/%s", dir, n);
  }
  closedir(d);
  char media[512], path[1024], hash[VT_SHA256_HEX_LEN + 1];
  path_in(media, sizeof media, dir, "media");
  assert_non_null(d = opendir(media));
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *data;
    size_t len;
    path_in(path, sizeof path, media, e->d_name);
    assert_int_equal(vt_read_file(path, 1 << 20, &data, &len, NULL), VT_OK);
    vt_sha256_hex(data, len, hash);
    if (strcmp(hash, e->d_name) != 0) fail_msg("media/%s holds other bytes", e->d_name);
    free(data);
  }
  closedir(d);
}

/* One run: v1 (etag e1, media A) is active; through a failing fs, store B and activate v2
 * (A and B, etag e2). Returns whether the fault fired at all. */
static bool fault_run(const struct fixture *f, enum fault_op op, int n) {
  struct blob a = blob_of("media A, already cached"), b = blob_of("media B, new in v2");
  struct blob both[2] = {a, b};
  char json[2048], etag[64], media_b[512];
  struct cache *plain = open_cache(f, NULL);
  activate_ok(plain, 1, &a, 1, "\"e1\"");
  path_in(media_b, sizeof media_b, cache_media_dir(plain), b.sha);
  unlink(media_b); /* left by the previous run */

  struct fault fault = {.op = op, .fail_at = n};
  struct vt_fs fs = {f_open, f_write, f_fsync, f_close, f_rename, f_unlink, &fault};
  struct cache *c = open_cache(f, &fs);
  struct vt_error err;
  struct vt_manifest *m = manifest_with(2, both, 2, json, sizeof json);
  enum vt_err stored = store(c, &b, &err);
  enum vt_err activated = stored == VT_OK
                              ? cache_activate(c, m, json, strlen(json), "\"e2\"", &err)
                              : stored;
  vt_manifest_free(m);
  cache_free(c);

  /* What a restarted player sees. */
  int64_t v = load_version(plain, etag, sizeof etag);
  if (activated == VT_OK) {
    assert_int_equal(v, 2);
    /* Only a failed etag write may leave it unknown; never the old one. */
    assert_true(strcmp(etag, "\"e2\"") == 0 || strcmp(etag, "") == 0);
  } else {
    if (v != 1 || strcmp(etag, "\"e1\"") != 0)
      fail_msg("%s #%d failed (%s) but v%lld etag '%s' is active", fault_names[op], n,
               err.message, (long long)v, etag);
  }
  if (stored != VT_OK) {
    /* B either made it whole (the failure came after the rename) or not at all. */
    assert_true(!exists(media_b) || cache_has_media(plain, b.sha, (int64_t)strlen(b.data)));
  }
  assert_nothing_partial(f->dir);
  cache_free(plain);
  return fault.fired;
}

/* ---- source snapshots: file names, store and load, start-up cleanup, pruning, the table ---- */

static const char menu_doc[] =
    "{\"key\":\"menu/1\",\"kind\":\"menu\",\"version\":%d,\"updated_at\":\"2026-11-23T10:00:00Z\","
    "\"data\":{\"name\":\"M\",\"sections\":[]}}";
static const char feed_doc[] =
    "{\"key\":\"feed/2\",\"kind\":\"news\",\"version\":4,\"updated_at\":\"2026-11-23T10:00:00Z\","
    "\"data\":{\"title\":\"N\",\"link\":\"\",\"items\":[]}}";

static struct vt_manifest *manifest_sources(const char *sources) {
  char json[512];
  snprintf(json, sizeof json, "{\"format\":1,\"version\":1,\"display\":{},\"sources\":[%s]}",
           sources);
  struct vt_manifest *m = NULL;
  struct vt_error err;
  if (vt_manifest_parse(json, strlen(json), &m, &err) != VT_OK) fail_msg("%s", err.message);
  return m;
}

static void test_source_file_names(void **state) {
  (void)state;
  static const struct {
    const char *name, *key; /* key NULL: not a snapshot file */
  } cases[] = {
      {"feed-3.json", "feed/3"}, {"menu-12.json", "menu/12"},
      {"menu-9223372036854775807.json", "menu/9223372036854775807"},
      {"menu-012.json", NULL}, {"menu-0.json", NULL}, {"menu-1.json.tmp-abc", NULL},
      {"other-1.json", NULL}, {"menu-.json", NULL}, {"menu-1.JSON", NULL}, {"feed/3.json", NULL},
      {"menu-1x.json", NULL}, {"", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char key[VT_SOURCE_KEY_MAX], name[SOURCES_FILE_MAX];
    bool ok = sources_key_of_file(cases[i].name, key);
    assert_int_equal(ok, cases[i].key != NULL);
    if (!ok) continue;
    assert_string_equal(key, cases[i].key);
    assert_true(sources_file_name(key, name));
    assert_string_equal(name, cases[i].name);
  }
  char name[SOURCES_FILE_MAX];
  assert_false(sources_file_name("../1", name));
  assert_false(sources_file_name("menu/../x", name));
}

static void store_doc(struct cache *c, const char *key, const char *json) {
  struct vt_error err;
  if (cache_store_source(c, key, json, strlen(json), &err) != VT_OK) fail_msg("%s", err.message);
}

static void test_source_store_load_prune(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  char doc[512], path[512];
  snprintf(doc, sizeof doc, menu_doc, 3);
  store_doc(c, "menu/1", doc);
  store_doc(c, "feed/2", feed_doc);
  struct vt_snapshot *snap = NULL;
  struct vt_error err;
  assert_int_equal(sources_load_file(cache_sources_dir(c), "menu/1", &snap, &err), VT_OK);
  assert_int_equal(snap->version, 3);
  vt_snapshot_free(snap);
  assert_int_equal(sources_load_file(cache_sources_dir(c), "menu/7", &snap, &err), VT_ERR_NOT_FOUND);
  /* A file holding another key's snapshot is not that key's. */
  store_doc(c, "menu/5", doc);
  assert_int_equal(sources_load_file(cache_sources_dir(c), "menu/5", &snap, &err), VT_ERR_CORRUPT);
  assert_null(snap);
  /* Start-up removes what an interrupted write left, and nothing else. */
  path_in(path, sizeof path, cache_sources_dir(c), "menu-1.json.tmp-XYZ");
  write_file(path, "{", 1);
  cache_free(c);
  c = open_cache(f, NULL);
  assert_false(exists(path));
  path_in(path, sizeof path, cache_sources_dir(c), "menu-1.json");
  assert_true(exists(path));
  /* Pruning keeps the snapshots the active or the kept manifest lists. */
  struct vt_manifest *active = manifest_sources("{\"key\":\"menu/1\",\"kind\":\"menu\"}");
  struct vt_manifest *keep = manifest_sources("{\"key\":\"feed/2\",\"kind\":\"news\"}");
  cache_prune(c, active, keep, 0);
  assert_true(exists(path));
  path_in(path, sizeof path, cache_sources_dir(c), "feed-2.json");
  assert_true(exists(path));
  path_in(path, sizeof path, cache_sources_dir(c), "menu-5.json");
  assert_false(exists(path));
  cache_prune(c, active, NULL, 0);
  path_in(path, sizeof path, cache_sources_dir(c), "feed-2.json");
  assert_false(exists(path));
  path_in(path, sizeof path, cache_sources_dir(c), "menu-1.json");
  assert_true(exists(path));
  vt_manifest_free(active);
  vt_manifest_free(keep);
  cache_free(c);
}

static struct vt_snapshot *parse_doc(const char *json) {
  struct vt_snapshot *s = NULL;
  struct vt_error err;
  if (vt_snapshot_parse(json, strlen(json), &s, &err) != VT_OK) fail_msg("%s", err.message);
  return s;
}

static void test_source_table(void **state) {
  struct fixture *f = *state;
  struct cache *c = open_cache(f, NULL);
  char doc[512];
  snprintf(doc, sizeof doc, menu_doc, 3);
  store_doc(c, "menu/1", doc);
  struct sources *t = sources_new();
  assert_non_null(t);
  /* Following a manifest loads its cached snapshots (feed/2 has none: left without). */
  struct vt_manifest *m = manifest_sources(
      "{\"key\":\"feed/2\",\"kind\":\"news\"},{\"key\":\"menu/1\",\"kind\":\"menu\"}");
  sources_follow(t, m, cache_sources_dir(c));
  assert_int_equal(sources_count(t), 1);
  assert_int_equal(sources_get(t, "menu/1")->version, 3);
  assert_null(sources_get(t, "feed/2"));
  /* The same version is no news; another one replaces it and hands back the old one. */
  struct vt_snapshot *old = NULL;
  assert_false(sources_put(t, parse_doc(doc), &old));
  assert_null(old);
  snprintf(doc, sizeof doc, menu_doc, 4);
  assert_true(sources_put(t, parse_doc(doc), &old));
  assert_non_null(old);
  assert_int_equal(old->version, 3);
  vt_snapshot_free(old);
  assert_int_equal(sources_get(t, "menu/1")->version, 4);
  assert_true(sources_put(t, parse_doc(feed_doc), &old));
  assert_null(old);
  assert_int_equal(sources_count(t), 2);
  /* A manifest without menu/1 drops it; one that gives feed/2 another kind drops that. */
  struct vt_manifest *m2 = manifest_sources("{\"key\":\"feed/2\",\"kind\":\"weather\"}");
  sources_follow(t, m2, NULL);
  assert_int_equal(sources_count(t), 0);
  sources_follow(t, m, cache_sources_dir(c)); /* back: the cached file again (version 3) */
  assert_int_equal(sources_get(t, "menu/1")->version, 3);
  sources_follow(t, NULL, NULL);
  assert_int_equal(sources_count(t), 0);
  sources_free(t);
  vt_manifest_free(m);
  vt_manifest_free(m2);
  cache_free(c);
}

static void test_atomic_under_faults(void **state) {
  struct fixture *f = *state;
  int runs = 0;
  for (enum fault_op op = 0; op < FAULT__COUNT; op++) {
    /* N = 1, 2, ... until the whole store + activation passes without reaching call N. */
    for (int n = 1; fault_run(f, op, n); n++) runs++;
  }
  /* open, write, fsync, close and rename are each used several times on this path. */
  assert_true(runs >= 15);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_store_and_has, setup, teardown),
      cmocka_unit_test_setup_teardown(test_store_rejects, setup, teardown),
      cmocka_unit_test_setup_teardown(test_activate_needs_every_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_etag_bound_to_document, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_removes_stale_temp_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_prune, setup, teardown),
      cmocka_unit_test_setup_teardown(test_atomic_under_faults, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_file_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_store_load_prune, setup, teardown),
      cmocka_unit_test_setup_teardown(test_source_table, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
