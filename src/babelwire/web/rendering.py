"""Jinja2 environment. Foreign text is never marked safe as it is: block HTML goes through
the extract/ allow-list again on the way out (engines are third parties too), and a foreign
URL becomes an href only when it is http(s). `block_body` is how every page, feed and the API
write a translated block: a sentence the automated editor withheld is shown in the original
language, marked as such.

UI strings go through `_()` / `_n()`, which pick the catalog from the page's `lang`
(see i18n.py); dates are written the same way.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from babelwire.domain import BlockKind, SentencePair, TranslatedBlock
from babelwire.extract.sanitize import sanitize_inline
from babelwire.web import i18n
from babelwire.web.dates import iso_datetime

log = logging.getLogger("babelwire.web")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TEMPLATES = Path(__file__).with_name("templates")

LANGUAGE_NAMES = {
    "ar": "العربية", "ca": "Català", "de": "Deutsch", "en": "English", "es": "Español", "fr": "Français",
    "it": "Italiano", "pt": "Português", "ru": "Русский", "uk": "Українська", "gl": "Galego", "eu": "Euskara",
}  # fmt: skip

BLOCK_TAGS = {
    BlockKind.HEADING: "h2",
    BlockKind.PARAGRAPH: "p",
    BlockKind.QUOTE: "blockquote",
    BlockKind.LIST_ITEM: "li",
    BlockKind.CAPTION: "figcaption",
}


def inline_html(fragment: str) -> Markup:
    return Markup(sanitize_inline(fragment))  # noqa: S704 - sanitized by the allow-list just above


WITHHELD_TITLE = "Translation withheld by the automated editor: {finding}"
WITHHELD_MARK = "[original]"


def withheld_html(pair: SentencePair, source_lang: str, lang: str) -> Markup:
    """A withheld sentence: the original, sanitized, in a marked span in its own language, then a
    visible mark in the reader's language (the span's title says what the editor found)."""
    title = i18n.translate(lang, WITHHELD_TITLE, finding=pair.withheld)
    mark = i18n.translate(lang, WITHHELD_MARK)
    return Markup(
        '<span class="withheld" lang="{}" title="{}">{}</span> <small class="withheld-mark">{}</small>'
    ).format(source_lang, title, inline_html(pair.source_html), mark)


def block_body(block: TranslatedBlock, source_lang: str, lang: str) -> Markup:
    """A translated block's inline HTML, sanitized. A block with a withheld sentence is rebuilt from
    its sentences (each through the allow-list), the withheld ones in the original, marked."""
    if not any(pair.withheld for pair in block.sentences):
        return inline_html(block.html)
    return Markup(" ").join(
        withheld_html(pair, source_lang, lang) if pair.withheld else inline_html(pair.target_html)
        for pair in block.sentences
    )


def withheld_count(blocks: tuple[TranslatedBlock, ...] | list[TranslatedBlock]) -> int:
    return sum(1 for block in blocks for pair in block.sentences if pair.withheld)


def format_date(value: datetime | None) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def _lang(context: Context) -> str:
    lang = context.get("lang")
    return lang if isinstance(lang, str) else i18n.FALLBACK


@pass_context
def local_date(context: Context, value: datetime | None) -> str:
    """`02 Mar 2026, 09:15 UTC`, with the month in the page's language (no OS locale involved)."""
    if value is None:
        return ""
    month = i18n.gettext(_lang(context), MONTHS[value.month - 1])
    return f"{value.day:02d} {month} {value.year}, {value:%H:%M} UTC"


@pass_context
def gettext(context: Context, message: str, /, **values: object) -> Markup:
    return i18n.translate(_lang(context), message, **values)


@pass_context
def ngettext(context: Context, singular: str, plural: str, count: int, /, **values: object) -> Markup:
    return i18n.translate_plural(_lang(context), singular, plural, count, **values)


@pass_context
def decimal(context: Context, value: float, places: int = 2) -> str:
    return i18n.format_decimal(_lang(context), value, places)


@pass_context
def page_block_body(context: Context, block: TranslatedBlock | None, source_lang: str) -> Markup:
    """`block_body` in the page's language; nothing for no block."""
    return block_body(block, source_lang, _lang(context)) if block is not None else Markup("")


def safe_url(value: str | None) -> str:
    """The URL when it is a web link, else "": a feed can claim `javascript:` as its site URL."""
    return value if value and web_url(value.strip()) else ""


@pass_context
def feed_links(
    context: Context, lang: str, source_id: int | None = None, source_name: str | None = None
) -> list[tuple[str, str, str]]:
    """(type, title, href) of the feeds to announce; web/feeds.py decides, when it can."""
    settings = context.get("settings")
    provider = optional_function("babelwire.web.feeds", "feed_links")
    if settings is not None and provider is not None:
        try:
            extra: dict[str, Any] = {"source_name": source_name} if source_name else {}
            links: list[tuple[str, str, str]] = provider(settings, lang, source_id, **extra)
            return links
        except Exception:  # a broken feed list must not take every page down
            log.exception("feed_links failed")
    title = f"{context.get('site_title', '')} ({language_name(lang)})"
    return [("application/rss+xml", title, f"/{lang}/feed.rss")]


def optional_function(module: str, name: str) -> Callable[..., Any] | None:
    """A function another part of the web app may not provide yet (it lands separately)."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return found if callable(found) else None


def web_url(url: str | None) -> str | None:
    """The URL if it is a web link (http or https), else None: original and source URLs are
    third-party data, and only web links may become hrefs, feed links or JSON-LD URLs."""
    try:
        return url if url and urlsplit(url).scheme.lower() in ("http", "https") else None
    except ValueError:
        return None


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline_html"] = inline_html
    env.filters["date"] = local_date
    env.filters["decimal"] = decimal
    env.filters["safe_url"] = safe_url
    env.filters["isodate"] = iso_datetime
    env.filters["language_name"] = language_name
    env.globals["block_tag"] = lambda kind: BLOCK_TAGS.get(BlockKind(kind), "p")
    env.globals["block_body"] = page_block_body
    env.globals["_"] = gettext
    env.globals["_n"] = ngettext
    env.globals["feed_links"] = feed_links
    return env
