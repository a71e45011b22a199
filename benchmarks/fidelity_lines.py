"""Line-level fidelity measures for benchmarks/fidelity.py: digits, protected tokens, chrF/BLEU.

Pure functions over (source, output) pairs plus the two translators compared: the raw Apertium
engine (one process call with every line) and babelwire's translation core (every line its own
document, as `babelwire translate --lines` does, with an in-memory translation memory).
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import sacrebleu

from babelwire.config import Settings
from babelwire.domain import Block, BlockKind, Document
from babelwire.translate.document import translate_document
from babelwire.translate.engines.apertium import ApertiumEngine, Deformatter
from babelwire.translate.glossary import Glossary
from babelwire.translate.inline import to_text
from babelwire.translate.memory import InMemoryMemory
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FLORES = DATA / "flores-dev"
FLORES_FILES = {"en": "flores.eng", "es": "flores.spa", "ca": "flores.cat"}
QE_MQM = DATA / "qe-dev" / "task1_mqm" / "dev" / "en-de" / "en-de-mqm.2022_dev.csv"

# Thousands/decimal/time separators between two digits: 175.000, 175,000, 3'5, 10:30, 1 000 (no-break).
_SEPARATOR = re.compile(r"(?<=\d)[.,:'’\u00a0\u202f](?=\d)")
_DIGITS = re.compile(r"\d+")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]»”]", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_HASHTAG = re.compile(r"(?<![\w#&])#\w*[^\W\d]\w*")


def digit_runs(text: str) -> Counter[str]:
    """The multiset of digit runs once separators between digits are removed (175.000 == 175,000)."""
    return Counter(_DIGITS.findall(_SEPARATOR.sub("", text)))


def protected_tokens(text: str) -> Counter[str]:
    """URLs, e-mail addresses, @handles, #hashtags and numbers (digit runs), as a multiset."""
    tokens: Counter[str] = Counter()
    rest = text
    for pattern in (_URL, _EMAIL):  # numbers inside a URL/address belong to it, not to the text
        tokens.update(m.group(0).lower() for m in pattern.finditer(rest))
        rest = pattern.sub(" ", rest)
    tokens.update(m.group(0).lower() for m in _HANDLE.finditer(rest))
    tokens.update(m.group(0).lower() for m in _HASHTAG.finditer(rest))
    tokens.update(digit_runs(_HANDLE.sub(" ", _HASHTAG.sub(" ", rest))))
    return tokens


def lost_tokens(source: str, output: str) -> Counter[str]:
    """Protected tokens of the source that the output does not have (as many times as missing)."""
    return protected_tokens(source) - protected_tokens(output)


@dataclass
class LineScore:
    lines: int = 0
    with_digits: int = 0
    digits_changed: int = 0
    tokens: int = 0
    tokens_lost: int = 0
    chrf: float | None = None
    bleu: float | None = None
    examples: list[tuple[str, str]] = field(default_factory=list)  # (source, output) with changed digits


def score(sources: Sequence[str], outputs: Sequence[str], references: Sequence[str] | None) -> LineScore:
    result = LineScore(lines=len(sources))
    for source, output in zip(sources, outputs, strict=True):
        digits = digit_runs(source)
        if digits:
            result.with_digits += 1
            if digits != digit_runs(output):
                result.digits_changed += 1
                result.examples.append((source, output))
        result.tokens += sum(protected_tokens(source).values())
        result.tokens_lost += sum(lost_tokens(source, output).values())
    if references is not None:
        result.chrf = sacrebleu.corpus_chrf(list(outputs), [list(references)]).score
        result.bleu = sacrebleu.corpus_bleu(list(outputs), [list(references)]).score
    return result


def clean(text: str) -> str:
    return " ".join(text.split())


def raw_engine(deformatter: Deformatter, lines: Sequence[str], source: str, target: str) -> list[str]:
    """`apertium -u -f html MODE` with APERTIUM_TRANSFUSE pinned, every line in one process call."""
    engine = ApertiumEngine(deformatter=deformatter)
    translated = engine.translate([escape(line, quote=False) for line in lines], source, target)
    return [clean(to_text(html)) for html in translated]


def core_settings(deformatter: Deformatter) -> Settings:
    """What `babelwire translate --engine apertium` builds, with the deformatter pinned."""
    return Settings(
        engines={"*": ["apertium"]},
        pivot_language=None,
        engine_options={"apertium": {"deformatter": deformatter}},
    )


def babelwire_core(deformatter: Deformatter, lines: Sequence[str], source: str, target: str) -> list[str]:
    """The lines through the translation core exactly as `babelwire translate --lines` does.

    Every line is its own block of one document (so its own sentences), all sent in one batch.
    """
    settings = core_settings(deformatter)
    translator = Translator(Router.from_settings(settings), InMemoryMemory())
    glossary = Glossary.for_pair(settings.glossary, source, target)
    blocks = []
    for line in lines:
        html = escape(line, quote=False)
        blocks.append(Block(BlockKind.PARAGRAPH, html, to_text(html)))
    document = Document(url="stdin:", title="", blocks=tuple(blocks))
    translation, _usage = translate_document(document, source, target, translator, glossary=glossary)
    return [clean(to_text(block.html)) for block in translation.blocks]


def flores(lang: str, limit: int | None = None) -> list[str]:
    path = FLORES / FLORES_FILES[lang]
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()][:limit]


def qe_english(limit: int | None = None) -> list[str]:
    """The English sources of WMT22 QE dev (task 1 MQM; en-de and en-ru share the same 1005 sources)."""
    with QE_MQM.open(encoding="utf-8", newline="") as handle:
        sources = list(dict.fromkeys(row["src"].strip() for row in csv.DictReader(handle)))
    return [s for s in sources if s][:limit]


def available() -> list[str]:
    """The data sets present, for a clear message when ../shared/data is missing."""
    return [str(p) for p in (FLORES, QE_MQM) if os.path.exists(p)]
