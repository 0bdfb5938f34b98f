/* A tiny HTTP/1.1 server on 127.0.0.1 for the player's sync tests: one thread accepts, one
 * thread per connection reads requests and hands each to the test's handler, which writes
 * the raw response itself (so it can truncate, corrupt, stall or stream). Loopback only. */
#ifndef PLAYER_SYNC_STUB_H
#define PLAYER_SYNC_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stub_request {
  char method[16];
  char path[512];
  char range[128];         /* Range header value, "" if none */
  char auth[512];          /* Authorization header value */
  char if_none_match[512]; /* If-None-Match header value */
};

struct stub;

/* handle runs on a connection thread (several may run at once) and writes the whole
 * response to fd. It returns true to keep the connection open for the next request (only
 * valid when the response was framed by Content-Length). NULL if the server cannot start. */
struct stub *stub_start(bool (*handle)(struct stub *srv, void *user, const struct stub_request *req,
                                       int fd),
                        void *user);
/* Shut every connection down, join every thread, free. NULL is a no-op. */
void stub_stop(struct stub *s);

const char *stub_url(const struct stub *s); /* "http://127.0.0.1:<port>", lives as long as s */
bool stub_stopping(const struct stub *s);
int stub_request_count(const struct stub *s); /* requests received so far */

/* For handlers: write all of buf (false if the peer went away). */
bool stub_write(int fd, const void *buf, size_t len);
/* A complete response with Content-Length; extra_headers ("Name: v\r\n"...) may be NULL. */
bool stub_reply(int fd, int status, const char *extra_headers, const void *body, size_t len);
/* Block until the peer closes fd, the server stops, or ms pass; true if the peer closed. */
bool stub_wait_closed(const struct stub *s, int fd, int ms);

/* Poll cond(arg) every few milliseconds until it holds or ms pass; its last value. */
bool stub_wait_for(bool (*cond)(void *arg), void *arg, int ms);

#endif
