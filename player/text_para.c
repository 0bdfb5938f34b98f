#include "text_para.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

/* A paragraph longer than this is not signage; the cap keeps FriBidi's int indices and our
 * size arithmetic far from overflow whatever the caller passes. */
#define TEXT_PARA_MAX_BYTES (1 << 20)

/* Code points set in the Arabic-script font: the Arabic blocks, which hold the letters of
 * Persian, Arabic and Urdu and their digits and punctuation (U+066C, the thousands
 * separator of ۱۲۰٬۰۰۰, is one). */
static const struct cp_range {
  uint32_t lo, hi;
} arabic_ranges[] = {
    {0x0600, 0x06FF}, /* Arabic */
    {0x0750, 0x077F}, /* Arabic Supplement */
    {0x0870, 0x08FF}, /* Arabic Extended-B and -A */
    {0xFB50, 0xFDFF}, /* Arabic Presentation Forms-A */
    {0xFE70, 0xFEFE}, /* Arabic Presentation Forms-B (FEFF is the BOM) */
};

/* Format characters: ZWNJ and ZWJ control Persian joining, the others are invisible. */
static const struct cp_range format_ranges[] = {
    {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x206F}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
};

static bool in_ranges(const struct cp_range *r, size_t n, uint32_t cp) {
  for (size_t i = 0; i < n; i++)
    if (cp >= r[i].lo && cp <= r[i].hi) return true;
  return false;
}

#define IN_RANGES(table, cp) in_ranges(table, sizeof table / sizeof table[0], cp)

bool text_para_is_break_space(FriBidiChar c) {
  return c == ' ' || c == '\t' || c == 0x3000 || (c >= 0x2000 && c <= 0x200B && c != 0x2007);
}

bool text_para_is_format(FriBidiChar c) { return IN_RANGES(format_ranges, c); }

#define FAMILY_UNSET 0xFF

/* Script -> family; neutrals inherit from a neighbour at the same level (first the one
 * before, then the one after), so "منوی صبحانه" is one run, not three. */
static void assign_families(struct text_para *p) {
  for (size_t i = 0; i < p->len; i++) {
    if (IN_RANGES(arabic_ranges, p->cps[i]))
      p->family[i] = FONTS_ARABIC;
    else if (FRIBIDI_IS_LETTER(p->types[i]))
      p->family[i] = FONTS_SANS;
    else
      p->family[i] = FAMILY_UNSET;
  }
  for (size_t i = 1; i < p->len; i++)
    if (p->family[i] == FAMILY_UNSET && p->levels[i] == p->levels[i - 1])
      p->family[i] = p->family[i - 1];
  for (size_t i = p->len; i-- > 1;)
    if (p->family[i - 1] == FAMILY_UNSET && p->levels[i - 1] == p->levels[i])
      p->family[i - 1] = p->family[i];
  for (size_t i = 0; i < p->len; i++)
    if (p->family[i] == FAMILY_UNSET) p->family[i] = FONTS_SANS;
}

void text_para_free(struct text_para *p) {
  if (!p) return;
  free(p->cps);
  free(p->types);
  free(p->levels);
  free(p->family);
  free(p);
}

enum vt_err text_para_new(const char *utf8, size_t len, struct text_para **out,
                          struct vt_error *err) {
  *out = NULL;
  if (len > TEXT_PARA_MAX_BYTES)
    return vt_error_set(err, VT_ERR_TOO_LARGE, "", "paragraph of %zu bytes", len);
  struct text_para *p = calloc(1, sizeof *p);
  if (!p) return vt_error_no_memory(err);
  size_t cap = len + 1; /* UTF-8 never has fewer bytes than code points */
  p->cps = malloc(cap * sizeof *p->cps);
  p->types = malloc(cap * sizeof *p->types);
  p->levels = malloc(cap * sizeof *p->levels);
  p->family = malloc(cap);
  FriBidiBracketType *brackets = malloc(cap * sizeof *brackets);
  if (!p->cps || !p->types || !p->levels || !p->family || !brackets) goto oom;
  p->len =
      (size_t)fribidi_charset_to_unicode(FRIBIDI_CHAR_SET_UTF8, utf8, (FriBidiStrIndex)len, p->cps);
  p->base = FRIBIDI_PAR_LTR;
  if (p->len > 0) {
    FriBidiStrIndex n = (FriBidiStrIndex)p->len;
    fribidi_get_bidi_types(p->cps, n, p->types);
    fribidi_get_bracket_types(p->cps, n, p->types, brackets);
    p->base = FRIBIDI_PAR_ON; /* resolve from the text (P2, P3) */
    if (!fribidi_get_par_embedding_levels_ex(p->types, brackets, n, &p->base, p->levels)) goto oom;
  }
  p->rtl = FRIBIDI_IS_RTL(p->base);
  assign_families(p);
  free(brackets);
  *out = p;
  return VT_OK;
oom:
  free(brackets);
  text_para_free(p);
  return vt_error_no_memory(err);
}

char *text_para_utf8(const struct text_para *p, size_t start, size_t len) {
  char *s = malloc(len * 4 + 1);
  if (!s) return NULL;
  FriBidiStrIndex n =
      fribidi_unicode_to_charset(FRIBIDI_CHAR_SET_UTF8, p->cps + start, (FriBidiStrIndex)len, s);
  s[n] = '\0';
  return s;
}

enum vt_err text_para_line_runs(const struct text_para *p, size_t start, size_t end,
                                struct text_run **runs, size_t *n, struct vt_error *err) {
  *runs = NULL;
  *n = 0;
  if (VT_NEVER(start > end || end > p->len))
    return vt_error_set(err, VT_ERR_INTERNAL, "", "line %zu..%zu outside the paragraph", start,
                        end);
  size_t len = end - start;
  if (len == 0) return VT_OK;
  FriBidiLevel *levels = malloc(len * sizeof *levels);
  FriBidiStrIndex *map = malloc(len * sizeof *map);
  struct text_run *r = malloc(len * sizeof *r);
  if (!levels || !map || !r) goto oom;
  memcpy(levels, p->levels + start, len * sizeof *levels);
  for (size_t i = 0; i < len; i++) map[i] = (FriBidiStrIndex)i;
  /* No FRIBIDI_FLAG_REORDER_NSM: HarfBuzz places marks itself, and a plain reversal keeps
   * each level run contiguous in the map, which the grouping below relies on. */
  if (!fribidi_reorder_line(0, p->types + start, (FriBidiStrIndex)len, 0, p->base, levels, NULL,
                            map))
    goto oom;
  /* map[v] is the logical index shown at visual position v. Consecutive positions belong to
   * the same run while level and family hold and the logical index steps by one in the
   * run's direction. */
  size_t count = 0;
  for (size_t v = 0; v < len; v++) {
    size_t li = (size_t)map[v];
    bool rtl = FRIBIDI_LEVEL_IS_RTL(levels[li]);
    enum fonts_family fam = (enum fonts_family)p->family[start + li];
    if (count > 0) {
      struct text_run *last = &r[count - 1];
      size_t prev = (size_t)map[v - 1];
      bool adjacent = rtl ? li + 1 == prev : prev + 1 == li;
      if (last->rtl == rtl && last->family == fam && levels[li] == levels[prev] && adjacent) {
        last->len++;
        if (rtl) last->start = start + li;
        continue;
      }
    }
    r[count++] = (struct text_run){start + li, 1, rtl, fam};
  }
  free(levels);
  free(map);
  *runs = r;
  *n = count;
  return VT_OK;
oom:
  free(levels);
  free(map);
  free(r);
  return vt_error_no_memory(err);
}
