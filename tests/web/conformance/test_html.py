"""The Nu HTML Checker (vnu-jar from npm) over every kind of page the site serves, errors included.

Every page is fetched from the live demo site and written to a file; vnu runs once over all of them
(a JVM start takes seconds) and each page kind is then its own test: 0 errors, 0 warnings.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_tool
from tests.web.conformance.conftest import LANGUAGES, LiveSite

VNU_JAR = Path(__file__).resolve().parents[3] / "node_modules/vnu-jar/build/dist/vnu.jar"
# (page kind, path, expected status); the admin pages are fetched after logging in.
READER_PAGES = [
    *((f"home-{lang}", f"/{lang}/", 200) for lang in LANGUAGES),
    ("sources", "/en/sources", 200),
    ("stories-en", "/en/stories", 200),
    ("stories-ca", "/ca/stories", 200),
    ("search-empty", "/en/search", 200),
    ("search-none-found", "/en/search?q=zzzxqj", 200),
    ("error-404", "/en/does-not-exist", 404),
    ("error-no-article", "/es/articles/999999", 404),
    ("api-docs", "/api/v1/docs", 200),
    ("admin-login", "/admin/login", 200),
]
ADMIN_PAGES = [
    ("admin-sources", "/admin/sources"),
    ("admin-held", "/admin/held"),
    ("admin-failures", "/admin/failures"),
    ("admin-filters", "/admin/filters"),
]
FOUND_PAGES = [
    *("article", "article-ca", "bilingual", "source", "search-found", "story", "story-es"),
    *("admin-source", "admin-source-items", "admin-item-story"),
]
KINDS = [kind for kind, _, _ in READER_PAGES] + FOUND_PAGES + [kind for kind, _ in ADMIN_PAGES]


CANARY = "canary"
CANARY_HTML = (
    '<!doctype html><html lang="en"><head><title>canary</title></head><body>'
    '<time datetime="2026-12-02T04:55:25.311917+00:00">then</time></body></html>'
)


@dataclass(frozen=True)
class Message:
    kind: str  # "error" or "info" (subType "warning" for warnings)
    sub_type: str
    text: str
    extract: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.sub_type or '-'}: {self.text} [{self.extract.strip()[:120]}]"


def require_vnu() -> None:
    present = VNU_JAR.exists() and shutil.which("java") is not None
    require_tool(present, "the Nu HTML Checker (vnu.jar and Java)", "scripts/system-deps.sh test")


def _get(client: httpx.Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert response.headers["content-type"].startswith("text/html"), path
    return response.text


def _first_link(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, pattern
    return found[1]


def fetch_pages(site: LiveSite) -> dict[str, str]:
    """Every page kind's HTML, keyed by kind."""
    pages: dict[str, str] = {}
    with httpx.Client(base_url=site.base_url, timeout=30) as client:
        for kind, path, status in READER_PAGES:
            pages[kind] = _get(client, path, status)
        home = pages["home-en"]
        article = _first_link(home, r'<h2><a href="(/en/articles/\d+)"')
        pages["article"] = _get(client, article)
        pages["article-ca"] = _get(client, _first_link(pages["home-ca"], r'<h2><a href="(/ca/articles/\d+)"'))
        pages["bilingual"] = _get(client, f"{article}/bilingual")
        pages["source"] = _get(client, _first_link(home, r'<a class="source" href="(/en/sources/\d+)"'))
        word = re.sub(r"<[^>]+>", " ", _first_link(home, r'<h2><a href="/en/articles/\d+">([^<]+)<')).split()[
            -1
        ]
        pages["story"] = _get(client, _first_link(pages["stories-en"], r'<h2><a href="(/en/stories/\d+)"'))
        pages["story-es"] = _get(
            client, _first_link(home, r'<a href="(/en/stories/\d+)"').replace("/en/", "/es/")
        )
        pages["search-found"] = _get(client, f"/en/search?q={word}")
        assert "article-card" in pages["search-found"], word
        token = _first_link(pages["admin-login"], r'name="csrf_token" value="([^"]+)"')
        login = client.post("/admin/login", data={"password": site.admin_password, "csrf_token": token})
        assert login.status_code == 303 and login.headers["location"] != "/admin/login", login.status_code
        for kind, path in ADMIN_PAGES:
            pages[kind] = _get(client, path)
        admin_source = _first_link(pages["admin-sources"], r'href="(/admin/sources/\d+)"')
        pages["admin-source"] = _get(client, admin_source)
        pages["admin-source-items"] = _get(client, f"{admin_source}/items")
        item = _first_link(pages["admin-source-items"], r'href="(/admin/items/\d+/story)"')
        pages["admin-item-story"] = _get(client, item)
    return pages


@pytest.fixture(scope="module")
def vnu_messages(live_site: LiveSite, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """vnu's messages per page kind, from one run over all the pages."""
    require_vnu()
    folder = tmp_path_factory.mktemp("html")
    files = {}
    # A known-bad page in the same run: proof that vnu checked the files and its report was read.
    for kind, html in {**fetch_pages(live_site), CANARY: CANARY_HTML}.items():
        files[kind] = folder / f"{kind}.html"
        files[kind].write_text(html, encoding="utf-8")
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--stdout"]
    result = subprocess.run(
        [*command, *map(str, files.values())], capture_output=True, text=True, timeout=300
    )
    report = json.loads(result.stdout)
    by_file: dict[str, list[Message]] = {kind: [] for kind in files}
    names = {path.resolve(): kind for kind, path in files.items()}
    for message in report["messages"]:
        kind = names.get(Path(message.get("url", "").removeprefix("file:")).resolve())
        assert kind is not None, message  # a message about no page: vnu itself failed
        by_file[kind].append(
            Message(
                message["type"], message.get("subType", ""), message["message"], message.get("extract", "")
            )
        )
    return by_file


@pytest.mark.parametrize("kind", KINDS)
def test_page_has_no_errors_or_warnings(vnu_messages: dict[str, list[Message]], kind: str) -> None:
    problems = [str(m) for m in vnu_messages[kind] if m.kind == "error" or m.sub_type == "warning"]
    assert problems == []


def test_the_checker_finds_a_known_error(vnu_messages: dict[str, list[Message]]) -> None:
    """The microsecond `<time datetime>` the site once wrote is an error to vnu: the run is real."""
    assert any(m.kind == "error" and "fraction of a second" in m.text for m in vnu_messages[CANARY])
