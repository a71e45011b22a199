"""Editorial filters: which articles the wire drops before it spends engine time on them.

A rule is one line:

    RULE     = ACTION " " FIELD ":" PATTERN
    ACTION   = "block" | "keep"
    FIELD    = "title" | "body" | "url" | "language" | "category" | "any"
    PATTERN  = "/" REGEX "/"                 a regular expression (Python syntax, case-sensitive:
                                             start it with (?i) to ignore case)
             | TERM { " " TERM }             keywords: any one of them; a TERM is a word or a
                                             "quoted phrase"

    block title:horoscope                    block url:/\\/(sport|deportes)\\//
    block any:"sponsored content" publicidad keep language:ca en
    keep category:/(?i)^pol[ií]tica$/

Keywords match case-insensitively on word boundaries ("sport" matches "Sport news", not
"sports"); accents count ("horoscopo" is not "horóscopo"). `language` is the article's language
code ("es", detected or the source's); `category` is each of the feed's categories (tags) in
turn; `any` is title, body, URL or a category. Regexes follow the rule of every pattern a person
writes (babelwire/safe_regex.py: bounded length, no nested repeats) and are searched anywhere in
the field unless anchored.

Evaluation, for one article (Miniflux's order: block before keep, global before per-source):
1. block rules, the global ones first, then its source's: the first that matches excludes it;
2. keep rules: if any keep rule applies to it (global or its source's), it must match one of
   them, else it is excluded by the first of those keep rules.
An article no rule excludes goes on to translation. A rule that does not parse is refused with
the reason (and its fix) when it is loaded, never ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Literal

from babelwire.safe_regex import UnsafePatternError, compile_safe_pattern

Action = Literal["block", "keep"]
Field = Literal["title", "body", "url", "language", "category", "any"]
ACTIONS: tuple[Action, ...] = ("block", "keep")
FIELDS: tuple[Field, ...] = ("title", "body", "url", "language", "category", "any")
MAX_RULE_LENGTH = 500  # filter_rules.pattern is a String(500)
# A quoted phrase, a bare word, or a quote left open (an error).
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)|(")')
# The grammar in a paragraph, for `babelwire filters --help` and the admin's filters page.
GRAMMAR = (
    "A rule is ACTION FIELD:PATTERN. ACTION: block (drop what matches) or keep (when any keep rule applies, "
    "an article must match one). FIELD: title, body, url, language, category or any. PATTERN: keywords "
    '(any of them; case-insensitive whole words; "quoted phrase" for several words) or /regex/ '
    "(case-sensitive; start with (?i) to ignore case). Examples: 'block title:horoscope', "
    "'block url:/\\/sport\\//', 'keep language:es ca'."
)
_REGEX_FIX = "use a short regex without nested repeats like '(a+)+', e.g. /\\/sport\\//"


class RuleError(ValueError):
    """A rule that cannot be used: the message is the reason and its fix."""


@dataclass(frozen=True)
class Subject:
    """What the rules look at in one article (pipeline/screening.py fills it from the store)."""

    title: str = ""
    body: str = ""
    url: str = ""
    language: str | None = None
    categories: tuple[str, ...] = ()
    source_id: int | None = None


@dataclass(frozen=True)
class Rule:
    """One parsed rule. `source_id` None applies everywhere; `scope` and `origin` are for people:
    the source's name ("global" for every source) and where the rule lives (config, or "#4" in
    the filter_rules table)."""

    action: Action
    field: Field
    pattern: str  # keywords as written, or the regex without its slashes
    matcher: re.Pattern[str] = dataclass_field(compare=False, repr=False)  # made by make_rule
    regex: bool = False
    source_id: int | None = None
    scope: str = "global"
    origin: str = "config"

    @property
    def text(self) -> str:
        """The rule as it is written: `block title:horoscope`, `block url:/\\/sport\\//`."""
        shown = f"/{self.pattern}/" if self.regex else self.pattern
        return f"{self.action} {self.field}:{shown}"

    def describe(self) -> str:
        """The rule as a person reads it on an excluded item: `block title:horoscope (global)`."""
        where = self.scope if self.origin == "config" else f"{self.scope}, rule {self.origin}"
        return f"{self.text} ({where})"

    @property
    def stored_id(self) -> int | None:
        """The filter_rules id of a stored rule (None: from the configuration)."""
        return int(self.origin[1:]) if self.origin.startswith("#") else None

    def matches(self, subject: Subject) -> bool:
        return any(self.matcher.search(value) for value in _values(self.field, subject))

    def applies_to(self, subject: Subject) -> bool:
        return self.source_id is None or self.source_id == subject.source_id


def parse_rule(
    text: str, *, source_id: int | None = None, scope: str = "global", origin: str = "config"
) -> Rule:
    """A rule from its one-line text; RuleError (reason and fix) if it does not parse."""
    line = text.strip()
    if not line:
        raise RuleError("empty rule; write e.g. 'block title:horoscope'")
    if "\n" in line or "\r" in line:
        raise RuleError("a rule is one line; write each rule on a line of its own")
    action, _, rest = line.replace("\t", " ").partition(" ")
    name, colon, pattern = rest.partition(":")
    if not colon:
        raise RuleError(f"no FIELD:PATTERN after {action!r}; write e.g. 'block title:horoscope'")
    pattern = pattern.strip()
    regex = len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")
    return make_rule(
        action.lower(),
        name.strip().lower(),
        pattern[1:-1] if regex else pattern,
        regex=regex,
        source_id=source_id,
        scope=scope,
        origin=origin,
    )


def make_rule(
    action: str,
    field_name: str,
    pattern: str,
    *,
    regex: bool,
    source_id: int | None = None,
    scope: str = "global",
    origin: str = "config",
) -> Rule:
    """A rule from its parts (a filter_rules row, an admin form); RuleError if any part is wrong."""
    if action not in ACTIONS:
        raise RuleError(f"unknown action {action!r}; start the rule with 'block' or 'keep'")
    if field_name not in FIELDS:
        raise RuleError(f"unknown field {field_name!r}; use one of {', '.join(FIELDS)}")
    if len(pattern) > MAX_RULE_LENGTH:
        raise RuleError(f"pattern longer than {MAX_RULE_LENGTH} chars; split it into several rules")
    matcher = _regex(pattern) if regex else _keywords(pattern)
    return Rule(action, field_name, pattern, matcher, regex, source_id, scope, origin)


def excluding_rule(rules: Iterable[Rule], subject: Subject) -> Rule | None:
    """The rule that excludes the article, or None if it goes on (the order is the module's)."""
    applying = sorted(
        (rule for rule in rules if rule.applies_to(subject)), key=lambda r: r.source_id is not None
    )  # stable: global first, each group in the order given
    for rule in applying:
        if rule.action == "block" and rule.matches(subject):
            return rule
    keeps = [rule for rule in applying if rule.action == "keep"]
    if keeps and not any(rule.matches(subject) for rule in keeps):
        return keeps[0]
    return None


def parse_rules(lines: Sequence[str], *, source_id: int | None = None, scope: str = "global") -> list[Rule]:
    """Several rules, blank lines and `#` comments skipped; RuleError naming the first bad one by its
    number (counting every line) and its text."""
    rules = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rules.append(parse_rule(line, source_id=source_id, scope=scope))
        except RuleError as exc:
            raise RuleError(f"rule {number} {line.strip()!r}: {exc}") from None
    return rules


def _regex(pattern: str) -> re.Pattern[str]:
    if not pattern:
        raise RuleError("empty regex //; write the pattern between the slashes, e.g. /\\/sport\\//")
    try:
        return compile_safe_pattern(pattern, "filter regex")
    except UnsafePatternError as exc:
        raise RuleError(f"{exc}; {_REGEX_FIX}") from exc


def _keywords(pattern: str) -> re.Pattern[str]:
    terms = []
    for match in _TERM.finditer(pattern):
        phrase, word, open_quote = match.groups()
        if open_quote:
            raise RuleError(f'unclosed quote in {pattern!r}; close the phrase with "')
        term = " ".join((phrase if phrase is not None else word).split())
        if not term:
            raise RuleError('empty quoted phrase ""; remove it or put words in it')
        terms.append(re.escape(term).replace(r"\ ", r"\s+"))
    if not terms:
        raise RuleError("no keyword after the colon; write e.g. 'block title:horoscope'")
    return re.compile(rf"(?<!\w)(?:{'|'.join(terms)})(?!\w)", re.IGNORECASE)


def _values(field_name: Field, subject: Subject) -> tuple[str, ...]:
    if field_name == "title":
        return (subject.title,)
    if field_name == "body":
        return (subject.body,)
    if field_name == "url":
        return (subject.url,)
    if field_name == "language":
        return (subject.language,) if subject.language else ()
    if field_name == "category":
        return subject.categories
    return (subject.title, subject.body, subject.url, *subject.categories)
