#include "auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hash.h"

const struct vt_choice auth_role_choices[] = {
    {"viewer", AUTH_VIEWER}, {"editor", AUTH_EDITOR}, {"owner", AUTH_OWNER}, {NULL, 0}};

static const char *const kind_prefix[] = {[AUTH_KIND_API] = "vta_", [AUTH_KIND_DISPLAY] = "vtd_"};

static void token_hash(const char *token, unsigned char out[AUTH_HASH_BYTES]) {
  crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void auth_secret_new(enum auth_kind kind, struct auth_secret *out) {
  char secret[2 * VT_TOKEN_BYTES + 1];
  vt_random_hex(out->public_id, AUTH_PUBLIC_ID_BYTES);
  vt_random_hex(secret, VT_TOKEN_BYTES);
  snprintf(out->token, sizeof out->token, "%s%s_%s", kind_prefix[kind], out->public_id, secret);
  token_hash(out->token, out->hash);
  sodium_memzero(secret, sizeof secret);
}

static bool all_lower_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f')) return false;
  return true;
}

/* Split "Bearer vt?_<public>_<secret>" without copying the secret anywhere. */
static bool parse_bearer(const char *h, enum auth_kind *kind,
                         char public_id[AUTH_PUBLIC_ID_HEX + 1], const char **token) {
  if (!h || strncasecmp(h, "Bearer ", 7) != 0) return false;
  h += 7;
  while (*h == ' ') h++;
  if (strlen(h) != AUTH_TOKEN_LEN) return false;
  if (strncmp(h, kind_prefix[AUTH_KIND_API], 4) == 0)
    *kind = AUTH_KIND_API;
  else if (strncmp(h, kind_prefix[AUTH_KIND_DISPLAY], 4) == 0)
    *kind = AUTH_KIND_DISPLAY;
  else
    return false;
  const char *pub = h + 4, *sep = pub + AUTH_PUBLIC_ID_HEX, *secret = sep + 1;
  if (*sep != '_' || !all_lower_hex(pub, AUTH_PUBLIC_ID_HEX) ||
      !all_lower_hex(secret, 2 * VT_TOKEN_BYTES))
    return false;
  memcpy(public_id, pub, AUTH_PUBLIC_ID_HEX);
  public_id[AUTH_PUBLIC_ID_HEX] = '\0';
  *token = h;
  return true;
}

enum vt_err auth_identify(struct store *s, const char *authorization, struct principal *out,
                          struct vt_error *err) {
  static const char *const lookup[] = {
      [AUTH_KIND_API] = "SELECT id, secret_hash, role FROM api_tokens WHERE public_id = ?1",
      [AUTH_KIND_DISPLAY] = "SELECT id, token_hash, NULL FROM displays WHERE token_public_id = ?1",
  };
  enum auth_kind kind;
  char public_id[AUTH_PUBLIC_ID_HEX + 1];
  const char *token;
  if (!authorization)
    return vt_error_set(err, VT_ERR_UNAUTHORIZED, "", "an Authorization: Bearer token is required");
  if (!parse_bearer(authorization, &kind, public_id, &token))
    return vt_error_set(err, VT_ERR_UNAUTHORIZED, "", "the token is malformed");

  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, lookup[kind], &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, public_id);
  bool row = false, match = false;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) {
    unsigned char want[AUTH_HASH_BYTES];
    size_t len = 0;
    const void *have = store_col_blob(st, 1, &len);
    token_hash(token, want);
    match = len == AUTH_HASH_BYTES && sodium_memcmp(want, have, AUTH_HASH_BYTES) == 0;
    out->id = store_col_int(st, 0);
    int role = AUTH_NONE;
    if (kind == AUTH_KIND_DISPLAY)
      role = AUTH_DISPLAY;
    else if (!vt_choice_parse(auth_role_choices, store_col_text(st, 2), &role))
      match = false;
    out->role = (enum auth_role)role;
  }
  store_done(st);
  if (rc != VT_OK) return rc;
  if (!match) return vt_error_set(err, VT_ERR_UNAUTHORIZED, "", "the token is not valid");
  return VT_OK;
}

enum vt_err auth_allow(const struct principal *p, enum auth_role min, struct vt_error *err) {
  bool ok;
  if (min == AUTH_ANY)
    ok = p->role != AUTH_NONE;
  else if (min == AUTH_DISPLAY)
    ok = p->role == AUTH_DISPLAY;
  else
    ok = p->role != AUTH_DISPLAY && p->role >= min;
  if (ok) return VT_OK;
  if (p->role == AUTH_DISPLAY)
    return vt_error_set(err, VT_ERR_FORBIDDEN, "", "a display token may not call this route");
  if (min == AUTH_DISPLAY)
    return vt_error_set(err, VT_ERR_FORBIDDEN, "", "this route needs a display token");
  return vt_error_set(err, VT_ERR_FORBIDDEN, "", "this route needs the %s role",
                      vt_choice_name(auth_role_choices, (int)min));
}

enum vt_err auth_api_token_create(struct store *s, enum auth_role role, const char *name,
                                  int64_t now_ms, int64_t *id, struct auth_secret *out,
                                  struct vt_error *err) {
  auth_secret_new(AUTH_KIND_API, out);
  struct store_stmt *st;
  enum vt_err rc =
      store_prepare(s,
                    "INSERT INTO api_tokens (public_id, secret_hash, role, name, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                    &st, err);
  if (rc != VT_OK) return rc;
  store_bind_text(st, 1, out->public_id);
  store_bind_blob(st, 2, out->hash, sizeof out->hash);
  store_bind_text(st, 3, vt_choice_name(auth_role_choices, (int)role));
  store_bind_text(st, 4, name ? name : "");
  store_bind_int(st, 5, now_ms);
  bool row = false;
  rc = store_step(st, &row, err);
  if (rc == VT_OK && row) *id = store_col_int(st, 0);
  store_done(st);
  return rc;
}
