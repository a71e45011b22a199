from __future__ import annotations

import pytest

from babelwire.domain import Source
from babelwire.sources.errors import SourceError
from babelwire.sources.opml import parse_opml, render_opml

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="Spanish press">
    <outline text="El Diario" title="El Diario" type="rss" xmlUrl="https://diario.example/rss.xml"
             htmlUrl="https://diario.example/" language="es"/>
    <outline text="La Veu" type="rss" xmlUrl="https://veu.example/feed"/>
  </outline>
  <outline text="dup" xmlUrl="https://diario.example/rss.xml"/>
  <outline text="folder without feed"/>
  <outline text="bad scheme" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


def test_nested_outlines_are_imported_once() -> None:
    sources = parse_opml(OPML)
    assert [(s.name, s.url, s.language) for s in sources] == [
        ("El Diario", "https://diario.example/rss.xml", "es"),
        ("La Veu", "https://veu.example/feed", None),
    ]
    assert sources[0].site_url == "https://diario.example/"


def test_export_then_import_round_trips() -> None:
    sources = [
        Source(
            name="El Diario",
            url="https://diario.example/rss.xml",
            language="es",
            site_url="https://diario.example/",
        ),
        Source(name="Ça & là <b>", url="https://fr.example/atom"),
    ]
    assert parse_opml(render_opml(sources)) == sources


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<rss/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml><body>'
        b'<outline text="&e;" xmlUrl="https://a.example/"/></body></opml>',
    ],
)
def test_bad_opml_is_refused_or_harmless(data: bytes) -> None:
    try:
        sources = parse_opml(data)
    except SourceError as exc:
        assert exc.reason == "invalid_opml"
    else:  # the entity case: parsed, but the external entity was never read
        assert all("root:" not in s.name for s in sources)
