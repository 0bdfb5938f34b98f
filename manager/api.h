/* The route handlers, one file per resource (api_<resource>.c serves /api/v1/<resource>).
 * Each runs inside its route's transaction (routes.c sets which), reads rq->params and
 * rq->body, fills the reply through reply.h and returns VT_OK, or returns an error for the
 * route layer to serialise. */
#ifndef MANAGER_API_H
#define MANAGER_API_H

#include "request.h"

#define API_HANDLER(name) enum vt_err name(struct request *rq, struct vt_error *err)

/* api_media.c: /api/v1/media */
API_HANDLER(api_media_create);
API_HANDLER(api_media_list);
API_HANDLER(api_media_get);
API_HANDLER(api_media_patch);
API_HANDLER(api_media_delete);
/* api_media_files.c: /media/<sha256> */
API_HANDLER(api_media_file);
/* api_playlists.c */
API_HANDLER(api_playlists_create);
API_HANDLER(api_playlists_list);
API_HANDLER(api_playlists_get);
API_HANDLER(api_playlists_patch);
API_HANDLER(api_playlists_delete);
API_HANDLER(api_playlists_patch_item);
/* api_layouts.c */
API_HANDLER(api_layouts_create);
API_HANDLER(api_layouts_list);
API_HANDLER(api_layouts_get);
API_HANDLER(api_layouts_patch);
API_HANDLER(api_layouts_delete);
/* api_displays.c */
API_HANDLER(api_displays_create);
API_HANDLER(api_displays_list);
API_HANDLER(api_displays_get);
API_HANDLER(api_displays_patch);
API_HANDLER(api_displays_delete);
API_HANDLER(api_displays_rotate_token);
/* Insert a display with a fresh token and compile its first manifest (version 1); shared
 * by POST /api/v1/displays and `vitrine-manager display add`. layout_id 0: none. */
enum vt_err api_displays_insert(struct store *s, const char *name, int64_t layout_id,
                                int64_t now_ms, int64_t *id, struct auth_secret *secret,
                                struct compile_changes *changes,
                                struct vt_error *err) VT_WARN_UNUSED;
/* api_timeline.c: the preview */
API_HANDLER(api_displays_timeline);
/* api_groups.c */
API_HANDLER(api_groups_create);
API_HANDLER(api_groups_list);
API_HANDLER(api_groups_get);
API_HANDLER(api_groups_patch);
API_HANDLER(api_groups_delete);
/* api_overrides.c */
API_HANDLER(api_overrides_create);
API_HANDLER(api_overrides_list);
API_HANDLER(api_overrides_get);
API_HANDLER(api_overrides_delete);
/* api_schedules.c */
API_HANDLER(api_schedules_create);
API_HANDLER(api_schedules_list);
API_HANDLER(api_schedules_get);
API_HANDLER(api_schedules_patch);
API_HANDLER(api_schedules_delete);
/* api_tokens.c */
API_HANDLER(api_tokens_create);
API_HANDLER(api_tokens_list);
API_HANDLER(api_tokens_delete);
/* api_player.c: /api/v1/player */
API_HANDLER(api_player_manifest);
API_HANDLER(api_player_events);
API_HANDLER(api_player_source_menu);
API_HANDLER(api_player_source_feed);
/* api_menus.c: /api/v1/menus */
API_HANDLER(api_menus_create);
API_HANDLER(api_menus_list);
API_HANDLER(api_menus_get);
API_HANDLER(api_menus_patch);
API_HANDLER(api_menus_delete);
API_HANDLER(api_menus_patch_item);
/* api_feeds.c: /api/v1/feeds */
API_HANDLER(api_feeds_create);
API_HANDLER(api_feeds_list);
API_HANDLER(api_feeds_get);
API_HANDLER(api_feeds_patch);
API_HANDLER(api_feeds_delete);
API_HANDLER(api_feeds_snapshot);

#endif
