/* Generated request bodies: large filler for size caps, and small images whose headers
 * carry a known width and height. The PNG is a complete, decodable file (stored deflate);
 * the others are headers plus filler, enough for type sniffing and size probing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void put_be32(struct hbuf *b, uint32_t v) {
  unsigned char x[4] = {v >> 24, v >> 16, v >> 8, v};
  hbuf_add(b, x, 4);
}
static void put_le16(struct hbuf *b, uint32_t v) {
  unsigned char x[2] = {v, v >> 8};
  hbuf_add(b, x, 2);
}
static void put_le32(struct hbuf *b, uint32_t v) {
  unsigned char x[4] = {v, v >> 8, v >> 16, v >> 24};
  hbuf_add(b, x, 4);
}

static uint32_t crc32_of(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xffffffffu;
}

static void png_chunk(struct hbuf *b, const char *type, const struct hbuf *data) {
  put_be32(b, (uint32_t)data->len);
  size_t start = b->len;
  hbuf_add(b, type, 4);
  hbuf_add(b, data->data, data->len);
  put_be32(b, crc32_of((unsigned char *)b->data + start, b->len - start));
}

static void gen_png(unsigned w, unsigned h, unsigned seed, struct hbuf *out) {
  struct hbuf ihdr = {0}, raw = {0}, z = {0}, none = {0};
  hbuf_add(out, "\x89PNG\r\n\x1a\n", 8);
  put_be32(&ihdr, w);
  put_be32(&ihdr, h);
  hbuf_add(&ihdr, "\x08\x02\x00\x00\x00", 5); /* 8-bit RGB, no interlace */
  png_chunk(out, "IHDR", &ihdr);
  for (unsigned y = 0; y < h; y++) {
    hbuf_add(&raw, "\0", 1); /* filter: none */
    for (unsigned x = 0; x < w; x++) {
      unsigned char px[3] = {(unsigned char)(x * 40 + seed), (unsigned char)(y * 60 + seed * 7),
                             (unsigned char)(seed * 13)};
      hbuf_add(&raw, px, 3);
    }
  }
  /* zlib stream of stored blocks (each at most 65535 bytes) and the Adler-32 */
  hbuf_add(&z, "\x78\x01", 2);
  uint32_t a = 1, bsum = 0;
  size_t off = 0;
  do {
    size_t n = raw.len - off > 65535 ? 65535 : raw.len - off;
    unsigned char hdr[5] = {off + n >= raw.len, n, n >> 8, ~n, (~n) >> 8};
    hbuf_add(&z, hdr, 5);
    hbuf_add(&z, raw.data + off, n);
    off += n;
  } while (off < raw.len);
  for (size_t i = 0; i < raw.len; i++) {
    a = (a + (unsigned char)raw.data[i]) % 65521;
    bsum = (bsum + a) % 65521;
  }
  put_be32(&z, bsum << 16 | a);
  png_chunk(out, "IDAT", &z);
  hbuf_add(&none, "", 0);
  png_chunk(out, "IEND", &none);
  hbuf_free(&ihdr);
  hbuf_free(&raw);
  hbuf_free(&z);
  hbuf_free(&none);
}

static void gen_gif(unsigned w, unsigned h, struct hbuf *out) {
  hbuf_add(out, "GIF89a", 6);
  put_le16(out, w);
  put_le16(out, h);
  hbuf_add(out, "\x80\x00\x00", 3);             /* 2-colour global table */
  hbuf_add(out, "\x00\x00\x00\xff\xff\xff", 6); /* black, white */
  hbuf_add(out, "\x2c\x00\x00\x00\x00", 5);     /* image at (0,0) */
  put_le16(out, w);
  put_le16(out, h);
  hbuf_add(out, "\x00\x02\x02\x44\x01\x00\x3b", 7); /* LZW data, trailer */
}

static void gen_jpeg(unsigned w, unsigned h, struct hbuf *out) {
  hbuf_add(out, "\xff\xd8", 2);
  hbuf_add(out, "\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
  unsigned char sof[] = {0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h,    w >> 8, w,   0x03,
                         0x01, 0x11, 0x00, 0x02, 0x11, 0x01,   0x03, 0x11,   0x01};
  hbuf_add(out, sof, sizeof sof);
  hbuf_add(out, "\xff\xd9", 2);
}

static void gen_bmp(unsigned w, unsigned h, struct hbuf *out) {
  unsigned row = (w * 3 + 3) & ~3u;
  hbuf_add(out, "BM", 2);
  put_le32(out, 54 + row * h);
  put_le32(out, 0);
  put_le32(out, 54);
  put_le32(out, 40);
  put_le32(out, w);
  put_le32(out, h);
  put_le16(out, 1);
  put_le16(out, 24);
  for (int i = 0; i < 6; i++) put_le32(out, 0);
  for (unsigned i = 0; i < row * h; i++) hbuf_add(out, "\x7f", 1);
}

static void gen_webp(unsigned w, unsigned h, struct hbuf *out) {
  hbuf_add(out, "RIFF", 4);
  put_le32(out, 4 + 8 + 10);
  hbuf_add(out, "WEBPVP8X", 8);
  put_le32(out, 10);
  hbuf_add(out, "\0\0\0\0", 4);
  unsigned char size[6] = {(w - 1), (w - 1) >> 8, (w - 1) >> 16,
                           (h - 1), (h - 1) >> 8, (h - 1) >> 16};
  hbuf_add(out, size, 6);
}

bool gen_body(const char *spec, struct hbuf *out) {
  char kind[16];
  unsigned long long n = 0;
  unsigned w = 0, h = 0, seed = 0;
  if (sscanf(spec, "zeros %llu", &n) == 1) {
    char zero[65536] = {0};
    for (unsigned long long left = n; left > 0;) {
      size_t k = left > sizeof zero ? sizeof zero : (size_t)left;
      hbuf_add(out, zero, k);
      left -= k;
    }
    return true;
  }
  if (strncmp(spec, "text ", 5) == 0) {
    hbuf_add(out, spec + 5, strlen(spec + 5));
    return true;
  }
  int got = sscanf(spec, "%15s %u %u %u", kind, &w, &h, &seed);
  if (got < 3 || w == 0 || h == 0) return false;
  if (strcmp(kind, "png") == 0)
    gen_png(w, h, seed, out);
  else if (strcmp(kind, "gif") == 0)
    gen_gif(w, h, out);
  else if (strcmp(kind, "jpeg") == 0)
    gen_jpeg(w, h, out);
  else if (strcmp(kind, "bmp") == 0)
    gen_bmp(w, h, out);
  else if (strcmp(kind, "webp") == 0)
    gen_webp(w, h, out);
  else
    return false;
  return true;
}
