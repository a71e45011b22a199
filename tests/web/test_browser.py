"""A reader in a real browser (Debian's Chromium, driven by Playwright): home -> article -> original."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from babelwire.config import Settings
from babelwire.demo.server import DemoSite
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ReviewStatus, TranslationRow
from babelwire.web.app import create_app
from babelwire.web.auth import set_admin_password
from tests.web.browsing import CHROMIUM, CHROMIUM_FLAGS, require_chromium, serve_app

pytestmark = pytest.mark.browser
require_chromium()

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site_url(site_settings: Settings, published_store: Store) -> Iterator[str]:
    with serve_app(create_app(site_settings, published_store)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.skip("chromium missing")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
        )
        yield launched
        launched.close()


def watched_page(browser: Browser) -> tuple[Page, list[str]]:
    """A new page and the script errors and console errors it will have."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return page, errors


def test_reader_goes_from_home_to_article_to_original(
    browser: Browser, site_url: str, demo_site: DemoSite, artifacts: Path
) -> None:
    page, errors = watched_page(browser)

    page.goto(f"{site_url}/")
    assert page.url == f"{site_url}/en/"
    cards = page.locator(".article-card h2 a")
    assert cards.count() == len(demo_site.articles)
    page.screenshot(path=str(artifacts / "home.png"), full_page=True)

    first_title = cards.first.inner_text()
    cards.first.click()
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() == first_title
    assert page.locator(".mt-notice").is_visible()
    original = page.locator("a.original-link")
    href = original.get_attribute("href")
    assert href in {demo_site.article_url(a) for a in demo_site.articles}
    assert "noopener" in (original.get_attribute("rel") or "")
    page.screenshot(path=str(artifacts / "article.png"), full_page=True)
    assert errors == []  # our pages load every resource and run no failing script

    bilingual = page.locator("a.bilingual-link")
    bilingual.click()
    page.wait_for_load_state()
    assert page.url.endswith("/bilingual")
    assert page.locator("tbody tr").count() >= 3  # the title and at least two sentences, side by side
    page.screenshot(path=str(artifacts / "bilingual.png"), full_page=True)
    assert errors == []
    page.go_back()
    page.wait_for_load_state()

    original.click()
    page.wait_for_load_state()
    assert page.url == href
    assert page.locator("h1").first.inner_text() in {a.title for a in demo_site.articles}
    page.close()


def test_admin_releases_a_held_article_into_the_site_and_feed(
    browser: Browser, site_url: str, published_store: Store, artifacts: Path
) -> None:
    with published_store.session() as session, session.begin():
        set_admin_password(session, "correct horse battery staple")
        item = session.scalars(select(ItemRow).order_by(ItemRow.id.desc())).first()
        assert item is not None
        translation = session.scalars(
            select(TranslationRow).where(
                TranslationRow.document_key == item.document_key, TranslationRow.target_lang == "en"
            )
        ).one()
        translation.review_status = ReviewStatus.HOLD
        translation.findings_json = json.dumps(
            [{"segment": 1, "check": "numbers", "severity": "error", "message": "number 12 is missing"}]
        )
        item_id, title = item.id, translation.title
    page = browser.new_page()
    page.goto(f"{site_url}/en/")
    assert title not in page.locator("main").inner_text()

    page.goto(f"{site_url}/admin/login")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".form-errors").is_visible()
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{site_url}/admin/held")
    assert "number 12 is missing" in page.content()
    page.screenshot(path=str(artifacts / "admin-held.png"), full_page=True)
    page.locator(f"form[action='/admin/held/{item_id}/release'] button").click()
    page.wait_for_load_state()

    page.goto(f"{site_url}/en/")
    assert title in page.locator("main").inner_text()
    feed = page.request.get(f"{site_url}/en/feed.rss").text()
    assert f"/en/articles/{item_id}" in feed
    page.close()


def test_reader_goes_from_top_stories_to_a_story_and_its_feed(
    browser: Browser, site_url: str, demo_site: DemoSite, artifacts: Path
) -> None:
    page, errors = watched_page(browser)

    page.goto(f"{site_url}/en/")
    page.locator("a[href='/en/stories']").first.click()
    page.wait_for_load_state()
    assert page.url == f"{site_url}/en/stories"
    cards = page.locator(".story-card h2 a")
    assert cards.count() > 0
    assert page.locator(".story-card .story-sources").first.inner_text().startswith("Reported by:")
    page.screenshot(path=str(artifacts / "stories.png"), full_page=True)

    headline = cards.first.inner_text()
    cards.first.click()
    page.wait_for_load_state()
    assert "/en/stories/" in page.url and page.locator("article.story h1").inner_text() == headline
    assert page.locator(".mt-notice").is_visible()
    originals = page.locator(".version-card a.original-link")
    assert originals.count() >= 1
    assert {originals.nth(i).get_attribute("href") for i in range(originals.count())} <= {
        demo_site.article_url(a) for a in demo_site.articles
    }
    page.screenshot(path=str(artifacts / "story.png"), full_page=True)
    assert errors == []

    feed_link = page.locator(".story-feed-links a[type='application/atom+xml']")
    # The link is absolute on the configured base URL (http://wire.test): ask this server for its path.
    feed = page.request.get(site_url + urlsplit(feed_link.get_attribute("href") or "").path)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert headline.split()[0] in feed.text()  # the feed carries the story's versions

    page.locator(".version-card h3 a").first.click()
    page.wait_for_load_state()
    assert "/en/articles/" in page.url and page.locator("article h1").is_visible()
    page.close()
