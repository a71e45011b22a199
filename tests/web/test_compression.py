"""Cached answers are kept gzipped and sent in the form each client takes, with their own validators."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web.app import create_app
from babelwire.web.cache import CachedAnswer
from babelwire.web.compression import accepts_gzip, gzip_etag, is_compressible
from tests.web.test_api import seed_wire

CACHE = "x-babelwire-cache"


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("*", True),
        ("x-gzip", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000, identity", False),
        ("gzip;q=nonsense", False),
        ("", False),
        (None, False),
    ],
)
def test_accept_encoding_is_read_as_rfc_9110_says(header: str | None, takes: bool) -> None:
    assert accepts_gzip(header) is takes


def test_only_text_of_some_size_is_compressed() -> None:
    html = [(b"content-type", b"text/html; charset=utf-8")]
    assert is_compressible(html, b"<p>news</p>" * 200)
    assert not is_compressible(html, b"<p>short</p>")
    assert not is_compressible([(b"content-type", b"image/png")], b"\x89PNG" * 1000)
    assert not is_compressible([*html, (b"content-encoding", b"br")], b"x" * 5000)
    assert gzip_etag(b'"abc"') == b'"abc-gzip"' and gzip_etag(b'W/"abc"') == b'W/"abc-gzip"'


def test_a_kept_answer_stores_only_its_gzip_form() -> None:
    body = b"<p>Una noticia, otra noticia.</p>" * 300
    headers = [
        (b"content-type", b"text/html"),
        (b"content-length", str(len(body)).encode()),
        (b"etag", b'"e1"'),
    ]
    answer = CachedAnswer.compressed(1, 200, headers, body)
    assert answer.packed is not None and answer.body == b"" and answer.size < len(body) / 5
    gz_headers, packed = answer.for_client(True)
    assert gzip.decompress(packed) == body
    assert dict(gz_headers)[b"content-encoding"] == b"gzip"
    assert dict(gz_headers)[b"content-length"] == str(len(packed)).encode()
    assert dict(gz_headers)[b"etag"] == b'"e1-gzip"'
    assert answer.for_client(False) == (headers, body)  # inflated for a client without gzip


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    database_url = f"sqlite:///{tmp_path / 'babelwire.db'}"
    store = Store(database_url)
    seed_wire(store)
    yield TestClient(
        create_app(Settings(data_dir=tmp_path, database_url=database_url, target_languages=["en"]), store)
    )
    store.close()


@pytest.mark.parametrize(
    "path", ["/en/", "/en/feed.rss", "/en/feed.json", "/en/sources/1", "/api/v1/articles"]
)
def test_first_answer_and_replays_agree_in_each_encoding(client: TestClient, path: str) -> None:
    raw = {"Accept-Encoding": "gzip"}
    first, again = client.get(path, headers=raw), client.get(path, headers=raw)
    assert (first.headers[CACHE], again.headers[CACHE]) == ("miss", "hit")
    for answer in (first, again):
        assert answer.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in answer.headers["vary"]
        assert int(answer.headers["content-length"]) == answer.num_bytes_downloaded  # the gzip bytes
    assert first.headers["etag"] == again.headers["etag"] and first.content == again.content
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.headers[CACHE] == "hit" and "content-encoding" not in plain.headers
    assert plain.content == again.content  # the same page, inflated for this client
    assert int(plain.headers["content-length"]) == len(plain.content)
    assert plain.headers["etag"] != again.headers["etag"]  # one ETag per representation
    # Each form revalidates against its own ETag and keeps its own Last-Modified.
    assert client.get(path, headers={**raw, "If-None-Match": again.headers["etag"]}).status_code == 304
    plain_etag = {"Accept-Encoding": "identity", "If-None-Match": plain.headers["etag"]}
    assert client.get(path, headers=plain_etag).status_code == 304
    assert client.get(path, headers={**raw, "If-None-Match": plain.headers["etag"]}).status_code == 200
    assert client.get(path, headers=raw).headers["last-modified"] == first.headers["last-modified"]


def test_the_wire_bytes_are_gzip(client: TestClient) -> None:
    """Over the wire (not the client's decoded view), a gzip answer is smaller and inflates to the page."""
    client.get("/en/feed.atom")
    with client.stream("GET", "/en/feed.atom", headers={"Accept-Encoding": "gzip"}) as streamed:
        packed = b"".join(streamed.iter_raw())
    plain = client.get("/en/feed.atom", headers={"Accept-Encoding": "identity"}).content
    assert len(packed) < len(plain) and gzip.decompress(packed) == plain
