"""check_numbers: numbers, dates and times carried over in each language's convention."""

from __future__ import annotations

import pytest

from babelwire.review.checks.numbers import check_numbers
from babelwire.review.findings import Severity
from tests.review.checks.helpers import FLORES_DIRECTIONS, at_least, context, false_alarm_rate, one, serious

# (source lang, target lang, source, damaged translation, correct translation, severity expected)
DEFECTS = [
    pytest.param(
        "es", "en",
        "Rusia ha concentrado hasta 175.000 soldados a lo largo de la frontera.",
        "Russia has massed up to 175 troops along the border.",
        "Russia has massed up to 175,000 troops along the border.",
        Severity.CRITICAL, id="thousands-lost-es-en",
    ),
    pytest.param(
        "es", "en",
        "Rusia ha concentrado hasta 175.000 soldados a lo largo de la frontera.",
        "Russia has massed up to 175.000 troops along the border.",
        "Russia has massed up to 175 000 troops along the border.",
        Severity.ERROR, id="copied-in-source-convention-es-en",
    ),
    pytest.param(
        "es", "en",
        "La reunión comenzó poco después de las 10.30 horas, según la Casa Blanca.",
        "The meeting began shortly after 11:30, according to the White House.",
        "The meeting began shortly after 10:30, according to the White House.",
        Severity.CRITICAL, id="time-es-en",
    ),
    pytest.param(
        "es", "en",
        "La reunión comenzó poco después de las 10 de la mañana.",
        "The meeting began shortly after 1 a.m.",
        "The meeting began shortly after 10 a.m.",
        Severity.CRITICAL, id="morning-es-en",
    ),
    pytest.param(
        "es", "en",
        "El apagón empezó a las 22.00 horas del martes.",
        "The blackout began at 11 p.m. on Tuesday.",
        "The blackout began at 10 p.m. on Tuesday.",
        Severity.CRITICAL, id="evening-es-en",
    ),
    pytest.param(
        "en", "es",
        "Inflation rose to 3.5% in March, the highest since 1992.",
        "La inflación subió al 35 % en marzo, la más alta desde 1992.",
        "La inflación subió al 3,5 % en marzo, la más alta desde 1992.",
        Severity.CRITICAL, id="percentage-en-es",
    ),
    pytest.param(
        "en", "es",
        "About 175,000 troops were near the border at 10 a.m. ET on Friday.",
        "Unas 17.000 tropas estaban cerca de la frontera el viernes por la mañana.",
        "Unos 175.000 soldados estaban cerca de la frontera a las 10 de la mañana del viernes.",
        Severity.CRITICAL, id="seed-numbers-survive-en-es",
    ),
    pytest.param(
        "ca", "en",
        "Tres persones han mort i dotze han resultat ferides en l'accident de l'1 de maig.",
        "Three people died and 20 were injured in the accident on May 1st.",
        "3 people died and 12 were injured in the accident on May 1st.",
        Severity.ERROR, id="number-added-ca-en",
    ),
    pytest.param(
        "ca", "en",
        "El pressupost de 2.000 milions d'euros es votarà el 2 de desembre.",
        "The budget of 2 billion euros will be voted on 12 December.",
        "The 2,000 million euro budget will be voted on 2 December.",
        Severity.CRITICAL, id="date-ca-en",
    ),
    pytest.param(
        "en", "de",
        "The company employs 1,250 people and earned 3.2 million euros in 2021.",
        "Das Unternehmen beschäftigt 1.250 Mitarbeiter und verdiente 2012 3,2 Millionen Euro.",
        "Das Unternehmen beschäftigt 1.250 Mitarbeiter und verdiente 2021 3,2 Millionen Euro.",
        Severity.CRITICAL, id="year-en-de",
    ),
    pytest.param(
        "en", "de",
        "Exports fell by 2.5 billion dollars, the first drop in twelve months.",
        "Die Exporte fielen um 25 Milliarden Dollar, der erste Rückgang seit zwölf Monaten.",
        "Die Exporte fielen um 2,5 Milliarden Dollar, der erste Rückgang seit 12 Monaten.",
        Severity.CRITICAL, id="decimal-en-de",
    ),
    pytest.param(
        "en", "ru",
        "Some 175,000 troops gathered along the border on December 7.",
        "Около 17 500 военнослужащих собрались у границы 7 декабря.",
        "Около 175 000 военнослужащих собрались у границы 7 декабря.",
        Severity.CRITICAL, id="thousands-en-ru",
    ),
    pytest.param(
        "en", "ru",
        "The 4 astronauts will return at 6:45 p.m. on the 21st.",
        "Четверо астронавтов вернутся в 16:45 21-го числа.",
        "Четверо астронавтов вернутся в 18:45 21-го числа.",
        Severity.CRITICAL, id="time-en-ru",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("src", "tgt", "source", "bad", "good", "severity"), DEFECTS)
def test_defect_flagged_and_correct_translation_passes(
    src: str, tgt: str, source: str, bad: str, good: str, severity: Severity
) -> None:
    flagged = at_least(check_numbers(one(src, tgt, source, bad)), severity)
    assert flagged and all((f.check, f.segment) == ("numbers", 0) for f in flagged)
    assert serious(check_numbers(one(src, tgt, source, good))) == []


@pytest.mark.parametrize(
    ("src", "tgt", "source", "target"),
    [
        ("es", "en", "Tiene cuatro hijos y vive en Madrid desde 2015.",
         "He has 4 children and has lived in Madrid since 2015."),
        ("en", "ru", "He has 4 children.", "У него четверо детей."),
        ("en", "de", "He has 4 children.", "Er hat vier Kinder."),
        ("es", "en", "Ocurrió en el siglo XIX.", "It happened in the 19th century."),
        ("es", "en", "Durante los años 60 vivió en París.", "Throughout the 1960s he lived in Paris."),
        ("es", "en", "Costará 2.000 millones de euros.", "It will cost 2 billion euros."),
        ("es", "en", "Hubo veinticinco heridos.", "There were 25 injured."),
        ("de", "en", "Am 1. Mai um 10.30 Uhr.", "On May 1st at 10:30."),
        ("es", "en", "El 1º de mayo.", "On 1 May."),
        ("fr", "en", "Il y a 175 000 soldats, soit 3,5 % de plus.", "There are 175,000 soldiers, 3.5% more."),
        ("es", "en", "Lo dijo el 12:00 GMT.", "He said it at 1200 GMT."),
        ("en", "es", "It happened in the 1990s.", "Ocurrió en la década de 1990."),
        ("en", "uk", "Three of the 12 ministers resigned.", "Троє з дванадцяти міністрів пішли у відставку."),
        ("pt-BR", "en", "Cerca de 1.500 pessoas.", "About 1,500 people."),
    ],
)  # fmt: skip
def test_equivalent_forms_pass(src: str, tgt: str, source: str, target: str) -> None:
    assert serious(check_numbers(one(src, tgt, source, target))) == []


def test_messages_name_the_numbers() -> None:
    [lost] = check_numbers(one("es", "en", "Murieron 12 personas.", "People died."))
    assert lost.message == 'number "12" of the source is missing from the translation'
    [changed] = check_numbers(one("es", "en", "Hay 175.000 soldados.", "There are 175 soldiers."))
    assert changed.message == 'number "175.000" of the source became "175" in the translation'
    [copied] = check_numbers(one("es", "en", "Hay 175.000 soldados.", "There are 175.000 soldiers."))
    assert '"175.000" is copied unchanged' in copied.message and 'write "175,000"' in copied.message
    [added] = check_numbers(
        one("es", "en", "El alcalde inauguró el dique.", "The mayor opened the dike in 2019.")
    )
    assert (added.severity, added.message) == (
        Severity.ERROR,
        'number "2019" in the translation is not in the source',
    )


def test_empty_and_merged_translations() -> None:
    """An empty translation is the length check's; its numbers may sit in the neighbour's translation."""
    merged = context(
        "es", "en",
        ("Murieron 12 personas.", "12 people died and 30 were injured."),
        ("Otras 30 resultaron heridas.", ""),
    )  # fmt: skip
    assert check_numbers(merged) == []
    assert (
        check_numbers(context("es", "en", ("Murieron 12 personas.", "12 people died and 30 were injured.")))
        != []
    )


def test_urls_are_not_numbers() -> None:
    assert (
        check_numbers(one("en", "es", "See https://x.com/2024/05/a-7", "Véase https://x.com/2024/05/a-7"))
        == []
    )


@pytest.mark.parametrize(
    ("source", "target"),
    [("", ""), ("", "12"), ("1.2.3.4", "1,2"), ("&nbsp;175&nbsp;000&amp;", "175,000"), ("9" * 400, "9" * 399),
     ("XIX.", "MMMM"), ("10:99 99:10", "24h 1e5"), ("\u202f\u00a0", "…"), ("٣ ١٢", "3")],
)  # fmt: skip
def test_odd_input_never_raises(source: str, target: str) -> None:
    check_numbers(one("es", "en", source, target))
    check_numbers(one("", "??", source, target))


# Measured on the first 500 FLORES lines: es->en 0.6 %, ca->en 0.4 %, en->es 0.6 % (real differences
# in the human translations: unit conversions, "H5N5" for "H5N1", 333 000 for 330,000).
@pytest.mark.parametrize(("src", "tgt"), FLORES_DIRECTIONS)
def test_flores_false_alarms(src: str, tgt: str) -> None:
    assert false_alarm_rate(check_numbers, src, tgt) <= 0.008


def test_comma_grouping_is_spanish_too() -> None:
    """Spanish writes "6,000" for six thousand in much of the Americas: carried over, not changed."""
    source = "6,000 of the total 330,000 people infected."
    assert (
        serious(check_numbers(one("en", "es", source, "6,000 del total de 330,000 personas infectadas.")))
        == []
    )
    assert (
        serious(check_numbers(one("es", "en", "Hubo 6,000 infectados.", "There were 6,000 infected."))) == []
    )
    # Still a decimal in Spanish, and still a change where the convention has no comma grouping.
    assert serious(check_numbers(one("es", "en", "Subió un 2,5 %.", "It rose 2.5%."))) == []
    assert at_least(check_numbers(one("en", "es", source, "6 del total de 330 personas.")), Severity.CRITICAL)
    [copied] = at_least(
        check_numbers(one("en", "ca", "About 7,000 islands.", "Unes 7,000 illes.")), Severity.ERROR
    )
    assert 'write "7.000"' in copied.message
