from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from babelwire.domain import Block, BlockKind, Document
from babelwire.translate.document import segment_block, translate_document
from babelwire.translate.engine import TranslationError
from babelwire.translate.inline import to_text
from babelwire.translate.memory import InMemoryMemory
from babelwire.translate.protect import protect
from babelwire.translate.router import Router
from babelwire.translate.translator import Translator

pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="apt-get install apertium-eng-spa")
FLORES = Path(__file__).resolve().parents[3] / "shared" / "data" / "flores-dev" / "flores.spa"


def block(html: str, kind: BlockKind = BlockKind.PARAGRAPH) -> Block:
    return Block(kind, html, to_text(html))


def apertium_translator() -> Translator:
    return Translator(Router({}, "apertium"), InMemoryMemory())


DOCUMENT = Document(
    url="https://diario.example/a",
    title="El puerto & la ciudad",
    blocks=(
        block(
            "El puerto creció un <strong>12,5 %</strong>. "
            'Lo dijo el Sr. García en <a href="https://x.es/">su web</a>.'
        ),
        block("Nuevas obras", BlockKind.HEADING),
        block("Un muelle de 1.200 metros", BlockKind.LIST_ITEM),
    ),
    language="es",
)


def test_block_is_cut_into_sentences_and_put_back_together() -> None:
    segmented = segment_block(DOCUMENT.blocks[0].html, "es")
    assert segmented.sentences == (
        "El puerto creció un <strong>12,5 %</strong>.",
        'Lo dijo el Sr. García en <a href="https://x.es/">su web</a>.',
    )
    assert segmented.assemble(list(segmented.sentences)) == DOCUMENT.blocks[0].html


@pytest.mark.parametrize("text", ["Uno &amp; dos.  Tres &lt;4&gt; &quot;x&quot;. ", "Sin punto", "   ", ""])
def test_plain_text_blocks_cut_like_blocks_with_markup(text: str) -> None:
    plain = segment_block(text, "es")  # no "<": the fast path
    marked = segment_block(text + "<br>", "es")  # the same text through the inline parser
    assert plain.sentences == marked.sentences
    assert plain.gaps[:-1] == marked.gaps[:-1] and plain.gaps[-1] + "<br>" == marked.gaps[-1]


def test_line_breaks_between_sentences_survive() -> None:
    segmented = segment_block("Primera frase.<br>Segunda frase.", "es")
    assert len(segmented.sentences) == 2
    assert segmented.assemble(["One.", "Two."]) == "One.<br>Two."


def test_document_translation_keeps_structure_numbers_and_provenance() -> None:
    translation, usage = translate_document(DOCUMENT, "es", "en", apertium_translator())
    assert translation.title == "The port & the city"
    assert [b.kind for b in translation.blocks] == [b.kind for b in DOCUMENT.blocks]
    first = translation.blocks[0].html
    assert "<strong>12.5" in first  # the number in English convention, inside its emphasis
    assert '<a href="https://x.es/">' in first and "Mr. García" in first
    assert "1,200" in translation.blocks[2].html
    assert translation.blocks[0].source_html == DOCUMENT.blocks[0].html
    assert translation.engine == "apertium" and translation.model_version.startswith("apertium-eng-spa")
    assert translation.document_key == DOCUMENT.key and translation.pivot_lang is None
    assert (usage.sentences, usage.lost_tokens) == (5, [])


TOPICS = ["el puerto", "la playa", "el mercado", "la escuela", "el hospital", "la biblioteca", "el museo",
          "la estación", "el parque", "la universidad"]  # fmt: skip
PARAGRAPHS = [
    f"El consejo aprobó el presupuesto para {topic}. La votación sobre {topic} terminó con 12 votos a favor. "
    f"La oposición pidió más tiempo para estudiar el plan de {topic}."
    for topic in TOPICS
]


def test_updated_article_sends_only_new_sentences() -> None:
    translator = apertium_translator()
    original = Document(
        url="u", title="El consejo vota", blocks=tuple(block(p) for p in PARAGRAPHS), language="es"
    )
    _, first = translate_document(original, "es", "en", translator)
    assert first.sent_to_engine == first.sentences == 31  # the title and 3 sentences a paragraph
    changed = list(PARAGRAPHS)
    changed[4] = (
        "El alcalde corrigió la cifra del acta. Eran catorce votos, no quince. Pidió disculpas al pleno."
    )
    updated = Document(
        url="u", title="El consejo vota", blocks=tuple(block(p) for p in changed), language="es"
    )
    _, second = translate_document(updated, "es", "en", translator)
    assert second.sent_to_engine / second.sentences <= 0.15
    assert second.memory_hits == 28


def test_empty_document_is_refused() -> None:
    with pytest.raises(TranslationError):
        translate_document(Document(url="u", title="Nada", blocks=()), "es", "en", apertium_translator())


@pytest.mark.skipif(not FLORES.exists(), reason="../shared/data/flores-dev not present")
def test_no_protected_token_is_lost_on_flores_dev() -> None:
    lines = [line.strip() for line in FLORES.read_text(encoding="utf-8").splitlines() if line.strip()]
    document = Document(
        url="flores", title="FLORES", blocks=tuple(block(p) for p in map(_html, lines)), language="es"
    )
    translation, usage = translate_document(document, "es", "en", apertium_translator())
    assert usage.lost_tokens == []
    checked = 0
    for source, target in zip(document.blocks, translation.blocks, strict=True):
        for sentence in segment_block(source.html, "es").sentences:
            for token in protect(sentence, "es", "en").tokens:
                assert _html(token.target) in target.html, (token, target.html)
                checked += 1
    assert checked > 150  # flores-dev has about 200 numbers, URLs and the like


def _html(text: str) -> str:
    return re.sub(r"&", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
