"""URLs, e-mail addresses, @handles and #hashtags must come through translation byte for byte.

A link or address that an engine "translated" or broke ("example. com", "@JoeBiden" lower-cased)
sends readers somewhere else, so matching is exact; a URL or address that appears only in the
translation was invented by the engine, which is as bad. Handles and hashtags that appear only in
the translation are engine unknown-word markers most of the time ("@palabra"), which the markers
check reports. The links of the markup (`href`) are compared the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

from babelwire.review.checks._text import TOKEN_REGEX, finding, pairs, plain, quoted
from babelwire.review.findings import Finding, ReviewContext, SegmentPair, Severity

CHECK = "tokens"
_NAMES = {"url": "URL", "email": "e-mail address", "handle": "handle", "hashtag": "hashtag"}
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_INVENTED = ("url", "email")  # only these are reported when they appear in the target alone


def check_tokens(context: ReviewContext) -> list[Finding]:
    """Report source URLs, addresses, handles and hashtags missing from the translation or changed."""
    findings: list[Finding] = []
    for pair in pairs(context):
        findings += _compare_text(pair)
        findings += _compare_links(pair)
    return findings


def _compare_text(pair: SegmentPair) -> list[Finding]:
    source, target = plain(pair.source), plain(pair.target)
    if not any(c in source + target for c in "@#/."):
        return []
    findings: list[Finding] = []
    emails = [m.group(0) for m in TOKEN_REGEX["email"].finditer(target)]
    for kind, pattern in TOKEN_REGEX.items():
        wanted = Counter(m.group(0) for m in pattern.finditer(source))
        found = Counter(m.group(0) for m in pattern.finditer(target))
        if kind == "handle":  # the domain of an address is no handle
            found.subtract(Counter(h for e in emails for h in pattern.findall(e)))
        lost = [token for token, count in (wanted - found).items() if count > 0]
        findings += [finding(CHECK, pair, Severity.ERROR, _lost(kind, token, target)) for token in lost]
        if kind in _INVENTED and not lost:  # with one lost, a new one is that one changed
            for token, count in (found - wanted).items():
                if count > 0 and not any(token in w or w in token for w in wanted):
                    message = f"{_NAMES[kind]} {quoted(token, 100)} in the translation is not in the source"
                    findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def _lost(kind: str, token: str, target: str) -> str:
    name = _NAMES[kind]
    squeezed = re.sub(r"\s+", "", target)
    if token.lower() in target.lower() or token in squeezed:
        return f"{name} {quoted(token, 100)} of the source is altered in the translation (case or spacing)"
    return f"{name} {quoted(token, 100)} of the source is missing from the translation or changed"


def _compare_links(pair: SegmentPair) -> list[Finding]:
    """The hrefs of the markup: every link target of the source, exactly, in the translation."""
    if "href" not in pair.source_html.lower():
        return []
    wanted = Counter(_hrefs(pair.source_html))
    found = Counter(_hrefs(pair.target_html))
    findings = []
    for href, count in (wanted - found).items():
        if count > 0:
            message = f"link to {quoted(href, 100)} of the source is missing from the markup or changed"
            findings.append(finding(CHECK, pair, Severity.ERROR, message))
    return findings


def _hrefs(html: str) -> list[str]:
    return [
        unescape(next(g for g in m.groups() if g is not None)).strip() for m in _HREF.finditer(html or "")
    ]
