"""Jinja2 environment. Foreign text is never marked safe as it is: block HTML goes through
the extract/ allow-list again on the way out (engines are third parties too)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from babelwire.domain import BlockKind
from babelwire.extract.sanitize import sanitize_inline

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


def format_date(value: datetime | None) -> str:
    return value.strftime("%d %b %Y, %H:%M UTC") if value else ""


def iso_date(value: datetime | None) -> str:
    return value.isoformat() if value else ""


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
    env.filters["date"] = format_date
    env.filters["isodate"] = iso_date
    env.filters["language_name"] = language_name
    env.globals["block_tag"] = lambda kind: BLOCK_TAGS.get(BlockKind(kind), "p")
    return env
