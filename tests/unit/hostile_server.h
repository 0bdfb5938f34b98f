/* A loopback HTTP server for tests of code that fetches from the outside world: it serves
 * documents the test sets (with ETag / 304, and counts hits), and misbehaves on fixed
 * paths:
 *   /stall        a few bytes, then nothing until the server stops
 *   /drip         one byte every 200 ms, forever
 *   /huge         50 MB of XML-ish text, no Content-Length
 *   /huge-declared  a Content-Length of 50 MB
 *   /gzip-bomb    64 MB of spaces, gzip-encoded (about 64 KB on the wire)
 *   /redirect-file  a redirect to file:///etc/passwd
 *   /redirect-loop  a redirect to itself
 *   /status/NNN   that status with a short body */
#ifndef TESTS_HOSTILE_SERVER_H
#define TESTS_HOSTILE_SERVER_H

#include <stddef.h>

struct hostile_server;

struct hostile_server *hostile_start(void); /* on 127.0.0.1, a free port; aborts on failure */
void hostile_stop(struct hostile_server *s);
/* base + path into out ("http://127.0.0.1:PORT/path"); returns out. */
const char *hostile_url(struct hostile_server *s, const char *path, char *out, size_t n);
/* Serve body (copied) at path from now on, with this Content-Type and ETag (NULL: none).
 * A request with a matching If-None-Match gets 304. */
void hostile_set(struct hostile_server *s, const char *path, const char *content_type,
                 const char *body, size_t len, const char *etag);
/* Answer path only after ms milliseconds (a slow server that does finish). */
void hostile_set_delay(struct hostile_server *s, const char *path, int ms);
/* The User-Agent of the last request for a document set with hostile_set ("" if none). */
void hostile_user_agent(struct hostile_server *s, const char *path, char *out, size_t n);
/* Requests answered so far, on every path. */
int hostile_requests(struct hostile_server *s);
/* Requests seen for path, and how many of them were answered 304. */
int hostile_hits(struct hostile_server *s, const char *path);
int hostile_not_modified(struct hostile_server *s, const char *path);

#endif
