from __future__ import annotations

import codecs

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
