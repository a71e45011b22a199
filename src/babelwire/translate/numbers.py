"""Numbers in each language's convention: 175.000 (es) is 175,000 (en); 3,5 is 3.5.

Protected numbers are re-inserted in the target language's convention, so a translation
never turns "175.000 personas" into "175.000 people" (175 people to an English reader).
Only unambiguous forms are converted: a decimal part, or thousands groups of exactly three
digits; "10.30" (a Spanish time) and "2026" are left alone. Written by hand: Babel formats
numbers for a locale but does not parse the loose forms news text uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP_NARROW = "\u202f"


@dataclass(frozen=True)
class Convention:
    decimal: str
    group: str
    group_alternatives: str = ""


COMMA_DECIMAL_DOT_GROUP = Convention(decimal=",", group=".", group_alternatives=" \u00a0\u202f")
CONVENTIONS: dict[str, Convention] = {
    "en": Convention(decimal=".", group=","),
    "zh": Convention(decimal=".", group=","),
    "ja": Convention(decimal=".", group=","),
    "ar": Convention(decimal=".", group=","),
    "fr": Convention(decimal=",", group=NBSP_NARROW, group_alternatives=" \u00a0."),
    "ru": Convention(decimal=",", group="\u00a0", group_alternatives=" \u202f"),
    "uk": Convention(decimal=",", group="\u00a0", group_alternatives=" \u202f"),
    "pl": Convention(decimal=",", group="\u00a0", group_alternatives=" \u202f"),
}
for _code in ("es", "ca", "gl", "eu", "it", "pt", "de", "nl", "da", "ro", "tr", "id"):
    CONVENTIONS[_code] = COMMA_DECIMAL_DOT_GROUP


def convention(lang: str) -> Convention:
    return CONVENTIONS.get(lang, CONVENTIONS["en"])


def localize_number(token: str, source_lang: str, target_lang: str) -> str:
    """`token` written for `target_lang`; unchanged when the form is ambiguous or conventions agree."""
    src, tgt = convention(source_lang), convention(target_lang)
    if src == tgt:
        return token
    parsed = _parse(token, src)
    if parsed is None:
        return token
    integer, fraction = parsed
    if len(integer) > 4 or (src.group in token or any(g in token for g in src.group_alternatives)):
        grouped = _group(integer, tgt.group)
    else:
        grouped = integer
    return grouped + (tgt.decimal + fraction if fraction is not None else "")


def _parse(token: str, conv: Convention) -> tuple[str, str | None] | None:
    groups = re.escape(conv.group + conv.group_alternatives)
    match = re.fullmatch(rf"(\d{{1,3}}(?:[{groups}]\d{{3}})+|\d+)(?:{re.escape(conv.decimal)}(\d+))?", token)
    if match is None:
        return None
    integer = re.sub(r"\D", "", match.group(1))
    fraction = match.group(2)
    if fraction is None and integer == match.group(1):
        return None  # a plain integer: nothing to convert
    return integer, fraction


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)
