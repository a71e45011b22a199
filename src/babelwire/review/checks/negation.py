"""A negation lost or added in translation: the cheapest way MT inverts a sentence's meaning.

"NATO should not admit Ukraine" -> "NATO should admit Ukraine" keeps every name and number,
the length barely moves, and fluency is perfect; only the negation tells. So each side's
negation cues are counted with per-language lists and a side with cues facing a side with
none is flagged.

The lists are of words that negate a clause (not, n't, never, no, nobody, without ...), with
the fixed phrases that contain a cue but do not negate removed first ("not only", "sin
embargo", "no obstante", "nicht nur", "не только", "sans doute"). Language-specific care:
French counts "ne ... pas" once and ignores "ne" without a second particle (the expletive
"avant qu'il ne parte", the restrictive "ne ... que" = only); Catalan "cap" is not counted
("cap a" = towards, "el cap" = the head); "No. 1" is a number.

Negation also hides in words ("unable", "impossible", "failed to", "lack"): where the side
without cues has such a word, the finding is only INFO (on FLORES these are nearly all correct
translations). A lone "without" facing no negation is a WARNING. Otherwise it is an ERROR,
and CRITICAL when the negated side is a single plain clause negator ("not", "no", "nicht",
"не"), the sentence is short (<= 30 words) and the other side has no word that a negative
prefix could explain ("unconfirmed", "desconoce", "harmless").

Measured on FLORES human translations (first 500 lines): ERROR or worse on 2.4 % (es->en,
en->es) and 0.4 % (ca->en) of correct pairs, CRITICAL on 0.8 % / 0.2 %; the rest are free
rewordings ("not easy" / "difícil") no word list can follow. MT rewords far less.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babelwire.review.checks._words import lang_code, tokens, word_set
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "negation"
CRITICAL_MAX_WORDS = 30


@dataclass(frozen=True)
class _Cues:
    negators: frozenset[str]  # clause negators: "not", "no", "nicht", "не"
    others: frozenset[str]  # never, nobody, nothing, nor ...
    privative: frozenset[str]  # "without": negates a phrase, rarely a whole clause
    fixed: tuple[tuple[str, ...], ...]  # phrases holding a cue that do not negate
    implicit: tuple[str, ...]  # word beginnings that carry negation (unable, impossib...)
    prefixes: tuple[str, ...]  # negative prefixes ("un", "des") and suffixes ("-less"): maybe negation


def _cues(negators: str, others: str, privative: str, fixed: str, implicit: str, prefixes: str) -> _Cues:
    return _Cues(
        word_set(negators),
        word_set(others),
        word_set(privative),
        tuple(tuple(phrase.split()) for phrase in fixed.split(",") if phrase.strip()),
        tuple(implicit.split()),
        tuple(prefixes.split()),
    )


_LANGS: dict[str, _Cues] = {
    "en": _cues(
        "not no cannot",
        "never none nobody nothing neither nor nowhere non",
        "without",
        "not only, not just, no doubt, no later than, no more than, no less than, no fewer than, or not,"
        " not least, nothing but, nothing else, none other, never mind, not long after, not long before",
        "unable fail impossib lack refus reject deni deny absen avoid ban prohibit forbid miss"
        " unknown unclear unlike unconfirm undetect unsuccess unavoid unaware unharm uninjur unhurt"
        " illegal regardless frivol poor little few hardly barely",
        "un in im il ir dis non mis -less",
    ),
    "es": _cues(
        "no",
        "nunca jamás nadie nada ningún ninguno ninguna ningunos ningunas ni tampoco",
        "sin",
        "no solo, no sólo, no solamente, sin embargo, no obstante, a no ser que, no más de, no menos de,"
        " nada más, sin duda, no mucho después, no mucho antes",
        "incapa imposib falt carec rechaz negó negaron negar fracas impid ausen evit prohib desconoc"
        " ilegal inexist ineludib irrestric ileso olvid escas apenas poco frustr frívol",
        "in im il ir des dis",
    ),
    "ca": _cues(
        "no",
        "mai ningú res ni tampoc gens",
        "sense",
        "no només, no solament, no sols, no obstant, sense dubte, no més de, no menys de, res més",
        "incapa impossib falt manca manqu rebutj negà negar fracas impedi absèn evit prohib desconeix"
        " il·legal inexist ineludib il·lès oblid escàs poc fall frustr frívol",
        "in im il ir des dis",
    ),
    "fr": _cues(
        "ne n'",
        "jamais rien aucun aucune aucuns aucunes ni non nul nulle nullement",
        "sans",
        "non seulement, sans doute, non plus, pas seulement",
        "incapa impossib manqu refus rejet nier nié échou absen évit interdi ignor inconnu illégal indemne"
        " oubli peine peu",
        "in im il ir dé dés dis mé",
    ),
    "de": _cues(
        "nicht kein keine keinen keinem keiner keines",
        "nie niemals nichts niemand niemanden niemandem nirgends nirgendwo weder nein keinerlei"
        " keineswegs keinesfalls",
        "ohne",
        "nicht nur, nicht zuletzt, ohne zweifel, nicht mehr als, nicht weniger als",
        "unfähig unmöglich fehl mangel verweiger ablehn abgelehnt scheiter vermied vermeid verbot verbiet"
        " unbekannt unklar unwahrscheinlich unverletzt kaum wenig",
        "un miss -los",
    ),
    "it": _cues(
        "non",
        "mai niente nulla nessuno nessuna nessun né neanche nemmeno neppure",
        "senza",
        "non solo, non soltanto, senza dubbio, più che mai, non più di, non meno di",
        "incapac impossib manca mancò rifiut respin negat negò fall assen evit vieta vietò ignot illegal"
        " illeso dimentic appena poco",
        "in im il ir dis",
    ),
    "pt": _cues(
        "não",
        "nunca jamais nem nada ninguém nenhum nenhuma nenhuns nenhumas tampouco",
        "sem",
        "não só, não apenas, não somente, sem dúvida, não mais de, não menos de",
        "incapa impossív falt carec recus rejeit negou negar fracass ausên evit proib desconhec ilegal"
        " ileso esquec mal pouco",
        "in im il ir des dis",
    ),
    "ru": _cues(
        "не нет",
        "ни никто никого никому никем ничто ничего ничему ничем нигде никуда никогда никак никакой никакая"
        " никакое никакие никакого никаких никакому никаким никакую никакими нельзя",
        "без безо",
        "не только, не раз, не менее, не более, не меньше, не больше, чуть не, едва не, без сомнения,"
        " ни разу не",
        "невозмож неспособ отказ отверг отклон провал отсутств нехват избеж запрет неизвест неясн"
        " невредим забы едва мало",
        "не без бес",
    ),
    "uk": _cues(
        "не ні немає нема",
        "ніхто нікого нікому ніким ніщо нічого нічому нічим ніде нікуди ніколи ніяк ніякий ніяка ніяке ніякі"
        " жоден жодна жодне жодні жодного жодних жодному жодним",
        "без",
        "не лише, не тільки, не раз, не менше, не більше, без сумніву",
        "неможлив нездат відмов відхил провал відсутн брак уник заборон невідом неясн неушкодж забу ледве"
        " мало",
        "не без",
    ),
}
_FRENCH_PARTICLES = word_set("pas jamais rien personne aucun aucune plus guère point nullement ni nulle")
_FRENCH_WINDOW = 6


@cache
def cues_for(lang: str) -> _Cues | None:
    """The cue lists of a language (by its primary subtag), or None for one we have none for."""
    return _LANGS.get(lang_code(lang))


def check_negation(context: ReviewContext) -> list[Finding]:
    """Flag sentences where one side negates and the other has no negation at all."""
    src, tgt = lang_code(context.source_lang), lang_code(context.target_lang)
    source_cues, target_cues = cues_for(src), cues_for(tgt)
    if source_cues is None or target_cues is None:
        return []
    findings = []
    for pair in context.pairs:
        finding = _judge(pair, src, tgt, source_cues, target_cues)
        if finding is not None:
            findings.append(finding)
    return findings


def negation_cues(text: str, lang: str) -> list[str]:
    """The negation cues of `text` in `lang`, in order ("ne ... pas" as one "ne"); [] if unknown.

    A capitalised cue after a capitalised word is part of a name ("Médicos Sin Fronteras").
    """
    cues = cues_for(lang)
    if cues is None:
        return []
    cased = tokens(text, lang, lower=False)
    words = _without_fixed([w.lower() for w in cased], cues)
    for k in range(1, len(cased)):
        if cased[k][:1].isupper() and cased[k - 1][:1].isupper():
            words[k] = ""
    if lang_code(lang) == "fr":
        return _french(words, cues)
    found = []
    for k, word in enumerate(words):
        if word in cues.negators or word in cues.others or word in cues.privative or _contracted(word):
            if word == "no" and k + 1 < len(words) and words[k + 1][:1].isdigit():
                continue  # "No. 1", "no. 10"
            found.append(word)
    return found


def _contracted(word: str) -> bool:
    return word.endswith("n't") and len(word) > 3


def _without_fixed(words: list[str], cues: _Cues) -> list[str]:
    """The words with every non-negating fixed phrase ("not only") blanked out."""
    out = list(words)
    for phrase in cues.fixed:
        n = len(phrase)
        for k in range(len(out) - n + 1):
            if tuple(out[k : k + n]) == phrase:
                out[k : k + n] = [""] * n
    return out


def _french(words: list[str], cues: _Cues) -> list[str]:
    """French: "ne"/"n'" counts only with a second particle, its nearest one ("ne ... pas" once:
    "personne n'est venu" too); the other cues count alone ("ni demain ni jamais")."""
    found: dict[int, str] = {}
    paired: set[int] = set()
    for k, word in enumerate(words):
        if word not in cues.negators:
            continue
        window = range(max(0, k - _FRENCH_WINDOW), min(len(words), k + _FRENCH_WINDOW + 1))
        partners = [j for j in window if j != k and j not in paired and words[j] in _FRENCH_PARTICLES]
        if partners:
            found[k] = word
            paired.add(min(partners, key=lambda j: (abs(j - k), j < k)))
    for k, word in enumerate(words):
        if k not in paired and (word in cues.others or word in cues.privative):
            found[k] = word
    return [found[k] for k in sorted(found)]


def _implicit(text: str, lang: str, cues: _Cues) -> str | None:
    """A word that carries negation inside it ("unable", "impossible", "failed", "lack")."""
    return next((w for w in tokens(text, lang) if len(w) >= 4 and w.startswith(cues.implicit)), None)


def _prefixed(text: str, lang: str, cues: _Cues) -> str | None:
    """A word that may be negative by its form ("unconfirmed", "desconoce", "harmless")."""
    for word in tokens(text, lang):
        for affix in cues.prefixes:
            if affix.startswith("-"):
                if word.endswith(affix[1:]) and len(word) >= len(affix) + 3:
                    return word
            elif word.startswith(affix) and len(word) >= len(affix) + 4:
                return word
    return None


def _judge(pair: SegmentPair, src: str, tgt: str, source_cues: _Cues, target_cues: _Cues) -> Finding | None:
    """One sentence pair: negation on one side only -> WARNING, ERROR or CRITICAL (module docstring)."""
    source, target = negation_cues(pair.source, src), negation_cues(pair.target, tgt)
    if bool(source) == bool(target):
        return None
    if source:
        negated, cues, plain, plain_lang, plain_cues = source, source_cues, pair.target, tgt, target_cues
        side, other, what = "source", "translation", "lost in translation"
    else:
        negated, cues, plain, plain_lang, plain_cues = target, target_cues, pair.source, src, source_cues
        side, other, what = "translation", "source", "added in translation"
    cue_list = ", ".join(dict.fromkeys(negated))
    implicit = _implicit(plain, plain_lang, plain_cues)
    prefixed = _prefixed(plain, plain_lang, plain_cues)
    if implicit is not None or (prefixed is not None and all(cue in cues.privative for cue in negated)):
        return Finding(
            pair.index,
            CHECK,
            Severity.INFO,
            f"The {side} is negative ({cue_list}) and the {other} has no negation word; "
            f"it is probably expressed by {implicit or prefixed!r}.",
        )
    if all(cue in cues.privative for cue in negated):
        return Finding(
            pair.index,
            CHECK,
            Severity.WARNING,
            f"The {side} says {cue_list!r} and the {other} has no negation: check that nothing that "
            "was absent became present.",
        )
    plain_negator = len(negated) == 1 and (negated[0] in cues.negators or _contracted(negated[0]))
    short = max(len(tokens(pair.source, src)), len(tokens(pair.target, tgt))) <= CRITICAL_MAX_WORDS
    confident = plain_negator and short and prefixed is None
    return Finding(
        pair.index,
        CHECK,
        Severity.CRITICAL if confident else Severity.ERROR,
        f"A negation was {what}: the {side} says {cue_list!r} and the {other} has no negation, "
        "so the meaning may be reversed.",
    )
