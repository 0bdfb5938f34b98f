#!/usr/bin/env python3
"""Write the demo's live feeds into a folder, for a loopback web server to serve to the
manager (the demo machine may have no internet): a news feed in English and one in Persian
(RSS 2.0), a MET Norway "classic" forecast for Berlin and for Tehran starting this hour, and
ECB-style reference rates dated today. The texts and numbers are made up for the demo.

usage: scripts/demo-feeds.py OUT_DIR"""
import datetime as dt
import math
import os
import sys

NEWS = {
    "news-en.xml": ("Harbour Gazette", [
        "Ferry timetable: extra crossings this weekend",
        "Farmers' market moves to the old station square",
        "Tram line 4 back in service after repairs",
        "Library opens on Sundays from next month",
        "City marathon closes the riverside road on Saturday",
    ]),
    "news-fa.xml": ("خبرنامهٔ محله", [
        "بازارچهٔ کتاب از شنبه در پارک ملت برپا می‌شود",
        "ساعت کار مترو در روزهای تعطیل تا ۲۳ تمدید شد",
        "جشنوارهٔ فیلم کوتاه با ۱۲۰ اثر آغاز شد",
        "کنسرت ارکستر سمفونیک تهران در تالار وحدت",
        "پیش‌بینی بارش برف در ارتفاعات البرز",
    ]),
}

PLACES = {  # file: (lat, lon, mean temperature, daily swing, symbol codes by hour of the day)
    "weather-berlin.xml": (52.52, 13.40, 4.0, 4.0),
    "weather-tehran.xml": (35.69, 51.39, 9.0, 7.0),
}

RATES = {"USD": 1.0812, "GBP": 0.8391, "CHF": 0.9623, "JPY": 161.42, "TRY": 36.915,
         "SEK": 11.5330, "NOK": 11.7840, "CNY": 7.8210, "AED": 3.9710}


def news(title, items, now):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
           f"<title>{title}</title><link>http://127.0.0.1/</link>"]
    for i, text in enumerate(items):
        when = (now - dt.timedelta(minutes=37 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        out.append(f"<item><title>{text}</title><pubDate>{when}</pubDate></item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def symbol(hour, step):
    # a calm day: clear at night, fair mornings, cloudy afternoons, a shower now and then
    if step % 11 == 7:
        return 9, "rain"
    day = 7 <= hour < 17
    if 11 <= hour < 16:
        return 3, "partlycloudy_day"
    return (2, "fair_day") if day else (1, "clearsky_night")


def forecast(lat, lon, mean, swing, now):
    start = now.replace(minute=0, second=0, microsecond=0)
    z = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<weatherdata created="{z(now)}"><meta><model name="demo" from="{z(start)}"/></meta>',
           '<product class="pointData">']
    loc = f'<location altitude="40" latitude="{lat}" longitude="{lon}">'
    for step in range(0, 9 * 24):
        t = start + dt.timedelta(hours=step)
        local_hour = (t.hour + round(lon / 15)) % 24
        temp = mean + swing * math.sin((local_hour - 9) / 24 * 2 * math.pi)
        out.append(f'<time datatype="forecast" from="{z(t)}" to="{z(t)}">{loc}'
                   f'<temperature id="TTT" unit="celsius" value="{temp:.1f}"/>'
                   f'<windSpeed id="ff" mps="{3 + step % 4}.2" beaufort="2" name="Svak vind"/>'
                   f'<humidity unit="percent" value="{60 + step % 20}.0"/></location></time>')
        number, code = symbol(local_hour, step)
        end = t + dt.timedelta(hours=1)
        out.append(f'<time datatype="forecast" from="{z(t)}" to="{z(end)}">{loc}'
                   f'<precipitation unit="mm" value="{0.4 if code == "rain" else 0.0}"/>'
                   f'<symbol id="{code}" number="{number}" code="{code}"/></location></time>')
        if step % 6 == 0:
            end6 = t + dt.timedelta(hours=6)
            out.append(f'<time datatype="forecast" from="{z(t)}" to="{z(end6)}">{loc}'
                       f'<precipitation unit="mm" value="0.0"/>'
                       f'<minTemperature id="TTT" unit="celsius" value="{mean - swing:.1f}"/>'
                       f'<maxTemperature id="TTT" unit="celsius" value="{mean + swing:.1f}"/>'
                       f'<symbol id="{code}" number="{number}" code="{code}"/></location></time>')
    out.append("</product></weatherdata>")
    return "\n".join(out)


def rates(today):
    cubes = "\n".join(f"<Cube currency='{c}' rate='{r}'/>" for c, r in RATES.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
            'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">'
            "<gesmes:subject>Reference rates</gesmes:subject>"
            "<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>"
            f"<Cube><Cube time='{today}'>\n{cubes}\n</Cube></Cube></gesmes:Envelope>\n")


def main():
    args = sys.argv[1:]
    if args in (["-h"], ["--help"]):
        print(__doc__)
        return
    if len(args) != 1 or args[0].startswith("-"):
        sys.exit(__doc__)  # usage on stderr, exit status 1
    out = args[0]
    os.makedirs(out, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    files = {name: news(title, items, now) for name, (title, items) in NEWS.items()}
    files.update({name: forecast(*place, now) for name, place in PLACES.items()})
    files["rates.xml"] = rates(now.date().isoformat())
    for name, text in files.items():
        tmp = os.path.join(out, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(out, name))


if __name__ == "__main__":
    main()
