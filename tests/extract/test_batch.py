"""Batch extraction of a directory: encodings, gzip, junk files, and failures that never stop it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from babelwire.commands.extract import BatchSummary, extract_batch_command
from babelwire.extract.batch import extract_batch, page_files, page_name, read_page, run_batch

ARTICLE = """<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{title}</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<footer>Contact us · Privacy</footer></body></html>
"""


def article(title: str, paragraphs: list[str], lang: str = "en", meta: str = '<meta charset="utf-8">') -> str:
    return ARTICLE.format(
        lang=lang, meta=meta, title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs)
    )


PLAIN = [
    "The harbour authority opened a new passenger terminal on Monday, replacing a building from 1962.",
    "The terminal can handle two ferries at once and has a waiting room with space for 300 people.",
]
GZIPPED = [
    "Volunteers planted 2,000 oak saplings along the river path over the weekend, the parks office said.",
    "The trees replace an avenue of elms lost to disease in the 1980s and will take decades to mature.",
]
CP1252 = [
    "L'équipe de nettoyage a retiré près d'une tonne de déchets de la plage après la tempête de jeudi.",
    "Les bénévoles reviendront samedi matin, à partir de 9 heures, avec des gants et des sacs fournis.",
]


@pytest.fixture(scope="module")
def pages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    (folder / "plain.html").write_text(article("New ferry terminal opens", PLAIN), encoding="utf-8")
    (folder / "zipped.html.gz").write_bytes(
        gzip.compress(article("Oak saplings planted", GZIPPED).encode("utf-8"))
    )
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    (folder / "latin.html").write_bytes(article("Plage nettoyée", CP1252, "fr", meta).encode("cp1252"))
    (folder / "garbage.html").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.html").write_bytes(b"")
    (folder / "broken.html.gz").write_bytes(b"this is not gzip at all")
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    (folder / "subdir.html").mkdir()
    return folder


EXPECTED_NAMES = ["broken", "empty", "garbage", "latin", "plain", "zipped"]


def test_page_files_and_names(pages_dir: Path) -> None:
    assert [page_name(p) for p in page_files(pages_dir)] == EXPECTED_NAMES


def test_batch_extracts_every_page_and_survives_failures(pages_dir: Path) -> None:
    seen: list[tuple[str, bool]] = []
    result = run_batch(pages_dir, workers=1, progress=lambda name, ok: seen.append((name, ok)))
    assert sorted(result.predictions) == EXPECTED_NAMES
    assert result.predictions["plain"]["articleBody"] == "\n".join(PLAIN)
    assert result.predictions["zipped"]["articleBody"] == "\n".join(GZIPPED)
    assert result.predictions["latin"]["articleBody"] == "\n".join(CP1252)
    for failed in ("garbage", "empty", "broken"):
        assert result.predictions[failed] == {"articleBody": ""}
    assert set(result.errors) == {"garbage", "empty", "broken"}
    assert result.errors["empty"].startswith("no_content")
    assert result.errors["broken"].startswith("unreadable")
    assert sorted(seen) == sorted((name, name not in result.errors) for name in EXPECTED_NAMES)


def test_process_pool_gives_the_same_predictions(pages_dir: Path) -> None:
    assert extract_batch(pages_dir, workers=2) == run_batch(pages_dir, workers=1).predictions


def test_read_page_uses_canonical_url(tmp_path: Path) -> None:
    path = tmp_path / "c.html"
    path.write_text('<html><head><link rel="canonical" href="https://site.example/a/b"></head></html>')
    assert read_page(path).url == "https://site.example/a/b"
    path.write_text("<html><head></head></html>")
    assert read_page(path).url == path.resolve().as_uri()


def test_batch_command_writes_preds_json(pages_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "preds.json"
    summary = extract_batch_command(pages_dir, out, workers=1)
    assert isinstance(summary, BatchSummary)
    assert (summary.pages, summary.failed) == (6, 3)
    assert summary.failures_by_reason == {"no_content": 1, "not_html": 1, "unreadable": 1}
    assert "6 pages" in str(summary) and "3 failed" in str(summary)
    preds = json.loads(out.read_text(encoding="utf-8"))
    assert preds["latin"]["articleBody"].startswith("L'équipe de nettoyage")
    assert set(preds) == set(EXPECTED_NAMES)
