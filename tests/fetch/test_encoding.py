from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.fetch.encoding import declared_charset, decode_html

TEXT = "<p>El niño comió piñones en la Península — «¿qué tal?», dijo.</p>" * 5


def test_header_charset_is_used() -> None:
    latin = TEXT.replace("—", "-")
    assert decode_html(latin.encode("iso-8859-15"), "text/html; charset=ISO-8859-15") == latin


def test_meta_charset_is_used_without_a_header() -> None:
    html = '<meta charset="windows-1252">' + TEXT.replace("—", "-")
    assert decode_html(html.encode("cp1252")) == html


def test_mislabelled_utf8_page_is_still_read() -> None:
    # Declares latin-1 but is UTF-8: latin-1 decodes any bytes, so it would give mojibake.
    body = TEXT.encode("utf-8")
    assert declared_charset(body, "text/html; charset=latin-1") == "iso8859-1"
    assert decode_html(body, "text/html; charset=latin-1") == TEXT
    assert decode_html(body, "text/html; charset=bogus-charset") == TEXT


def test_undeclared_legacy_page_is_detected() -> None:
    latin = TEXT.replace("—", "-") * 4
    assert decode_html(latin.encode("cp1252"), "text/html") == latin


def test_bom_and_unknown_bytes() -> None:
    assert decode_html(codecs.BOM_UTF8 + TEXT.encode()) == TEXT
    assert "ni" in decode_html(TEXT.encode("cp1252", errors="replace"), "text/html")


# Sentences written for these tests, one per language, each encoded the way real sites get it wrong.
SENTENCES = {
    "es": "El niño comió piñones en la Península; «¿qué tal?», dijo la señora — y se rió.",
    "fr": "Après l'été, le café du port était fermé : « ça alors », soupira le garçon.",
    "ja": "東京の空は今日も青く、港には新しい船が着きました。市場では魚の値段が少し上がったそうです。",
    "ko": "서울의 아침은 조용했다. 시장 상인들은 올해 겨울이 따뜻할 것이라고 말했다.",
    "ru": "Утром в порту было тихо. Рыбаки говорят, что зима в этом году будет мягкой.",
    "uk": "Увечері в місті пройшов дощ, а на ринку знову подорожчав хліб і сир.",
}


def news_page(language: str) -> str:
    text = SENTENCES[language]
    body = f"<h1>{text[:20]}</h1><p>{text}</p><p>{text}</p>"
    return f"<html><head><title>Noticias</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("language", "real", "label"),
    [
        ("es", "cp1252", "text/html; charset=utf-8"),
        ("fr", "cp1252", "text/html; charset=UTF-8"),
        ("ja", "shift_jis", "text/html; charset=iso-8859-1"),
        ("ko", "euc_kr", "text/html; charset=iso-8859-1"),
        ("ru", "koi8_r", "text/html; charset=iso-8859-1"),
        ("ru", "utf-8", "text/html; charset=windows-1251"),
        ("uk", "utf-8", "text/html; charset=koi8-u"),
        ("es", "cp1252", "text/html; charset=iso-8859-1"),  # the standard reads this label as windows-1252
        ("ja", "shift_jis", "text/html"),
        ("ru", "cp1251", "text/html"),
    ],
)
def test_mislabeled_pages_are_read_right(language: str, real: str, label: str) -> None:
    html = news_page(language)
    assert decode_html(html.encode(real), label) == html


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_with_a_byte_order_mark_and_no_label(codec: str) -> None:
    html = news_page("ja")
    body = html.encode(codec) if codec != "utf-16-be" else codecs.BOM_UTF16_BE + html.encode(codec)
    assert declared_charset(body) in ("utf-16", "utf-32")
    assert decode_html(body, "text/html") == html
    assert decode_html(body, "text/html; charset=iso-8859-1") == html  # the mark beats the label


@given(
    st.binary(max_size=2048),
    st.sampled_from(
        [
            "",
            "text/html",
            "text/html; charset=utf-8",
            "text/html; charset=shift_jis",
            "text/html; charset=utf-16",
            "text/html; charset=x-bogus",
            "text/html; charset=koi8-r",
        ]
    ),
)
@settings(max_examples=150, deadline=None)
def test_decoding_never_raises(body: bytes, content_type: str) -> None:
    assert isinstance(decode_html(body, content_type), str)
