"""One article, one date: the page, its JSON-LD and all three feeds say the same instants.

A crawler reads JSON-LD, a feed reader the feed, a person the page; when they disagree (JSON-LD
said when babelwire translated, the page and the feeds the original's date) each of them is told
something else. Checked on every article of the live demo store in every language.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from lxml import etree, html

from tests.web.conformance.conftest import LANGUAGES, LiveSite

ATOM = "{http://www.w3.org/2005/Atom}"
LOCALES = Path(__file__).resolve().parents[3] / "src/babelwire/web/locales"
# The visible "Published" label in every interface language.
PUBLISHED = {json.loads(path.read_text())["Published"] for path in LOCALES.glob("*.json")}


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _feed_dates(client: httpx.Client, language: str) -> dict[str, dict[str, datetime]]:
    """Per article URL: what each feed format says for published and updated."""
    dates: dict[str, dict[str, datetime]] = {}
    for item in client.get(f"/{language}/feed.json").json()["items"]:
        entry = dates.setdefault(item["url"], {})
        entry["json published"] = _instant(item["date_published"])
        entry["json updated"] = _instant(item["date_modified"])
    atom = etree.fromstring(client.get(f"/{language}/feed.atom").content)
    for element in atom.iter(f"{ATOM}entry"):
        entry = dates.setdefault(element.findtext(f"{ATOM}id", ""), {})
        entry["atom published"] = _instant(element.findtext(f"{ATOM}published", ""))
        entry["atom updated"] = _instant(element.findtext(f"{ATOM}updated", ""))
    rss = etree.fromstring(client.get(f"/{language}/feed.rss").content)
    for element in rss.iter("item"):
        entry = dates.setdefault(element.findtext("guid", ""), {})
        entry["rss published"] = parsedate_to_datetime(element.findtext("pubDate", ""))
    return dates


def _page_dates(client: httpx.Client, url: str) -> dict[str, datetime]:
    page = html.fromstring(client.get(url).content)
    (script,) = page.xpath('//script[@type="application/ld+json"]')
    data = json.loads(script.text)
    found = {
        "json-ld published": _instant(data["datePublished"]),
        "json-ld modified": _instant(data["dateModified"]),
    }
    original = data["isBasedOn"].get("datePublished")
    if original:
        found["isBasedOn published"] = _instant(original)
    for term in page.xpath("//dt"):  # the visible "Published" line (its label is translated)
        times = term.getnext().xpath(".//time/@datetime")
        if times and term.text_content().strip() in PUBLISHED:
            found["page published"] = _instant(times[0])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_json_ld_and_feeds_agree_on_every_article(live_site: LiveSite, language: str) -> None:
    with httpx.Client(base_url=live_site.base_url) as client:
        feeds = _feed_dates(client, language)
        assert feeds, f"no {language} articles in the feeds"
        for url, feed in feeds.items():
            assert len(feed) == 5, (url, feed)  # every format lists every article
            page = _page_dates(client, url)
            assert "page published" in page and "isBasedOn published" in page, (url, page)
            published = {name: when for name, when in {**feed, **page}.items() if "published" in name}
            assert len(set(published.values())) == 1, (url, published)
            updated = {
                name: when
                for name, when in {**feed, **page}.items()
                if "updated" in name or "modified" in name
            }
            assert len(set(updated.values())) == 1, (url, updated)
            assert page["json-ld modified"] >= page["json-ld published"]
