#include "snapshot.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum vt_err snapshot_write(SDL_Renderer *r, const char *path, struct vt_error *err) {
  int w, h;
  if (SDL_GetRendererOutputSize(r, &w, &h) != 0)
    return vt_error_set(err, VT_ERR_INTERNAL, "", "output size: %s", SDL_GetError());
  SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
  if (!s) return vt_error_set(err, VT_ERR_NO_MEMORY, "", "snapshot surface: %s", SDL_GetError());
  enum vt_err rc = VT_OK;
  char tmp[4096];
  int n = snprintf(tmp, sizeof tmp, "%s.tmp-%ld.png", path, (long)getpid());
  if (n < 0 || (size_t)n >= sizeof tmp)
    rc = vt_error_set(err, VT_ERR_INVALID, "", "snapshot path too long");
  else if (SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_RGB24, s->pixels, s->pitch) != 0)
    rc = vt_error_set(err, VT_ERR_INTERNAL, "", "read pixels: %s", SDL_GetError());
  else if (IMG_SavePNG(s, tmp) != 0) {
    rc = vt_error_set(err, VT_ERR_IO, "", "write %s: %s", tmp, IMG_GetError());
    unlink(tmp);
  } else if (rename(tmp, path) != 0) {
    rc = vt_error_set(err, VT_ERR_IO, "", "rename to %s: %s", path, strerror(errno));
    unlink(tmp);
  }
  SDL_FreeSurface(s);
  return rc;
}
