"""A minimal PNG writer for the images babelwire draws itself (the demo site's pictures, the logo).

Pillow would be a heavy dependency for two generated images; a PNG of raw scanlines is a few
bytes of framing around zlib, which the standard library has.
"""

from __future__ import annotations

import struct
import zlib

RGB, RGBA = 2, 6  # PNG colour types: 8-bit truecolour, with and without alpha


def encode_png(width: int, height: int, scanlines: bytes, colour_type: int) -> bytes:
    """A PNG of `scanlines`: each row a filter byte (0) and its pixels, 8 bits per channel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(scanlines, 9))
        + chunk(b"IEND", b"")
    )
