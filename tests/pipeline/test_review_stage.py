"""The automated editor inside the pipeline: the demo passes, a damaged translation is repaired
(or, with repairs off and the hold policy, held for a person)."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.config import FetchSettings, Settings
from babelwire.demo.server import DemoSite
from babelwire.domain import Source
from babelwire.pipeline.embedded import EmbeddedRunner
from babelwire.pipeline.report import RunReport
from babelwire.review.policy import ReviewPolicy
from babelwire.store import queries
from babelwire.store.articles import latest_articles
from babelwire.store.counts import LanguageCounts
from babelwire.store.db import Store
from babelwire.store.models import ItemRow, ItemStatus, ReviewStatus, TranslationRow
from tests.conftest import LOOPBACK_NETWORKS

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa")


def run_once(settings: Settings, store: Store) -> RunReport:
    runner = EmbeddedRunner(settings, store)
    try:
        return asyncio.run(runner.run_once(force_poll=True))
    finally:
        runner.close()


def damage(store: Store) -> int:
    """Drop every number from one stored translation and repeat a phrase, as a bad engine might."""
    with store.session() as session, session.begin():
        row = session.scalars(select(TranslationRow).order_by(TranslationRow.key)).first()
        assert row is not None
        blocks = json.loads(row.blocks_json)
        damaged = 0
        for block in blocks:
            for pair in block["sentences"]:
                if re.search(r"\d", pair[0]):
                    pair[1] = re.sub(r"\d[\d.,]*", "", pair[1])
                    damaged += 1
        assert damaged, "the demo article should have numbers"
        row.blocks_json = json.dumps(blocks, ensure_ascii=False)
        row.review_status = ReviewStatus.PENDING
        item = session.scalars(select(ItemRow).where(ItemRow.document_key == row.document_key)).one()
        item.status = ItemStatus.TRANSLATED
        return item.id


def test_demo_passes_review_and_a_damaged_translation_is_repaired_or_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = f"sqlite:///{tmp_path / 'wire.db'}"
    settings = Settings(
        data_dir=tmp_path,
        database_url=database,
        target_languages=["en"],
        fetch=FetchSettings(allowed_networks=LOOPBACK_NETWORKS),
    )
    holding = settings.model_copy(update={"review": ReviewPolicy(repair=False, withheld_sentences="hold")})
    store = Store(database)
    with DemoSite() as site:
        with store.session() as session, session.begin():
            queries.upsert_source(session, Source(name="Diario", url=site.rss_url, language="es"))
        first = run_once(settings, store)
        assert (first.published, first.held, first.failures) == (len(site.articles), 0, [])
        assert first.languages == {"en": LanguageCounts(published=len(site.articles))}

        item_id = damage(store)
        repaired = run_once(settings, store)
        assert (repaired.published, repaired.held) == (1, 0)
        with store.session() as session:
            translation = queries.translation_from_row(
                session.scalars(select(TranslationRow).order_by(TranslationRow.key)).first()  # type: ignore[arg-type]
            )
        assert translation.repairs and all(r.kept != "first" for r in translation.repairs)
        for repair in translation.repairs:  # the engine's own translation came back, numbers and all
            assert not re.search(r"\d", repair.first_html) and re.search(r"\d", repair.source_html)
        sentences = [p for b in translation.blocks for p in b.sentences if re.search(r"\d", p.source_html)]
        assert all(re.search(r"\d", p.target_html) or p.withheld for p in sentences)

        assert damage(store) == item_id
        second = run_once(holding, store)
    assert (second.published, second.held) == (0, 1)
    english = second.languages["en"]  # the one language that item had: stopped, not published
    assert (english.published, english.held + english.rejected) == (0, 1)
    with store.session() as session:
        assert session.get_one(ItemRow, item_id).status in (ItemStatus.HELD, ItemStatus.REJECTED)
        assert item_id not in {a.id for a in latest_articles(session, "en", limit=100)}

    monkeypatch.setenv("BABELWIRE_DATABASE_URL", database)
    monkeypatch.setenv("COLUMNS", "250")
    cli = CliRunner()
    listing = cli.invoke(app, ["held", "--all"])
    assert listing.exit_code == 0, listing.output
    assert str(item_id) in listing.output and "numbers" in listing.output and "missing" in listing.output

    released = cli.invoke(app, ["held", "release", str(item_id), "--lang", "en"])
    assert released.exit_code == 0, released.output
    assert "released" in released.output
    with store.session() as session:
        assert session.get_one(ItemRow, item_id).status == ItemStatus.PUBLISHED
        assert item_id in {a.id for a in latest_articles(session, "en", limit=100)}
    again = cli.invoke(app, ["held", "release", str(item_id), "--lang", "en"])
    assert again.exit_code == 1 and "no held en translation" in again.output
    store.close()


def test_review_command_reads_and_writes_json_lines() -> None:
    lines = [
        {
            "src": "About 175,000 people marched on Friday.",
            "tgt": "Unas 175.000 personas marcharon el viernes.",
        },
        {"src": "About 175,000 people marched on Friday.", "tgt": "Unas personas marcharon el viernes."},
    ]
    result = CliRunner().invoke(
        app, ["review", "--from", "en", "--to", "es"], input="\n".join(json.dumps(x) for x in lines) + "\n"
    )
    assert result.exit_code == 0, result.output
    good, bad = (json.loads(line) for line in result.output.splitlines())
    assert good["verdict"] == "publish" and good["score"] > bad["score"]
    assert bad["verdict"] in ("hold", "reject")
    assert any(f["check"] == "numbers" and f["segment"] == 0 for f in bad["findings"])
    broken = CliRunner().invoke(app, ["review", "--from", "en", "--to", "es"], input="not json\n")
    assert broken.exit_code == 1 and "line 1" in broken.output
