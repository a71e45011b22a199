"""The verdict policy: which findings hold an article for a person, which reject it.

Configured in babelwire.toml under [review]; the defaults hold on any ERROR, reject on
any CRITICAL finding (lost numbers, reversed meaning), and hold when warnings pile up.
"""

from __future__ import annotations

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
    round_trip: bool = Field(
        default=False,
        description="Back-translate with the reverse pair and compare (costs a second translation).",
    )
