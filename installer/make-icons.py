#!/usr/bin/env python3
"""Draws the DMDD Inspector application icon and writes it in the three formats jpackage wants:
src/jpackage/dmdd-inspector.png (Linux), .ico (Windows) and .icns (macOS). Standard library only, so
anyone can regenerate the committed files: python3 installer/make-icons.py

The picture: a textured surface (a grid of tiles) under a magnifying lens that shows a red defect.
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "src", "jpackage")
SAMPLES = 4  # supersampling per axis, for smooth edges


def rounded_square(x, y, r):
    """Inside test for the unit square [0,1]^2 with corner radius r."""
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and 0 <= x <= 1 and 0 <= y <= 1


def colour(x, y):
    """RGBA (floats 0..1) of the icon at (x, y) in [0,1]^2, y down."""
    margin = 0.04
    u, v = (x - margin) / (1 - 2 * margin), (y - margin) / (1 - 2 * margin)
    if not rounded_square(u, v, 0.18):
        return (0.0, 0.0, 0.0, 0.0)
    # background: dark blue-teal gradient
    t = v
    r, g, b = 0.09 + 0.05 * t, 0.24 + 0.10 * t, 0.35 + 0.12 * t
    # surface tiles
    tile = 0.125
    tx, ty = (u % tile) / tile, (v % tile) / tile
    if 0.08 < tx < 0.92 and 0.08 < ty < 0.92:
        shade = 0.06 * ((int(u / tile) + int(v / tile)) % 2)
        r, g, b = r + 0.10 + shade, g + 0.12 + shade, b + 0.12 + shade
    # lens
    lx, ly, lr = 0.43, 0.42, 0.27
    d = math.hypot(u - lx, v - ly)
    if d < lr:
        # magnified view: lighter surface with a red defect blob
        r, g, b = 0.80, 0.86, 0.90
        mx, my = lx + (u - lx) * 0.5, ly + (v - ly) * 0.5
        mtx, mty = (mx % tile) / tile, (my % tile) / tile
        if not (0.08 < mtx < 0.92 and 0.08 < mty < 0.92):
            r, g, b = 0.62, 0.70, 0.76
        blob = math.hypot((u - 0.48) / 1.3, v - 0.46)
        if blob < 0.085:
            k = 1 - blob / 0.085
            r, g, b = r + (0.90 - r) * min(1, 3 * k), g + (0.16 - g) * min(1, 3 * k), b + (0.14 - b) * min(1, 3 * k)
    if lr - 0.005 <= d < lr + 0.045:
        r, g, b = 0.96, 0.97, 0.98  # lens ring
    # handle, from the ring towards the lower right
    hx0, hy0 = lx + (lr + 0.03) * math.cos(math.pi / 4), ly + (lr + 0.03) * math.sin(math.pi / 4)
    hx1, hy1 = 0.86, 0.85
    px, py = u - hx0, v - hy0
    dx, dy = hx1 - hx0, hy1 - hy0
    s = max(0.0, min(1.0, (px * dx + py * dy) / (dx * dx + dy * dy)))
    if math.hypot(px - s * dx, py - s * dy) < 0.055:
        r, g, b = 0.96, 0.64, 0.18
    return (min(r, 1.0), min(g, 1.0), min(b, 1.0), 1.0)


def render(size):
    """Supersampled RGBA rows (premultiplied averaging, then un-premultiplied)."""
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sj in range(SAMPLES):
                for si in range(SAMPLES):
                    c = colour((i + (si + 0.5) / SAMPLES) / size, (j + (sj + 0.5) / SAMPLES) / size)
                    acc[0] += c[0] * c[3]
                    acc[1] += c[1] * c[3]
                    acc[2] += c[2] * c[3]
                    acc[3] += c[3]
            n = SAMPLES * SAMPLES
            a = acc[3] / n
            if a > 0:
                row += bytes(round(255 * acc[k] / acc[3]) for k in range(3)) + bytes([round(255 * a)])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return rows


def png(rows):
    size = len(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(pngs):
    """ICO with PNG-compressed images (Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, blob in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset + len(data))
        data += blob
    return header + entries + data


def icns(pngs):
    types = {128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(types[s] + struct.pack(">I", 8 + len(b)) + b for s, b in pngs if s in types)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main():
    os.makedirs(OUT, exist_ok=True)
    images = {s: png(render(s)) for s in (16, 32, 48, 128, 256, 512)}
    with open(os.path.join(OUT, "dmdd-inspector.png"), "wb") as f:
        f.write(images[256])
    with open(os.path.join(OUT, "dmdd-inspector.ico"), "wb") as f:
        f.write(ico([(s, images[s]) for s in (16, 32, 48, 256)]))
    with open(os.path.join(OUT, "dmdd-inspector.icns"), "wb") as f:
        f.write(icns([(s, images[s]) for s in (128, 256, 512)]))
    print("icons written to", OUT)


if __name__ == "__main__":
    main()
