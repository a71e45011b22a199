"""An entry's categories (RSS <category>, Atom <category term>, JSON Feed tags, news:keywords).

Editorial filter rules match them (`block category:horoscopo`) and items.categories stores
them one per line, so each is one line of collapsed whitespace; a feed that sends hundreds, or
whole paragraphs, gets the first few, cut short.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_CATEGORIES = 20
MAX_CATEGORY_LENGTH = 100


def clean_categories(values: Iterable[object]) -> tuple[str, ...]:
    """Distinct non-empty categories in feed order (compared without case), each one line and bounded."""
    found: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            continue
        text = " ".join(value.split())[:MAX_CATEGORY_LENGTH].strip()
        if text and text.casefold() not in found:
            found[text.casefold()] = text
            if len(found) >= MAX_CATEGORIES:
                break
    return tuple(found.values())


def keyword_list(text: str | None) -> tuple[str, ...]:
    """news:keywords, a comma-separated list ("Puerto, Economía")."""
    return clean_categories((text or "").split(","))
