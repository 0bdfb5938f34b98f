#include "items.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "json.h"
#include "source.h"
#include "sources.h"
#include "vt_limits.h"

/* ---- rows ---------------------------------------------------------------------------- */

static int choice_col(struct store_stmt *st, int col, const struct vt_choice *table, int dflt) {
  int v = dflt;
  if (!store_col_null(st, col)) (void)vt_choice_parse(table, store_col_text(st, col), &v);
  return v;
}

/* A live item's options column, through the shared parser like any manifest item. */
static enum vt_err live_from_row(struct store_stmt *st, int col, struct vt_item *it,
                                 struct vt_error *err) {
  const char *text = store_col_text(st, col);
  json_t *obj = NULL;
  vt_item_defaults(it); /* what the stored options leave out */
  struct vt_error why = {0};
  enum vt_err rc = vt_json_parse(text, strlen(text), &obj, &why);
  if (rc == VT_OK) rc = vt_live_item_from_json(obj, "", it, &why);
  json_decref(obj);
  if (rc == VT_ERR_NO_MEMORY) return vt_error_no_memory(err);
  if (rc != VT_OK)
    return vt_error_set(err, VT_ERR_CORRUPT, "", "item %lld: stored options unreadable: %s: %s",
                        (long long)it->id, why.field, why.message);
  return VT_OK;
}

/* A live item's members but id, type and duration_ms (their own columns), as stored text. */
static char *live_options(const struct vt_item *it) {
  json_t *o = vt_item_to_json(it);
  if (!o) return NULL;
  json_object_del(o, "id");
  json_object_del(o, "type");
  json_object_del(o, "duration_ms");
  char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  return text;
}

enum vt_err items_from_row(struct store_stmt *st, int col, struct vt_item *it,
                           struct vt_error *err) {
  int type = VT_ITEM_IMAGE;
  it->id = store_col_int(st, col);
  if (!vt_choice_parse(vt_item_type_choices, store_col_text(st, col + 1), &type))
    return vt_error_set(err, VT_ERR_CORRUPT, "", "item %lld has an unknown type",
                        (long long)it->id);
  it->type = (enum vt_item_type)type;
  it->duration_ms = store_col_int(st, col + 2);
  if (it->type == VT_ITEM_IMAGE) {
    snprintf(it->media, sizeof it->media, "%s", store_col_text(st, col + 3));
    it->fit = (enum vt_fit)choice_col(st, col + 4, vt_fit_choices, VT_FIT_CONTAIN);
    return VT_OK;
  }
  if (it->type != VT_ITEM_TEXT) return live_from_row(st, col + 13, it, err);
  struct vt_text_style *s = &it->style;
  it->text = strdup(store_col_text(st, col + 5));
  if (!it->text) return vt_error_no_memory(err);
  if (!store_col_null(st, col + 6)) s->size_px = (int)store_col_int(st, col + 6);
  if (!store_col_null(st, col + 7)) s->color = (uint32_t)store_col_int(st, col + 7);
  if (!store_col_null(st, col + 8)) s->background = (uint32_t)store_col_int(st, col + 8);
  s->align = (enum vt_align)choice_col(st, col + 9, vt_align_choices, (int)s->align);
  s->valign = (enum vt_valign)choice_col(st, col + 10, vt_valign_choices, (int)s->valign);
  s->weight = (enum vt_weight)choice_col(st, col + 11, vt_weight_choices, (int)s->weight);
  if (!store_col_null(st, col + 12)) s->padding_px = (int)store_col_int(st, col + 12);
  return VT_OK;
}

enum vt_err items_save(struct store *s, int64_t playlist_id, int64_t position, struct vt_item *it,
                       struct vt_error *err) {
  static const char insert_sql[] =
      "INSERT INTO playlist_items (playlist_id, position, type, duration_ms, media, fit, text, "
      "style_size_px, style_color, style_background, style_align, style_valign, style_weight, "
      "style_padding_px, options, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13, ?14, ?16, ?17) RETURNING id";
  static const char update_sql[] =
      "UPDATE playlist_items SET position = ?2, type = ?3, duration_ms = ?4, media = ?5, "
      "fit = ?6, text = ?7, style_size_px = ?8, style_color = ?9, style_background = ?10, "
      "style_align = ?11, style_valign = ?12, style_weight = ?13, style_padding_px = ?14, "
      "options = ?16, source = ?17 WHERE id = ?15 AND playlist_id = ?1 RETURNING id";
  struct store_stmt *st;
  bool image = it->type == VT_ITEM_IMAGE, live = !image && it->type != VT_ITEM_TEXT;
  char *options = live ? live_options(it) : NULL;
  if (live && !options) return vt_error_no_memory(err);
  enum vt_err rc = store_prepare(s, it->id ? update_sql : insert_sql, &st, err);
  if (rc != VT_OK) {
    free(options);
    return rc;
  }
  const struct vt_text_style *ts = &it->style;
  store_bind_int(st, 1, playlist_id);
  store_bind_int(st, 2, position);
  store_bind_text(st, 3, vt_choice_name(vt_item_type_choices, it->type));
  store_bind_int(st, 4, it->duration_ms);
  if (image) {
    store_bind_text(st, 5, it->media);
    store_bind_text(st, 6, vt_choice_name(vt_fit_choices, it->fit));
  } else if (live) {
    store_bind_text(st, 16, options);
    store_bind_text(st, 17, it->source);
  } else {
    store_bind_text(st, 7, it->text ? it->text : "");
    store_bind_int(st, 8, ts->size_px);
    store_bind_int(st, 9, ts->color);
    store_bind_int(st, 10, ts->background);
    store_bind_text(st, 11, vt_choice_name(vt_align_choices, ts->align));
    store_bind_text(st, 12, vt_choice_name(vt_valign_choices, ts->valign));
    store_bind_text(st, 13, vt_choice_name(vt_weight_choices, ts->weight));
    store_bind_int(st, 14, ts->padding_px);
  }
  if (it->id) store_bind_int(st, 15, it->id);
  bool row = false;
  rc = store_step(st, &row, err);
  if (rc == VT_OK && !row)
    rc = vt_error_set(err, VT_ERR_NOT_FOUND, "", "item %lld is not in playlist %lld",
                      (long long)it->id, (long long)playlist_id);
  if (rc == VT_OK) it->id = store_col_int(st, 0);
  store_done(st);
  free(options);
  return rc;
}

/* ---- JSON in ------------------------------------------------------------------------- */

/* A member that belongs to the other item type is a mistake worth naming, not ignoring. */
static enum vt_err reject_members(const json_t *obj, const char *path, const char *const *keys,
                                  const char *type, struct vt_error *err) {
  for (; *keys; keys++)
    if (json_object_get(obj, *keys)) {
      char f[VT_JSON_PATH_MAX];
      vt_json_path_key(f, path, *keys);
      return vt_error_set(err, VT_ERR_INVALID, f, "'%s' does not apply to %s items", *keys, type);
    }
  return VT_OK;
}

static enum vt_err apply_image(const json_t *obj, const char *path, bool required,
                               struct vt_item *it, struct vt_error *err) {
  static const char *const text_keys[] = {"text", "style", NULL};
  const char *media = NULL;
  int fit = (int)it->fit;
  enum vt_err rc;
  if ((rc = reject_members(obj, path, text_keys, "image", err)) ||
      (rc = vt_json_str(obj, path, "media", required, 1, VT_SHA256_HEX_LEN, &media, err)) ||
      (rc = vt_json_choice(obj, path, "fit", false, vt_fit_choices, &fit, err)))
    return rc;
  if (media) {
    if (!vt_sha256_hex_valid(media)) {
      char f[VT_JSON_PATH_MAX];
      vt_json_path_key(f, path, "media");
      return vt_error_set(err, VT_ERR_INVALID, f,
                          "'media' must be a sha256: 64 lower-case hex digits");
    }
    memcpy(it->media, media, VT_SHA256_HEX_LEN + 1);
  }
  it->fit = (enum vt_fit)fit;
  return VT_OK;
}

static enum vt_err apply_text(const json_t *obj, const char *path, bool required,
                              struct vt_item *it, struct vt_error *err) {
  static const char *const image_keys[] = {"media", "fit", NULL};
  enum vt_err rc = reject_members(obj, path, image_keys, "text", err);
  return rc ? rc : vt_text_item_from_json(obj, path, required, it, err);
}

/* A live item's members are the shared parser's to check (it refuses what it does not
 * know); only "id" must not appear in an edit, which names the item by its URL. */
static enum vt_err apply_live(const json_t *obj, const char *path, bool full, struct vt_item *it,
                              struct vt_error *err) {
  static const char *const image_keys[] = {"media", "fit", NULL};
  static const char *const id_key[] = {"id", NULL};
  enum vt_err rc = reject_members(obj, path, image_keys,
                                  vt_choice_name(vt_item_type_choices, it->type), err);
  if (rc == VT_OK && !full) rc = reject_members(obj, path, id_key, "edited", err);
  return rc ? rc : vt_live_item_from_json(obj, path, it, err);
}

enum vt_err items_apply_json(const json_t *obj, const char *path, bool full, struct vt_item *it,
                             struct vt_error *err) {
  static const char *const keys[] = {"id",  "type", "duration_ms", "media",
                                     "fit", "text", "style",       NULL};
  int type = (int)it->type;
  int64_t duration = it->duration_ms, id = 0;
  enum vt_err rc;
  if ((rc = vt_json_expect_object(obj, path, err)) ||
      (rc = vt_json_choice(obj, path, "type", full, vt_item_type_choices, &type, err)))
    return rc;
  bool live = type != VT_ITEM_IMAGE && type != VT_ITEM_TEXT;
  if ((!live && (rc = vt_json_only_keys(obj, path, full ? keys : keys + 1, err))) ||
      (full && (rc = vt_json_int(obj, path, "id", false, 1, INT64_MAX, &id, err))) ||
      (rc = vt_json_int(obj, path, "duration_ms", full, VT_LIMIT_MIN_DURATION_MS,
                        VT_LIMIT_MAX_DURATION_MS, &duration, err)))
    return rc;
  bool retyped = type != (int)it->type;
  if (retyped) { /* drop the old type's fields; the new type's become required */
    int64_t keep_id = it->id;
    vt_item_clear(it);
    it->id = keep_id;
    vt_text_style_default(&it->style);
  }
  it->type = (enum vt_item_type)type;
  it->duration_ms = duration;
  if (full) it->id = id;
  bool required = full || retyped;
  if (live && required) vt_item_defaults(it); /* the type's defaults under what obj sets */
  if (live) return apply_live(obj, path, full, it, err);
  return it->type == VT_ITEM_IMAGE ? apply_image(obj, path, required, it, err)
                                   : apply_text(obj, path, required, it, err);
}

static const char *kind_name(enum vt_source_kind k) {
  return vt_choice_name(vt_source_kind_choices, k);
}

/* A live item's source: it exists and holds what the item's type shows. */
static enum vt_err check_source(struct store *s, const struct vt_item *it, const char *path,
                                struct vt_error *err) {
  enum vt_source_kind want, have;
  if (!it->source || !vt_item_source_kind(it->type, &want)) return VT_OK;
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, "source");
  const char *type = vt_choice_name(vt_item_type_choices, it->type);
  if (!vt_source_key_fits(it->source, want))
    return vt_error_set(err, VT_ERR_INVALID, f, "a %s item shows a %s source: '%s/<id>'", type,
                        kind_name(want), want == VT_SOURCE_MENU ? "menu" : "feed");
  struct vt_error why = {0};
  enum vt_err rc = sources_kind(s, it->source, &have, &why);
  if (rc == VT_ERR_NOT_FOUND)
    return vt_error_set(err, VT_ERR_INVALID, f, "there is no %s %s", want == VT_SOURCE_MENU ? "menu" : "feed",
                        strchr(it->source, '/') + 1);
  if (rc != VT_OK) {
    *err = why;
    return rc;
  }
  if (have != want)
    return vt_error_set(err, VT_ERR_INVALID, f, "%s is a %s feed; a %s item shows %s", it->source,
                        kind_name(have), type, kind_name(want));
  return VT_OK;
}

enum vt_err items_check_media(struct store *s, const struct vt_item *it, const char *path,
                              struct vt_error *err) {
  if (it->type != VT_ITEM_IMAGE) return check_source(s, it, path, err);
  bool found = false;
  int64_t one = 0;
  enum vt_err rc = store_query_int_text(s, "SELECT 1 FROM media WHERE sha256 = ?1", it->media,
                                        &found, &one, err);
  if (rc != VT_OK || found) return rc;
  char f[VT_JSON_PATH_MAX];
  vt_json_path_key(f, path, "media");
  return vt_error_set(err, VT_ERR_INVALID, f, "there is no media %s", it->media);
}

/* ---- JSON out ------------------------------------------------------------------------ */

json_t *items_to_json(const struct vt_item *it) {
  /* The API shows an item exactly as the manifest carries it. */
  return vt_item_to_json(it);
}
