/* `weather check FILE-or-URL` and `currency check FILE-or-URL`: what weather.c and
 * currency.c make of a document, as one JSON object on stdout, for owners debugging a source
 * and for tests. Exit 0 when parsed; 2 when the document is not one the parser knows (the
 * reason on stderr) or the arguments are wrong; 1 when it cannot be read or fetched. */
#define _GNU_SOURCE /* strcasestr */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "commands.h"
#include "currency.h"
#include "vt_limits.h"
#include "weather.h"

struct doc {
  struct vt_buf body;
  char charset[64]; /* from the HTTP Content-Type, "" when none */
  bool too_large;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx) {
  struct doc *d = ctx;
  size_t len = size * n;
  if (d->body.len + len > VT_LIMIT_XML_BYTES) {
    d->too_large = true;
    return 0; /* aborts the transfer */
  }
  return vt_buf_append(&d->body, p, len) == VT_OK ? len : 0;
}

/* The charset parameter of a Content-Type value. */
static void content_charset(const char *ct, char *out, size_t size) {
  out[0] = '\0';
  const char *p = ct ? strcasestr(ct, "charset=") : NULL;
  if (!p) return;
  p += 8;
  if (*p == '"') p++;
  size_t n = strcspn(p, "\"; \t");
  if (n >= size) return;
  memcpy(out, p, n);
  out[n] = '\0';
}

static bool fetch(const char *url, struct doc *d) {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "vitrine-manager: libcurl failed to start\n");
    return false;
  }
  CURL *c = curl_easy_init();
  bool ok = false;
  char errbuf[CURL_ERROR_SIZE] = "";
  if (c) {
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)VT_WEATHER_FETCH_REDIRECTS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, WEATHER_USER_AGENT);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip: MET asks for it */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)VT_WEATHER_FETCH_CONNECT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)VT_WEATHER_FETCH_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)VT_LIMIT_XML_BYTES);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, d);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    content_charset(ct, d->charset, sizeof d->charset);
    if (d->too_large || rc == CURLE_FILESIZE_EXCEEDED)
      fprintf(stderr, "vitrine-manager: %s: larger than %d bytes\n", url, VT_LIMIT_XML_BYTES);
    else if (rc != CURLE_OK)
      fprintf(stderr, "vitrine-manager: %s: %s\n", url, *errbuf ? errbuf : curl_easy_strerror(rc));
    else if (status != 200)
      fprintf(stderr, "vitrine-manager: %s: HTTP status %ld\n", url, status);
    else
      ok = true;
    curl_easy_cleanup(c);
  }
  curl_global_cleanup();
  return ok;
}

static bool read_file(const char *path, struct doc *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "vitrine-manager: %s: %s\n", path, strerror(errno));
    return false;
  }
  char buf[65536];
  size_t n;
  bool ok = true;
  while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (d->body.len + n > VT_LIMIT_XML_BYTES) {
      fprintf(stderr, "vitrine-manager: %s: larger than %d bytes\n", path, VT_LIMIT_XML_BYTES);
      ok = false;
    } else if (vt_buf_append(&d->body, buf, n) != VT_OK) {
      fprintf(stderr, "vitrine-manager: out of memory\n");
      ok = false;
    }
  }
  if (ok && ferror(f)) {
    fprintf(stderr, "vitrine-manager: %s: read error\n", path);
    ok = false;
  }
  fclose(f);
  return ok;
}

/* The document named by the one positional argument. Returns 0 or an exit status. */
static int load(const struct config *cfg, const char *what, struct doc *d) {
  memset(d, 0, sizeof *d);
  if (cfg->n_args != 1) {
    fprintf(stderr, "usage: vitrine-manager %s check FILE-or-URL\n", what);
    return EXIT_USAGE;
  }
  const char *src = cfg->args[0];
  bool url = strncasecmp(src, "http://", 7) == 0 || strncasecmp(src, "https://", 8) == 0;
  if (!(url ? fetch(src, d) : read_file(src, d))) {
    vt_buf_free(&d->body);
    return 1;
  }
  return 0;
}

/* Print obj (stolen) on stdout; reals with enough digits to round-trip the source's text. */
static int print(json_t *obj) {
  if (!obj) {
    fprintf(stderr, "vitrine-manager: out of memory\n");
    return 1;
  }
  int rc = json_dumpf(obj, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) == 0 ? 0 : 1;
  json_decref(obj);
  if (rc == 0) fputc('\n', stdout);
  return fflush(stdout) == 0 ? rc : 1;
}

/* Exit status for a parse failure: 2 for "not such a document", 1 for the rest. */
static int failed(const char *src, const struct vt_error *err) {
  fprintf(stderr, "vitrine-manager: %s: %s\n", src, err->message);
  return err->code == VT_ERR_INVALID ? EXIT_USAGE : 1;
}

int cli_weather_check(const struct config *cfg) {
  struct doc d;
  int rc = load(cfg, "weather", &d);
  if (rc != 0) return rc;
  struct vt_error err = {0};
  struct weather *w = weather_parse(d.body.data ? d.body.data : "", d.body.len,
                                    d.charset[0] ? d.charset : NULL, &err);
  vt_buf_free(&d.body);
  if (!w) return failed(cfg->args[0], &err);
  json_t *warnings = json_array();
  for (size_t i = 0; warnings && i < w->n_warnings; i++)
    json_array_append_new(warnings, json_string(w->warnings[i]));
  json_t *out = warnings ? json_pack("{s:s,s:b,s:o,s:o}", "format",
                                     weather_format_name(w->format), "recovered", w->recovered,
                                     "warnings", warnings, "data", weather_to_json(w))
                         : NULL;
  weather_free(w);
  return print(out);
}

int cli_currency_check(const struct config *cfg) {
  struct doc d;
  int rc = load(cfg, "currency", &d);
  if (rc != 0) return rc;
  struct vt_error err = {0};
  struct currency *c = currency_parse(d.body.data ? d.body.data : "", d.body.len,
                                      d.charset[0] ? d.charset : NULL, &err);
  vt_buf_free(&d.body);
  if (!c) return failed(cfg->args[0], &err);
  json_t *out = json_pack("{s:s,s:o}", "format", "ecb-eurofxref", "data", currency_to_json(c));
  currency_free(c);
  return print(out);
}
