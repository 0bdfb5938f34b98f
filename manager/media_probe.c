#include "media_probe.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const media_probe_types[] = {"image/png",  "image/jpeg", "image/gif",
                                         "image/webp", "image/bmp",  NULL};

/* A JPEG's size sits in its SOF segment, after any EXIF/ICC segments; real files reach it
 * within a few dozen segments. The bound stops a crafted file from making us walk forever. */
#define JPEG_MAX_SEGMENTS 1024

const char *media_probe_type_of(const char *content_type) {
  if (!content_type) return NULL;
  size_t n = strcspn(content_type, "; \t");
  for (const char *const *t = media_probe_types; *t; t++)
    if (strlen(*t) == n && strncasecmp(*t, content_type, n) == 0) return *t;
  return NULL;
}

struct reader {
  media_read_fn read;
  void *ctx;
};

static bool read_at(const struct reader *r, uint64_t off, void *buf, size_t len) {
  return r->read(r->ctx, off, buf, len) == (ssize_t)len;
}

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) { return be16(p) << 16 | be16(p + 2); }
static uint32_t le16(const unsigned char *p) { return (uint32_t)p[1] << 8 | p[0]; }
static uint32_t le24(const unsigned char *p) { return (uint32_t)p[2] << 16 | le16(p); }
static uint32_t le32(const unsigned char *p) { return (uint32_t)p[3] << 24 | le24(p); }

static void set_size(struct media_info *info, int64_t w, int64_t h) {
  if (w <= 0 || h <= 0) return;
  info->has_size = true;
  info->width = w;
  info->height = h;
}

static void probe_png(const unsigned char *h, size_t n, struct media_info *info) {
  info->type = "image/png";
  if (n >= 24 && memcmp(h + 12, "IHDR", 4) == 0) set_size(info, be32(h + 16), be32(h + 20));
}

static void probe_gif(const unsigned char *h, size_t n, struct media_info *info) {
  info->type = "image/gif";
  if (n >= 10) set_size(info, le16(h + 6), le16(h + 8));
}

static void probe_bmp(const unsigned char *h, size_t n, struct media_info *info) {
  info->type = "image/bmp";
  if (n < 26) return;
  uint32_t dib = le32(h + 14);
  if (dib == 12) {
    set_size(info, le16(h + 18), le16(h + 20));
  } else if (dib >= 40) {
    int32_t w = (int32_t)le32(h + 18), ht = (int32_t)le32(h + 22);
    /* a negative height means rows are stored top-down */
    set_size(info, w, ht < 0 ? -(int64_t)ht : ht);
  }
}

static void probe_webp(const unsigned char *h, size_t n, struct media_info *info) {
  info->type = "image/webp";
  if (n >= 30 && memcmp(h + 12, "VP8 ", 4) == 0 && h[23] == 0x9d && h[24] == 0x01 && h[25] == 0x2a)
    set_size(info, le16(h + 26) & 0x3fff, le16(h + 28) & 0x3fff);
  else if (n >= 25 && memcmp(h + 12, "VP8L", 4) == 0 && h[20] == 0x2f) {
    uint32_t bits = le32(h + 21);
    set_size(info, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
  } else if (n >= 30 && memcmp(h + 12, "VP8X", 4) == 0)
    set_size(info, (int64_t)le24(h + 24) + 1, (int64_t)le24(h + 27) + 1);
}

static bool jpeg_is_sof(unsigned char m) {
  return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* Walk the marker segments from just after SOI to the first SOF. */
static void probe_jpeg(const struct reader *r, struct media_info *info) {
  info->type = "image/jpeg";
  uint64_t off = 2;
  for (int i = 0; i < JPEG_MAX_SEGMENTS; i++) {
    unsigned char m[2];
    if (!read_at(r, off, m, 2) || m[0] != 0xff) return;
    if (m[1] == 0xff) { /* fill byte */
      off++;
      continue;
    }
    off += 2;
    if (m[1] == 0x01 || (m[1] >= 0xd0 && m[1] <= 0xd8)) continue; /* no length */
    if (m[1] == 0xd9 || m[1] == 0xda) return; /* end, or entropy-coded data before any SOF */
    unsigned char seg[7];
    if (!read_at(r, off, seg, 2)) return;
    uint32_t len = be16(seg);
    if (len < 2) return;
    if (jpeg_is_sof(m[1])) {
      if (len >= 7 && read_at(r, off, seg, 7)) set_size(info, be16(seg + 5), be16(seg + 3));
      return;
    }
    off += len;
  }
}

void media_probe(media_read_fn read, void *ctx, struct media_info *info) {
  memset(info, 0, sizeof *info);
  struct reader r = {read, ctx};
  unsigned char h[32];
  ssize_t got = read(ctx, 0, h, sizeof h);
  if (got <= 0) return;
  size_t n = (size_t)got;
  if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
    probe_png(h, n, info);
  else if (n >= 3 && memcmp(h, "\xff\xd8\xff", 3) == 0)
    probe_jpeg(&r, info);
  else if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
    probe_gif(h, n, info);
  else if (n >= 16 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
    probe_webp(h, n, info);
  else if (n >= 18 && memcmp(h, "BM", 2) == 0)
    probe_bmp(h, n, info);
}

static ssize_t fd_read(void *ctx, uint64_t off, void *buf, size_t len) {
  int fd = *(int *)ctx;
  size_t done = 0;
  while (done < len) {
    ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
    if (n < 0) return -1;
    if (n == 0) break;
    done += (size_t)n;
  }
  return (ssize_t)done;
}

void media_probe_fd(int fd, struct media_info *info) { media_probe(fd_read, &fd, info); }

struct mem {
  const unsigned char *data;
  size_t len;
};

static ssize_t mem_read(void *ctx, uint64_t off, void *buf, size_t len) {
  const struct mem *m = ctx;
  if (off >= m->len) return 0;
  size_t n = m->len - off < len ? m->len - off : len;
  memcpy(buf, m->data + off, n);
  return (ssize_t)n;
}

void media_probe_mem(const void *data, size_t len, struct media_info *info) {
  struct mem m = {data, len};
  media_probe(mem_read, &m, info);
}
