"""Translate a whole document: block by block, sentence by sentence, markup and tokens kept.

Each block's inline HTML is cut into sentences on the segmenter's text offsets (tags that
span two sentences are closed and reopened), every sentence is protected, all sentences
of the document go to the translator in one batch, and the blocks are put back together
with whatever stood between the sentences (spaces, line breaks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from itertools import pairwise

from babelwire.domain import Document, SentencePair, TranslatedBlock, Translation
from babelwire.translate.engine import TranslationError
from babelwire.translate.glossary import Glossary
from babelwire.translate.inline import parse_inline, slice_html, to_text
from babelwire.translate.protect import Protected, protect
from babelwire.translate.translator import Translator, Usage

SpanFunction = Callable[[str, str], list[tuple[int, int]]]


@dataclass(frozen=True)
class SegmentedBlock:
    """A block as sentences plus the HTML around and between them: len(gaps) == len(sentences) + 1."""

    sentences: tuple[str, ...]
    gaps: tuple[str, ...]

    def assemble(self, sentences: tuple[str, ...] | list[str]) -> str:
        parts = [self.gaps[0]]
        for sentence, gap in zip(sentences, self.gaps[1:], strict=True):
            parts.extend((sentence, gap))
        return "".join(parts).strip()


def default_spans(text: str, lang: str) -> list[tuple[int, int]]:
    from babelwire.translate.segmenter import sentence_spans

    spans: list[tuple[int, int]] = sentence_spans(text, lang)
    return spans


def segment_block(html: str, lang: str, spans: SpanFunction = default_spans) -> SegmentedBlock:
    if "<" not in html:  # no markup: cut the text directly (most paragraphs)
        text = unescape(html)
        cuts = _cuts(text, lang, spans)
        bounds = [0, *(edge for cut in cuts for edge in cut), len(text)]
        pieces = [escape(text[a:b], quote=False) for a, b in pairwise(bounds)]
        return SegmentedBlock(tuple(pieces[1::2]), tuple(pieces[0::2]))
    inline = parse_inline(html)
    cuts = _cuts(inline.text, lang, spans)
    sentences, gaps, cursor = [], [], 0
    for start, end in cuts:
        gaps.append(slice_html(inline, cursor, start, voids_only=True))
        sentences.append(slice_html(inline, start, end))
        cursor = end
    gaps.append(slice_html(inline, cursor, len(inline.text), voids_only=True))
    return SegmentedBlock(tuple(sentences), tuple(gaps))


def _cuts(text: str, lang: str, spans: SpanFunction) -> list[tuple[int, int]]:
    """The sentence spans of `text`; the whole text as one sentence when the segmenter finds none."""
    return spans(text, lang) or ([(0, len(text))] if text.strip() else [])


def translate_document(
    document: Document,
    source_lang: str,
    target_lang: str,
    translator: Translator,
    *,
    glossary: Glossary | None = None,
    spans: SpanFunction = default_spans,
) -> tuple[Translation, Usage]:
    """The document in `target_lang`, and what it cost (memory hits, sentences sent to engines)."""
    if not document.blocks:
        raise TranslationError("translate", "empty_document", "the document has no text to translate")
    title = protect(escape(document.title, quote=False), source_lang, target_lang, glossary)
    blocks = [segment_block(block.html, source_lang, spans) for block in document.blocks]
    sentences: list[Protected] = [title]
    for block in blocks:
        sentences.extend(protect(s, source_lang, target_lang, glossary) for s in block.sentences)
    result = translator.translate(sentences, source_lang, target_lang)
    translated = list(result.html[1:])
    out_blocks = []
    for source_block, segmented in zip(document.blocks, blocks, strict=True):
        count = len(segmented.sentences)
        pairs = tuple(
            SentencePair(s, t) for s, t in zip(segmented.sentences, translated[:count], strict=True)
        )
        out_blocks.append(
            TranslatedBlock(
                kind=source_block.kind,
                html=segmented.assemble(translated[:count]),
                source_html=source_block.html,
                sentences=pairs,
            )
        )
        translated = translated[count:]
    translation = Translation(
        document_key=document.key,
        source_lang=source_lang,
        target_lang=target_lang,
        engine=result.engine,
        model_version=result.model_version,
        title=" ".join(to_text(result.html[0]).split()),
        blocks=tuple(out_blocks),
        pivot_lang=result.pivot,
    )
    return translation, result.usage
