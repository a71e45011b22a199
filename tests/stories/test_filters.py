"""Editorial filter rules: the grammar, every field, keywords and regexes, the order, refusals."""

from __future__ import annotations

import time

import pytest

from babelwire.stories.filters import (
    FIELDS,
    Rule,
    RuleError,
    Subject,
    excluding_rule,
    make_rule,
    parse_rule,
    parse_rules,
)

ARTICLE = Subject(
    title="Your horoscope for Sunday: Aries and Leo",
    body="The stars say the week starts well.\nSponsored   content by Astro Ltd.",
    url="https://diari.example/sport/2026/03/horoscope-sunday.html",
    language="ca",
    categories=("Societat", "Política local"),
    source_id=7,
)


def test_a_rule_keeps_its_parts_and_reads_back_as_written() -> None:
    rule = parse_rule("  BLOCK   Title:horoscope  ")
    assert (rule.action, rule.field, rule.pattern, rule.regex) == ("block", "title", "horoscope", False)
    assert rule.text == "block title:horoscope"
    assert rule.describe() == "block title:horoscope (global)"
    regex = parse_rule(r"block url:/\/sport\//")
    assert (regex.pattern, regex.regex, regex.text) == (r"\/sport\/", True, r"block url:/\/sport\//")
    stored = parse_rule("keep language:ca en", source_id=7, scope="El Diari", origin="#4")
    assert stored.describe() == "keep language:ca en (El Diari, rule #4)" and stored.stored_id == 4
    assert rule.stored_id is None
    assert make_rule("block", "title", "horoscope", regex=False) == rule  # a stored row's parts


@pytest.mark.parametrize(
    ("rule", "matches"),
    [
        ("block title:horoscope", True),
        ("block title:HOROSCOPE", True),  # keywords ignore case
        ("block title:horoscopes", False),  # whole words only
        ("block title:scope", False),
        ("block title:weather horoscope", True),  # any of the keywords
        ("block title:stars", False),  # in the body, not the title
        ("block body:stars", True),
        ('block body:"sponsored content"', True),  # a phrase: any whitespace between its words
        ('block body:"content sponsored"', False),
        ("block url:sport", True),  # URL path segments are words
        ("block url:sports", False),
        ("block language:ca", True),
        ("block language:es en", False),
        ("block category:societat", True),
        ("block category:local", True),  # a word of one category
        ("block category:politica", False),  # accents count
        ("block any:stars", True),  # body
        ("block any:societat", True),  # a category
        ("block any:ca", False),  # `any` is not the language
        (r"block title:/^Your\b/", True),
        (r"block title:/^your\b/", False),  # regexes are case-sensitive
        (r"block title:/(?i)^your\b/", True),
        (r"block url:/\/sport\//", True),
        (r"block url:/\/deportes\//", False),
        ("block category:/^Pol[ií]tica/", True),  # each category in turn
        ("block category:/Societat, Política/", False),  # never joined
        ("block language:/^(ca|es)$/", True),
        ("block body:/Astro Ltd\\.$/", True),
    ],
)
def test_every_field_with_keywords_and_regexes(rule: str, matches: bool) -> None:
    parsed = parse_rule(rule)
    assert parsed.matches(ARTICLE) is matches
    assert (excluding_rule([parsed], ARTICLE) is parsed) is matches


def test_an_article_without_language_or_categories_matches_no_such_rule() -> None:
    bare = Subject(title="x", url="https://a.example/x")
    assert not parse_rule("block language:/.*/").matches(bare)
    assert not parse_rule("block category:/.*/").matches(bare)
    assert excluding_rule([parse_rule("keep language:en")], bare) is not None  # nothing to keep it by


def test_block_rules_run_before_keep_rules_and_global_before_per_source() -> None:
    source_block = parse_rule("block title:aries", source_id=7, scope="El Diari")
    global_block = parse_rule("block title:leo")
    keep = parse_rule("keep language:ca")
    # Written per-source first: the global block still decides first.
    assert excluding_rule([keep, source_block, global_block], ARTICLE) is global_block
    assert excluding_rule([keep, source_block], ARTICLE) is source_block
    assert excluding_rule([keep], ARTICLE) is None  # kept: it matches the keep rule


def test_keep_rules_an_article_must_match_one_of() -> None:
    english_only = parse_rule("keep language:en")
    assert excluding_rule([english_only], ARTICLE) is english_only
    either = [english_only, parse_rule("keep category:societat", source_id=7, scope="El Diari")]
    assert excluding_rule(either, ARTICLE) is None  # the source's keep rule matches
    # The first keep rule in scope (global first) is the one reported.
    reported = excluding_rule([parse_rule("keep title:x", source_id=7), english_only], ARTICLE)
    assert reported is english_only


def test_rules_of_another_source_do_not_apply() -> None:
    elsewhere = [
        parse_rule("block title:horoscope", source_id=8),
        parse_rule("keep language:en", source_id=8),
    ]
    assert excluding_rule(elsewhere, ARTICLE) is None
    assert all(not rule.applies_to(ARTICLE) for rule in elsewhere)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty rule"),
        ("   ", "empty rule"),
        ("blok title:x", "unknown action 'blok'; start the rule with 'block' or 'keep'"),
        ("block titel:x", "unknown field 'titel'; use one of title, body, url, language, category, any"),
        ("block title", "no FIELD:PATTERN after 'block'"),
        ("block", "no FIELD:PATTERN after 'block'"),
        ("block title:", "no keyword after the colon"),
        ("block title:   ", "no keyword after the colon"),
        ('block title:"open phrase', "unclosed quote"),
        ('block title:""', "empty quoted phrase"),
        ("block title://", "empty regex"),
        ("block url:/(unclosed/", "invalid filter regex"),
        ("block title:x\nblock body:y", "a rule is one line"),
        ("block title:" + "x" * 501, "pattern longer than 500 chars"),
    ],
)
def test_invalid_rules_are_refused_with_the_reason_and_fix(text: str, says: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(text)
    reason, _, fix = str(caught.value).partition("; ")
    assert says in str(caught.value) and says.split(";")[0] in reason
    assert fix, "every refusal says what to write instead"


@pytest.mark.parametrize("pattern", ["(a+)+$", "(x*y)*", r"(\d{2})+", "x" * 201])
def test_unsafe_regexes_are_refused_by_the_link_pattern_rule(pattern: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(f"block title:/{pattern}/")
    message = str(caught.value)
    assert "nested repeat" in message or "longer than 200 chars" in message
    assert "use a short regex without nested repeats" in message  # the fix


def test_keywords_are_taken_literally_not_as_regexes() -> None:
    rule = parse_rule("block title:c++ a.b (x")
    assert rule.matches(Subject(title="Learning C++ today"))
    assert not rule.matches(Subject(title="axb"))
    assert rule.matches(Subject(title="see (x here"))


def test_a_hostile_title_cannot_stall_a_keyword_rule() -> None:
    rule = parse_rule("block any:" + " ".join(f"word{i}" for i in range(60)))
    started = time.perf_counter()
    assert not rule.matches(Subject(title="a" * 200_000, body=("ab " * 100_000)))
    assert time.perf_counter() - started < 2.0


def test_several_rules_name_the_bad_one_by_its_line() -> None:
    lines = ["block title:x", "", "# a comment", "keep url:/(a+)+/"]
    with pytest.raises(RuleError, match=r"^rule 4 'keep url:/\(a\+\)\+/': filter regex has a nested repeat"):
        parse_rules(lines)
    rules = parse_rules(lines[:3], source_id=3, scope="Gaceta")
    assert [(r.text, r.source_id, r.scope) for r in rules] == [("block title:x", 3, "Gaceta")]


def test_every_field_is_named_in_the_grammar() -> None:
    from babelwire.stories.filters import GRAMMAR

    assert all(name in GRAMMAR for name in FIELDS)
    assert isinstance(parse_rule("block any:x"), Rule)
