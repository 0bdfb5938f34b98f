#include "hash.h"

#include <string.h>

bool vt_crypto_init(void) { return sodium_init() >= 0; }

void vt_sha256_init(struct vt_sha256 *h) { crypto_hash_sha256_init(&h->state); }

void vt_sha256_update(struct vt_sha256 *h, const void *data, size_t len) {
  crypto_hash_sha256_update(&h->state, data, len);
}

void vt_sha256_final_hex(struct vt_sha256 *h, char out[VT_SHA256_HEX_LEN + 1]) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&h->state, digest);
  sodium_bin2hex(out, VT_SHA256_HEX_LEN + 1, digest, sizeof digest);
}

void vt_sha256_hex(const void *data, size_t len, char out[VT_SHA256_HEX_LEN + 1]) {
  struct vt_sha256 h;
  vt_sha256_init(&h);
  vt_sha256_update(&h, data, len);
  vt_sha256_final_hex(&h, out);
}

bool vt_sha256_hex_valid(const char *s) {
  if (!s || strlen(s) != VT_SHA256_HEX_LEN) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
  return true;
}

void vt_random_hex(char *out, size_t len) {
  unsigned char buf[64];
  size_t done = 0;
  while (done < len) {
    size_t n = len - done < sizeof buf ? len - done : sizeof buf;
    randombytes_buf(buf, n);
    sodium_bin2hex(out + 2 * done, 2 * n + 1, buf, n);
    done += n;
  }
  out[2 * len] = '\0';
}
