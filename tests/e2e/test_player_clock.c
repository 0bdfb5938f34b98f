/* `--clock TIME` rehearses a schedule on a running player: what is shown starts at TIME and
 * runs on at normal speed, so a window a year ahead takes the screen at its exact first
 * instant of the rehearsal clock and gives it back at its end. Checked through the
 * "presented" events (layout, timeline instant, real time) and the live snapshot's pixels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "shop.h"
#include "timeutil.h"

#define TEAL 0x118888u
#define RED 0xdd2222u
#define LEAD_MS 1500   /* the rehearsal starts this long before the window */
#define WINDOW_MS 1500 /* and the window lasts this long */
#define LATE_MS 150    /* a switch may be presented this late (ASan build, loaded machine) */

static void check_switch(const struct e2e_presented *ev, int64_t want_at, const char *what) {
  E2E_CHECK(ev->at_ms >= want_at && ev->at_ms - want_at <= LATE_MS,
            "%s presented for instant %lld, want %lld (+%d ms at most)", what,
            (long long)ev->at_ms, (long long)want_at, LATE_MS);
}

int main(void) {
  char dir[512], manifest[600], live[512], json[4096], out[256], start[VT_RFC3339_MAX],
      end[VT_RFC3339_MAX], clock[VT_RFC3339_MAX];
  e2e_path(dir, sizeof dir, "");
  snprintf(manifest, sizeof manifest, "%smanifest.json", dir);
  e2e_path(live, sizeof live, "live.png");
  int64_t window = 1938769200000LL; /* 2031-06-09T11:00:00Z: far outside any real clock */
  vt_time_format(window, start);
  vt_time_format(window + WINDOW_MS, end);
  vt_time_format(window - LEAD_MS, clock);
  const char *playlist = "{\"id\":%d,\"name\":\"p%d\",\"items\":[{\"id\":%d,\"type\":\"text\","
                         "\"text\":\".\",\"duration_ms\":60000,\"style\":{\"background\":\"%s\","
                         "\"size_px\":4}}]}";
  const char *layout = "{\"id\":%d,\"name\":\"l%d\",\"width\":320,\"height\":180,\"background\":"
                       "\"#000000\",\"regions\":[{\"name\":\"all\",\"x\":0,\"y\":0,\"width\":320,"
                       "\"height\":180,\"playlist\":%d}]}";
  char p1[256], p2[256], l1[256], l2[256];
  snprintf(p1, sizeof p1, playlist, 1, 1, 1, "#118888");
  snprintf(p2, sizeof p2, playlist, 2, 2, 2, "#dd2222");
  snprintf(l1, sizeof l1, layout, 1, 1, 1);
  snprintf(l2, sizeof l2, layout, 2, 2, 2);
  snprintf(json, sizeof json,
           "{\"format\":1,\"version\":3,\"display\":{\"name\":\"rehearsal\"},\"default_layout\":1,"
           "\"playlists\":[%s,%s],\"layouts\":[%s,%s],\"media\":[],"
           "\"schedule\":[{\"layout\":2,\"start\":\"%s\",\"end\":\"%s\",\"priority\":0}]}",
           p1, p2, l1, l2, start, end);
  e2e_write_text(manifest, json);

  /* --clock belongs to a running player: with --at, or unreadable, it is a usage error. */
  char *with_at[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--snapshot", live, "--at", start,
                     "--clock", clock, NULL};
  E2E_CHECK(e2e_run(with_at, out, sizeof out) == 2, "--clock with --at was not refused");
  char *bad[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--clock", "tomorrow", NULL};
  E2E_CHECK(e2e_run(bad, out, sizeof out) == 2, "--clock tomorrow was not refused");

  struct e2e_proc p;
  char *argv[] = {E2E_PLAYER_BIN, "--manifest", manifest, "--headless", "--snapshot", live,
                  "--events", "--clock", clock, NULL};
  int64_t launched = e2e_wall_ms();
  e2e_spawn(&p, "player", argv);

  /* Before the window: the default layout, shown for an instant of the rehearsal clock. */
  struct e2e_presented first, on, off;
  e2e_wait_presented_layout(&p, 3, 1, 5000, &first);
  E2E_CHECK(first.at_ms >= window - LEAD_MS && first.at_ms < window,
            "the first frame is for instant %lld, want one in the %d ms before %s",
            (long long)first.at_ms, LEAD_MS, start);
  E2E_CHECK(first.t_ms >= launched && first.t_ms < launched + 5000,
            "t_ms %lld is not the real clock", (long long)first.t_ms);
  E2E_CHECK(shop_share_png(live, TEAL) > 0.9, "before the window the default layout should show");

  /* The window's first instant on the rehearsal clock, LEAD_MS of real time later. */
  e2e_wait_presented_layout(&p, 3, 2, LEAD_MS + 3000, &on);
  check_switch(&on, window, "the window");
  int64_t drift = (on.t_ms - first.t_ms) - (on.at_ms - first.at_ms);
  E2E_CHECK(drift > -50 && drift < 50, "the rehearsal clock ran %lld ms off the real one",
            (long long)drift);
  E2E_CHECK(shop_share_png(live, RED) > 0.9, "inside the window its layout should show");

  e2e_wait_presented_layout(&p, 3, 1, WINDOW_MS + 3000, &off);
  check_switch(&off, window + WINDOW_MS, "the window's end");
  E2E_CHECK(shop_share_png(live, TEAL) > 0.9, "after the window the default layout should be back");
  E2E_CHECK(on.version == 3 && off.version == 3, "the manifest version changed");

  E2E_CHECK(e2e_stop(&p) == 0, "player did not exit cleanly");
  e2e_cleanup();
  printf("ok\n");
  return 0;
}
