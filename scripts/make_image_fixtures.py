"""Generate the reference fixtures for attnscope's Imaging tests.

What it writes (overwritten on each run):

  Tests/ImagingTests/Fixtures/resize.json   bilinear resize references from
      torch.nn.functional.interpolate(mode="bilinear", align_corners=False, antialias=False)
      (pytorch.org/docs/stable/generated/torch.nn.functional.interpolate.html): for each case the
      input and output as flat HWC float32 lists with their shapes.
  Tests/ImagingTests/Fixtures/png/*.png     tiny PNGs in the colour types and bit depths our own
      writer never produces (grey 1/8/16-bit, grey+alpha, RGBA, palette, Adam7 interlaced),
      encoded here by hand from the PNG spec (w3.org/TR/png/, chunks, filter type 0 and the Adam7
      pass table), so the reader is not only tested against itself.
  Tests/ImagingTests/Fixtures/png.json      each PNG's expected decode: channels and 8-bit samples
      after libpng's conversion (alpha 0 or 255 only, so compositing on white is exact).
  samples/images/landscape.png              a 64x48 procedural "photo" (sky gradient, sun, hills,
      grain), the one sample not drawn by the shapes generator.

Run from the repository root (needs torch; never needed by builds/tests):

    /opt/attnscope-venv/bin/python scripts/make_image_fixtures.py

Deterministic: fixed torch.manual_seed per group.
"""

import json
import math
import struct
import zlib
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "ImagingTests" / "Fixtures"
SAMPLES = ROOT / "samples" / "images"


def resize_cases():
    torch.manual_seed(0)
    # (name, in_h, in_w, channels, out_h, out_w): down, up, mixed, non-integer ratios, 1-pixel
    # inputs and outputs, and a ViT-like 16 -> 12.
    shapes = [
        ("down_7x5_to_3x4", 7, 5, 3, 3, 4),
        ("up_4x3_to_9x7", 4, 3, 3, 9, 7),
        ("mixed_5x8_to_10x3", 5, 8, 1, 10, 3),
        ("one_pixel_up", 1, 1, 1, 3, 2),
        ("to_one_pixel", 6, 4, 3, 1, 1),
        ("big_ratio_10x10_to_2x2", 10, 10, 1, 2, 2),
        ("vit_16_to_12", 16, 16, 3, 12, 12),
    ]
    cases = []
    for name, h, w, c, oh, ow in shapes:
        x = torch.rand(1, c, h, w, dtype=torch.float32)  # NCHW, as interpolate wants
        y = F.interpolate(x, size=(oh, ow), mode="bilinear", align_corners=False, antialias=False)
        cases.append({
            "name": name,
            "input_shape": [h, w, c],
            "output_shape": [oh, ow, c],
            "input": shortest(x[0].permute(1, 2, 0).reshape(-1)),  # HWC
            "output": shortest(y[0].permute(1, 2, 0).reshape(-1)),
        })
    return cases


def shortest(values):
    """float32 values as the shortest decimals that read back as the same float32 (keeps the JSON
    small; Swift parses them straight into Float)."""
    return [float(str(v)) for v in values.numpy()]


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png_bytes(width, height, color_type, bit_depth, rows, palette=None, trns=None, interlace=False):
    """rows: list of lists of samples (already in channel order, at bit_depth)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]

    def pack_row(samples):
        if bit_depth == 16:
            return b"".join(struct.pack(">H", s) for s in samples)
        if bit_depth == 8:
            return bytes(samples)
        per_byte = 8 // bit_depth
        out = bytearray()
        for i in range(0, len(samples), per_byte):
            group = samples[i:i + per_byte] + [0] * (per_byte - len(samples[i:i + per_byte]))
            value = 0
            for s in group:
                value = (value << bit_depth) | s
            out.append(value)
        return bytes(out)

    raw = bytearray()
    if not interlace:
        for row in rows:
            raw += b"\x00" + pack_row(row)  # filter type 0 (None) on every row
    else:
        # Adam7: (x start, y start, x step, y step) per pass; empty passes write nothing.
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
                               (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            xs = list(range(x0, width, dx))
            if not xs:
                continue
            for y in range(y0, height, dy):
                samples = []
                for x in xs:
                    samples += rows[y][x * channels:(x + 1) * channels]
                raw += b"\x00" + pack_row(samples)
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if palette is not None:
        out += chunk(b"PLTE", bytes(v for rgb in palette for v in rgb))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def png_cases():
    """(file name, png bytes, expected channels, expected 8-bit samples HWC)."""
    cases = []
    grey8 = [[0, 128, 255], [7, 64, 200]]
    cases.append(("grey8.png", png_bytes(3, 2, 0, 8, grey8), 1, sum(grey8, [])))
    grey1 = [[1, 0, 1, 1, 0], [0, 0, 1, 0, 1]]
    cases.append(("grey1.png", png_bytes(5, 2, 0, 1, grey1), 1, [255 * s for s in sum(grey1, [])]))
    # 16-bit values chosen as multiples of 257, so the 16 -> 8 bit reduction is exact.
    grey16 = [[0, 257 * 100], [257 * 255, 257 * 31]]
    cases.append(("grey16.png", png_bytes(2, 2, 0, 16, grey16), 1, [v // 257 for v in sum(grey16, [])]))
    rgb8 = [[255, 0, 0, 0, 255, 0], [0, 0, 255, 10, 20, 30]]
    cases.append(("rgb8.png", png_bytes(2, 2, 2, 8, rgb8), 3, sum(rgb8, [])))
    rgb16 = [[257 * 1, 257 * 2, 257 * 3, 257 * 250, 257 * 128, 0]]
    cases.append(("rgb16.png", png_bytes(2, 1, 2, 16, rgb16), 3, [v // 257 for v in sum(rgb16, [])]))
    # Alpha 0 composites to white, alpha 255 keeps the colour.
    grey_alpha = [[90, 255, 90, 0]]
    cases.append(("grey_alpha.png", png_bytes(2, 1, 4, 8, grey_alpha), 1, [90, 255]))
    rgba = [[10, 20, 30, 255, 10, 20, 30, 0]]
    cases.append(("rgba.png", png_bytes(2, 1, 6, 8, rgba), 3, [10, 20, 30, 255, 255, 255]))
    palette = [(255, 0, 0), (0, 128, 0), (1, 2, 3)]
    indices = [[0, 1], [2, 0]]
    cases.append(("palette.png", png_bytes(2, 2, 3, 8, indices, palette=palette), 3,
                  [v for row in indices for i in row for v in palette[i]]))
    # Palette entry 1 fully transparent through tRNS: white.
    cases.append(("palette_trns.png", png_bytes(2, 1, 3, 8, [[0, 1]], palette=palette, trns=b"\xff\x00"),
                  3, [255, 0, 0, 255, 255, 255]))
    torch.manual_seed(1)
    inter = torch.randint(0, 256, (9, 10, 3)).tolist()
    inter_rows = [sum(row, []) for row in inter]
    cases.append(("interlaced.png", png_bytes(10, 9, 2, 8, inter_rows, interlace=True), 3,
                  sum(inter_rows, [])))
    return cases


def landscape():
    """A small procedural scene with photo-like gradients and grain (values in 0..255, HWC)."""
    torch.manual_seed(2)
    h, w = 48, 64
    y = torch.arange(h, dtype=torch.float32).view(h, 1).expand(h, w)
    x = torch.arange(w, dtype=torch.float32).view(1, w).expand(h, w)
    t = y / (h - 1)
    sky = torch.stack([0.25 + 0.7 * t, 0.45 + 0.35 * t, 0.85 - 0.2 * t], dim=-1)
    sun = ((x - 44) ** 2 + (y - 14) ** 2).sqrt()
    glow = torch.clamp(1.2 - sun / 8, 0, 1).unsqueeze(-1)
    image = sky * (1 - glow) + torch.tensor([1.0, 0.9, 0.6]) * glow
    far = 30 + 4 * torch.sin(x / 7) + 2 * torch.sin(x / 3 + 1)
    near = 38 + 3 * torch.sin(x / 11 + 2)
    image = torch.where((y > far).unsqueeze(-1), torch.tensor([0.30, 0.42, 0.35]), image)
    image = torch.where((y > near).unsqueeze(-1), torch.tensor([0.18, 0.32, 0.12]) + 0.08 * (y - near).clamp(0, 10).unsqueeze(-1) / 10, image)
    image = image + 0.025 * torch.randn(h, w, 3)
    pixels = (image.clamp(0, 1) * 255).round().to(torch.int64).tolist()
    return png_bytes(w, h, 2, 8, [sum(row, []) for row in pixels])


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "resize.json").write_text(json.dumps({"cases": resize_cases()}) + "\n")
    png_dir = FIXTURES / "png"
    png_dir.mkdir(exist_ok=True)
    expected = []
    for name, data, channels, samples in png_cases():
        (png_dir / name).write_bytes(data)
        expected.append({"file": name, "channels": channels, "samples": samples})
    (FIXTURES / "png.json").write_text(json.dumps({"cases": expected}, indent=1) + "\n")
    SAMPLES.mkdir(parents=True, exist_ok=True)
    (SAMPLES / "landscape.png").write_bytes(landscape())
    print("wrote", FIXTURES, "and", SAMPLES / "landscape.png")


if __name__ == "__main__":
    main()
