"""Protect what an engine must not touch: URLs, e-mail addresses, @handles, #hashtags,
numbers and glossary terms.

For engines that take markup, each protected token becomes a placeholder `<var>N</var>`
(an inline element with a number inside: Apertium, DeepL, LibreTranslate and LLMs carry it
through, and unlike an empty tag it does not make Apertium start a new sentence). For
plain-text engines the token stays in the text and is checked and converted afterwards.
Either way the token comes back exactly, numbers in the target's convention, glossary
terms as their forced translation; a token the engine lost is reported, never silently
dropped.
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

    def for_engine(self, markup: str) -> str:
        """Placeholders for markup engines; plain text with tokens in place for text engines."""
        if markup == "html":
            return self.html
        restored = _PLACEHOLDER.sub(lambda m: escape(self._plain(self._token(m)), quote=False), self.html)
        return " ".join(to_text(restored).split())

    def _token(self, match: re.Match[str]) -> Token:
        index = int(match.group(1))
        return self.tokens[index] if index < len(self.tokens) else Token("lost", "", "")

    @staticmethod
    def _plain(token: Token) -> str:
        # A text engine cannot keep a placeholder: a forced glossary translation goes in as
        # the target term (engines copy what they do not know); other tokens as written.
        return token.target if token.kind == "glossary" else token.source


@dataclass(frozen=True)
class Restored:
    html: str
    missing: tuple[str, ...]


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


def restore(output: str, protected: Protected, markup: str) -> Restored:
    """Put the tokens back into an engine's output; report those the engine lost."""
    if markup == "html":
        seen: set[int] = set()

        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(protected.tokens):
                return ""
            seen.add(index)
            return escape(protected.tokens[index].target, quote=False)

        html = _PLACEHOLDER.sub(put_back, output)
        missing = [t for i, t in enumerate(protected.tokens) if i not in seen]
    else:
        html = escape(output, quote=False)
        missing = []
        for token in protected.tokens:
            source, target = escape(token.source, quote=False), escape(token.target, quote=False)
            if target in html and token.kind != "number":
                continue
            if source in html:
                html = html.replace(source, target, 1)
            elif target not in html:
                missing.append(token)
    for token in missing:  # never lose a number or a URL: keep it, and let review flag the sentence
        html = f"{html} {escape(token.target, quote=False)}".strip()
    return Restored(html, tuple(token.source for token in missing))


@functools.lru_cache(maxsize=256)
def _token_pattern(glossary_pattern: str | None) -> re.Pattern[str]:
    alternatives = [f"(?P<{kind}>{regex})" for kind, regex in TOKEN_PATTERNS]
    if glossary_pattern:
        alternatives.insert(0, f"(?P<glossary>{glossary_pattern})")
    return re.compile("|".join(alternatives))
