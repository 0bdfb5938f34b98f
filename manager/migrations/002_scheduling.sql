-- 002: scheduling in local time (docs/scheduling.md). Display groups; schedule entries
-- written in the wall-clock time of each target display's zone, with an optional RFC 5545
-- recurrence, validity days and a target that is a display or a group; overrides.

CREATE TABLE groups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- A display can be in several groups.
CREATE TABLE group_members (
  group_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
  display_id INTEGER NOT NULL REFERENCES displays (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, display_id)
);
CREATE INDEX group_members_by_display ON group_members (display_id);

-- One entry: layout_id takes the screen (or, with region, that region of layout_id plays
-- playlist_id) from start_local for duration_s of wall-clock time, once or at every
-- occurrence of rrule, minus exdates, only on the days valid_from..valid_until (inclusive).
-- Local times are 'YYYYMMDDTHHMMSS' in the zone of each display the entry reaches; dates
-- are 'YYYY-MM-DD'; exdates is a comma-separated list ('' for none).
CREATE TABLE schedule_entries (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL DEFAULT '',
  display_id  INTEGER REFERENCES displays (id) ON DELETE CASCADE,
  group_id    INTEGER REFERENCES groups (id) ON DELETE CASCADE,
  layout_id   INTEGER NOT NULL REFERENCES layouts (id),
  region      TEXT,
  playlist_id INTEGER REFERENCES playlists (id),
  start_local TEXT    NOT NULL CHECK (length(start_local) = 15),
  duration_s  INTEGER NOT NULL CHECK (duration_s > 0),
  rrule       TEXT,
  exdates     TEXT    NOT NULL DEFAULT '',
  valid_from  TEXT,
  valid_until TEXT,
  priority    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK ((display_id IS NULL) != (group_id IS NULL)),
  CHECK ((region IS NULL) = (playlist_id IS NULL))
);
CREATE INDEX schedule_entries_by_display ON schedule_entries (display_id);
CREATE INDEX schedule_entries_by_group ON schedule_entries (group_id);
CREATE INDEX schedule_entries_by_layout ON schedule_entries (layout_id);
CREATE INDEX schedule_entries_by_playlist ON schedule_entries (playlist_id);

-- 001's entries were UTC intervals on displays whose zone was always 'UTC': the same
-- wall-clock times, rounded down to whole seconds.
INSERT INTO schedule_entries (id, display_id, layout_id, start_local, duration_s, priority,
                              created_at, updated_at)
  SELECT id, display_id, layout_id, strftime('%Y%m%dT%H%M%S', start_ms / 1000, 'unixepoch'),
         max(1, (end_ms - start_ms) / 1000), priority, created_at, updated_at
  FROM schedules;
DROP TABLE schedules;

-- An override (emergency, announcement) takes the screen of a display or of every display
-- in a group from start_ms until end_ms, or until it is cleared (deleted) when end_ms is
-- NULL. It outranks every schedule entry.
CREATE TABLE overrides (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL DEFAULT '',
  display_id INTEGER REFERENCES displays (id) ON DELETE CASCADE,
  group_id   INTEGER REFERENCES groups (id) ON DELETE CASCADE,
  layout_id  INTEGER NOT NULL REFERENCES layouts (id),
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER,
  created_at INTEGER NOT NULL,
  CHECK ((display_id IS NULL) != (group_id IS NULL)),
  CHECK (end_ms IS NULL OR end_ms > start_ms)
);
CREATE INDEX overrides_by_display ON overrides (display_id);
CREATE INDEX overrides_by_group ON overrides (group_id);
CREATE INDEX overrides_by_layout ON overrides (layout_id);
