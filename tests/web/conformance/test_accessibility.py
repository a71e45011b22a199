"""axe-core (`@axe-core/cli`, Debian's chromium and chromedriver) over every kind of reader page.

One axe run audits every page of the live demo site with all default rules (WCAG 2.0/2.1 A and
AA plus best practices); each page kind is its own test, failing with every violation's rule,
target and page.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from babelwire.store.articles import latest_articles
from babelwire.store.stories import top_stories
from tests.conftest import require_tool
from tests.web.browsing import CHROMIUM, CHROMIUM_FLAGS, require_chromium
from tests.web.conformance.conftest import LiveSite

AXE = Path(__file__).parents[3] / "node_modules/.bin/axe"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Rules every real page must have been checked against (an empty or unloaded page passes no rules).
CHECKED = {"html-has-lang", "html-lang-valid", "document-title", "landmark-one-main", "color-contrast"}

require_chromium()


require_tool(AXE.exists(), str(AXE), "scripts/system-deps.sh test (npm ci --ignore-scripts)")
require_tool(Path(CHROMEDRIVER).exists(), str(CHROMEDRIVER), "apt-get install chromium-driver")


def _a_story(session: Session) -> int:
    """The top English story (the demo papers share events: one with both papers)."""
    found, _ = top_stories(session, "en", limit=1)
    assert found, "the demo store has stories"
    return found[0].id


def _pages(site: LiveSite) -> dict[str, tuple[str, int]]:
    """Page kind -> (path, expected status): each kind a reader can reach, in each language's shell."""
    with site.store.session() as session:
        articles = latest_articles(session, "en")
        story = _a_story(session)
    assert articles, "the demo store publishes in English"
    flagged = next((a for a in articles if a.findings), articles[0])
    return {
        "home-en": ("/en/", 200),
        "home-es": ("/es/", 200),
        "home-ca": ("/ca/", 200),
        "article": (f"/en/articles/{articles[0].id}", 200),
        "article-ca": (f"/ca/articles/{articles[0].id}", 200),
        "bilingual": (f"/en/articles/{flagged.id}/bilingual", 200),
        "sources": ("/en/sources", 200),
        "stories": ("/es/stories", 200),
        "story": (f"/en/stories/{story}", 200),
        "source": (f"/en/sources/{articles[0].source_id}", 200),
        "search": ("/en/search?q=puerto", 200),
        "search-empty": ("/es/search?q=zzzqqqzzz", 200),
        "error": ("/en/articles/999999", 404),
        "error-es": ("/es/no-such-page", 404),
        "admin-login": ("/admin/login", 200),
    }


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def axe_results(live_site: LiveSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """One axe-cli run over every page (a page per browser load); results by page kind."""
    pages = _pages(live_site)
    urls = {kind: live_site.base_url + path for kind, (path, _) in pages.items()}
    for kind, url in urls.items():
        assert _status(url) == pages[kind][1], f"{kind}: {url} does not answer {pages[kind][1]}"
    out = tmp_path_factory.mktemp("axe")
    command = [
        str(AXE), *urls.values(),
        "--chromedriver-path", CHROMEDRIVER, "--chrome-path", CHROMIUM,
        "--chrome-options", ",".join(flag.removeprefix("--") for flag in CHROMIUM_FLAGS),  # axe adds headless
        "--save", "results.json", "--dir", str(out), "--timeout", "60",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, f"axe failed:\n{run.stdout}\n{run.stderr}"
    results = json.loads((out / "results.json").read_text())
    assert [r["url"] for r in results] == list(urls.values())
    return dict(zip(urls, results, strict=True))


def _report(result: dict[str, Any]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']} on {result['url']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.parametrize(
    "kind",
    ["home-en", "home-es", "home-ca", "article", "article-ca", "bilingual", "sources", "source",
     "stories", "story", "search", "search-empty", "error", "error-es", "admin-login"],
)  # fmt: skip
def test_page_has_no_axe_violations(kind: str, axe_results: dict[str, dict[str, Any]]) -> None:
    result = axe_results[kind]
    checked = {rule["id"] for rule in result["passes"]}
    assert checked >= CHECKED, f"axe did not check {CHECKED - checked} on {result['url']}"
    assert _report(result) == []
