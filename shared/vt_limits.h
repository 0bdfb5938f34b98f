/* Every size and time cap in Vitrine, each with the reason for its number. */
#ifndef VT_LIMITS_H
#define VT_LIMITS_H

/* A JSON API body: playlists and layouts are small documents; 1 MiB is far above any
 * real one and small enough that a hostile client cannot make the manager buffer much. */
#define VT_LIMIT_JSON_BODY (1u << 20)

/* One uploaded media file. Full-HD stills are a few MiB; 64 MiB leaves room for large
 * posters while keeping an upload buffered on disk, never in RAM beyond this. */
#define VT_LIMIT_MEDIA_BODY (64u << 20)

/* Decoded size of one image. A player decodes it to 4 bytes a pixel in memory: 40 million
 * pixels (160 MiB) holds an 8K UHD poster (33 MP), while a small file that decodes to a
 * 16000x16000 bitmap (1 GiB) would get a 1-2 GiB signage box killed, again at every restart. */
#define VT_LIMIT_IMAGE_PIXELS 40000000LL

/* A compiled manifest. 7 days of schedule for a busy display is tens of KiB; a cap stops
 * a broken or hostile manager from making a player allocate without bound. */
#define VT_LIMIT_MANIFEST_BYTES (8u << 20)

/* One line of the SSE stream. Events are small JSON objects; anything longer is not ours. */
#define VT_LIMIT_SSE_LINE 4096

/* Counts inside a manifest: generous for real signage, small enough to bound memory. */
#define VT_LIMIT_PLAYLISTS 1000
#define VT_LIMIT_ITEMS_PER_PLAYLIST 1000
#define VT_LIMIT_LAYOUTS 1000
#define VT_LIMIT_REGIONS 32 /* per layout; a 32-zone screen is already unreadable */
#define VT_LIMIT_WINDOWS 100000 /* expanded schedule windows over the horizon */

/* Schedule priorities: a wide range so owners can leave gaps between tiers. */
#define VT_PRIORITY_MIN (-1000000)
#define VT_PRIORITY_MAX 1000000
#define VT_LIMIT_MEDIA 10000

/* Text in one item: a menu or announcement, not a book. */
#define VT_LIMIT_TEXT_BYTES 16384
/* Text size: below 4 px nothing is legible; 2000 px already fills a 4K screen with one letter. */
#define VT_LIMIT_MIN_TEXT_PX 4
#define VT_LIMIT_MAX_TEXT_PX 2000

/* Names of things shown in lists. */
#define VT_LIMIT_NAME_BYTES 200

/* Canvas and region sizes: 16K is beyond any display wall a single player drives. */
#define VT_LIMIT_CANVAS_PX 16384

/* An item shorter than 100 ms cannot be seen; longer than a day is a configuration error. */
#define VT_LIMIT_MIN_DURATION_MS 100
#define VT_LIMIT_MAX_DURATION_MS (24 * 3600 * 1000)

/* The manifest covers this far ahead so a player can run offline for a week. */
#define VT_HORIZON_MS (7LL * 24 * 3600 * 1000)

/* SSE keep-alive: below common proxy idle timeouts (30-60 s). The player treats a
 * silence of 3 keep-alive periods as a dead connection. */
#define VT_SSE_KEEPALIVE_MS 15000
#define VT_SSE_DEAD_MS (3 * VT_SSE_KEEPALIVE_MS)

/* Player reconnect backoff: start fast so a manager restart is picked up in about a
 * second, cap at one minute so thousands of players do not hammer a recovering manager. */
#define VT_BACKOFF_INITIAL_MS 500
#define VT_BACKOFF_MAX_MS 60000

/* Any single HTTP fetch by the player (manifest, media) gives up after this long without
 * progress, so a stalled server cannot freeze the sync state machine. */
#define VT_FETCH_STALL_MS 30000

/* API tokens: 32 random bytes, shown once as hex; only the hash is stored. */
#define VT_TOKEN_BYTES 32

#endif
