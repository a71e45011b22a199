"""The two demo papers make the stories `babelwire demo` must show: same events, one agency copy.

Copies are told on the original text (as the stories step fingerprints it); stories are told in
the site's common language. The Spanish and the Catalan paper share no language, so every
article is first translated into English by real Apertium (es-en, ca-en), as the wire does
with its first target language; the test calls the engine itself rather than the whole
translation stage to stay fast (one Apertium call per language for all articles).
"""

from __future__ import annotations

import shutil
from html import escape, unescape
from itertools import product

import pytest

from babelwire.demo.papers import DIARIO, GASETA
from babelwire.stories.duplicates import THRESHOLD, WINDOW, fingerprint
from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies
from babelwire.stories.wire import StoryClusterer, story_similarity
from babelwire.translate.engines.apertium import ApertiumEngine
from tests.demo.pages import Extracted, extracted

pytestmark = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa apertium-eng-cat"
)

AGENCY = ("diario/onu-acuerdo-plastico-oceanos", "gaseta/nairobi-tractat-mundial-plastic")
SAME_EVENTS = (  # El Diario del Puerto's report, La Gaseta de Vilamar's own report of the same event
    ("diario/campana-declaracion-renta", "gaseta/campanya-renda-comenca-8-abril"),
    ("diario/aviso-temporal-viento-cantabrico", "gaseta/avis-taronja-temporal-cantabric"),
    ("diario/eeuu-ue-aranceles-aceite-oliva", "gaseta/garrigues-fi-aranzels-oli"),
    ("diario/portacontenedores-encalla-rotterdam", "gaseta/rotterdam-portacontenidors-encallat"),
)


@pytest.fixture(scope="module")
def articles() -> dict[str, Extracted]:
    return {page.key: page for paper in (DIARIO, GASETA) for page in extracted(paper)}


@pytest.fixture(scope="module")
def english(articles: dict[str, Extracted]) -> dict[str, tuple[str, str]]:
    """Each article's (title, body) in English: one Apertium batch per source language."""
    engine = ApertiumEngine()
    out: dict[str, tuple[str, str]] = {}
    for language in ("es", "ca"):
        pages = [page for page in articles.values() if page.document.language == language]
        lines = [[page.document.title, *page.document.body_text.splitlines()] for page in pages]
        segments = [escape(line, quote=False) for group in lines for line in group]
        translated = iter(unescape(text) for text in engine.translate(segments, language, "en"))
        for page, group in zip(pages, lines, strict=True):
            title, *body = [next(translated) for _ in group]
            out[page.key] = (title, "\n".join(body))
    assert out.keys() == articles.keys()  # every article is in Spanish or Catalan
    return out


@pytest.fixture(scope="module")
def frequencies(english: dict[str, tuple[str, str]]) -> DocumentFrequencies:
    counts = DocumentFrequencies()
    for title, body in english.values():
        counts.add(story_terms(title, body))
    return counts


def _jaccard(first: str, second: str) -> float:
    return float(fingerprint(first).jaccard(fingerprint(second)))


def test_the_agency_copies_are_near_duplicates_and_not_identical(articles: dict[str, Extracted]) -> None:
    diario, gaseta = (articles[key] for key in AGENCY)
    assert diario.document.language == gaseta.document.language == "es"
    assert diario.article.author == gaseta.article.author == "Agencias"
    assert diario.text != gaseta.text and diario.document.title != gaseta.document.title
    assert _jaccard(diario.text, gaseta.text) >= THRESHOLD == 0.8
    assert abs(diario.article.published - gaseta.article.published) < WINDOW  # where copies are sought


def test_independent_reports_of_one_event_are_not_copies(
    articles: dict[str, Extracted], english: dict[str, tuple[str, str]]
) -> None:
    """Not a copy as written, and not a translation either: compared in English they still differ."""
    for first, second in SAME_EVENTS:
        assert _jaccard(articles[first].text, articles[second].text) < 0.5, (first, second)
        assert _jaccard("\n".join(english[first]), "\n".join(english[second])) < 0.5, (first, second)


def test_same_event_pairs_score_above_every_different_event_pair(
    english: dict[str, tuple[str, str]], frequencies: DocumentFrequencies
) -> None:
    def score(first: str, second: str) -> float:
        return story_similarity("\n".join(english[first]), "\n".join(english[second]), frequencies)

    same = {pair: score(*pair) for pair in (*SAME_EVENTS, AGENCY)}
    diario = [key for key in english if key.startswith("diario/")]
    gaseta = [key for key in english if key.startswith("gaseta/")]
    different = {pair: score(*pair) for pair in product(diario, gaseta) if pair not in same}
    assert len(different) == len(diario) * len(gaseta) - len(same)
    weakest = min(same, key=same.__getitem__)
    closest = max(different, key=different.__getitem__)
    assert same[weakest] > different[closest], (weakest, same[weakest], closest, different[closest])
    assert same[AGENCY] > 0.8  # the copy scores as the same text


def test_the_wire_clusterer_makes_the_expected_stories(
    articles: dict[str, Extracted], english: dict[str, tuple[str, str]]
) -> None:
    """In publication order, as the stories step runs: copy on the original, story in English."""
    clusterer = StoryClusterer()
    story: dict[str, int] = {}
    copies: dict[str, str] = {}
    for key in sorted(articles, key=lambda key: articles[key].article.published):
        published = articles[key].article.published
        original = clusterer.find_copy(key, fingerprint(articles[key].text), published)
        placed = clusterer.join_copy(key, original, published) if original is not None else None
        source = (articles[key].document.title, articles[key].document.body_text)  # names as written
        placed = placed or clusterer.assign(key, story_terms(*english[key], source), published)
        story[key] = placed.story_id
        if placed.copy_of is not None:
            copies[key] = placed.copy_of
    assert copies == {AGENCY[1]: AGENCY[0]}
    groups: dict[int, set[str]] = {}
    for key, story_id in story.items():
        groups.setdefault(story_id, set()).add(key)
    shared = sorted(sorted(group) for group in groups.values() if len(group) > 1)
    assert shared == sorted(sorted(pair) for pair in (*SAME_EVENTS, AGENCY))
