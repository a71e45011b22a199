"""Online story clustering: each article joins the most similar recent story, or starts one.

Rules a person can follow:
- an article joins the story whose centroid (the mean of its articles' vectors) is most similar
  to it, if that cosine is at least `threshold`; otherwise it starts a new story;
- only stories seen within `window` of the article's date are candidates;
- a story's id never changes once given: no batch re-clustering renames stories under readers.
Candidates come from an inverted index of the stories' strongest terms, so the cost of an
article depends on how many recent stories share its terms, not on the size of the store.
Written by hand: the libraries that cluster (scikit-learn, hdbscan) re-cluster a batch and
renumber it; none keeps stable ids online.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babelwire.stories.vectors import Vector

THRESHOLD = 0.225  # benchmarks/stories.py: ECB+ B-cubed F1 peaks here
WINDOW = timedelta(days=3)
QUERY_TERMS = 24  # the article's strongest terms look up candidate stories
CENTROID_TERMS = 200  # a story keeps its strongest terms; the tail changes no decision


@dataclass
class Story:
    """A story's running centroid and when it was last seen."""

    story_id: int
    total: Vector
    size: int
    last_seen: datetime
    norm: float = 0.0

    def recompute_norm(self) -> None:
        self.norm = math.sqrt(sum(w * w for w in self.total.values()))


@dataclass(frozen=True)
class Assignment:
    story_id: int
    score: float
    new: bool


def strongest(vector: Vector, count: int) -> list[str]:
    return [term for term, _ in heapq.nlargest(count, vector.items(), key=lambda kv: kv[1])]


@dataclass
class StoryIndex:
    """The recent stories, searchable by term."""

    threshold: float = THRESHOLD
    window: timedelta = WINDOW
    next_id: int = 1
    stories: dict[int, Story] = field(default_factory=dict)
    postings: dict[str, set[int]] = field(default_factory=dict)
    recency: deque[tuple[datetime, int]] = field(default_factory=deque)

    def assign(self, vector: Vector, published: datetime) -> Assignment:
        """The story this article belongs to, created if no recent story is close enough."""
        self._expire(published - self.window)
        best, score = self._best(vector, published)
        if best is None or score < self.threshold:
            story = Story(self.next_id, {}, 0, published)
            self.stories[story.story_id] = story
            self.next_id += 1
            self._add(story, vector, published)
            return Assignment(story.story_id, score, True)
        self._add(best, vector, published)
        return Assignment(best.story_id, score, False)

    def record(self, story_id: int, vector: Vector, published: datetime) -> None:
        """Adds an article to a story decided elsewhere (another process, or a person)."""
        self._expire(published - self.window)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id, {}, 0, published)
        self.next_id = max(self.next_id, story_id + 1)
        self._add(story, vector, published)

    def remove(self, story_id: int, vector: Vector) -> None:
        """Takes an article's vector out of a story's centroid (a person moved the article)."""
        story = self.stories.get(story_id)
        if story is None:
            return  # expired: nothing to take out
        before = set(story.total)
        for term, weight in vector.items():
            if term in story.total:
                story.total[term] -= weight
                if story.total[term] <= 1e-9:
                    del story.total[term]
        story.size = max(0, story.size - 1)
        story.recompute_norm()
        for term in before - story.total.keys():
            self.postings[term].discard(story_id)

    def _best(self, vector: Vector, published: datetime) -> tuple[Story | None, float]:
        candidates: set[int] = set()
        for term in strongest(vector, QUERY_TERMS):
            candidates |= self.postings.get(term, set())
        best: Story | None = None
        score = 0.0
        for story_id in candidates:
            story = self.stories[story_id]
            if abs(published - story.last_seen) > self.window or not story.norm:
                continue
            similarity = sum(w * story.total.get(t, 0.0) for t, w in vector.items()) / story.norm
            if similarity > score:
                best, score = story, similarity
        return best, score

    def _add(self, story: Story, vector: Vector, published: datetime) -> None:
        before = set(story.total)
        for term, weight in vector.items():
            story.total[term] = story.total.get(term, 0.0) + weight
        if len(story.total) > CENTROID_TERMS:
            story.total = dict(heapq.nlargest(CENTROID_TERMS, story.total.items(), key=lambda kv: kv[1]))
        story.size += 1
        story.last_seen = max(story.last_seen, published)
        story.recompute_norm()
        for term in before - story.total.keys():  # pruned from the centroid
            self.postings[term].discard(story.story_id)
        for term in story.total.keys() - before:
            self.postings.setdefault(term, set()).add(story.story_id)
        self.recency.append((story.last_seen, story.story_id))

    def _expire(self, horizon: datetime) -> None:
        """Drops stories not seen since `horizon` from the index (their ids stay in the store)."""
        while self.recency and self.recency[0][0] < horizon:
            seen, story_id = self.recency.popleft()
            story = self.stories.get(story_id)
            if story is None or story.last_seen > seen:
                continue  # seen again later: a newer entry in `recency` keeps it
            for term in story.total:
                self.postings[term].discard(story_id)
            del self.stories[story_id]
