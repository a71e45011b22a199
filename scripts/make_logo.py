"""Writes src/babelwire/web/static/logo.png, the publisher logo JSON-LD names (run once, committed).

Google wants a raster logo; this draws the favicon's design (a dark rounded square, "bw" in white)
with the standard library only, so no image tool is needed to remake it.
"""

from __future__ import annotations

from pathlib import Path

from babelwire.demo.png import RGBA, encode_png

SIZE, RADIUS, SCALE = 192, 36, 12
DARK, WHITE = (0x1D, 0x1D, 0x1F, 255), (255, 255, 255, 255)
GLYPHS = {  # 5x7 pixel font
    "b": ["10000", "10000", "11110", "10001", "10001", "10001", "11110"],
    "w": ["00000", "00000", "10001", "10001", "10101", "10101", "01010"],
}
OUT = Path(__file__).resolve().parent.parent / "src/babelwire/web/static/logo.png"


def _inside_rounded_square(x: int, y: int) -> bool:
    cx = min(max(x, RADIUS), SIZE - 1 - RADIUS)
    cy = min(max(y, RADIUS), SIZE - 1 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS**2


def _text_pixels() -> set[tuple[int, int]]:
    width = (5 * 2 + 1) * SCALE
    left, top = (SIZE - width) // 2, (SIZE - 7 * SCALE) // 2
    pixels = set()
    for index, glyph in enumerate("bw"):
        for row, bits in enumerate(GLYPHS[glyph]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    x0, y0 = left + (index * 6 + col) * SCALE, top + row * SCALE
                    pixels |= {(x0 + dx, y0 + dy) for dx in range(SCALE) for dy in range(SCALE)}
    return pixels


def png() -> bytes:
    text = _text_pixels()
    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes(WHITE if (x, y) in text else DARK if _inside_rounded_square(x, y) else (0, 0, 0, 0))
            for x in range(SIZE)
        )
        for y in range(SIZE)
    )
    return encode_png(SIZE, SIZE, rows, RGBA)


if __name__ == "__main__":
    OUT.write_bytes(png())
