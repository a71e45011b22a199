"""The stories stage as the wire runs it: copy detection, then story assignment, in arrival order.

`StoryClusterer` is what both runners and `babelwire stories cluster` use, so the evaluation
measures the code that assigns stories on the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from babelwire.stories.clusters import StoryIndex
from babelwire.stories.duplicates import DuplicateIndex
from babelwire.stories.terms import story_terms
from babelwire.stories.vectors import DocumentFrequencies, cosine, weigh


@dataclass(frozen=True)
class StoryArticle:
    """An article as stories see it: in the common language (its translation, if it has one)."""

    key: str
    title: str
    text: str
    published: datetime | None = None


@dataclass(frozen=True)
class Placement:
    key: str
    story_id: int
    copy_of: str | None  # the earlier article this one duplicates, if any
    score: float


@dataclass
class StoryClusterer:
    """Assigns each arriving article to a story; a copy joins its original's story."""

    stories: StoryIndex = field(default_factory=StoryIndex)
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    frequencies: DocumentFrequencies = field(default_factory=DocumentFrequencies)
    story_of: dict[str, int] = field(default_factory=dict)
    clock: datetime | None = None  # the latest date seen: an undated article is placed there

    def place(self, article: StoryArticle) -> Placement:
        published = article.published or self.clock or datetime.now(UTC)
        self.clock = max(self.clock or published, published)
        terms = story_terms(article.title, article.text)
        self.frequencies.add(terms)
        copy_of = self.duplicates.add(article.key, f"{article.title}\n{article.text}", published)
        if copy_of is not None and copy_of in self.story_of:
            story_id = self.story_of[copy_of]
            self.story_of[article.key] = story_id
            return Placement(article.key, story_id, copy_of, 1.0)
        assignment = self.stories.assign(weigh(terms, self.frequencies), published)
        self.story_of[article.key] = assignment.story_id
        return Placement(article.key, assignment.story_id, None, assignment.score)


SAME_STORY = 0.3


def story_similarity(first: str, second: str, frequencies: DocumentFrequencies) -> float:
    """Cosine of two texts (already in one language) under the given document frequencies."""
    left, right = story_terms("", first), story_terms("", second)
    return cosine(weigh(left, frequencies), weigh(right, frequencies))
