/* Source snapshot files and the render thread's snapshot table (see sources.h).
 *
 * A file name is the key with '/' turned into '-': both parts of a key are already safe
 * in a path (vt_source_key_parse allows only "feed" or "menu" and a decimal id), so a name
 * from the network can never reach outside sources/. The table is a small array: a
 * manifest lists at most VT_LIMIT_SOURCES sources, and lookups happen only when a widget is
 * made or a snapshot arrives, never per frame. */
#include "sources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"

bool sources_file_name(const char *key, char out[SOURCES_FILE_MAX]) {
  bool menu;
  int64_t id;
  if (!vt_source_key_parse(key, &menu, &id)) return false;
  snprintf(out, SOURCES_FILE_MAX, "%s-%lld.json", menu ? "menu" : "feed", (long long)id);
  return true;
}

bool sources_key_of_file(const char *name, char out[VT_SOURCE_KEY_MAX]) {
  size_t n = strlen(name);
  if (n < 6 + 5 || n >= VT_SOURCE_KEY_MAX + 5 || strcmp(name + n - 5, ".json") != 0 ||
      name[4] != '-')
    return false;
  char key[VT_SOURCE_KEY_MAX + 5];
  memcpy(key, name, n - 5);
  key[n - 5] = '\0';
  key[4] = '/';
  bool menu;
  int64_t id;
  char again[SOURCES_FILE_MAX];
  /* The round trip rejects leading zeros and anything else that is not the canonical name. */
  if (!vt_source_key_parse(key, &menu, &id) || !sources_file_name(key, again) ||
      strcmp(again, name) != 0)
    return false;
  memcpy(out, key, n - 5 + 1); /* shorter than VT_SOURCE_KEY_MAX: the parse checked it */
  return true;
}

enum vt_err sources_load_file(const char *dir, const char *key, struct vt_snapshot **out,
                              struct vt_error *err) {
  char name[SOURCES_FILE_MAX], path[4096];
  *out = NULL;
  if (!sources_file_name(key, name))
    return vt_error_set(err, VT_ERR_INVALID, "key", "'%s' is not a source key", key);
  if (!vt_path_join(path, sizeof path, dir, name))
    return vt_error_set(err, VT_ERR_INVALID, "", "sources directory path too long");
  char *json;
  size_t len;
  enum vt_err rc = vt_read_file(path, VT_LIMIT_SNAPSHOT_BYTES, &json, &len, err);
  if (rc) return rc;
  rc = vt_snapshot_parse(json, len, out, err);
  free(json);
  if (!rc && strcmp((*out)->key, key) != 0) {
    rc = vt_error_set(err, VT_ERR_CORRUPT, "key", "%s holds the snapshot of %s", path,
                      (*out)->key);
    vt_snapshot_free(*out);
    *out = NULL;
  }
  return rc;
}

/* ---- the table ---- */

struct sources {
  struct vt_snapshot **snaps; /* owned */
  size_t n, cap;
};

struct sources *sources_new(void) { return calloc(1, sizeof(struct sources)); }

void sources_free(struct sources *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) vt_snapshot_free(t->snaps[i]);
  free(t->snaps);
  free(t);
}

static struct vt_snapshot **slot_of(const struct sources *t, const char *key) {
  for (size_t i = 0; key && i < t->n; i++)
    if (strcmp(t->snaps[i]->key, key) == 0) return &t->snaps[i];
  return NULL;
}

const struct vt_snapshot *sources_get(const struct sources *t, const char *key) {
  struct vt_snapshot **slot = slot_of(t, key);
  return slot ? *slot : NULL;
}

size_t sources_count(const struct sources *t) { return t->n; }

bool sources_put(struct sources *t, struct vt_snapshot *snap, struct vt_snapshot **old) {
  *old = NULL;
  struct vt_snapshot **slot = slot_of(t, snap->key);
  if (slot && (*slot)->version == snap->version) {
    vt_snapshot_free(snap); /* a revalidation that the sync thread could not tell apart */
    return false;
  }
  if (slot) {
    *old = *slot;
    *slot = snap;
    return true;
  }
  if (t->n == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 8;
    struct vt_snapshot **ns = realloc(t->snaps, ncap * sizeof *ns);
    if (!ns) {
      vt_snapshot_free(snap);
      return false;
    }
    t->snaps = ns;
    t->cap = ncap;
  }
  t->snaps[t->n++] = snap;
  return true;
}

static void drop_at(struct sources *t, size_t i) {
  vt_snapshot_free(t->snaps[i]);
  t->snaps[i] = t->snaps[--t->n];
}

void sources_follow(struct sources *t, const struct vt_manifest *m, const char *dir) {
  for (size_t i = t->n; i-- > 0;) {
    const struct vt_source *src = m ? vt_manifest_source(m, t->snaps[i]->key) : NULL;
    if (!src || src->kind != t->snaps[i]->kind) drop_at(t, i);
  }
  for (size_t i = 0; m && dir && i < m->n_sources; i++) {
    const struct vt_source *src = &m->sources[i];
    if (slot_of(t, src->key)) continue;
    struct vt_snapshot *snap = NULL, *old;
    struct vt_error err = {0};
    enum vt_err rc = sources_load_file(dir, src->key, &snap, &err);
    if (rc == VT_ERR_NOT_FOUND) continue; /* never fetched yet: the widget shows none */
    if (!rc && snap->kind != src->kind)
      rc = vt_error_set(&err, VT_ERR_CORRUPT, "kind", "not the kind the manifest gives it");
    if (rc) {
      vt_warn("sources", "cached snapshot of %s not used: %s%s%s", src->key, err.field,
              err.field[0] ? ": " : "", err.message);
      vt_snapshot_free(snap);
      continue;
    }
    sources_put(t, snap, &old); /* no old one: the key was missing */
  }
}
