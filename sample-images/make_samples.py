#!/usr/bin/env python3
"""Renders Diffusion Lab's bundled sample images from code (numpy only), 4x supersampled.

Run from this folder: python3 make_samples.py. Output is deterministic.
"""
import struct
import zlib

import numpy as np

SS = 4  # supersampling factor per axis


def write_png(path, rgb):
    """rgb: H x W x 3 float array in [0, 1]."""
    h, w, _ = rgb.shape
    data = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    raw = b"".join(b"\x00" + data[y].tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def canvas(w, h):
    """Pixel-centre coordinates of a supersampled canvas, in output pixel units."""
    ys, xs = np.mgrid[0:h * SS, 0:w * SS]
    return (xs + 0.5) / SS, (ys + 0.5) / SS


def down(img):
    h, w, c = img.shape
    return img.reshape(h // SS, SS, w // SS, SS, c).mean(axis=(1, 3))


def paint(img, mask, colour):
    mask = mask[..., None] if mask.ndim == 2 else mask
    img[:] = img * (1 - mask) + np.asarray(colour, dtype=float) * mask


def hex_rgb(h):
    return [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]


def sunset(w=512, h=384):
    x, y = canvas(w, h)
    img = np.zeros(y.shape + (3,))
    horizon = 0.62 * h
    sky = np.clip(y / horizon, 0, 1)[..., None]
    img[:] = (1 - sky) * np.array(hex_rgb("1b2a5c")) + sky * np.array(hex_rgb("f59a52"))
    sun = np.hypot(x - 0.68 * w, y - 0.5 * h) < 0.09 * h
    paint(img, sun.astype(float), hex_rgb("ffe08a"))
    rng = np.random.default_rng(3)
    for depth, (col, base, amp) in enumerate([("5b3d6e", 0.50, 0.10), ("3b2850", 0.56, 0.08), ("24193a", 0.62, 0.05)]):
        phase = rng.uniform(0, 6, 3)
        ridge = base * h - amp * h * (0.6 * np.sin(x / w * 7 + phase[0]) + 0.3 * np.sin(x / w * 17 + phase[1])
                                      + 0.1 * np.sin(x / w * 41 + phase[2]))
        paint(img, (y > ridge).astype(float), hex_rgb(col))
    water = y > horizon
    mirror = np.clip((2 * horizon - y) / horizon, 0, 1)[..., None]
    lake = (1 - mirror) * np.array(hex_rgb("101a38")) + mirror * np.array(hex_rgb("c4785a"))
    img[water] = lake[water]
    glitter = water & (np.abs(x - 0.68 * w) < 0.05 * h * (1 + (y - horizon) / h * 3)) & (np.sin(y * 1.7) > 0.3)
    paint(img, glitter.astype(float) * 0.7, hex_rgb("ffd9a0"))
    return down(img)


def test_card(w=512, h=512):
    x, y = canvas(w, h)
    img = np.ones(y.shape + (3,)) * 0.5
    bars = ["ffffff", "ffff00", "00ffff", "00ff00", "ff00ff", "ff0000", "0000ff", "000000"]
    top = y < 0.35 * h
    for i, c in enumerate(bars):
        paint(img, (top & (x >= i * w / 8) & (x < (i + 1) * w / 8)).astype(float), hex_rgb(c))
    ramp = (y >= 0.35 * h) & (y < 0.45 * h)
    img[ramp] = (x[ramp] / w)[:, None] * np.ones(3)
    grid = (y >= 0.45 * h)
    lines = ((np.mod(x, 32) < 1.5) | (np.mod(y, 32) < 1.5)) & grid
    img[grid] = hex_rgb("303848")
    paint(img, lines.astype(float), hex_rgb("c8d0dc"))
    r = np.hypot(x - w / 2, y - 0.72 * h)
    ring = (np.abs(r - 0.2 * h) < 3).astype(float)
    paint(img, ring, hex_rgb("ffffff"))
    zone = (r < 0.17 * h) & grid
    img[zone] = (0.5 + 0.5 * np.cos(r[zone] ** 2 / 40.0))[:, None] * np.ones(3)
    return down(img)


def portrait(w=384, h=512):
    x, y = canvas(w, h)
    img = np.zeros(y.shape + (3,))
    bg = np.clip(y / h, 0, 1)[..., None]
    img[:] = (1 - bg) * np.array(hex_rgb("9fc5e8")) + bg * np.array(hex_rgb("4a78a8"))
    cx = w / 2
    shoulders = ((x - cx) / (0.48 * w)) ** 2 + ((y - 1.05 * h) / (0.32 * h)) ** 2 < 1
    paint(img, shoulders.astype(float), hex_rgb("8c2f39"))
    neck = (np.abs(x - cx) < 0.09 * w) & (y > 0.55 * h) & (y < 0.78 * h)
    paint(img, neck.astype(float), hex_rgb("d9a07c"))
    hair_back = ((x - cx) / (0.33 * w)) ** 2 + ((y - 0.40 * h) / (0.30 * h)) ** 2 < 1
    paint(img, hair_back.astype(float), hex_rgb("3a2518"))
    face = ((x - cx) / (0.25 * w)) ** 2 + ((y - 0.44 * h) / (0.23 * h)) ** 2 < 1
    shade = np.clip(1.0 - 0.25 * ((x - cx + 0.1 * w) / (0.3 * w)) ** 2, 0.7, 1)[..., None]
    img[face] = (np.array(hex_rgb("f0c09a")) * shade)[face]
    fringe = face & (y < 0.30 * h + 0.04 * h * np.sin((x - cx) / w * 20))
    paint(img, fringe.astype(float), hex_rgb("3a2518"))
    for side in (-1, 1):
        ex = cx + side * 0.10 * w
        white = ((x - ex) / (0.055 * w)) ** 2 + ((y - 0.42 * h) / (0.022 * h)) ** 2 < 1
        paint(img, white.astype(float), hex_rgb("ffffff"))
        iris = np.hypot(x - ex, y - 0.42 * h) < 0.018 * h
        paint(img, iris.astype(float), hex_rgb("3d5a2a"))
        pupil = np.hypot(x - ex, y - 0.42 * h) < 0.008 * h
        paint(img, pupil.astype(float), hex_rgb("101010"))
        brow = (np.abs(y - (0.385 * h - 0.01 * h * np.cos((x - ex) / (0.06 * w) * 1.5))) < 0.006 * h) & (np.abs(x - ex) < 0.065 * w)
        paint(img, brow.astype(float), hex_rgb("3a2518"))
    nose = (np.abs(x - cx - 0.01 * w) < 0.004 * w + 0.02 * w * np.clip((y - 0.43 * h) / (0.08 * h), 0, 1)) & (y > 0.45 * h) & (y < 0.50 * h)
    paint(img, nose.astype(float) * 0.35, hex_rgb("a0614a"))
    mouth = (np.abs(y - (0.56 * h + 0.012 * h * (1 - ((x - cx) / (0.07 * w)) ** 2))) < 0.006 * h) & (np.abs(x - cx) < 0.07 * w)
    paint(img, mouth.astype(float), hex_rgb("b0453f"))
    return down(img)


def gradient(w=512, h=320):
    x, y = canvas(w, h)
    hue = x / w * 6.0
    sat = np.clip(1 - y / h, 0, 1)
    k = lambda n: np.mod(n + hue, 6)
    f = lambda n: 1 - np.clip(np.minimum(k(n), 4 - k(n)), 0, 1)
    rgb = np.stack([f(5), f(3), f(1)], axis=-1)
    img = sat[..., None] * rgb + (1 - sat[..., None]) * 0.5
    return down(img)


def shapes(w=512, h=512):
    x, y = canvas(w, h)
    img = np.ones(y.shape + (3,)) * 0.96
    paint(img, (np.hypot(x - 150, y - 160) < 100).astype(float), hex_rgb("e4572e"))
    paint(img, ((np.abs(x - 370) < 85) & (np.abs(y - 160) < 85)).astype(float), hex_rgb("2e86ab"))
    tri = (y < 460) & (y > 280) & (np.abs(x - 256) < (y - 280) * 0.65)
    paint(img, tri.astype(float), hex_rgb("f3a712"))
    paint(img, ((np.abs(y - 480) < 6) & (x > 60) & (x < 452)).astype(float), hex_rgb("1d2330"))
    return down(img)


SAMPLES = [
    ("sunset.png", sunset),
    ("test-card.png", test_card),
    ("portrait.png", portrait),
    ("colour-gradient.png", gradient),
    ("shapes.png", shapes),
]

if __name__ == "__main__":
    for name, make in SAMPLES:
        write_png(name, make())
        print("wrote", name)
