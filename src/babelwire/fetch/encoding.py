"""Decode HTML bytes: byte-order mark, valid UTF-8, the declared charset if it is plausible, detection.

Why by hand: httpx only looks at the HTTP header, and pages are often mislabeled; the
<meta> sniffing order follows the HTML standard's prescan in a simplified form. A declared
single-byte charset (latin-1, windows-1251, ...) decodes ANY bytes without an error, so for
those charset-normalizer is asked whether the result reads like text before it is trusted.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The HTML standard reads these labels as windows-1252, which they almost always really are.
_LABEL_MEANS = {"iso8859-1": "cp1252", "ascii": "cp1252"}
_SAMPLE = 64 * 1024  # detection reads this much: enough to judge, bounded for huge pages


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _bom_codec(body: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if body.startswith(bom)), None)


@lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """Codecs that map every byte to one character, so decoding with them never fails."""
    try:
        return len(bytes(range(128, 256)).decode(codec, errors="replace")) == 128
    except LookupError:
        return False


def declared_charset(body: bytes, content_type: str = "") -> str | None:
    bom = _bom_codec(body)
    if bom:
        return _codec(bom)
    header = _HEADER_CHARSET.search(content_type or "")
    codec = _codec(header.group(1)) if header else None
    if codec:
        return codec
    meta = _META_CHARSET.search(body[:4096])
    return _codec(meta.group(1).decode("ascii", "ignore")) if meta else None


def decode_html(body: bytes, content_type: str = "") -> str:
    """Never raises. Valid UTF-8 wins (mislabeled UTF-8 is the most common error, and legacy text is
    almost never valid UTF-8 by accident); then the declared charset; then detection."""
    bom = _bom_codec(body)
    if bom:
        return body.decode(bom, errors="replace").lstrip("\ufeff")
    declared = declared_charset(body, content_type)
    if not (declared or "").startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if declared:
        declared = _LABEL_MEANS.get(declared, declared)
        try:
            text = body.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and (not _single_byte(declared) or _reads_as(body, declared)):
            return text
    return _detected(body)


def _reads_as(body: bytes, codec: str) -> bool:
    return from_bytes(body[:_SAMPLE], cp_isolation=[codec]).best() is not None


def _detected(body: bytes) -> str:
    """charset-normalizer's pick; among Latin single-byte codecs that read equally well,
    windows-1252 (what browsers use for unlabeled Western pages) rather than a rarer cousin."""
    best = from_bytes(body[:_SAMPLE]).best()
    if best is None:
        return body.decode("cp1252", errors="replace")
    codec = best.encoding
    if codec != "cp1252" and _single_byte(codec):
        western = from_bytes(body[:_SAMPLE], cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos:
            codec = "cp1252"
    return body.decode(codec, errors="replace")
