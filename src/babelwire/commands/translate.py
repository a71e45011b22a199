"""`babelwire translate`: text on stdin, translation on stdout (one paragraph per line)."""

from __future__ import annotations

import sys
from html import escape, unescape
from typing import Annotated

import typer

from babelwire.commands.common import fail, open_settings
from babelwire.translate.engine import TranslationError
from babelwire.translate.registry import get_engine


def translate_command(
    source_lang: Annotated[str, typer.Option("--from", help="Source language (ISO 639-1), e.g. es.")],
    target_lang: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1), e.g. en.")],
    engine_name: Annotated[
        str | None, typer.Option("--engine", help="Engine name; default: the one configured for the pair.")
    ] = None,
) -> None:
    """Translate plain text from stdin; each input line is translated and printed as one line."""
    settings = open_settings()
    name = engine_name or settings.engine_for(source_lang, target_lang)
    lines = sys.stdin.read().splitlines()
    try:
        engine = get_engine(name)
        translated = engine.translate([escape(line, quote=False) for line in lines], source_lang, target_lang)
    except TranslationError as exc:
        raise fail(exc.message) from exc
    for line in translated:
        typer.echo(unescape(line))
