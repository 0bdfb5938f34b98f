/* HTTP requests with libcurl, and the JSON subset check. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"

static size_t on_body(char *data, size_t size, size_t n, void *user) {
  hbuf_add(user, data, size * n);
  return size * n;
}

/* Keep only the last response's headers (a 100 Continue comes first). */
static size_t on_header(char *data, size_t size, size_t n, void *user) {
  struct hbuf *h = user;
  if (n * size >= 5 && strncmp(data, "HTTP/", 5) == 0) h->len = 0;
  hbuf_add(h, data, size * n);
  return size * n;
}

bool http_do(const char *url, const char *method, const char *path, const char *const *headers,
             const void *body, size_t body_len, struct response *r) {
  memset(r, 0, sizeof *r);
  CURL *c = curl_easy_init();
  if (!c) return false;
  char full[2048];
  snprintf(full, sizeof full, "%s%s", url, path);
  struct curl_slist *hl = NULL;
  for (; headers && *headers; headers++) hl = curl_slist_append(hl, *headers);
  curl_easy_setopt(c, CURLOPT_URL, full);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  if (strcmp(method, "HEAD") == 0) curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)H_DEADLINE_MS);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
  curl_slist_free_all(hl);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    fprintf(stderr, "%s %s: %s\n", method, path, curl_easy_strerror(rc));
    return false;
  }
  if (!r->body.data) hbuf_add(&r->body, "", 0);
  if (!r->headers.data) hbuf_add(&r->headers, "", 0);
  r->json = json_loadb(r->body.data, r->body.len, 0, NULL);
  return true;
}

void response_free(struct response *r) {
  hbuf_free(&r->body);
  hbuf_free(&r->headers);
  json_decref(r->json);
  r->json = NULL;
}

bool response_header(const struct response *r, const char *name, char *out, size_t size) {
  size_t nlen = strlen(name);
  for (const char *line = r->headers.data; line && *line;) {
    const char *end = strstr(line, "\r\n");
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
      const char *v = line + nlen + 1;
      while (*v == ' ') v++;
      snprintf(out, size, "%.*s", (int)(line + len - v), v);
      return true;
    }
    line = end ? end + 2 : line + len;
  }
  return false;
}

json_t *api_call(const struct server *s, const char *token, const char *method, const char *path,
                 const char *json_body, long *status) {
  char auth[256];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
  const char *headers[] = {auth, "Content-Type: application/json", NULL};
  struct response r;
  *status = 0;
  if (!http_do(s->url, method, path, headers, json_body, json_body ? strlen(json_body) : 0, &r))
    return NULL;
  *status = r.status;
  json_t *j = json_incref(r.json);
  response_free(&r);
  return j;
}

static bool is_marker(const json_t *v, const char *marker) {
  return json_is_string(v) && strcmp(json_string_value(v), marker) == 0;
}

bool json_subset(const json_t *expected, const json_t *actual, const char *path) {
  char sub[512];
  if (is_marker(expected, "%ANY%")) {
    if (actual) return true;
    fprintf(stderr, "  at %s: expected a value, got nothing\n", path);
    return false;
  }
  if (!actual || json_typeof(expected) != json_typeof(actual)) {
    char *want = json_dumps(expected, JSON_COMPACT | JSON_ENCODE_ANY);
    char *got = actual ? json_dumps(actual, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    fprintf(stderr, "  at %s: expected %s, got %s\n", path, want, got ? got : "nothing");
    free(want);
    free(got);
    return false;
  }
  if (json_is_object(expected)) {
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)expected, key, v) {
      snprintf(sub, sizeof sub, "%s.%s", path, key);
      json_t *a = json_object_get(actual, key);
      if (is_marker(v, "%ABSENT%")) {
        if (a) {
          fprintf(stderr, "  at %s: expected no such member\n", sub);
          return false;
        }
        continue;
      }
      if (!json_subset(v, a, sub)) return false;
    }
    return true;
  }
  if (json_is_array(expected)) {
    if (json_array_size(expected) != json_array_size(actual)) {
      fprintf(stderr, "  at %s: expected %zu elements, got %zu\n", path, json_array_size(expected),
              json_array_size(actual));
      return false;
    }
    for (size_t i = 0; i < json_array_size(expected); i++) {
      snprintf(sub, sizeof sub, "%s[%zu]", path, i);
      if (!json_subset(json_array_get(expected, i), json_array_get(actual, i), sub)) return false;
    }
    return true;
  }
  if (json_equal((json_t *)expected, (json_t *)actual)) return true;
  char *want = json_dumps(expected, JSON_COMPACT | JSON_ENCODE_ANY);
  char *got = json_dumps(actual, JSON_COMPACT | JSON_ENCODE_ANY);
  fprintf(stderr, "  at %s: expected %s, got %s\n", path, want, got);
  free(want);
  free(got);
  return false;
}
