#include "fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

/* Distinct (family, weight, size) faces kept open. A screen uses a handful of text sizes;
 * each open face costs a FreeType face and its glyph cache (~100 KiB), so 48 is plenty for
 * a busy layout and bounds memory when repeated window resizes ask for ever new sizes. */
#define FONTS_CACHE_MAX 48

static const struct font_file {
  enum fonts_family family;
  enum vt_weight weight;
  const char *file;
  const char *script; /* HarfBuzz script for runs set in this family */
  /* Line box above and below the baseline, in em; 0 = the font's own ascent/descent.
   * Noto Sans Arabic's own (1.38 + 0.73 em) make room for stacked Quranic marks and space
   * menu lines twice as far apart as Latin ones; 1.1 + 0.6 em clears every letter with its
   * dots plus one vowel mark, which is all Persian and Arabic menus use. */
  double line_ascent_em, line_descent_em;
} font_files[] = {
    {FONTS_SANS, VT_WEIGHT_REGULAR, "NotoSans-Regular.ttf", "Latn", 0, 0},
    {FONTS_SANS, VT_WEIGHT_BOLD, "NotoSans-Bold.ttf", "Latn", 0, 0},
    {FONTS_ARABIC, VT_WEIGHT_REGULAR, "NotoSansArabic-Regular.ttf", "Arab", 1.1, 0.6},
    {FONTS_ARABIC, VT_WEIGHT_BOLD, "NotoSansArabic-Bold.ttf", "Arab", 1.1, 0.6},
};

struct cached_font {
  enum fonts_family family;
  enum vt_weight weight;
  int px;
  TTF_Font *font;
};

struct fonts {
  char *dir;    /* <assets>/fonts */
  char *assets; /* <assets>, for the other files widgets load (weather icons) */
  struct cached_font cache[FONTS_CACHE_MAX];
  size_t n_cache;
};

enum vt_err fonts_new(const char *assets_dir, struct fonts **out, struct vt_error *err) {
  *out = NULL;
  struct fonts *f = calloc(1, sizeof *f);
  size_t n = strlen(assets_dir) + sizeof "/fonts";
  if (f) {
    f->dir = malloc(n);
    f->assets = strdup(assets_dir);
  }
  if (!f || !f->dir || !f->assets) {
    if (f) {
      free(f->dir);
      free(f->assets);
    }
    free(f);
    return vt_error_no_memory(err);
  }
  snprintf(f->dir, n, "%s/fonts", assets_dir);
  *out = f;
  return VT_OK;
}

const char *fonts_assets_dir(const struct fonts *f) { return f->assets; }

void fonts_free(struct fonts *f) {
  if (!f) return;
  free(f->assets);
  for (size_t i = 0; i < f->n_cache; i++) TTF_CloseFont(f->cache[i].font);
  free(f->dir);
  free(f);
}

static const struct font_file *find_file(enum fonts_family family, enum vt_weight weight) {
  for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++)
    if (font_files[i].family == family && font_files[i].weight == weight) return &font_files[i];
  return NULL;
}

const char *fonts_script_name(enum fonts_family family) {
  const struct font_file *ff = find_file(family, VT_WEIGHT_REGULAR);
  return ff ? ff->script : "Zyyy";
}

void fonts_line_box(enum fonts_family family, TTF_Font *font, int px, int *ascent, int *descent) {
  const struct font_file *ff = find_file(family, VT_WEIGHT_REGULAR);
  *ascent = TTF_FontAscent(font);
  *descent = -TTF_FontDescent(font);
  if (ff && ff->line_ascent_em > 0) {
    *ascent = (int)(ff->line_ascent_em * px + 0.5);
    *descent = (int)(ff->line_descent_em * px + 0.5);
  }
}

/* Make room by closing faces of other sizes and weights: those are not in use by the
 * caller (see fonts_get's contract), while this one's siblings may be. */
static void evict_others(struct fonts *f, enum vt_weight weight, int px) {
  size_t kept = 0;
  for (size_t i = 0; i < f->n_cache; i++) {
    if (f->cache[i].px == px && f->cache[i].weight == weight)
      f->cache[kept++] = f->cache[i];
    else
      TTF_CloseFont(f->cache[i].font);
  }
  f->n_cache = kept;
}

enum vt_err fonts_get(struct fonts *f, enum fonts_family family, enum vt_weight weight, int px,
                      TTF_Font **out, struct vt_error *err) {
  *out = NULL;
  for (size_t i = 0; i < f->n_cache; i++) {
    const struct cached_font *c = &f->cache[i];
    if (c->family == family && c->weight == weight && c->px == px) {
      *out = c->font;
      return VT_OK;
    }
  }
  const struct font_file *ff = find_file(family, weight);
  if (!ff) return vt_error_set(err, VT_ERR_INTERNAL, "", "no font for family %d", (int)family);
  char path[4096];
  if (!vt_path_join(path, sizeof path, f->dir, ff->file))
    return vt_error_set(err, VT_ERR_INVALID, "", "font path too long");
  TTF_Font *font = TTF_OpenFont(path, px);
  if (!font) return vt_error_set(err, VT_ERR_NOT_FOUND, "", "font %s: %s", path, TTF_GetError());
  /* Light hinting keeps glyph shapes true to the design at signage sizes while still
   * snapping vertical stems, which reads better from a distance than unhinted text. */
  TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
  if (f->n_cache == FONTS_CACHE_MAX) evict_others(f, weight, px);
  if (f->n_cache == FONTS_CACHE_MAX) { /* cannot happen: at most FONTS__COUNT siblings */
    TTF_CloseFont(font);
    return vt_error_set(err, VT_ERR_INTERNAL, "", "font cache full");
  }
  f->cache[f->n_cache++] = (struct cached_font){family, weight, px, font};
  *out = font;
  return VT_OK;
}
