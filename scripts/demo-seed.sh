#!/bin/bash
# Load the demo café into a running manager, through the public API only.
#   usage: scripts/demo-seed.sh MANAGER_URL OWNER_TOKEN OUT_DIR FEEDS_URL
# FEEDS_URL serves the files scripts/demo-feeds.py writes (news, forecasts, rates).
# Makes: pictures, menu boards for breakfast / lunch / dinner in English and Persian (menus
# kept in the manager, so a price edit reaches the screens at once), a news ticker, a clock
# (Jalali with Persian digits on the Persian board), weather and exchange rates, two displays,
# "Menu board EN" in Europe/Berlin and "Menu board FA" in Asia/Tehran (UTC+03:30), both in the
# group "All boards". Each shows, in its own local time: breakfast 06:00-11:00 on weekdays and
# 07:00-12:00 at weekends, lunch until 16:00, dinner until 22:00, a "closed" screen otherwise
# (the default layout); a pastry promotion in the promo corner every afternoon (12:00-18:00)
# for the next 14 days only; and, for the whole group, a closing announcement that takes the
# screen at 21:50 for ten minutes (priority 10).
# Writes OUT_DIR/display-en and OUT_DIR/display-fa, each "ID TOKEN".
set -euo pipefail
URL=$1 TOKEN=$2 OUT=$3 FEEDS=$4
ASSETS="$(cd "$(dirname "$0")/.." && pwd)/assets/demo"

api() { # METHOD PATH [JSON] -> response body on stdout; fails loudly on a non-2xx answer
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -H "Authorization: Bearer $TOKEN" -w '\n%{http_code}')
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  local out code
  out=$(curl "${args[@]}" "$URL$path")
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [ "${code:0:1}" != 2 ]; then echo "demo-seed: $method $path -> $code $out" >&2; exit 1; fi
  printf '%s' "$out"
}

upload() { # FILE -> sha256
  curl -sS --fail-with-body -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: image/png' \
    --data-binary "@$ASSETS/$1.png" "$URL/api/v1/media?name=$1" | jq -r .sha256
}

text_item() { # TEXT SIZE ALIGN [WEIGHT] [DURATION_MS] [PADDING_PX] -> item JSON
  jq -nc --arg t "$1" --argjson s "$2" --arg a "$3" --arg w "${4:-regular}" --argjson d "${5:-600000}" \
    --argjson p "${6:-40}" \
    '{type:"text",text:$t,duration_ms:$d,style:{size_px:$s,color:"#fff8ee",align:$a,valign:"middle",weight:$w,padding_px:$p}}'
}

playlist() { # NAME ITEM_JSON... -> id
  local name=$1; shift
  api POST /api/v1/playlists "$(jq -nc --arg n "$name" --argjson items "$(printf '%s\n' "$@" | jq -sc .)" '{name:$n,items:$items}')" | jq -r .id
}

layout() { # NAME BG DIR TITLE_PL MENU_PL CLOCK_PL PANEL_PL PROMO_PL TICKER_PL -> id   (DIR: ltr|rtl mirrors the columns)
  local name=$1 bg=$2 dir=$3
  local menu_x=0 side_x=1160
  [ "$dir" = rtl ] && menu_x=760 side_x=0
  api POST /api/v1/layouts "$(jq -nc --arg n "$name" --arg bg "$bg" --argjson mx $menu_x --argjson sx $side_x \
    --argjson t "$4" --argjson m "$5" --argjson c "$6" --argjson w "$7" --argjson pr "$8" --argjson f "$9" '{
      name:$n, width:1920, height:1080, background:$bg, regions:[
        {name:"title",  x:0,   y:0,   width:1920, height:140, background:"#00000055", playlist_id:$t},
        {name:"menu",   x:$mx, y:140, width:1160, height:800, playlist_id:$m},
        {name:"clock",  x:$sx, y:140, width:760,  height:130, background:"#00000033", playlist_id:$c},
        {name:"panel",  x:$sx, y:270, width:760,  height:420, playlist_id:$w},
        {name:"promo",  x:$sx, y:690, width:760,  height:250, playlist_id:$pr},
        {name:"ticker", x:0,   y:940, width:1920, height:140, background:"#000000aa", playlist_id:$f}]}')" | jq -r .id
}

image_item() { jq -nc --arg m "$1" --argjson d "${2:-600000}" '{type:"image",media:$m,duration_ms:$d,fit:"cover"}'; }

declare -A PHOTO
for p in breakfast lunch dinner promo; do PHOTO[$p]=$(upload $p); done

# The promo corner: a loyalty note by default; the promotion's entry replaces it.
LOYALTY=$(playlist "Loyalty" "$(text_item "Tenth coffee on us — ask for a card" 40 center regular)")
LOYALTY_FA=$(playlist "Loyalty (FA)" "$(text_item "قهوهٔ دهم مهمان ما — کارت بگیرید" 40 center regular)")
PROMO=$(playlist "Promotion" "$(image_item "${PHOTO[promo]}" 6000)" \
  "$(text_item "Pastries -20% · afternoons, for two weeks" 44 center bold 6000)")
PROMO_FA=$(playlist "Promotion (FA)" "$(image_item "${PHOTO[promo]}" 6000)" \
  "$(text_item "۲۰٪ تخفیف شیرینی‌ها، عصرها تا دو هفته" 44 center bold 6000)")
# Live sources: feeds the manager fetches (from the demo's local web server), menus it keeps.
feed() { # NAME KIND FILE [LOCATION] -> id
  api POST /api/v1/feeds "$(jq -nc --arg n "$1" --arg k "$2" --arg u "$FEEDS/$3" --arg l "${4:-}" \
    '{name:$n,kind:$k,url:$u,refresh_s:300} + (if $l == "" then {} else {location_name:$l} end)')" | jq -r .id
}
NEWS_EN=$(feed "Harbour Gazette" news news-en.xml)
NEWS_FA=$(feed "خبرنامهٔ محله" news news-fa.xml)
WEATHER_EN=$(feed "Berlin weather" weather weather-berlin.xml Berlin)
WEATHER_FA=$(feed "Tehran weather" weather weather-tehran.xml "تهران")
RATES=$(feed "ECB rates" currency rates.xml)

style() { # SIZE [ALIGN] -> style JSON
  jq -nc --argjson s "$1" --arg a "${2:-start}" '{size_px:$s,color:"#fff8ee",align:$a,valign:"middle",padding_px:24}'
}
live_item() { # TYPE LOCALE OPTIONS_JSON STYLE_JSON [DURATION_MS] -> item JSON
  jq -nc --arg t "$1" --arg l "$2" --argjson o "$3" --argjson s "$4" --argjson d "${5:-600000}" \
    '{type:$t,duration_ms:$d,locale:$l,style:$s} + $o'
}
TICKER=$(playlist "News ticker" "$(live_item ticker en "{\"source\":\"feed/$NEWS_EN\",\"speed_px_s\":110}" "$(style 52)")")
TICKER_FA=$(playlist "News ticker (FA)" "$(live_item ticker fa "{\"source\":\"feed/$NEWS_FA\",\"speed_px_s\":110}" "$(style 52)")")
CLOCK=$(playlist "Clock" "$(live_item clock en '{"format":"EEEE dd MMMM  HH:mm"}' "$(style 48 center)")")
CLOCK_FA=$(playlist "Clock (FA)" "$(live_item clock fa '{"format":"EEEE dd MMMM  HH:mm","calendar":"jalali"}' "$(style 48 center)")")
# The side panel alternates the weather and the exchange rates.
PANEL=$(playlist "Weather and rates" \
  "$(live_item weather en "{\"source\":\"feed/$WEATHER_EN\",\"hours\":4,\"days\":3}" "$(style 40)" 15000)" \
  "$(live_item currency en "{\"source\":\"feed/$RATES\",\"base\":\"EUR\",\"symbols\":[\"USD\",\"GBP\",\"CHF\",\"JPY\"],\"decimals\":4}" "$(style 40)" 8000)")
PANEL_FA=$(playlist "Weather and rates (FA)" \
  "$(live_item weather fa "{\"source\":\"feed/$WEATHER_FA\",\"hours\":4,\"days\":3}" "$(style 40)" 15000)" \
  "$(live_item currency fa "{\"source\":\"feed/$RATES\",\"base\":\"USD\",\"symbols\":[\"EUR\",\"AED\",\"TRY\",\"GBP\"],\"decimals\":2}" "$(style 40)" 8000)")

menu() { # NAME JSON_SECTIONS -> id
  api POST /api/v1/menus "$(jq -nc --arg n "$1" --argjson s "$2" '{name:$n,sections:$s}')" | jq -r .id
}
en_item() { jq -nc --arg n "$1" --arg p "$2" --arg d "${3:-}" --arg i "${4:-}" \
  '{name:$n,price:$p,currency:"€",description:$d} + (if $i == "" then {} else {image:$i} end)'; }
fa_item() { jq -nc --arg n "$1" --arg p "$2" --arg d "${3:-}" --arg i "${4:-}" \
  '{name:$n,price:$p,currency:"تومان",description:$d} + (if $i == "" then {} else {image:$i} end)'; }
section() { local n=$1; shift; jq -nc --arg n "$n" --argjson i "$(printf '%s\n' "$@" | jq -sc .)" '{name:$n,items:$i}'; }
sections() { printf '%s\n' "$@" | jq -sc .; }

declare -A MENU_EN MENU_FA
MENU_EN[breakfast]=$(menu "Breakfast" "$(sections \
  "$(section "Coffee" "$(en_item Espresso 2.50)" "$(en_item Cappuccino 3.20 "Double shot, whole or oat milk")" "$(en_item "Flat white" 3.60)")" \
  "$(section "Plates" "$(en_item "Eggs Benedict" 8.50 "Two poached eggs, ham, hollandaise" "${PHOTO[breakfast]}")" "$(en_item Croissant 2.80)" "$(en_item "Fruit bowl" 5.90 "Seasonal fruit, yoghurt, honey")")")")
MENU_EN[lunch]=$(menu "Lunch" "$(sections \
  "$(section "Mains" "$(en_item "Soup of the day" 5.50 "Ask us what is cooking")" "$(en_item "Caesar salad" 9.80 "" "${PHOTO[lunch]}")" "$(en_item "Club sandwich" 10.50 "Chicken, bacon, egg, fries")")" \
  "$(section "Drinks" "$(en_item Lemonade 3.50)" "$(en_item "Iced tea" 3.20)")")")
MENU_EN[dinner]=$(menu "Dinner" "$(sections \
  "$(section "Mains" "$(en_item "Steak frites" 21.00 "Rib-eye, herb butter, fries" "${PHOTO[dinner]}")" "$(en_item Risotto 16.50 "Wild mushrooms, parmesan")" "$(en_item "Green salad" 6.00)")" \
  "$(section "Drinks" "$(en_item "House wine" 5.50 "Red or white, 0.2 l")" "$(en_item Espresso 2.50)")")")
MENU_FA[breakfast]=$(menu "صبحانه" "$(sections \
  "$(section "نوشیدنی" "$(fa_item "اسپرسو" 65000)" "$(fa_item "کاپوچینو" 85000 "با شیر تازه یا شیر جو")" "$(fa_item "چای" 35000)")" \
  "$(section "صبحانه" "$(fa_item "منوی صبحانه" 120000 "نان، پنیر، گردو، گوجه" "${PHOTO[breakfast]}")" "$(fa_item "املت" 110000)" "$(fa_item "حلیم" 95000)")")")
MENU_FA[lunch]=$(menu "ناهار" "$(sections \
  "$(section "غذای اصلی" "$(fa_item "کباب کوبیده" 240000 "دو سیخ با برنج و گوجه" "${PHOTO[lunch]}")" "$(fa_item "زرشک‌پلو با مرغ" 220000)" "$(fa_item "سالاد سزار" 180000)")" \
  "$(section "نوشیدنی" "$(fa_item "دوغ" 45000)" "$(fa_item "Coca-Cola" 40000)")")")
MENU_FA[dinner]=$(menu "شام" "$(sections \
  "$(section "غذای اصلی" "$(fa_item "جوجه‌کباب" 260000 "با برنج زعفرانی" "${PHOTO[dinner]}")" "$(fa_item "قرمه‌سبزی" 230000)" "$(fa_item "فسنجان" 280000)")" \
  "$(section "نوشیدنی" "$(fa_item "چای" 35000)" "$(fa_item "دوغ" 45000)")")")

declare -A EN_TITLE=([breakfast]="Café Vitrine · Breakfast" [lunch]="Café Vitrine · Lunch" [dinner]="Café Vitrine · Dinner" [closed]="Café Vitrine")
declare -A FA_TITLE=([breakfast]="کافه ویترین، صبحانه" [lunch]="کافه ویترین، ناهار" [dinner]="کافه ویترین، شام" [closed]="کافه ویترین")
declare -A BG=([breakfast]="#6b3a1f" [lunch]="#2f5d34" [dinner]="#1b2340" [closed]="#222222")
declare -A LAYOUT_EN LAYOUT_FA
for part in breakfast lunch dinner closed; do
  t_en=$(playlist "Title $part" "$(text_item "${EN_TITLE[$part]}" 72 start bold 600000 16)")
  t_fa=$(playlist "Title $part (FA)" "$(text_item "${FA_TITLE[$part]}" 72 start bold 600000 16)")
  if [ $part = closed ]; then
    m_en=$(playlist "Closed" "$(text_item $'We are closed.\nBreakfast from 06:00 — see you tomorrow!' 56 start)")
    m_fa=$(playlist "Closed (FA)" "$(text_item $'بسته‌ایم.\nصبحانه از ساعت ۶ — تا فردا!' 56 start)")
  else
    m_en=$(playlist "Menu $part" "$(live_item menu en "{\"source\":\"menu/${MENU_EN[$part]}\"}" "$(style 44)")")
    m_fa=$(playlist "Menu $part (FA)" "$(live_item menu fa "{\"source\":\"menu/${MENU_FA[$part]}\"}" "$(style 44)")")
  fi
  LAYOUT_EN[$part]=$(layout "Café $part" "${BG[$part]}" ltr "$t_en" "$m_en" "$CLOCK" "$PANEL" "$LOYALTY" "$TICKER")
  LAYOUT_FA[$part]=$(layout "Café $part (FA)" "${BG[$part]}" rtl "$t_fa" "$m_fa" "$CLOCK_FA" "$PANEL_FA" "$LOYALTY_FA" "$TICKER_FA")
done

display() { # NAME DEFAULT_LAYOUT ZONE -> "ID TOKEN"
  api POST /api/v1/displays "$(jq -nc --arg n "$1" --argjson l "$2" --arg z "$3" \
    '{name:$n,default_layout_id:$l,timezone:$z}')" | jq -r '"\(.id) \(.token)"'
}
read -r EN_ID EN_TOKEN <<<"$(display "Menu board EN" "${LAYOUT_EN[closed]}" Europe/Berlin)"
read -r FA_ID FA_TOKEN <<<"$(display "Menu board FA" "${LAYOUT_FA[closed]}" Asia/Tehran)"
GROUP=$(api POST /api/v1/groups "$(jq -nc --argjson a "$EN_ID" --argjson b "$FA_ID" \
  '{name:"All boards",display_ids:[$a,$b]}')" | jq -r .id)

entry() { # JSON -> schedule entry (times are local to each display the entry reaches)
  api POST /api/v1/schedules "$1" >/dev/null
}

# Dayparts: entries per display, written in that display's local time and starting today
# there, so the Persian board switches at 11:00 Tehran time (07:30 UTC).
for target in "$EN_ID Europe/Berlin EN" "$FA_ID Asia/Tehran FA"; do
  read -r did zone lang <<<"$target"
  today=$(TZ=$zone date +%Y-%m-%d)
  last=$(TZ=$zone date -d '+13 days' +%Y-%m-%d)
  for slot in "breakfast 06 11 MO,TU,WE,TH,FR" "breakfast 07 12 SA,SU" "lunch 11 16 -" "dinner 16 22 -"; do
    read -r part from to days <<<"$slot"
    if [ "$lang" = EN ]; then lid=${LAYOUT_EN[$part]}; else lid=${LAYOUT_FA[$part]}; fi
    rule="FREQ=DAILY"; [ "$days" != - ] && rule="FREQ=WEEKLY;BYDAY=$days"
    entry "$(jq -nc --arg n "$part" --argjson d "$did" --argjson l "$lid" --arg r "$rule" \
      --arg s "${today}T$from:00:00" --arg e "${today}T$to:00:00" \
      '{name:$n,display_id:$d,layout_id:$l,start:$s,end:$e,rrule:$r}')"
  done
  # The promotion: the promo corner of the lunch and dinner layouts, afternoons, 14 days.
  for part in lunch dinner; do
    if [ "$lang" = EN ]; then lid=${LAYOUT_EN[$part]} pl=$PROMO; else lid=${LAYOUT_FA[$part]} pl=$PROMO_FA; fi
    entry "$(jq -nc --argjson d "$did" --argjson l "$lid" --argjson p "$pl" --arg s "${today}T12:00:00" \
      --arg f "$today" --arg u "$last" \
      '{name:"Pastry promotion",display_id:$d,layout_id:$l,region:"promo",playlist_id:$p,
        start:$s,duration:"PT6H",rrule:"FREQ=DAILY",valid_from:$f,valid_until:$u}')"
  done
done

# Closing time: one entry for the whole group, above the dayparts.
CLOSING=$(playlist "Closing" "$(text_item $'We close in 10 minutes — thank you!\nتا ۱۰ دقیقهٔ دیگر می‌بندیم — سپاس!' 80 center bold)")
CLOSING_LAYOUT=$(api POST /api/v1/layouts "$(jq -nc --argjson p "$CLOSING" '{name:"Closing",width:1920,
  height:1080,background:"#7a1f1f",regions:[{name:"main",x:0,y:0,width:1920,height:1080,playlist_id:$p}]}')" | jq -r .id)
entry "$(jq -nc --argjson g "$GROUP" --argjson l "$CLOSING_LAYOUT" --arg s "$(date +%Y-%m-%d)T21:50:00" \
  '{name:"Closing announcement",group_id:$g,layout_id:$l,start:$s,duration:"PT10M",rrule:"FREQ=DAILY",priority:10}')"
echo "$EN_ID $EN_TOKEN" >"$OUT/display-en"
echo "${MENU_EN[breakfast]} ${MENU_EN[lunch]} ${MENU_EN[dinner]}" >"$OUT/menus-en"
echo "$FA_ID $FA_TOKEN" >"$OUT/display-fa"
