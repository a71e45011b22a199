"""Names must survive translation, and appear as often as in the source.

A name is a capitalised word that does not open a sentence (runs of them, joined by "de", "of",
"von"..., make one name), an acronym, or a well-known entity with per-language forms ("EE. UU." ~
"U.S." ~ "США"). A source name is carried over when one of its words is found in the target,
compared in a folded "skeleton" that forgives casing, accents, transliteration ("Путина" ~
"Putin"), inflection and spelling habits ("Ucrania" ~ "Ukraine"); acronyms also match their
letters reordered ("OTAN" ~ "NATO") or spelled out ("PM" ~ "primer ministro").

Names are also translated ("Casa Blanca" for "White House", "la Tierra" for "Earth"), and no
table can list them all, so the severity follows the evidence: a missing name is only noted when
the target has an unexplained capitalised word that may be its translation; a missing acronym or
multi-word name is an error; a single missing word, which is as often a capitalised common noun
("Senate", "Tribunal"), is a warning. A name the translation repeats more often than the source
(seed defect: "the states. United States") is reported too. German capitalises every noun, so
in German sources only acronyms and mixed-case names count as names.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from babelwire.review.checks._names_table import EQUIVALENTS, translated_names
from babelwire.review.checks._text import finding, fold, listing, mask_tokens, pairs, plain
from babelwire.review.checks._words import lang_code, word_set
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "entities"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?…:]|[\"“”«»„‘’'(\[¿¡—–•]|\s-)[\s\"“”«»„‘’'(\[¿¡—–*]*$")
_JOINERS = word_set("de del der des di da do dos du la le van von of")  # inside one name
_CONNECTORS = _JOINERS | word_set("y i e and und et")
# Capitalised in English or German without being names, or names everyone translates.
_NOT_NAMES = word_set(
    """i mr mrs ms dr st prof jr sr no the a an this that these those it he she we they you his her its
    our their in on at for but and or if as so my while when after before during since with by from
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december montag dienstag mittwoch donnerstag freitag samstag sonntag
    januar februar märz juni juli oktober dezember el la los las un una le les der die das il lo gli
    o os as uno ein eine sra sr sres dña don herr frau
    american british english french german spanish italian chinese japanese russian ukrainian european
    african asian arab arabic swiss scottish irish welsh dutch swedish danish norwegian finnish polish
    greek turkish indian canadian mexican brazilian australian iranian iraqi israeli palestinian korean
    vietnamese thai portuguese catalan christian christians muslim muslims jewish islamic catholic
    protestant soviet western eastern northern southern north south east west americans europeans
    africans asians italians germans russians ukrainians chinese japanese spaniards french britons catalans"""
)
_EQUIVALENT_PATTERNS = tuple(re.compile(rf"(?<![\w.])(?:{forms})(?![\w])") for forms in EQUIVALENTS)
_MIN_RATIO = 0.7
_DEMONYM_ENDINGS = ("ian", "ians", "ese", "ish")
# Stems of the common nouns institutions and places are named with ("Security Council", "Tribunal
# Supremo", "Golfo de México"): such names are translated, so losing their words is weaker evidence.
_TRANSLATED_STEMS = """
council consej consell conseil consigli conselh rat committee comit ausschuss court tribunal corte
cour gericht office oficina bureau uffici escritori servic depart commission comisi comissi
kommission center centre centro zentrum agenc agèn minist house casa haus union unión unió unione
uniao party partido partit parti partei universit associa asocia organi bank banc banque church
iglesia esglesi eglise chiesa igreja kirche cross cruz creu croix croce kreuz assembl asamble
congres parliament parlament senat army ejercit exercit armee esercit force fuerza forca forza navy
armada marina police polic polizi board junta institut foundation fundaci fondation fondazion
stiftung society sociedad societat societe societa gesellschaft museum museo museu musee hospital
hopital ospedal krankenhaus school escuela escola ecole scuola schule airport aeropuert aeroport
flughafen station estaci gare stazion bahnhof street calle carrer strasse square plaza plaça piazza
praca park parque parc parco river rio riu fleuve riviere fiume fluss ocean ocea mountain montaña
muntany montagn montanh berg island isla illa ile isola ilha insel republic republica republique
repubblica kingdom reino regne royaume regno reich empire imperi war guerra guerre krieg revolution
revoluci rivoluzion revoluca prize premio premi prix award preis games juegos jocs jeux giochi jogos
spiele cup copa coupe coppa taca pokal league liga lliga ligue lega championship campeonat campionat
championnat bund basin cuenca conca bassin becken gulf golfo golf golfe lake lago llac lac see bay
bahia badia baie desert desierto deserto wüste coast costa cote küste valley valle vall vallee tal
treaty tratado tractat traite trattato vertrag accord acuerdo acord accordo abkommen act ley llei
loi legge gesetz declaration declaraci dichiarazion erklärung federation federaci federazion verband
conference conferencia konferenz summit cumbre cimera sommet vertice gipfel festival day dia jour
giorno tag north south east west norte sur este oeste nord sud est ouest mitja middle camara chamber
cambra chambre kammer camera team equipo equip equipe squadra mannschaft community comunidad
comunitat communaute comunita gemeinschaft administration administracion secretary secretario
secretari secretaire segretario sekretar director directeur direttore direktor executive ejecutivo
chief jefe president presidente prasident rapporteur rights derechos drets droits diritti rechte
food alimenta drug medicament law pact pacto pacte pakt patto alliance alianza alianca allianz
alleanza meeting reunion treffen new nueva nuevo nou nouveau nouvelle nuovo neu great gran grand
grande gross big high alto alta haut hoch world mundial mundo monde mondo welt national nacional
nazionale international internacional internazionale european europeo europea europeu europeen
europaisch federal central royal real united unido unida general special especial spezial human
humano humana humain umano global future futuro futur zukunft time tiempo temps tempo zeit quality
calidad qualitat qualite qualita mayor alcalde maire sindaco burgermeister
"""
_ROMAN = re.compile(r"[IVXLCDM]+")


@dataclass(frozen=True)
class _Name:
    text: str
    words: tuple[str, ...]  # skeletons of its words, connectors left out
    kind: int = -1  # index in EQUIVALENTS, or -1 for a name written out
    acronym: str = ""  # its letters, sorted, when it is an acronym

    @property
    def strong(self) -> bool:
        """Losing this is an error: an acronym, or a multi-word name not made of common nouns."""
        if self.acronym:
            return len(self.acronym) > 2  # "AI", "TV", "PM" are terms as often as names
        if 0 <= self.kind < len(EQUIVALENTS):
            return True
        return len(self.words) > 1 and not any(_translated(w) for w in self.words)


@dataclass(frozen=True)
class _Side:
    names: tuple[_Name, ...]
    skeletons: tuple[str, ...]  # every word of the sentence, any case
    findable: tuple[str, ...]  # the same, and the parts of hyphenated words
    initials: str  # first letter of each word that is not a connector, folded
    kinds: tuple[int, ...]  # the well-known entities found, once per mention
    acronyms: frozenset[str]  # letters of each acronym, sorted
    capitalised: tuple[bool, ...] = ()  # for each of `skeletons`: written with a capital letter
    glued: tuple[bool, ...] = ()  # for each of `skeletons`: only a space after the word before it


def check_entities(context: ReviewContext) -> list[Finding]:
    """Report names of the source missing from the translation, and names it repeats."""
    source_lang, target_lang = lang_code(context.source_lang), lang_code(context.target_lang)
    findings: list[Finding] = []
    for pair in pairs(context):
        source = _read(plain(pair.source), source_lang)
        target = _read(plain(pair.target), target_lang)
        findings += _missing(pair, source, target)
        findings += _repeated(pair, source, target)
    return findings


def _missing(pair: SegmentPair, source: _Side, target: _Side) -> list[Finding]:
    missing = _distinct(name for name in source.names if not _found(name, target))
    if not missing:
        return []
    # Target names that match nothing in the source: each may translate a missing name.
    spare = _distinct(name for name in target.names if not _found(name, source))
    listed = ("name " if len(missing) == 1 else "names ") + listing([name.text for name in missing])
    if len(spare) >= len(missing):
        message = f"{listed} not found as written; probably translated ({listing([n.text for n in spare])})"
        return [finding(CHECK, pair, Severity.INFO, message)]
    severity = Severity.ERROR if any(name.strong for name in missing) else Severity.WARNING
    if spare:
        lost = len(missing) - len(spare)
        verb = "is" if lost == 1 else "are"
        message = f"of the source's {listed}, at least {lost} {verb} missing from the translation"
    else:
        message = (
            f"{listed} of the source {'is' if len(missing) == 1 else 'are'} missing from the translation"
        )
    return [finding(CHECK, pair, severity, message)]


def _distinct(names: Iterable[_Name]) -> list[_Name]:
    seen: dict[tuple[str, ...], _Name] = {}
    for name in names:
        seen.setdefault(name.words, name)
    return list(seen.values())


def _repeated(pair: SegmentPair, source: _Side, target: _Side) -> list[Finding]:
    """Names written more often in the target than in the source: a duplicated fragment."""
    for name in source.names:
        words = set(name.words)
        if name.kind >= 0:  # "EE. UU." is written "United States" in the target: count those words
            words.update(w for t in target.names if t.kind == name.kind for w in t.words)
        mentions = max(1, source.kinds.count(name.kind)) if name.kind >= 0 else 1
        for word in sorted(w for w in words if len(w) > 1):
            hits = _mentions(word, name, source, target)
            in_source = max(mentions, sum(1 for s in source.skeletons if _same_word(word, s)))
            if len(hits) > in_source:
                # Side by side ("the states. United States") it is a duplicated fragment; apart,
                # perhaps a pronoun the translation spelled out.
                close = any(b - a <= 2 for a, b in itertools.pairwise(hits))
                message = (
                    f"name {listing([name.text])} appears {len(hits)} times in the translation "
                    f"but {in_source} in the source"
                )
                return [finding(CHECK, pair, Severity.ERROR if close else Severity.INFO, message)]
    return []


def _mentions(word: str, name: _Name, source: _Side, target: _Side) -> list[int]:
    """Where `word` of a source name is written in the target, as a mention of that name.

    An inflected form counts only when capitalised ("romàs" is no "Roma"); and a person's
    surname is no repetition when it follows another of the source's names ("Baba Kanjar,
    Bhutha Kanjar" for "Baba, Bhutha ... Kanjar") or refers back to the full name written
    before it, not right after it ("Zachary Cuddeback, 21. Cuddeback was the driver").
    """
    hits = []
    full_seen = False
    source_words = {w for n in source.names for w in n.words}
    for i, t in enumerate(target.skeletons):
        if not (t == word or (_same_word(word, t) and target.capitalised[i])):
            continue
        surname = name.kind < 0 and len(name.words) > 1 and word == name.words[-1]
        previous = target.skeletons[i - 1] if i else ""
        if surname and _similar(previous, name.words[-2]):
            full_seen = True
        elif surname and full_seen and not target.glued[i]:
            continue  # "... Zachary Cuddeback, 21. Cuddeback was the driver"
        elif surname and target.glued[i] and previous != word and previous in source_words:
            continue  # "Baba Kanjar, Bhutha Kanjar"
        hits.append(i)
    return hits


def _found(name: _Name, other: _Side) -> bool:
    if name.kind >= 0 and name.kind in other.kinds:
        return True
    if any(_similar(word, candidate) for word in name.words for candidate in other.findable):
        return True
    if name.acronym:  # "NSA" ~ "ASN", "PM" ~ "primer ministro"
        size = len(name.acronym)
        windows = (other.initials[i : i + size] for i in range(len(other.initials) - size + 1))
        return name.acronym in other.acronyms or any("".join(sorted(w)) == name.acronym for w in windows)
    # "National Hurricane Center" ~ "CNH", "Fuerza Aérea" ~ "USAF"
    return len(name.words) > 1 and any(_within(sorted(w[0] for w in name.words), a) for a in other.acronyms)


def _within(letters: list[str], acronym: str) -> bool:
    """Are `letters` all among the letters of `acronym`, which has at most two more?"""
    rest = list(acronym)
    for letter in letters:
        if letter not in rest:
            return False
        rest.remove(letter)
    return len(rest) <= 2


@functools.lru_cache(maxsize=65536)
def _similar(a: str, b: str) -> bool:
    """Same name in two languages? Equal skeletons, a shared stem, close spelling or consonants."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < 3:
        return False
    if long.startswith(short) and len(long) - len(short) <= 3:  # "Kim" ~ "Кимом"
        return True
    if len(short) < 4:
        return False
    if long.startswith(short[:5]) or (len(short) >= 5 and short in long):  # stems; "Korea" in "Nordkoreas"
        return True
    consonants = _consonants(short)
    if len(consonants) >= 3 and _consonants(long).startswith(consonants):  # "Trump" ~ "Трамп"
        return True
    return _close(short, long) or _close(short, long[: len(short) + 1])


def _close(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= _MIN_RATIO and matcher.ratio() >= _MIN_RATIO


@functools.lru_cache(maxsize=1)
def _translated_stems() -> tuple[str, ...]:
    return tuple(sorted({skeleton(stem) for stem in _TRANSLATED_STEMS.split()}))


def _translated(word: str) -> bool:
    """Is this word (a skeleton) one of the common nouns that institution and place names are made of?"""
    return any(word.startswith(stem) if len(stem) > 3 else word == stem for stem in _translated_stems())


def _consonants(word: str) -> str:
    return re.sub(r"[aeiou]", "", word)


def _same_word(a: str, b: str) -> bool:
    """Stricter than `_similar`: the same word, give or take an inflection, for counting mentions."""
    shortest = min(len(a), len(b))
    return a == b or (shortest >= 4 and a[: min(5, shortest)] == b[: min(5, shortest)])


@functools.lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A spelling-neutral form of a word: "Zelensky", "Selenskyj", "Зеленский" -> "selenski"."""
    s = re.sub(r"[^a-z]", "", fold(_core(word)))
    for old, new in (("sch", "sh"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("kh", "h"), ("x", "ks")):
        s = s.replace(old, new)
    s = s.translate(str.maketrans("cqwyjz", "kkviis"))
    return re.sub(r"(.)\1+", r"\1", s)


def _core(word: str) -> str:
    """The word without an elided article or possessive: "l'Acadèmia" -> "Acadèmia", "Biden's" -> "Biden"."""
    head, apostrophe, tail = word.replace("’", "'").partition("'")
    if not apostrophe:
        return word
    if tail.lower() == "s" or not tail:
        return head
    if len(head) <= 3 and head.islower() and tail[:1].isupper():
        return tail
    return word


@functools.lru_cache(maxsize=4096)
def _read(text: str, lang: str) -> _Side:
    text = mask_tokens(text)
    spans = list(_WORD.finditer(text))
    all_words = [_core(m.group(0)) for m in spans]
    gaps = [i > 0 and not text[spans[i - 1].end() : m.start()].strip() for i, m in enumerate(spans)]
    written = [(s, w[:1].isupper(), g) for w, g in zip(all_words, gaps, strict=True) if (s := skeleton(w))]
    skeletons = tuple(s for s, _, _ in written)
    parts = tuple(
        skeleton(p) for w in all_words if "-" in w for p in w.split("-") if p
    )  # "UN-Sicherheitsrat"
    initials = "".join(fold(w[0]) for w in all_words if w.lower() not in _CONNECTORS)
    acronyms = frozenset("".join(sorted(fold(w))) for w in all_words if len(w) > 1 and w.isupper())
    kinds: list[int] = []
    names: list[_Name] = []
    for kind, pattern in enumerate(_EQUIVALENT_PATTERNS):
        for match in pattern.finditer(text):
            kinds.append(kind)
            if any(c.isupper() for c in match.group(0)):  # "director general" helps match, is no name
                words = tuple(skeleton(w) for w in _WORD.findall(match.group(0)))
                names.append(_Name(match.group(0), words, kind))
            text = text[: match.start()] + " " * len(match.group(0)) + text[match.end() :]
    for start, end, entity in translated_names(text):  # "Casa Blanca" ~ "White House", "Londres" ~ "London"
        kinds.append(len(EQUIVALENTS) + entity)
        if any(c.isupper() for c in text[start:end]):
            words = tuple(skeleton(w) for w in _WORD.findall(text[start:end]) if w.lower() not in _JOINERS)
            names.append(_Name(text[start:end], words, kinds[-1]))
        text = text[:start] + " " * (end - start) + text[end:]
    names += _written_names(text, lang)
    capitalised, glued = tuple(c for _, c, _ in written), tuple(g for _, _, g in written)
    return _Side(
        tuple(names), skeletons, skeletons + parts, initials, tuple(kinds), acronyms, capitalised, glued
    )


def _written_names(text: str, lang: str) -> list[_Name]:
    """Runs of capitalised words that are not sentence openers, and acronyms anywhere."""
    matches = list(_WORD.finditer(text))
    long_words = [m.group(0) for m in matches if len(m.group(0)) > 3]
    title_case = len(long_words) >= 3 and all(w[0].isupper() for w in long_words)  # a headline
    names: list[_Name] = []
    run: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []  # joiners seen inside a run ("Universidad de la Salud")
    for match in matches:
        word = _core(match.group(0))
        adjacent = not run or text[(pending or run)[-1].end() : match.start()].strip() == ""
        if _is_name(word, text[: match.start()], lang, title_case):
            if not adjacent:  # "Barcelona, Ada Colau": two names
                _add_name(run, text, names)
                run, pending = [], []
            run += [*pending, match]
            pending = []
        elif run and adjacent and word.lower() in _JOINERS:
            pending.append(match)
        else:
            _add_name(run, text, names)
            run, pending = [], []
    _add_name(run, text, names)
    return names


def _is_name(word: str, before: str, lang: str, title_case: bool) -> bool:
    if len(word) < 2 or not word[0].isupper() or word.lower() in _NOT_NAMES:
        return False
    if lang == "en" and word.endswith(_DEMONYM_ENDINGS):
        return False  # Egyptians, Vietnamese, Flemish: lower case in the other languages
    letters = word.replace("-", "").replace("'", "")
    if all(_ROMAN.fullmatch(part) for part in word.split("-")):
        return False  # "siglo XIX": a number, the numbers check's business
    if letters.isupper() or any(c.isupper() for c in letters[1:]):
        return True  # NATO, McDonald, iPhone: a name wherever it stands
    if lang == "de" or title_case:
        return False
    return _OPENS_SENTENCE.search(before) is None


def _add_name(run: list[re.Match[str]], text: str, names: list[_Name]) -> None:
    if not run:
        return
    words = [_core(m.group(0)) for m in run]
    skeletons = tuple(s for s in (skeleton(w) for w in words if w.lower() not in _JOINERS) if s)
    letters = words[0].replace("-", "")
    acronym = (
        "".join(sorted(fold(letters))) if len(words) == 1 and len(letters) > 1 and letters.isupper() else ""
    )
    if skeletons:
        names.append(_Name(text[run[0].start() : run[-1].end()], skeletons, acronym=acronym))
