"""trafilatura.metadata.extract_author in one pass over the page, without copying it.

Trafilatura deep-copies the page, deletes what cannot hold a byline (comments, sidebars,
<time>, <figure>...: AUTHOR_DISCARD_XPATHS) and runs three regex XPaths (AUTHOR_XPATHS) on
the copy. lxml evaluates `re:test()` as a Python callback on every element, so that cost about
25 ms a page, a fifth of the whole extraction. Here the same tests are plain Python on one
walk of the original tree, which only collects the candidates; the discard tests then run on
each candidate's ancestors (one inside a discarded element is not in the pruned copy) and
descendants (a candidate with a discarded element inside has its text read from a pruned copy
of just itself). A page with a <rel> element (its text is the one test pruning can make true)
goes to trafilatura's own function. So the answer is always the one extract_author gives
(tests/extract/test_page_metadata.py compares them). The tests are a transcription of
`TRAFILATURA_RULES`; with an installed trafilatura whose XPaths differ, extract_author is used.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml.html import HtmlElement
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import extract_author
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

# The XPaths the tests below transcribe (whitespace-normalised), as trafilatura 2.3 has them.
TRAFILATURA_RULES = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong]["
    " @rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or"
    " @data-testid='AuthorCard' or @data-testid='AuthorURL' or"
    " re:test(@class, 'author-?name|AuthorName|authorName')]|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ @class='byline' or"
    " @class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or"
    " re:test(@id, 'author|zuozhe|bianji|xiaobian') or re:test(@class,"
    " 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id,"
    " '[Aa]uthor') or re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or @class='comments' or"
    " @class='title' or @class='date' or re:test(@id, '^comments|comment-?list|ProductReviews') or"
    " re:test(@class, '^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer') or contains(@data-component,"
    " 'Figure')]",
    "//time|//figure",
)
RULES_MATCH = tuple(" ".join(x.path.split()) for x in (*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS)) == tuple(
    " ".join(rule.split()) for rule in TRAFILATURA_RULES
)

_NAME_CLASS = re.compile(r"author-?name|AuthorName|authorName")
_BYLINE_ID = re.compile(r"author|zuozhe|bianji|xiaobian")
_BYLINE_CLASS = re.compile(
    r"author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_ANY_ID = re.compile(r"[Aa]uthor")
_ANY_CLASS = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    r"article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_TAGS_0 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_TAGS_1 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
# Every class or id an author test accepts contains, lower-cased, one of these words: most
# elements are ruled out by them, ~10x cheaper than the regexes (Python's regex engine tries
# each alternative at each position).
CLASS_WORDS = (
    "author", "byl", "bbl", "username", "screenname", "writer", "channel-name", "journalist-name",
    "submitted-by", "posted-by", "zuozhe", "bianji", "xiaobian",
)  # fmt: skip
ID_WORDS = ("author", "zuozhe", "bianji", "xiaobian")
_OTHER_ATTRIBUTES = frozenset({"itemprop", "data-component", "data-testid", "rel"})
_SPECIAL_TAGS = frozenset({"author", "rel"})


def _has_word(value: str, words: tuple[str, ...], seen: dict[str, bool]) -> bool:
    """Whether lower-cased `value` contains one of `words`; memoised, a page repeats its classes."""
    known = seen.get(value)
    if known is None:
        lowered = value.lower()
        known = seen[value] = any(word in lowered for word in words)
    return known


def _ranks(elem: HtmlElement, tag: str) -> tuple[bool, bool, bool]:
    """Whether AUTHOR_XPATHS[0], [1] and [2] select the element (the <rel> child test aside)."""
    get = elem.get
    cls, ident, itemprop = get("class") or "", get("id") or "", get("itemprop") or ""
    first = tag == "author" or (
        tag in _TAGS_0
        and (
            get("rel") == "author"
            or ident == "author"
            or cls == "author"
            or itemprop == "author name"
            or get("data-testid") in ("AuthorCard", "AuthorURL")
            or _NAME_CLASS.search(cls) is not None
        )
    )
    second = tag in _TAGS_1 and (
        cls in ("byline", "username", "byl", "BBL")
        or "author" in itemprop
        or _BYLINE_ID.search(ident) is not None
        or _BYLINE_CLASS.search(cls) is not None
    )
    third = (
        "Byline" in (get("data-component") or "")
        or "author" in itemprop
        or _ANY_ID.search(ident) is not None
        or _ANY_CLASS.search(cls) is not None
    )
    return first, second, third


def _discarded(elem: HtmlElement) -> bool:
    """Whether AUTHOR_DISCARD_XPATHS select the element (the root of the copy excepted)."""
    tag = elem.tag
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS:
        return False
    get = elem.get
    cls, ident = get("class") or "", get("id") or ""
    return (
        ident == "comments"
        or cls in ("comments", "title", "date")
        or _DISCARD_ID.search(ident) is not None
        or _DISCARD_CLASS.search(cls) is not None
        or "Figure" in (get("data-component") or "")
    )


def _candidates(tree: HtmlElement) -> tuple[list[HtmlElement], ...] | None:
    """Elements each author XPath selects, in document order; None for a page with a <rel>."""
    found: tuple[list[HtmlElement], ...] = ([], [], [])
    seen_classes: dict[str, bool] = {}
    seen_ids: dict[str, bool] = {}
    for elem in tree.iter():  # every element of the page: the common case must stay cheap
        tag = elem.tag
        if not isinstance(tag, str):
            continue
        names = elem.keys()
        if tag not in _SPECIAL_TAGS and _OTHER_ATTRIBUTES.isdisjoint(names):
            if not names:
                continue
            cls = elem.get("class") if "class" in names else None
            if cls is None or not _has_word(cls, CLASS_WORDS, seen_classes):
                ident = elem.get("id") if "id" in names else None
                if ident is None or not _has_word(ident, ID_WORDS, seen_ids):
                    continue
        if tag == "rel":
            return None
        for matches, selected in zip(_ranks(elem, tag), found, strict=True):
            if matches:
                selected.append(elem)
    return found


def _pruned_away(elem: HtmlElement, tree: HtmlElement) -> bool:
    """Whether `elem` is gone from trafilatura's pruned copy of `tree` (the copy's root stays)."""
    if elem is tree:
        return False
    for node in (elem, *elem.iterancestors()):
        if node is tree:
            return False
        if _discarded(node):
            return True
    return False


def page_author(tree: HtmlElement) -> str | None:
    """The byline trafilatura's extract_author finds, without its copy and regex XPaths."""
    found = _candidates(tree) if RULES_MATCH else None
    if found is None:
        return extract_author(tree)
    for selected in found:
        for elem in selected:
            if _pruned_away(elem, tree):
                continue
            inner = any(_discarded(node) for node in elem.iterdescendants() if isinstance(node.tag, str))
            # Pruning inside the element changes its text: read it from a pruned copy of itself.
            kept = prune_unwanted_nodes(deepcopy(elem), AUTHOR_DISCARD_XPATHS) if inner else elem
            content = trim(" ".join(kept.itertext()))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None
