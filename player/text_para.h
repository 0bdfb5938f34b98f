/* One paragraph of text analysed for layout (docs/internals/render.md, "Text layout"):
 * code points, FriBidi embedding levels and base direction, a font family per code point
 * by script, and the runs of a line in visual order. Pure: no SDL, no fonts, so unit tests
 * check run splitting and ordering directly. text_layout.c shapes and places the runs. */
#ifndef PLAYER_TEXT_PARA_H
#define PLAYER_TEXT_PARA_H

#include <fribidi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fonts.h"
#include "vt_err.h"

/* One paragraph (no '\n') after bidi analysis. All arrays have len entries, indexed by
 * code point in logical order. */
struct text_para {
  FriBidiChar *cps;
  size_t len;
  FriBidiCharType *types;
  FriBidiLevel *levels; /* resolved embedding levels (odd = right to left) */
  uint8_t *family;      /* enum fonts_family: by script, see text_para_new */
  FriBidiParType base;  /* resolved base direction */
  bool rtl;             /* FRIBIDI_IS_RTL(base): start = right */
};

/* A piece of one line that is shaped as a whole: one embedding level, one font family,
 * contiguous in logical order. */
struct text_run {
  size_t start, len; /* code points, logical, in the paragraph */
  bool rtl;          /* shaping direction: odd level */
  enum fonts_family family;
};

/* Analyse utf8 (len bytes, valid UTF-8, one paragraph). The base direction is the first
 * strong character's (rule P2), left to right when there is none. The family of a code
 * point is FONTS_ARABIC for the Arabic blocks (letters, Persian and Arabic-Indic digits,
 * Arabic punctuation), FONTS_SANS for other strong characters; spaces, punctuation, digits
 * and marks take the family of their neighbour at the same level, so a run does not break
 * at every space. */
enum vt_err text_para_new(const char *utf8, size_t len, struct text_para **out,
                          struct vt_error *err) VT_WARN_UNUSED;
void text_para_free(struct text_para *p); /* NULL is a no-op */

/* The runs of the line [start, end) of p, in visual order (left to right on screen).
 * *runs is new (caller frees), *n its length (0 for an empty line). */
enum vt_err text_para_line_runs(const struct text_para *p, size_t start, size_t end,
                                struct text_run **runs, size_t *n,
                                struct vt_error *err) VT_WARN_UNUSED;

/* UTF-8 of the code points [start, start + len) in logical order (what HarfBuzz takes, in
 * either direction). New string, caller frees; NULL when out of memory. */
char *text_para_utf8(const struct text_para *p, size_t start, size_t len);

/* Spaces a line may break after (not no-break or figure spaces). */
bool text_para_is_break_space(FriBidiChar c);
/* Invisible format characters (ZWNJ, ZWJ, marks of direction...): they stay in the run and
 * font of their neighbours, since splitting at ZWNJ/ZWJ would change Persian joining. */
bool text_para_is_format(FriBidiChar c);

#endif
