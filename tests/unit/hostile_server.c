/* The misbehaving loopback server of hostile_server.h (libmicrohttpd, a thread per
 * connection so a stalled response does not hold up the others). */
#include "hostile_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define MAX_DOCS 32
#define HUGE_BYTES (50u * 1024 * 1024)
#define BOMB_BYTES (64u * 1024 * 1024)

struct doc {
  char *path, *type, *etag, *body;
  size_t len;
  int hits, not_modified, delay_ms;
  char user_agent[256];
};

struct hostile_server {
  struct MHD_Daemon *daemon;
  int port;
  pthread_mutex_t lock;
  struct doc docs[MAX_DOCS];
  size_t n_docs;
  atomic_bool stopping;
  atomic_int requests;
  unsigned char *bomb; /* gzip of BOMB_BYTES spaces, made on the first request for it */
  size_t bomb_len;
};

static void make_bomb(struct hostile_server *s);

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static struct doc *find_doc(struct hostile_server *s, const char *path) {
  for (size_t i = 0; i < s->n_docs; i++)
    if (strcmp(s->docs[i].path, path) == 0) return &s->docs[i];
  return NULL;
}

static ssize_t stall_reader(void *cls, uint64_t pos, char *buf, size_t max) {
  struct hostile_server *s = cls;
  if (pos == 0 && max >= 16) {
    memcpy(buf, "<?xml version=\"1.0\"?>", 16);
    return 16;
  }
  while (!atomic_load(&s->stopping)) sleep_ms(20);
  return MHD_CONTENT_READER_END_OF_STREAM;
}

static ssize_t drip_reader(void *cls, uint64_t pos, char *buf, size_t max) {
  struct hostile_server *s = cls;
  (void)pos;
  if (atomic_load(&s->stopping) || max == 0) return MHD_CONTENT_READER_END_OF_STREAM;
  sleep_ms(200);
  buf[0] = ' ';
  return 1;
}

static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max) {
  struct hostile_server *s = cls;
  if (atomic_load(&s->stopping) || pos >= HUGE_BYTES) return MHD_CONTENT_READER_END_OF_STREAM;
  size_t n = max;
  if (n > HUGE_BYTES - pos) n = (size_t)(HUGE_BYTES - pos);
  for (size_t i = 0; i < n; i++) buf[i] = "<item>x</item>\n"[(pos + i) % 15];
  return (ssize_t)n;
}

static struct MHD_Response *redirect(const char *to) {
  struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  MHD_add_response_header(r, "Location", to);
  return r;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **req) {
  struct hostile_server *s = cls;
  (void)method, (void)version, (void)upload, (void)upload_len;
  if (!*req) { /* first call: headers only */
    *req = (void *)1;
    return MHD_YES;
  }
  atomic_fetch_add(&s->requests, 1);
  unsigned status = MHD_HTTP_OK;
  struct MHD_Response *r = NULL;
  char self[64];
  if (strcmp(url, "/stall") == 0) {
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, stall_reader, s, NULL);
  } else if (strcmp(url, "/drip") == 0) {
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64, drip_reader, s, NULL);
  } else if (strcmp(url, "/huge") == 0) {
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, huge_reader, s, NULL);
  } else if (strcmp(url, "/huge-declared") == 0) {
    r = MHD_create_response_from_callback(HUGE_BYTES, 64 * 1024, huge_reader, s, NULL);
  } else if (strcmp(url, "/gzip-bomb") == 0) {
    pthread_mutex_lock(&s->lock); /* most tests never ask: 0.6 s of zlib saved */
    if (!s->bomb) make_bomb(s);
    pthread_mutex_unlock(&s->lock);
    r = MHD_create_response_from_buffer(s->bomb_len, s->bomb, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Encoding", "gzip");
    MHD_add_response_header(r, "Content-Type", "application/rss+xml");
  } else if (strcmp(url, "/redirect-file") == 0) {
    status = MHD_HTTP_FOUND;
    r = redirect("file:///etc/passwd");
  } else if (strcmp(url, "/redirect-loop") == 0) {
    status = MHD_HTTP_FOUND;
    snprintf(self, sizeof self, "http://127.0.0.1:%d/redirect-loop", s->port);
    r = redirect(self);
  } else if (strncmp(url, "/status/", 8) == 0) {
    status = (unsigned)atoi(url + 8);
    r = MHD_create_response_from_buffer(6, (void *)"status", MHD_RESPMEM_PERSISTENT);
  } else {
    pthread_mutex_lock(&s->lock);
    struct doc *d = find_doc(s, url);
    int delay = d ? d->delay_ms : 0;
    if (d) { /* counted on arrival, so a test can act while the answer is delayed */
      d->hits++;
      const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
      snprintf(d->user_agent, sizeof d->user_agent, "%s", ua ? ua : "");
    }
    pthread_mutex_unlock(&s->lock);
    if (delay) sleep_ms(delay); /* a thread per connection: only this answer waits */
    pthread_mutex_lock(&s->lock);
    d = find_doc(s, url);
    if (!d) {
      status = MHD_HTTP_NOT_FOUND;
      r = MHD_create_response_from_buffer(9, (void *)"not found", MHD_RESPMEM_PERSISTENT);
    } else {
      const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
      if (d->etag && inm && strcmp(inm, d->etag) == 0) {
        d->not_modified++;
        status = MHD_HTTP_NOT_MODIFIED;
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
      } else {
        r = MHD_create_response_from_buffer(d->len, d->body, MHD_RESPMEM_MUST_COPY);
        if (d->type) MHD_add_response_header(r, "Content-Type", d->type);
      }
      if (d->etag) MHD_add_response_header(r, "ETag", d->etag);
    }
    pthread_mutex_unlock(&s->lock);
  }
  enum MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static void make_bomb(struct hostile_server *s) {
  z_stream z = {0};
  /* windowBits 15 + 16: a gzip wrapper, which is what Content-Encoding: gzip means */
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) abort();
  size_t cap = BOMB_BYTES / 500;
  s->bomb = malloc(cap);
  static unsigned char spaces[1 << 16];
  memset(spaces, ' ', sizeof spaces);
  z.next_out = s->bomb;
  z.avail_out = (uInt)cap;
  for (size_t done = 0; done < BOMB_BYTES; done += sizeof spaces) {
    z.next_in = spaces;
    z.avail_in = sizeof spaces;
    if (deflate(&z, Z_NO_FLUSH) != Z_OK) abort();
  }
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) abort();
  s->bomb_len = cap - z.avail_out;
  deflateEnd(&z);
}

struct hostile_server *hostile_start(void) {
  struct hostile_server *s = calloc(1, sizeof *s);
  if (!s) abort();
  pthread_mutex_init(&s->lock, NULL);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                               0, NULL, NULL, answer, s, MHD_OPTION_SOCK_ADDR, &addr,
                               MHD_OPTION_END);
  if (!s->daemon) abort();
  s->port = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
  return s;
}

void hostile_stop(struct hostile_server *s) {
  atomic_store(&s->stopping, true);
  MHD_stop_daemon(s->daemon);
  for (size_t i = 0; i < s->n_docs; i++) {
    free(s->docs[i].path);
    free(s->docs[i].type);
    free(s->docs[i].etag);
    free(s->docs[i].body);
  }
  free(s->bomb);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

const char *hostile_url(struct hostile_server *s, const char *path, char *out, size_t n) {
  snprintf(out, n, "http://127.0.0.1:%d%s", s->port, path);
  return out;
}

static char *dup_or_null(const char *v) { return v ? strdup(v) : NULL; }

void hostile_set(struct hostile_server *s, const char *path, const char *content_type,
                 const char *body, size_t len, const char *etag) {
  pthread_mutex_lock(&s->lock);
  struct doc *d = find_doc(s, path);
  if (!d) {
    if (s->n_docs == MAX_DOCS) abort();
    d = &s->docs[s->n_docs++];
    d->path = strdup(path);
  }
  free(d->type);
  free(d->etag);
  free(d->body);
  d->type = dup_or_null(content_type);
  d->etag = dup_or_null(etag);
  d->body = malloc(len + 1);
  memcpy(d->body, body, len);
  d->len = len;
  pthread_mutex_unlock(&s->lock);
}

void hostile_set_delay(struct hostile_server *s, const char *path, int ms) {
  pthread_mutex_lock(&s->lock);
  struct doc *d = find_doc(s, path);
  if (d) d->delay_ms = ms;
  pthread_mutex_unlock(&s->lock);
}

static int doc_count(struct hostile_server *s, const char *path, bool not_modified) {
  pthread_mutex_lock(&s->lock);
  struct doc *d = find_doc(s, path);
  int n = d ? (not_modified ? d->not_modified : d->hits) : 0;
  pthread_mutex_unlock(&s->lock);
  return n;
}

void hostile_user_agent(struct hostile_server *s, const char *path, char *out, size_t n) {
  pthread_mutex_lock(&s->lock);
  struct doc *d = find_doc(s, path);
  snprintf(out, n, "%s", d ? d->user_agent : "");
  pthread_mutex_unlock(&s->lock);
}

int hostile_requests(struct hostile_server *s) { return atomic_load(&s->requests); }

int hostile_hits(struct hostile_server *s, const char *path) { return doc_count(s, path, false); }
int hostile_not_modified(struct hostile_server *s, const char *path) {
  return doc_count(s, path, true);
}
