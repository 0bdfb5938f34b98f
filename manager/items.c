#include "items.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "json.h"
#include "vt_limits.h"

/* ---- rows ---------------------------------------------------------------------------- */

static int choice_col(struct store_stmt *st, int col, const struct vt_choice *table, int dflt) {
  int v = dflt;
  if (!store_col_null(st, col)) (void)vt_choice_parse(table, store_col_text(st, col), &v);
  return v;
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
      "style_padding_px) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
      "RETURNING id";
  static const char update_sql[] =
      "UPDATE playlist_items SET position = ?2, type = ?3, duration_ms = ?4, media = ?5, "
      "fit = ?6, text = ?7, style_size_px = ?8, style_color = ?9, style_background = ?10, "
      "style_align = ?11, style_valign = ?12, style_weight = ?13, style_padding_px = ?14 "
      "WHERE id = ?15 AND playlist_id = ?1 RETURNING id";
  struct store_stmt *st;
  enum vt_err rc = store_prepare(s, it->id ? update_sql : insert_sql, &st, err);
  if (rc != VT_OK) return rc;
  const struct vt_text_style *ts = &it->style;
  bool image = it->type == VT_ITEM_IMAGE;
  store_bind_int(st, 1, playlist_id);
  store_bind_int(st, 2, position);
  store_bind_text(st, 3, vt_choice_name(vt_item_type_choices, it->type));
  store_bind_int(st, 4, it->duration_ms);
  if (image) {
    store_bind_text(st, 5, it->media);
    store_bind_text(st, 6, vt_choice_name(vt_fit_choices, it->fit));
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

enum vt_err items_apply_json(const json_t *obj, const char *path, bool full, struct vt_item *it,
                             struct vt_error *err) {
  static const char *const keys[] = {"id",  "type", "duration_ms", "media",
                                     "fit", "text", "style",       NULL};
  int type = (int)it->type;
  int64_t duration = it->duration_ms, id = 0;
  enum vt_err rc;
  if ((rc = vt_json_expect_object(obj, path, err)) ||
      (rc = vt_json_only_keys(obj, path, full ? keys : keys + 1, err)) ||
      (full && (rc = vt_json_int(obj, path, "id", false, 1, INT64_MAX, &id, err))) ||
      (rc = vt_json_choice(obj, path, "type", full, vt_item_type_choices, &type, err)) ||
      (rc = vt_json_int(obj, path, "duration_ms", full, VT_LIMIT_MIN_DURATION_MS,
                        VT_LIMIT_MAX_DURATION_MS, &duration, err)))
    return rc;
  bool retyped = type != (int)it->type;
  if (retyped) { /* drop the old type's fields; the new type's become required */
    free(it->text);
    it->text = NULL;
    it->media[0] = '\0';
    it->fit = VT_FIT_CONTAIN;
    vt_text_style_default(&it->style);
  }
  it->type = (enum vt_item_type)type;
  it->duration_ms = duration;
  if (full) it->id = id;
  bool required = full || retyped;
  return it->type == VT_ITEM_IMAGE ? apply_image(obj, path, required, it, err)
                                   : apply_text(obj, path, required, it, err);
}

enum vt_err items_check_media(struct store *s, const struct vt_item *it, const char *path,
                              struct vt_error *err) {
  if (it->type != VT_ITEM_IMAGE) return VT_OK;
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
