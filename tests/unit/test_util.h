/* Small helpers shared by the data-driven unit tests. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <jansson.h>
#include <stddef.h>

/* The sorted list of files in dir ending in suffix; *n gets the count. Free with
 * test_free_list. Fails the test if dir cannot be read or holds no such file. */
char **test_list_files(const char *dir, const char *suffix, size_t *n);
void test_free_list(char **list, size_t n);

/* A whole file, NUL-terminated (caller frees; fails the test on error). */
char *test_read_file(const char *path, size_t *len);

/* Load a JSON file (fails the test on error). New reference. */
json_t *test_load_json(const char *path);

#endif
