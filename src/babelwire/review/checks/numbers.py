"""Numbers, dates and times must survive translation: a lost or changed number is a wrong story.

Each number is read in its own language's convention ("175.000" is 175000 in Spanish, "175,000"
in English, "175 000" in French; "3,5" is 3.5) into a set of possible values, and a source number
is carried over when some target number can have the same value. Times match across styles
("10.30 horas", "10:30", "10h30", "22:00" ~ "10 p.m."), scales across languages ("2.000 millones" ~
"2 billion"), decades ("1960s" ~ "años 60"), ordinals ("1st" ~ "1." ~ "1º"). A number written in
words or Roman numerals on the other side ("four" ~ "4", "siglo XIX" ~ "19th century") excuses a
digit number but is never reported itself: words are too loose to demand. A number copied
unchanged between languages that read it differently ("175.000" into English) is a change.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babelwire.review.checks._text import WORD, finding, mask_tokens, merged_sources, pairs, plain, quoted
from babelwire.review.checks._words import lang_code
from babelwire.review.findings import Finding, ReviewContext, Severity
from babelwire.translate.numbers import convention, localize_number
from babelwire.translate.protect import TOKEN_PATTERNS

CHECK = "numbers"
_NUMBER = re.compile(dict(TOKEN_PATTERNS)["number"])
_LETTER_DIGIT = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])\.?(?=\d)")  # 1st, H5N1, No.1
_SPACE_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?!\d|[.,]\d)")
_TIME = re.compile(r"(?<![\d.,:])([01]?\d|2[0-4]) ?(?::|h|H) ?([0-5]\d)(?![\d])")
_YEAR_RANGE = re.compile(r"(?<!\d)(1\d|20)\d\d ?[-–/] ?$")
_PM = re.compile(r"\s*(?:p\.? ?m\b\.?|pm\b)", re.IGNORECASE)
_ROMAN = re.compile(
    r"(?<![\w.])(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w])"
)
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_CONNECTORS = frozenset({"and", "y", "i", "e", "et", "und", "и", "і", "й"})
# Languages where "1,000" is also one thousand: Spanish groups with a comma in Mexico, Central
# America and the US (RAE accepts both), so "6,000" in a Spanish translation is no changed number.
_COMMA_GROUPING = frozenset({"es"})

# Number words, 0..20 in order, then 30..90; "|" separates forms of one number.
_WORDS_0_20 = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty",
    "es": "cero uno|un|una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince"
    " dieciséis|dieciseis diecisiete dieciocho diecinueve veinte",
    "ca": "zero u|un|una dos|dues tres quatre cinc sis set vuit nou deu onze dotze tretze catorze quinze"
    " setze disset divuit dinou vint",
    "fr": "zéro un|une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
    " dix-sept dix-huit dix-neuf vingt",
    "de": "null eins|ein|eine|einen|einem|einer|eines zwei drei vier fünf sechs sieben acht neun zehn elf"
    " zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "it": "zero uno|un|una due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici"
    " quindici sedici diciassette diciotto diciannove venti",
    "pt": "zero um|uma dois|duas três|tres quatro cinco seis sete oito nove dez onze doze treze"
    " catorze|quatorze quinze dezesseis|dezasseis dezessete|dezassete dezoito dezenove|dezanove vinte",
}
_WORDS_TENS = {
    "en": "thirty forty fifty sixty seventy eighty ninety hundred thousand dozen",
    "es": "treinta cuarenta cincuenta sesenta setenta ochenta noventa cien|ciento|cientos mil docena",
    "ca": "trenta quaranta cinquanta seixanta setanta vuitanta noranta cent|cents mil dotzena",
    "fr": "trente quarante cinquante soixante soixante-dix quatre-vingt|quatre-vingts quatre-vingt-dix"
    " cent|cents mille douzaine",
    "de": "dreißig|dreissig vierzig fünfzig sechzig siebzig achtzig neunzig hundert tausend dutzend",
    "it": "trenta quaranta cinquanta sessanta settanta ottanta novanta cento mille|mila dozzina",
    "pt": "trinta quarenta cinquenta sessenta setenta oitenta noventa cem|cento mil dúzia",
}
_VEINTI_UNITS = (
    "uno|ún|una",
    "dós|dos",
    "trés|tres",
    "cuatro",
    "cinco",
    "séis|seis",
    "siete",
    "ocho",
    "nueve",
)
_DE_UNITS = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_DE_TENS = ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")
_TENS_VALUES = (30, 40, 50, 60, 70, 80, 90, 100, 1000, 12)
# Ordinals 1..12 (the first form of each number; the others are gender/number variants).
_ORDINALS = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    "es": "primero|primera|primer segundo|segunda tercero|tercera|tercer cuarto|cuarta quinto|quinta"
    " sexto|sexta séptimo|séptima octavo|octava noveno|novena décimo|décima undécimo|undécima"
    " duodécimo|duodécima",
    "ca": "primer|primera segon|segona tercer|tercera quart|quarta cinquè|cinquena sisè|sisena setè|setena"
    " vuitè|vuitena novè|novena desè|desena onzè|onzena dotzè|dotzena",
    "fr": "premier|première deuxième|second|seconde troisième quatrième cinquième sixième septième huitième"
    " neuvième dixième onzième douzième",
    "it": "primo|prima secondo|seconda terzo|terza quarto|quarta quinto|quinta sesto|sesta settimo|settima"
    " ottavo|ottava nono|nona decimo|decima undicesimo|undicesima dodicesimo|dodicesima",
    "pt": "primeiro|primeira segundo|segunda terceiro|terceira quarto|quarta quinto|quinta sexto|sexta"
    " sétimo|sétima oitavo|oitava nono|nona décimo|décima undécimo duodécimo",
    "de": "erst zweit dritt viert fünft sechst sieb|siebt acht neunt zehnt elft zwölft",
}
# Russian and Ukrainian inflect numbers: stems, matched with up to three letters of ending.
_SLAVIC_STEMS = {
    0: "нол нул",
    1: "один одн перв перш",
    2: "два две двух двум дві двох двом втор друг дво",
    3: "три трех трёх трем трём трьох трьом трет тро",
    4: "четыр чотир четверт четвер",
    5: "пят п'ят",
    6: "шест шіст шост",
    7: "семь семи семью сім сьом седьм семер",
    8: "восем восьм вісім вісьм",
    9: "девят дев'ят",
    10: "десят",
    11: "одиннадцат одинадцят",
    12: "двенадцат дванадцят",
    20: "двадцат двадцят",
    30: "тридцат тридцят",
    40: "сорок",
    50: "пятьдесят пятидесят п'ятдесят",
    60: "шестьдесят шестидесят шістдесят",
    70: "семьдесят семидесят сімдесят",
    80: "восемьдесят восьмидесят вісімдесят",
    90: "девяност дев'яност",
    100: "сто ста сотн сотен",
    1000: "тысяч тисяч",
}
# Scale words after a number: the value is also the number times the scale ("2 mil millones").
_SCALES: dict[str, tuple[int, ...]] = {}
for _scale, _forms in (
    (
        (1000,),
        "thousand thousands mil miles mille mila milers tausend tsd тыс тысяч тысячи тысяча тис тисяч тисячі",
    ),
    (
        (10**6,),
        "million millions millón millones milió milions millionen mio milione milioni milhão milhões mln"
        " млн миллион миллиона миллионов мільйон мільйони мільйонів",
    ),
    (
        (10**9,),
        "bn millardo millardos miliardo miliardi milliarde milliarden mrd milliard milliards bilhão bilhões"
        " mld млрд миллиард миллиарда миллиардов мільярд мільярди мільярдів",
    ),
    ((10**9, 10**12), "billion billions"),
    ((10**12,), "trillion trillions billón billones bilió bilions trilhão trilhões триллион трлн трильйон"),
):
    for _form in _forms.split():
        _SCALES[_form] = _scale


@dataclass(frozen=True)
class Number:
    text: str
    readings: frozenset[str]


@dataclass(frozen=True)
class _Side:
    hard: tuple[Number, ...]  # written in digits: must be carried over
    soft: frozenset[str]  # words and Roman numerals: readings that excuse a digit number on the other side


def check_numbers(context: ReviewContext) -> list[Finding]:
    """Report numbers of the source missing from, or changed in, the translation, and numbers added."""
    source_lang, target_lang = lang_code(context.source_lang), lang_code(context.target_lang)
    findings: list[Finding] = []
    for pair in pairs(context):
        source = _read(plain(pair.source), source_lang)
        target = _read(plain(pair.target), target_lang)
        missing, extra = _unmatched(source, target)
        if extra and (merged := merged_sources(context, pair)):  # numbers of a sentence merged into this one
            neighbour = _read(plain(merged), source_lang)
            known = neighbour.soft.union(*(n.readings for n in neighbour.hard))
            extra = [number for number in extra if not number.readings & known]
        for lost, added in zip(missing, extra, strict=False):
            # Copied in the wrong convention, the number is still there, only misleading.
            severity = Severity.ERROR if lost.text == added.text else Severity.CRITICAL
            message = _changed(lost, added, source_lang, target_lang)
            findings.append(finding(CHECK, pair, severity, message))
        for lost in missing[len(extra) :]:
            message = f"number {quoted(lost.text)} of the source is missing from the translation"
            findings.append(finding(CHECK, pair, Severity.CRITICAL, message))
        for added in extra[len(missing) :]:
            message = f"number {quoted(added.text)} in the translation is not in the source"
            findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def _changed(lost: Number, added: Number, source_lang: str, target_lang: str) -> str:
    if lost.text != added.text:
        return f"number {quoted(lost.text)} of the source became {quoted(added.text)} in the translation"
    expected = localize_number(lost.text, source_lang, target_lang)
    advice = f": write {quoted(expected)}" if expected != lost.text else ""
    return (
        f"number {quoted(lost.text)} is copied unchanged, but it is a different number "
        f"in {target_lang} than in {source_lang}{advice}"
    )


def _unmatched(source: _Side, target: _Side) -> tuple[list[Number], list[Number]]:
    """Source numbers with no counterpart in the target, and target numbers with none in the source."""
    free = list(target.hard)
    missing: list[Number] = []
    for number in source.hard:
        candidates = [t for t in free if t.readings & number.readings]
        if candidates:
            same = [t for t in candidates if t.text == number.text]
            free.remove((same or candidates)[0])
        elif not number.readings & target.soft:
            missing.append(number)
    extra = [number for number in free if not number.readings & source.soft]
    return missing, extra


@functools.lru_cache(maxsize=4096)
def _read(text: str, lang: str) -> _Side:
    text = _LETTER_DIGIT.sub(" ", mask_tokens(text))
    soft = set(_word_readings(text, lang)) | set(_roman_readings(text))
    hard: list[Number] = []
    text = _SPACE_GROUPS.sub(lambda m: m.group(0).replace(" ", "\u202f"), text)

    def take_time(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), match.group(2)
        readings = {f"t:{hour}:{minute}"} | ({f"n:{hour}"} if minute == "00" else set())
        if _PM.match(text, match.end()) and hour < 12:
            readings |= {f"t:{hour + 12}:{minute}"} | ({f"n:{hour + 12}"} if minute == "00" else set())
        hard.append(Number(match.group(0), frozenset(readings)))
        return "\x00" * len(match.group(0))

    text = _TIME.sub(take_time, text)
    for match in _NUMBER.finditer(text):
        readings = _readings(match.group(0), lang)
        century = _YEAR_RANGE.search(text, max(0, match.start() - 8), match.start())
        if century and len(match.group(0)) == 2:  # "1950-53"
            readings |= _values(century.group(1) + match.group(0))
        readings |= _context_readings(match.group(0), readings, text, match.end())
        if readings:
            hard.append(Number(match.group(0), frozenset(readings)))
    return _Side(tuple(hard), frozenset(soft))


def _readings(token: str, lang: str) -> set[str]:
    """Every value `token` can have for a reader of `lang`."""
    conv = convention(lang)
    if "\u202f" in token or "\u00a0" in token:
        digits = re.sub(r"[\u202f\u00a0]", "", token)
        return _values(digits.replace(",", ".")) if re.fullmatch(r"\d+(?:[.,]\d+)?", digits) else set()
    separators = [c for c in token if c in ".,"]
    if not separators:
        if re.fullmatch(r"[0-2]\d[0-5]\d", token) and int(token[:2]) <= 24:  # "1200 GMT"
            return _values(token) | {f"t:{int(token[:2])}:{token[2:]}"}
        return _values(token)
    head, _, tail = token.rpartition(separators[-1])
    grouped = re.fullmatch(r"\d{1,3}(?:[.,]\d{3})*", head) is not None
    if len(set(separators)) > 1:  # "1,234.56": the last separator is the decimal one
        return _values(re.sub(r"[.,]", "", head) + "." + tail) if grouped else {f"s:{token}"}
    if len(separators) > 1:  # "1.234.567", or a version number
        return _values(re.sub(r"[.,]", "", token)) if grouped and len(tail) == 3 else {f"s:{token}"}
    readings = set()
    if len(tail) == 3 and (separators[0] != conv.decimal or (lang in _COMMA_GROUPING and grouped)):
        readings |= _values(head + tail)
    if len(tail) != 3 or separators[0] == conv.decimal:
        readings |= _values(head + "." + tail)
    if len(tail) == 2 and int(head) <= 24 and int(tail) < 60:  # "10.30 horas"
        readings.add(f"t:{int(head)}:{tail}")
        if tail == "00":
            readings.add(f"n:{int(head)}")
    return readings


def _context_readings(token: str, values: set[str], text: str, end: int) -> set[str]:
    """Values the words after a number give it: a scale ("2 billion"), p.m., a decade's "s"."""
    following = [w.lower() for w in WORD.findall(text[end : end + 30])[:2]]
    if not following:
        return set()
    scales = _SCALES.get(following[0], ())
    if following[0] == "mil" and len(following) > 1 and following[1] in ("millones", "milions"):
        scales = (10**9,)
    readings = {_canonical(Decimal(v[2:]) * s) for v in values if v.startswith("n:") for s in scales}
    if token.isdigit():
        if following[0] == "s" and len(token) == 4 and token.endswith("0"):
            readings.add(f"n:{int(token[2:])}")  # the 1960s: los años 60
            if token.endswith("00"):
                readings.add(f"n:{int(token[:2]) + 1}")  # the 1800s: el siglo XIX
        elif following[0] == "s" and len(token) == 2:
            readings |= {f"n:19{token}", f"n:20{token}"}
        if int(token) < 12 and _PM.match(text, end):
            readings |= {f"n:{int(token) + 12}", f"t:{int(token) + 12}:00"}
    return readings


def _values(number: str) -> set[str]:
    try:
        return {_canonical(Decimal(number))}
    except InvalidOperation:
        return set()


def _canonical(value: Decimal) -> str:
    return "n:" + format(value.normalize(), "f")


def _roman_readings(text: str) -> list[str]:
    readings = []
    for match in _ROMAN.finditer(text):
        numeral = match.group(0)
        if numeral == "I":
            continue  # the English pronoun far more often than one
        values = [_ROMAN_VALUES[c] for c in numeral]
        total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
        readings.append(f"n:{total}")
    return readings


def _word_readings(text: str, lang: str) -> list[str]:
    """Readings of number words, single ("four") and combined ("twenty-five", "veinticinco", "vint-i-u")."""
    table = _word_table(lang)
    readings: list[str] = []
    run: list[int] = []
    for raw in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text):
        word = raw.lower().replace("’", "'")
        value = table.get(word) if lang not in ("ru", "uk") else _slavic_value(word)
        if value is not None:
            readings.append(f"n:{value}")
            run.append(value)
        elif word not in _CONNECTORS:
            _flush(run, readings)
    _flush(run, readings)
    return readings


def _flush(run: list[int], readings: list[str]) -> None:
    if len(run) > 1:
        total, current = 0, 0
        for value in run:
            if value in (100, 1000):
                current = max(current, 1) * value
                if value == 1000:
                    total, current = total + current, 0
            else:
                current += value
        readings.append(f"n:{total + current}")
    run.clear()


@functools.lru_cache(maxsize=16)
def _word_table(lang: str) -> dict[str, int]:
    table: dict[str, int] = {}
    cardinals = list(enumerate(_WORDS_0_20.get(lang, "").split()))
    cardinals += list(zip(_TENS_VALUES, _WORDS_TENS.get(lang, "").split(), strict=False))
    for value, forms in cardinals:
        for form in forms.split("|"):
            table[form] = value
            if value >= 20:  # "twenties", "veintes": a decade of one's age
                table[form[:-1] + "ies" if form.endswith("y") else form + "s"] = value
    for value, forms in enumerate(_ORDINALS.get(lang, "").split(), start=1):
        for form in forms.split("|"):
            endings = ("e", "en", "er", "es", "em") if lang == "de" else ("", "s")
            table.update(dict.fromkeys((form + ending for ending in endings), value))
    if lang == "es":  # veintiuno .. veintinueve
        for value, forms in enumerate(_VEINTI_UNITS, start=1):
            table.update(dict.fromkeys(("veinti" + form for form in forms.split("|")), 20 + value))
    if lang == "de":  # einundzwanzig .. neunundneunzig
        for unit_value, unit in enumerate(_DE_UNITS, start=1):
            for tens_value, ten in enumerate(_DE_TENS, start=2):
                table[f"{unit}und{ten}"] = tens_value * 10 + unit_value
    return table


@functools.lru_cache(maxsize=1)
def _slavic_stems() -> dict[str, int]:
    return {stem: value for value, stems in _SLAVIC_STEMS.items() for stem in stems.split()}


@functools.lru_cache(maxsize=4096)
def _slavic_value(word: str) -> int | None:
    stems = _slavic_stems()
    for size in range(len(word), max(len(word) - 4, 2), -1):
        value = stems.get(word[:size])
        if value is not None:
            return value
    return None
