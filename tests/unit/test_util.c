#include "test_util.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fsutil.h"

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **test_list_files(const char *dir, const char *suffix, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) fail_msg("cannot open %s", dir);
  char **list = NULL;
  size_t count = 0, slen = strlen(suffix);
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t len = strlen(e->d_name);
    if (len <= slen || strcmp(e->d_name + len - slen, suffix) != 0) continue;
    list = realloc(list, (count + 1) * sizeof *list);
    size_t need = strlen(dir) + len + 2;
    list[count] = malloc(need);
    snprintf(list[count], need, "%s/%s", dir, e->d_name);
    count++;
  }
  closedir(d);
  if (count == 0) fail_msg("no *%s files in %s", suffix, dir);
  qsort(list, count, sizeof *list, cmp_str);
  *n = count;
  return list;
}

void test_free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++) free(list[i]);
  free(list);
}

char *test_read_file(const char *path, size_t *len) {
  char *buf = NULL;
  struct vt_error err = {0};
  if (vt_read_file(path, 64u << 20, &buf, len, &err) != VT_OK)
    fail_msg("cannot read %s: %s", path, err.message);
  return buf;
}

json_t *test_load_json(const char *path) {
  json_error_t je;
  json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!j) fail_msg("%s:%d: %s", path, je.line, je.text);
  return j;
}
