"""Quotation marks must pair up in the translation as they do in the source.

A stray quote (seed defect: "‘Ukraine. The US intelligence community...") shows a fragment moved or
a quotation cut, and misattributes words to a speaker. Each quote style is counted on its own:
double quotes “ ” „ " by parity (English “…”, German „…“, and „…" with a straight closing one, as
German text often has), « » and ‹ › (either direction: French « … », German »…«), 「 」 and 『 』.
Single quotes share their character with the apostrophe, so ‘ ’ ' ‚ count by position: an opening
mark before a word needs a closing one after a word later; marks inside words (don't, l'Ajuntament,
Biden’s) and elisions ('90s, ’til) are apostrophes. A sentence of a quotation that spans several
sentences is unbalanced in the source too, so only imbalance beyond the source's is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babelwire.review.checks._text import finding, mask_tokens, pairs, plain
from babelwire.review.findings import Finding, ReviewContext, Severity

CHECK = "quotes"
# Straight and curly double quotes are one style: German text often closes „…" with a straight one.
_DOUBLE = '“”„‟"'
_LOW_DOUBLE = re.compile(r",,(?=\w)")  # ",,Rechte": two commas typed for „
_PAIRED = ("«»", "‹›", "「」", "『』")
_SINGLE = frozenset("‘’'‚‛")
_OPENING_SINGLE = frozenset("‘'‚‛")
_CLOSING_SINGLE = frozenset("’‘'")
_SENTENCE_PUNCTUATION = frozenset(".,;:!?…")
_ELISIONS = ("n'", "n’", "til", "cause", "em", "tis", "twas", "bout", "round")


@dataclass(frozen=True)
class _Imbalance:
    family: str  # the characters of the style
    mark: str  # the character to name in a message
    excess: int  # how many marks are left unpaired


def check_quotes(context: ReviewContext) -> list[Finding]:
    """Report quote styles unbalanced in the translation beyond what the source shows."""
    findings: list[Finding] = []
    for pair in pairs(context):
        target = imbalances(plain(pair.target))
        if not target:
            continue
        source_excess = sum(i.excess for i in imbalances(plain(pair.source)))
        if sum(i.excess for i in target) <= source_excess:
            continue
        for imbalance in target:
            message = f"translation has an unbalanced {imbalance.mark} quote"
            if imbalance.family in _OPENING_SINGLE and imbalance.mark in "‘‚‛":
                message = f"translation has an opening {imbalance.mark} quote that is never closed"
            findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def imbalances(text: str) -> list[_Imbalance]:
    """The quote styles of `text` whose marks do not pair up."""
    text = _LOW_DOUBLE.sub("„", mask_tokens(text))
    found: list[_Imbalance] = []
    marks = [c for c in text if c in _DOUBLE]
    if len(marks) % 2:
        found.append(_Imbalance(_DOUBLE, marks[0], 1))
    for style in _PAIRED:
        opening, closing = style[0], style[1]
        difference = text.count(opening) - text.count(closing)
        if difference:
            mark = opening if difference > 0 else closing
            found.append(_Imbalance(style, mark, abs(difference)))
    unpaired = _unpaired_single(text)
    if unpaired:
        found.append(_Imbalance(unpaired[0], unpaired[0], len(unpaired)))
    return found


def _unpaired_single(text: str) -> list[str]:
    """Single quotes that pair with nothing, apostrophes told apart from quotes by position.

    An opening mark stands before a word; a closing one after a word or punctuation. A closing
    mark with nothing to close is a quote only after punctuation ("…young men.'"): after a word
    it is a possessive ("the states’ rights").
    """
    stack: list[str] = []
    unopened: list[str] = []
    for i, char in enumerate(text):
        if char not in _SINGLE:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue  # don't, l'Ajuntament, Biden’s
        if not before.isalnum() and after.isalnum():
            if char in _OPENING_SINGLE and not after.isdigit() and not _elision(text, i + 1):
                stack.append(char)
        elif not before.isspace() and not after.isalnum() and char in _CLOSING_SINGLE:
            if before in "sS" and text[i + 1 : i + 3].strip()[:1].islower():
                continue  # "the students' behaviour": a plural possessive
            if stack:
                stack.pop()
            elif before in _SENTENCE_PUNCTUATION:
                unopened.append(char)
    return stack + unopened


def _elision(text: str, start: int) -> bool:
    """An elided word ('til, 'em, rock 'n' roll) rather than a quotation?"""
    word = text[start : start + 6].lower()
    return any(word.startswith(e) and not word[len(e) : len(e) + 1].isalpha() for e in _ELISIONS)
