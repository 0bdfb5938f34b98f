/* /api/v1/menus: menus with sections and items (docs/api.md, docs/live-content.md). A menu
 * is a source ("menu/<id>"): every write bumps its version and announces it to the displays
 * that show it as `event: source`; their manifests change only when a menu image does
 * (images are manifest media). PATCH /api/v1/menus/{id}/items/{item_id} is the shop
 * owner's price and sold-out edit: one row read, one row written, one version bump. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fields.h"
#include "json.h"
#include "reply.h"
#include "rows.h"
#include "source.h"
#include "sources.h"
#include "store.h"
#include "vt_limits.h"

/* One item of a body, borrowed from it. */
struct item_in {
  int64_t id; /* 0: new */
  const char *name, *description, *price, *currency;
  bool image_given;  /* "image" present (null clears) */
  const char *image; /* NULL: none */
  bool sold_out, sold_out_given;
};

struct section_in {
  int64_t id;
  const char *name;
  struct item_in *items;
  size_t n_items;
};

struct menu_in {
  struct section_in *sections;
  size_t n_sections;
};

static void menu_in_free(struct menu_in *m) {
  for (size_t i = 0; i < m->n_sections; i++) free(m->sections[i].items);
  free(m->sections);
}

static enum vt_err field_error(struct vt_error *err, const char *path, const char *key,
                               const char *msg) {
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, key);
  return vt_error_set(err, VT_ERR_INVALID, f, "%s", msg);
}

/* An item's members; full: a list element (name and price required, "id" allowed). The
 * image must be stored media. */
static enum vt_err parse_item(struct store *s, const json_t *obj, const char *path, bool full,
                              struct item_in *it, struct vt_error *err) {
  static const char *const keys[] = {"id",       "name",  "description", "price",
                                     "currency", "image", "sold_out",    NULL};
  enum vt_err rc;
  if ((rc = vt_json_expect_object(obj, path, err)) ||
      (rc = vt_json_only_keys(obj, path, full ? keys : keys + 1, err)) ||
      (full && (rc = vt_json_int(obj, path, "id", false, 1, INT64_MAX, &it->id, err))) ||
      (rc = fields_name(obj, path, "name", full, &it->name, err)) ||
      (rc = vt_json_str(obj, path, "description", false, 0, VT_LIMIT_MENU_DESCRIPTION_BYTES,
                        &it->description, err)) ||
      (rc = vt_json_str(obj, path, "price", full, 1, 32, &it->price, err)) ||
      (rc = vt_json_str(obj, path, "currency", false, 0, VT_LIMIT_CURRENCY_LABEL_BYTES,
                        &it->currency, err)) ||
      (rc = fields_nullable_str(obj, path, "image", VT_SHA256_HEX_LEN, VT_SHA256_HEX_LEN,
                                &it->image_given, &it->image, err)))
    return rc;
  if (json_object_get(obj, "sold_out")) {
    if ((rc = vt_json_bool(obj, path, "sold_out", true, &it->sold_out, err))) return rc;
    it->sold_out_given = true;
  }
  if (it->price && !vt_price_valid(it->price))
    return field_error(err, path, "price",
                       "'price' must be a decimal string such as \"120000\" or \"3.20\" "
                       "(digits, at most one '.', no sign or grouping)");
  if (it->image) {
    bool found = false;
    int64_t one;
    if (!vt_sha256_hex_valid(it->image))
      return field_error(err, path, "image", "'image' must be a sha256: 64 lower-case hex digits");
    if ((rc = store_query_int_text(s, "SELECT 1 FROM media WHERE sha256 = ?1", it->image, &found,
                                   &one, err)))
      return rc;
    if (!found) {
      char f[VT_JSON_PATH_MAX];
      vt_json_path_key(f, path, "image");
      return vt_error_set(err, VT_ERR_INVALID, f, "there is no media %s", it->image);
    }
  }
  return VT_OK;
}

/* The ids a menu holds now: its sections and its items. */
struct menu_ids {
  struct idset sections, items;
};

static enum vt_err load_ids(struct store *s, int64_t menu_id, struct menu_ids *ids,
                            struct vt_error *err) {
  enum vt_err rc;
  if ((rc = rows_ids(s, "SELECT id FROM menu_sections WHERE menu_id = ?1", menu_id, &ids->sections,
                     err)) ||
      (rc = rows_ids(s,
                     "SELECT i.id FROM menu_items i JOIN menu_sections s ON s.id = i.section_id "
                     "WHERE s.menu_id = ?1",
                     menu_id, &ids->items, err)))
    return rc;
  idset_seal(&ids->sections);
  idset_seal(&ids->items);
  return VT_OK;
}

/* An id given in a body must be one the menu holds (old; NULL for a new menu), once. */
static enum vt_err check_id(int64_t id, const struct idset *old, struct idset *seen,
                            const char *path, const char *what, struct vt_error *err) {
  if (!id) return VT_OK;
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, "id");
  if (!old || !idset_has(old, id))
    return vt_error_set(err, VT_ERR_INVALID, f, "%s %lld is not in this menu", what, (long long)id);
  for (size_t i = 0; i < seen->n; i++)
    if (seen->ids[i] == id)
      return vt_error_set(err, VT_ERR_INVALID, f, "%s %lld is listed twice", what, (long long)id);
  return idset_add(seen, id) ? VT_OK : vt_error_no_memory(err);
}

/* body.sections into in; old: the menu's ids now (NULL for a new menu). */
static enum vt_err parse_sections(struct store *s, const json_t *arr, const struct menu_ids *old,
                                  struct menu_in *in, struct vt_error *err) {
  static const char *const keys[] = {"id", "name", "items", NULL};
  struct idset seen_sections = {0}, seen_items = {0};
  size_t total = 0, i, k;
  json_t *e, *ie, *items;
  enum vt_err rc = VT_OK;
  if (!(in->sections = calloc(json_array_size(arr) + 1, sizeof *in->sections)))
    return vt_error_no_memory(err);
  json_array_foreach(arr, i, e) {
    char path[VT_JSON_PATH_MAX], ipath[VT_JSON_PATH_MAX], ibase[VT_JSON_PATH_MAX];
    struct section_in *sec = &in->sections[in->n_sections++];
    vt_json_path_index(path, "sections", i);
    items = NULL;
    if ((rc = vt_json_expect_object(e, path, err)) || (rc = vt_json_only_keys(e, path, keys, err)) ||
        (rc = vt_json_int(e, path, "id", false, 1, INT64_MAX, &sec->id, err)) ||
        (rc = check_id(sec->id, old ? &old->sections : NULL, &seen_sections, path, "section", err)) ||
        (rc = fields_name(e, path, "name", true, &sec->name, err)) ||
        (rc = vt_json_array(e, path, "items", false, VT_LIMIT_MENU_ITEMS, &items, err)))
      break;
    if ((total += json_array_size(items)) > VT_LIMIT_MENU_ITEMS) {
      char f[VT_JSON_PATH_MAX];
      vt_json_path_key(f, path, "items");
      rc = vt_error_set(err, VT_ERR_INVALID, f, "a menu holds at most %d items",
                        VT_LIMIT_MENU_ITEMS);
      break;
    }
    if (!(sec->items = calloc(json_array_size(items) + 1, sizeof *sec->items))) {
      rc = vt_error_no_memory(err);
      break;
    }
    vt_json_path_key(ibase, path, "items");
    json_array_foreach(items, k, ie) {
      struct item_in *it = &sec->items[sec->n_items++];
      vt_json_path_index(ipath, ibase, k);
      if ((rc = parse_item(s, ie, ipath, true, it, err)) ||
          (rc = check_id(it->id, old ? &old->items : NULL, &seen_items, ipath, "item", err)))
        break;
    }
    if (rc != VT_OK) break;
  }
  idset_clear(&seen_sections);
  idset_clear(&seen_items);
  return rc;
}

/* ---- writing -------------------------------------------------------------------------- */

static enum vt_err save_item(struct store *s, int64_t section_id, int64_t position,
                             const struct item_in *it, struct vt_error *err) {
  static const char insert_sql[] =
      "INSERT INTO menu_items (section_id, position, name, description, price, currency, image, "
      "sold_out) VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, coalesce(?6, ''), ?7, ?8)";
  static const char update_sql[] =
      "UPDATE menu_items SET section_id = ?1, position = ?2, name = ?3, "
      "description = coalesce(?4, ''), price = ?5, currency = coalesce(?6, ''), image = ?7, "
      "sold_out = ?8 WHERE id = ?9";
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, it->id ? update_sql : insert_sql, &st, err);
  if (rc != VT_OK) return rc;
  store_bind_int(st, 1, section_id);
  store_bind_int(st, 2, position);
  store_bind_text(st, 3, it->name);
  store_bind_text(st, 4, it->description);
  store_bind_text(st, 5, it->price);
  store_bind_text(st, 6, it->currency);
  store_bind_text(st, 7, it->image);
  store_bind_int(st, 8, it->sold_out);
  if (it->id) store_bind_int(st, 9, it->id);
  return store_exec(st, err);
}

/* Make the menu's sections and items exactly in's: kept ones updated (an item may move to
 * another section), new ones inserted, then the rest deleted. */
static enum vt_err save_sections(struct store *s, int64_t menu_id, const struct menu_in *in,
                                 const struct menu_ids *old, struct vt_error *err) {
  struct idset kept_sections = {0}, kept_items = {0};
  enum vt_err rc = VT_OK;
  for (size_t i = 0; rc == VT_OK && i < in->n_sections; i++) {
    const struct section_in *sec = &in->sections[i];
    struct store_stmt *st;
    bool row = false;
    if ((rc = store_prepare(s,
                            sec->id ? "UPDATE menu_sections SET position = ?2, name = ?3 "
                                      "WHERE id = ?4 RETURNING id"
                                    : "INSERT INTO menu_sections (menu_id, position, name) "
                                      "VALUES (?1, ?2, ?3) RETURNING id",
                            &st, err)))
      break;
    store_bind_int(st, 1, menu_id);
    store_bind_int(st, 2, (int64_t)i);
    store_bind_text(st, 3, sec->name);
    if (sec->id) store_bind_int(st, 4, sec->id);
    int64_t section_id = 0;
    if ((rc = store_step(st, &row, err)) == VT_OK && row) section_id = store_col_int(st, 0);
    store_done(st);
    if (rc == VT_OK && !idset_add(&kept_sections, section_id)) rc = vt_error_no_memory(err);
    for (size_t k = 0; rc == VT_OK && k < sec->n_items; k++) {
      rc = save_item(s, section_id, (int64_t)k, &sec->items[k], err);
      if (rc == VT_OK && sec->items[k].id && !idset_add(&kept_items, sec->items[k].id))
        rc = vt_error_no_memory(err);
    }
  }
  idset_seal(&kept_sections);
  idset_seal(&kept_items);
  for (size_t i = 0; rc == VT_OK && old && i < old->items.n; i++) {
    if (idset_has(&kept_items, old->items.ids[i])) continue;
    struct store_stmt *st;
    if ((rc = store_prepare(s, "DELETE FROM menu_items WHERE id = ?1", &st, err))) break;
    store_bind_int(st, 1, old->items.ids[i]);
    rc = store_exec(st, err);
  }
  for (size_t i = 0; rc == VT_OK && old && i < old->sections.n; i++) {
    if (idset_has(&kept_sections, old->sections.ids[i])) continue;
    struct store_stmt *st;
    if ((rc = store_prepare(s, "DELETE FROM menu_sections WHERE id = ?1", &st, err))) break;
    store_bind_int(st, 1, old->sections.ids[i]);
    rc = store_exec(st, err);
  }
  idset_clear(&kept_sections);
  idset_clear(&kept_items);
  return rc;
}

/* After a write to menu id (its version already bumped to version): displays whose
 * manifest may change (images are media) are recompiled, and the displays showing the menu
 * are recorded for http.c to tell of the new version once the write is committed. */
static enum vt_err after_write(struct request *rq, int64_t id, int64_t version, bool recompile,
                               struct vt_error *err) {
  char key[VT_SOURCE_KEY_MAX];
  sources_key(key, true, id);
  /* told after the commit (http.c), so a player never fetches a version that is not there */
  memcpy(rq->source_change.key, key, sizeof key);
  rq->source_change.version = version;
  idset_clear(&rq->source_change.displays);
  enum vt_err rc = sources_displays(rq->store, key, &rq->source_change.displays, err);
  for (size_t i = 0; rc == VT_OK && recompile && i < rq->source_change.displays.n; i++)
    if (!idset_add(&rq->recompile, rq->source_change.displays.ids[i])) rc = vt_error_no_memory(err);
  return rc;
}

/* ---- reading -------------------------------------------------------------------------- */

/* The menu as the API shows it: the snapshot's data (what players get) with id, key,
 * version and times. */
static enum vt_err menu_json(struct store *s, int64_t id, json_t **out, struct vt_error *err) {
  char key[VT_SOURCE_KEY_MAX];
  json_t *doc = NULL;
  int64_t version = 0, created = 0;
  bool found = false;
  sources_key(key, true, id);
  enum vt_err rc =
      store_query_int(s, "SELECT created_at FROM menus WHERE id = ?1", id, &found, &created, err);
  if (rc != VT_OK) return rc;
  if (!found) return vt_error_set(err, VT_ERR_NOT_FOUND, "", "there is no menu %lld", (long long)id);
  if ((rc = sources_snapshot(s, key, &doc, &version, err))) return rc;
  json_t *data = json_object_get(doc, "data");
  *out = json_pack("{s:I, s:s, s:O, s:I, s:O, s:o, s:O}", "id", (json_int_t)id, "key", key,
                   "name", json_object_get(data, "name"), "version", (json_int_t)version,
                   "sections", json_object_get(data, "sections"), "created_at",
                   vt_json_time_new(created), "updated_at", json_object_get(doc, "updated_at"));
  json_decref(doc);
  return *out ? VT_OK : vt_error_no_memory(err);
}

static enum vt_err reply_menu(struct request *rq, unsigned status, int64_t id,
                              struct vt_error *err) {
  json_t *o = NULL;
  enum vt_err rc = menu_json(rq->store, id, &o, err);
  return rc ? rc : reply_json(rq, status, o);
}

/* ---- handlers ------------------------------------------------------------------------- */

static enum vt_err read_body(struct request *rq, bool create, const char **name, json_t **sections,
                             struct vt_error *err) {
  static const char *const keys[] = {"name", "sections", NULL};
  enum vt_err rc;
  if ((rc = vt_json_only_keys(rq->body, "", keys, err)) ||
      (rc = fields_name(rq->body, "", "name", create, name, err)) ||
      (rc = vt_json_array(rq->body, "", "sections", false, VT_LIMIT_MENU_SECTIONS, sections, err)))
    return rc;
  return VT_OK;
}

API_HANDLER(api_menus_create) {
  const char *name = NULL;
  json_t *sections = NULL;
  struct menu_in in = {0};
  struct store_stmt *st;
  bool row = false;
  int64_t id = 0;
  enum vt_err rc = read_body(rq, true, &name, &sections, err);
  if (rc == VT_OK && sections) rc = parse_sections(rq->store, sections, NULL, &in, err);
  if (rc == VT_OK &&
      (rc = store_prepare(rq->store,
                          "INSERT INTO menus (name, created_at, updated_at) VALUES (?1, ?2, ?2) "
                          "RETURNING id",
                          &st, err)) == VT_OK) {
    store_bind_text(st, 1, name);
    store_bind_int(st, 2, rq->now_ms);
    if ((rc = store_step(st, &row, err)) == VT_OK) id = store_col_int(st, 0);
    store_done(st);
  }
  if (rc == VT_OK) rc = save_sections(rq->store, id, &in, NULL, err);
  menu_in_free(&in);
  /* a new menu is on no display yet: nothing to announce */
  return rc ? rc : reply_menu(rq, 201, id, err);
}

API_HANDLER(api_menus_list) {
  struct idset ids = {0};
  enum vt_err rc = rows_ids(rq->store, "SELECT id FROM menus ORDER BY id", 0, &ids, err);
  json_t *items = json_array();
  if (!items && rc == VT_OK) rc = vt_error_no_memory(err);
  for (size_t i = 0; rc == VT_OK && i < ids.n; i++) {
    json_t *o = NULL;
    if ((rc = menu_json(rq->store, ids.ids[i], &o, err)) == VT_OK &&
        json_array_append_new(items, o) != 0)
      rc = vt_error_no_memory(err);
  }
  idset_clear(&ids);
  if (rc != VT_OK) {
    json_decref(items);
    return rc;
  }
  return reply_json(rq, 200, json_pack("{s:o}", "items", items));
}

API_HANDLER(api_menus_get) { return reply_menu(rq, 200, rq->params.id[0], err); }

API_HANDLER(api_menus_patch) {
  int64_t id = rq->params.id[0], version = 0;
  const char *name = NULL;
  json_t *sections = NULL;
  struct menu_in in = {0};
  struct menu_ids old = {{0}, {0}};
  struct store_stmt *st;
  enum vt_err rc;
  if ((rc = read_body(rq, false, &name, &sections, err)) ||
      (rc = rows_require(rq->store, "SELECT 1 FROM menus WHERE id = ?1", id, "menu", err)))
    return rc;
  if (sections && (rc = load_ids(rq->store, id, &old, err)) == VT_OK &&
      (rc = parse_sections(rq->store, sections, &old, &in, err)) == VT_OK)
    rc = save_sections(rq->store, id, &in, &old, err);
  if (rc == VT_OK && name &&
      (rc = store_prepare(rq->store, "UPDATE menus SET name = ?2 WHERE id = ?1", &st, err)) == VT_OK) {
    store_bind_int(st, 1, id);
    store_bind_text(st, 2, name);
    rc = store_exec(st, err);
  }
  menu_in_free(&in);
  idset_clear(&old.sections);
  idset_clear(&old.items);
  if (rc == VT_OK) rc = sources_menu_touched(rq->store, id, rq->now_ms, &version, err);
  /* new sections may bring or drop images: let the compiler decide (no change, no version) */
  if (rc == VT_OK) rc = after_write(rq, id, version, sections != NULL, err);
  return rc ? rc : reply_menu(rq, 200, id, err);
}

static json_t *item_json(struct store_stmt *st, int64_t menu_version) {
  return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:b, s:I}", "id",
                   (json_int_t)store_col_int(st, 0), "section_id", (json_int_t)store_col_int(st, 1),
                   "name", store_col_text(st, 2), "description", store_col_text(st, 3), "price",
                   store_col_text(st, 4), "currency", store_col_text(st, 5), "image",
                   store_col_null(st, 6) ? json_null() : json_string(store_col_text(st, 6)),
                   "sold_out", (int)store_col_int(st, 7), "menu_version", (json_int_t)menu_version);
}

API_HANDLER(api_menus_patch_item) {
  int64_t id = rq->params.id[0], item_id = rq->params.id[1], version = 0;
  struct item_in it = {0};
  struct store_stmt *st;
  bool row = false, image_changed = false;
  enum vt_err rc = parse_item(rq->store, rq->body, "", false, &it, err);
  if (rc != VT_OK) return rc;
  /* the item must be in this menu; its image says whether the manifest can change at all */
  if ((rc = store_prepare(rq->store,
                          "SELECT i.image FROM menu_items i JOIN menu_sections s "
                          "ON s.id = i.section_id WHERE i.id = ?2 AND s.menu_id = ?1",
                          &st, err)))
    return rc;
  store_bind_int(st, 1, id);
  store_bind_int(st, 2, item_id);
  if ((rc = store_step(st, &row, err)) == VT_OK && row && it.image_given)
    image_changed = store_col_null(st, 0) != !it.image ||
                    (it.image && strcmp(store_col_text(st, 0), it.image) != 0);
  store_done(st);
  if (rc != VT_OK) return rc;
  if (!row)
    return vt_error_set(err, VT_ERR_NOT_FOUND, "", "menu %lld has no item %lld", (long long)id,
                        (long long)item_id);
  if ((rc = store_prepare(rq->store,
                          "UPDATE menu_items SET name = coalesce(?2, name), "
                          "description = coalesce(?3, description), price = coalesce(?4, price), "
                          "currency = coalesce(?5, currency), "
                          "image = CASE WHEN ?6 THEN ?7 ELSE image END, "
                          "sold_out = CASE WHEN ?8 THEN ?9 ELSE sold_out END WHERE id = ?1",
                          &st, err)))
    return rc;
  store_bind_int(st, 1, item_id);
  store_bind_text(st, 2, it.name);
  store_bind_text(st, 3, it.description);
  store_bind_text(st, 4, it.price);
  store_bind_text(st, 5, it.currency);
  store_bind_int(st, 6, it.image_given);
  store_bind_text(st, 7, it.image);
  store_bind_int(st, 8, it.sold_out_given);
  store_bind_int(st, 9, it.sold_out);
  if ((rc = store_exec(st, err)) ||
      (rc = sources_menu_touched(rq->store, id, rq->now_ms, &version, err)) ||
      (rc = after_write(rq, id, version, image_changed, err)) ||
      (rc = store_prepare(rq->store,
                          "SELECT id, section_id, name, description, price, currency, image, "
                          "sold_out FROM menu_items WHERE id = ?1",
                          &st, err)))
    return rc;
  store_bind_int(st, 1, item_id);
  json_t *o = NULL;
  if ((rc = store_step(st, &row, err)) == VT_OK && row) o = item_json(st, version);
  store_done(st);
  return rc ? rc : reply_json(rq, 200, o);
}

API_HANDLER(api_menus_delete) {
  int64_t id = rq->params.id[0];
  char key[VT_SOURCE_KEY_MAX];
  struct store_stmt *st;
  enum vt_err rc;
  sources_key(key, true, id);
  if ((rc = rows_require(rq->store, "SELECT 1 FROM menus WHERE id = ?1", id, "menu", err)) ||
      (rc = sources_check_unused(rq->store, key, err)))
    return rc;
  if ((rc = store_prepare(rq->store, "DELETE FROM menus WHERE id = ?1", &st, err))) return rc;
  store_bind_int(st, 1, id);
  if ((rc = store_exec(st, err))) return rc;
  return reply_empty(rq, 204);
}
