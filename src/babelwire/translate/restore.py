"""Put protected tokens back into an engine's output, and prove that every one came back.

A placeholder must come back exactly once, intact, and not stranded after the sentence's
final punctuation where the source had it inside the sentence (Apertium's "on 23 March 1
<var></var>. 2026"). A token the engine was given as written must still be there, as
written or already in the target's form; numbers are then written in the target
language's convention. Whatever fails is reported on the `Restored` value, and the
translator translates that sentence again with another scheme. Nothing is ever appended
to a sentence: a lost number stays lost and visible to the editor, never glued on at the
end (the seed site's "before 0 April . 10").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from babelwire.translate.inline import to_text
from babelwire.translate.protect import (
    TOKEN_PATTERNS,
    WORD_PREFIX,
    Protected,
    Token,
    inline_form,
    word_index,
)
from babelwire.translate.scheme import Scheme

_TAG_PLACEHOLDER = re.compile(r"<var\b[^>]*>\s*(\d*)\s*</var>|<var\b[^>]*>|</var>", re.IGNORECASE)
_WORD_PLACEHOLDER = re.compile(rf"(?<![^\W\d_]){WORD_PREFIX}([a-z]+)(?![^\W\d_])", re.IGNORECASE)
_NUMBER = re.compile(dict(TOKEN_PATTERNS)["number"])
IndexOf = Callable[[re.Match[str]], int]
_SENTENCE_END = re.compile(r"[.!?…][\"'”»’)]*\s*$")


@dataclass(frozen=True)
class Restored:
    """The output with tokens back; what was lost (source forms) and what came back broken."""

    html: str
    missing: tuple[str, ...] = ()
    broken: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.missing and not self.broken

    @property
    def faults(self) -> int:
        return len(self.missing) + len(self.broken)


def restore(output: str, protected: Protected, scheme: Scheme, markup: str = "html") -> Restored:
    """`output` of an engine sent `protected.render(scheme, markup)`, with every token put back."""
    html = output if markup == "html" else escape(output, quote=False)
    if not protected.tokens:
        return Restored(_strip_stray_tags(html) if markup == "html" else html)
    broken: list[str] = []
    missing: list[str] = []
    html = _put_back_placeholders(html, protected, scheme, missing, broken)
    html = _check_inline_tokens(html, protected, scheme, missing)
    return Restored(html, tuple(missing), tuple(broken))


def _put_back_placeholders(
    html: str, protected: Protected, scheme: Scheme, missing: list[str], broken: list[str]
) -> str:
    expected = {i for i, token in enumerate(protected.tokens) if not scheme.inline(token.kind)}
    pattern, index_of = (
        (_WORD_PLACEHOLDER, _word_index) if scheme.placeholder == "word" else (_TAG_PLACEHOLDER, _tag_index)
    )
    seen: dict[int, int] = {}
    for match in pattern.finditer(html):
        index = index_of(match)
        if index in expected:
            seen[index] = seen.get(index, 0) + 1
        else:
            broken.append(f"stray placeholder {match.group(0)!r}")
    for index in sorted(expected):
        count = seen.get(index, 0)
        if count == 0:
            missing.append(protected.tokens[index].source)
        elif count > 1:
            broken.append(f"{protected.tokens[index].source!r} came back {count} times")
    stranded = _stranded(html, pattern, index_of, protected, scheme)
    broken.extend(f"{protected.tokens[i].source!r} moved past the sentence end" for i in stranded)

    def put_back(match: re.Match[str]) -> str:
        index = index_of(match)
        if index not in expected:
            return ""
        return escape(protected.tokens[index].target, quote=False)

    return pattern.sub(put_back, html)


def _word_index(match: re.Match[str]) -> int:
    return word_index(match.group(1))


def _tag_index(match: re.Match[str]) -> int:
    digits = match.group(1)
    return int(digits) if digits else -1


def _stranded(html: str, pattern: re.Pattern[str], index_of: IndexOf, protected: Protected,
              scheme: Scheme) -> list[int]:  # fmt: skip
    """The output's last placeholder when it stands after the final punctuation and the source's does not."""
    last = _ends_with_stranded(html, pattern)
    if last is None or _ends_with_stranded(protected.render(scheme), pattern) is not None:
        return []  # nothing stranded, or the source itself ends that way ("Más información. @diario")
    index = index_of(last)
    return [index] if index >= 0 else []


def _ends_with_stranded(html: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(html):  # noqa: B007 - the last match is wanted
        pass
    if last is None or to_text(html[last.end() :]).strip():
        return None
    return last if _SENTENCE_END.search(to_text(html[: last.start()])) else None


def _check_inline_tokens(html: str, protected: Protected, scheme: Scheme, missing: list[str]) -> str:
    """Tokens sent as written must still be there; numbers are then localized in place."""
    taken: list[tuple[int, int]] = []
    for token in protected.tokens:
        if not scheme.inline(token.kind):
            continue
        if token.kind == "number":
            html, found = _localize_number(html, token, taken)
        else:
            found = _take(html, escape(inline_form(token), quote=False), taken) or (
                token.kind == "glossary" and _take(html, escape(token.source, quote=False), taken)
            )
        if not found:
            missing.append(token.source)
    return html


def _localize_number(html: str, token: Token, taken: list[tuple[int, int]]) -> tuple[str, bool]:
    """Find the token among the output's numbers (as written, localized, or with other separators)."""
    matches = [m for m in _NUMBER.finditer(html) if not _overlaps(m.span(), taken)]
    exact = [m for m in matches if m.group(0) in (token.source, token.target)]
    loose = [m for m in matches if _digits(m.group(0)) == _digits(token.source)]
    if not exact and not loose:
        return html, False
    chosen = (exact or loose)[0]
    start, end = chosen.span()
    replacement = token.target if chosen.group(0) == token.source else chosen.group(0)
    shift = len(replacement) - (end - start)
    for i, (a, b) in enumerate(taken):  # keep earlier spans valid after the replacement
        if a >= end:
            taken[i] = (a + shift, b + shift)
    taken.append((start, start + len(replacement)))
    return html[:start] + replacement + html[end:], True


def _take(html: str, text: str, taken: list[tuple[int, int]]) -> bool:
    """Claim one occurrence of `text` not claimed yet by an earlier token."""
    start = html.find(text)
    while start != -1:
        span = (start, start + len(text))
        if not _overlaps(span, taken):
            taken.append(span)
            return True
        start = html.find(text, start + 1)
    return False


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _strip_stray_tags(html: str) -> str:
    """Without tokens there is nothing to put back; a stray `<var>` an engine made up goes."""
    return html if "<var" not in html.lower() else _TAG_PLACEHOLDER.sub("", html)
