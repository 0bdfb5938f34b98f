/* Source snapshots on the player (docs/live-content.md): their files in a sources/ directory
 * ("feed/3" is sources/feed-3.json, beside the manifest in the cache or beside a --manifest
 * FILE), and the render thread's table key -> snapshot that widgets borrow from.
 * No SDL and no network: the cache (sync thread) names files with it, the loop (render
 * thread) owns a table. A table is not shared between threads. */
#ifndef PLAYER_SOURCES_H
#define PLAYER_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"
#include "source.h"
#include "vt_err.h"

#define SOURCES_DIR_NAME "sources"
/* "feed-" or "menu-", 19 digits, ".json", NUL. */
#define SOURCES_FILE_MAX 32

/* The file name of key ("feed/3" -> "feed-3.json"); false if key is not a source key. */
bool sources_file_name(const char *key, char out[SOURCES_FILE_MAX]);
/* The key a file name stands for ("feed-3.json" -> "feed/3"); false for any other name
 * (temp files of interrupted writes among them). */
bool sources_key_of_file(const char *name, char out[VT_SOURCE_KEY_MAX]);

/* Read dir/<file of key> and check it fully (vt_snapshot_parse) and that it is key's.
 * VT_ERR_NOT_FOUND when there is no such file. */
enum vt_err sources_load_file(const char *dir, const char *key, struct vt_snapshot **out,
                              struct vt_error *err) VT_WARN_UNUSED;

/* ---- the render thread's table ---- */

struct sources;

struct sources *sources_new(void);    /* NULL when out of memory */
void sources_free(struct sources *t); /* NULL is a no-op; frees the snapshots */

/* The snapshot of key, or NULL; borrowed until it is replaced (sources_put) or dropped
 * (sources_follow). */
const struct vt_snapshot *sources_get(const struct sources *t, const char *key);

/* Take snap. True when it is news (no snapshot of its key yet, or another version): it is
 * now the key's, and *old gets the one it replaced (NULL if none), which the caller frees
 * once no widget borrows it. False when the table already holds that version (snap is
 * freed) or is out of memory (snap is freed; the old one stays). */
bool sources_put(struct sources *t, struct vt_snapshot *snap, struct vt_snapshot **old);

/* Make the table follow manifest m: drop the snapshots of keys m does not list (no widget
 * may borrow them: call after scene_clear), drop those whose kind is not the one m gives
 * the key, and load from dir (NULL: none) each of m's sources it lacks. A missing or bad
 * file only leaves that key without a snapshot (a bad one is logged). m NULL drops all. */
void sources_follow(struct sources *t, const struct vt_manifest *m, const char *dir);

size_t sources_count(const struct sources *t);

#endif
