/* The output as a PNG: what tests and the --at one-shot look at. Render thread only. */
#ifndef PLAYER_SNAPSHOT_H
#define PLAYER_SNAPSHOT_H

#include <SDL.h>

#include "vt_err.h"

/* Read back what r has drawn since the last present (call before presenting: a window's
 * back buffer is undefined after) and write it to path as an opaque PNG. Atomic: the PNG
 * goes to a temporary name in the same directory and is renamed over path, so a reader
 * polling path never sees half a file. */
enum vt_err snapshot_write(SDL_Renderer *r, const char *path, struct vt_error *err) VT_WARN_UNUSED;

#endif
