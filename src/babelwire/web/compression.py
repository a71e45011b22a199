"""gzip for cached answers: compressed once when an answer is kept, sent as is to clients that take it.

A cached page is replayed thousands of times; compressing it per request (Starlette's GZipMiddleware)
would spend the CPU the cache saves, and keeping it uncompressed makes large answers (a sitemap file
with every language's alternates is ~1.5 MB) crowd everything else out of the cache's bytes. So the
cache keeps the gzip form only and, for the rare client that does not accept gzip, inflates it on the
way out. The gzip form has its own strong ETag (RFC 9110 §8.8.3: one per representation), and every
answer that may be kept says `Vary: Accept-Encoding`, so shared caches keep the two apart.
"""

from __future__ import annotations

import gzip

from starlette.datastructures import Headers

COMPRESSIBLE_TYPES = ("text/", "application/xml", "application/json", "application/rss+xml",
                      "application/atom+xml", "application/feed+json", "image/svg+xml")  # fmt: skip
SMALLEST = 1024  # below this a gzip frame and the client's inflating cost more than they save
WORTH_IT = 0.9  # keep the gzip form only when it is at most this share of the body
LEVEL = 6  # zlib's default: within a few percent of level 9's size at a third of its time
DROPPED = frozenset({b"content-length", b"etag", b"content-encoding"})


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding value takes gzip (by name or `*`, with a non-zero q)."""
    if not accept_encoding:
        return False
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = params.strip().lower()
        if quality.startswith("q="):
            try:
                if float(quality[2:]) <= 0:
                    continue
            except ValueError:
                continue
        return True
    return False


def is_compressible(headers: list[tuple[bytes, bytes]], body: bytes) -> bool:
    """Text-like answers of some size that are not encoded already."""
    found = Headers(raw=headers)
    if len(body) < SMALLEST or "content-encoding" in found:
        return False
    return found.get("content-type", "").lower().startswith(COMPRESSIBLE_TYPES)


def gzip_form(body: bytes) -> bytes | None:
    """The body gzipped (no timestamp: the same body always gives the same bytes), or None when not
    worth it."""
    packed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
    return packed if len(packed) <= WORTH_IT * len(body) else None


def gzip_etag(etag: bytes) -> bytes:
    """The gzip representation's ETag: the identity one with a suffix, weak or strong as it was."""
    return etag[:-1] + b'-gzip"' if etag.endswith(b'"') else etag + b"-gzip"


def gzip_headers(headers: list[tuple[bytes, bytes]], packed: bytes) -> list[tuple[bytes, bytes]]:
    """The identity answer's headers for its gzip form: length, encoding and ETag of that form."""
    etag = next((value for name, value in headers if name.lower() == b"etag"), None)
    kept = [(name, value) for name, value in headers if name.lower() not in DROPPED]
    kept += [(b"content-encoding", b"gzip"), (b"content-length", str(len(packed)).encode("latin-1"))]
    return kept + ([(b"etag", gzip_etag(etag))] if etag else [])


def inflate(packed: bytes) -> bytes:
    return gzip.decompress(packed)
