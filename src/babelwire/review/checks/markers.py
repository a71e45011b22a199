"""Machinery left in the text: engine markers, placeholders, markup, escapes, doubled punctuation.

Engines mark what they could not do: Apertium writes an unknown word as "*palabra", a word it
could not generate as "#word", an untranslated lemma as "@word"; neural models leave "<unk>",
SentencePiece "▁" and BPE "@@ ". The translation core's placeholders ("<var>0</var>", "⟦0⟧",
"{0}", "__PH0__") must never reach a reader, nor must tags or entities in plain text
("&amp;amp;" is text escaped twice). Each is reported only when the source does not hold the same
thing: a source quoting "<b>" or a real #hashtag is not the engine's doing. Doubled punctuation
(",,", "..", "?.") the source lacks is a weaker sign, a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from babelwire.review.checks._text import TOKEN_REGEX, finding, pairs, plain, quoted
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "markers"
_UNKNOWN = re.compile(r"(?<![\w*])\*[^\W\d_][\w'’-]*")
_PLACEHOLDERS = re.compile(
    r"</?var\b[^>]*>|⟦\s*\d+\s*⟧|\{\{?\s*\w{1,20}\s*\}?\}|__[A-Za-z]*\d*[A-Za-z]*__|\[\[\s*\d+\s*\]\]"
    r"|%(?:\d\$)?[sd]\b"
)
_BROKEN_ENCODING = re.compile("\ufffd+")
_ARTIFACTS = re.compile(
    r"</?(?:unk|s|pad|mask)>|&lt;(?:unk|s|pad)&gt;|\u2581|\w@@(?:\s|$)|\[UNK\]", re.IGNORECASE
)
_TAG = re.compile(r"</?(?!(?:var|unk|s|pad|mask)\b)[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_DOUBLE_ESCAPE = re.compile(r"&amp;(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset(
    {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "area", "col", "embed", "track"}
)
_PUNCTUATION = re.compile(r"([,;:!?])\1+|(?<![.])\.\.(?![.])|[,;:]\s?[.,;:](?![.])|[?!]\.(?![.])")


def check_markers(context: ReviewContext) -> list[Finding]:
    """Report engine markers, leftover placeholders and markup, escapes and doubled punctuation."""
    findings: list[Finding] = []
    for pair in pairs(context):
        source, target = plain(pair.source), plain(pair.target)
        raw_source, raw_target = pair.source or "", pair.target or ""
        findings += _new(
            pair, _UNKNOWN, target, source, "unknown-word marker {} (the engine did not know it)"
        )
        findings += _engine_symbols(pair, source, target)
        findings += _new(pair, _PLACEHOLDERS, target, source, "leftover placeholder {}")
        findings += _new(pair, _BROKEN_ENCODING, target, source, "broken characters {} (an encoding error)")
        findings += _new(pair, _ARTIFACTS, raw_target, raw_source, "model artifact {}")
        findings += _new(pair, _TAG, target, source, "leftover markup {} in the text")
        findings += _new(pair, _ENTITY, raw_target, raw_source, "HTML entity {} in the text (escaped twice?)")
        findings += _markup(pair)
        findings += _new(
            pair,
            _PUNCTUATION,
            target,
            source,
            "repeated punctuation {}",
            Severity.WARNING,
            any_in_source=True,
        )
    return findings


def _new(
    pair: SegmentPair,
    pattern: re.Pattern[str],
    target: str,
    source: str,
    template: str,
    severity: Severity = Severity.ERROR,
    *,
    any_in_source: bool = False,
) -> list[Finding]:
    """One finding per match in the target that the source does not have as well.

    `any_in_source`: any match in the source excuses all (a source with doubled punctuation of
    its own is a source in that style).
    """
    found = [m.group(0) for m in pattern.finditer(target)]
    if not found:
        return []
    in_source = Counter(m.group(0) for m in pattern.finditer(source))
    if any_in_source and in_source:
        return []
    extra = Counter(found) - in_source
    return [finding(CHECK, pair, severity, "translation has " + template.format(quoted(t))) for t in extra]


def _engine_symbols(pair: SegmentPair, source: str, target: str) -> list[Finding]:
    """ "#word" and "@word" that are not hashtags or handles of the source: Apertium's marks."""
    findings: list[Finding] = []
    masked = TOKEN_REGEX["email"].sub(" ", target)
    for kind, meaning in (
        ("hashtag", "a word it could not generate"),
        ("handle", "a word it left untranslated"),
    ):
        pattern = TOKEN_REGEX[kind]
        found = Counter(m.group(0) for m in pattern.finditer(masked))
        wanted = Counter(m.group(0) for m in pattern.finditer(source))
        if sum(found.values()) <= sum(wanted.values()):
            continue  # as many as the source: its own, perhaps changed (the tokens check's business)
        for token in found - wanted:
            message = f"translation has the engine marker {quoted(token)} ({meaning})"
            findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def _markup(pair: SegmentPair) -> list[Finding]:
    """The target's markup: escaped twice, or tags left open or closed twice when the source's pair up."""
    findings = _new(
        pair,
        _DOUBLE_ESCAPE,
        pair.target_html or "",
        pair.source_html or "",
        "{} in its markup (escaped twice)",
    )
    source_balance, target_balance = _tag_balance(pair.source_html), _tag_balance(pair.target_html)
    for tag, balance in sorted(target_balance.items()):
        if balance != source_balance.get(tag, 0):
            state = "never closed" if balance > 0 else "closed without being opened"
            findings.append(
                finding(CHECK, pair, Severity.ERROR, f"translation markup is broken: <{tag}> {state}")
            )
    return findings


def _tag_balance(html: str) -> dict[str, int]:
    balance: Counter[str] = Counter()
    for closing, name, self_closing in _HTML_TAG.findall(html or ""):
        name = name.lower()
        if name in _VOID or self_closing:
            continue
        balance[name] += -1 if closing else 1
    return {tag: count for tag, count in balance.items() if count}
