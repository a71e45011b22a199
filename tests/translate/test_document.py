from __future__ import annotations

import shutil

import pytest

from babelwire.domain import Block, BlockKind, Document
from babelwire.translate.document import translate_document
from babelwire.translate.engine import TranslationError
from babelwire.translate.engines.apertium import ApertiumEngine

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa")

DOCUMENT = Document(
    url="https://diario.example/a",
    title="El puerto & la ciudad",
    blocks=(
        Block(BlockKind.PARAGRAPH, "El puerto creció un <strong>12 %</strong>.", "El puerto creció un 12 %."),
        Block(BlockKind.HEADING, "Nuevas obras", "Nuevas obras"),
        Block(BlockKind.LIST_ITEM, "Un muelle nuevo", "Un muelle nuevo"),
    ),
    language="es",
)


def test_document_translation_keeps_structure_and_provenance() -> None:
    translation = translate_document(DOCUMENT, "es", "en", ApertiumEngine())
    assert translation.title == "The port & the city"
    assert [b.kind for b in translation.blocks] == [b.kind for b in DOCUMENT.blocks]
    assert "<strong>12" in translation.blocks[0].html and "%" in translation.blocks[0].html
    assert translation.blocks[0].source_html == DOCUMENT.blocks[0].html
    assert translation.engine == "apertium"
    assert translation.model_version.startswith("apertium-eng-spa")
    assert translation.document_key == DOCUMENT.key
    assert translation.key == translate_document(DOCUMENT, "es", "en", ApertiumEngine()).key


def test_empty_document_is_refused() -> None:
    empty = Document(url="https://diario.example/b", title="Nada", blocks=())
    with pytest.raises(TranslationError):
        translate_document(empty, "es", "en", ApertiumEngine())
