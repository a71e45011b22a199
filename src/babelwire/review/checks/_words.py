"""Word-level helpers shared by the review checks: language codes, tokens, "is there text here".

Kept deliberately small and language-agnostic: every check must cope with any pair among
en, es, ca, fr, de, it, pt, ru, uk (and not crash on anything else), so tokens are Unicode
letter/digit runs rather than anything a per-language tokenizer would produce.
"""

from __future__ import annotations

import re

from babelwire.translate.abbreviations import normalize_lang

# Languages that write elisions as "l'", "n'", "d'", "qu'": the apostrophe ends a word there,
# while in English it sits inside one ("don't", "Biden's").
_ELIDING = frozenset({"fr", "ca", "it", "pt"})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def lang_code(lang: str) -> str:
    """'pt-BR', ' EN ' -> 'pt', 'en'; never raises (junk comes back lower-cased)."""
    try:
        return normalize_lang(lang or "")
    except Exception:  # an odd object as a language code must not stop the review
        return ""


def tokens(text: str, lang: str, *, lower: bool = True) -> list[str]:
    """Words and numbers of `text` (lower-cased unless asked not to), elisions split off
    ("n'est" -> "n'", "est"). Apostrophes are normalised to ASCII so cue lists need one spelling.
    """
    plain = text.translate(_APOSTROPHES)
    if lower:
        plain = plain.lower()
    if lang_code(lang) in _ELIDING:
        return [t for part in _TOKEN.findall(plain) for t in _split_elision(part)]
    return _TOKEN.findall(plain)


def _split_elision(token: str) -> list[str]:
    head, sep, rest = token.partition("'")
    return [head + sep, rest] if sep and len(head) <= 3 and rest else [token]


def word_set(words: str) -> frozenset[str]:
    """A frozenset from a whitespace-separated list: how the checks write their word lists."""
    return frozenset(words.split())


def letter_count(text: str) -> int:
    """How many letters (any script) `text` holds: the measure of "enough text to judge"."""
    return len(_LETTER.findall(text))


def has_text(text: str) -> bool:
    """Does the segment hold any letter or digit (as opposed to being empty or punctuation)?"""
    return any(char.isalnum() for char in text)
