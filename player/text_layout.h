/* Text layout for every text widget (docs/internals/render.md, "Text layout"):
 * paragraphs split on '\n' and analysed by text_para.c (bidi levels, font family per
 * script); glyph fallback between families; greedy word wrapping in logical order; per
 * line, the runs in visual order, each shaped by SDL2_ttf/HarfBuzz in its own direction and
 * script. The result is one texture, built once when an item comes on screen.
 * Render thread only. */
#ifndef PLAYER_TEXT_LAYOUT_H
#define PLAYER_TEXT_LAYOUT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>

#include "fonts.h"
#include "manifest.h"
#include "text_para.h"
#include "vt_err.h"

/* One font per family, all at the same size and weight. */
struct text_fonts {
  TTF_Font *font[FONTS__COUNT];
  int px; /* their em size */
};

/* A wrapped line: code points [start, end) of its paragraph, trailing spaces excluded. */
struct text_line {
  size_t start, end;
  int width; /* shaped width in pixels */
};

/* Move code points whose family's font lacks the glyph to the first family that has it. */
void text_layout_coverage(struct text_para *p, const struct text_fonts *tf);

/* Break p into lines no wider than max_width where possible: at spaces, or inside a word
 * wider than a whole line; at most max_lines of them (0: all). *lines is new (caller frees);
 * an empty paragraph is one empty line. */
enum vt_err text_layout_wrap(const struct text_para *p, const struct text_fonts *tf, int max_width,
                             size_t max_lines, struct text_line **lines, size_t *n,
                             struct vt_error *err) VT_WARN_UNUSED;

/* ---- The laid-out text as a texture. ---- */

struct text_layout;

/* Lay utf8 out in a box of width x height output pixels: colour, alignment, weight from
 * style, em size size_px (already scaled to the output). Text that does not fit (too tall,
 * or a word wider than the box) is laid out smaller until it fits, down to a floor; only
 * below that floor are lines past the bottom dropped. The texture belongs to renderer r. */
enum vt_err text_layout_new(SDL_Renderer *r, struct fonts *fonts, const char *utf8,
                            const struct vt_text_style *style, int size_px, int width, int height,
                            struct text_layout **out, struct vt_error *err) VT_WARN_UNUSED;
void text_layout_free(struct text_layout *tl); /* NULL is a no-op */

/* The first line of utf8 laid out on one line, never wrapped or shrunk, on a new surface of
 * its natural size (NULL for empty text): a ticker's strip, which its caller cuts into
 * textures no wider than the renderer allows. *rtl: the paragraph's direction (its first
 * strong character). */
enum vt_err text_layout_line_surface(struct fonts *fonts, const char *utf8,
                                     const struct vt_text_style *style, int size_px,
                                     SDL_Surface **out, bool *rtl,
                                     struct vt_error *err) VT_WARN_UNUSED;

/* Copy the text into box (same size as given to text_layout_new), placed by the style's
 * valign; text taller than the box is top-aligned. Changes no renderer state. */
void text_layout_draw(const struct text_layout *tl, SDL_Renderer *r, const SDL_Rect *box);

#endif
