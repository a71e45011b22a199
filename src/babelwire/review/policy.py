"""The verdict policy: which findings hold an article for a person, which reject it.

Configured in babelwire.toml under [review]; the defaults hold on any ERROR, reject on
any CRITICAL finding (lost numbers, reversed meaning), and hold when warnings pile up.
Before deciding, a flagged sentence is translated again (`repair`); a sentence still
flagged after that is shown in the original language, visibly marked, when
`withheld_sentences = "original"` and few enough are (`max_withheld`), or holds its
article (`"hold"`). The title and findings about the whole translation always decide
for the article.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from babelwire.review.findings import Severity


class ReviewPolicy(BaseModel):
    enabled: bool = Field(default=True, description="Review every translation before it is published.")
    hold_at: Severity = Field(
        default=Severity.ERROR, description="Hold for a person at this severity or above."
    )
    reject_at: Severity | None = Field(
        default=Severity.CRITICAL, description="Reject at this severity or above; none: only hold."
    )
    max_warnings: int = Field(default=4, description="Hold when a translation has more warnings than this.")
    disabled_checks: list[str] = Field(default_factory=list, description="Checks not to run.")
    severity: dict[str, Severity] = Field(
        default_factory=dict, description='Per-check severity override, e.g. {negation = "warning"}.'
    )
    repair: bool = Field(
        default=True,
        description="Translate a flagged sentence again (other routes, the pivot, unprotected, split at a "
        "clause) and keep the try the editor finds no fault with, before deciding.",
    )
    withheld_sentences: Literal["original", "hold"] = Field(
        default="original",
        description='A sentence still flagged after repair: "original" shows it in the original language, '
        'marked as withheld by the automated editor; "hold" holds the whole article for a person.',
    )
    max_withheld: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="Hold the article instead when more than this share of its sentences would be withheld.",
    )
    round_trip: bool = Field(
        default=False,
        description="Back-translate with the reverse pair and compare (costs a second translation).",
    )
