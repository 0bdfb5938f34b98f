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

/* ---- live items (manifest: ticker, clock, weather, currency, menu; docs/live-content.md) ---- */

/* Sources one manifest refers to: a screen shows a handful of feeds and menus; the cap bounds
 * the player's snapshot cache and event fan-out. */
#define VT_LIMIT_SOURCES 256
/* Ticker speed in canvas px/s: below 10 it looks stalled, above 2000 nobody can read it. */
#define VT_LIMIT_TICKER_MIN_SPEED 10
#define VT_LIMIT_TICKER_MAX_SPEED 2000
/* Items in one ticker strip: a snapshot holds at most 50 news items. */
#define VT_LIMIT_TICKER_MAX_ITEMS 50
/* Short strings of live items: a separator (" • "), a clock format ("EEEE dd MMMM yyyy
 * HH:mm"), a locale tag ("fa-IR"), an IANA zone name (the longest is about 30 bytes). */
#define VT_LIMIT_SEPARATOR_BYTES 64
#define VT_LIMIT_CLOCK_FORMAT_BYTES 128
#define VT_LIMIT_LOCALE_BYTES 35
#define VT_LIMIT_TIMEZONE_BYTES 64
/* A weather panel shows at most a day of hours and a week of days: what the sources give. */
#define VT_LIMIT_WEATHER_HOURS 24
#define VT_LIMIT_WEATHER_DAYS 7
/* Currency board: 40 rows already fill a 4K screen; 6 decimals is beyond any quoted rate. */
#define VT_LIMIT_CURRENCY_SYMBOLS 40
#define VT_LIMIT_CURRENCY_DECIMALS 6
/* Menu columns: more than 6 makes prices unreadable on any screen. */
#define VT_LIMIT_MENU_COLUMNS 6

/* feed parser (manager/xml_safe.c, feed_parse.c) */
/* One XML document (feed, weather, rates): the largest real news feeds are a few MB; past
 * 8 MiB it is a mistake or an attack, and the tree would cost several times that. */
#define VT_LIMIT_XML_BYTES (8 * 1024 * 1024)
/* Items kept from one feed: ten times what a ticker shows, bounded memory per feed. */
#define VT_LIMIT_FEED_ITEMS 500
/* A title on screen is a line; a summary a paragraph; a URL fits any browser's limit. */
#define VT_LIMIT_FEED_TITLE_BYTES 1024
#define VT_LIMIT_FEED_SUMMARY_BYTES 4096
#define VT_LIMIT_FEED_URL_BYTES 2048

/* ---- sources (manager/sources.c, api_menus.c, api_feeds.c, shared/source.c) ---- */
/* A source key: "menu/" or "feed/" and a decimal id, NUL included. */
#define VT_SOURCE_KEY_MAX 32
/* One snapshot document: 50 news items with 4 KiB summaries are ~250 KiB; a menu of 1000
 * items with descriptions is well under 1 MiB. A player never buffers more than this. */
#define VT_LIMIT_SNAPSHOT_BYTES (2u << 20)
/* News items in a snapshot: what a ticker can show (docs/live-content.md). */
#define VT_LIMIT_SNAPSHOT_NEWS_ITEMS 50
/* Weather: a day of hours and two weeks of days is what the sources give. */
#define VT_LIMIT_SNAPSHOT_HOURS 48
#define VT_LIMIT_SNAPSHOT_DAYS 14
/* Currency rates in one snapshot: ISO 4217 has fewer than 200 codes. */
#define VT_LIMIT_SNAPSHOT_RATES 200
/* A menu board: more sections or items than this does not fit any screen. */
#define VT_LIMIT_MENU_SECTIONS 50
#define VT_LIMIT_MENU_ITEMS 1000 /* per menu */
/* A menu item's description: two or three lines on screen. */
#define VT_LIMIT_MENU_DESCRIPTION_BYTES 1024
/* A price: up to 12 integer digits (Iranian rials reach 10) and up to 4 decimals. */
#define VT_LIMIT_PRICE_INT_DIGITS 12
#define VT_LIMIT_PRICE_FRAC_DIGITS 4
/* A currency label: an ISO code or a local word ("تومان" is 10 bytes). */
#define VT_LIMIT_CURRENCY_LABEL_BYTES 32
/* Feed refresh: faster than a minute hammers the source (MET Norway asks for less), slower
 * than a day is not live content. */
#define VT_FEED_REFRESH_MIN_S 60
#define VT_FEED_REFRESH_MAX_S 86400
/* Back-off after failed fetches: the refresh interval doubled per failure, at most this. */
#define VT_FEED_BACKOFF_MAX_S (6 * 3600)
/* A fetch error kept for the owner: one line, not a dump of the response. */
#define VT_LIMIT_FEED_ERROR_BYTES 512

#endif
