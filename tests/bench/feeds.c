/* feeds-bench N [DIR]: parse every feed of the corpus (../shared/testdata/feeds) N times with
 * feed_parse and print items/s; then run Python's feedparser (feedparser_bench.py, Debian
 * python3-feedparser) on the same files in the same run and print the ratio.
 * Without feedparser the ratio line says so and the exit status is still 0, so the smoke
 * test only checks that our side runs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed_parse.h"
#include "fsutil.h"
#include "timeutil.h"

struct doc {
  char *data;
  size_t len;
};

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus files, sorted, read into memory once. */
static struct doc *load(const char *dir, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) return NULL;
  char **names = NULL;
  size_t count = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (l < 5 || strcmp(e->d_name + l - 4, ".xml")) continue;
    char **g = realloc(names, (count + 1) * sizeof *g);
    if (!g) break;
    names = g;
    names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, count, sizeof *names, cmp_name);
  struct doc *docs = calloc(count ? count : 1, sizeof *docs);
  for (size_t i = 0; i < count; i++) {
    char path[4096];
    struct vt_error err;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (vt_read_file(path, 64u << 20, &docs[i].data, &docs[i].len, &err) != VT_OK)
      fprintf(stderr, "%s: %s\n", path, err.message);
    free(names[i]);
  }
  free(names);
  *n = count;
  return docs;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20;
  const char *dir = argc > 2 ? argv[2] : VT_SHARED_TESTDATA_DIR "/feeds";
  if (n < 1) {
    fprintf(stderr, "usage: feeds-bench N [DIR]\n");
    return 2;
  }
  size_t nd = 0;
  struct doc *docs = load(dir, &nd);
  if (!docs || nd == 0) {
    fprintf(stderr, "feeds-bench: no feeds in %s\n", dir);
    return 1;
  }
  size_t items = 0, refused = 0, bytes = 0;
  int64_t t0 = vt_mono_us();
  for (int r = 0; r < n; r++) {
    items = refused = bytes = 0;
    for (size_t i = 0; i < nd; i++) {
      struct feed *f = NULL;
      struct vt_error err;
      bytes += docs[i].len;
      if (feed_parse(docs[i].data ? docs[i].data : "", docs[i].len, NULL, NULL, &f, &err) !=
          VT_OK) {
        refused++;
        continue;
      }
      items += f->n_items;
      feed_free(f);
    }
  }
  double secs = (double)(vt_mono_us() - t0) / 1e6;
  double ours = secs > 0 ? (double)items * n / secs : 0;
  printf(
      "vitrine feed_parse: %zu docs (%zu KiB, %zu not feeds), %zu items per pass, %d passes, "
      "%.3f s: %.0f items/s, %.0f docs/s\n",
      nd, bytes / 1024, refused, items, n, secs, ours, (double)nd * n / secs);
  for (size_t i = 0; i < nd; i++) free(docs[i].data);
  free(docs);

  /* feedparser on the same files, same pass count */
  const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' %d", py, VT_FEEDPARSER_BENCH, dir, n);
  FILE *p = popen(cmd, "r");
  char line[512] = "";
  if (p) {
    if (!fgets(line, sizeof line, p)) line[0] = '\0';
    pclose(p);
  }
  const char *rate = strstr(line, "items_per_s=");
  if (!rate) {
    printf("feedparser: not run (%s)\n", py);
    return 0;
  }
  double theirs = atof(rate + 12);
  line[strcspn(line, "\n")] = '\0';
  printf("python feedparser: %s\n", line);
  if (theirs > 0) printf("ratio: %.1fx feedparser's items/s\n", ours / theirs);
  return 0;
}
