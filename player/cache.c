/* The player's content-addressed cache and atomic activation (docs/internals/cache.md).
 *
 * Invariants, each relied on by the render thread or by a restart after a power cut:
 *  1. A file appears under media/<sha256> only after its bytes were hashed to that sha256,
 *     its size checked, fsync'd, and renamed there (cache_store_media); the directory is
 *     fsync'd after the rename. So media/ never holds a partial or wrong file, and a name
 *     in media/ is proof of its content: later checks only compare the size.
 *  2. Downloads live in tmp/ until then; nothing in tmp/ is ever read by the renderer.
 *  3. A manifest becomes active (manifest.json) only when every media file it lists is in
 *     media/ (cache_activate), and manifest.json is replaced by write-temp, fsync, rename
 *     (vt_write_file_atomic): it is always either the old or the new document, whole.
 *  4. manifest.etag names the sha256 of the manifest.json it belongs to. An etag whose
 *     binding does not match the current manifest.json is "unknown" (cache_load_active
 *     returns NULL), never the etag of some other document.
 *  5. Files of the active manifest (and of `keep`) are never deleted (cache_prune).
 *  6. sources/<kind>-<id>.json is written whole (vt_write_file_atomic), and only with a
 *     document the sync thread has checked (vt_snapshot_parse): the render thread may load
 *     it at any time and finds the old or the new snapshot, never a mix.
 *
 * Why 4 rather than ordering the two writes: manifest.json and manifest.etag are two files
 * renamed one after the other, and a crash can fall between the renames. If the etag of the
 * new manifest could sit beside the old document, the player would send If-None-Match with
 * it, get 304, and keep the old content forever. If the old etag could sit beside the new
 * document, a later revert on the manager to exactly that old content would also be
 * answered 304 and skipped. Binding the etag to the document's hash turns every such
 * mismatch into "unknown", which only costs one unconditional fetch. It also needs no third
 * write (such as an "invalidate first" step) and stays correct if someone edits
 * manifest.json by hand.
 *
 * Writes (create, write, fsync, rename, unlink) go through c->fs so tests can fail the
 * Nth one; reads and directory listings use the real file system. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "json.h"
#include "vt_limits.h"
#include "log.h"
#include "sources.h"

#define CACHE_PATH_MAX 4096
/* The longest name the cache puts under its directory ("media/<64 hex>", "tmp/<64 hex>.part",
 * the temp names of vt_write_file_atomic): checked once in cache_open so that every later
 * path build is known to fit. */
#define CACHE_NAME_MAX 128
#define CACHE_PART_SUFFIX ".part"
/* manifest.etag is "<sha256 of manifest.json>\n<etag>\n"; an HTTP ETag is a short token. */
#define CACHE_ETAG_FILE_MAX 1024

static const char manifest_name[] = "manifest.json";
static const char etag_name[] = "manifest.etag";

struct cache {
  const struct vt_fs *fs;
  char dir[CACHE_PATH_MAX];
  char media_dir[CACHE_PATH_MAX];
  char tmp_dir[CACHE_PATH_MAX];
  char sources_dir[CACHE_PATH_MAX];
  char manifest_path[CACHE_PATH_MAX];
  char etag_path[CACHE_PATH_MAX];
};

const char *cache_media_dir(const struct cache *c) { return c->media_dir; }
const char *cache_tmp_dir(const struct cache *c) { return c->tmp_dir; }
const char *cache_sources_dir(const struct cache *c) { return c->sources_dir; }

static bool has_prefix(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "<64 hex>.part": the only names download.c leaves in tmp/, and the only ones kept there. */
static bool is_part_name(const char *name) {
  char sha[VT_SHA256_HEX_LEN + 1];
  if (strlen(name) != VT_SHA256_HEX_LEN + strlen(CACHE_PART_SUFFIX) ||
      strcmp(name + VT_SHA256_HEX_LEN, CACHE_PART_SUFFIX) != 0)
    return false;
  memcpy(sha, name, VT_SHA256_HEX_LEN);
  sha[VT_SHA256_HEX_LEN] = '\0';
  return vt_sha256_hex_valid(sha);
}

static bool is_manifest_temp(const char *name, const void *unused) {
  (void)unused;
  /* vt_write_file_atomic's temp names: "<target>.tmp-<random>". */
  return has_prefix(name, "manifest.json.tmp-") || has_prefix(name, "manifest.etag.tmp-");
}

static bool is_stale_in_tmp(const char *name, const void *unused) {
  (void)unused;
  return !is_part_name(name);
}
/* sources/ holds only "<kind>-<id>.json" (vt_write_file_atomic's temp names are not). */
static bool is_stale_in_sources(const char *name, const void *unused) {
  char key[VT_SOURCE_KEY_MAX];
  (void)unused;
  return !sources_key_of_file(name, key);
}

static bool is_stale_in_media(const char *name, const void *unused) {
  (void)unused;
  return !vt_sha256_hex_valid(name);
}

/* Unlink every regular file in dir for which stale(name, ctx) is true. Best effort: a file
 * that cannot be removed now is tried again next time. */
static void remove_matching(const struct cache *c, const char *dir,
                            bool (*stale)(const char *name, const void *ctx), const void *ctx) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char path[CACHE_PATH_MAX];
  while ((e = readdir(d))) {
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) continue;
    if (!stale(e->d_name, ctx) || !vt_path_join(path, sizeof path, dir, e->d_name)) continue;
    if (c->fs->unlink(c->fs->ctx, path) == 0) vt_info("cache", "removed %s", path);
  }
  closedir(d);
}

/* Fill in the paths of a cache for data_dir. */
static enum vt_err cache_new(const char *data_dir, const struct vt_fs *fs, struct cache **out,
                             struct vt_error *err) {
  *out = NULL;
  if (!data_dir || !*data_dir || strlen(data_dir) + CACHE_NAME_MAX >= CACHE_PATH_MAX)
    return vt_error_set(err, VT_ERR_INVALID, "data_dir", "data directory empty or too long");
  struct cache *c = calloc(1, sizeof *c);
  if (!c) return vt_error_no_memory(err);
  c->fs = fs ? fs : &vt_fs_posix;
  /* Lengths were checked above, so none of these can truncate. */
  snprintf(c->dir, sizeof c->dir, "%s", data_dir);
  vt_path_join(c->media_dir, sizeof c->media_dir, data_dir, "media");
  vt_path_join(c->tmp_dir, sizeof c->tmp_dir, data_dir, "tmp");
  vt_path_join(c->sources_dir, sizeof c->sources_dir, data_dir, SOURCES_DIR_NAME);
  vt_path_join(c->manifest_path, sizeof c->manifest_path, data_dir, manifest_name);
  vt_path_join(c->etag_path, sizeof c->etag_path, data_dir, etag_name);
  *out = c;
  return VT_OK;
}

enum vt_err cache_open_reader(const char *data_dir, struct cache **out, struct vt_error *err) {
  return cache_new(data_dir, NULL, out, err);
}

enum vt_err cache_open(const char *data_dir, const struct vt_fs *fs, struct cache **out,
                       struct vt_error *err) {
  struct cache *c;
  enum vt_err e = cache_new(data_dir, fs, &c, err);
  if (e == VT_OK) e = vt_mkdir_p(c->media_dir, err);
  if (e == VT_OK) e = vt_mkdir_p(c->tmp_dir, err);
  if (e == VT_OK) e = vt_mkdir_p(c->sources_dir, err);
  if (e != VT_OK) {
    free(c);
    return e;
  }
  remove_matching(c, c->dir, is_manifest_temp, NULL);
  remove_matching(c, c->tmp_dir, is_stale_in_tmp, NULL); /* *.part stay: download resumes them */
  remove_matching(c, c->media_dir, is_stale_in_media, NULL);
  remove_matching(c, c->sources_dir, is_stale_in_sources, NULL);
  *out = c;
  return VT_OK;
}

void cache_free(struct cache *c) { free(c); }

/* media/<sha256>, or false if sha256 is not a valid media name (so a name from the network
 * can never reach outside media/). */
static bool media_path(const struct cache *c, const char *sha256, char out[CACHE_PATH_MAX]) {
  return vt_sha256_hex_valid(sha256) && vt_path_join(out, CACHE_PATH_MAX, c->media_dir, sha256);
}

bool cache_has_media(const struct cache *c, const char *sha256, int64_t size) {
  char path[CACHE_PATH_MAX];
  struct stat st;
  if (!media_path(c, sha256, path) || stat(path, &st) != 0) return false;
  return S_ISREG(st.st_mode) && (int64_t)st.st_size == size;
}

/* Hash the open file fd to out; false on a read error. */
static bool hash_fd(int fd, char out[VT_SHA256_HEX_LEN + 1]) {
  struct vt_sha256 h;
  char buf[64 * 1024];
  vt_sha256_init(&h);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    vt_sha256_update(&h, buf, (size_t)n);
  }
  vt_sha256_final_hex(&h, out);
  return true;
}

/* Check tmp_path holds exactly size bytes hashing to sha256, and make it durable.
 * VT_ERR_CORRUPT on a mismatch (the caller deletes the file), VT_ERR_IO otherwise. */
static enum vt_err verify_and_sync(struct cache *c, const char *tmp_path, const char *sha256,
                                   int64_t size, struct vt_error *err) {
  const struct vt_fs *fs = c->fs;
  int fd = fs->open(fs->ctx, tmp_path, O_RDONLY, 0);
  if (fd < 0) {
    return vt_error_set(err, errno == ENOENT ? VT_ERR_NOT_FOUND : VT_ERR_IO, "", "open %s: %s",
                        tmp_path, strerror(errno));
  }
  struct stat st;
  char got[VT_SHA256_HEX_LEN + 1];
  enum vt_err e = VT_OK;
  if (fstat(fd, &st) != 0 || !hash_fd(fd, got)) {
    e = vt_error_set(err, VT_ERR_IO, "", "read %s: %s", tmp_path, strerror(errno));
  } else if ((int64_t)st.st_size != size) {
    e = vt_error_set(err, VT_ERR_CORRUPT, "size", "%s: %lld bytes, expected %lld", sha256,
                     (long long)st.st_size, (long long)size);
  } else if (strcmp(got, sha256) != 0) {
    e = vt_error_set(err, VT_ERR_CORRUPT, "sha256", "%s: content hashes to %s", sha256, got);
  } else if (fs->fsync(fs->ctx, fd) != 0) {
    e = vt_error_set(err, VT_ERR_IO, "", "fsync %s: %s", tmp_path, strerror(errno));
  }
  if (fs->close(fs->ctx, fd) != 0 && e == VT_OK)
    e = vt_error_set(err, VT_ERR_IO, "", "close %s: %s", tmp_path, strerror(errno));
  return e;
}

enum vt_err cache_store_media(struct cache *c, const char *tmp_path, const char *sha256,
                              int64_t size, struct vt_error *err) {
  char dest[CACHE_PATH_MAX];
  if (!media_path(c, sha256, dest))
    return vt_error_set(err, VT_ERR_INVALID, "sha256", "not a sha256 media name");
  enum vt_err e = verify_and_sync(c, tmp_path, sha256, size, err);
  if (e == VT_ERR_CORRUPT) c->fs->unlink(c->fs->ctx, tmp_path); /* never worth resuming */
  if (e != VT_OK) return e;
  if (c->fs->rename(c->fs->ctx, tmp_path, dest) != 0)
    return vt_error_set(err, VT_ERR_IO, "", "rename %s: %s", dest, strerror(errno));
  return vt_fsync_dir(c->fs, c->media_dir, err);
}

/* The first media file m lists that is not in the cache, or NULL. */
static const struct vt_media_ref *first_missing(const struct cache *c, const struct vt_manifest *m,
                                                size_t *index) {
  for (size_t i = 0; i < m->n_media; i++) {
    if (!cache_has_media(c, m->media[i].sha256, m->media[i].size)) {
      *index = i;
      return &m->media[i];
    }
  }
  return NULL;
}

/* An etag goes into a header and into a line of manifest.etag: no control characters. */
static bool etag_storable(const char *etag) {
  if (!etag || !*etag || strlen(etag) > CACHE_ETAG_FILE_MAX / 2) return false;
  for (const char *p = etag; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) return false;
  return true;
}

/* True if path holds exactly data. */
static bool file_holds(const char *path, const char *data, size_t len) {
  char *buf;
  size_t n;
  if (vt_read_file(path, len, &buf, &n, NULL) != VT_OK) return false;
  bool same = n == len && memcmp(buf, data, len) == 0;
  free(buf);
  return same;
}

enum vt_err cache_activate(struct cache *c, const struct vt_manifest *m, const char *json,
                           size_t len, const char *etag, struct vt_error *err) {
  size_t i;
  const struct vt_media_ref *missing = first_missing(c, m, &i);
  if (missing) {
    char field[VT_ERROR_FIELD_MAX];
    vt_json_path_index(field, "media", i);
    return vt_error_set(err, VT_ERR_NOT_FOUND, field, "media %s (%lld bytes) is not in the cache",
                        missing->sha256, (long long)missing->size);
  }
  struct vt_error write_err;
  if (vt_write_file_atomic(c->fs, c->manifest_path, json, len, &write_err) != VT_OK) {
    /* Failing after the rename (the directory fsync) leaves the new document in place: it
     * is what every reader sees now, and after a power cut either whole document may be
     * there. Calling that a failure would have the caller believe the old one is active. */
    if (!file_holds(c->manifest_path, json, len)) {
      if (err) *err = write_err;
      return write_err.code;
    }
    vt_warn("cache", "manifest activated, but not yet known to be durable: %s",
            write_err.message);
  }
  /* From here on the new manifest is active. If the etag cannot be written, the old
   * manifest.etag still names the old document's hash, so it reads as unknown (invariant
   * 4): the next sync fetches without If-None-Match. That is not worth failing over. */
  char hash[VT_SHA256_HEX_LEN + 1], line[CACHE_ETAG_FILE_MAX];
  vt_sha256_hex(json, len, hash);
  int n = snprintf(line, sizeof line, "%s\n%s\n", hash, etag_storable(etag) ? etag : "");
  struct vt_error etag_err;
  if (vt_write_file_atomic(c->fs, c->etag_path, line, (size_t)n, &etag_err) != VT_OK)
    vt_warn("cache", "etag not saved, the next sync refetches: %s", etag_err.message);
  return VT_OK;
}

/* The etag manifest.etag records for a manifest.json hashing to hash; NULL when the file is
 * missing, malformed, or bound to another document (invariant 4). */
static char *read_bound_etag(const struct cache *c, const char *hash) {
  char *buf = NULL;
  size_t len;
  if (vt_read_file(c->etag_path, CACHE_ETAG_FILE_MAX, &buf, &len, NULL) != VT_OK) return NULL;
  char *etag = NULL;
  char *nl = strchr(buf, '\n');
  if (nl && (size_t)(nl - buf) == VT_SHA256_HEX_LEN && strncmp(buf, hash, VT_SHA256_HEX_LEN) == 0) {
    char *start = nl + 1, *end = strchr(start, '\n');
    if (end && end > start) etag = strndup(start, (size_t)(end - start));
  }
  free(buf);
  return etag;
}

enum vt_err cache_load_active(const struct cache *c, struct vt_manifest **out, char **etag,
                              struct vt_error *err) {
  *out = NULL;
  if (etag) *etag = NULL;
  char *json;
  size_t len;
  enum vt_err e = vt_read_file(c->manifest_path, VT_LIMIT_MANIFEST_BYTES, &json, &len, err);
  if (e != VT_OK) return e;
  e = vt_manifest_parse(json, len, out, err);
  if (e == VT_OK && etag) {
    char hash[VT_SHA256_HEX_LEN + 1];
    vt_sha256_hex(json, len, hash);
    *etag = read_bound_etag(c, hash);
  }
  free(json);
  return e;
}

enum vt_err cache_store_source(struct cache *c, const char *key, const char *json, size_t len,
                               struct vt_error *err) {
  char name[SOURCES_FILE_MAX], path[CACHE_PATH_MAX];
  if (!sources_file_name(key, name) || !vt_path_join(path, sizeof path, c->sources_dir, name))
    return vt_error_set(err, VT_ERR_INVALID, "key", "not a source key");
  return vt_write_file_atomic(c->fs, path, json, len, err);
}

/* ---- prune ---- */

struct prune_file {
  char name[VT_SHA256_HEX_LEN + 1];
  int64_t size;
  int64_t mtime;
};

/* The sorted names of the media the active and kept manifests need (borrowed from them). */
struct prune_refs {
  const char **names;
  size_t n;
};

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_newest_first(const void *a, const void *b) {
  const struct prune_file *x = a, *y = b;
  return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

/* false only when out of memory. */
static bool refs_collect(struct prune_refs *r, const struct vt_manifest *active,
                         const struct vt_manifest *keep) {
  const struct vt_manifest *ms[2] = {active, keep};
  size_t total = 0;
  for (int k = 0; k < 2; k++) total += ms[k] ? ms[k]->n_media : 0;
  r->n = 0;
  r->names = malloc((total ? total : 1) * sizeof *r->names);
  if (!r->names) return false;
  for (int k = 0; k < 2; k++)
    for (size_t i = 0; ms[k] && i < ms[k]->n_media; i++) r->names[r->n++] = ms[k]->media[i].sha256;
  qsort(r->names, r->n, sizeof *r->names, cmp_name);
  return true;
}

static bool refs_has(const struct prune_refs *r, const char *sha256) {
  return bsearch(&sha256, r->names, r->n, sizeof *r->names, cmp_name) != NULL;
}

/* A partial download of media neither manifest wants (an update that was superseded). */
static bool is_unwanted_part(const char *name, const void *ctx) {
  char sha[VT_SHA256_HEX_LEN + 1];
  if (!is_part_name(name)) return false;
  memcpy(sha, name, VT_SHA256_HEX_LEN);
  sha[VT_SHA256_HEX_LEN] = '\0';
  return !refs_has(ctx, sha);
}

/* Unreferenced media files in media/, newest first; *count of them. */
static struct prune_file *list_unreferenced(const struct cache *c, const struct prune_refs *r,
                                            size_t *count) {
  *count = 0;
  DIR *d = opendir(c->media_dir);
  if (!d) return NULL;
  struct prune_file *files = NULL;
  size_t cap = 0;
  struct dirent *e;
  char path[CACHE_PATH_MAX];
  struct stat st;
  while ((e = readdir(d))) {
    if (!vt_sha256_hex_valid(e->d_name) || refs_has(r, e->d_name)) continue;
    if (!vt_path_join(path, sizeof path, c->media_dir, e->d_name) || stat(path, &st) != 0)
      continue;
    if (*count == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      struct prune_file *nf = realloc(files, ncap * sizeof *files);
      if (!nf) break; /* prune what is listed; the rest waits for the next prune */
      files = nf;
      cap = ncap;
    }
    struct prune_file *f = &files[(*count)++];
    memcpy(f->name, e->d_name, sizeof f->name);
    f->size = st.st_size;
    f->mtime = st.st_mtime;
  }
  closedir(d);
  if (files) qsort(files, *count, sizeof *files, cmp_newest_first);
  return files;
}

/* A snapshot neither manifest (ctx: active, keep) lists a source for. */
static bool is_unused_source(const char *name, const void *ctx) {
  const struct vt_manifest *const *ms = ctx;
  char key[VT_SOURCE_KEY_MAX];
  if (!sources_key_of_file(name, key)) return false;
  return !vt_manifest_source(ms[0], key) && !(ms[1] && vt_manifest_source(ms[1], key));
}

void cache_prune(struct cache *c, const struct vt_manifest *active, const struct vt_manifest *keep,
                 int64_t keep_bytes) {
  /* Without the active manifest nothing is known to be safe to delete (invariant 5). */
  struct prune_refs refs;
  if (!active || !refs_collect(&refs, active, keep)) return;
  size_t count;
  struct prune_file *files = list_unreferenced(c, &refs, &count);
  int64_t kept = 0;
  char path[CACHE_PATH_MAX];
  for (size_t i = 0; i < count; i++) {
    if (kept + files[i].size <= keep_bytes) { /* the newest stay, for a quick rollback */
      kept += files[i].size;
      continue;
    }
    if (vt_path_join(path, sizeof path, c->media_dir, files[i].name) &&
        c->fs->unlink(c->fs->ctx, path) == 0)
      vt_debug("cache", "pruned %s", files[i].name);
  }
  free(files);
  remove_matching(c, c->tmp_dir, is_unwanted_part, &refs);
  free(refs.names);
  const struct vt_manifest *ms[2] = {active, keep};
  remove_matching(c, c->sources_dir, is_unused_source, ms);
}
