"""Content-Encoding decoding with a bound on every step, so a bomb is caught while it is small.

Why by hand: httpx's decoders inflate each network chunk without an output limit, so one 64 KB
chunk of a gzip bomb becomes 64 MB (a nested "gzip, gzip" bomb: gigabytes) before any size
check can run. zlib's `max_length` lets each step yield at most PIECE bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence

PIECE = 64 * 1024


class DecodingError(Exception):
    """The body is not valid for its Content-Encoding, or uses one we do not speak."""


class _Inflater:
    """gzip (possibly several members) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._wbits = zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(self._wbits)
        self._head: bytes | None = b""  # deflate: the first two bytes tell a zlib header from raw deflate
        self._member_start = False  # a failure here is trailing junk after a gzip member
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._gzip and self._head is not None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, None
            if (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate sent raw, without zlib's header
        while not self._done:
            try:
                out = self._obj.decompress(data, PIECE)
            except zlib.error as exc:
                if self._member_start:
                    self._done = True  # junk after the last gzip member is ignored, as browsers do
                    return
                raise DecodingError(str(exc)) from exc
            self._member_start = False
            if out:
                yield out
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                if not self._gzip:
                    self._done = True
                    return
                # The next gzip member, in what is left of this chunk or in a later one.
                data = self._obj.unused_data
                self._obj = zlib.decompressobj(self._wbits)
                self._member_start = True
                if not data:
                    return
            elif not data and len(out) < PIECE:
                return

    def flush(self) -> Iterator[bytes]:
        """What is left in zlib's window; a body cut short keeps what was decoded, as browsers do."""
        yield from self.feed(b"")


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


_Layer = _Inflater | _Identity


def _layer(name: str) -> _Layer | None:
    name = name.strip().lower()
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return _Inflater(gzip=True)
    if name == "deflate":
        return _Inflater(gzip=False)
    raise DecodingError(f"unsupported Content-Encoding {name!r} (babelwire asks for gzip or deflate)")


class BoundedDecoder:
    """Undo the Content-Encodings of a body, in pieces of at most PIECE bytes each."""

    def __init__(self, encodings: Sequence[str]) -> None:
        # Encodings are listed in the order they were applied; undo them last-first.
        self._layers = [layer for layer in (_layer(name) for name in reversed(encodings)) if layer]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return _through(self._layers, data)

    def flush(self) -> Iterator[bytes]:
        for index, layer in enumerate(self._layers):
            for piece in layer.flush():
                yield from _through(self._layers[index + 1 :], piece)


def _through(layers: Sequence[_Layer], data: bytes) -> Iterator[bytes]:
    if not layers:
        if data:
            yield data
        return
    for piece in layers[0].feed(data):
        yield from _through(layers[1:], piece)
