#!/usr/bin/env python3
"""Draw the demo café's pictures (assets/demo/*.png) from simple shapes.

The PNGs are committed; this script only documents where they came from (made here, no
outside artwork) and remakes them: python3 scripts/make-demo-art.py. Pure standard library.
"""
import math
import os
import struct
import zlib

W, H = 800, 600


def png(path, pixels):
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    def chunk(tag, data):
        c = struct.pack(">I", len(data)) + tag + data
        return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


# Signed distance functions: negative inside.
def circle(cx, cy, r):
    return lambda x, y: math.hypot(x - cx, y - cy) - r

def ellipse(cx, cy, rx, ry):
    return lambda x, y: (math.hypot((x - cx) / rx, (y - cy) / ry) - 1) * min(rx, ry)

def box(cx, cy, hw, hh, r=0):
    def f(x, y):
        dx, dy = abs(x - cx) - hw + r, abs(y - cy) - hh + r
        return math.hypot(max(dx, 0), max(dy, 0)) + min(max(dx, dy), 0) - r
    return f

def segment(ax, ay, bx, by, r):
    def f(x, y):
        px, py, vx, vy = x - ax, y - ay, bx - ax, by - ay
        t = max(0.0, min(1.0, (px * vx + py * vy) / (vx * vx + vy * vy)))
        return math.hypot(px - vx * t, py - vy * t) - r
    return f

def ring(cx, cy, r, width):
    return lambda x, y: abs(math.hypot(x - cx, y - cy) - r) - width

def intersect(a, b):
    return lambda x, y: max(a(x, y), b(x, y))

def union(*fs):
    return lambda x, y: min(f(x, y) for f in fs)

def halfplane_below(y0):
    return lambda x, y: y0 - y


def draw(path, top, bottom, layers):
    rows = []
    for y in range(H):
        t = y / (H - 1)
        bg = [int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)]
        row = []
        for x in range(W):
            c = bg
            for sdf, col in layers:
                d = sdf(x + 0.5, y + 0.5)
                if d < 1:
                    a = max(0.0, min(1.0, 0.5 - d))  # one-pixel antialiased edge
                    c = [int(c[i] + (col[i] - c[i]) * a) for i in range(3)]
            row.extend(c)
        rows.append(row)
    png(path, rows)


def steam(x0):
    pts = [(x0 + 14 * math.sin(k / 3.0), 250 - 12 * k) for k in range(9)]
    return union(*[segment(*pts[i], *pts[i + 1], 5) for i in range(len(pts) - 1)])


CREAM, WHITE = (250, 240, 225), (252, 252, 250)
out = os.path.join(os.path.dirname(__file__), "..", "assets", "demo")
os.makedirs(out, exist_ok=True)

draw(os.path.join(out, "breakfast.png"), (255, 183, 77), (230, 110, 40), [
    (ellipse(400, 470, 230, 40), (235, 225, 210)),
    (box(400, 370, 140, 100, 40), CREAM),
    (ring(545, 370, 48, 14), CREAM),
    (ellipse(400, 280, 130, 24), (110, 62, 35)),
    (steam(350), (255, 240, 220)), (steam(400), (255, 240, 220)), (steam(450), (255, 240, 220)),
])
draw(os.path.join(out, "lunch.png"), (200, 230, 160), (110, 170, 90), [
    (circle(330, 330, 55), (70, 150, 60)), (circle(410, 300, 65), (90, 170, 70)),
    (circle(480, 335, 50), (60, 140, 55)), (circle(370, 350, 30), (220, 50, 40)),
    (circle(450, 355, 26), (230, 70, 50)), (circle(300, 365, 22), (250, 200, 60)),
    (intersect(circle(400, 340, 200), halfplane_below(360)), WHITE),
    (ellipse(400, 545, 120, 14), (90, 140, 80)),
])
draw(os.path.join(out, "dinner.png"), (40, 55, 100), (15, 20, 45), [
    (circle(400, 320, 190), (235, 235, 240)), (circle(400, 320, 150), WHITE),
    (box(380, 320, 80, 50, 30), (130, 70, 45)), (circle(470, 290, 24), (70, 150, 60)),
    (circle(480, 345, 20), (60, 140, 55)),
    (segment(160, 160, 160, 480, 9), (200, 200, 210)),
    (union(segment(140, 160, 140, 250, 4), segment(160, 160, 160, 250, 4), segment(180, 160, 180, 250, 4)), (200, 200, 210)),
    (segment(640, 160, 640, 480, 10), (200, 200, 210)),
])
draw(os.path.join(out, "promo.png"), (240, 80, 120), (170, 30, 80), [
    (circle(400, 300, 210), (255, 215, 90)),
    (ring(330, 230, 45, 16), (170, 30, 80)), (ring(470, 370, 45, 16), (170, 30, 80)),
    (segment(480, 190, 320, 410, 16), (170, 30, 80)),
])
