"""UI strings in the page's language: a tiny JSON catalog per language, English as the fallback.

Message ids are the English text itself (gettext style), so a template stays readable and a
missing translation degrades to English rather than to a key. `locales/en.json` lists every
message id (tests check the templates against it); adding a language is copying it to
`locales/<code>.json` and translating the values, keeping the `{placeholders}`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

LOCALES = Path(__file__).with_name("locales")
FALLBACK = "en"
# Languages that write 0,94 rather than 0.94 (the rest of the site's numbers are integers).
DECIMAL_COMMA = frozenset({"ca", "de", "es", "eu", "fr", "gl", "it", "pt", "ru", "uk"})


@cache
def catalog(language: str) -> dict[str, str]:
    """The messages of one language; empty when there is no catalog for it."""
    path = LOCALES / f"{language}.json"
    if not language.replace("-", "").isalnum() or not path.is_file():  # a code, never a path
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(key): str(value) for key, value in data.items()}


def gettext(language: str, message: str) -> str:
    """`message` in `language`, else in English, else as written."""
    return catalog(language).get(message) or catalog(FALLBACK).get(message) or message


def translate(language: str, message: str, /, **values: object) -> Markup:
    """The translated message with `values` filled in, escaped (Markup values are kept as they are).

    The catalogs are our own text and never hold markup; `values` may be third-party text
    (a source name, a search query), which `Markup.format` escapes.
    """
    text = escape(gettext(language, message))
    return text.format(**values) if values else text


def translate_plural(language: str, singular: str, plural: str, count: int, /, **values: object) -> Markup:
    """Singular or plural by English rules (also right for Spanish, Catalan, French, German...)."""
    return translate(language, singular if count == 1 else plural, count=count, **values)


def format_decimal(language: str, value: float, places: int = 2) -> str:
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language.split("-")[0] in DECIMAL_COMMA else text
