/* Right-to-left text through the real player's headless snapshots (--manifest, --snapshot):
 * text items drawn by the player, and words of them drawn alone as separate text items; the
 * words are found, pixel for pixel, inside the full text (text_match.h), and their places
 * checked:
 *   (a) a long Persian paragraph (align start) wraps onto several lines with its FIRST words
 *       on the TOP line, against the RIGHT edge;
 *   (b) "قهوهٔ Lavazza تازه": "Lavazza" is found whole (its letters left to right) inside the
 *       line, "قهوهٔ" (first in reading order) to its right and "تازه" to its left;
 *   (c) Arabic with Latin digits and with Arabic-Indic digits: "25" and "٢٥" are found whole
 *       (the digits keep their order) between "السعر" on the right and "ريالا" on the left. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "text_match.h"

#define PARA                                                                                   \
  "امروز در کافهٔ ما قهوهٔ تازه با شیرینی خانگی سرو می‌شود و از صبح تا شب همهٔ مهمانان با "    \
  "لبخند پذیرایی می‌شوند"
#define PARA_WIDTH 520
#define SIZE 32

/* Texts: the full ones first (regions sized as below), then the pieces alone. */
static const struct {
  const char *text;
  int width, height; /* region */
  const char *align;
} texts[] = {
    {PARA, PARA_WIDTH, 600, "start"},        /* 0 (a): tall enough not to shrink */
    {"قهوهٔ Lavazza تازه", 1280, 100, "center"}, /* 1 (b) */
    {"السعر 25 ريالا", 1280, 100, "center"},    /* 2 (c) */
    {"السعر ٢٥ ريالا", 1280, 100, "center"},    /* 3 */
    {"امروز در کافهٔ", 1280, 100, "center"},   /* 4: the paragraph's first words */
    {"Lavazza", 1280, 100, "center"},          /* 5 */
    {"قهوهٔ", 1280, 100, "center"},             /* 6 */
    {"تازه", 1280, 100, "center"},              /* 7 */
    {"25", 1280, 100, "center"},               /* 8 */
    {"٢٥", 1280, 100, "center"},               /* 9 */
    {"السعر", 1280, 100, "center"},             /* 10 */
    {"ريالا", 1280, 100, "center"},             /* 11 */
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

static SDL_Surface *shot;
static struct tm_box region[N_TEXTS], ink[N_TEXTS];

/* Where piece is inside full's region: its x; fails unless found exactly once. */
static int find_in(size_t piece, size_t full, int *y) {
  int x = 0, yy = 0;
  int n = tm_find_tol(shot, region[full], shot, ink[piece], TM_IN_RUN, &x, &yy);
  printf("'%s' in '%.40s': found %d, at x %d y %d\n", texts[piece].text, texts[full].text, n, x, yy);
  E2E_CHECK(n == 1, "'%s' found %d times in '%s' (want once)", texts[piece].text, n,
            texts[full].text);
  if (y) *y = yy;
  return x;
}

/* Piece a is left of piece b (whole: a ends before b starts), both inside full. */
static void left_of(size_t a, size_t b, size_t full) {
  int xa = find_in(a, full, NULL), xb = find_in(b, full, NULL);
  E2E_CHECK(xa + ink[a].w <= xb, "'%s' (x %d..%d) is not left of '%s' (x %d) in '%s'",
            texts[a].text, xa, xa + ink[a].w, texts[b].text, xb, texts[full].text);
}

int main(void) {
  char dir[512], manifest[700], png[700];
  e2e_path(dir, sizeof dir, "rtl");
  E2E_CHECK(mkdir(dir, 0755) == 0, "mkdir");
  snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
  size_t cap = 65536;
  char *j = malloc(cap);
  E2E_CHECK(j != NULL, "malloc");
  int o = snprintf(j, cap, "{\"format\":1,\"version\":1,\"display\":{\"name\":\"rtl\"},"
                           "\"default_layout\":1,\"playlists\":[");
  for (size_t i = 0; i < N_TEXTS; i++)
    o += snprintf(j + o, cap - (size_t)o,
                  "%s{\"id\":%zu,\"items\":[{\"type\":\"text\",\"duration_ms\":60000,"
                  "\"text\":\"%s\",\"style\":{\"size_px\":%d,\"align\":\"%s\"}}]}",
                  i ? "," : "", i + 1, texts[i].text, SIZE, texts[i].align);
  int y = 0;
  for (size_t i = 0; i < N_TEXTS; i++) {
    region[i] = (struct tm_box){0, y, texts[i].width, texts[i].height};
    y += texts[i].height;
  }
  o += snprintf(j + o, cap - (size_t)o,
                "],\"layouts\":[{\"id\":1,\"width\":1280,\"height\":%d,\"background\":\"#000000\","
                "\"regions\":[", y);
  for (size_t i = 0; i < N_TEXTS; i++)
    o += snprintf(j + o, cap - (size_t)o,
                  "%s{\"name\":\"r%zu\",\"x\":0,\"y\":%d,\"width\":%d,\"height\":%d,\"playlist\":%zu}",
                  i ? "," : "", i, region[i].y, region[i].w, region[i].h, i + 1);
  snprintf(j + o, cap - (size_t)o, "]}]}");
  e2e_write_text(manifest, j);
  free(j);

  snprintf(png, sizeof png, "%s/rtl.png", dir);
  char out[4096];
  char *argv[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--headless", "--snapshot", png,
                  "--at", "2026-11-23T10:00:00Z", NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "snapshot failed: %s", out);
  shot = e2e_load_png(png);
  for (size_t i = 0; i < N_TEXTS; i++) {
    ink[i] = tm_ink(shot, region[i], 0);
    E2E_CHECK(ink[i].w > 0, "'%s' drew nothing", texts[i].text);
  }

  /* (a) the paragraph wraps, and starts at the top right */
  int line_h = ink[4].h; /* at least one line's ink */
  printf("paragraph ink %dx%d at %d,%d (one line of words: %d px high)\n", ink[0].w, ink[0].h,
         ink[0].x, ink[0].y, line_h);
  E2E_CHECK(ink[0].h > 2 * line_h, "the paragraph is not wrapped (ink %d px high)", ink[0].h);
  int fy = 0, fx = find_in(4, 0, &fy);
  E2E_CHECK(fy < ink[0].y + line_h / 2, "the first words are not on the top line (y %d, top %d)",
            fy, ink[0].y);
  E2E_CHECK(fx + ink[4].w >= PARA_WIDTH - 3,
            "the first words do not end at the right edge (x %d..%d of %d)", fx, fx + ink[4].w,
            PARA_WIDTH);

  /* (b) a Latin brand inside Persian */
  left_of(5, 6, 1); /* Lavazza, then قهوهٔ on its right */
  left_of(7, 5, 1); /* تازه on the left */

  /* (c) digits inside Arabic, both kinds */
  left_of(8, 10, 2);
  left_of(11, 8, 2);
  left_of(9, 10, 3);
  left_of(11, 9, 3);

  SDL_FreeSurface(shot);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
