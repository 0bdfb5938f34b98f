/* The full store state as text: every row of every table (read through a separate,
 * read-only SQLite connection while the server runs), plus the media and temp directory
 * listings. Two snapshots around a request show exactly what it changed. */
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static sqlite3 *open_ro(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/vitrine.db", dir);
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
    fprintf(stderr, "cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "?");
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, H_DEADLINE_MS);
  return db;
}

static void add_value(struct hbuf *b, sqlite3_stmt *st, int i) {
  switch (sqlite3_column_type(st, i)) {
  case SQLITE_NULL:
    hbuf_add(b, "NULL", 4);
    break;
  case SQLITE_BLOB: {
    const unsigned char *p = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    hbuf_add(b, "x'", 2);
    for (int k = 0; k < n; k++) hbuf_addf(b, "%02x", p[k]);
    hbuf_add(b, "'", 1);
    break;
  }
  default:
    hbuf_addf(b, "'%s'", (const char *)sqlite3_column_text(st, i));
  }
}

static bool dump_table(sqlite3 *db, struct snap_table *t) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", t->name);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return false;
  struct hbuf b = {0};
  hbuf_add(&b, "", 0);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int i = 0; i < sqlite3_column_count(st); i++) {
      if (i) hbuf_add(&b, ",", 1);
      add_value(&b, st, i);
    }
    hbuf_add(&b, "\n", 1);
    t->rows++;
  }
  sqlite3_finalize(st);
  t->content = b.data;
  return rc == SQLITE_DONE;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "name size" per entry, sorted, as a pseudo-table. */
static void list_dir(const char *dir, const char *sub, struct snap_table *t) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, sub);
  snprintf(t->name, sizeof t->name, "%s/", sub);
  char *names[4096];
  size_t n = 0;
  DIR *d = opendir(path);
  for (struct dirent *e; d && (e = readdir(d)) && n < 4096;)
    if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
  if (d) closedir(d);
  qsort(names, n, sizeof *names, cmp_names);
  struct hbuf b = {0};
  hbuf_add(&b, "", 0);
  for (size_t i = 0; i < n; i++) {
    char file[1024];
    struct stat sb = {0};
    snprintf(file, sizeof file, "%s/%s", path, names[i]);
    stat(file, &sb);
    hbuf_addf(&b, "%s %lld\n", names[i], (long long)sb.st_size);
    free(names[i]);
  }
  t->rows = (long)n;
  t->content = b.data;
}

bool snapshot_take(const char *dir, struct snapshot *out) {
  memset(out, 0, sizeof *out);
  sqlite3 *db = open_ro(dir);
  if (!db) return false;
  sqlite3_stmt *st = NULL;
  bool ok =
      sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                         -1, &st, NULL) == SQLITE_OK;
  while (ok && sqlite3_step(st) == SQLITE_ROW && out->n < 30)
    snprintf(out->t[out->n++].name, sizeof out->t[0].name, "%s", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  for (size_t i = 0; ok && i < out->n; i++) ok = dump_table(db, &out->t[i]);
  sqlite3_close(db);
  list_dir(dir, "media", &out->t[out->n++]);
  list_dir(dir, "tmp", &out->t[out->n++]);
  if (!ok) fprintf(stderr, "snapshot of %s failed\n", dir);
  return ok;
}

void snapshot_free(struct snapshot *s) {
  for (size_t i = 0; i < s->n; i++) free(s->t[i].content);
  memset(s, 0, sizeof *s);
}

static const struct snap_table *find(const struct snapshot *s, const char *name) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
  return NULL;
}

/* What spec says about table: 'u' unchanged, '~' changed, '*' anything, '+'/'-' count. */
static char expectation(const char *spec, const char *table, long *delta) {
  if (!spec || strncmp(spec, "unchanged", 9) == 0) return 'u';
  size_t tlen = strlen(table);
  for (const char *line = spec; *line;) {
    size_t len = strcspn(line, "\n");
    if (len > tlen && strncmp(line, table, tlen) == 0 && line[tlen] == ' ') {
      const char *v = line + tlen + 1;
      if (*v == '~' || *v == '*') return *v;
      *delta = strtol(v, NULL, 10);
      return '+';
    }
    line += len + (line[len] == '\n');
  }
  return strcmp(table, "sqlite_sequence") == 0 ? '*' : 'u';
}

bool snapshot_expect(const struct snapshot *before, const struct snapshot *after,
                     const char *spec) {
  bool ok = true;
  for (size_t i = 0; i < after->n; i++) {
    const struct snap_table *a = &after->t[i], *b = find(before, a->name);
    long delta = 0;
    char want = expectation(spec, a->name, &delta);
    bool same = b && strcmp(a->content, b->content) == 0;
    long got = a->rows - (b ? b->rows : 0);
    if (want == 'u' && !same) {
      fprintf(stderr,
              "  store: %s changed (rows %+ld) but should not have\n--- before\n%s--- after\n%s",
              a->name, got, b ? b->content : "", a->content);
      ok = false;
    } else if (want == '~' && (same || got != 0)) {
      fprintf(stderr, "  store: %s should have changed with the same row count (rows %+ld, %s)\n",
              a->name, got, same ? "identical" : "different");
      ok = false;
    } else if (want == '+' && got != delta) {
      fprintf(stderr, "  store: %s rows changed by %+ld, expected %+ld\n", a->name, got, delta);
      ok = false;
    }
  }
  return ok;
}

bool snapshot_query_int(const char *dir, const char *sql, int64_t *out) {
  sqlite3 *db = open_ro(dir);
  if (!db) return false;
  sqlite3_stmt *st = NULL;
  bool ok =
      sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
  if (ok) *out = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}
