/* The offline subcommands: `token create` and `display add`. They open the database
 * directly (a running server sees the rows at once; WAL lets both work) and print the new
 * secret on stdout, the only place it is ever shown. */
#include <stdio.h>

#include "api.h"
#include "auth.h"
#include "commands.h"
#include "compile.h"
#include "fields.h"
#include "hash.h"
#include "vt_limits.h"
#include "manager.h"
#include "store.h"
#include "timeutil.h"

typedef enum vt_err (*cli_write)(struct store *s, const struct config *cfg, char *out,
                                 size_t out_size, struct vt_error *err);

/* Open the data directory, run write in one transaction, print its line. */
static int run_write(const char *what, const struct config *cfg, cli_write write) {
  struct paths paths;
  struct store *s = NULL;
  struct vt_error err = {0};
  char line[256];
  enum vt_err rc;
  if (!vt_crypto_init()) {
    fprintf(stderr, "vitrine-manager %s: libsodium cannot initialise\n", what);
    return 1;
  }
  if ((rc = paths_init(&paths, cfg->data, &err)) == VT_OK &&
      (rc = store_open(paths.db, &s, &err)) == VT_OK &&
      (rc = store_begin(s, true, &err)) == VT_OK) {
    rc = write(s, cfg, line, sizeof line, &err);
    if (rc == VT_OK)
      rc = store_commit(s, &err);
    else
      store_rollback(s);
  }
  store_free(s);
  if (rc != VT_OK) {
    fprintf(stderr, "vitrine-manager %s: %s%s%s\n", what, err.field[0] ? err.field : "",
            err.field[0] ? ": " : "", err.message);
    return rc == VT_ERR_INVALID || rc == VT_ERR_MISSING ? EXIT_USAGE : 1;
  }
  printf("%s\n", line);
  fflush(stdout);
  return 0;
}

static enum vt_err write_token(struct store *s, const struct config *cfg, char *out,
                               size_t out_size, struct vt_error *err) {
  int role;
  if (!cfg->role || !vt_choice_parse(auth_role_choices, cfg->role, &role))
    return vt_error_set(err, VT_ERR_INVALID, "--role", "must be owner, editor or viewer");
  if (cfg->name && !fields_text_ok(cfg->name, 0, VT_LIMIT_NAME_BYTES))
    return vt_error_set(err, VT_ERR_INVALID, "--name", "must be UTF-8 of at most %d bytes",
                        VT_LIMIT_NAME_BYTES);
  struct auth_secret secret;
  int64_t id;
  enum vt_err rc =
      auth_api_token_create(s, (enum auth_role)role, cfg->name, vt_now_ms(), &id, &secret, err);
  if (rc == VT_OK) snprintf(out, out_size, "%s", secret.token);
  return rc;
}

static enum vt_err write_display(struct store *s, const struct config *cfg, char *out,
                                 size_t out_size, struct vt_error *err) {
  if (cfg->n_args != 1)
    return vt_error_set(err, VT_ERR_MISSING, "NAME", "exactly one display name is required");
  if (!fields_text_ok(cfg->args[0], 1, VT_LIMIT_NAME_BYTES))
    return vt_error_set(err, VT_ERR_INVALID, "NAME", "must be UTF-8 of 1 to %d bytes",
                        VT_LIMIT_NAME_BYTES);
  struct auth_secret secret;
  struct compile_changes changes = {0}; /* a new display has no listener to announce to */
  int64_t id = 0;
  enum vt_err rc =
      api_displays_insert(s, cfg->args[0], cfg->layout, vt_now_ms(), &id, &secret, &changes, err);
  compile_changes_clear(&changes);
  if (rc == VT_OK) snprintf(out, out_size, "%lld %s", (long long)id, secret.token);
  return rc;
}

int cli_token_create(const struct config *cfg) {
  return run_write("token create", cfg, write_token);
}

int cli_display_add(const struct config *cfg) {
  return run_write("display add", cfg, write_display);
}
