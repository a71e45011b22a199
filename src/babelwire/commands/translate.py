"""`babelwire translate`: stdin to stdout through the whole translation core.

Segmentation, protection of numbers and links, the glossary, the translation memory and
the router (fallback, pivot) all apply, exactly as in the pipeline.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from html import escape
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from babelwire.domain import Block

from babelwire.commands.common import err_console, fail, open_settings, open_store


class InputFormat(StrEnum):
    text = "text"
    html = "html"


def translate_command(
    source_lang: Annotated[str, typer.Option("--from", help="Source language (ISO 639-1), e.g. es.")],
    target_lang: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1), e.g. en.")],
    engine_name: Annotated[
        str | None, typer.Option("--engine", help="Use this engine only; default: the configured routing.")
    ] = None,
    input_format: Annotated[
        InputFormat, typer.Option("--format", help="text, or html (inline markup such as links is kept).")
    ] = InputFormat.text,
    lines: Annotated[
        bool, typer.Option("--lines", help="Every input line is a document; exactly one output line each.")
    ] = False,
    memory: Annotated[
        bool, typer.Option("--memory/--no-memory", help="Use the translation memory in the configured store.")
    ] = True,
) -> None:
    """Translate stdin to stdout. Paragraphs are separated by blank lines (or see --lines)."""
    from babelwire.domain import Document
    from babelwire.translate.document import translate_document
    from babelwire.translate.engine import TranslationError
    from babelwire.translate.glossary import Glossary
    from babelwire.translate.inline import to_text
    from babelwire.translate.memory import InMemoryMemory, Memory, StoreMemory
    from babelwire.translate.router import Router
    from babelwire.translate.translator import Translator

    settings = open_settings()
    if engine_name:
        settings = settings.model_copy(update={"engines": {"*": [engine_name]}, "pivot_language": None})
    store_memory: Memory = StoreMemory(open_store(settings)) if memory else InMemoryMemory()
    translator = Translator(Router.from_settings(settings), store_memory)
    glossary = Glossary.for_pair(settings.glossary, source_lang, target_lang)
    raw = sys.stdin.read()
    # --lines: one document per line; otherwise paragraphs separated by blank lines. All go to
    # the engine in one batch (sentences are translated independently either way).
    units = raw.splitlines() if lines else [" ".join(p.split()) for p in raw.split("\n\n")]
    filled = [unit for unit in units if unit.strip()]
    rendered: list[str] = []
    if filled:
        document = Document(url="stdin:", title="", blocks=tuple(_block(u, input_format) for u in filled))
        try:
            translation, usage = translate_document(
                document, source_lang, target_lang, translator, glossary=glossary
            )
        except TranslationError as exc:
            raise fail(
                exc.message, "check `babelwire config` for the engines configured for this pair"
            ) from exc
        if usage.lost_tokens:
            err_console.print(
                f"[yellow]warning:[/] the engine lost {usage.lost_tokens}; "
                "they are missing from the translation (the automated editor sees it)"
            )
        rendered = [
            b.html if input_format == InputFormat.html else to_text(b.html) for b in translation.blocks
        ]
    answers = iter(rendered)
    outputs = [" ".join(next(answers).split()) if unit.strip() else "" for unit in units]
    if lines:
        typer.echo("\n".join(outputs))
    else:
        typer.echo("\n\n".join(o for o in outputs if o))


def _block(paragraph: str, input_format: InputFormat) -> Block:
    from babelwire.domain import Block, BlockKind
    from babelwire.extract.sanitize import sanitize_inline
    from babelwire.translate.inline import to_text

    html = sanitize_inline(paragraph) if input_format == InputFormat.html else escape(paragraph, quote=False)
    return Block(BlockKind.PARAGRAPH, html, to_text(html))
