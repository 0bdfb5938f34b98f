-- 003: live content (docs/live-content.md). Feeds the manager fetches (news, weather,
-- currency) with their fetch state and last good snapshot; menus kept in the manager;
-- playlist items of the live types; which sources each display's manifest lists.

-- A fetched source, key 'feed/<id>'. snapshot is the "data" member of the last good snapshot
-- document (NULL until the first good fetch); version counts its changes and is what the
-- player's ETag and the 'source' event carry. The fetch state lets a failed fetch keep the
-- last good snapshot and record why it failed where the owner sees it (the API).
CREATE TABLE feeds (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('news', 'weather', 'currency')),
  url           TEXT    NOT NULL,
  -- NWS weather: the DWML forecast beside the current-observation document in url
  forecast_url  TEXT,
  -- weather: where the forecast is for (MET Norway takes them in the URL as well)
  location_name TEXT,
  lat           REAL    CHECK (lat IS NULL OR (lat >= -90 AND lat <= 90)),
  lon           REAL    CHECK (lon IS NULL OR (lon >= -180 AND lon <= 180)),
  refresh_s     INTEGER NOT NULL CHECK (refresh_s > 0),
  etag          TEXT,
  last_modified TEXT,
  next_fetch_at INTEGER NOT NULL DEFAULT 0,
  failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
  last_error    TEXT,
  last_error_at INTEGER,
  last_ok_at    INTEGER,
  snapshot      TEXT,
  version       INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
  snapshot_at   INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK ((snapshot IS NULL) = (snapshot_at IS NULL))
);
CREATE INDEX feeds_by_next_fetch ON feeds (next_fetch_at);

-- A menu, key 'menu/<id>'. Its snapshot is built from the rows below; version is bumped by
-- every write to the menu, its sections or its items (the ETag and the 'source' event).
CREATE TABLE menus (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE menu_sections (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  menu_id  INTEGER NOT NULL REFERENCES menus (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT    NOT NULL
);
CREATE INDEX menu_sections_by_menu ON menu_sections (menu_id, position);

-- price is a decimal string as the owner wrote it ("120000", "3.20"): no float rounding,
-- and the trailing zeros a menu shows are kept. image has no ON DELETE action, like
-- playlist_items.media: the API refuses to delete media a menu shows.
CREATE TABLE menu_items (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  section_id  INTEGER NOT NULL REFERENCES menu_sections (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  description TEXT    NOT NULL DEFAULT '',
  price       TEXT    NOT NULL CHECK (price GLOB '[0-9]*' AND price NOT GLOB '*[^0-9.]*'),
  currency    TEXT    NOT NULL DEFAULT '',
  image       TEXT    REFERENCES media (sha256),
  sold_out    INTEGER NOT NULL DEFAULT 0 CHECK (sold_out IN (0, 1))
);
CREATE INDEX menu_items_by_section ON menu_items (section_id, position);
CREATE INDEX menu_items_by_image ON menu_items (image);

-- playlist_items again, to widen its type CHECK (SQLite cannot alter a CHECK): the live
-- types keep their members (style, locale, source, the type's options) as the item's JSON
-- in options, written and read only through the shared manifest code
-- (vt_item_to_json / vt_live_item_from_json), and their source key again in source so a
-- feed or menu finds the items that show it.
CREATE TABLE playlist_items_new (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  playlist_id       INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  type              TEXT    NOT NULL CHECK (type IN ('image', 'text', 'ticker', 'clock',
                                                     'weather', 'currency', 'menu')),
  duration_ms       INTEGER NOT NULL,
  media             TEXT    REFERENCES media (sha256),
  fit               TEXT,
  text              TEXT,
  style_size_px     INTEGER,
  style_color       INTEGER,
  style_background  INTEGER,
  style_align       TEXT,
  style_valign      TEXT,
  style_weight      TEXT,
  style_padding_px  INTEGER,
  options           TEXT,
  source            TEXT,
  CHECK ((type = 'image') = (media IS NOT NULL)),
  CHECK ((type IN ('image', 'text')) = (options IS NULL)),
  CHECK (source IS NULL OR options IS NOT NULL)
);
INSERT INTO playlist_items_new (id, playlist_id, position, type, duration_ms, media, fit, text,
                                style_size_px, style_color, style_background, style_align,
                                style_valign, style_weight, style_padding_px)
  SELECT id, playlist_id, position, type, duration_ms, media, fit, text, style_size_px,
         style_color, style_background, style_align, style_valign, style_weight,
         style_padding_px
  FROM playlist_items;
-- ids of deleted items are never handed out again (001): carry the counter over
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'playlist_items_new', 0 WHERE NOT EXISTS
    (SELECT 1 FROM sqlite_sequence WHERE name = 'playlist_items_new');
UPDATE sqlite_sequence
  SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'playlist_items'), 0))
  WHERE name = 'playlist_items_new';
DROP TABLE playlist_items;
ALTER TABLE playlist_items_new RENAME TO playlist_items;
CREATE INDEX playlist_items_by_playlist ON playlist_items (playlist_id, position);
CREATE INDEX playlist_items_by_media ON playlist_items (media);
CREATE INDEX playlist_items_by_source ON playlist_items (source);

-- The source keys of each display's stored manifest (compile.c rewrites a display's rows
-- whenever it stores a new manifest version): who is told of a snapshot change, and which
-- snapshots a display may fetch.
CREATE TABLE display_sources (
  display_id INTEGER NOT NULL REFERENCES displays (id) ON DELETE CASCADE,
  key        TEXT    NOT NULL,
  PRIMARY KEY (display_id, key)
);
CREATE INDEX display_sources_by_key ON display_sources (key);
