from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.sources.errors import SourceError
from babelwire.sources.sitemap import ChildSitemap, inflate, parse_date, parse_sitemap

DATA = Path(__file__).parent / "testdata"
NOW = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
SITEMAP_URL = "https://www.diario.example/news-sitemap.xml"


def test_news_sitemap_items_newest_first_same_site_recent_only() -> None:
    sitemap = parse_sitemap((DATA / "news-sitemap.xml").read_bytes(), SITEMAP_URL, now=NOW)
    assert [item.url for item in sitemap.items] == [
        "https://www.diario.example/2026/03/10/autobuses-nocturnos-fines-de-semana",
        "https://www.diario.example/2026/03/10/ampliacion-del-dique-norte-aprobada",
        "https://deportes.diario.example/2026/03/09/regata-de-traineras",  # lastmod, a subdomain
        "https://www.diario.example/sin-fecha",  # undated: kept, last
    ]
    first, second, third, _ = sitemap.items
    assert first.title == "Vuelven los autobuses nocturnos & los fines de semana"
    assert first.published == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    assert second.published == datetime(2026, 3, 10, 8, 30, tzinfo=UTC)
    assert third.title == "" and third.guid == third.url
    assert (sitemap.is_news, sitemap.publication, sitemap.language) == (True, "Diario del Puerto", "es")
    assert sitemap.children == ()


def test_sitemap_index_children_newest_first_and_on_site() -> None:
    sitemap = parse_sitemap((DATA / "sitemap-index.xml").read_bytes(), SITEMAP_URL, now=NOW)
    assert sitemap.items == ()
    assert [child.url.rsplit("/", 1)[1] for child in sitemap.children] == [
        "2026-03.xml",
        "2026-02.xml",
        "2026-01.xml",
        "pages.xml",
    ]
    assert sitemap.children[0] == ChildSitemap(
        "https://www.diario.example/sitemaps/2026-03.xml", datetime(2026, 3, 10, 12, tzinfo=UTC)
    )


def test_sitemap_without_namespace_and_gzip_compressed() -> None:
    body = b"<urlset><url><loc>/2026/03/10/a</loc><lastmod>2026-03-10</lastmod></url></urlset>"
    sitemap = parse_sitemap(gzip.compress(body), SITEMAP_URL, now=NOW)
    assert [item.url for item in sitemap.items] == ["https://www.diario.example/2026/03/10/a"]
    assert not sitemap.is_news


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (20 * 1024 * 1024) + b"</urlset>")
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        inflate(bomb, SITEMAP_URL, max_bytes=1024 * 1024)
    assert caught.value.reason == "too_large" and time.monotonic() - started < 2
    with pytest.raises(SourceError) as caught:
        parse_sitemap(b"\x1f\x8b\x08\x00garbage", SITEMAP_URL)
    assert caught.value.reason == "invalid_gzip"


def test_xxe_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY net SYSTEM "http://127.0.0.1:9/x">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.diario.example/a&xxe;</loc>
<news:news><news:title>Title &xxe;&net;</news:title></news:news></url></urlset>""".encode()
    sitemap = parse_sitemap(body, SITEMAP_URL, now=NOW)
    (item,) = sitemap.items
    assert "TOP-SECRET" not in item.url + item.title
    assert item.title == "Title" and item.url == "https://www.diario.example/a"


def test_billion_laughs_does_not_expand() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    body = f"""<?xml version="1.0"?><!DOCTYPE urlset [{entities}]>
<urlset><url><loc>https://www.diario.example/a</loc></url><url><loc>&lol9;</loc></url></urlset>""".encode()
    started = time.monotonic()
    try:  # libxml2 either leaves the reference unexpanded or refuses the amplification outright
        sitemap = parse_sitemap(body, SITEMAP_URL, now=NOW)
    except SourceError as exc:
        assert exc.reason == "invalid_sitemap" and "amplification" in exc.message
    else:
        assert [item.url for item in sitemap.items] == ["https://www.diario.example/a"]
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "invalid_sitemap"),
        (b"<urlset><url><loc>https://x/</loc></url>", "invalid_sitemap"),
        (b"<html><body>not a sitemap</body></html>", "not_a_sitemap"),
        (b'<rss version="2.0"><channel/></rss>', "not_a_sitemap"),
        (b"\x00\x01\x02 binary", "invalid_sitemap"),
    ],
)
def test_malformed_sitemaps_are_clear_errors(body: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_sitemap(body, SITEMAP_URL)
    assert caught.value.reason == reason
    assert SITEMAP_URL in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-10", datetime(2026, 3, 10, tzinfo=UTC)),
        ("2026-03-10T09:30Z", datetime(2026, 3, 10, 9, 30, tzinfo=UTC)),
        ("2026-03-10T09:30:00.5+01:00", datetime(2026, 3, 10, 8, 30, 0, 500000, tzinfo=UTC)),
        ("0001-01-01T00:00:00+14:00", None),
        ("2026-02-30", None),
        ("soon", None),
        (None, None),
    ],
)
def test_w3c_dates(text: str | None, expected: datetime | None) -> None:
    assert parse_date(text) == expected
