/* Tokens and roles (docs/api.md, "Authentication").
 *
 * A token reads "vta_<public id>_<secret>" (API token) or "vtd_<public id>_<secret>"
 * (display token): 16 hex digits of public id, the lookup key stored in clear, and
 * 2 * VT_TOKEN_BYTES hex digits of secret from libsodium's RNG. Only SHA-256 of the whole
 * token is stored; the check compares hashes in constant time. A token is shown once. */
#ifndef MANAGER_AUTH_H
#define MANAGER_AUTH_H

#include <stdint.h>

#include "choice.h"
#include "vt_limits.h"
#include "store.h"
#include "vt_err.h"

/* Who may call a route (routes.c) and who a request is (struct principal). API roles are
 * ordered: owner > editor > viewer. A display is not an API role: it may only call the
 * routes marked AUTH_DISPLAY or AUTH_ANY. */
enum auth_role {
  AUTH_NONE = 0,
  AUTH_VIEWER,
  AUTH_EDITOR,
  AUTH_OWNER,
  AUTH_DISPLAY, /* route: display tokens only; principal: a display */
  AUTH_ANY,     /* route: any valid token, API or display (media bytes) */
};

/* "owner" | "editor" | "viewer", for the CLI and the tokens API. */
extern const struct vt_choice auth_role_choices[];

struct principal {
  enum auth_role role; /* AUTH_VIEWER..AUTH_OWNER or AUTH_DISPLAY */
  int64_t id;          /* api_tokens.id, or displays.id for a display */
};

enum auth_kind { AUTH_KIND_API, AUTH_KIND_DISPLAY };

#define AUTH_PUBLIC_ID_BYTES 8
#define AUTH_PUBLIC_ID_HEX (2 * AUTH_PUBLIC_ID_BYTES)
#define AUTH_TOKEN_LEN (4 + AUTH_PUBLIC_ID_HEX + 1 + 2 * VT_TOKEN_BYTES)
#define AUTH_HASH_BYTES 32

/* A freshly issued token: the text to show once, and what the store keeps. */
struct auth_secret {
  char token[AUTH_TOKEN_LEN + 1];
  char public_id[AUTH_PUBLIC_ID_HEX + 1];
  unsigned char hash[AUTH_HASH_BYTES];
};

void auth_secret_new(enum auth_kind kind, struct auth_secret *out);

/* Who sent this Authorization header? VT_ERR_UNAUTHORIZED when it is absent, malformed
 * or unknown. */
enum vt_err auth_identify(struct store *s, const char *authorization, struct principal *out,
                          struct vt_error *err) VT_WARN_UNUSED;

/* May p call a route that requires min? VT_ERR_FORBIDDEN if not. */
enum vt_err auth_allow(const struct principal *p, enum auth_role min,
                       struct vt_error *err) VT_WARN_UNUSED;

/* Insert an API token (the CLI and POST /api/v1/tokens share this). */
enum vt_err auth_api_token_create(struct store *s, enum auth_role role, const char *name,
                                  int64_t now_ms, int64_t *id, struct auth_secret *out,
                                  struct vt_error *err) VT_WARN_UNUSED;

#endif
