/* Finding rendered text inside a snapshot, for the panel and right-to-left tests: a piece of
 * text drawn alone by a text item (same font, size and colour, on the same background) is cut
 * to its ink box and searched for, pixel for pixel, inside another region of the picture.
 * The player rasterises glyphs at whole-pixel positions, so a match is exact up to rounding;
 * the tolerance only absorbs that. Header-only: static functions for the e2e tests. */
#ifndef E2E_TEXT_MATCH_H
#define E2E_TEXT_MATCH_H

#include <SDL.h>
#include <stdbool.h>
#include <stdlib.h>

#include "harness.h"

/* A rectangle of a surface (the template: text drawn alone, cut to its ink). */
struct tm_box {
  int x, y, w, h; /* w == 0: no ink */
};

/* The bounding box of the pixels in r that differ from bg by more than tol (sum of the three
 * channels): 60 finds all the ink of text, 150 only its solid strokes (not dimmed rules). */
#define TM_INK 60
static inline struct tm_box tm_ink_tol(SDL_Surface *s, struct tm_box r, Uint32 bg, int tol) {
  int x0 = r.x + r.w, x1 = -1, y0 = r.y + r.h, y1 = -1;
  for (int y = r.y; y < r.y + r.h; y++)
    for (int x = r.x; x < r.x + r.w; x++)
      if (e2e_color_diff(e2e_pixel(s, x, y), bg) > tol) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return (struct tm_box){0, 0, 0, 0};
  return (struct tm_box){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static inline struct tm_box tm_ink(SDL_Surface *s, struct tm_box r, Uint32 bg) {
  return tm_ink_tol(s, r, bg, TM_INK);
}

/* Where the template t (a box of surface ts) appears inside area of s: every position whose
 * mean difference is at most tol per pixel (sum of the three channels), best first. Returns
 * the number of distinct matches (positions more than t.w/2 apart), the best in *bx, *by.
 * tol: TM_EXACT for text shaped on its own (a run, a whole item); TM_IN_RUN for words
 * inside a longer run, whose glyphs may sit a fraction of a pixel differently (HarfBuzz
 * advances are fractional, the run is rasterised as one), which blurs the edges a little but
 * stays far below the difference between two different words (well over 60). */
#define TM_EXACT 4
#define TM_IN_RUN 24
static inline int tm_find_tol(SDL_Surface *s, struct tm_box area, SDL_Surface *ts,
                              struct tm_box t, int tol, int *bx, int *by) {
  E2E_CHECK(t.w > 0 && t.h > 0, "empty template");
  long limit = (long)tol * t.w * t.h, best = limit + 1;
  int found = 0, last_x = -1000000, last_y = -1000000;
  for (int y = area.y; y + t.h <= area.y + area.h; y++)
    for (int x = area.x; x + t.w <= area.x + area.w; x++) {
      /* cheap first look: the template's middle row, with three times the slack */
      long row = 0;
      for (int i = 0; i < t.w; i++)
        row += e2e_color_diff(e2e_pixel(s, x + i, y + t.h / 2), e2e_pixel(ts, t.x + i, t.y + t.h / 2));
      if (row > 3L * tol * t.w) continue;
      long sum = 0;
      for (int j = 0; j < t.h && sum <= limit; j++)
        for (int i = 0; i < t.w; i++) sum += e2e_color_diff(e2e_pixel(s, x + i, y + j), e2e_pixel(ts, t.x + i, t.y + j));
      if (sum > limit) continue;
      if (abs(x - last_x) > t.w / 2 || abs(y - last_y) > t.h / 2) found++;
      last_x = x, last_y = y;
      if (sum < best) {
        best = sum;
        if (bx) *bx = x;
        if (by) *by = y;
      }
    }
  return found;
}

static inline int tm_find(SDL_Surface *s, struct tm_box area, SDL_Surface *ts, struct tm_box t,
                          int *bx, int *by) {
  return tm_find_tol(s, area, ts, t, TM_EXACT, bx, by);
}

#endif
