"""`babelwire run`'s summary and `babelwire status`: counts per target language, never per item only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from babelwire.commands.run import print_report
from babelwire.config import Settings
from babelwire.pipeline.report import RunReport
from babelwire.store.counts import LanguageCounts
from babelwire.store.db import Store
from babelwire.store.models import ReviewStatus
from tests.store.test_counts import add_item


def test_the_summary_says_what_each_language_got(capsys: pytest.CaptureFixture[str]) -> None:
    report = RunReport(sources_polled=2, items_found=3, published=3)
    for statuses in (["publish", "hold"], ["publish", "hold"], ["released", "reject"]):
        report.count_reviews(["en", "ca"], statuses)
    assert report.languages == {"en": LanguageCounts(published=3), "ca": LanguageCounts(held=2, rejected=1)}
    print_report(report, ["en", "ca", "es"])
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == "polled 2 sources (0 not modified), 3 new items, 0 failed"
    assert lines[1:] == [
        "en: 3 published, 0 held by review, 0 rejected",
        "ca: 0 published, 2 held by review, 1 rejected",
        "es: 0 published, 0 held by review, 0 rejected",
    ]
    assert (
        report.languages_line(["en", "ca"])
        == "en: 3 published, 0 held, 0 rejected; ca: 0 published, 2 held, 1 rejected"
    )


def test_status_lists_every_target_language(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABELWIRE_TARGET_LANGUAGES", "en,ca")
    store = Store(Settings(data_dir=tmp_path / "data").resolved_database_url)
    add_item(store, 1, {"en": [ReviewStatus.PUBLISH], "ca": [ReviewStatus.HOLD]})
    add_item(store, 2, {"en": [ReviewStatus.PUBLISH], "ca": [ReviewStatus.REJECT]})
    store.close()
    result = cli.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    rows = {
        match[0]: match[1:]
        for match in re.findall(r"│ (en|ca)\s+│\s+(\d+)\s+│\s+(\d+)\s+│\s+(\d+)", result.output)
    }
    assert rows == {"en": ("2", "0", "0"), "ca": ("0", "1", "1")}, result.output
