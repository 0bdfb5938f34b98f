/* End-to-end harness: starts the real vitrine-manager and vitrine-player binaries on
 * loopback, talks to them with a real HTTP client (libcurl), and reads the player's
 * snapshot PNGs pixel by pixel. Every wait has a deadline; nothing sleeps blindly. */
#ifndef E2E_HARNESS_H
#define E2E_HARNESS_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <SDL.h>

/* Abort the test with a message (exit 1) */
#define E2E_FAIL(...) e2e_fail(__FILE__, __LINE__, __VA_ARGS__)
#define E2E_CHECK(cond, ...)    \
  do {                          \
    if (!(cond)) E2E_FAIL(__VA_ARGS__); \
  } while (0)
void e2e_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* A fresh temp dir under $TMPDIR, removed by e2e_cleanup. */
const char *e2e_tmpdir(void);
void e2e_path(char *out, size_t size, const char *name); /* tmpdir/name */

struct e2e_proc {
  pid_t pid;
  int out_fd;        /* child's stdout, non-blocking */
  char buf[65536];   /* unread stdout bytes */
  size_t len;
  char name[32];
};

/* Start argv (NULL-terminated) with stdout piped to us; stderr goes to tmpdir/NAME.log. */
void e2e_spawn(struct e2e_proc *p, const char *name, char *const argv[]);
/* Next stdout line within timeout_ms (without the newline); false on timeout or EOF. */
bool e2e_read_line(struct e2e_proc *p, char *line, size_t size, int timeout_ms);
/* SIGTERM, wait up to 5 s, then SIGKILL. Returns the exit status (or -1 if killed). */
int e2e_stop(struct e2e_proc *p);
void e2e_kill9(struct e2e_proc *p);
bool e2e_alive(struct e2e_proc *p);

/* Run a command to completion; its stdout (trimmed) into out. Returns exit status. */
int e2e_run(char *const argv[], char *out, size_t size);

/* The manager on 127.0.0.1 with a free port, data in tmpdir/DATA_NAME. */
struct e2e_manager {
  struct e2e_proc proc;
  char data[512];
  char url[128];
};
void e2e_manager_start(struct e2e_manager *m, const char *data_name);
/* The same, on a given port (0: any free one), so a restarted manager keeps its URL. */
void e2e_manager_start_port(struct e2e_manager *m, const char *data_name, int port);
/* A loopback port that was free a moment ago. */
int e2e_free_port(void);
/* An API token of the given role, via `vitrine-manager token create`. */
void e2e_token(const struct e2e_manager *m, const char *role, char *out, size_t size);

/* HTTP via libcurl. Returns the status; *body_out (may be NULL) gets the response body. */
struct e2e_response {
  long status;
  char *body;
  size_t len;
};
void e2e_http(const char *method, const char *url, const char *token, const char *content_type,
              const void *body, size_t body_len, struct e2e_response *resp);
void e2e_response_free(struct e2e_response *r);
/* JSON request to the manager; fails the test unless the status is want_status. Returns the
 * parsed body (new reference; NULL for an empty body). */
json_t *e2e_api(const struct e2e_manager *m, const char *method, const char *path,
                const char *token, const char *json_body, long want_status);

/* e2e_api with a printf-formatted body. */
json_t *e2e_apif(const struct e2e_manager *m, const char *method, const char *path,
                 const char *token, long want_status, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
json_t *e2e_vapif(const struct e2e_manager *m, const char *method, const char *path,
                  const char *token, long want_status, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* Write a file whole (fails the test on error). */
void e2e_write_file(const char *path, const void *data, size_t len);
void e2e_write_text(const char *path, const char *text);

/* A pixel of a 32-bit snapshot surface as 0xRRGGBB-ordered bits of its format, and the
 * difference of two such pixels (sum over the three channels, 0..765). */
Uint32 e2e_pixel(SDL_Surface *s, int x, int y);
int e2e_color_diff(Uint32 a, Uint32 b);

/* A solid-colour PNG of w x h, in memory (caller frees). */
void *e2e_make_png(int w, int h, uint32_t rgb, size_t *len);

/* The player. */
#define E2E_PLAYER_BIN VT_PLAYER_BIN
/* Wait until a {"event":"presented","version":V} line with V >= min_version arrives;
 * returns V (fails the test on timeout). */
int64_t e2e_wait_presented(struct e2e_proc *player, int64_t min_version, int timeout_ms);
/* A "presented" event: the first frame of a manifest version or of a new layout. */
struct e2e_presented {
  int64_t version;
  int64_t layout; /* layout id on screen, 0 for none (the waiting screen) */
  int64_t at_ms;  /* the timeline instant shown (differs from t_ms under --clock) */
  int64_t t_ms;   /* the player's real wall clock when it presented */
};
/* Wait for a "presented" event with version >= min_version and, if layout > 0, that layout on
 * screen; fills *ev (may be NULL). Fails the test on timeout. */
void e2e_wait_presented_layout(struct e2e_proc *player, int64_t min_version, int64_t layout,
                               int timeout_ms, struct e2e_presented *ev);
/* Wait for a line containing needle; false on timeout. */
bool e2e_wait_line(struct e2e_proc *p, const char *needle, char *line, size_t size, int timeout_ms);

/* PNG inspection. */
SDL_Surface *e2e_load_png(const char *path); /* ARGB8888; fails the test if unreadable */
/* Fraction (0..1) of pixels in the rect whose colour is within tol of rgb per channel. */
double e2e_fraction(SDL_Surface *s, int x, int y, int w, int h, uint32_t rgb, int tol);
/* Fraction of pixels in the rect that differ from rgb by more than tol (e.g. text ink). */
double e2e_fraction_not(SDL_Surface *s, int x, int y, int w, int h, uint32_t rgb, int tol);

/* Wait until path exists and is newer than after_mtime_ns (0: just exists). */
bool e2e_wait_file(const char *path, int64_t after_mtime_ns, int timeout_ms);
int64_t e2e_mtime_ns(const char *path); /* 0 if absent */

int64_t e2e_now_ms(void);  /* monotonic */
int64_t e2e_wall_ms(void); /* real-time clock, comparable with the player's t_ms */
void e2e_sleep_ms(int ms); /* only for pacing a changing world, never to wait for a result */

/* Remove the temp dir unless E2E_KEEP is set; stops nothing (stop processes first). */
void e2e_cleanup(void);

#endif
