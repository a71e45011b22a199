"""Articles as unit vectors of TF-IDF weights, with document frequencies learnt as articles arrive.

The frequencies are those of every article seen so far (the wire's own history), so a word
common in this wire's news weighs little without a corpus shipped beside the code.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

Vector = dict[str, float]


@dataclass
class DocumentFrequencies:
    """How many articles each term appeared in, out of `documents`."""

    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, terms: Mapping[str, float]) -> None:
        self.documents += 1
        self.counts.update(terms.keys())

    def idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.counts[term] + 0.5))


def weigh(terms: Mapping[str, float], frequencies: DocumentFrequencies) -> Vector:
    """A unit vector: sublinear term frequency times inverse document frequency."""
    weights = {
        term: (1.0 + math.log(max(count, 1.0))) * frequencies.idf(term)
        for term, count in terms.items()
        if count > 0
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items() if w > 0}


def dot(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors: over the terms they share (a C-level set intersection
    finds them, two to three times faster than looking up every term of one in the other; fsum
    makes the result independent of the set's order, which changes with the process's hash seed)."""
    return math.fsum(left[term] * right[term] for term in left.keys() & right.keys())


def cosine(left: Vector, right: Vector) -> float:
    """Cosine of two vectors (of any length)."""
    norms = math.sqrt(sum(w * w for w in left.values())) * math.sqrt(sum(w * w for w in right.values()))
    return dot(left, right) / norms if norms else 0.0
