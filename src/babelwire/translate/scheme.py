"""How a sentence's protected tokens travel through one engine (or one route of engines).

Protection is decided per engine, because engines break different things:

- Apertium carries digits, dates, URLs and e-mail addresses through on its own, but its
  transfer rules treat the text inside a `<var>N</var>` tag as words and move the digit out
  of it ("el <var>0</var> de marzo" came back "on <var>0</var> March 1 <var></var>"). So for
  Apertium numbers, URLs and e-mails stay in the text as written, and only what it would
  translate (@handles, #hashtags, glossary terms) becomes a placeholder *word* ("Zxwb"):
  an unknown word, which it copies like any unknown proper noun.
- Neural engines behind HTML APIs (DeepL, LibreTranslate, LLMs) keep tags well, and are
  given `<var>N</var>` placeholders for every token.
- Plain-text engines (CTranslate2) cannot keep any placeholder: every token stays in the
  text as written and is checked and converted afterwards.

`UNPROTECTED` is the fallback a sentence is translated again with when its placeholders
came back broken: every token in the text as written, glossary terms as their forced
translation, nothing for the engine to break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from babelwire.translate.engine import Engine

Placeholder = Literal["tag", "word", "none"]
TOKEN_KINDS = frozenset({"url", "email", "handle", "hashtag", "number", "glossary"})


@dataclass(frozen=True)
class Scheme:
    """`placeholder`: how tokens not in `carried` are marked; `carried`: kinds left in the text."""

    placeholder: Placeholder
    carried: frozenset[str] = frozenset()

    def inline(self, kind: str) -> bool:
        """Whether a token of this kind goes to the engine as written (not as a placeholder)."""
        return self.placeholder == "none" or kind in self.carried

    @property
    def name(self) -> str:
        if self.placeholder == "none":
            return "unprotected"
        carried = f", carries {'/'.join(sorted(self.carried))}" if self.carried else ""
        return f"{self.placeholder} placeholders{carried}"


UNPROTECTED = Scheme("none", TOKEN_KINDS)
TAG_PLACEHOLDERS = Scheme("tag")


def scheme_for(engine: Engine) -> Scheme:
    """An engine's own scheme: its `protection` attribute, else one that fits its markup mode."""
    declared = getattr(engine, "protection", None)
    if isinstance(declared, Scheme):
        return declared
    return TAG_PLACEHOLDERS if engine.markup == "html" else UNPROTECTED


def route_scheme(engines: list[Engine]) -> Scheme:
    """One scheme every engine of a route can carry: a placeholder has to survive every leg."""
    schemes = [scheme_for(engine) for engine in engines]
    if any(s.placeholder == "none" for s in schemes):
        return UNPROTECTED
    carried = frozenset.intersection(*(s.carried for s in schemes))
    # A word is safe in every engine (engines copy unknown words); a tag only in tag-keeping ones.
    placeholder: Placeholder = "word" if any(s.placeholder == "word" for s in schemes) else "tag"
    return Scheme(placeholder, carried)
