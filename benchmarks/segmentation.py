"""Sentence segmentation quality and speed: babelwire's segmenter against the libraries it was chosen from.

    .venv/bin/python benchmarks/segmentation.py [--gold tests/translate/testdata/segmentation.jsonl]
                                                [--flores ../shared/data/flores-dev] [--seconds 0.5]

Every segmenter gets the same paragraphs in the same run and one table is printed:

- exact: share of gold paragraphs whose sentence list is exactly the gold one (whitespace inside
  a sentence normalized, so libraries that reflow spaces are not penalized), overall and per
  language. The gold set is hand-written wire news in en es ca fr de it pt ru uk ar (+ ja, zh).
- FLORES joins: out-of-set recall. Consecutive FLORES-200 sentences (en, es, ca) are glued into
  3-sentence paragraphs; the share of the glue points where the segmenter starts a sentence.
  (FLORES lines sometimes hold two sentences, so this measures missed boundaries only.)
- para/s: gold paragraphs per second, single thread, after one warm-up pass.

"rules only (ablation)" is babelwire: the same news rules, but a period after a word
they do not know always splits instead of asking sentencex.

Libraries without a language get their closest one, as a user would configure them: pysbd has
no ca/pt/uk (es/es/ru used); sentence-splitter (Moses heuristics) has no uk/ar/ja/zh (ru/en used);
blingfire is language-agnostic. A library that is not installed is listed as such.
NLTK punkt is not compared: its model is a run-time download, which babelwire does not allow.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rich.console import Console
from rich.table import Table

from babelwire.translate.segmenter import spans_with_oracle, split_sentences

Segmenter = Callable[[str, str], list[str]]

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT / "tests" / "translate" / "testdata" / "segmentation.jsonl"
DEFAULT_FLORES = ROOT.parent / "shared" / "data" / "flores-dev"
FLORES_FILES = {"en": "flores.eng", "es": "flores.spa", "ca": "flores.cat"}
LANG_ORDER = ["en", "es", "ca", "fr", "de", "it", "pt", "ru", "uk", "ar"]


@dataclass(frozen=True)
class Paragraph:
    lang: str
    text: str
    sentences: tuple[str, ...]


@dataclass
class Result:
    name: str
    exact: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    joins_found: int = 0
    joins_total: int = 0
    per_second: float = 0.0
    error: str | None = None


def _normalize(sentences: list[str]) -> tuple[str, ...]:
    return tuple(" ".join(s.split()) for s in sentences if s.strip())


# --- the segmenters --------------------------------------------------------------------------


def babelwire_segmenter() -> Segmenter:
    return split_sentences


def rules_only_segmenter() -> Segmenter:
    """Ablation: babelwire's news rules with no library behind them (unknown words always split)."""

    def split(text: str, lang: str) -> list[str]:
        return [text[s:e] for s, e in spans_with_oracle(text, lang, lambda window, lang: True)]

    return split


def sentencex_segmenter() -> Segmenter:
    import sentencex

    return lambda text, lang: list(sentencex.segment(lang, text))


def pysbd_segmenter() -> Segmenter:
    import pysbd

    fallback = {"ca": "es", "pt": "es", "uk": "ru"}

    @cache
    def segmenter(lang: str) -> pysbd.Segmenter:
        return pysbd.Segmenter(language=fallback.get(lang, lang), clean=False)

    return lambda text, lang: [str(s) for s in segmenter(lang).segment(text)]


def sentence_splitter_segmenter() -> Segmenter:
    from sentence_splitter import SentenceSplitter

    fallback = {"uk": "ru", "ar": "en", "ja": "en", "zh": "en"}

    @cache
    def splitter(lang: str) -> SentenceSplitter:
        return SentenceSplitter(language=fallback.get(lang, lang))

    def split(text: str, lang: str) -> list[str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(splitter(lang).split(text))

    return split


def blingfire_segmenter() -> Segmenter:
    import blingfire

    return lambda text, lang: str(blingfire.text_to_sentences(text)).split("\n")


SEGMENTERS: dict[str, Callable[[], Segmenter]] = {
    "babelwire": babelwire_segmenter,
    "rules only (ablation)": rules_only_segmenter,
    "sentencex": sentencex_segmenter,
    "pysbd": pysbd_segmenter,
    "sentence-splitter": sentence_splitter_segmenter,
    "blingfire": blingfire_segmenter,
}


# --- data ------------------------------------------------------------------------------------


def load_gold(path: Path) -> list[Paragraph]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Paragraph(row["lang"], row["text"], tuple(row["sentences"])) for row in rows]


def load_flores(folder: Path, size: int = 3) -> list[Paragraph]:
    """Consecutive FLORES lines glued into paragraphs; empty if the data is not there."""
    paragraphs = []
    for lang, name in FLORES_FILES.items():
        path = folder / name
        if not path.exists():
            continue
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for i in range(0, len(lines) - size + 1, size):
            chunk = tuple(lines[i : i + size])
            paragraphs.append(Paragraph(lang, " ".join(chunk), chunk))
    return paragraphs


def joins_found(segment: Segmenter, paragraph: Paragraph) -> int:
    """How many glue points between FLORES lines start a sentence in the segmenter's output."""
    starts, position = set(), 0
    for sentence in segment(paragraph.text, paragraph.lang):
        piece = sentence.strip()
        if not piece:
            continue
        found = paragraph.text.find(piece, position)
        if found < 0:  # the library changed the text; fall back to matching its first words
            found = paragraph.text.find(piece[:20], position)
        if found >= 0:
            starts.add(found)
            position = found + len(piece)
    offsets, offset = set(), 0
    for line in paragraph.sentences[:-1]:
        offset += len(line) + 1
        offsets.add(offset)
    return len(offsets & starts)


# --- the run ---------------------------------------------------------------------------------


def evaluate(
    name: str, segment: Segmenter, gold: list[Paragraph], flores: list[Paragraph], seconds: float
) -> Result:
    result = Result(name)
    for paragraph in gold:
        got = _normalize(segment(paragraph.text, paragraph.lang))
        result.exact[paragraph.lang].append(got == _normalize(list(paragraph.sentences)))
    for paragraph in flores:
        result.joins_found += joins_found(segment, paragraph)
        result.joins_total += len(paragraph.sentences) - 1
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds or done == 0:
        for paragraph in gold:
            segment(paragraph.text, paragraph.lang)
        done += len(gold)
    result.per_second = done / elapsed
    return result


def _percent(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):.1f}" if hits else "–"


def render(results: list[Result], gold: list[Paragraph], flores: list[Paragraph]) -> Table:
    langs = [lang for lang in LANG_ORDER if any(p.lang == lang for p in gold)]
    others = sorted({p.lang for p in gold} - set(langs))
    table = Table(
        title=f"Sentence segmentation: exact-split rate (%) on {len(gold)} gold news paragraphs",
        caption=f"FLORES joins: % of the known boundaries found in {len(flores)} paragraphs glued from "
        "consecutive FLORES-200 sentences (en/es/ca). para/s: gold paragraphs per second, one thread.",
    )
    table.add_column("segmenter", style="bold")
    table.add_column("exact all", justify="right", style="bold")
    for lang in langs:
        table.add_column(lang, justify="right")
    if others:
        table.add_column("+".join(others), justify="right")
    table.add_column("FLORES joins", justify="right")
    table.add_column("para/s", justify="right")
    for result in results:
        if result.error:
            table.add_row(result.name, f"not run: {result.error}")
            continue
        every = [hit for hits in result.exact.values() for hit in hits]
        cells = [f"{_percent(every)} ({sum(every)}/{len(every)})"]
        cells += [_percent(result.exact.get(lang, [])) for lang in langs]
        if others:
            cells.append(_percent([hit for lang in others for hit in result.exact.get(lang, [])]))
        joins = f"{100 * result.joins_found / result.joins_total:.1f}" if result.joins_total else "–"
        table.add_row(result.name, *cells, joins, f"{result.per_second:,.0f}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--flores", type=Path, default=DEFAULT_FLORES)
    parser.add_argument("--seconds", type=float, default=0.5, help="timing budget per segmenter")
    args = parser.parse_args()
    gold, flores = load_gold(args.gold), load_flores(args.flores)
    results = []
    for name, factory in SEGMENTERS.items():
        try:
            segment = factory()
        except ImportError as exc:
            results.append(Result(name, error=f"{exc.name} not installed"))
            continue
        for paragraph in gold[:10]:  # warm-up: model loading and caches are not timed
            segment(paragraph.text, paragraph.lang)
        results.append(evaluate(name, segment, gold, flores, args.seconds))
    console = Console()
    if not console.is_terminal:
        console = Console(width=170)
    console.print(render(results, gold, flores))


if __name__ == "__main__":
    main()
