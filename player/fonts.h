/* The player's fonts: one family per script, found under <assets>/fonts, each
 * (family, weight, pixel size) opened once and cached. Render thread only. */
#ifndef PLAYER_FONTS_H
#define PLAYER_FONTS_H

#include <SDL_ttf.h>
#include <stdint.h>

#include "manifest.h"
#include "vt_err.h"

/* Which font a piece of text is set in. The order is the glyph fallback order: when the
 * family chosen by script lacks a glyph, the others are tried in this order. */
enum fonts_family { FONTS_SANS, FONTS_ARABIC, FONTS__COUNT };

struct fonts;

/* assets_dir: the directory holding fonts/ (copied). Fonts are opened lazily, so a missing
 * file shows up as an error from fonts_get. Call after TTF_Init. */
enum vt_err fonts_new(const char *assets_dir, struct fonts **out,
                      struct vt_error *err) VT_WARN_UNUSED;
void fonts_free(struct fonts *f); /* NULL is a no-op; before TTF_Quit */
/* The assets directory fonts_new was given (--assets), where widgets find their other files. */
const char *fonts_assets_dir(const struct fonts *f);

/* The font for (family, weight) at px pixels (em size). *out is borrowed: valid until
 * fonts_free, or until a later fonts_get for another size or weight finds the cache full
 * (so a caller may hold every family of one size and weight at once, as a text layout does).
 * Callers set direction and script on it before each use: the TTF_Font is shared. */
enum vt_err fonts_get(struct fonts *f, enum fonts_family family, enum vt_weight weight, int px,
                      TTF_Font **out, struct vt_error *err) VT_WARN_UNUSED;

/* The ISO 15924 script HarfBuzz shapes a family's runs with ("Arab", "Latn"). */
const char *fonts_script_name(enum fonts_family family);

/* The line box of text set in family with font at px: pixels above and below the
 * baseline that a line of it needs. */
void fonts_line_box(enum fonts_family family, TTF_Font *font, int px, int *ascent, int *descent);

#endif
