/* /api/v1/tokens: API tokens (owner only). The secret is in the creation reply and
 * nowhere else; listings show the public prefix so a token can be recognised. */
#include <jansson.h>
#include <stdio.h>

#include "api.h"
#include "auth.h"
#include "fields.h"
#include "json.h"
#include "vt_limits.h"
#include "reply.h"
#include "store.h"

#define TOKEN_COLUMNS "id, role, name, public_id, created_at"

#define TOKEN_SELECT "SELECT " TOKEN_COLUMNS " FROM api_tokens "

static json_t *token_json(struct request *rq, struct store_stmt *st) {
  (void)rq;
  char prefix[4 + AUTH_PUBLIC_ID_HEX + 1];
  snprintf(prefix, sizeof prefix, "vta_%s", store_col_text(st, 3));
  return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)store_col_int(st, 0), "role",
                   store_col_text(st, 1), "name", store_col_text(st, 2), "prefix", prefix,
                   "created_at", vt_json_time_new(store_col_int(st, 4)));
}

API_HANDLER(api_tokens_create) {
  static const char *const keys[] = {"role", "name", NULL};
  int role = AUTH_NONE;
  const char *name = "";
  int64_t id = 0;
  struct auth_secret secret;
  struct store_stmt *st;
  bool row = false;
  json_t *token = NULL;
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = vt_json_choice(rq->body, "", "role", true, auth_role_choices, &role, err)) ||
      (rc = vt_json_str(rq->body, "", "name", false, 0, VT_LIMIT_NAME_BYTES, &name, err)) ||
      (rc = auth_api_token_create(rq->store, (enum auth_role)role, name, rq->now_ms, &id, &secret,
                                  err)) ||
      (rc = store_prepare(rq->store, TOKEN_SELECT "WHERE id = ?1", &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_step(st, &row, err)) == VT_OK && row) token = token_json(rq, st);
  store_done(st);
  if (rc != VT_OK) return rc;
  /* the secret is in this reply and nowhere else */
  if (token && json_object_set_new(token, "token", json_string(secret.token)) != 0) {
    json_decref(token);
    token = NULL;
  }
  return reply_json(rq, 201, token);
}

API_HANDLER(api_tokens_list) {
  struct store_stmt *st;
  enum vt_err rc = store_prepare(rq->store, TOKEN_SELECT "ORDER BY id", &st, err);
  return rc ? rc : reply_rows(rq, st, token_json, err);
}

API_HANDLER(api_tokens_delete) {
  int64_t id = rq->params.id[0], is_owner = 0, other_owners = 0;
  bool found = false;
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = store_query_int(rq->store, "SELECT role = 'owner' FROM api_tokens WHERE id = ?1", id,
                            &found, &is_owner, err)))
    return rc;
  if (!found)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no token %lld", (long long)id);
  if (is_owner &&
      (rc = store_query_int(rq->store,
                            "SELECT count(*) FROM api_tokens WHERE role = 'owner' AND id != ?1", id,
                            &found, &other_owners, err)))
    return rc;
  /* The last owner token stays, or nobody could manage tokens without shell access. */
  if (is_owner && other_owners == 0)
    return vt_error_set(err, VT_ERR_CONFLICT, "", "token %lld is the last owner token",
                        (long long)id);
  if ((rc = store_prepare(rq->store, "DELETE FROM api_tokens WHERE id = ?1", &st, err))) return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
