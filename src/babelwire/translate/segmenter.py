"""News-grade sentence segmentation: the unit that is translated, cached and reviewed.

A wrong boundary is the worst thing MT can be fed: the seed page split "U.S. intelligence" and
"a statement. White House." and the fragments came back scrambled. So this module is measured
on a hand-written set of wire-news paragraphs in 10+ languages (`benchmarks/segmentation.py`).

Libraries, measured on that set (exact-split rate, 128 paragraphs): sentencex 79.7 %,
pysbd 75.0 %, sentence-splitter (Moses) 81.2 %, blingfire 82.0 %; none reaches 98 % because
none knows news: "10 a.m. ET", "6:45 a.m. Tuesday", "в 1991 г. СССР", "D-Mass.", attribution
after a quote. pysbd is unmaintained since 2021, has no ca/pt/uk and splits "D-Mass.,";
sentence-splitter has no ar/uk and splits "EE. UU."; blingfire knows no abbreviations of any
language ("Gen. | Mark Milley"). NLTK punkt needs a run-time model download.

So the news rules below decide, and **sentencex** (Wikimedia, maintained, Rust, ~300 languages
with per-language abbreviation lists and fallback chains) is the library behind them: it is
asked only about a period after a word our lists do not know ("Det. Mark Olsen", "Lcdo. Ruiz",
"Cav. Neri"), shown that word and the next one alone. As that oracle it beat Moses and blingfire
on the gold set (100 % vs 99.2 % and 98.4 %); with no oracle at all (always split) the gold and
FLORES scores are the same, but the long tail of abbreviations is lost.

How (judge every candidate boundary, then cut):

1. Candidates: a run of sentence-final punctuation (. ! ? … ؟ ۔ 。 ...) with the closing quotes
   and brackets stuck to it (or after a space: "prêts. »"), followed by whitespace (CJK: by
   anything).
2. News rules judge each candidate (`_Paragraph.judge`): a lower-case word or a comma next
   continues the sentence («¿Qué?», dijo / "Stop!" he said); ? ! … and quote-final punctuation
   split unless a short attribution follows ("Why now?" Peskov asked); a single period is judged
   by the word before it using `abbreviations.py` (titles, FINAL abbreviations before a sentence
   opener, a.m./p.m. before a zone or weekday, initials, numbers, German ordinals).
3. A period after a word the rules do not know splits if a sentence opener follows ("lo sa. Il");
   otherwise sentencex's per-language abbreviation lists decide (`sentencex_oracle`).

Spans are exact offsets into the text, stripped of surrounding whitespace. Deterministic; the
per-language tables are cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import sentencex

from babelwire.translate.abbreviations import Kind, LanguageRules, rules_for

_TERMINALS = ".!?…‼⁇⁈⁉؟۔。！？।॥"
_CJK_TERMINALS = frozenset("。！？")
_QUOTES = frozenset("\"'”’»«“‘›‹„‚「」『』")
_CLOSERS = "\"'”’»«“‘›‹」』）)]}"
_OPENERS = "\"'“‘«»„‚‹›「『（([{¿¡—–-”’"
_CONTINUATION_PUNCT = frozenset(",;:)]}،؛、，；：")
_CLUSTER = re.compile(f"[{re.escape(_TERMINALS)}][{re.escape(_TERMINALS + _CLOSERS)}]*")
# A closing quote after a space: French « Nous sommes prêts. » and scraped "the economy. ” Then".
_SPACED_CLOSER = re.compile("[ \u00a0\u202f]+[”»](?=\\s|$)")
_TERMINAL_CHAR = re.compile(f"[{re.escape(_TERMINALS)}]")
_NUMBER = re.compile(r"\d[\d.,:\u00a0\u202f]*")
_ACRONYM = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_PARTY_STATE = re.compile(r"[DRI]-[A-Z][A-Za-z]{1,5}")
_WORD = re.compile(r"[^\W\d_]+")
_APOSTROPHE = re.compile("[’']")
_MAX_TOKEN = 40
_MAX_ATTRIBUTION_WORDS = 8

Oracle = Callable[[str, str], bool]
"""(window "<word>. <Next>", lang) -> does a sentence end after the word?"""
NextKind = Literal["lower", "upper", "caseless", "digit", "punct", "other", "end"]


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of `text`, in order (see `sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: in order, non-overlapping, stripped of whitespace.

    Only whitespace lies between two spans, so callers can map the offsets back onto markup.
    Unknown languages get the English rules (and sentencex's own fallback); never raises.
    """
    return spans_with_oracle(text, lang, sentencex_oracle)


def spans_with_oracle(text: str, lang: str, oracle: Oracle) -> list[tuple[int, int]]:
    """`sentence_spans` with another judge for unknown words (the benchmark's ablation hook)."""
    paragraph = _Paragraph(text, rules_for(lang), oracle)
    boundaries = [end for end in paragraph.candidates() if paragraph.judge(end)]
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for end in boundaries:
        if start < end:
            spans.append((start, end))
        start = _skip_space(text, end)
    last = len(text.rstrip())
    if start < last:
        spans.append((start, last))
    return spans


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


@dataclass(frozen=True)
class _Next:
    """What follows a candidate boundary: where the next sentence would start, and how."""

    index: int  # first letter/digit/symbol after whitespace and opening quotes/brackets
    kind: NextKind
    word: str  # the letters at `index` ("" if none)
    quoted: bool  # an opening quote or bracket came first


class _Paragraph:
    """One paragraph being segmented: the text, its language rules, the unknown-word oracle."""

    def __init__(self, text: str, rules: LanguageRules, oracle: Oracle) -> None:
        self.text = text
        self.rules = rules
        self.oracle = oracle
        self._cluster_starts: dict[int, int] = {}

    def candidates(self) -> list[int]:
        """End offsets of punctuation runs that could end a sentence, in order."""
        text, ends = self.text, []
        for match in _CLUSTER.finditer(text):
            end = match.end()
            spaced = _SPACED_CLOSER.match(text, end)
            if spaced:
                end = spaced.end()
            cjk = any(char in _CJK_TERMINALS for char in match.group())
            if end == len(text) or text[end].isspace() or cjk:
                self._cluster_starts[end] = match.start()
                ends.append(end)
        return ends

    def judge(self, end: int) -> bool:
        """Does a sentence end at `end` (just after a candidate punctuation run)?"""
        text, start = self.text, self._cluster_starts[end]
        cluster = text[start:end]
        following = self._next(_skip_space(text, end))
        if following.kind in ("end", "lower", "punct"):
            return False
        if any(char in _CJK_TERMINALS for char in cluster):
            # 「行く。」と言った: a kana particle after the closing bracket continues the sentence.
            closed = cluster[-1] in _CLOSERS
            return not (closed and "\u3040" <= text[following.index] <= "\u309f")
        if any(char in _QUOTES for char in cluster) and self._attribution_at(following.index):
            return False
        if cluster.strip() != ".":
            return True  # ? ! … .. or a period inside a closing quote/bracket
        if start == 0 or text[start - 1] in _CLOSERS:
            return True  # «No habrá acuerdo». / "a disgrace". : the quote ended the sentence
        found = self._token_before(start)
        if found is None or not found[1]:
            return True  # a URL or a bare period: nothing that could be an abbreviation
        verdict = self._period(*found, following)
        if verdict is not None:
            return verdict
        # An unknown word. A sentence opener next ("lo sa. Il", "al cap. La") settles it; else the
        # question is whether the word is an abbreviation in this language: sentencex's lists know.
        return following.word.lower() in self.rules.starters or self._oracle_splits(found[0], following)

    def _next(self, index: int) -> _Next:
        text, quoted = self.text, False
        while index < len(text) and (text[index] in _OPENERS or text[index].isspace()):
            quoted = quoted or text[index] in _QUOTES or text[index] in "([{（"
            index += 1
        if index >= len(text):
            return _Next(index, "end", "", quoted)
        char = text[index]
        match = _WORD.match(text, index)
        word = match.group() if match else ""
        kind: NextKind
        if char.isalpha():
            kind = "lower" if char.islower() else "upper" if char.isupper() or char.istitle() else "caseless"
        elif char.isdigit():
            kind = "digit"
        elif char in _CONTINUATION_PUNCT:
            kind = "punct"
        else:
            kind = "other"
        return _Next(index, kind, word, quoted)

    def _attribution_at(self, index: int) -> bool:
        """`"Why now?" Peskov asked.`: a short clause with a verb of saying continues the quote."""
        stop = _TERMINAL_CHAR.search(self.text, index)
        words = [w.lower() for w in _WORD.findall(self.text, index, stop.start() if stop else len(self.text))]
        if not 1 <= len(words) <= _MAX_ATTRIBUTION_WORDS:
            return False
        verbs = self.rules.speech_verbs
        return words[0] in verbs or any(word in verbs for word in words[-2:])

    def _token_before(self, dot: int) -> tuple[int, str] | None:
        """The word a period ends (opening quotes/brackets dropped), or None if it is too long."""
        begin = dot
        while begin > 0 and not self.text[begin - 1].isspace():
            begin -= 1
            if dot - begin > _MAX_TOKEN:
                return None
        token = self.text[begin:dot].lstrip(_OPENERS)
        return dot - len(token), token

    def _period(self, begin: int, token: str, following: _Next) -> bool | None:
        """A period after `token`: True = split, False = keep, None = no opinion (ask sentencex)."""
        rules = self.rules
        kind = self._lookup(begin, token)
        after_number = self._number_before(begin)
        if kind is None:
            if len(token) == 1 and token.isalpha():
                kind = Kind.ETC if after_number else Kind.TITLE  # "10.30 h." is a unit; "J." an initial
            elif _ACRONYM.fullmatch(token) or _PARTY_STATE.fullmatch(token):
                kind = Kind.FINAL  # D.C., N.Y., D-Mass.
            elif any(char.isdigit() for char in token):
                if not (rules.ordinal_numbers and token.isdigit() and len(token) <= 2):
                    return True  # "rose 3.5%." / "in 2023." ; German "am 3. Oktober" is FINAL
                kind = Kind.FINAL
            else:
                return None
        if kind is Kind.AFTER_NUMBER:
            kind = Kind.FINAL if after_number else Kind.TITLE
        if kind is Kind.TITLE:
            return False
        if kind is Kind.ETC:
            return True
        if kind is Kind.TIME:
            return not (following.word in rules.time_followers or following.kind == "digit")
        return following.quoted or following.word.lower() in rules.starters

    def _lookup(self, begin: int, token: str) -> Kind | None:
        """Look the word before a period up, longest form first: "EE. UU" -> "EE.UU", "L’On" -> "On"."""
        text, forms, joined, left = self.text, [token], token, begin
        for _ in range(3):  # spaced abbreviations: "EE. UU.", "т. д.", "a. m.", "z. B."
            if left < 2 or text[left - 1] not in " \u00a0\u202f":
                break
            first = left - 1
            while first > 0 and not text[first - 1].isspace() and left - first <= 6:
                first -= 1
            piece = text[first : left - 1].lstrip(_OPENERS)
            if not (piece.endswith(".") and 2 <= len(piece) <= 5 and piece[:-1].replace(".", "").isalpha()):
                break
            joined = piece + joined
            forms.insert(0, joined)
            left = first
        if _APOSTROPHE.search(token):
            forms.append(_APOSTROPHE.split(token)[-1])
        for form in forms:
            if form and (kind := self.rules.lookup(form)) is not None:
                return kind
        return None

    def _number_before(self, begin: int) -> bool:
        """Is the word before `begin` a number ("1991 г.", "10.30 h.", "92,5 руб.")?"""
        end = begin
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and not self.text[start - 1].isspace() and end - start < _MAX_TOKEN:
            start -= 1
        return end > start and _NUMBER.fullmatch(self.text, start, end) is not None

    def _oracle_splits(self, token_start: int, following: _Next) -> bool:
        """Ask the oracle about "<word>. <Next>" alone, so only the word is judged, not the context."""
        end = following.index + max(len(following.word), 1)
        return self.oracle(self.text[token_start:end], self.rules.lang)


def sentencex_oracle(window: str, lang: str) -> bool:
    """Does sentencex split "<word>. <Next>"? That is: is the word no abbreviation in `lang`?

    Only the window is shown, so that its quote handling (no split inside «...») does not
    overrule ours: the question is the word, and its per-language lists know the long tail.
    """
    try:
        return len(sentencex.segment(lang or "en", window)) > 1
    except Exception:  # a Rust-side error (e.g. lone surrogates) must not stop the article
        return True
