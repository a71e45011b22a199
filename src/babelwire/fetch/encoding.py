"""Decode HTML bytes: HTTP charset, then <meta charset>, then detection.

Why by hand: httpx only looks at the HTTP header, and pages are often mislabeled; the
<meta> sniffing order follows the HTML standard's prescan in a simplified form.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str = "") -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    header = _HEADER_CHARSET.search(content_type or "")
    codec = _codec(header.group(1)) if header else None
    if codec:
        return codec
    meta = _META_CHARSET.search(body[:4096])
    return _codec(meta.group(1).decode("ascii", "ignore")) if meta else None


def decode_html(body: bytes, content_type: str = "") -> str:
    """Valid UTF-8 wins (mislabeled UTF-8 is the most common error, and legacy text is almost
    never valid UTF-8 by accident); then the declared charset; then detection."""
    declared = declared_charset(body, content_type)
    if not (declared or "").startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        try:
            return body.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return body.decode(declared).lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    best = from_bytes(body).best()
    if best is not None:
        return str(best)
    return body.decode("cp1252", errors="replace")
