/* media_probe.c: type from magic bytes, size from headers, and no crash on junk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "media_probe.h"

static const unsigned char png[] = {0x89, 'P', 'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,
                                    0,    13,  'I',  'H',  'D',  'R',  0,    0,    0x07, 0x80,
                                    0,    0,   0x04, 0x38, 8,    2,    0,    0,    0};
/* SOI, an APP1 segment to skip, fill bytes, then SOF2 (progressive) 600x400 */
static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe1, 0x00, 0x06, 'E',  'x',  'i',
                                     'f',  0xff, 0xff, 0xff, 0xc2, 0x00, 0x11, 0x08, 0x01,
                                     0x90, 0x02, 0x58, 0x03, 0x01, 0x22, 0x00};
static const unsigned char jpeg_no_sof[] = {0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00};
static const unsigned char jpeg_bad_len[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01};
static const unsigned char gif[] = {'G', 'I', 'F', '8', '7', 'a', 0x40, 0x01, 0xf0, 0x00};
static const unsigned char bmp_info[] = {'B', 'M', 0, 0, 0, 0,    0, 0, 0, 0,    54,   0,    0,
                                         0,   40,  0, 0, 0, 0x20, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff};
static const unsigned char bmp_core[] = {'B', 'M', 0, 0, 0, 0,    0, 0,    0, 0, 26, 0,  0,
                                         0,   12,  0, 0, 0, 0x10, 0, 0x08, 0, 1, 0,  24, 0};
static const unsigned char webp_lossy[] = {'R', 'I', 'F', 'F',  0,    0,    0,    0,    'W',  'E',
                                           'B', 'P', 'V', 'P',  '8',  ' ',  0,    0,    0,    0,
                                           0,   0,   0,   0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01};
static const unsigned char webp_lossless[] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P',
                                              'V', 'P', '8', 'L', 0, 0, 0, 0, 0x2f,
                                              /* width-1 = 99, height-1 = 49 */
                                              0x63, 0x40, 0x0c, 0x00};
static const unsigned char webp_ext[] = {'R', 'I', 'F', 'F', 0,    0,    0,    0,    'W',  'E',
                                         'B', 'P', 'V', 'P', '8',  'X',  10,   0,    0,    0,
                                         0,   0,   0,   0,   0x7f, 0x07, 0x00, 0x37, 0x04, 0x00};

static const struct {
  const char *name;
  const unsigned char *data;
  size_t len;
  const char *type;
  int64_t w, h; /* 0: no size */
} cases[] = {
    {"png", png, sizeof png, "image/png", 1920, 1080},
    {"png, truncated before IHDR", png, 10, "image/png", 0, 0},
    {"jpeg behind EXIF and fill bytes", jpeg, sizeof jpeg, "image/jpeg", 600, 400},
    {"jpeg, scan before any SOF", jpeg_no_sof, sizeof jpeg_no_sof, "image/jpeg", 0, 0},
    {"jpeg, bad segment length", jpeg_bad_len, sizeof jpeg_bad_len, "image/jpeg", 0, 0},
    {"jpeg, truncated", jpeg, 12, "image/jpeg", 0, 0},
    {"gif", gif, sizeof gif, "image/gif", 320, 240},
    {"bmp, top-down info header", bmp_info, sizeof bmp_info, "image/bmp", 32, 16},
    {"bmp, core header", bmp_core, sizeof bmp_core, "image/bmp", 16, 8},
    {"webp lossy", webp_lossy, sizeof webp_lossy, "image/webp", 640, 480},
    {"webp lossless", webp_lossless, sizeof webp_lossless, "image/webp", 100, 50},
    {"webp extended", webp_ext, sizeof webp_ext, "image/webp", 1920, 1080},
    {"text", (const unsigned char *)"hello, world", 12, NULL, 0, 0},
    {"empty", (const unsigned char *)"", 0, NULL, 0, 0},
    {"RIFF that is not WebP", (const unsigned char *)"RIFF\0\0\0\0WAVEfmt ", 16, NULL, 0, 0},
};

static void test_probe(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct media_info info;
    media_probe_mem(cases[i].data, cases[i].len, &info);
    print_message("%s\n", cases[i].name);
    if (!cases[i].type) {
      assert_null(info.type);
      continue;
    }
    assert_string_equal(info.type, cases[i].type);
    assert_int_equal(info.has_size, cases[i].w != 0);
    if (cases[i].w) {
      assert_int_equal(info.width, cases[i].w);
      assert_int_equal(info.height, cases[i].h);
    }
  }
}

static void test_content_types(void **state) {
  (void)state;
  assert_string_equal(media_probe_type_of("image/png"), "image/png");
  assert_string_equal(media_probe_type_of("IMAGE/JPEG; q=1"), "image/jpeg");
  assert_null(media_probe_type_of("image/pngx"));
  assert_null(media_probe_type_of("image/svg+xml"));
  assert_null(media_probe_type_of(""));
  assert_null(media_probe_type_of(NULL));
}

/* Every prefix of every sample probes without reading out of bounds (ASan watches). */
static void test_prefixes(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (size_t n = 0; n <= cases[i].len; n++) {
      struct media_info info;
      media_probe_mem(cases[i].data, n, &info);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_probe),
                                     cmocka_unit_test(test_content_types),
                                     cmocka_unit_test(test_prefixes)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
