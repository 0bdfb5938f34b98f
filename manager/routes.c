/* Every route the manager serves: method, path pattern, handler, the least role allowed,
 * and what http.c does around the handler (routes.h). docs/api.md documents each row;
 * tests/api walks this table to check authentication on every route. */
#include "api.h"
#include "routes.h"

#define W ROUTE_WRITE
#define J ROUTE_JSON
#define U ROUTE_UPLOAD

const struct route routes[] = {
    {"POST", "/api/v1/media", api_media_create, AUTH_EDITOR, W | U},
    {"GET", "/api/v1/media", api_media_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/media/{sha256}", api_media_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/media/{sha256}", api_media_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/media/{sha256}", api_media_delete, AUTH_EDITOR, W},
    {"GET", "/media/{sha256}", api_media_file, AUTH_ANY, 0},

    {"POST", "/api/v1/playlists", api_playlists_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/playlists", api_playlists_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/playlists/{id}", api_playlists_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/playlists/{id}", api_playlists_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/playlists/{id}", api_playlists_delete, AUTH_EDITOR, W},
    {"PATCH", "/api/v1/playlists/{id}/items/{item_id}", api_playlists_patch_item, AUTH_EDITOR,
     W | J},

    {"POST", "/api/v1/layouts", api_layouts_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/layouts", api_layouts_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/layouts/{id}", api_layouts_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/layouts/{id}", api_layouts_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/layouts/{id}", api_layouts_delete, AUTH_EDITOR, W},

    {"POST", "/api/v1/displays", api_displays_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/displays", api_displays_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/displays/{id}", api_displays_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/displays/{id}", api_displays_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/displays/{id}", api_displays_delete, AUTH_EDITOR, W},
    {"POST", "/api/v1/displays/{id}/token", api_displays_rotate_token, AUTH_OWNER, W},

    {"GET", "/api/v1/displays/{id}/timeline", api_displays_timeline, AUTH_VIEWER, 0},
    {"POST", "/api/v1/groups", api_groups_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/groups", api_groups_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/groups/{id}", api_groups_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/groups/{id}", api_groups_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/groups/{id}", api_groups_delete, AUTH_EDITOR, W},
    {"POST", "/api/v1/overrides", api_overrides_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/overrides", api_overrides_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/overrides/{id}", api_overrides_get, AUTH_VIEWER, 0},
    {"DELETE", "/api/v1/overrides/{id}", api_overrides_delete, AUTH_EDITOR, W},
    {"POST", "/api/v1/schedules", api_schedules_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/schedules", api_schedules_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/schedules/{id}", api_schedules_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/schedules/{id}", api_schedules_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/schedules/{id}", api_schedules_delete, AUTH_EDITOR, W},

    {"POST", "/api/v1/tokens", api_tokens_create, AUTH_OWNER, W | J},
    {"GET", "/api/v1/tokens", api_tokens_list, AUTH_OWNER, 0},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_delete, AUTH_OWNER, W},

    {"POST", "/api/v1/menus", api_menus_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/menus", api_menus_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/menus/{id}", api_menus_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/menus/{id}", api_menus_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/menus/{id}", api_menus_delete, AUTH_EDITOR, W},
    {"PATCH", "/api/v1/menus/{id}/items/{item_id}", api_menus_patch_item, AUTH_EDITOR, W | J},

    {"POST", "/api/v1/feeds", api_feeds_create, AUTH_EDITOR, W | J},
    {"GET", "/api/v1/feeds", api_feeds_list, AUTH_VIEWER, 0},
    {"GET", "/api/v1/feeds/{id}", api_feeds_get, AUTH_VIEWER, 0},
    {"PATCH", "/api/v1/feeds/{id}", api_feeds_patch, AUTH_EDITOR, W | J},
    {"DELETE", "/api/v1/feeds/{id}", api_feeds_delete, AUTH_EDITOR, W},
    {"GET", "/api/v1/feeds/{id}/snapshot", api_feeds_snapshot, AUTH_VIEWER, 0},

    {"GET", "/api/v1/player/manifest", api_player_manifest, AUTH_DISPLAY, 0},
    {"GET", "/api/v1/player/events", api_player_events, AUTH_DISPLAY, 0},
    {"GET", "/api/v1/player/sources/menu/{id}", api_player_source_menu, AUTH_DISPLAY, 0},
    {"GET", "/api/v1/player/sources/feed/{id}", api_player_source_feed, AUTH_DISPLAY, 0},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
