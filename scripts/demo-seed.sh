#!/bin/bash
# Load the demo café into a running manager, through the public API only.
#   usage: scripts/demo-seed.sh MANAGER_URL OWNER_TOKEN OUT_DIR
# Makes: pictures, menus for breakfast / lunch / dinner in English and Persian, two displays,
# "Menu board EN" in Europe/Berlin and "Menu board FA" in Asia/Tehran (UTC+03:30), both in the
# group "All boards". Each shows, in its own local time: breakfast 06:00-11:00 on weekdays and
# 07:00-12:00 at weekends, lunch until 16:00, dinner until 22:00, a "closed" screen otherwise
# (the default layout); a pastry promotion in the promo corner every afternoon (12:00-18:00)
# for the next 14 days only; and, for the whole group, a closing announcement that takes the
# screen at 21:50 for ten minutes (priority 10).
# Writes OUT_DIR/display-en and OUT_DIR/display-fa, each "ID TOKEN".
set -euo pipefail
URL=$1 TOKEN=$2 OUT=$3
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

layout() { # NAME BG DIR TITLE_PL MENU_PL PHOTO_PL PROMO_PL FOOTER_PL -> id   (DIR: ltr|rtl mirrors the columns)
  local name=$1 bg=$2 dir=$3
  local menu_x=0 side_x=1160
  [ "$dir" = rtl ] && menu_x=760 side_x=0
  api POST /api/v1/layouts "$(jq -nc --arg n "$name" --arg bg "$bg" --argjson mx $menu_x --argjson sx $side_x \
    --argjson t "$4" --argjson m "$5" --argjson p "$6" --argjson pr "$7" --argjson f "$8" '{
      name:$n, width:1920, height:1080, background:$bg, regions:[
        {name:"title",  x:0,   y:0,   width:1920, height:160, background:"#00000055", playlist_id:$t},
        {name:"menu",   x:$mx, y:160, width:1160, height:760, playlist_id:$m},
        {name:"photo",  x:$sx, y:160, width:760,  height:560, playlist_id:$p},
        {name:"promo",  x:$sx, y:720, width:760,  height:200, playlist_id:$pr},
        {name:"footer", x:0,   y:920, width:1920, height:160, background:"#00000055", playlist_id:$f}]}')" | jq -r .id
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
FOOTER=$(playlist "Footer" "$(text_item "Open 06:00–22:00, weekends from 07:00 · Free Wi-Fi · Lavazza beans" 40 center)")
FOOTER_FA=$(playlist "Footer (FA)" "$(text_item "هر روز ۶ تا ۲۲، وای‌فای رایگان، قهوهٔ Lavazza" 40 center)")

declare -A EN_TITLE=([breakfast]="Café Vitrine · Breakfast" [lunch]="Café Vitrine · Lunch" [dinner]="Café Vitrine · Dinner" [closed]="Café Vitrine")
declare -A FA_TITLE=([breakfast]="کافه ویترین، صبحانه" [lunch]="کافه ویترین، ناهار" [dinner]="کافه ویترین، شام" [closed]="کافه ویترین")
declare -A EN_MENU=(
  [breakfast]=$'Espresso  2.50\nCappuccino  3.20\nCroissant  2.80\nEggs Benedict  8.50\nFruit bowl  5.90'
  [lunch]=$'Soup of the day  5.50\nCaesar salad  9.80\nClub sandwich  10.50\nLemonade  3.50'
  [dinner]=$'Steak frites  21.00\nRisotto  16.50\nGreen salad  6.00\nHouse wine  5.50'
  [closed]=$'We are closed.\nBreakfast from 06:00 — see you tomorrow!')
declare -A FA_MENU=(
  [breakfast]=$'منوی صبحانه ۱۲۰٬۰۰۰ تومان\nاسپرسو ۶۵٬۰۰۰ تومان\nکاپوچینو ۸۵٬۰۰۰ تومان\nنان و پنیر و گردو ۹۵٬۰۰۰ تومان'
  [lunch]=$'سالاد سزار ۱۸۰٬۰۰۰ تومان\nکباب کوبیده ۲۴۰٬۰۰۰ تومان\nزرشک‌پلو با مرغ ۲۲۰٬۰۰۰ تومان\nدوغ ۴۵٬۰۰۰ تومان'
  [dinner]=$'جوجه‌کباب ۲۶۰٬۰۰۰ تومان\nقرمه‌سبزی ۲۳۰٬۰۰۰ تومان\nفسنجان ۲۸۰٬۰۰۰ تومان\nچای ۳۵٬۰۰۰ تومان'
  [closed]=$'بسته‌ایم.\nصبحانه از ساعت ۶ — تا فردا!')
declare -A BG=([breakfast]="#6b3a1f" [lunch]="#2f5d34" [dinner]="#1b2340" [closed]="#222222")
declare -A PIC=([breakfast]=breakfast [lunch]=lunch [dinner]=dinner [closed]=promo)
declare -A LAYOUT_EN LAYOUT_FA
for part in breakfast lunch dinner closed; do
  photo=$(playlist "Photo $part" "$(image_item "${PHOTO[${PIC[$part]}]}")")
  t_en=$(playlist "Title $part" "$(text_item "${EN_TITLE[$part]}" 72 start bold 600000 16)")
  m_en=$(playlist "Menu $part" "$(text_item "${EN_MENU[$part]}" 56 start)")
  t_fa=$(playlist "Title $part (FA)" "$(text_item "${FA_TITLE[$part]}" 72 start bold 600000 16)")
  m_fa=$(playlist "Menu $part (FA)" "$(text_item "${FA_MENU[$part]}" 56 start)")
  LAYOUT_EN[$part]=$(layout "Café $part" "${BG[$part]}" ltr "$t_en" "$m_en" "$photo" "$LOYALTY" "$FOOTER")
  LAYOUT_FA[$part]=$(layout "Café $part (FA)" "${BG[$part]}" rtl "$t_fa" "$m_fa" "$photo" "$LOYALTY_FA" "$FOOTER_FA")
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
echo "$FA_ID $FA_TOKEN" >"$OUT/display-fa"
