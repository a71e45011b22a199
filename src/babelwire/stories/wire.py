"""The stories stage as the wire runs it: copy detection, then story assignment (and the split
of the story the article joins, if its articles now form two groups), in arrival order.

`StoryClusterer` is what both runners and `babelwire stories cluster` use, so the evaluation
measures the code that assigns stories on the site.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from datasketch import MinHash

from babelwire.stories.clusters import StoryIndex
from babelwire.stories.duplicates import DuplicateIndex, fingerprint
from babelwire.stories.splits import split_off
from babelwire.stories.terms import Terms, story_terms
from babelwire.stories.vectors import DocumentFrequencies, cosine, weigh


@dataclass(frozen=True)
class StoryArticle:
    """An article as stories see it: in the common language (its translation, if it has one)."""

    key: str
    title: str
    text: str
    published: datetime | None = None
    source: tuple[str, str] | None = None  # the original (title, text) when this is its translation


@dataclass(frozen=True)
class Split:
    """A story that split (stories/splits.py): the articles that left it for a new story."""

    story_id: int
    new_story_id: int
    moved: tuple[tuple[str, datetime], ...]  # (article, the date it was placed at), oldest first
    similarity: float  # the cosine of the two groups' centroids


@dataclass(frozen=True)
class Placement:
    key: str
    story_id: int  # the story it joined (or its original's, for a copy)
    copy_of: str | None  # the earlier article this one duplicates, if any
    score: float
    split: Split | None = None  # the story it joined split in two as it did


@dataclass
class StoryClusterer:
    """Assigns each arriving article to a story; a copy joins its original's story.

    The wire runs the two halves apart: `find_copy` on the original text, `assign` on the common
    language; `place` does both, as `babelwire stories cluster` does. `replay_*` apply decisions
    another process made (or a person), so every process holds the same state.
    """

    stories: StoryIndex = field(default_factory=StoryIndex)
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    frequencies: DocumentFrequencies = field(default_factory=DocumentFrequencies)
    story_of: dict[str, int] = field(default_factory=dict)  # articles of the last windows
    terms_of: dict[str, Terms] = field(default_factory=dict)  # their terms, for a person's move
    remembered: deque[tuple[datetime, str]] = field(default_factory=deque)  # in the order placed
    copies: dict[str, list[str]] = field(default_factory=dict)  # an article's copies: they follow it
    canonical: dict[str, str] = field(default_factory=dict)  # a copy's first article
    pinned: set[str] = field(default_factory=set)  # articles a person moved: a split leaves them
    clock: datetime | None = None  # the latest date seen: an undated article is placed there

    def when(self, published: datetime | None) -> datetime:
        """The date an article is placed at: its own, else the latest seen, else now."""
        moment = published or self.clock or datetime.now(UTC)
        self.clock = max(self.clock or moment, moment)
        return moment

    def find_copy(self, key: str, signature: MinHash, published: datetime) -> str | None:
        """The earlier article this one copies (its fingerprint is remembered either way)."""
        return self.duplicates.add_signature(key, signature, published)

    def assign(self, key: str, terms: Terms, published: datetime) -> Placement:
        """The story of an article that is no copy: the closest recent one, or a new one; the
        story it joins may split (stories/splits.py), the article with either group."""
        self.frequencies.add(terms)
        assignment = self.stories.assign(key, weigh(terms, self.frequencies), published)
        self.remember(key, assignment.story_id, published, terms)
        split = None if assignment.new else self.split(assignment.story_id)
        return Placement(key, assignment.story_id, None, assignment.score, split)

    def split(self, story_id: int) -> Split | None:
        """Splits the story if its recent articles form two groups (stories/splits.py)."""
        story = self.stories.stories[story_id]
        members = {key: member for key, member in story.members.items() if key in self.terms_of}
        division = split_off(members, frozenset(self.pinned.intersection(members)))  # not forgotten ones
        if division is None:
            return None
        new_story_id = self.stories.next_id
        moved = tuple((key, members[key].published) for key in division.leaving)
        for key, when in moved:
            self.move(key, new_story_id, when)
            for copy in self.copies.get(key, ()):
                self.move(copy, new_story_id, when)
        return Split(story_id, new_story_id, moved, division.similarity)

    def join_copy(self, key: str, original: str, published: datetime) -> Placement | None:
        """A copy's placement: its original's story (None when the original has none here). A
        copy of a copy is one of the first article's copies: they all follow it."""
        original = self.canonical.get(original, original)
        story_id = self.story_of.get(original)
        if story_id is None:
            return None
        self.replay_copy(key, original, story_id, published)
        return Placement(key, story_id, original, 1.0)

    def place(self, article: StoryArticle) -> Placement:
        published = self.when(article.published)
        original = "\n".join(article.source or (article.title, article.text))  # as the wire: copies by source
        copy_of = self.find_copy(article.key, fingerprint(original), published)
        joined = self.join_copy(article.key, copy_of, published) if copy_of is not None else None
        if joined is not None:
            return joined  # a copy needs no terms
        return self.assign(article.key, story_terms(article.title, article.text, article.source), published)

    def replay_signature(self, key: str, signature: MinHash, published: datetime) -> None:
        self.when(published)
        self.duplicates.add_signature(key, signature, published)

    def replay_placement(self, key: str, terms: Terms, story_id: int, published: datetime) -> None:
        """An article another process placed: counted in the frequencies, added to its story."""
        self.when(published)
        self.frequencies.add(terms)
        self.stories.record(story_id, key, weigh(terms, self.frequencies), published)
        self.remember(key, story_id, published, terms)

    def replay_copy(self, key: str, original: str | None, story_id: int, published: datetime) -> None:
        """A copy another process placed: in its original's story, and following it."""
        self.remember(key, story_id, published)
        if original is not None:
            self.copies.setdefault(original, []).append(key)
            self.canonical[key] = original

    def replay_move(self, key: str, story_id: int, published: datetime, *, by_person: bool = True) -> None:
        """The article moved (a person moved it, or its story split): out of its story's
        centroid, into the other's. An article a person moved stays where they put it."""
        if by_person:
            self.pinned.add(key)
        self.move(key, story_id, published)

    def move(self, key: str, story_id: int, published: datetime) -> None:
        terms = self.terms_of.get(key)
        old = self.story_of.get(key)
        if terms is not None and old is not None and old != story_id:
            vector = self.stories.remove(old, key, weigh(terms, self.frequencies))
            self.stories.record(story_id, key, vector, published)
        if old is not None:  # else placed before the windows: only the store remembers it
            self.story_of[key] = story_id

    def remember(self, key: str, story_id: int, published: datetime, terms: Terms | None = None) -> None:
        """Notes an article's story (and terms); forgets those placed before both windows, so
        memory holds a window's worth of articles at any store size (the store keeps the rest)."""
        if key not in self.story_of:
            self.remembered.append((published, key))
        self.story_of[key] = story_id
        if terms is not None:
            self.terms_of[key] = terms
        horizon = published - max(self.stories.window, self.duplicates.window)
        while self.remembered and self.remembered[0][0] < horizon:
            _, old = self.remembered.popleft()
            self.story_of.pop(old, None)
            self.terms_of.pop(old, None)
            self.copies.pop(old, None)
            self.canonical.pop(old, None)
            self.pinned.discard(old)


SAME_STORY = math.sqrt(0.3)  # `same_story_score` at a cosine of 0.3 (about 0.548)


def story_similarity(first: str, second: str, frequencies: DocumentFrequencies) -> float:
    """Cosine of two texts (already in one language) under the given document frequencies."""
    left, right = story_terms("", first), story_terms("", second)
    return cosine(weigh(left, frequencies), weigh(right, frequencies))


def same_story_score(first: str, second: str, frequencies: DocumentFrequencies) -> float:
    """How surely two texts tell the same story, 0..1: the square root of their cosine.

    Cosines of news texts crowd near 0 (a shared name or two); the root spreads them in step
    with how people judge "same story" (SemEval-2022 Task 8 training pairs: Pearson 0.604 for
    the cosine, 0.669 for its root; benchmarks/stories.py).
    """
    return math.sqrt(story_similarity(first, second, frequencies))


def final_stories(placements: Iterable[Placement]) -> dict[str, int]:
    """Each article's story once all are placed: splits move articles placed before them, and a
    copy is where its original is."""
    story: dict[str, int] = {}
    original: dict[str, str] = {}
    for placement in placements:
        story[placement.key] = placement.story_id
        if placement.copy_of is not None:
            original[placement.key] = placement.copy_of
        if placement.split is not None:
            story.update((key, placement.split.new_story_id) for key, _ in placement.split.moved)
    return {key: story[original[key]] if key in original else story_id for key, story_id in story.items()}
