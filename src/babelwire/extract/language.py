"""Language identification for extracted articles.

py3langid rather than lingua: its model is a few megabytes and loads in under a second,
classification is fast and deterministic (same text -> same answer, which idempotent
stages need), and it runs anywhere numpy does. lingua is more accurate on very short
strings, but it loads hundreds of megabytes of models per process, which a batch pool or a
small self-hosted box pays for on every start.

A page's declared language (<html lang>, Content-Language, og:locale) is a hint, not the
truth: CMS templates often declare the site's default language for every article. So the
body text wins when it is long enough and the classifier is confident; for short text,
where statistical identification is unreliable, the declaration wins.
"""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Below this many letters, trust the page's declaration over the classifier.
MIN_DETECT_CHARS = 50
# Normalised probability the classifier must reach to overrule the declared language.
MIN_CONFIDENCE = 0.85
# Without any declaration, short text needs a clearer answer before we name a language.
MIN_CONFIDENCE_UNDECLARED = 0.95
# Enough text for a stable answer; classifying more only costs time.
MAX_DETECT_CHARS = 4000
# The classifier's cost is per byte, and the first 1,000 characters of an article give all but
# about 1 % of answers with near certainty; only an unsure answer reads on to MAX_DETECT_CHARS.
# On the extraction dev set (990 pages) every answer is the one 4,000 characters give, at under
# half the cost (benchmarks/extraction.py).
FIRST_SAMPLE_CHARS = 1000
CERTAIN = 0.999

# ISO 639-2 codes and retired ISO 639-1 codes still seen in the wild.
_ALIASES = {
    "eng": "en", "spa": "es", "cat": "ca", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
    "ita": "it", "por": "pt", "nld": "nl", "dut": "nl", "rus": "ru", "ukr": "uk", "pol": "pl",
    "glg": "gl", "eus": "eu", "baq": "eu", "zho": "zh", "chi": "zh", "jpn": "ja", "ara": "ar",
    "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro",
}  # fmt: skip
_CODE = re.compile(r"[a-z]{2}")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def normalize_language(code: str | None) -> str | None:
    """'es-ES', 'en_US', 'ENG', 'ca-valencia' -> 'es', 'en', 'en', 'ca'; junk -> None."""
    if not code:
        return None
    primary = re.split(r"[-_\s.,;]", code.strip().lower(), maxsplit=1)[0]
    primary = _ALIASES.get(primary, primary)
    return primary if _CODE.fullmatch(primary) else None


@cache
def language_identifier() -> LanguageIdentifier:
    """Loaded once per process (about a second), on first use rather than at import."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def classify(text: str) -> tuple[str | None, float]:
    """Best ISO 639-1 code for `text` and its probability; (None, 0.0) for no letters."""
    sample = " ".join(text[:MAX_DETECT_CHARS].split())
    if not _LETTERS.search(sample):
        return None, 0.0
    label, confidence = language_identifier().classify(sample)
    return normalize_language(str(label)), float(confidence)


def _classify_quickly(text: str) -> tuple[str | None, float]:
    """`classify(text)`, from the first FIRST_SAMPLE_CHARS alone when that answer is certain."""
    if len(text) > FIRST_SAMPLE_CHARS:
        detected, confidence = classify(text[:FIRST_SAMPLE_CHARS])
        if confidence >= CERTAIN:
            return detected, confidence
    return classify(text)


def _has_letters(text: str, count: int) -> bool:
    """At least `count` letters in `text`: stops at the count instead of listing every letter."""
    for number, _ in enumerate(_LETTERS.finditer(text), start=1):
        if number >= count:
            return True
    return count <= 0


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The article's language as an ISO 639-1 code, or None when it cannot be told.

    Long, confidently classified text overrules a wrong declaration; short text falls back
    to the declaration; with neither, only a very confident guess is returned.
    """
    hint = normalize_language(declared)
    detected, confidence = _classify_quickly(text)
    if detected is None:
        return hint
    if detected == hint:
        return hint
    if confidence >= MIN_CONFIDENCE and _has_letters(text[:MAX_DETECT_CHARS], MIN_DETECT_CHARS):
        return detected
    if hint is not None:
        return hint
    return detected if confidence >= MIN_CONFIDENCE_UNDECLARED else None
