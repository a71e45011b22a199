"""`babelwire segment`: see where babelwire cuts a text into the sentences it translates."""

from __future__ import annotations

import re
import sys
from typing import Annotated

import typer

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def segment_command(
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Language of the text (ISO 639-1, e.g. es; 'pt-BR' works too). "
            "Languages without their own rules get the English ones.",
        ),
    ],
) -> None:
    """Split stdin into sentences and print one per line; a blank line separates paragraphs.

    Blank lines in the input separate paragraphs. A sentence that spans several input lines
    is printed on one line, its whitespace collapsed, so the output stays one sentence a line.
    """
    from babelwire.translate.segmenter import split_sentences

    paragraphs = [p for p in _PARAGRAPH_BREAK.split(sys.stdin.read()) if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        if number:
            typer.echo("")
        for sentence in split_sentences(paragraph, lang):
            typer.echo(" ".join(sentence.split()))
