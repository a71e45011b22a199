"""A negation lost or added in translation: the cheapest way MT inverts a sentence's meaning.

"NATO should not admit Ukraine" -> "NATO should admit Ukraine" keeps every name and number,
the length barely moves, and fluency is perfect; only the negation tells. So each side's
negation cues are counted with per-language lists and a side with cues facing a side with
none is flagged.

The lists are of words that negate a clause (not, n't, never, no, nobody, without ...), with
the fixed phrases that contain a cue but do not negate removed first ("not only", "sin
embargo", "no obstante", "nicht nur", "не только", "sans doute"). Language-specific care:
French counts "ne ... pas" once and ignores "ne" without a second particle (the expletive
"avant qu'il ne parte", the restrictive "ne ... que" = only); Catalan "cap" counts as "none"
("cap droga", "cap d'ells") but not as "the head" or "towards" ("el cap", "cap a"); "nunca",
"jamás", "mai" after a comparative mean "ever" ("el peor brote que jamás", "més que mai");
a capitalised cue inside a title is no negation ("a Did Not Finish", "un «No Terminó»");
"No. 1" is a number.

Negation is also paraphrased: it hides in words ("unable", "impossible", "failed to", "lack",
"lost"), in a contrast ("X rather than Y" for "X y no Y", "en lugar de"), or in an opposite
("not easy" / "difícil", "no olvide" / "remember", "no logró mantener" / "lost"; tables in
_negation_cues.py). Where the side without cues has such a paraphrase, the finding is only INFO.
A lone "without" facing no negation is a WARNING, and so is a "no" that works as a prefix of an
adjective ("hogares no inundables" / "flood-proof houses"). Otherwise it is an ERROR,
and CRITICAL when the negated side is a single plain clause negator ("not", "no", "nicht",
"не"), the sentence is short (<= 30 words) and the other side has no word that a negative
prefix could explain ("unconfirmed", "desconoce", "harmless").

Measured on FLORES human translations (first 500 lines): see tests/review/checks/test_negation.py;
what remains are free rewordings no word list can follow ("the south still wasn't free" / "aún
restaba el lado sur") and a few human translations that really do change the meaning.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from babelwire.review.checks._negation_cues import (
    FRENCH_PARTICLES,
    FRENCH_WINDOW,
    LANGS,
    NO_PARAPHRASES,
    PARAPHRASES,
    Cues,
    Paraphrases,
)
from babelwire.review.checks._words import lang_code, tokens
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "negation"
CRITICAL_MAX_WORDS = 30
OPPOSITE_WINDOW = 5  # words after a cue where "not A" may say the other side's "B"
_COMPARISON_CONNECTORS = frozenset({"que", "che"})  # "más ... que jamás": need a comparative before


class _Cue(NamedTuple):
    position: int
    word: str
    phrasal: bool  # "without", or "no" as a prefix ("no inundables"): negates a phrase, not a clause


@cache
def cues_for(lang: str) -> Cues | None:
    """The cue lists of a language (by its primary subtag), or None for one we have none for."""
    return LANGS.get(lang_code(lang))


def paraphrases_for(lang: str) -> Paraphrases:
    return PARAPHRASES.get(lang_code(lang), NO_PARAPHRASES)


def check_negation(context: ReviewContext) -> list[Finding]:
    """Flag sentences where one side negates and the other has no negation at all."""
    src, tgt = lang_code(context.source_lang), lang_code(context.target_lang)
    if cues_for(src) is None or cues_for(tgt) is None:
        return []
    findings = []
    for pair in context.pairs:
        finding = _judge(pair, src, tgt)
        if finding is not None:
            findings.append(finding)
    return findings


def negation_cues(text: str, lang: str) -> list[str]:
    """The negation cues of `text` in `lang`, in order ("ne ... pas" as one "ne"); [] if unknown."""
    return [cue.word for cue in _scan(text, lang)[1]]


def _scan(text: str, lang: str) -> tuple[list[str], list[_Cue]]:
    """The words of `text` (lower case, non-negating phrases blanked) and its negation cues.

    A capitalised cue after a capitalised word is part of a name ("Médicos Sin Fronteras"), and
    one inside a title too ("a Did Not Finish", "un «No Terminó»").
    """
    cues = cues_for(lang)
    if cues is None:
        return [], []
    extra = paraphrases_for(lang)
    cased = tokens(text, lang, lower=False)
    words = _without_fixed([w.lower() for w in cased], cues)
    for k in range(1, len(cased)):
        if cased[k][:1].isupper() and _in_title(cased, words, k, extra):
            words[k] = ""
    if lang_code(lang) == "fr":
        return words, _french(words, cues)
    found = []
    for k, word in enumerate(words):
        if word in cues.negators or word in cues.others or word in cues.privative or _contracted(word):
            if word == "no" and k + 1 < len(words) and words[k + 1][:1].isdigit():
                continue  # "No. 1", "no. 10"
            if _other_word(words, k, extra) or _means_ever(words, k, extra):
                continue
            phrasal = word in cues.privative or (word in cues.negators and _attributive(words, k, extra))
            found.append(_Cue(k, word, phrasal))
    return words, found


def _in_title(cased: list[str], words: list[str], k: int, extra: Paraphrases) -> bool:
    """Is the capitalised word at `k` part of a name or title rather than a sentence opener?"""
    if cased[k - 1][:1].isupper():
        return True
    following = cased[k + 1] if k + 1 < len(cased) else ""
    return (following[:1].isupper() and following != "I") or words[k - 1] in extra.articles


def _other_word(words: list[str], k: int, extra: Paraphrases) -> bool:
    """A cue spelled like another word, and its neighbours say it is that one ("el cap", "cap a")."""
    for rule in extra.ambiguous:
        if words[k] == rule.word:
            previous = words[k - 1] if k else ""
            following = words[k + 1] if k + 1 < len(words) else ""
            then = words[k + 2] if k + 2 < len(words) else ""
            partitive = following in rule.partitive and then not in rule.partitive_heads
            return not following or previous in rule.before or following in rule.after or partitive
    return False


def _means_ever(words: list[str], k: int, extra: Paraphrases) -> bool:
    """ "el peor brote que jamás", "més que mai", "better late than never": a comparison, no negation."""
    if words[k] not in extra.ever or k == 0 or words[k - 1] not in extra.comparative:
        return False
    if words[k - 1] not in _COMPARISON_CONNECTORS:
        return True
    return any(
        w in extra.comparative and w not in _COMPARISON_CONNECTORS for w in words[max(0, k - 5) : k - 1]
    )


def _attributive(words: list[str], k: int, extra: Paraphrases) -> bool:
    """ "hogares no inundables", "los no alineados": "no" as the prefix of an adjective."""
    following = words[k + 1] if k + 1 < len(words) else ""
    return k > 0 and following.endswith(extra.attributive) and following not in extra.not_attributive


def _contracted(word: str) -> bool:
    return word.endswith("n't") and len(word) > 3


def _without_fixed(words: list[str], cues: Cues) -> list[str]:
    """The words with every non-negating fixed phrase ("not only") blanked out."""
    out = list(words)
    for phrase in cues.fixed:
        n = len(phrase)
        for k in range(len(out) - n + 1):
            if tuple(out[k : k + n]) == phrase:
                out[k : k + n] = [""] * n
    return out


def _french(words: list[str], cues: Cues) -> list[_Cue]:
    """French: "ne"/"n'" counts only with a second particle, its nearest one ("ne ... pas" once:
    "personne n'est venu" too); the other cues count alone ("ni demain ni jamais")."""
    found: dict[int, _Cue] = {}
    paired: set[int] = set()
    for k, word in enumerate(words):
        if word not in cues.negators:
            continue
        window = range(max(0, k - FRENCH_WINDOW), min(len(words), k + FRENCH_WINDOW + 1))
        partners = [j for j in window if j != k and j not in paired and words[j] in FRENCH_PARTICLES]
        if partners:
            found[k] = _Cue(k, word, False)
            paired.add(min(partners, key=lambda j: (abs(j - k), j < k)))
    for k, word in enumerate(words):
        if k not in paired and (word in cues.others or word in cues.privative):
            found[k] = _Cue(k, word, word in cues.privative)
    return [found[k] for k in sorted(found)]


class _Side(NamedTuple):
    text: str
    lang: str
    words: list[str]  # as `_scan` leaves them
    cues: list[_Cue]


def _paraphrase(negated: _Side, plain: _Side) -> str | None:
    """What on the side without cues may say the negation: a word carrying it ("unable",
    "impossible", "lost"), a contrast ("rather than"), or the opposite of what follows the other
    side's cue ("not easy" / "difícil")."""
    words = tokens(plain.text, plain.lang)
    stems = LANGS[plain.lang].implicit
    implicit = next((w for w in words if len(w) >= 4 and w.startswith(stems)), None)
    if implicit is not None:
        return implicit
    extra = paraphrases_for(plain.lang)
    for phrase in extra.contrast:
        n = len(phrase)
        if any(tuple(words[k : k + n]) == phrase for k in range(len(words) - n + 1)):
            return " ".join(phrase)
    after_cues = {
        concept
        for cue in negated.cues
        for word in negated.words[cue.position + 1 : cue.position + 1 + OPPOSITE_WINDOW]
        for concept in _concepts(word, paraphrases_for(negated.lang).opposites)
    }
    return next(
        (w for w in words if any(_flip(c) in after_cues for c in _concepts(w, extra.opposites))), None
    )


def _concepts(word: str, table: tuple[tuple[str, str], ...]) -> set[str]:
    """The concepts ("easy+", "easy-") of a word: a stem of 4+ letters begins it, a shorter one is it."""
    return {concept for stem, concept in table if (word.startswith(stem) if len(stem) >= 4 else word == stem)}


def _flip(concept: str) -> str:
    return concept[:-1] + ("-" if concept.endswith("+") else "+")


def _prefixed(text: str, lang: str, cues: Cues) -> str | None:
    """A word that may be negative by its form ("unconfirmed", "desconoce", "harmless")."""
    for word in tokens(text, lang):
        for affix in cues.prefixes:
            if affix.startswith("-"):
                if word.endswith(affix[1:]) and len(word) >= len(affix) + 3:
                    return word
            elif word.startswith(affix) and len(word) >= len(affix) + 4:
                return word
    return None


def _judge(pair: SegmentPair, src: str, tgt: str) -> Finding | None:
    """One sentence pair: negation on one side only -> INFO, WARNING, ERROR or CRITICAL (module docstring)."""
    source, target = (
        _Side(pair.source, src, *_scan(pair.source, src)),
        _Side(pair.target, tgt, *_scan(pair.target, tgt)),
    )
    if bool(source.cues) == bool(target.cues):
        return None
    if source.cues:
        negated, plain, side, other, what = source, target, "source", "translation", "lost in translation"
    else:
        negated, plain, side, other, what = target, source, "translation", "source", "added in translation"
    cue_list = ", ".join(dict.fromkeys(cue.word for cue in negated.cues))
    phrasal = all(cue.phrasal for cue in negated.cues)
    paraphrase = _paraphrase(negated, plain)
    prefixed = _prefixed(plain.text, plain.lang, LANGS[plain.lang])
    if paraphrase is not None or (prefixed is not None and phrasal):
        return Finding(
            pair.index,
            CHECK,
            Severity.INFO,
            f"The {side} is negative ({cue_list}) and the {other} has no negation word; "
            f"it is probably expressed by {paraphrase or prefixed!r}.",
        )
    if phrasal:
        return Finding(
            pair.index,
            CHECK,
            Severity.WARNING,
            f"The {side} says {cue_list!r} and the {other} has no negation: check that nothing that "
            "was absent became present.",
        )
    cues = LANGS[negated.lang]
    only = negated.cues[0].word
    plain_negator = len(negated.cues) == 1 and (only in cues.negators or _contracted(only))
    short = max(len(tokens(pair.source, src)), len(tokens(pair.target, tgt))) <= CRITICAL_MAX_WORDS
    confident = plain_negator and short and prefixed is None
    return Finding(
        pair.index,
        CHECK,
        Severity.CRITICAL if confident else Severity.ERROR,
        f"A negation was {what}: the {side} says {cue_list!r} and the {other} has no negation, "
        "so the meaning may be reversed.",
    )
