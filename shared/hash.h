/* SHA-256 as lower-case hex, via libsodium. */
#ifndef VT_HASH_H
#define VT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <sodium.h>

#define VT_SHA256_HEX_LEN 64 /* plus the NUL: char buf[VT_SHA256_HEX_LEN + 1] */

struct vt_sha256 {
  crypto_hash_sha256_state state;
};

/* Must be called once before any hashing or token function (sodium_init). Returns false if
 * libsodium cannot initialise (no entropy source). */
bool vt_crypto_init(void);

void vt_sha256_init(struct vt_sha256 *h);
void vt_sha256_update(struct vt_sha256 *h, const void *data, size_t len);
void vt_sha256_final_hex(struct vt_sha256 *h, char out[VT_SHA256_HEX_LEN + 1]);
void vt_sha256_hex(const void *data, size_t len, char out[VT_SHA256_HEX_LEN + 1]);

/* True if s is exactly 64 lower-case hex digits: the only form a media id may take, so a
 * name from the network can be used as a file name without path tricks. */
bool vt_sha256_hex_valid(const char *s);

/* Hex-encode len random bytes into out (2*len+1 bytes). */
void vt_random_hex(char *out, size_t len);

#endif
