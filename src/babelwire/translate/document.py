"""Translate a whole document: the title and every block, in one engine call."""

from __future__ import annotations

import re
from html import escape, unescape

from babelwire.domain import Document, TranslatedBlock, Translation
from babelwire.translate.engine import Engine, TranslationError


def translate_document(document: Document, source_lang: str, target_lang: str, engine: Engine) -> Translation:
    """Title and blocks go to the engine as one batch; block kinds and order are kept."""
    if not document.blocks:
        raise TranslationError(engine.name, "empty_document", "the document has no text to translate")
    segments = [escape(document.title, quote=False), *(block.html for block in document.blocks)]
    translated = engine.translate(segments, source_lang, target_lang)
    if len(translated) != len(segments):
        raise TranslationError(
            engine.name, "misaligned", f"engine returned {len(translated)} segments for {len(segments)}"
        )
    model_version = engine.model_version(source_lang, target_lang)
    return Translation(
        document_key=document.key,
        source_lang=source_lang,
        target_lang=target_lang,
        engine=engine.name,
        model_version=str(model_version),
        title=_plain_text(translated[0]),
        blocks=tuple(
            TranslatedBlock(kind=block.kind, html=html, source_html=block.html)
            for block, html in zip(document.blocks, translated[1:], strict=True)
        ),
    )


_TAG = re.compile(r"<[^>]*>")


def _plain_text(fragment: str) -> str:
    """Titles are stored as plain text: drop any markup the engine returned and decode entities."""
    return " ".join(unescape(_TAG.sub("", fragment)).split())
