"""The negation check's word lists, per language (see negation.py for how they are used).

Besides the cues themselves (clause negators, other negative words, "without"), each language
lists what tells a negation paraphrase from a lost negation:

- `fixed`: phrases holding a cue that do not negate ("not only", "sin embargo");
- `implicit`: word beginnings that carry negation inside them ("unable", "impossib", "lost");
- `contrast`: phrases that say "X, not Y" without a negation word ("rather than", "en lugar de");
- `comparative`: words after which "nunca"/"jamás"/"mai" mean "ever" ("el peor que jamás");
- `articles`: before a capitalised cue, they make it a title ("a Did Not Finish");
- `opposites`: "not A" said as "B" ("not easy" / "difícil", "no olvide" / "remember"): a concept
  id per stem, shared by the languages, so the negated side's A and the other side's B meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from babelwire.review.checks._words import word_set


@dataclass(frozen=True)
class Cues:
    negators: frozenset[str]  # clause negators: "not", "no", "nicht", "не"
    others: frozenset[str]  # never, nobody, nothing, nor ...
    privative: frozenset[str]  # "without": negates a phrase, rarely a whole clause
    fixed: tuple[tuple[str, ...], ...]  # phrases holding a cue that do not negate
    implicit: tuple[str, ...]  # word beginnings that carry negation (unable, impossib...)
    prefixes: tuple[str, ...]  # negative prefixes ("un", "des") and suffixes ("-less"): maybe negation


def _cues(negators: str, others: str, privative: str, fixed: str, implicit: str, prefixes: str) -> Cues:
    return Cues(
        word_set(negators),
        word_set(others),
        word_set(privative),
        tuple(tuple(phrase.split()) for phrase in fixed.split(",") if phrase.strip()),
        tuple(implicit.split()),
        tuple(prefixes.split()),
    )


LANGS: dict[str, Cues] = {
    "en": _cues(
        "not no cannot",
        "never none nobody nothing neither nor nowhere non",
        "without",
        "not only, not just, no only, no doubt, no later than, no more than, no less than, no fewer than,"
        " or not, not least, nothing but, nothing else, none other, never mind, not long after,"
        " not long before",
        "unable fail impossib lack refus reject deni deny absen avoid ban prohibit forbid miss"
        " lost lose losing unknown unclear unlike unconfirm undetect unsuccess unavoid unaware unharm"
        " uninjur unhurt illegal regardless frivol poor little few hardly barely",
        "un in im il ir dis non mis -less",
    ),
    "es": _cues(
        "no",
        "nunca jamás nadie nada ningún ninguno ninguna ningunos ningunas ni tampoco",
        "sin",
        "no solo, no sólo, no solamente, sin embargo, no obstante, a no ser que, no más de, no menos de,"
        " no mucho tiempo después, no mucho tiempo antes,"
        " nada más, sin duda, no mucho después, no mucho antes",
        "incapa imposib falt carec rechaz negó negaron negar fracas impid ausen evit prohib desconoc"
        " ilegal inexist ineludib irrestric ileso olvid escas apenas poco frustr frívol perdi perdió",
        "in im il ir des dis",
    ),
    "ca": _cues(
        "no",
        "mai ningú res ni tampoc gens cap",
        "sense",
        "no només, no solament, no sols, no obstant, sense dubte, no més de, no menys de, res més,"
        " no gaire després, no gaire abans, no gaire més tard",
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
FRENCH_PARTICLES = word_set("pas jamais rien personne aucun aucune plus guère point nullement ni nulle")
FRENCH_WINDOW = 6


@dataclass(frozen=True)
class Ambiguous:
    """A cue spelled like another word, told apart by its neighbours: Catalan "cap" is "none" in
    "cap droga", "cap d'ells", but "head" in "el cap", "cap d'estat", "gravador en cap" (last word)
    and "towards" in "cap a"."""

    word: str
    before: frozenset[str]  # a word before it that makes it the other word ("el cap")
    after: frozenset[str]  # a word after it that does ("cap a")
    partitive: frozenset[str]  # "de", "d'": then the other word, unless a pronoun or article follows
    partitive_heads: frozenset[str]  # "cap d'ells", "cap de les": still the cue


@dataclass(frozen=True)
class Paraphrases:
    """How a language says a negation without a negation word, or uses a cue that does not negate."""

    contrast: tuple[tuple[str, ...], ...] = ()  # "rather than", "en lugar de": "X, not Y"
    ever: frozenset[str] = frozenset()  # cues that mean "ever" after a comparative: nunca, jamás, mai
    comparative: frozenset[str] = frozenset()  # más, peor, primer ... (and "que", "than" before the cue)
    articles: frozenset[str] = frozenset()  # "a Did Not Finish", "un «No finalitzada»": a title
    attributive: tuple[str, ...] = ()  # endings after "no" that make it a prefix: "no inundables"
    not_attributive: frozenset[str] = frozenset()  # verbs with those endings: "no hable"
    # A cue that is also a common word (Catalan "cap": none / head / towards).
    ambiguous: tuple[Ambiguous, ...] = ()
    opposites: tuple[tuple[str, str], ...] = ()  # (stem, "concept+" or "concept-")


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(phrase.split()) for phrase in text.split(",") if phrase.strip())


def _opposites(text: str) -> tuple[tuple[str, str], ...]:
    """ "easy+: easy simple; easy-: difficult hard" -> (("easy", "easy+"), ..., ("hard", "easy-"))."""
    out = []
    for group in text.split(";"):
        concept, _, stems = group.partition(":")
        out += [(stem, concept.strip()) for stem in stems.split()]
    return tuple(out)


# Shared by the languages' opposites: the same concept names on every side.
PARAPHRASES: dict[str, Paraphrases] = {
    "en": Paraphrases(
        contrast=_phrases("rather than, instead of, as opposed to, in contrast to, other than, except"),
        ever=word_set("never"),
        comparative=word_set("than"),
        articles=word_set("a an the"),
        opposites=_opposites(
            "easy+: easy easi simple; easy-: difficult hard tough complicat;"
            " clear+: clear; clear-: unclear confus vague;"
            " remember+: remember remind recall; remember-: forget forgot;"
            " same+: same identical; same-: different differ distinct;"
            " keep+: keep kept maintain retain manag succeed win won; keep-: lost lose losing;"
            " true+: true; true-: false untrue; high+: high much very; high-: low little;"
            " include+: includ; include-: exclud except"
        ),
    ),
    "es": Paraphrases(
        contrast=_phrases(
            "en lugar de, en vez de, a diferencia de, en cambio, en contraste con, excepto, salvo"
        ),
        ever=word_set("nunca jamás"),
        comparative=word_set(
            "que más mejor mejores peor peores menos mayor mayores menor primer primera primero único única"
        ),
        articles=word_set("un una el la los las"),
        attributive=("ables", "ibles", "able", "ible", "ados", "adas", "idos", "idas"),
        not_attributive=word_set("hable hables cable"),
        opposites=_opposites(
            "easy+: fácil facil sencill simple; easy-: difícil dificil complicad duro dura;"
            " clear+: claro clara claros claras; clear-: confus incierto incierta dudos;"
            " remember+: recuerd record; remember-: olvid;"
            " same+: mismo misma mismos mismas igual idéntic; same-: diferent distint;"
            " keep+: manten mantuv logr consigu conserv; keep-: perd perdi;"
            " true+: cierto cierta verdad; true-: falso falsa;"
            " high+: alto alta mucho mucha muy; high-: bajo baja;"
            " include+: inclu; include-: exclu excepto salvo"
        ),
    ),
    "ca": Paraphrases(
        contrast=_phrases(
            "en lloc de, en comptes de, a diferència de, en canvi, excepte, llevat de, tret de"
        ),
        ever=word_set("mai"),
        comparative=word_set(
            "que si més millor millors pitjor pitjors menys major majors menor primer primera únic única"
        ),
        articles=word_set("un una el la els les"),
        attributive=("ables", "ibles", "able", "ible", "ats", "ades", "its", "ides"),
        ambiguous=(
            Ambiguous(
                "cap",
                word_set(
                    "el l' un al del pel els als dels pels uns aquest aquell cada seu nou per gran millor"
                ),
                word_set("a al als on allà aquí amunt avall endavant enrere dins fora"),
                # "cap del servei", "cap de la policia": the head of something singular; "none of" takes
                # a plural ("cap de les", "cap d'ells", "cap dels" stays a cue: "cap dels assistents").
                word_set("de d' del"),
                word_set(
                    "nosaltres vosaltres ells elles els les aquests aquestes aquells aquelles"
                    " tots totes vostès"
                ),
            ),
        ),
        opposites=_opposites(
            "easy+: fàcil facil senzill simple; easy-: difícil dificil complicat dur dura;"
            " clear+: clar clara clars clares; clear-: confús confus incert dubtós;"
            " remember+: record; remember-: oblid;"
            " same+: mateix mateixa igual idèntic; same-: diferent distint;"
            " keep+: manten mantin aconsegu conserv; keep-: perd perdé;"
            " true+: cert certa veritat; true-: fals falsa;"
            " high+: alt alta molt molta gaire; high-: baix baixa;"
            " include+: inclo inclu; include-: exclo exclu excepte llevat"
        ),
    ),
    "pt": Paraphrases(
        contrast=_phrases("em vez de, ao invés de, ao contrário de, exceto, salvo"),
        ever=word_set("nunca jamais"),
        comparative=word_set(
            "que mais melhor melhores pior piores menos maior maiores menor primeiro primeira"
        ),
        articles=word_set("um uma o os as"),
        attributive=("áveis", "íveis", "ável", "ível", "ados", "adas", "idos", "idas"),
    ),
    "it": Paraphrases(
        contrast=_phrases("invece di, anziché, a differenza di, tranne, salvo"),
        ever=word_set("mai"),
        comparative=word_set("che più migliore migliori peggiore peggiori meno maggiore primo prima"),
        articles=word_set("un una il lo la gli le"),
    ),
    "fr": Paraphrases(contrast=_phrases("au lieu de, plutôt que, à la différence de, contrairement à, sauf")),
    "de": Paraphrases(contrast=_phrases("statt, anstatt, anstelle, im gegensatz zu, außer")),
}
NO_PARAPHRASES = Paraphrases()
