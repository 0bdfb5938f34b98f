#include "renew.h"

#include "compile.h"
#include "idset.h"
#include "log.h"
#include "rows.h"

static enum vt_err renew_one(struct store *s, struct compile_cache *cache, struct hub *hub,
                             int64_t id, int64_t now_ms, size_t *changed, struct vt_error *err) {
  struct compile_changes changes = {0};
  enum vt_err rc = store_begin(s, true, err);
  if (rc != VT_OK) return rc;
  if ((rc = compile_display(s, cache, id, now_ms, true, &changes, err)) == VT_OK)
    rc = store_commit(s, err);
  else
    store_rollback(s);
  /* announce only what committed */
  for (size_t i = 0; rc == VT_OK && i < changes.n; i++) {
    if (hub) hub_announce(hub, changes.v[i].display_id, changes.v[i].version, changes.v[i].etag);
    (*changed)++;
  }
  compile_changes_clear(&changes);
  return rc;
}

enum vt_err renew_all(struct store *s, struct hub *hub, int64_t now_ms, size_t *changed,
                      struct vt_error *err) {
  struct idset ids = {0};
  enum vt_err rc = rows_ids(s, "SELECT id FROM displays ORDER BY id", 0, &ids, err);
  *changed = 0;
  /* one pass, one cache: each entry expanded once for all the displays it reaches (it
   * holds only what follows from an entry's content, so writes between the displays'
   * transactions cannot make it stale) */
  struct compile_cache *cache = compile_cache_new();
  for (size_t i = 0; rc == VT_OK && i < ids.n; i++) {
    struct vt_error one = {0};
    /* one display's broken data must not stop the others from renewing */
    if (renew_one(s, cache, hub, ids.ids[i], now_ms, changed, &one) != VT_OK)
      vt_warn("renew", "display %lld: %s", (long long)ids.ids[i], one.message);
  }
  compile_cache_free(cache);
  idset_clear(&ids);
  return rc;
}
