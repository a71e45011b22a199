"""Every piece of page chrome on the demo papers, as the templates render it.

`Chrome` holds one paper's chrome; `DIARIO_CHROME` is El Diario del Puerto's (Spanish, the module
constants below, which older tests use by name), chrome_ca.py holds La Gaseta de Vilamar's.

Extraction must keep an article and drop everything around it. Tests of the whole pipeline
check that no published article contains any of `CHROME_STRINGS`; for that check to mean
anything the list must be complete (tests/demo/test_chrome.py parses rendered pages and fails
on any visible text outside the article that is not listed here) and no string may occur in
the articles themselves (also tested). Match them case-sensitively: section names such as
"Cultura" are chrome, while "cultura" in a sentence is not.

The masthead name (`SITE_NAME`) is deliberately not chrome: it is the source name that
publishing must show as attribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

SITE_NAME = "El Diario del Puerto"


class Comment(NamedTuple):
    """A reader comment shown under articles (chrome: it is not part of the story)."""

    author: str
    when: str
    text: str


SKIP_LINK = "Saltar al contenido"
TAGLINE = "Noticias de la bahía desde 1921"
ACCOUNT_LINKS = ("Suscríbete", "Iniciar sesión")

# (label, url slug): the top navigation bar; article sections use the same labels.
NAV_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Portada", ""),
    ("Ciudad", "ciudad"),
    ("Región", "region"),
    ("Nacional", "nacional"),
    ("Internacional", "internacional"),
    ("Economía", "economia"),
    ("Cultura", "cultura"),
    ("Deportes", "deportes"),
)

COOKIE_TEXTS = (
    "Utilizamos cookies propias y de terceros para analizar el tráfico y mostrarte publicidad personalizada.",
    "Puedes aceptarlas, rechazarlas o elegir cuáles permites.",
    "Aceptar todas",
    "Rechazar todas",
    "Configurar cookies",
)

SHARE_TEXTS = (
    "Comparte esta noticia",
    "Compartir en Facebook",
    "Compartir en X",
    "Enviar por WhatsApp",
    "Copiar enlace",
)

NEWSLETTER_TEXTS = (
    "Boletín de la mañana",
    "Recibe cada día a las 7.00 las noticias más importantes del puerto en tu correo.",
    "Tu correo electrónico",
    "Suscribirme",
    "Puedes darte de baja cuando quieras.",
)

RELATED_HEADING = "Noticias relacionadas"
MOST_READ_HEADING = "Lo más leído"
LATEST_HEADING = "Últimas noticias"
READ_MORE = "Leer más"

AD_TEXTS = (
    "Publicidad",
    "Seguros Costamar: protege tu casa desde 9 euros al mes",
)

COMMENTS: tuple[Comment, ...] = (
    Comment("Marinero_de_agua_dulce", "hace 2 horas", "Ya era hora. Llevamos años esperando algo así."),
    Comment("Carmen R.", "hace 3 horas", "Muy buen artículo, gracias por contarlo con tanto detalle."),
    Comment("vecino_del_muelle", "hace 5 horas", "¿Y quién va a pagar todo esto? Siempre los mismos."),
    Comment("Lolo1978", "hace 8 horas", "Esto en el periódico de papel de esta mañana no venía."),
    Comment("Ana_bahía", "hace 1 día", "Que alguien del ayuntamiento lea estos comentarios, por favor."),
    Comment("Pescador jubilado", "hace 2 días", "En mis tiempos esto no pasaba. Qué cambiado está todo."),
)

COMMENT_SECTION_TEXTS = (
    "Comentarios de los lectores",
    "Responder",
    "Deja tu comentario",
    "Publicar comentario",
    "Los comentarios son moderados y no representan la opinión de este periódico.",
)

FOOTER_TEXTS = (
    "Quiénes somos",
    "Contacto",
    "Aviso legal",
    "Política de privacidad",
    "Política de cookies",
    "© 2026 Editorial Bahía Comunicación S. L. Todos los derechos reservados.",
)


class Link(NamedTuple):
    """A chrome link: its visible label and where it points."""

    label: str
    href: str


@dataclass(frozen=True)
class Chrome:
    """Everything a demo paper's templates print around its articles, in the paper's language.

    `strings` is the visible text (what must never reach a published article); the rest are the
    labels and addresses that are not shown as text (aria-labels, hrefs, a placeholder).
    """

    site_name: str
    tagline: str
    skip_link: str
    account_links: tuple[Link, ...]
    nav_label: str
    nav_sections: tuple[tuple[str, str], ...]  # (label, url slug); the first is the front page
    cookie_label: str
    cookie_texts: tuple[str, str, str, str, str]  # two paragraphs, accept, reject, settings link
    cookie_settings_href: str
    share_texts: tuple[str, str, str, str, str]  # heading, Facebook, X, WhatsApp, copy link
    newsletter_texts: tuple[str, str, str, str, str]  # heading, pitch, field label, button, small print
    newsletter_placeholder: str
    related_heading: str
    most_read_heading: str
    latest_heading: str
    read_more: str
    ad_texts: tuple[str, str]  # label, advert
    ad_href: str
    comments: tuple[Comment, ...]
    comment_section_texts: tuple[str, str, str, str, str]  # heading, reply, form heading, button, note
    comment_field_label: str
    footer_label: str
    footer_links: tuple[Link, ...]
    copyright: str

    @property
    def home_only(self) -> frozenset[str]:
        """Chrome of the front page alone (article pages do not show it)."""
        return frozenset({self.latest_heading, self.read_more})

    @property
    def strings(self) -> tuple[str, ...]:
        """Every visible chrome text, in page order (the masthead name is attribution, not chrome)."""
        return (
            self.skip_link,
            self.tagline,
            *(link.label for link in self.account_links),
            *(label for label, _ in self.nav_sections),
            *self.cookie_texts,
            *self.share_texts,
            *self.newsletter_texts,
            self.related_heading,
            self.most_read_heading,
            self.latest_heading,
            self.read_more,
            *self.ad_texts,
            *self.comment_section_texts,
            *(comment.author for comment in self.comments),
            *(comment.when for comment in self.comments),
            *(comment.text for comment in self.comments),
            *(link.label for link in self.footer_links),
            self.copyright,
        )


DIARIO_CHROME = Chrome(
    site_name=SITE_NAME,
    tagline=TAGLINE,
    skip_link=SKIP_LINK,
    account_links=(Link(ACCOUNT_LINKS[0], "/suscripciones.html"), Link(ACCOUNT_LINKS[1], "/acceso.html")),
    nav_label="Secciones",
    nav_sections=NAV_SECTIONS,
    cookie_label="Aviso de cookies",
    cookie_texts=COOKIE_TEXTS,
    cookie_settings_href="/politica-de-cookies.html#configurar",
    share_texts=SHARE_TEXTS,
    newsletter_texts=NEWSLETTER_TEXTS,
    newsletter_placeholder="nombre@ejemplo.com",
    related_heading=RELATED_HEADING,
    most_read_heading=MOST_READ_HEADING,
    latest_heading=LATEST_HEADING,
    read_more=READ_MORE,
    ad_texts=AD_TEXTS,
    ad_href="https://www.seguroscostamar.example/hogar",
    comments=COMMENTS,
    comment_section_texts=COMMENT_SECTION_TEXTS,
    comment_field_label="Comentario",
    footer_label="Información legal",
    footer_links=tuple(
        Link(label, href)
        for label, href in zip(
            FOOTER_TEXTS[:-1],
            (
                "/quienes-somos.html",
                "/contacto.html",
                "/aviso-legal.html",
                "/politica-de-privacidad.html",
                "/politica-de-cookies.html",
            ),
            strict=True,
        )
    ),
    copyright=FOOTER_TEXTS[-1],
)

CHROME_STRINGS: tuple[str, ...] = DIARIO_CHROME.strings
