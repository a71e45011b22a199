"""Protect what an engine must not touch: URLs, e-mail addresses, @handles, #hashtags,
numbers and glossary terms.

`protect()` finds the tokens of a sentence and marks each with `<var>N</var>` in its own
copy of the sentence; `Protected.render(scheme)` writes what one engine is sent: each token
as that engine's placeholder, or as written where the engine carries it through by itself
(see scheme.py). restore.py puts the tokens back and proves they all came back.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape

from babelwire.translate.glossary import Glossary
from babelwire.translate.inline import to_text
from babelwire.translate.numbers import localize_number
from babelwire.translate.scheme import Scheme

_TRAIL = r"""(?<![.,;:!?)\]»”’"'])"""
TOKEN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("url", r"(?:https?://|www\.)[^\s<>\"«»“”]+" + _TRAIL),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+" + _TRAIL),
    ("handle", r"(?<![\w@])@\w{1,30}"),
    ("hashtag", r"(?<![\w&#])#\w*[^\W\d_]\w*"),
    ("number", r"(?<![\w.,])\d+(?:[.,\u00a0\u202f]\d+)*(?![\w])"),
)
# Every token kind needs a digit, "@", "#" or "www." / "://" somewhere: a quick pre-check.
_MAY_HAVE_TOKENS = re.compile(r"[\d@#]|www\.|://")
_PLACEHOLDER = re.compile(r"<var>\s*(\d+)\s*</var>", re.IGNORECASE)
WORD_PREFIX = "Zxw"  # + letters: a word no dictionary knows, so engines copy it like a name
_TAG_SPLIT = re.compile(r"(<[^>]*>)")


@dataclass(frozen=True)
class Token:
    kind: str
    source: str
    target: str


@dataclass(frozen=True)
class Protected:
    """A sentence ready for an engine, and how to put the protected tokens back."""

    html: str
    tokens: tuple[Token, ...]

    def render(self, scheme: Scheme, markup: str = "html") -> str:
        """The sentence as an engine is sent it: placeholders in the engine's style, or tokens as written.

        Plain-text engines get text (markup dropped, whitespace collapsed)."""
        if not self.tokens:
            rendered = self.html
        else:
            rendered = _PLACEHOLDER.sub(lambda m: self._rendered(int(m.group(1)), scheme), self.html)
        if markup == "html":
            return rendered
        return " ".join(to_text(rendered).split())

    def _rendered(self, index: int, scheme: Scheme) -> str:
        token = self.tokens[index]
        if scheme.inline(token.kind):
            return escape(inline_form(token), quote=False)
        return placeholder(index, scheme)


def inline_form(token: Token) -> str:
    """A token as written into an engine's input: a forced glossary translation goes in as the
    target term (engines copy what they do not know), every other token as in the source."""
    return token.target if token.kind == "glossary" else token.source


def placeholder(index: int, scheme: Scheme) -> str:
    if scheme.placeholder == "word":
        return WORD_PREFIX + word_suffix(index)
    return f"<var>{index}</var>"


def word_suffix(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": letters only (an engine may split or move digits)."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = chr(ord("a") + rest) + letters
        if index == 0:
            return letters


def word_index(suffix: str) -> int:
    index = 0
    for letter in suffix.lower():
        index = index * 26 + ord(letter) - ord("a")
    return index


def protect(
    sentence_html: str, source_lang: str, target_lang: str, glossary: Glossary | None = None
) -> Protected:
    tokens: list[Token] = []
    # Entities are decoded first: "&num;tag" and "&commat;user" are tokens too.
    visible = unescape(sentence_html) if "&" in sentence_html else sentence_html
    if not glossary and not _MAY_HAVE_TOKENS.search(visible):
        return Protected(sentence_html, ())  # the common case, cheaply: nothing to protect
    pattern = _token_pattern(glossary.pattern if glossary else None)

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup or "number"
        text = match.group(0)
        if kind == "glossary":
            target = glossary.translation_of(text) if glossary else text
        elif kind == "number":
            target = localize_number(text, source_lang, target_lang)
        else:
            target = text
        tokens.append(Token(kind, text, target))
        return f"<var>{len(tokens) - 1}</var>"

    parts = []
    for part in _TAG_SPLIT.split(sentence_html):
        if part.startswith("<"):
            parts.append(part)
        elif part:
            parts.append(_protect_text(unescape(part), pattern, replace))
    return Protected("".join(parts), tuple(tokens))


def _protect_text(text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> str:
    out: list[str] = []
    cursor = 0
    for match in pattern.finditer(text):
        out.append(escape(text[cursor : match.start()], quote=False))
        out.append(replace(match))
        cursor = match.end()
    out.append(escape(text[cursor:], quote=False))
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _token_pattern(glossary_pattern: str | None) -> re.Pattern[str]:
    alternatives = [f"(?P<{kind}>{regex})" for kind, regex in TOKEN_PATTERNS]
    if glossary_pattern:
        alternatives.insert(0, f"(?P<glossary>{glossary_pattern})")
    return re.compile("|".join(alternatives))
