"""The automated editor on public quality-estimation data, against a length-ratio-only baseline.

- Critical-error detection (WMT22 task 3, en-de dev): a translation labelled BAD should not be
  published. Predicted BAD = the editor's verdict is hold or reject. Precision, recall and
  the Matthews correlation coefficient (MCC) of BAD.
- MQM (WMT22 task 1, en-de and en-ru dev): Spearman correlation of the editor's score with
  the human MQM score.
- Seed defects: the seed page's defect classes rebuilt as our own pairs (tests/review/seed_pairs.py):
  how many damaged translations are stopped, and how many correct ones are wrongly held.
- False holds on human translations: FLORES dev, which a good editor passes: the total over es-en,
  ca-en, en-es (the long-standing figure), and per direction in all six directions among en, es, ca.

The baseline is the same editor with only the length check enabled, in the same run.

    .venv/bin/python benchmarks/review_qe.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.review.seed_pairs import SEED_CASES  # noqa: E402

from babelwire.review.editor import Decision, Verdict, review  # noqa: E402
from babelwire.review.findings import ReviewContext, SegmentPair  # noqa: E402
from babelwire.review.policy import ReviewPolicy  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
QE = DATA / "qe-dev"
CHECK_NAMES = ("numbers", "entities", "tokens", "quotes", "markers", "boilerplate", "repetition", "length",
               "untranslated", "negation", "roundtrip")  # fmt: skip
EDITOR = ReviewPolicy()
BASELINE = ReviewPolicy(disabled_checks=[name for name in CHECK_NAMES if name != "length"])


def judge(policy: ReviewPolicy, source_lang: str, target_lang: str, source: str, target: str) -> Verdict:
    pair = SegmentPair(0, source, target, source, target)
    return review(ReviewContext(source_lang, target_lang, (pair,)), policy)


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    sy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (sx * sy) if sx and sy else 0.0


def ced(policy: ReviewPolicy, limit: int | None) -> tuple[str, ...]:
    folder = QE / "task3_ced" / "dev" / "en-de" / "en-de-dev"
    sources = (folder / "dev.src").read_text("utf-8").splitlines()[:limit]
    targets = (folder / "dev.mt").read_text("utf-8").splitlines()[:limit]
    labels = (folder / "dev.label").read_text("utf-8").splitlines()[:limit]
    tp = fp = fn = tn = 0
    for source, target, label in zip(sources, targets, labels, strict=True):
        stopped = judge(policy, "en", "de", source, target).decision != Decision.PUBLISH
        bad = label.strip() == "BAD"
        if stopped:
            tp, fp = tp + bad, fp + (not bad)
        else:
            fn, tn = fn + bad, tn + (not bad)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"{len(labels)} ({tp + fn} BAD)", f"{precision:.3f}", f"{recall:.3f}", f"{mcc(tp, fp, fn, tn):.3f}"


def mqm(policy: ReviewPolicy, pair: str, limit: int | None) -> tuple[str, str]:
    path = QE / "task1_mqm" / "dev" / pair / f"{pair}-mqm.2022_dev.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))[:limit]
    source_lang, target_lang = pair.split("-")
    scores = [judge(policy, source_lang, target_lang, r["src"], r["mt"]).score for r in rows]
    return str(len(rows)), f"{spearman(scores, [float(r['score']) for r in rows]):.3f}"


def seeds(policy: ReviewPolicy) -> tuple[str, str]:
    def stops(case_source: str, target: str, source_lang: str, target_lang: str) -> bool:
        return judge(policy, source_lang, target_lang, case_source, target).decision != Decision.PUBLISH

    stopped = sum(stops(c.source, c.damaged, c.source_lang, c.target_lang) for c in SEED_CASES)
    false_holds = sum(stops(c.source, c.correct, c.source_lang, c.target_lang) for c in SEED_CASES)
    return f"{stopped}/{len(SEED_CASES)}", f"{false_holds}/{len(SEED_CASES)}"


FLORES_FILES = {"en": "eng", "es": "spa", "ca": "cat"}
FLORES_TOTAL = (("es", "en"), ("ca", "en"), ("en", "es"))  # the total reported since the first run
FLORES_DIRECTIONS = (*FLORES_TOTAL, ("en", "ca"), ("es", "ca"), ("ca", "es"))


def flores_false_holds(policy: ReviewPolicy, limit: int | None) -> tuple[str, dict[str, str]]:
    """False holds on FLORES: the es-en + ca-en + en-es total, and the rate of each direction."""
    folder = DATA / "flores-dev"
    lines = {lang: (folder / f"flores.{code}").read_text("utf-8").splitlines()[:limit]
             for lang, code in FLORES_FILES.items()}  # fmt: skip
    held: dict[tuple[str, str], int] = {}
    for source_lang, target_lang in FLORES_DIRECTIONS:
        held[source_lang, target_lang] = sum(
            judge(policy, source_lang, target_lang, source, target).decision != Decision.PUBLISH
            for source, target in zip(lines[source_lang], lines[target_lang], strict=True)
        )
    n = len(lines["en"])
    total = sum(held[d] for d in FLORES_TOTAL)
    per_direction = {f"{s}→{t}": f"{count / n:.1%} ({count})" for (s, t), count in held.items()}
    return f"{total / (n * len(FLORES_TOTAL)):.1%} ({total}/{n * len(FLORES_TOTAL)})", per_direction


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="use only the first N items of each data set")
    args = parser.parse_args()
    console = Console(width=160)
    if not QE.exists():
        console.print(f"[red]missing {QE}[/]")
        return 1
    table = Table(title="Automated editor on WMT22 QE dev, seed defects and FLORES")
    for column in ("editor", "CED en-de items", "precision", "recall", "MCC", "MQM en-de ρ", "MQM en-ru ρ",
                   "seed defects stopped", "seed false holds", "FLORES false holds (es-en, ca-en, en-es)",
                   "seconds"):  # fmt: skip
        table.add_column(column, justify="right")
    directions = Table(title="False holds on FLORES human translations, per direction (share of its lines)")
    directions.add_column("editor")
    for source_lang, target_lang in FLORES_DIRECTIONS:
        directions.add_column(f"{source_lang}→{target_lang}", justify="right")
    for name, policy in (("babelwire editor", EDITOR), ("length ratio only", BASELINE)):
        started = time.perf_counter()
        ced_row = ced(policy, args.limit)
        _, de = mqm(policy, "en-de", args.limit)
        _, ru = mqm(policy, "en-ru", args.limit)
        seed_row = seeds(policy)
        flores, per_direction = flores_false_holds(policy, args.limit)
        table.add_row(name, *ced_row, de, ru, *seed_row, flores, f"{time.perf_counter() - started:.0f}")
        directions.add_row(name, *per_direction.values())
    console.print(table)
    console.print(directions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
