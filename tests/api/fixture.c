/* The fixture every API test starts from, built through the API itself:
 *
 *   tokens    owner (CLI), editor, viewer
 *   media     MEDIA1 (PNG 4x3, used by PLAYLIST), MEDIA2 (GIF 2x2, unused)
 *   playlists PLAYLIST "Breakfast" [ITEM1 image MEDIA1, ITEM2 text], PLAYLIST2 "Lunch" [text],
 *             PLAYLIST_UNUSED "Spare" [], PLAYLIST_PROMO "Promo" [text] (in no layout)
 *   layouts   LAYOUT 1920x1080 "main" -> PLAYLIST, LAYOUT2 1080x1920 "side" -> PLAYLIST2,
 *             LAYOUT_UNUSED 800x600, no regions, LAYOUT_PROMO 1920x1080 "banner" -> none
 *   displays  DISPLAY "Front" (default LAYOUT), DISPLAY2 "Back" (default LAYOUT2), both UTC
 *   group     GROUP "Counter" [DISPLAY2]
 *   schedule  SCHEDULE: DISPLAY shows LAYOUT from now + 1 h to now + 2 h (UTC wall clock)
 *             GROUP_SCHEDULE: GROUP shows LAYOUT_PROMO from now + 5 h to now + 6 h
 *             REGION_SCHEDULE: on DISPLAY2, LAYOUT_PROMO's "banner" plays PLAYLIST_PROMO then
 *   override  OVERRIDE: DISPLAY2 shows LAYOUT_PROMO from now + 7 h for 10 minutes
 *
 * So a change to PLAYLIST or LAYOUT reaches DISPLAY only; one to PLAYLIST2, LAYOUT2,
 * PLAYLIST_PROMO, LAYOUT_PROMO or GROUP reaches DISPLAY2 only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static json_t *call(const struct server *s, const char *token, const char *method, const char *path,
                    const char *body, long want) {
  long status = 0;
  json_t *j = api_call(s, token, method, path, body, &status);
  if (status != want) {
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    fprintf(stderr, "fixture: %s %s -> %ld (want %ld): %s\n", method, path, status, want,
            text ? text : "");
    free(text);
    json_decref(j);
    return NULL;
  }
  return j;
}


static bool get_int(json_t *j, const char *key, int64_t *out) {
  json_t *v = json_object_get(j, key);
  if (!json_is_integer(v)) return false;
  *out = json_integer_value(v);
  return true;
}

static bool get_str(json_t *j, const char *key, char *out, size_t size) {
  json_t *v = json_object_get(j, key);
  if (!json_is_string(v)) return false;
  snprintf(out, size, "%s", json_string_value(v));
  return true;
}

/* POST path body and read one member of the reply; false (reported) on any problem. */
static bool create(const struct server *s, const char *token, const char *path, const char *body,
                   const char *key, int64_t *id, char *str, size_t str_size) {
  json_t *j = call(s, token, "POST", path, body, 201);
  bool ok = j && (id ? get_int(j, key, id) : get_str(j, key, str, str_size));
  if (j && !ok) fprintf(stderr, "fixture: %s reply lacks '%s'\n", path, key);
  json_decref(j);
  return ok;
}

static bool create_token(const struct server *s, const char *role, int64_t *id, char *token,
                         size_t size) {
  char body[128];
  snprintf(body, sizeof body, "{\"role\":\"%s\",\"name\":\"%s\"}", role, role);
  json_t *j = call(s, s->owner, "POST", "/api/v1/tokens", body, 201);
  bool ok = j && get_int(j, "id", id) && get_str(j, "token", token, size);
  json_decref(j);
  return ok;
}

static bool upload(const struct server *s, const char *spec, const char *type, char sha[65],
                   int64_t *size) {
  struct hbuf body = {0};
  struct response r;
  char auth[256], ct[64];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", s->owner);
  snprintf(ct, sizeof ct, "Content-Type: %s", type);
  const char *headers[] = {auth, ct, NULL};
  bool ok = gen_body(spec, &body) &&
            http_do(s->url, "POST", "/api/v1/media?name=fixture", headers, body.data, body.len, &r);
  hbuf_free(&body);
  if (!ok) return false;
  ok = r.status == 201 && get_str(r.json, "sha256", sha, 65) && get_int(r.json, "size", size);
  if (!ok) fprintf(stderr, "fixture: upload %s -> %ld %s\n", spec, r.status, r.body.data);
  response_free(&r);
  return ok;
}

/* POST path body, whose reply's id must be want. */
static bool create_known(const struct server *s, const char *token, const char *path,
                         const char *body, int64_t want) {
  int64_t id = 0;
  if (!create(s, token, path, body, "id", &id, NULL, 0)) return false;
  if (id != want)
    fprintf(stderr, "fixture: %s made id %lld, expected %lld\n", path, (long long)id,
            (long long)want);
  return id == want;
}

static void rfc3339(time_t t, char *out, size_t size) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The wall-clock time in UTC without a zone: how schedule entries are written, and the
 * fixture's displays are in UTC. */
static void local_utc(time_t t, char *out, size_t size) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* What fixture_seed adds beyond struct fixture's members (their ids are the FIXTURE_*). */
static bool seed_scheduling(const struct server *s, const struct fixture *f, time_t now) {
  char body[1024], start[32], end[32];
  if (!create_known(s, f->editor, "/api/v1/playlists",
                    "{\"name\":\"Promo\",\"items\":[{\"type\":\"text\",\"text\":\"Cake 3.00\","
                    "\"duration_ms\":4000}]}",
                    FIXTURE_PLAYLIST_PROMO) ||
      !create_known(s, f->editor, "/api/v1/layouts",
                    "{\"name\":\"Promo\",\"width\":1920,\"height\":1080,\"regions\":[{\"name\":"
                    "\"banner\",\"x\":0,\"y\":880,\"width\":1920,\"height\":200}]}",
                    FIXTURE_LAYOUT_PROMO))
    return false;
  snprintf(body, sizeof body, "{\"name\":\"Counter\",\"display_ids\":[%lld]}",
           (long long)f->display2_id);
  if (!create_known(s, f->editor, "/api/v1/groups", body, FIXTURE_GROUP)) return false;
  local_utc(now + 5 * 3600, start, sizeof start);
  local_utc(now + 6 * 3600, end, sizeof end);
  snprintf(body, sizeof body,
           "{\"name\":\"Promo hour\",\"group_id\":%d,\"layout_id\":%d,\"start\":\"%s\","
           "\"end\":\"%s\",\"priority\":5}",
           FIXTURE_GROUP, FIXTURE_LAYOUT_PROMO, start, end);
  if (!create_known(s, f->editor, "/api/v1/schedules", body, FIXTURE_GROUP_SCHEDULE)) return false;
  snprintf(body, sizeof body,
           "{\"name\":\"Cake banner\",\"display_id\":%lld,\"layout_id\":%d,\"region\":"
           "\"banner\",\"playlist_id\":%d,\"start\":\"%s\",\"duration\":\"PT1H\"}",
           (long long)f->display2_id, FIXTURE_LAYOUT_PROMO, FIXTURE_PLAYLIST_PROMO, start);
  if (!create_known(s, f->editor, "/api/v1/schedules", body, FIXTURE_REGION_SCHEDULE)) return false;
  rfc3339(now + 7 * 3600, start, sizeof start);
  snprintf(body, sizeof body,
           "{\"name\":\"Closing\",\"display_id\":%lld,\"layout_id\":%d,\"start\":\"%s\","
           "\"duration\":\"PT10M\"}",
           (long long)f->display2_id, FIXTURE_LAYOUT_PROMO, start);
  return create_known(s, f->editor, "/api/v1/overrides", body, FIXTURE_OVERRIDE);
}

static bool fetch_etag(const struct server *s, struct fixture *f) {
  char auth[256];
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", f->display);
  const char *headers[] = {auth, NULL};
  struct response r;
  if (!http_do(s->url, "GET", "/api/v1/player/manifest", headers, NULL, 0, &r)) return false;
  bool ok =
      r.status == 200 && response_header(&r, "ETag", f->manifest_etag, sizeof f->manifest_etag);
  response_free(&r);
  return ok;
}

bool fixture_seed(const struct server *s, struct fixture *f) {
  char body[1024], start[32], end[32];
  int64_t ignored;
  memset(f, 0, sizeof *f);
  snprintf(f->owner, sizeof f->owner, "%s", s->owner);
  f->token_owner = 1; /* the CLI's token is the first row */
  if (!create_token(s, "editor", &f->token_editor, f->editor, sizeof f->editor) ||
      !create_token(s, "viewer", &f->token_viewer, f->viewer, sizeof f->viewer) ||
      !upload(s, "png 4 3 1", "image/png", f->media1, &f->media1_size) ||
      !upload(s, "gif 2 2", "image/gif", f->media2, &ignored))
    return false;

  snprintf(body, sizeof body,
           "{\"name\":\"Breakfast\",\"items\":[{\"type\":\"image\",\"media\":\"%s\","
           "\"duration_ms\":8000,\"fit\":\"contain\"},{\"type\":\"text\",\"text\":\"Espresso "
           "2.50\",\"duration_ms\":5000}]}",
           f->media1);
  json_t *p = call(s, f->editor, "POST", "/api/v1/playlists", body, 201);
  json_t *items = json_object_get(p, "items");
  bool ok = p && get_int(p, "id", &f->playlist) && json_array_size(items) == 2 &&
            get_int(json_array_get(items, 0), "id", &f->item1) &&
            get_int(json_array_get(items, 1), "id", &f->item2);
  json_decref(p);
  if (!ok) return false;

  if (!create(s, f->editor, "/api/v1/playlists",
              "{\"name\":\"Lunch\",\"items\":[{\"type\":\"text\",\"text\":\"Soup 4.00\","
              "\"duration_ms\":6000}]}",
              "id", &f->playlist2, NULL, 0))
    return false;
  if (!create(s, f->editor, "/api/v1/playlists", "{\"name\":\"Spare\"}", "id", &f->playlist_unused,
              NULL, 0))
    return false;
  snprintf(body, sizeof body,
           "{\"name\":\"Main\",\"width\":1920,\"height\":1080,\"regions\":[{\"name\":\"main\","
           "\"x\":0,\"y\":0,\"width\":1920,\"height\":1080,\"playlist_id\":%lld}]}",
           (long long)f->playlist);
  if (!create(s, f->editor, "/api/v1/layouts", body, "id", &f->layout, NULL, 0)) return false;
  snprintf(body, sizeof body,
           "{\"name\":\"Side\",\"width\":1080,\"height\":1920,\"regions\":[{\"name\":\"side\","
           "\"x\":0,\"y\":0,\"width\":1080,\"height\":1920,\"playlist_id\":%lld}]}",
           (long long)f->playlist2);
  if (!create(s, f->editor, "/api/v1/layouts", body, "id", &f->layout2, NULL, 0) ||
      !create(s, f->editor, "/api/v1/layouts", "{\"name\":\"Spare\",\"width\":800,\"height\":600}",
              "id", &f->layout_unused, NULL, 0))
    return false;
  snprintf(body, sizeof body, "{\"name\":\"Front\",\"default_layout_id\":%lld}",
           (long long)f->layout);
  json_t *d = call(s, f->editor, "POST", "/api/v1/displays", body, 201);
  ok = d && get_int(d, "id", &f->display_id) && get_str(d, "token", f->display, sizeof f->display);
  json_decref(d);
  snprintf(body, sizeof body, "{\"name\":\"Back\",\"default_layout_id\":%lld}",
           (long long)f->layout2);
  d = ok ? call(s, f->editor, "POST", "/api/v1/displays", body, 201) : NULL;
  ok = d && get_int(d, "id", &f->display2_id) &&
       get_str(d, "token", f->display2, sizeof f->display2);
  json_decref(d);
  if (!ok) return false;

  time_t now = time(NULL);
  local_utc(now + 3600, start, sizeof start);
  local_utc(now + 7200, end, sizeof end);
  snprintf(body, sizeof body,
           "{\"display_id\":%lld,\"layout_id\":%lld,\"start\":\"%s\",\"end\":\"%s\"}",
           (long long)f->display_id, (long long)f->layout, start, end);
  if (!create(s, f->editor, "/api/v1/schedules", body, "id", &f->schedule, NULL, 0) ||
      !seed_scheduling(s, f, now))
    return false;
  return fetch_etag(s, f);
}

char *fixture_expand(const struct fixture *f, const char *text) {
  char ids[22][32], soon_start[32], soon_end[32], soon_start_local[32], soon_end_local[32];
  /* whole minutes, so the body and the expected reply, expanded one after the other, agree */
  time_t now = time(NULL) / 60 * 60;
  rfc3339(now + 3 * 3600, soon_start, sizeof soon_start);
  rfc3339(now + 4 * 3600, soon_end, sizeof soon_end);
  local_utc(now + 3 * 3600, soon_start_local, sizeof soon_start_local);
  local_utc(now + 4 * 3600, soon_end_local, sizeof soon_end_local);
  const struct {
    const char *name;
    const char *value;
  } vars[] = {
      {"OWNER", f->owner},
      {"EDITOR", f->editor},
      {"VIEWER", f->viewer},
      {"DISPLAY_TOKEN", f->display},
      {"DISPLAY2_TOKEN", f->display2},
      {"MEDIA1", f->media1},
      {"MEDIA2", f->media2},
      {"MANIFEST_ETAG", f->manifest_etag},
      {"PLAYLIST", ids[0]},
      {"PLAYLIST2", ids[1]},
      {"PLAYLIST_UNUSED", ids[2]},
      {"ITEM1", ids[3]},
      {"ITEM2", ids[4]},
      {"LAYOUT", ids[5]},
      {"LAYOUT2", ids[6]},
      {"LAYOUT_UNUSED", ids[7]},
      {"DISPLAY", ids[8]},
      {"DISPLAY2", ids[9]},
      {"SCHEDULE", ids[10]},
      {"TOKEN_EDITOR", ids[11]},
      {"TOKEN_VIEWER", ids[12]},
      {"MEDIA1_SIZE", ids[13]},
      {"PLAYLIST_PROMO", ids[14]},
      {"LAYOUT_PROMO", ids[15]},
      {"GROUP", ids[16]},
      {"GROUP_SCHEDULE", ids[17]},
      {"REGION_SCHEDULE", ids[18]},
      {"OVERRIDE", ids[19]},
      /* inside the manifest horizon, after the fixture's schedule entry; as instants and as
       * the local times of the fixture's displays (UTC) */
      {"SOON_START", soon_start},
      {"SOON_END", soon_end},
      {"SOON_START_LOCAL", soon_start_local},
      {"SOON_END_LOCAL", soon_end_local},
  };
  const int64_t values[] = {
      f->playlist,      f->playlist2,   f->playlist_unused,     f->item1,
      f->item2,         f->layout,      f->layout2,             f->layout_unused,
      f->display_id,    f->display2_id, f->schedule,            f->token_editor,
      f->token_viewer,  f->media1_size, FIXTURE_PLAYLIST_PROMO, FIXTURE_LAYOUT_PROMO,
      FIXTURE_GROUP,    FIXTURE_GROUP_SCHEDULE, FIXTURE_REGION_SCHEDULE, FIXTURE_OVERRIDE};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
    snprintf(ids[i], sizeof ids[i], "%lld", (long long)values[i]);
  struct hbuf out = {0};
  hbuf_add(&out, "", 0);
  for (const char *p = text; *p;) {
    const char *end = *p == '%' ? strchr(p + 1, '%') : NULL;
    bool done = false;
    for (size_t i = 0; end && !done && i < sizeof vars / sizeof vars[0]; i++)
      if (strlen(vars[i].name) == (size_t)(end - p - 1) &&
          strncmp(vars[i].name, p + 1, (size_t)(end - p - 1)) == 0) {
        hbuf_add(&out, vars[i].value, strlen(vars[i].value));
        p = end + 1;
        done = true;
      }
    if (!done) hbuf_add(&out, p++, 1);
  }
  return out.data;
}
