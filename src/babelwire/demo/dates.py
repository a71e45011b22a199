"""Dates as each demo paper prints them under a headline ("2 de marzo de 2026, 09.15 h").

The pages print the date in the paper's language while the markup carries it as ISO 8601, as
real newspapers do; extraction must read the machine one, translation must carry the words.
"""

from __future__ import annotations

from datetime import datetime

_SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_CATALAN_MONTHS = (
    "gener", "febrer", "març", "abril", "maig", "juny",
    "juliol", "agost", "setembre", "octubre", "novembre", "desembre",
)  # fmt: skip


def format_spanish_date(moment: datetime) -> str:
    """The date as El Diario del Puerto prints it, e.g. "2 de marzo de 2026, 09.15 h"."""
    return f"{moment.day} de {_SPANISH_MONTHS[moment.month - 1]} de {moment.year}, {moment:%H.%M} h"


def format_catalan_date(moment: datetime) -> str:
    """The date as La Gaseta de Vilamar prints it: "de" elides before a vowel ("5 d'abril de 2026")."""
    month = _CATALAN_MONTHS[moment.month - 1]
    of = "d'" if month[0] in "aeiou" else "de "
    return f"{moment.day} {of}{month} de {moment.year}, {moment:%H.%M} h"
