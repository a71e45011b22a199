"""What an article is about, as weighted terms: words, names and numbers.

Articles are compared in a common language (the translations babelwire makes anyway), so the
words are those of one of the site's languages. Names (capitalized words inside a sentence)
and numbers are kept as terms of their own besides: they survive translation nearly untouched
and are what tells two look-alike events apart (two earthquakes, two rehab stays).
When the common-language text is a translation, the names and numbers come from the source text
instead, as the reporter wrote them: a translation reorders and translates names (the Betty Ford
Center came back from Apertium's Spanish as "Centre of Ford of Betty" in benchmarks/stories.py).
Written by hand, not with a stemmer library: a prefix of 7 characters is stemming enough for
news words in every language the site may have, and costs nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict

STEM = 7
NAME_WEIGHT = 2.0
NUMBER_WEIGHT = 2.0
TITLE_WEIGHT = 2.0

Terms = dict[str, float]  # term -> weighted count

WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

# The commonest function words of the site languages babelwire ships engines for; the weights
# (inverse document frequency) discount the rest.
FUNCTION_WORDS = """
a an and are as at be been but by for from had has have he her his i in is it its not of on or
our she that the their them they this to was we were which who will with would you said says
el la los las un una unos unas y o de del al en con por para que se su sus es son fue ha han lo le
les como más pero sin sobre entre ya muy también dijo
i els les un una uns unes amb per que es seu seva seus va van ha han com més però sense sobre
entre ja molt també va dir
le la les un une des et ou de du au aux en avec pour par que qui se sa son ses est sont été a ont
ce cette il elle ils sur dans pas plus mais
der die das ein eine und oder von zu mit für auf ist sind war hat haben nicht im den dem des sich
er sie es auch wie als aus bei nach
"""
STOPWORDS = frozenset(FUNCTION_WORDS.split())


MARKS = ("@", "#")  # the prefixes of name and number terms


def story_terms(title: str, text: str, source: tuple[str, str] | None = None) -> Terms:
    """Term counts of an article: word stems, `@name`s and `#number`s; the title counts extra.

    `source` is the original (title, text) when `title` and `text` are its translation: the
    words come from the translation, the names and numbers from the original.
    """
    if source is None:
        return _counted(title, text)
    return _counted(title, text, marks=False) | _counted(*source, words=False)


def _counted(title: str, text: str, *, words: bool = True, marks: bool = True) -> Terms:
    """The counts of the word stems (`words`), and of the names and numbers (`marks`)."""
    counts: defaultdict[str, float] = defaultdict(float)
    for part, weight in ((title, TITLE_WEIGHT), (text, 1.0)):
        for sentence in SENTENCE.split(part):
            for position, token in enumerate(WORD.findall(sentence)):
                lower = token.lower()
                if len(lower) < 2 or lower in STOPWORDS:
                    continue
                if token[0].isdigit():
                    if marks:
                        counts["#" + lower] += NUMBER_WEIGHT * weight
                    continue
                if words:
                    counts[lower[:STEM]] += weight
                if marks and token[0].isupper() and position > 0:
                    counts["@" + lower] += NAME_WEIGHT * weight
    return dict(counts)
