/* `--manifest FILE` plays a manifest and the media beside it with no manager at all (a kiosk
 * without network, a designer's preview); a corrupt manifest is refused with a clear error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "hash.h"

#define ORANGE 0xff8800u

int main(void) {
  char dir[512], media_dir[600], media[700], manifest[600], png_out[512], out[1024], json[2048];
  E2E_CHECK(vt_crypto_init(), "libsodium");
  e2e_path(dir, sizeof dir, "kiosk");
  snprintf(media_dir, sizeof media_dir, "%s/media", dir);
  E2E_CHECK(mkdir(dir, 0755) == 0 && mkdir(media_dir, 0755) == 0, "mkdir");
  size_t len;
  void *png = e2e_make_png(16, 16, ORANGE, &len);
  char sha[VT_SHA256_HEX_LEN + 1];
  vt_sha256_hex(png, len, sha);
  snprintf(media, sizeof media, "%s/%s", media_dir, sha);
  e2e_write_file(media, png, len);
  free(png);
  snprintf(json, sizeof json,
           "{\"format\":1,\"version\":1,\"display\":{\"name\":\"kiosk\"},\"default_layout\":1,"
           "\"media\":[{\"sha256\":\"%s\",\"size\":%zu,\"type\":\"image/png\"}],"
           "\"playlists\":[{\"id\":1,\"items\":[{\"type\":\"image\",\"media\":\"%s\",\"duration_ms\":5000,\"fit\":\"stretch\"}]}],"
           "\"layouts\":[{\"id\":1,\"width\":200,\"height\":100,\"background\":\"#000000\",\"regions\":["
           "{\"name\":\"pic\",\"x\":100,\"y\":0,\"width\":100,\"height\":100,\"playlist\":1}]}]}",
           sha, len, sha);
  snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
  e2e_write_file(manifest, json, strlen(json));
  e2e_path(png_out, sizeof png_out, "kiosk.png");

  char *argv[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--headless", "--snapshot", png_out,
                  "--at", "2026-12-01T10:00:00Z", NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "--manifest snapshot failed");
  SDL_Surface *s = e2e_load_png(png_out);
  E2E_CHECK(s->w == 200 && s->h == 100, "snapshot is %dx%d, want the 200x100 canvas", s->w, s->h);
  E2E_CHECK(e2e_fraction(s, 100, 0, 100, 100, ORANGE, 30) > 0.98, "the image region is not orange");
  E2E_CHECK(e2e_fraction(s, 0, 0, 100, 100, 0x000000u, 10) > 0.98, "the rest is not the black background");
  SDL_FreeSurface(s);

  /* A manifest that does not parse: non-zero exit, no picture, a message naming the problem. */
  e2e_write_file(manifest, "{\"format\":1,", 12);
  unlink(png_out);
  E2E_CHECK(e2e_run(argv, out, sizeof out) != 0, "a broken manifest was accepted");
  E2E_CHECK(access(png_out, F_OK) != 0, "a snapshot was written from a broken manifest");
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
