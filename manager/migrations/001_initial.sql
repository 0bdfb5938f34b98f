-- 001: the first schema. Times are INTEGER milliseconds since the Unix epoch (UTC);
-- colours are INTEGER 0xRRGGBBAA; enums are stored by their API name. Ids are AUTOINCREMENT
-- so a deleted resource's id is never handed out again (players, caches and dashboards may
-- still hold it).

-- API tokens: only the SHA-256 of the secret part is kept; public_id is the non-secret
-- lookup key embedded in the token itself (docs/internals/store.md).
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  public_id   TEXT    NOT NULL UNIQUE,
  secret_hash BLOB    NOT NULL,
  role        TEXT    NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
  name        TEXT    NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

-- Content-addressed, immutable files under DIR/media/<sha256>.
CREATE TABLE media (
  sha256     TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
  size       INTEGER NOT NULL CHECK (size >= 0),
  type       TEXT    NOT NULL,
  name       TEXT    NOT NULL DEFAULT '',
  width      INTEGER,
  height     INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE playlists (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One row per item; image columns are NULL for text items and the other way round.
-- media has no ON DELETE action, so deleting media still in use fails (the API checks
-- first and answers 409; the key is the safety net).
CREATE TABLE playlist_items (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  playlist_id       INTEGER NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  type              TEXT    NOT NULL CHECK (type IN ('image', 'text')),
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
  CHECK ((type = 'image') = (media IS NOT NULL))
);
CREATE INDEX playlist_items_by_playlist ON playlist_items (playlist_id, position);
CREATE INDEX playlist_items_by_media ON playlist_items (media);

CREATE TABLE layouts (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  background INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE regions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  layout_id   INTEGER NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  x           INTEGER NOT NULL,
  y           INTEGER NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  background  INTEGER NOT NULL,
  playlist_id INTEGER REFERENCES playlists (id),
  UNIQUE (layout_id, name)
);
CREATE INDEX regions_by_playlist ON regions (playlist_id);

-- A display authenticates with its own token (same scheme as api_tokens).
CREATE TABLE displays (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  name              TEXT    NOT NULL,
  default_layout_id INTEGER REFERENCES layouts (id),
  timezone          TEXT    NOT NULL DEFAULT 'UTC',
  token_public_id   TEXT    NOT NULL UNIQUE,
  token_hash        BLOB    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX displays_by_layout ON displays (default_layout_id);

-- One entry = one window [start_ms, end_ms) in which layout_id takes the display's screen.
-- priority is compiled into the manifest window as is (the timeline picks the highest).
CREATE TABLE schedules (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  display_id INTEGER NOT NULL REFERENCES displays (id) ON DELETE CASCADE,
  layout_id  INTEGER NOT NULL REFERENCES layouts (id),
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  priority   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (end_ms > start_ms)
);
CREATE INDEX schedules_by_display ON schedules (display_id, start_ms);
CREATE INDEX schedules_by_layout ON schedules (layout_id);

-- The compiled manifest per display (compile.c). content_hash is the SHA-256 of the dump
-- with version, generated_at and valid_until zeroed, so an unchanged compile is detected.
CREATE TABLE manifests (
  display_id   INTEGER PRIMARY KEY REFERENCES displays (id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  content_hash TEXT    NOT NULL,
  etag         TEXT    NOT NULL,
  body         BLOB    NOT NULL,
  valid_until  INTEGER NOT NULL,
  compiled_at  INTEGER NOT NULL
);
