"""Text the engine did not translate: a whole sentence, or a long run of it, still in the source.

Engines pass text through when they fail quietly (an unknown pair, a timeout answered with
the input, a segment too long for the model). Four signals, cheapest first:

- the translation is (nearly) the source itself: character similarity >= 0.9 and, unless it is
  identical, 80 % of its ordinary words copied (ERROR; es/ca translations are often 90 % alike);
- it is written in the wrong script (Latin where Russian needs Cyrillic, and back; ERROR);
- language identification (py3langid), asked source or target, says source (ERROR);
- a run of six or more ordinary (lower-case) words is copied from the source (WARNING).

What may legitimately come back unchanged is left alone: names ("Recep Tayyip Erdoğan"),
numbers, URLs, acronyms and very short segments.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from babelwire.extract.language import language_identifier
from babelwire.review.checks._words import lang_code, letter_count
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "untranslated"
SIMILARITY = 0.9
# Close languages (es/ca, es/pt) translate with small edits: 90 % alike in characters is common
# ("La ley electoral francesa" / "La llei electoral francesa"), so a nearly identical translation
# must also copy most of its words: an engine that passed the sentence through changed almost none.
COPIED_WORDS = 0.8
MIN_WORDS = 4  # fewer words than this may well be a name or a title kept as is
MIN_LANGID_LETTERS = 40  # shorter text is classified unreliably
LANGID_SHARE = 0.99  # of P(source language) / (P(source) + P(target)); 0 false alarms on FLORES
MIN_SCRIPT_LETTERS = 15
COPIED_RUN = 6
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "mk"})  # not sr: Serbian is also written in Latin
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_NAMES = {
    "en": "English", "es": "Spanish", "ca": "Catalan", "fr": "French", "de": "German", "it": "Italian",
    "pt": "Portuguese", "ru": "Russian", "uk": "Ukrainian",
}  # fmt: skip


def check_untranslated(context: ReviewContext) -> list[Finding]:
    """Sentences left in the source language, wholly or in long runs."""
    src, tgt = lang_code(context.source_lang), lang_code(context.target_lang)
    if not src or src == tgt:
        return []
    findings = []
    for pair in context.pairs:
        finding = (
            _identical(pair, src)
            or _wrong_script(pair, tgt)
            or _source_language(pair, src, tgt)
            or _copied_run(pair, src, tgt)
        )
        if finding is not None:
            findings.append(finding)
    return findings


def _name(lang: str) -> str:
    return _NAMES.get(lang, lang or "the source language")


def _words_to_judge(text: str) -> list[str]:
    """The lower-case words of `text` outside URLs: names, acronyms and numbers are no evidence."""
    return [word for word in _WORD.findall(_URL.sub(" ", text)) if word.islower()]


def _identical(pair: SegmentPair, src: str) -> Finding | None:
    """The translation is the source, or almost (a character or two changed)."""
    source, target = " ".join(pair.source.split()), " ".join(pair.target.split())
    if len(_words_to_judge(source)) < MIN_WORDS - 1 or len(source.split()) < MIN_WORDS:
        return None
    matcher = SequenceMatcher(None, source.lower(), target.lower(), autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
        return None  # cheap upper bounds first: most translations are nowhere near
    ratio = matcher.ratio()
    if ratio < SIMILARITY or (source != target and _copied_share(source, target) < COPIED_WORDS):
        return None
    how = "identical to" if source == target else f"nearly identical to ({ratio:.0%} alike)"
    return Finding(
        pair.index,
        CHECK,
        Severity.ERROR,
        f"The sentence was not translated: the translation is {how} the {_name(src)} source.",
    )


def _wrong_script(pair: SegmentPair, tgt: str) -> Finding | None:
    """Latin text where the target language is written in Cyrillic, or the reverse."""
    target = _URL.sub(" ", pair.target)
    if letter_count(target) < MIN_SCRIPT_LETTERS:
        return None
    cyrillic, latin = len(_CYRILLIC.findall(target)), len(_LATIN.findall(target))
    wants_cyrillic = tgt in _CYRILLIC_LANGS
    wrong, right = (latin, cyrillic) if wants_cyrillic else (cyrillic, latin)
    if wrong < MIN_SCRIPT_LETTERS or wrong < 4 * right:
        return None
    script = "Cyrillic" if wants_cyrillic else "Latin"
    return Finding(
        pair.index,
        CHECK,
        Severity.ERROR,
        f"The translation is not in {_name(tgt)}: it is written almost entirely outside the {script} script.",
    )


def _copied_share(source: str, target: str) -> float:
    """Share of the translation's ordinary words that are the source's words, as written."""
    target_words = [w.lower() for w in _words_to_judge(target)]
    source_words = {w.lower() for w in _words_to_judge(source)}
    return sum(w in source_words for w in target_words) / len(target_words) if target_words else 1.0


def _source_language(pair: SegmentPair, src: str, tgt: str) -> Finding | None:
    """Language identification, asked only "source or target language?", says source.

    The two-way question is far sharper than "which of 97 languages": Spanish vs Catalan is
    answered right where the open question often ends on Galician or Portuguese.
    """
    target = _URL.sub(" ", pair.target)
    if letter_count(target) < MIN_LANGID_LETTERS:
        return None
    scores = dict(language_identifier().rank(" ".join(target.split())))
    p_src, p_tgt = float(scores.get(src, 0.0)), float(scores.get(tgt, 0.0))
    if p_src + p_tgt <= 0 or src not in scores:
        return None
    share = p_src / (p_src + p_tgt)
    if share < LANGID_SHARE:
        return None
    return Finding(
        pair.index,
        CHECK,
        Severity.ERROR,
        f"The translation still reads as {_name(src)}, not {_name(tgt)} "
        f"(language identification: {share:.0%} {_name(src)} against {_name(tgt)}).",
    )


def _copied_run(pair: SegmentPair, src: str, tgt: str) -> Finding | None:
    """Six or more consecutive ordinary words copied from the source: part left untranslated."""
    source = _words_to_judge(pair.source)
    target = _words_to_judge(pair.target)
    if len(target) < COPIED_RUN:
        return None
    run = _longest_common_run([w.lower() for w in source], [w.lower() for w in target])
    if len(run) < COPIED_RUN:
        return None
    return Finding(
        pair.index,
        CHECK,
        Severity.WARNING,
        f"Part of the sentence seems left in {_name(src)}: {' '.join(run)!r} is copied from the source.",
    )


def _longest_common_run(a: list[str], b: list[str]) -> list[str]:
    """The longest run of consecutive words shared by `a` and `b` (dynamic programming)."""
    best, best_end = 0, 0
    previous = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        current = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best, best_end = current[j], j
        previous = current
    return b[best_end - best : best_end]
