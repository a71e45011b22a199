"""Feed categories (what `category:` filter rules match): RSS, Atom, JSON Feed, news sitemaps."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from babelwire.sources.categories import MAX_CATEGORIES, MAX_CATEGORY_LENGTH, clean_categories, keyword_list
from babelwire.sources.feeds import parse_feed
from babelwire.sources.sitemap import parse_sitemap

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Diari</title>
<item><title>A</title><link>https://diari.example/a</link>
  <category>Esports</category><category domain="https://diari.example/tags">  Futbol
  català </category><category>esports</category><category></category></item>
<item><title>B</title><link>https://diari.example/b</link></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Diari</title><id>urn:d</id><updated>2026-03-10T10:00:00Z</updated>
<entry><title>Uno</title><id>urn:uno</id><link href="https://diari.example/uno"/><updated>2026-03-10T10:00:00Z</updated>
<category term="politica" label="Pol\xc3\xadtica local"/><category term="politica"/></entry></feed>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://diari.example/2026/03/10/port</loc><news:news>
  <news:publication><news:name>Diari</news:name><news:language>ca</news:language></news:publication>
  <news:publication_date>2026-03-10T09:00:00Z</news:publication_date><news:title>Port</news:title>
  <news:keywords>Port, Economia ,, economia, Tr\xc3\xa0nsit de mercaderies</news:keywords></news:news></url>
<url><loc>https://diari.example/2026/03/10/plain</loc><lastmod>2026-03-10</lastmod></url>
</urlset>"""


def test_rss_categories_are_one_line_each_and_distinct() -> None:
    first, second = parse_feed(RSS, "https://diari.example/rss", "application/rss+xml").items
    assert first.categories == ("Esports", "Futbol català")
    assert second.categories == ()


def test_atom_category_term_and_label() -> None:
    (entry,) = parse_feed(ATOM, "https://diari.example/atom", "application/atom+xml").items
    assert entry.categories == ("politica", "Política local")


def test_json_feed_tags_ignore_what_is_not_text() -> None:
    body = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Diari",
        "items": [
            {"id": "1", "url": "https://diari.example/1", "tags": ["Cultura", 7, None, {"x": 1}, "cultura"]},
            {"id": "2", "url": "https://diari.example/2", "tags": "not a list"},
        ],
    }).encode()  # fmt: skip
    first, second = parse_feed(body, "https://diari.example/feed.json", "application/feed+json").items
    assert (first.categories, second.categories) == (("Cultura",), ())


def test_news_sitemap_keywords() -> None:
    now = datetime(2026, 3, 11, tzinfo=UTC)
    news, plain = parse_sitemap(SITEMAP, "https://diari.example/sitemap.xml", now=now).items
    assert news.categories == ("Port", "Economia", "Trànsit de mercaderies")
    assert plain.categories == ()


def test_a_flood_of_long_categories_is_bounded() -> None:
    many = clean_categories([f"tag {i} " + "x" * 500 for i in range(100)])
    assert len(many) == MAX_CATEGORIES and all(len(c) <= MAX_CATEGORY_LENGTH for c in many)
    assert all("\n" not in c for c in clean_categories(["a\nb\r\nc", "d\te"]))
    assert keyword_list(None) == () and keyword_list(" , ,") == ()
