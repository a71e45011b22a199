"""Every check of the automated editor, by name: one module and one function each."""

from __future__ import annotations

from babelwire.review.checks.boilerplate import check_boilerplate
from babelwire.review.checks.entities import check_entities
from babelwire.review.checks.length import check_length
from babelwire.review.checks.markers import check_markers
from babelwire.review.checks.negation import check_negation
from babelwire.review.checks.numbers import check_numbers
from babelwire.review.checks.quotes import check_quotes
from babelwire.review.checks.repetition import check_repetition
from babelwire.review.checks.roundtrip import check_roundtrip
from babelwire.review.checks.tokens import check_tokens
from babelwire.review.checks.untranslated import check_untranslated
from babelwire.review.findings import Check

CHECKS: dict[str, Check] = {
    "numbers": check_numbers,
    "entities": check_entities,
    "tokens": check_tokens,
    "quotes": check_quotes,
    "markers": check_markers,
    "boilerplate": check_boilerplate,
    "repetition": check_repetition,
    "length": check_length,
    "untranslated": check_untranslated,
    "negation": check_negation,
    "roundtrip": check_roundtrip,
}
