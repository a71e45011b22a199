"""Text helpers shared by the review checks: one place for unescaping, folding and token masking.

Checks compare a source sentence with its translation in another language and often another
script, so words are compared in a folded form (lower case, no accents, Cyrillic spelled in
Latin letters) and machine-readable tokens (URLs, e-mail addresses, handles, hashtags) are
masked before looking for numbers, names or quotes inside them. The token patterns are the
ones the translation core protects (`translate/protect.py`), so review and translation agree
on what a URL is.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterator

from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity
from babelwire.translate.protect import TOKEN_PATTERNS

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")
_TOKEN_KINDS = ("url", "email", "handle", "hashtag")
TOKEN_REGEX: dict[str, re.Pattern[str]] = {
    kind: re.compile(regex) for kind, regex in TOKEN_PATTERNS if kind in _TOKEN_KINDS
}
_ANY_TOKEN = re.compile("|".join(f"(?:{regex})" for kind, regex in TOKEN_PATTERNS if kind in _TOKEN_KINDS))

# Russian and Ukrainian letters in Latin, close enough to compare names ("Путин" ~ "Putin").
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
_TRANSLIT = str.maketrans(_CYRILLIC)


def plain(text: str) -> str:
    """`text` with HTML entities decoded and odd spaces made plain: engines and extractors leave both."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    return _SPACES.sub(" ", text)


def mask_tokens(text: str) -> str:
    """`text` with URLs, e-mail addresses, handles and hashtags blanked out (same length)."""
    if not any(c in text for c in "@#/.") or not text:
        return text
    return _ANY_TOKEN.sub(lambda m: " " * len(m.group(0)), text)


@functools.lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lower case, without accents, Cyrillic transliterated: "Путина" -> "putina", "Japón" -> "japon"."""
    lowered = word.lower().translate(_TRANSLIT)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def pairs(context: ReviewContext) -> Iterator[SegmentPair]:
    """The pairs worth checking: those with a translation.

    An empty translation is a dropped sentence, or one merged into its neighbour's translation:
    the length check reports both, and there is nothing else to see in it.
    """
    for pair in context.pairs:
        if (pair.target or "").strip():
            yield pair


def merged_sources(context: ReviewContext, pair: SegmentPair) -> str:
    """The sources of the neighbours of `pair` that have no translation: it may hold theirs too."""
    position = context.pairs.index(pair)
    neighbours = context.pairs[max(0, position - 1) : position] + context.pairs[position + 1 : position + 2]
    return " ".join(n.source or "" for n in neighbours if not (n.target or "").strip())


def finding(check: str, pair: SegmentPair, severity: Severity, message: str) -> Finding:
    return Finding(segment=pair.index, check=check, severity=severity, message=message)


def quoted(text: str, limit: int = 60) -> str:
    """A piece of text for a message: in double quotes, shortened when long."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def listing(items: list[str]) -> str:
    """ "a", "b" and "c" — for messages naming several things."""
    shown = [quoted(item) for item in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
