"""When a story splits in two: its recent articles form two groups that tell different events.

The rule a person can follow: each time a story of at least `SPLIT_SIZE` recent articles gains
one, its recent articles (the last `MEMBERS`) are divided in two groups, each article with the
group whose centroid is closer; if the two groups' centroids have a cosine under `SPLIT_BELOW`
and the smaller group has at least `SPLIT_PART` articles, the smaller group leaves for a new
story. The larger keeps the story and its id, so the story readers follow goes on.

Why: look-alike events (two earthquakes, two celebrities in rehab) join at their first articles,
when one article of each is all the story holds and they share the words of the kind of event;
by ten articles each event shows as a group of its own (ECB+ in benchmarks/stories.py: B-cubed
F1 0.891 -> 0.923; precision 0.872 -> 0.909, and recall 0.912 -> 0.938, as articles may join
at a lower cosine when a wrong join is undone later). Written by hand over numpy: scikit-learn's KMeans
is Euclidean with random starts; this is spherical 2-means from fixed starts (the article least
like the story, then the article least like that one), so every run splits alike.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np

SPLIT_SIZE = 10  # a story is checked from this many recent articles on
SPLIT_PART = 4  # the smaller group must have this many articles
SPLIT_BELOW = 0.43  # the groups' centroids must be less similar than this (cosine)
MEMBERS = 20  # the recent articles a story is divided by
ROUNDS = 10  # 2-means settles in a few rounds on a story's articles


@dataclass(frozen=True)
class Division:
    """A story's recent articles in two groups, and how alike the groups' centroids are."""

    kept: tuple[str, ...]
    leaving: tuple[str, ...]
    similarity: float


class Recent(Protocol):
    """A story's recent article: its dot products with the story's recent ones (itself too)."""

    @property
    def dots(self) -> dict[str, float]: ...


def divide(members: Mapping[str, Recent]) -> Division | None:
    """The story's recent articles in two groups, the larger kept; None if they fall into one.

    2-means from the articles' dot products alone (a group's centroid is the sum of its
    vectors, so every similarity to it is a sum of dot products), which the story keeps as
    articles arrive: a check costs a few small matrix products, not a pass over the terms."""
    keys = list(members)
    if len(keys) < 2:
        return None
    row_of = operator.itemgetter(*keys)
    gram = np.array([row_of(members[key].dots) for key in keys], dtype=float)
    first = int(np.argmin(gram.sum(axis=1)))
    second = int(np.argmin(gram[first]))
    groups = np.zeros((2, len(keys)))
    groups[0, first] = groups[1, second] = 1.0
    side = np.zeros(len(keys), dtype=bool)
    for _ in range(ROUNDS):
        sizes = np.sqrt(np.maximum(np.einsum("gi,ij,gj->g", groups, gram, groups), 1e-12))
        closer = ((gram @ groups.T) / sizes).argmax(axis=1) == 1
        if closer.all() or not closer.any():
            return None
        settled = bool((closer == side).all())
        side = closer
        groups = np.stack([~side, side]).astype(float)
        if settled:
            break
    left, right = groups
    similarity = float(left @ gram @ right / np.sqrt((left @ gram @ left) * (right @ gram @ right)))
    halves = [
        tuple(key for key, on in zip(keys, side, strict=True) if on == second_half)
        for second_half in (False, True)
    ]
    halves.sort(key=lambda half: (len(half), keys[0] in half), reverse=True)  # ties: the oldest stays
    return Division(halves[0], halves[1], similarity)


def split_off(members: Mapping[str, Recent], pinned: frozenset[str] = frozenset()) -> Division | None:
    """The group that leaves the story by the rule above, or None when the story stays whole.

    `pinned` articles were put in the story by a person: they never leave it."""
    if len(members) < SPLIT_SIZE:
        return None
    division = divide(members)
    if division is None or division.similarity >= SPLIT_BELOW:
        return None
    leaving = tuple(key for key in division.leaving if key not in pinned)
    if len(leaving) < SPLIT_PART:
        return None
    kept = division.kept + tuple(key for key in division.leaving if key in pinned)
    return Division(kept, leaving, division.similarity)
