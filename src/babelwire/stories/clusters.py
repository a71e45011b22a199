"""Online story clustering: each article joins the most similar recent story, or starts one.

Rules a person can follow:
- an article joins the story whose centroid (the mean of its articles' vectors) is most similar
  to it, if that cosine is at least `threshold`; otherwise it starts a new story;
- only stories seen within `window` of the article's date are candidates;
- a story's id never changes once given: no batch re-clustering renames stories under readers;
  a story may split in two (stories/splits.py, decided in stories/wire.py), the larger group
  keeping the id.
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

from babelwire.stories.splits import MEMBERS
from babelwire.stories.vectors import Vector, dot

THRESHOLD = 0.18  # benchmarks/stories.py: ECB+ B-cubed F1 peaks here (with splits)
WINDOW = timedelta(days=3)
QUERY_TERMS = 24  # the article's strongest terms look up candidate stories
POSTED_TERMS = 200  # a story is a candidate for the articles that share one of its strongest terms
# A story keeps its strongest terms: enough that taking a split group's articles out leaves the
# rest of the centroid whole (ECB+: B-cubed F1 0.918 at 400 terms, 0.923 from 1500 on).
CENTROID_TERMS = 2000


@dataclass(frozen=True)
class Member:
    """A recent article of a story: when it was placed, and the vector its centroid holds."""

    published: datetime
    vector: Vector
    # Its dot product with each of the story's recent articles (itself too): what a split divides by.
    dots: dict[str, float] = field(default_factory=dict)


@dataclass
class Story:
    """A story's running centroid and when it was last seen."""

    story_id: int
    total: Vector
    size: int
    last_seen: datetime
    norm: float = 0.0
    members: dict[str, Member] = field(default_factory=dict)  # the recent articles, oldest first
    posted: set[str] = field(default_factory=set)  # the terms `postings` lists it under

    def recompute_norm(self) -> None:
        self.norm = math.sqrt(sum(w * w for w in self.total.values()))


@dataclass(frozen=True)
class Assignment:
    story_id: int
    score: float
    new: bool


def strongest(vector: Vector, count: int) -> list[str]:
    if len(vector) <= count:
        return list(vector)
    return heapq.nlargest(count, vector, key=vector.__getitem__)


@dataclass
class StoryIndex:
    """The recent stories, searchable by term."""

    threshold: float = THRESHOLD
    window: timedelta = WINDOW
    next_id: int = 1
    stories: dict[int, Story] = field(default_factory=dict)
    postings: dict[str, set[int]] = field(default_factory=dict)
    recency: deque[tuple[datetime, int]] = field(default_factory=deque)

    def assign(self, key: str, vector: Vector, published: datetime) -> Assignment:
        """The story this article belongs to, created if no recent story is close enough."""
        self._expire(published - self.window)
        best, score = self._best(vector, published)
        if best is None or score < self.threshold:
            story = Story(self.next_id, {}, 0, published)
            self.stories[story.story_id] = story
            self.next_id += 1
            self._add(story, key, vector, published)
            return Assignment(story.story_id, score, True)
        self._add(best, key, vector, published)
        return Assignment(best.story_id, score, False)

    def record(self, story_id: int, key: str, vector: Vector, published: datetime) -> None:
        """Adds an article to a story decided elsewhere (another process, or a person)."""
        self._expire(published - self.window)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id, {}, 0, published)
        self.next_id = max(self.next_id, story_id + 1)
        self._add(story, key, vector, published)

    def remove(self, story_id: int, key: str, vector: Vector) -> Vector:
        """Takes an article's vector out of a story's centroid (the article moved to another): the
        one the centroid holds, if the article is among the story's recent ones, else `vector`;
        returns the vector taken out."""
        story = self.stories.get(story_id)
        if story is None:
            return vector  # expired: nothing to take out
        member = self._leave(story, key)
        vector = member.vector if member is not None else vector
        for term, weight in vector.items():
            if term in story.total:
                story.total[term] -= weight
                if story.total[term] <= 1e-9:
                    del story.total[term]
        story.size = max(0, story.size - 1)
        story.recompute_norm()
        self._post(story)
        return vector

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
            similarity = dot(vector, story.total) / story.norm
            if similarity > score:
                best, score = story, similarity
        return best, score

    def _add(self, story: Story, key: str, vector: Vector, published: datetime) -> None:
        member = Member(published, vector)
        for other_key, other in story.members.items():
            member.dots[other_key] = other.dots[key] = dot(vector, other.vector)
        member.dots[key] = dot(vector, vector)
        story.members[key] = member
        if len(story.members) > MEMBERS:
            self._leave(story, next(iter(story.members)))
        for term, weight in vector.items():
            story.total[term] = story.total.get(term, 0.0) + weight
        if len(story.total) > CENTROID_TERMS:
            story.total = {term: story.total[term] for term in strongest(story.total, CENTROID_TERMS)}
        story.size += 1
        story.last_seen = max(story.last_seen, published)
        story.recompute_norm()
        self._post(story)
        self.recency.append((story.last_seen, story.story_id))

    @staticmethod
    def _leave(story: Story, key: str) -> Member | None:
        """Takes the article out of the story's recent ones."""
        member = story.members.pop(key, None)
        for other in story.members.values():
            other.dots.pop(key, None)
        return member

    def _post(self, story: Story) -> None:
        """Lists the story under its strongest terms (only those: a story's weak terms would make
        it a candidate for every article, and the scoring of candidates is the cost per article)."""
        posted = set(strongest(story.total, POSTED_TERMS))
        for term in story.posted - posted:
            self.postings[term].discard(story.story_id)
        for term in posted - story.posted:
            self.postings.setdefault(term, set()).add(story.story_id)
        story.posted = posted

    def _expire(self, horizon: datetime) -> None:
        """Drops stories not seen since `horizon` from the index (their ids stay in the store)."""
        while self.recency and self.recency[0][0] < horizon:
            seen, story_id = self.recency.popleft()
            story = self.stories.get(story_id)
            if story is None or story.last_seen > seen:
                continue  # seen again later: a newer entry in `recency` keeps it
            for term in story.posted:
                self.postings[term].discard(story_id)
            del self.stories[story_id]
