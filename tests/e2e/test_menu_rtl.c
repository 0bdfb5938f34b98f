/* A Persian menu board (locale fa, prices in تومان) through the real player's one-shot
 * snapshot: --manifest FILE with the menu's snapshot beside it in sources/menu-1.json, as a
 * player started offline has it. The board must be mirrored and its prices read ۱۲۰٬۰۰۰:
 *  - the price ۱۲۰٬۰۰۰ rendered alone by a text item (same size and colours) is found pixel
 *    for pixel in the menu: in the right-hand column (the first column of a mirrored board,
 *    holding the first section), at that column's left (prices at the left);
 *  - the item's name stands right of it, ending at the right edge of the board's box;
 *  - the sold-out item carries the red label. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "text_match.h"

#define W 960
#define MENU_H 440
#define H 540
#define BG 0x2b1d14u
#define SOLD_OUT_RED 0xe0584cu

/* Bounding box of ink (solid strokes, far from BG) in a rect; false when there is none. */
static bool ink_box(SDL_Surface *s, int rx, int ry, int rw, int rh, SDL_Rect *box) {
  struct tm_box b = tm_ink_tol(s, (struct tm_box){rx, ry, rw, rh}, BG, 150);
  *box = (SDL_Rect){b.x, b.y, b.w, b.h};
  return b.w > 0;
}

/* Where the template t (in s) occurs in rect r of s, every pixel within 24 of it; false
 * when nowhere. Most positions fail on their first pixels, so the scan is quick. */
static bool find(SDL_Surface *s, const SDL_Rect *t, const SDL_Rect *r, int *fx, int *fy) {
  for (int y = r->y; y + t->h <= r->y + r->h; y++)
    for (int x = r->x; x + t->w <= r->x + r->w; x++) {
      bool ok = true;
      for (int j = 0; j < t->h && ok; j++)
        for (int i = 0; i < t->w && ok; i++)
          ok = e2e_color_diff(e2e_pixel(s, x + i, y + j), e2e_pixel(s, t->x + i, t->y + j)) <= 24;
      if (ok) {
        *fx = x;
        *fy = y;
        return true;
      }
    }
  return false;
}

int main(void) {
  char dir[400], sources[512], manifest[512], snap[600], png[600];
  snprintf(dir, sizeof dir, "%s", e2e_tmpdir());
  snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
  snprintf(sources, sizeof sources, "%s/sources", dir);
  snprintf(snap, sizeof snap, "%s/menu-1.json", sources);
  e2e_path(png, sizeof png, "menu.png");
  E2E_CHECK(mkdir(sources, 0755) == 0, "mkdir %s", sources);
  e2e_write_text(manifest,
    "{\"format\":1,\"version\":1,\"display\":{\"name\":\"t\",\"timezone\":\"Asia/Tehran\"},"
    "\"default_layout\":1,\"playlists\":["
    "{\"id\":1,\"items\":[{\"type\":\"menu\",\"duration_ms\":60000,\"source\":\"menu/1\","
    "\"locale\":\"fa\",\"style\":{\"size_px\":34,\"color\":\"#f4ead5\",\"background\":\"#2b1d14\","
    "\"padding_px\":30}}]},"
    "{\"id\":2,\"items\":[{\"type\":\"text\",\"duration_ms\":60000,\"text\":\"۱۲۰٬۰۰۰\","
    "\"style\":{\"size_px\":34,\"color\":\"#f4ead5\",\"background\":\"#2b1d14\"}}]}],"
    "\"layouts\":[{\"id\":1,\"width\":960,\"height\":540,\"background\":\"#000000\",\"regions\":["
    "{\"name\":\"menu\",\"x\":0,\"y\":0,\"width\":960,\"height\":440,\"playlist\":1},"
    "{\"name\":\"price\",\"x\":0,\"y\":440,\"width\":960,\"height\":100,\"playlist\":2}]}],"
    "\"sources\":[{\"key\":\"menu/1\",\"kind\":\"menu\"}]}");
  e2e_write_text(snap,
    "{\"key\":\"menu/1\",\"kind\":\"menu\",\"version\":3,\"updated_at\":\"2026-11-23T10:00:00Z\","
    "\"data\":{\"name\":\"منوی صبحانه\",\"sections\":["
    "{\"id\":1,\"name\":\"صبحانه\",\"items\":["
    "{\"id\":1,\"name\":\"املت\",\"description\":\"گوجه، تخم‌مرغ، نان سنگک\",\"price\":\"120000\","
    "\"currency\":\"تومان\",\"image\":null,\"sold_out\":false},"
    "{\"id\":2,\"name\":\"حلیم\",\"description\":\"با دارچین\",\"price\":\"150000\","
    "\"currency\":\"تومان\",\"image\":null,\"sold_out\":true},"
    "{\"id\":3,\"name\":\"پنیر و گردو\",\"description\":\"\",\"price\":\"80000\","
    "\"currency\":\"تومان\",\"image\":null,\"sold_out\":false}]},"
    "{\"id\":2,\"name\":\"نوشیدنی\",\"items\":["
    "{\"id\":4,\"name\":\"چای\",\"description\":\"\",\"price\":\"30000\",\"currency\":\"تومان\","
    "\"image\":null,\"sold_out\":false},"
    "{\"id\":5,\"name\":\"قهوه Lavazza\",\"description\":\"اسپرسو دوبل\",\"price\":\"110000\","
    "\"currency\":\"تومان\",\"image\":null,\"sold_out\":false}]}]}}");
  char out[2048];
  char *argv[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--headless", "--snapshot", png,
                  "--at", "2026-11-23T07:30:00Z", NULL};
  E2E_CHECK(e2e_run(argv, out, sizeof out) == 0, "snapshot failed: %s", out);
  SDL_Surface *s = e2e_load_png(png);
  E2E_CHECK(s->w == W && s->h == H, "snapshot is %dx%d", s->w, s->h);

  SDL_Rect ref;
  E2E_CHECK(ink_box(s, 0, MENU_H, W, H - MENU_H, &ref), "the reference price did not render");
  SDL_Rect menu = {0, 0, W, MENU_H};
  int fx = -1, fy = -1;
  E2E_CHECK(find(s, &ref, &menu, &fx, &fy), "۱۲۰٬۰۰۰ as rendered alone is not on the menu");
  printf("price found at %d,%d (template %dx%d)\n", fx, fy, ref.w, ref.h);
  /* Two columns of 12 em fit at 34 px; the first (the first section's, with ۱۲۰٬۰۰۰) is the
   * right one, and in it the price stands at the left, the name at the right edge. */
  E2E_CHECK(fx > W / 2 && fx < W / 2 + W / 8,
            "the price is at x %d: not at the left of the right-hand first column", fx);
  SDL_Rect name;
  E2E_CHECK(ink_box(s, fx + ref.w + 60, fy, W - (fx + ref.w + 60), ref.h, &name),
            "no item name right of the price");
  E2E_CHECK(name.x + name.w >= W - 30 - 3, "names do not stand at the right (ends at %d)",
            name.x + name.w);
  double red = e2e_fraction(s, 0, 0, W, MENU_H, SOLD_OUT_RED, 40);
  E2E_CHECK(red > 0.0003, "no sold-out label (%.5f)", red);
  SDL_FreeSurface(s);
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
