"""Regular expressions written by people (index-page link patterns, editorial filter rules).

Python's re has no timeout, so a pattern that could backtrack for ever would stall the whole
wire on one hostile title or URL. One rule for every such pattern: a bounded length and no
nested repeats ("(a+)+"), the classic catastrophic-backtracking shape; the texts they run on
are bounded by the stages (links at 2000 characters, article bodies by fetch.max_bytes).
"""

from __future__ import annotations

import re

MAX_PATTERN_LENGTH = 200
# A quantified group that itself holds a quantifier: "(a+)+", "(x*y)*", "(\d{2})+".
_NESTED_QUANTIFIER = re.compile(r"\([^)]*[+*}][^)]*\)[+*{]")


class UnsafePatternError(ValueError):
    """A pattern refused: the message says why ("link pattern has a nested repeat")."""


def compile_safe_pattern(pattern: str, what: str = "pattern", flags: int = 0) -> re.Pattern[str]:
    """Compile a person's pattern, refusing one that is invalid or could backtrack for ever.

    `what` names the pattern in the message ("link pattern", "filter regex"); callers add the fix.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePatternError(f"{what} longer than {MAX_PATTERN_LENGTH} chars")
    if _NESTED_QUANTIFIER.search(pattern):
        raise UnsafePatternError(f"{what} has a nested repeat")
    try:
        return re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePatternError(f"invalid {what} ({exc})") from exc
