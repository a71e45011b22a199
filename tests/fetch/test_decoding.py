"""Bounded Content-Encoding decoding: every piece small, whatever the input expands to."""

from __future__ import annotations

import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.fetch.decoding import PIECE, BoundedDecoder, DecodingError


def decode(encodings: list[str], body: bytes, chunk: int = 1000) -> tuple[bytes, int]:
    decoder = BoundedDecoder(encodings)
    pieces = [p for i in range(0, len(body), chunk) for p in decoder.feed(body[i : i + chunk])]
    pieces += list(decoder.flush())
    return b"".join(pieces), max((len(p) for p in pieces), default=0)


@given(st.binary(max_size=20000), st.integers(1, 5000))
@settings(max_examples=60, deadline=None)
def test_round_trips_in_any_chunking(data: bytes, chunk: int) -> None:
    assert decode(["gzip"], gzip.compress(data), chunk)[0] == data
    assert decode(["deflate"], zlib.compress(data), chunk)[0] == data
    assert decode(["deflate"], zlib.compress(data, wbits=-15), chunk)[0] == data
    assert decode(["gzip", "gzip"], gzip.compress(gzip.compress(data)), chunk)[0] == data


def test_a_bomb_comes_out_in_small_pieces() -> None:
    """One 64 KB network chunk of zeros would inflate to ~64 MB at once without a bound."""
    body = gzip.compress(bytes(64 * 1024 * 1024))
    decoded, biggest = decode(["gzip"], body, chunk=len(body))
    assert len(decoded) == 64 * 1024 * 1024 and biggest <= PIECE


def test_gzip_members_and_trailing_junk() -> None:
    body = gzip.compress(b"one ") + gzip.compress(b"two") + b"\x00junk after the stream"
    assert decode(["gzip"], body)[0] == b"one two"


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
def test_unsupported_encodings_are_refused(encoding: str) -> None:
    with pytest.raises(DecodingError, match="unsupported Content-Encoding"):
        BoundedDecoder([encoding])


def test_corrupt_streams_raise_decoding_error() -> None:
    with pytest.raises(DecodingError):
        decode(["gzip"], b"\x1f\x8b\x08\x00" + b"\xff" * 100)
    assert decode(["identity"], b"plain")[0] == b"plain"
