"""The stages of the flow as plain functions: domain value in, domain value out.

Network stages are coroutines taking the runner's Fetcher (polling is in pipeline/polling.py);
CPU stages are plain functions a runner may put on a thread or process pool. None of them
touch the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from babelwire.domain import Document, Page, SentencePair, Source, TranslatedBlock, Translation
from babelwire.errors import BabelwireError
from babelwire.extract import extract_document
from babelwire.fetch.pages import HTML_TYPES, page_from_result
from babelwire.review.editor import Decision, Verdict
from babelwire.review.policy import ReviewPolicy
from babelwire.review.repair import Reviewed, review_and_repair
from babelwire.sources.index_page import HTML_ACCEPT
from babelwire.sources.poll import Getter
from babelwire.translate.clauses import clause_halves
from babelwire.translate.document import translate_document
from babelwire.translate.engine import TranslationError
from babelwire.translate.glossary import Glossary, GlossaryEntry
from babelwire.translate.inline import to_text
from babelwire.translate.protect import protect
from babelwire.translate.translator import Translator, Usage

ORIGINAL_ENGINE = "original"


class StageError(BabelwireError):
    """A stage-level failure that is not an I/O error: e.g. an unknown article language."""


async def fetch_page(getter: Getter, url: str) -> Page:
    """Fetch an article page through the runner's Fetcher; anything but HTML is refused before its body."""
    result = await getter.get(url, accept=HTML_ACCEPT, allowed_types=HTML_TYPES)
    return page_from_result(result)


def document_language(document: Document, source: Source) -> str:
    """The detected language, else the one configured on the source: never a guess."""
    language = document.language or source.language
    if not language:
        raise StageError(
            "unknown_language",
            "could not tell the article's language; set `language` on the source to fix it",
        )
    return language.split("-")[0].lower()


def glossary_for(
    entries: Sequence[GlossaryEntry], source: Source, source_lang: str, target_lang: str
) -> Glossary:
    return Glossary.for_pair(entries, source_lang, target_lang, source=(source.name, source.url))


def translate_article(
    document: Document,
    source: Source,
    source_lang: str,
    target_lang: str,
    translator: Translator,
    glossary_entries: Sequence[GlossaryEntry] = (),
) -> tuple[Translation, Usage]:
    """Translate into `target_lang`; an article already in that language is published as it is."""
    if source_lang == target_lang:
        original = Translation(
            document_key=document.key,
            source_lang=source_lang,
            target_lang=target_lang,
            engine=ORIGINAL_ENGINE,
            model_version="-",
            title=document.title,
            blocks=tuple(
                TranslatedBlock(
                    kind=b.kind, html=b.html, source_html=b.html, sentences=(SentencePair(b.html, b.html),)
                )
                for b in document.blocks
            ),
        )
        return original, Usage()
    glossary = glossary_for(glossary_entries, source, source_lang, target_lang)
    return translate_document(document, source_lang, target_lang, translator, glossary=glossary)


__all__ = [
    "document_language",
    "extract_document",
    "fetch_page",
    "glossary_for",
    "review_article",
    "translate_article",
]


def review_article(
    document: Document,
    translation: Translation,
    policy: ReviewPolicy,
    translator: Translator,
    glossary: Glossary | None = None,
) -> Reviewed:
    """The automated editor's verdict, after it re-translated what it flagged (review/repair.py).

    With `round_trip`, the reverse pair translates the target back for the round-trip check."""
    if translation.engine == ORIGINAL_ENGINE:
        return Reviewed(Verdict(Decision.PUBLISH, 1.0, ()), translation)
    source_lang, target_lang = translation.source_lang, translation.target_lang
    back = None
    if policy.round_trip:

        def back(texts: Sequence[str]) -> list[str]:
            protected = [protect(escape(text, quote=False), target_lang, source_lang) for text in texts]
            result = translator.translate(protected, target_lang, source_lang)
            return [to_text(html) for html in result.html]

    def retranslate(source_html: str) -> list[tuple[str, str]]:
        tries = translator.alternatives(protect(source_html, source_lang, target_lang, glossary),
                                        source_lang, target_lang)  # fmt: skip
        halves = clause_halves(source_html, source_lang)
        if halves:
            parts = [protect(half, source_lang, target_lang, glossary) for half in halves]
            try:
                joined = " ".join(translator.translate(parts, source_lang, target_lang).html)
                tries.append(("split at a clause", joined))
            except TranslationError:
                pass  # the routes failing is the first translation's business, recorded there
        return tries

    return review_and_repair(document.title, translation, policy, retranslate, back)
