"""UI strings in the page's language: a tiny JSON catalog per language, English as the fallback.

Message ids are the English text itself (gettext style), so a template stays readable and a
missing translation degrades to English rather than to a key. `locales/en.json` lists every
message id (tests check the templates and every other catalog against it); adding a language is
copying it to `locales/<code>.json` and translating the values, keeping the `{placeholders}`.
A regional code (`pt-BR`) without its own catalog uses its language's (`pt`), then English; a
site language with neither is named by `missing_catalog_warning` (the app's log, the doctor).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def fallback_chain(language: str) -> tuple[str, ...]:
    """The catalogs a page in `language` reads, in order: its own, its base language's, English."""
    base = language.split("-")[0]
    return tuple(dict.fromkeys((language, base, FALLBACK)))


def gettext(language: str, message: str) -> str:
    """`message` in `language` (or its base language), else in English, else as written."""
    for code in fallback_chain(language):
        translated = catalog(code).get(message)
        if translated:
            return translated
    return message


def languages_without_catalog(languages: Iterable[str]) -> list[str]:
    """Site languages whose pages would show English interface text: no catalog of their own or base."""
    return [
        language
        for language in dict.fromkeys(languages)
        if not any(catalog(code) for code in fallback_chain(language) if code != FALLBACK)
        and language.split("-")[0] != FALLBACK
    ]


def missing_catalog_warning(languages: Iterable[str]) -> str | None:
    """One line naming the site languages without interface strings and how to add them; None if none."""
    missing = languages_without_catalog(languages)
    if not missing:
        return None
    return (
        f"no interface strings for {', '.join(missing)}: pages in "
        f"{'that language' if len(missing) == 1 else 'those languages'} show English buttons and labels; "
        f"add them by copying {LOCALES / 'en.json'} to {LOCALES}/<code>.json and translating the values"
    )


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
