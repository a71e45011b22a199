"""Every piece of visible page chrome on the demo site, as the templates render it.

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

CHROME_STRINGS: tuple[str, ...] = (
    SKIP_LINK,
    TAGLINE,
    *ACCOUNT_LINKS,
    *(label for label, _ in NAV_SECTIONS),
    *COOKIE_TEXTS,
    *SHARE_TEXTS,
    *NEWSLETTER_TEXTS,
    RELATED_HEADING,
    MOST_READ_HEADING,
    LATEST_HEADING,
    READ_MORE,
    *AD_TEXTS,
    *COMMENT_SECTION_TEXTS,
    *(comment.author for comment in COMMENTS),
    *(comment.when for comment in COMMENTS),
    *(comment.text for comment in COMMENTS),
    *FOOTER_TEXTS,
)
