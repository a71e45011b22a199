"""The one value every check returns: a line of the doctor's report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """One thing the setup needs: whether it is there, what was found, and how to fix it if not."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None


def passed(name: str, detail: str) -> CheckResult:
    return CheckResult(name, True, detail)


def failed(name: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(name, False, detail, fix)


def all_ok(results: Iterable[CheckResult]) -> bool:
    """True when nothing the setup needs is missing: the doctor's exit status 0."""
    return all(result.ok for result in results)
