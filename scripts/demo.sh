#!/bin/bash
# Set everything up and run the demo: a manager with a demo café network and two players
# showing its menu boards (English and Persian). In a window when a display is available,
# otherwise headless, writing snapshot PNGs and saying where.
#   usage: scripts/demo.sh [--port N] [--once]
#   --once: stop after the first snapshots (the default when not run from a terminal)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=8080 ONCE=0
[ -t 0 ] && [ -z "${CI:-}" ] || ONCE=1
while [ $# -gt 0 ]; do
  case $1 in
    --port) PORT=$2; shift 2 ;;
    --once) ONCE=1; shift ;;
    *) echo "usage: scripts/demo.sh [--port N] [--once]" >&2; exit 2 ;;
  esac
done

./scripts/deps.sh
./scripts/build.sh >/dev/null
BIN=$PWD/build/bin
VAR=$PWD/var/demo
rm -rf "$VAR"                     # a fresh demo network every run
mkdir -p "$VAR"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() { # FILE PATTERN SECONDS
  for _ in $(seq $(($3 * 10))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "demo: timed out waiting for '$2' in $1" >&2; return 1
}

# The demo's outside world: news, forecasts and rates served from a local folder (the
# machine may have no internet; a real network points feeds at the services themselves).
FEEDS_PORT=$((PORT + 10))
python3 scripts/demo-feeds.py "$VAR/feeds"
python3 -m http.server --bind 127.0.0.1 --directory "$VAR/feeds" "$FEEDS_PORT" >"$VAR/feeds.log" 2>&1 &
pids+=($!)

"$BIN/vitrine-manager" serve --data "$VAR/manager" --listen "127.0.0.1:$PORT" >"$VAR/manager.out" 2>"$VAR/manager.log" &
pids+=($!)
wait_for "$VAR/manager.out" "listening on" 20
URL=$(sed -n 's/^listening on //p' "$VAR/manager.out")
OWNER=$("$BIN/vitrine-manager" token create --data "$VAR/manager" --role owner --name demo)
echo "$OWNER" >"$VAR/owner.token"
./scripts/demo-seed.sh "$URL" "$OWNER" "$VAR" "http://127.0.0.1:$FEEDS_PORT"
# The players start once every feed has been fetched, so their first frames are complete.
for _ in $(seq 150); do
  pending=$(curl -sS -H "Authorization: Bearer $OWNER" "$URL/api/v1/feeds" | jq '[.items[] | select(.status.version == 0)] | length')
  [ "$pending" = 0 ] && break
  sleep 0.1
done
[ "$pending" = 0 ] || echo "demo: some feeds are not fetched yet; see GET $URL/api/v1/feeds" >&2

windowed=0
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && windowed=1
for lang in en fa; do
  read -r id token <"$VAR/display-$lang"
  args=(--manager "$URL" --data "$VAR/player-$lang" --token "$token" --events)
  if [ $windowed = 1 ]; then
    args+=(--windowed 960x540)
  else
    args+=(--headless --snapshot "$VAR/menu-$lang.png")
  fi
  "$BIN/vitrine-player" "${args[@]}" >"$VAR/player-$lang.out" 2>"$VAR/player-$lang.log" &
  pids+=($!)
done
for lang in en fa; do wait_for "$VAR/player-$lang.out" '"presented"' 30; done

echo
echo "Vitrine demo is running."
echo "  manager:   $URL   (owner token in $VAR/owner.token; API in docs/api.md)"
if [ $windowed = 1 ]; then
  echo "  players:   two windows, English and Persian menu boards"
else
  for _ in $(seq 100); do [ -f "$VAR/menu-en.png" ] && [ -f "$VAR/menu-fa.png" ] && break; sleep 0.1; done
  echo "  players:   headless; what each screen shows now:"
  echo "             $VAR/menu-en.png"
  echo "             $VAR/menu-fa.png"
fi
read -r _ lunch_menu _ <"$VAR/menus-en"
echo "  try:       change a price and watch the screen follow within a second, e.g."
echo "             curl -H \"Authorization: Bearer \$(cat $VAR/owner.token)\" $URL/api/v1/menus/$lunch_menu | jq ."
echo "             curl -X PATCH -H \"Authorization: Bearer \$(cat $VAR/owner.token)\" -H 'Content-Type: application/json' \\"
echo "               --data '{\"price\":\"6.20\"}' $URL/api/v1/menus/$lunch_menu/items/<item id>"
if [ $ONCE = 1 ]; then
  echo "(--once: stopping)"
  exit 0
fi
echo "Press Ctrl-C to stop."
wait
