"""The sentence segmenter on news text: the gold set, each news rule, span invariants, the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from babelwire.commands.segment import segment_command
from babelwire.translate.segmenter import sentence_spans, split_sentences

GOLD_FILE = Path(__file__).parent / "testdata" / "segmentation.jsonl"
NEWS_LANGS = {"en", "es", "ca", "fr", "de", "it", "pt", "ru", "uk", "ar"}


def load_gold() -> list[dict[str, object]]:
    return [json.loads(line) for line in GOLD_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def assert_span_invariants(text: str, spans: list[tuple[int, int]]) -> None:
    """In order, non-overlapping, non-empty, stripped, and nothing but whitespace outside them."""
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[position:start].strip() == "", (text, spans)
        assert text[start:end] == text[start:end].strip()
        position = end
    assert text[position:].strip() == ""


# --- the gold set ----------------------------------------------------------------------------


def test_gold_set_is_well_formed_and_covers_the_news_languages() -> None:
    gold = load_gold()
    assert len(gold) >= 100
    assert {row["lang"] for row in gold} >= NEWS_LANGS
    for row in gold:
        text, sentences = row["text"], row["sentences"]
        assert isinstance(text, str) and isinstance(sentences, list) and sentences
        # The gold sentences are the text, in order, with only whitespace between them.
        position = 0
        for sentence in sentences:
            start = text.find(sentence, position)
            assert start >= 0 and text[position:start].strip() == "", (text, sentence)
            position = start + len(sentence)
        assert text[position:].strip() == ""


def test_exact_split_rate_on_the_gold_set_is_at_least_98_percent() -> None:
    gold = load_gold()
    failures = [
        (row["lang"], row["sentences"], got)
        for row in gold
        if (got := split_sentences(str(row["text"]), str(row["lang"]))) != row["sentences"]
    ]
    rate = 1 - len(failures) / len(gold)
    assert rate >= 0.98, failures


def test_gold_spans_satisfy_the_invariants() -> None:
    for row in load_gold():
        text = str(row["text"])
        assert_span_invariants(text, sentence_spans(text, str(row["lang"])))


# --- each news rule, as a must-pass case -----------------------------------------------------

MUST_PASS: list[tuple[str, list[str]]] = [  # (lang, sentences); the text is them joined by a space
    # U.S. / EE. UU. mid-sentence and at the end (seed defects 2, 3)
    ("en", ["Officials said U.S. intelligence agencies had tracked the buildup."]),
    ("en", ["The plan was drafted in the U.S.", "The allies approved it."]),
    ("en", ["The U.S. Senate passed the bill."]),
    ("es", ["El Gobierno de EE. UU. anunció sanciones."]),
    ("es", ["La cumbre será en EE. UU.", "El rey asistirá."]),
    # seed defect 10: "according to a statement. White House."
    (
        "en",
        ["Biden spoke with allies, according to a White House statement.", "They agreed to stay in contact."],
    ),
    # times and time zones
    ("en", ["The meeting began shortly after 10 a.m. ET, the White House said."]),
    ("en", ["The jet landed at 6:45 a.m. Tuesday in Kyiv."]),
    ("en", ["Polls close at 8 p.m.", "The count starts at once."]),
    ("es", ["Llegó a las 9 a. m.", "El ministro lo recibió."]),
    ("es", ["El tren salió a las 10.30 h.", "Llegó con retraso."]),
    # titles
    ("en", ["Sen. Susan Collins and Gen. Lloyd Austin met Dr. Rochelle Walensky."]),
    ("es", ["El Sr. Ruiz y la Dra. Sanz se reunieron."]),
    ("de", ["Prof. Dr. Weber leitet die Studie."]),
    ("fr", ["M. Dupont a rencontré Mme Leroy."]),
    ("it", ["L’On. Bianchi e il Sig. Neri sono arrivati."]),
    # state abbreviations
    ("en", ["Sen. Ed Markey, D-Mass., voted against it."]),
    ("en", ["The vote was led by Rep. Jim Jordan, R-Ohio.", "The motion failed."]),
    ("en", ["She grew up in Tampa, Fla.", "Her family still lives there."]),
    # numbers in both conventions
    ("en", ["Growth slowed to 3.5 percent.", "Exports fell 175,000 tons."]),
    ("es", ["El paro bajó un 3,5 %.", "Unas 175.000 personas encontraron empleo."]),
    ("de", ["Am 3. Oktober ist Feiertag.", "Die Läden bleiben zu."]),
    ("de", ["Die Mannschaft wurde 3.", "Der Trainer bleibt."]),
    # initials
    ("en", ["John F. Kennedy and J. R. R. Tolkien were mentioned."]),
    ("ru", ["Совещание провел В. В. Путин."]),
    # quotes ending sentences, in every style
    ("en", ["“We are ready.”", "The minister left."]),
    ("en", ['"We are ready."', "The minister left."]),
    ("en", ["He called it ‘a disaster.’", "The party disagreed."]),
    ("en", ["“There will be no live broadcast.” he said."]),
    ("en", ["“Why now?” Peskov asked.", "Nobody answered."]),
    ("es", ["«No habrá acuerdo», dijo.", "«Seguiremos», añadió."]),
    ("es", ["«¿Habrá acuerdo?», preguntó.", "Nadie respondió."]),
    ("es", ["Dijo: «Estamos listos».", "Luego se fue."]),
    ("ca", ["Va dir: «Estem preparats.»", "Després va marxar."]),
    ("fr", ["« Nous sommes prêts. »", "Le ministre est parti."]),
    ("fr", ["« Est-ce la fin ? » a demandé le juge.", "Personne n’a répondu."]),
    ("de", ["„Die Lage ist ernst.“", "Die Ministerin schwieg."]),
    ("de", ["»Wir sind bereit.«", "Der Minister ging."]),
    ("ru", ["«Это трагедия!» — сказал губернатор.", "Объявлен траур."]),
    ("ja", ["「準備はできている。」と首相は述べた。", "会談は続いた。"]),
    # a closing quote after a space, as scraped pages have it ("the Russian economy. ”")
    ("en", ["He warned of damage to the economy. ”", "Then he left."]),
    # ellipsis, ? and !, Spanish ¿¡
    ("en", ["He paused... then went on.", "Nobody spoke."]),
    ("es", ["¿Qué pasará?", "¡Nadie lo sabe!", "Habrá reunión."]),
    ("es", ["¿Habrá elecciones? se preguntan todos."]),
    # Arabic question mark and full stop, Arabic-script titles
    ("ar", ["هل انتهت الأزمة؟", "لا أحد يعرف.", "وقال د. أحمد إن الوضع مستقر."]),
    # Cyrillic abbreviations
    ("ru", ["В 1991 г. СССР распался.", "В 2022 г.", "Это изменилось."]),
    ("ru", ["Обсудили налоги, пошлины и т. д.", "Решение примут позже."]),
    ("uk", ["Ракета влучила в м. Харків.", "Є загиблі."]),
    # the long tail: abbreviations not in babelwire's lists, known to sentencex's
    ("en", ["The case went to Det. Mark Olsen.", "He declined to comment."]),
    ("es", ["Firmó el Lcdo. Ruiz.", "Nadie se opuso."]),
    ("it", ["Ha parlato il Cav. Neri.", "Poi è uscito."]),
    # an unknown word followed by a sentence opener ends the sentence ("sa." is no abbreviation)
    ("it", ["Nessuno lo sa.", "Il governo tace."]),
]


@pytest.mark.parametrize(
    ("lang", "expected"), MUST_PASS, ids=[f"{c[0]}-{i}" for i, c in enumerate(MUST_PASS)]
)
def test_news_rule(lang: str, expected: list[str]) -> None:
    text = ("" if lang in ("ja", "zh") else " ").join(expected)
    assert split_sentences(text, lang) == expected
    assert_span_invariants(text, sentence_spans(text, lang))


def test_spans_are_exact_offsets_into_the_given_text() -> None:
    text = "  Sen. Warren spoke.\n\n“Why?” she asked.  Next\u00a0one.  "
    spans = sentence_spans(text, "en")
    assert [text[s:e] for s, e in spans] == ["Sen. Warren spoke.", "“Why?” she asked.", "Next\u00a0one."]
    assert spans[0] == (2, 20)


# --- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t\u00a0\u202f"])
def test_empty_or_whitespace_gives_no_sentences(text: str) -> None:
    assert sentence_spans(text, "en") == []
    assert split_sentences(text, "es") == []


@pytest.mark.parametrize("text", [".", "?!", "... !!! ???", "«»", "“.” ‘!’", "؟ ؟", "。。"])
def test_only_punctuation_keeps_the_invariants(text: str) -> None:
    spans = sentence_spans(text, "en")
    assert spans
    assert_span_invariants(text, spans)


def test_very_long_paragraph_without_punctuation_is_one_fast_sentence() -> None:
    text = "word " * 40_000 + "end"
    started = time.perf_counter()
    spans = sentence_spans(text, "en")
    assert spans == [(0, len(text))]
    assert time.perf_counter() - started < 2.0


def test_very_long_run_of_periods_and_abbreviations_is_fast() -> None:
    text = "Dr. U.S. a.m. " * 5_000 + "x." * 10_000
    started = time.perf_counter()
    assert_span_invariants(text, sentence_spans(text, "en"))
    assert time.perf_counter() - started < 2.0


def test_html_entities_and_markup_leftovers_do_not_break_invariants() -> None:
    text = "AT&amp;T shares rose 2%.&nbsp;The deal closed. Prices &gt; 3.5 &euro;. <b>Done.</b> Next."
    spans = sentence_spans(text, "en")
    assert_span_invariants(text, spans)
    assert split_sentences(text, "en")[0] == "AT&amp;T shares rose 2%.&nbsp;The deal closed."


@pytest.mark.parametrize("lang", ["xx", "", "zz-QQ", "EN", "pt-BR", "es_ES", "x" * 200])
def test_unknown_or_odd_language_codes_fall_back(lang: str) -> None:
    assert split_sentences("Dr. Smith arrived at 10 a.m. ET. He left.", lang) == [
        "Dr. Smith arrived at 10 a.m. ET.",
        "He left.",
    ]


def test_lone_surrogates_and_control_characters_do_not_crash() -> None:
    text = "Bad \ud800 text. Another\x00 one. Bien."
    assert_span_invariants(text, sentence_spans(text, "es"))


def test_astral_characters_keep_offsets_exact() -> None:
    text = "Fans cheered 🎉. The 𝔘.𝔖. team won."
    assert split_sentences(text, "en")[0] == "Fans cheered 🎉."
    assert_span_invariants(text, sentence_spans(text, "en"))


def test_languages_outside_the_news_set_use_their_own_punctuation() -> None:
    assert split_sentences("他来了。她走了！真的吗？", "zh") == ["他来了。", "她走了！", "真的吗？"]
    assert split_sentences("वह आया। वह चला गया।", "hi") == ["वह आया।", "वह चला गया।"]


def test_segmentation_is_deterministic() -> None:
    for row in load_gold()[:20]:
        text, lang = str(row["text"]), str(row["lang"])
        assert sentence_spans(text, lang) == sentence_spans(text, lang)


# --- property-based: the invariants hold for any text ----------------------------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev extra

    def test_span_invariants_fuzzed() -> None:
        pytest.skip("hypothesis is not installed")

else:
    _PIECES = [*"aZ. .!?…;:,\n\u00a0\u202f0123456789-()\"'“”‘’«»„¿¡؟。」「"]
    _PIECES += ["Sen.", "U.S.", "EE. UU.", "г.", "د.", "a.m. ", "Гм", "ب", " Die", " The"]
    _ALPHABET = st.sampled_from(_PIECES)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from(sorted(NEWS_LANGS | {"xx", "ja"})))
    def test_span_invariants_fuzzed(text: str, lang: str) -> None:
        spans = sentence_spans(text, lang)
        assert_span_invariants(text, spans)
        assert spans == sentence_spans(text, lang)
        assert (spans == []) == (text.strip() == "")


# --- the CLI ---------------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("segment")(segment_command)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps typer from collapsing the app into one command
        """Unused."""

    return app


def test_cli_prints_one_sentence_per_line_and_separates_paragraphs() -> None:
    stdin = "Sen. Warren spoke at 10 a.m. ET.\nShe left\nearly.\n\n\n“Why?” he asked. Nobody knew.\n"
    result = CliRunner().invoke(_app(), ["segment", "--lang", "en"], input=stdin)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Sen. Warren spoke at 10 a.m. ET.",
        "She left early.",
        "",
        "“Why?” he asked.",
        "Nobody knew.",
    ]


def test_cli_requires_a_language_and_handles_empty_input() -> None:
    runner = CliRunner()
    assert runner.invoke(_app(), ["segment"], input="Hola.").exit_code != 0
    result = runner.invoke(_app(), ["segment", "--lang", "es"], input="")
    assert result.exit_code == 0
    assert result.output == ""
