"""Repetition the source does not have: the signature of MT decoding loops and merge bugs.

The seed page printed "What we continue to see, and what we continue to see, are" and
"he said. Pentagon spokesman John Kirby said." for sources that say each thing once. Words
cannot be compared across languages, so each side is examined for its own repetition and
the target is flagged only for repetition of a kind the source lacks:

- a phrase repeated back to back ("X, and X"; ERROR) or a doubled word ("the the"; WARNING,
  except doublings that are grammatical in the language: "had had", "die die", "nous nous");
- a long word sequence occurring twice in one sentence (8+ words: WARNING, 5+: INFO);
- a sentence's translation repeated verbatim as the next one's (ERROR);
- an attribution said twice ("..., he said. Kirby said."), in one segment or spilling into the
  next, where the source attributes once (ERROR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from babelwire.review.checks._words import lang_code, word_set
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity
from babelwire.translate.abbreviations import rules_for
from babelwire.translate.segmenter import split_sentences

CHECK = "repetition"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# What may stand between the two copies of a repeated phrase: punctuation, space and at most
# one connector ("X, and X", "X y X", "X и X").
_CONNECTORS = word_set("and or y e i o et ou und oder и или і й та чи")
_GAP = re.compile(r"[\s,;:—–-]*")
_MAX_PHRASE = 12
# Repeated word runs apart from each other: 5+ words is worth knowing (translators repeat
# "the fashion capital of" for style), 8+ words is a decoding loop more often than style.
_LONG_NGRAM = 5
_LOOP_NGRAM = 8
_SHORT_ATTRIBUTION = 8  # words: "Pentagon spokesman John Kirby said."
# Doublings that grammar produces: "what he had had", "die Frau, die die Zeitung liest".
_GRAMMATICAL_DOUBLES: dict[str, frozenset[str]] = {
    "en": frozenset({"had", "that", "is"}),
    "de": frozenset({"die", "der", "das", "den", "dem", "sie"}),
    "fr": frozenset({"nous", "vous"}),
    "nl": frozenset({"die", "dat"}),
}
# Attribution beyond verbs of saying: "according to", "según", "laut", "по словам".
_ATTRIBUTION_EXTRA: dict[str, str] = {
    "en": "according say stated announced",
    "es": "según dijeron afirmaron señalaron indicaron agregaron añadieron explicaron aseguraron "
    "declararon precisó detalló informó anunció",
    "ca": "segons digueren afirmaren dit afegit explicat assegurat declarat",
    "fr": "selon",
    "de": "laut zufolge sagten erklärten fügte",
    "it": "dichiarato detto",
    "pt": "disseram afirmaram",
    "ru": "словам сказали заявили сообщили отметили добавили",
    "uk": "словами сказали заявили повідомили зазначили додали",
}
# Catalan's periphrastic past: "va dir", "van afegir".
_CA_AUXILIARIES = frozenset({"va", "van"})
_CA_SAYING = word_set("dir afegir explicar assegurar afirmar declarar assenyalar indicar advertir")


@dataclass(frozen=True)
class _Word:
    text: str  # lower case
    start: int
    end: int
    lower: bool  # written in lower case in the original


def check_repetition(context: ReviewContext) -> list[Finding]:
    """Repeated phrases, doubled words and duplicated attributions absent from the source."""
    src, tgt = lang_code(context.source_lang), lang_code(context.target_lang)
    findings: list[Finding] = []
    pairs = context.pairs
    for k, pair in enumerate(pairs):
        found = _within(pair, src, tgt)
        if found is None and k > 0:
            found = _across(pairs[k - 1], pair, src, tgt)
        if found is not None:
            findings.append(found)
    return findings


def _within(pair: SegmentPair, src: str, tgt: str) -> Finding | None:
    """The strongest repetition inside one target sentence that its source does not share."""
    target, source = _words(pair.target), _words(pair.source)
    repeat = _adjacent_repeat(pair.target, target, tgt, strict=True)
    if repeat is not None and _adjacent_repeat(pair.source, source, src, strict=False) is None:
        phrase, n = repeat
        kind = "word is doubled" if n == 1 else "phrase is repeated back to back"
        message = f"A {kind} in the translation but not in the source: {phrase!r}."
        # A doubled word is a visible slip ("will go in in force") but rarely changes the meaning:
        # a warning; a repeated phrase (the seed page's "what we continue to see, and what we
        # continue to see") is an error.
        return _finding(pair, Severity.WARNING if n == 1 else Severity.ERROR, message)
    attribution = _duplicated_attribution(pair.target, tgt)
    if attribution is not None and _attributions(pair.source, src) <= 1:
        return _finding(
            pair,
            Severity.ERROR,
            f"The attribution is duplicated ({attribution!r}) where the source names the speaker once.",
        )
    if _repeated_ngram(source, 3) is not None:
        return None
    for n, severity in ((_LOOP_NGRAM, Severity.WARNING), (_LONG_NGRAM, Severity.INFO)):
        ngram = _repeated_ngram(target, n)
        if ngram is not None:
            message = f"The words {ngram!r} occur twice in the translation, while the source repeats nothing."
            return _finding(pair, severity, message)
    return None


def _across(pair: SegmentPair, following: SegmentPair, src: str, tgt: str) -> Finding | None:
    """Repetition spilling into the next sentence: a verbatim copy, or an extra attribution."""
    this, nxt = " ".join(_texts(pair.target)), " ".join(_texts(following.target))
    if (
        this
        and this == nxt
        and len(this.split()) >= 3
        and " ".join(_texts(pair.source)) != " ".join(_texts(following.source))
    ):
        return _finding(
            following,
            Severity.ERROR,
            f"This translation repeats the previous one word for word ({following.target.strip()[:80]!r}), "
            "though the sources differ.",
        )
    nxt_words = _texts(following.target)
    if (
        1 <= len(nxt_words) <= _SHORT_ATTRIBUTION
        and _attributions(following.target, tgt) >= 1
        and _attributions(following.source, src) == 0
        and len(_texts(following.source)) >= 2 * len(nxt_words)
        and _ends_with_attribution(pair.target, tgt)
    ):
        return _finding(
            following,
            Severity.ERROR,
            f"This translation is a second attribution ({following.target.strip()!r}) after the previous "
            "sentence already names the speaker; its source says something else.",
        )
    return None


def _finding(pair: SegmentPair, severity: Severity, message: str) -> Finding:
    return Finding(pair.index, CHECK, severity, message)


def _words(text: str) -> list[_Word]:
    return [_Word(m.group().lower(), m.start(), m.end(), m.group().islower()) for m in _WORD.finditer(text)]


def _texts(text: str) -> list[str]:
    return [m.group().lower() for m in _WORD.finditer(text)]


def _adjacent_repeat(text: str, words: list[_Word], lang: str, *, strict: bool) -> tuple[str, int] | None:
    """A word run immediately followed by itself (allowing punctuation and one connector):
    the text from the first copy to the end of the second, and the run's length in words.

    `strict` (the target side) ignores what may be legitimate: comma-separated single words
    ("very, very"), grammatical doublings, capitalised doublings (names like "Sirhan Sirhan"),
    numbers. The permissive form (the source side) counts any adjacent repetition, so that
    rhetoric the source has ("never, never") may be kept by the translation.
    """
    texts = [w.text for w in words]
    for n in range(min(_MAX_PHRASE, len(words) // 2), 0, -1):
        for i in range(len(words) - 2 * n + 1):
            for gap in (0, 1):
                j = i + n + gap
                if j + n > len(words) or texts[i : i + n] != texts[j : j + n]:
                    continue
                between = text[words[i + n - 1].end : words[j].start]
                if gap and texts[i + n] not in _CONNECTORS:
                    continue
                if not gap and not _GAP.fullmatch(between):
                    continue
                if strict and not _meaningful(words, i, j, n, between, lang):
                    continue
                return text[words[i].start : words[j + n - 1].end], n
    return None


def _meaningful(words: list[_Word], i: int, j: int, n: int, between: str, lang: str) -> bool:
    """Is this adjacent repetition worth flagging in a target (see `_adjacent_repeat`)?"""
    run = words[j : j + n]
    if not any(any(c.isalpha() for c in w.text) for w in run):
        return False  # "10 10", "2021, 2021"
    if n == 1:
        word = words[j]
        return (
            between.strip() == ""
            and word.lower
            and j == i + 1
            and word.text not in _GRAMMATICAL_DOUBLES.get(lang, frozenset())
        )
    return True


def _repeated_ngram(words: list[_Word], n: int) -> str | None:
    """A run of n words (two of them of 4+ letters) that occurs twice without overlapping."""
    texts = [w.text for w in words]
    seen: dict[tuple[str, ...], int] = {}
    for i in range(len(texts) - n + 1):
        gram = tuple(texts[i : i + n])
        if sum(len(t) >= 4 and t.isalpha() for t in gram) < 2:
            continue
        first = seen.setdefault(gram, i)
        if i - first >= n:
            return " ".join(gram)
    return None


@cache
def _saying(lang: str) -> frozenset[str]:
    """Words that mark an attribution in `lang` (verbs of saying, "according to")."""
    return rules_for(lang).speech_verbs | frozenset(_ATTRIBUTION_EXTRA.get(lang, "").split())


def _attribution_positions(text: str, lang: str) -> list[int]:
    words, saying = _texts(text), _saying(lang)
    catalan = lang == "ca"
    return [
        k
        for k, w in enumerate(words)
        if w in saying or (catalan and k and w in _CA_SAYING and words[k - 1] in _CA_AUXILIARIES)
    ]


def _attributions(text: str, lang: str) -> int:
    return len(_attribution_positions(text, lang))


def _ends_with_attribution(text: str, lang: str) -> bool:
    """Does the text's last sentence attribute ("..., he said." / "..., dijo el ministro.")?"""
    sentences = split_sentences(text, lang) if text.strip() else []
    return bool(sentences) and _attributions(sentences[-1], lang) > 0


def _duplicated_attribution(text: str, lang: str) -> str | None:
    """A short attribution-only sentence right after one that already attributes
    ("..., he said. Pentagon spokesman John Kirby said."); returns the two attributions' text."""
    sentences = split_sentences(text, lang) if text.strip() else []
    for before, after in pairwise(sentences):
        short = len(_texts(after)) <= _SHORT_ATTRIBUTION
        if short and _attributions(after, lang) and _attributions(before, lang):
            tail = before[-40:].lstrip()
            return f"…{tail} {after}" if len(before) > 40 else f"{before} {after}"
    return None
