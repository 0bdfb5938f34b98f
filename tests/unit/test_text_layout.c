/* player/text_para.c and text_layout.c: bidi run splitting and visual order (pure,
 * table-driven), wrapping with the real fonts in both directions, and where a laid-out line
 * lands (start = right for Persian). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fonts.h"
#include "text_layout.h"

/* ---- Visual order of the runs of one line ---- */

struct want_run {
  const char *text; /* logical order, as shaped */
  bool rtl;
  enum fonts_family family;
};

#define MAX_WANT 6
static const struct run_case {
  const char *name;
  const char *text;
  bool para_rtl;
  struct want_run runs[MAX_WANT]; /* left to right on screen; ends at text == NULL */
} run_cases[] = {
    {"latin", "Hello world", false, {{"Hello world", false, FONTS_SANS}}},
    {"persian price: the number is one LTR run, between the words",
     "منوی صبحانه ۱۲۰٬۰۰۰ تومان",
     true,
     {{" تومان", true, FONTS_ARABIC},
      {"۱۲۰٬۰۰۰", false, FONTS_ARABIC},
      {"منوی صبحانه ", true, FONTS_ARABIC}}},
    {"latin word inside persian keeps its order",
     "قهوه Espresso داغ",
     true,
     {{" داغ", true, FONTS_ARABIC},
      {"Espresso", false, FONTS_SANS},
      {"قهوه ", true, FONTS_ARABIC}}},
    {"persian inside latin",
     "Menu منوی صبحانه today",
     false,
     {{"Menu ", false, FONTS_SANS},
      {"منوی صبحانه", true, FONTS_ARABIC},
      {" today", false, FONTS_SANS}}},
    {"ascii digits after persian are an LTR run in the latin font",
     "قیمت 120 تومان",
     true,
     {{" تومان", true, FONTS_ARABIC}, {"120", false, FONTS_SANS}, {"قیمت ", true, FONTS_ARABIC}}},
    {"persian word after latin in an LTR paragraph",
     "Price: 120 تومان",
     false,
     {{"Price: 120 ", false, FONTS_SANS}, {"تومان", true, FONTS_ARABIC}}},
    {"zwnj stays inside its word", "می\u200cخواهم", true, {{"می\u200cخواهم", true, FONTS_ARABIC}}},
    {"two persian words around a latin phrase",
     "از Coffee Shop بپرسید",
     true,
     {{" بپرسید", true, FONTS_ARABIC},
      {"Coffee Shop", false, FONTS_SANS},
      {"از ", true, FONTS_ARABIC}}},
};

static void check_runs(const struct run_case *c, const struct text_para *p, size_t start,
                       size_t end, const struct want_run *want) {
  struct text_run *runs;
  size_t n;
  assert_int_equal(text_para_line_runs(p, start, end, &runs, &n, NULL), VT_OK);
  size_t n_want = 0;
  while (n_want < MAX_WANT && want[n_want].text) n_want++;
  if (n != n_want) fail_msg("%s: %zu runs, want %zu", c->name, n, n_want);
  for (size_t i = 0; i < n; i++) {
    char *s = text_para_utf8(p, runs[i].start, runs[i].len);
    if (strcmp(s, want[i].text) != 0 || runs[i].rtl != want[i].rtl ||
        runs[i].family != want[i].family)
      fail_msg("%s: run %zu is '%s' rtl=%d family=%d, want '%s' rtl=%d family=%d", c->name, i, s,
               runs[i].rtl, runs[i].family, want[i].text, want[i].rtl, want[i].family);
    free(s);
  }
  free(runs);
}

static void test_visual_runs(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof run_cases / sizeof run_cases[0]; k++) {
    const struct run_case *c = &run_cases[k];
    struct text_para *p;
    assert_int_equal(text_para_new(c->text, strlen(c->text), &p, NULL), VT_OK);
    if (p->rtl != c->para_rtl)
      fail_msg("%s: paragraph rtl=%d, want %d", c->name, p->rtl, c->para_rtl);
    check_runs(c, p, 0, p->len, c->runs);
    text_para_free(p);
  }
}

/* A line that is part of a paragraph is ordered on its own (UAX #9 L2 per line): the
 * second line of the wrapped price starts, at the right, with the number. */
static void test_line_subset(void **state) {
  (void)state;
  static const struct run_case c = {
      "second line of the price",
      "منوی صبحانه ۱۲۰٬۰۰۰ تومان",
      true,
      {{" تومان", true, FONTS_ARABIC}, {"۱۲۰٬۰۰۰", false, FONTS_ARABIC}}};
  struct text_para *p;
  assert_int_equal(text_para_new(c.text, strlen(c.text), &p, NULL), VT_OK);
  check_runs(&c, p, 12, p->len, c.runs); /* "منوی صبحانه " is 12 code points */
  struct text_run *runs;
  size_t n;
  assert_int_equal(text_para_line_runs(p, 3, 3, &runs, &n, NULL), VT_OK);
  assert_int_equal(n, 0);
  text_para_free(p);
}

static void test_empty_and_neutral(void **state) {
  (void)state;
  struct text_para *p;
  assert_int_equal(text_para_new("", 0, &p, NULL), VT_OK);
  assert_int_equal(p->len, 0);
  assert_false(p->rtl);
  text_para_free(p);
  assert_int_equal(text_para_new("123 - 456", 9, &p, NULL), VT_OK);
  assert_false(p->rtl); /* no strong character: left to right */
  for (size_t i = 0; i < p->len; i++) assert_int_equal(p->family[i], FONTS_SANS);
  text_para_free(p);
}

/* ---- With fonts: wrapping and placement ---- */

struct font_env {
  struct fonts *fonts;
  struct text_fonts tf;
};

static int setup_fonts(void **state) {
  static struct font_env env;
  if (TTF_Init() != 0) return -1;
  struct vt_error err = {0};
  if (fonts_new(VITRINE_ASSETS_DIR, &env.fonts, &err) != VT_OK) return -1;
  env.tf.px = 32;
  for (int f = 0; f < FONTS__COUNT; f++)
    if (fonts_get(env.fonts, (enum fonts_family)f, VT_WEIGHT_REGULAR, 32, &env.tf.font[f], &err) !=
        VT_OK) {
      fprintf(stderr, "%s\n", err.message);
      return -1;
    }
  *state = &env;
  return 0;
}

static int teardown_fonts(void **state) {
  struct font_env *env = *state;
  fonts_free(env->fonts);
  TTF_Quit();
  return 0;
}

static bool is_space_cp(FriBidiChar c) { return c == ' '; }

/* Lines are no wider than the box, cover the paragraph in order, and break only at spaces. */
static void check_wrap(const struct font_env *env, const char *text, int width, size_t min_lines) {
  struct text_para *p;
  assert_int_equal(text_para_new(text, strlen(text), &p, NULL), VT_OK);
  text_layout_coverage(p, &env->tf);
  struct text_line *lines;
  size_t n;
  assert_int_equal(text_layout_wrap(p, &env->tf, width, 0, &lines, &n, NULL), VT_OK);
  if (n < min_lines)
    fail_msg("'%s' at %d px: %zu lines, want at least %zu", text, width, n, min_lines);
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    if (lines[i].width > width || lines[i].width <= 0)
      fail_msg("'%s' line %zu is %d px wide in a %d px box", text, i, lines[i].width, width);
    assert_int_equal(lines[i].start, pos);
    assert_true(lines[i].end > lines[i].start);
    pos = lines[i].end;
    if (i + 1 < n) { /* a break at spaces, which no line keeps at its end */
      assert_true(is_space_cp(p->cps[pos]));
      assert_false(is_space_cp(p->cps[lines[i].end - 1]));
      while (pos < p->len && is_space_cp(p->cps[pos])) pos++;
    }
  }
  assert_int_equal(pos, p->len);
  free(lines);
  text_para_free(p);
}

static void test_wrap_both_directions(void **state) {
  const struct font_env *env = *state;
  check_wrap(env,
             "صبحانه کامل با نان تازه، پنیر، گردو، عسل و چای داغ فقط ۲۵۰٬۰۰۰ تومان برای دو نفر",
             300, 3);
  check_wrap(env, "Full breakfast with fresh bread, cheese, walnuts, honey and hot tea for two",
             300, 3);
  check_wrap(env, "short", 300, 1);
}

static void test_wrap_cuts_long_word(void **state) {
  const struct font_env *env = *state;
  const char *word = "Supercalifragilisticexpialidocious";
  struct text_para *p;
  assert_int_equal(text_para_new(word, strlen(word), &p, NULL), VT_OK);
  struct text_line *lines;
  size_t n;
  assert_int_equal(text_layout_wrap(p, &env->tf, 120, 0, &lines, &n, NULL), VT_OK);
  assert_true(n >= 3);
  for (size_t i = 0; i < n; i++) {
    assert_true(lines[i].width <= 120);
    assert_int_equal(lines[i].start, i ? lines[i - 1].end : 0);
  }
  assert_int_equal(lines[n - 1].end, p->len);
  free(lines);
  text_para_free(p);
}

/* Columns of a surface holding any ink (alpha > 0). */
static void ink_span(SDL_Surface *s, int *left, int *right) {
  *left = s->w;
  *right = -1;
  const Uint32 *px = s->pixels;
  for (int y = 0; y < s->h; y++)
    for (int x = 0; x < s->w; x++) {
      Uint8 r, g, b, a;
      SDL_GetRGBA(px[y * (s->pitch / 4) + x], s->format, &r, &g, &b, &a);
      if (r > 128) {
        if (x < *left) *left = x;
        if (x > *right) *right = x;
      }
    }
}

/* align "start" puts Persian at the right and Latin at the left of the box. */
static void test_start_alignment(void **state) {
  struct font_env *env = *state;
  static const struct {
    const char *text;
    bool ink_right;
  } cases[] = {{"منوی صبحانه", true}, {"Breakfast", false}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 600, 100, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
    SDL_RenderClear(r);
    struct vt_text_style st;
    vt_text_style_default(&st);
    st.align = VT_ALIGN_START;
    st.color = 0xffffffff;
    struct text_layout *tl;
    struct vt_error err = {0};
    assert_int_equal(text_layout_new(r, env->fonts, cases[k].text, &st, 32, 600, 100, &tl, &err),
                     VT_OK);
    text_layout_draw(tl, r, &(SDL_Rect){0, 0, 600, 100});
    SDL_RenderPresent(r);
    int left, right;
    ink_span(s, &left, &right);
    assert_true(right > left);
    if (cases[k].ink_right ? !(right >= 590 && left > 300) : !(left <= 10 && right < 300))
      fail_msg("'%s': ink from x=%d to %d in a 600 px box", cases[k].text, left, right);
    text_layout_free(tl);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
  }
}

/* Rows of a surface holding bright ink. */
static void ink_rows(SDL_Surface *s, int *top, int *bottom) {
  *top = s->h;
  *bottom = -1;
  const Uint32 *px = s->pixels;
  for (int y = 0; y < s->h; y++)
    for (int x = 0; x < s->w; x++) {
      Uint8 r, g, b;
      SDL_GetRGB(px[y * (s->pitch / 4) + x], s->format, &r, &g, &b);
      if (r > 128) {
        if (y < *top) *top = y;
        if (y > *bottom) *bottom = y;
      }
    }
}

/* Text too big for its box is made smaller, never cut: the dots below Persian letters (the
 * lowest ink) and the last line of a long text stay inside the box, clear of its edges. */
static void test_shrinks_to_fit(void **state) {
  struct font_env *env = *state;
  static const struct {
    const char *text;
    int size_px, w, h;
  } cases[] = {
      {"کافه ویترین، صبحانه", 72, 700, 80},
      {"Full breakfast with fresh bread, cheese, walnuts, honey and hot tea for two people", 48, 400, 120},
      {"Supercalifragilisticexpialidocious", 64, 200, 200},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    int w = cases[k].w, h = cases[k].h;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
    assert_non_null(r);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
    SDL_RenderClear(r);
    struct vt_text_style st;
    vt_text_style_default(&st);
    st.color = 0xffffffff;
    st.weight = VT_WEIGHT_BOLD;
    struct text_layout *tl;
    struct vt_error err = {0};
    assert_int_equal(text_layout_new(r, env->fonts, cases[k].text, &st, cases[k].size_px, w, h, &tl, &err),
                     VT_OK);
    text_layout_draw(tl, r, &(SDL_Rect){0, 0, w, h});
    SDL_RenderPresent(r);
    int top, bottom, left, right;
    ink_rows(s, &top, &bottom);
    ink_span(s, &left, &right);
    if (top <= 0 || bottom >= h - 1 || left < 0 || right >= w - 1)
      fail_msg("'%s' at %d px in %dx%d: ink rows %d..%d, columns %d..%d touch the box's edge",
               cases[k].text, cases[k].size_px, w, h, top, bottom, left, right);
    /* Shrunk, not vanished: the text still fills a fair part of the box. */
    assert_true(bottom - top > h / 4);
    text_layout_free(tl);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
  }
}

/* Hostile but valid text items (16 KiB, the API's maximum) are laid out in bounded time on
 * the render thread: a word without spaces at the largest size, many words at the largest
 * size, thousands of tiny words at the smallest. The bound is generous (sanitizer builds);
 * what it catches is a layout that takes minutes and freezes the screen. */
static void test_hostile_text_is_bounded(void **state) {
  struct font_env *env = *state;
  enum { LEN = 16384 };
  static char nospace[LEN + 1], words[LEN + 1], tiny[LEN + 1];
  memset(nospace, 'W', LEN);
  for (int i = 0; i < LEN; i++) words[i] = "Espresso "[i % 9];
  for (int i = 0; i < LEN; i++) tiny[i] = i % 2 ? ' ' : 'a';
  static const struct {
    const char *text;
    int size_px, w, h;
  } cases[] = {{nospace, 2000, 640, 360}, {words, 2000, 640, 360}, {tiny, 4, 1920, 1080},
               {nospace, 48, 1920, 1080}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, cases[k].w, cases[k].h, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(s);
    struct vt_text_style st;
    vt_text_style_default(&st);
    struct text_layout *tl = NULL;
    struct vt_error err = {0};
    Uint64 t0 = SDL_GetTicks64();
    assert_int_equal(text_layout_new(r, env->fonts, cases[k].text, &st, cases[k].size_px,
                                     cases[k].w, cases[k].h, &tl, &err), VT_OK);
    Uint64 ms = SDL_GetTicks64() - t0;
    if (ms > 5000) fail_msg("case %zu took %llu ms", k, (unsigned long long)ms);
    text_layout_free(tl);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(s);
  }
}

int main(void) {
  const struct CMUnitTest pure[] = {
      cmocka_unit_test(test_visual_runs),
      cmocka_unit_test(test_line_subset),
      cmocka_unit_test(test_empty_and_neutral),
  };
  const struct CMUnitTest with_fonts[] = {
      cmocka_unit_test(test_wrap_both_directions),
      cmocka_unit_test(test_wrap_cuts_long_word),
      cmocka_unit_test(test_start_alignment),
      cmocka_unit_test(test_shrinks_to_fit),
      cmocka_unit_test(test_hostile_text_is_bounded),
  };
  int failed = cmocka_run_group_tests_name("bidi runs", pure, NULL, NULL);
  failed +=
      cmocka_run_group_tests_name("layout with fonts", with_fonts, setup_fonts, teardown_fonts);
  return failed;
}
