"""Cut a long sentence in two at a clause boundary: one more way to translate a flagged sentence.

Engines often go wrong on one long sentence and right on its two halves (a rule-based engine's
transfer rules reach across the whole chunk; a neural one drops a clause). The cut is at a
semicolon or colon, else at the comma nearest the middle, and only where both halves have a
few words. Sentences with inline markup are left whole: cutting them could split a link.
"""

from __future__ import annotations

import re

_STRONG = re.compile(r"[;:](?=\s)")
_COMMA = re.compile(r",(?=\s)")
MIN_WORDS = 4


def clause_halves(sentence_html: str, lang: str) -> list[str]:
    """Two halves of the sentence at its best clause boundary; [] when there is none worth cutting."""
    if "<" in sentence_html:
        return []
    for pattern in (_STRONG, _COMMA):
        cuts = [m.end() for m in pattern.finditer(sentence_html)]
        middle = len(sentence_html) / 2
        for cut in sorted(cuts, key=lambda c: abs(c - middle)):
            head, tail = sentence_html[:cut].strip(), sentence_html[cut:].strip()
            if len(head.split()) >= MIN_WORDS and len(tail.split()) >= MIN_WORDS:
                return [head, tail]
    return []
