"""Near-duplicates: the same text under another URL, in another feed, or syndicated with edits.

MinHash over word 5-shingles with datasketch's LSH: an article whose estimated Jaccard
similarity to an earlier one is at least `threshold` is a copy of it, found by hash buckets,
not by comparing with every stored article.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.8
# LSH buckets look for candidates from this similarity up (datasketch's bands tuned for 0.8 itself miss
# about 40% of pairs at 0.84); each candidate's estimated Jaccard then decides against THRESHOLD.
CANDIDATE_THRESHOLD = 0.6
PERMUTATIONS = 128
SHINGLE = 5
WINDOW = timedelta(days=7)
WORD = re.compile(r"\w+")
# Fingerprints are stored (story_events.signature): the permutation scheme is fixed, not the library's
# default of the day, so a stored one stays comparable with a new one.
SCHEME = "affine32"
# Made once (MinHash draws them from its fixed seed): per fingerprint they were an eighth of its cost.
_PERMUTATIONS = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME).permutations


def fingerprint(text: str) -> MinHash:
    """The MinHash of a text's word 5-shingles (case and punctuation ignored)."""
    words = WORD.findall(text.lower())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    signature = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME, permutations=_PERMUTATIONS)
    signature.update_batch([s.encode("utf-8") for s in shingles])
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    """The fingerprint as stored (story_events.signature): its hash values, little-endian."""
    return np.asarray(signature.hashvalues, dtype="<u8").tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=PERMUTATIONS, hashvalues=np.frombuffer(data, dtype="<u8").astype(np.uint64), scheme=SCHEME
    )


@dataclass
class DuplicateIndex:
    """Recent articles' fingerprints; `add` answers which earlier article a text copies."""

    threshold: float = THRESHOLD
    window: timedelta = WINDOW
    lsh: MinHashLSH = field(init=False)
    signatures: dict[str, MinHash] = field(default_factory=dict)
    recency: deque[tuple[datetime, str]] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.lsh = MinHashLSH(threshold=min(self.threshold, CANDIDATE_THRESHOLD), num_perm=PERMUTATIONS)

    def add(self, key: str, text: str, published: datetime) -> str | None:
        """Records the article; returns the key of the earlier article it copies, if any."""
        return self.add_signature(key, fingerprint(text), published)

    def add_signature(self, key: str, signature: MinHash, published: datetime) -> str | None:
        """`add` for a fingerprint already made (the wire replays stored ones)."""
        while self.recency and self.recency[0][0] < published - self.window:
            _, old = self.recency.popleft()
            if old in self.signatures:
                self.lsh.remove(old)
                del self.signatures[old]
        similar = {k: self.signatures[k].jaccard(signature) for k in self.lsh.query(signature) if k != key}
        if key not in self.signatures:
            self.lsh.insert(key, signature)
            self.signatures[key] = signature
            self.recency.append((published, key))
        original = max(similar, key=similar.__getitem__, default=None)
        return original if original is not None and similar[original] >= self.threshold else None
