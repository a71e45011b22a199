"""The demo newspapers: one site builder, two papers that differ in everything a reader sees.

El Diario del Puerto (Spanish) and La Gaseta de Vilamar (Catalan) report some of the same
events in their own words, and both republish one agency wire story (in Spanish, as the agency
sent it) with their own small edits. That is what the stories stage exists for: the same event
in two languages from two sources, and a near-duplicate to be shown once.
Each paper is served on its own port (its own origin, as two real sites are), by the same
templates filled with its `Chrome`, URL folders and date format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from babelwire.demo.chrome import DIARIO_CHROME, Chrome
from babelwire.demo.chrome_ca import GASETA_CHROME
from babelwire.demo.dates import format_catalan_date, format_spanish_date

LOCALES = {"es": "es_ES", "ca": "ca_ES"}
"""og:locale of each language a demo page may be written in."""


@dataclass(frozen=True)
class Paper:
    """One demo newspaper: its chrome, language, article files and URL layout."""

    key: str  # short name, also `python -m babelwire.demo.server --paper`
    language: str  # ISO 639-1 of its articles and pages (an agency copy may say otherwise)
    language_name: str  # in English, for what `babelwire demo` prints
    chrome: Chrome
    articles_folder: str  # package folder of its article files (babelwire/demo/<folder>/*.toml)
    article_dir: str  # URL folders: /<article_dir>/<slug>.html, /<image_dir>/<slug>.png
    image_dir: str
    section_dir: str
    tag_authority: str  # Atom entry ids: tag:<authority>,2026:<slug>
    accent: str  # the link and rule colour of its pages
    format_date: Callable[[datetime], str]

    @property
    def name(self) -> str:
        return self.chrome.site_name


DIARIO = Paper(
    key="diario",
    language="es",
    language_name="Spanish",
    chrome=DIARIO_CHROME,
    articles_folder="articles",
    article_dir="noticias",
    image_dir="imagenes",
    section_dir="seccion",
    tag_authority="eldiariodelpuerto.example",
    accent="#0b4f7c",
    format_date=format_spanish_date,
)

GASETA = Paper(
    key="gaseta",
    language="ca",
    language_name="Catalan",
    chrome=GASETA_CHROME,
    articles_folder="articles_ca",
    article_dir="noticies",
    image_dir="imatges",
    section_dir="seccio",
    tag_authority="lagasetadevilamar.example",
    accent="#8c2f1b",
    format_date=format_catalan_date,
)

PAPERS: tuple[Paper, ...] = (DIARIO, GASETA)


def paper_named(key: str) -> Paper:
    """The paper with this key; a one-line error naming the known ones otherwise."""
    for paper in PAPERS:
        if paper.key == key:
            return paper
    raise ValueError(f"no demo paper {key!r}; the papers are {', '.join(p.key for p in PAPERS)}")
