"""The made-up text of benchmarks/web_store.py's articles: the same sentences in en, es and ca.

Each language has a vocabulary of CONCEPTS words (its commonest function words, then syllable words);
a sentence is a Zipf-drawn list of concepts, so sentence i of the pool means the same in every language
and a translation is the same sentence ids in another language. That makes the sizes real (titles of
8-12 words, sentences of 8-22, some <strong>, links and numbers) and what a search finds known: a word
of rank r is in a predictable share of the articles (search_terms).
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass

VERSION = 1  # part of the cached store's name: bump when the text or the rows change
LANGUAGES = ("en", "es", "ca")
CONCEPTS, POOL, TITLES, HEADINGS = 6000, 24_000, 8000, 2000
# Ranks of the concepts searched for (Zipf: the lower, the more articles have it): ~25%, ~8%, ~2%, ~1%.
SEARCH_RANKS = (300, 1000, 3500, 5500)
FUNCTION_WORDS = {
    "es": "de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ya "
    "o este porque esta entre cuando muy sin sobre también hasta hay donde quien desde todo durante",
    "ca": "de la que el i a els es en del les un per amb no una seva per al ho com més però seus li ja "
    "o aquest perquè aquesta entre quan molt sense sobre també fins hi on qui des tot durant",
    "en": "the of and to a in is that for on with as by at from it was are be this have has an not or "
    "which but were they their been its after more who will also one had would about than into",
}
SYLLABLES = {
    "es": "ca lo ma ri te sa no de ra mi to ve la pe di ro que ción tu go ña ble ven cia sol mar dor al en",
    "ca": "ca lo ma ri te sa no de ra mi tot ve la pe di ro què ció tu gui ny ble ven cia sol mar dor al ell",
    "en": "ba ter ing so an com pro ment ly er tion con re st ow ay ight per al ver ex port land wood ford",
}


@dataclass(frozen=True)
class Text:
    """The sentence, title and heading pools in every language (index i: one meaning)."""

    sentences: dict[str, list[str]]  # inline HTML
    plain: dict[str, list[str]]
    titles: dict[str, list[str]]
    headings: dict[str, list[str]]
    vocabulary: dict[str, list[str]]
    encoded: dict[str, list[str]]  # the sentences as JSON string contents (json.dumps without quotes)
    encoded_plain: dict[str, list[str]]
    encoded_headings: dict[str, list[str]]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _vocabulary(lang: str) -> list[str]:
    rng = random.Random(f"vocabulary-{lang}-{VERSION}")
    words = FUNCTION_WORDS[lang].split()
    syllables = SYLLABLES[lang].split()
    seen = set(words)
    while len(words) < CONCEPTS:
        word = "".join(rng.choices(syllables, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def make_text() -> Text:
    """Sentences of 8-22 Zipf-drawn concepts, with some <strong>, links and numbers, in each language."""
    rng = random.Random(f"text-{VERSION}")
    vocabulary = {lang: _vocabulary(lang) for lang in LANGUAGES}
    cumulative = list(itertools.accumulate(1 / rank for rank in range(1, CONCEPTS + 1)))
    concepts = range(CONCEPTS)

    def draw(low: int, high: int) -> list[int]:
        return rng.choices(concepts, cum_weights=cumulative, k=rng.randint(low, high))

    def plan(low: int, high: int) -> tuple[list[int], int, int]:
        # (concepts, index of a word to mark up, kind: 0 none, 1 strong, 2 link), the same in every language
        words = draw(low, high)
        return words, rng.randrange(len(words)), rng.choices((0, 1, 2), (85, 10, 5))[0]

    sentences: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    plain: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for _ in range(POOL):
        words, marked, markup = plan(8, 22)
        number = rng.randint(2, 999) if rng.random() < 0.15 else None
        for lang in LANGUAGES:
            tokens = [vocabulary[lang][c] for c in words]
            tokens[0] = tokens[0].capitalize()
            if number is not None:
                tokens.insert(
                    len(tokens) // 2, f"{number / 10:.1f}".replace(".", "," if lang != "en" else ".")
                )
            plain[lang].append(" ".join(tokens) + ".")
            if markup == 1:
                tokens[marked] = f"<strong>{tokens[marked]}</strong>"
            elif markup == 2:
                tokens[marked] = (
                    f'<a href="https://www.example.org/{lang}/{tokens[marked]}">{tokens[marked]}</a>'
                )
            sentences[lang].append(" ".join(tokens) + ".")
    titles: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    headings: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for pool, count, low, high in ((titles, TITLES, 8, 12), (headings, HEADINGS, 3, 6)):
        for _ in range(count):
            words = draw(low, high)
            for lang in LANGUAGES:
                pool[lang].append(" ".join(vocabulary[lang][c] for c in words).capitalize())

    def encode(pool: dict[str, list[str]]) -> dict[str, list[str]]:
        return {lang: [_json(entry)[1:-1] for entry in entries] for lang, entries in pool.items()}

    return Text(
        sentences, plain, titles, headings, vocabulary, encode(sentences), encode(plain), encode(headings)
    )


def search_terms(vocabulary: dict[str, list[str]]) -> dict[str, list[str]]:
    """Queries per language that find articles: single words of several frequencies, and a pair."""
    terms = {}
    for lang, words in vocabulary.items():
        singles = [words[rank - 1] for rank in SEARCH_RANKS]
        terms[lang] = [*singles, f"{singles[0]} {singles[1]}"]
    return terms
