"""The one value every check returns: a line of the doctor's report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """One thing the setup needs: whether it is there, what was found, and how to fix it if not.

    A `warning` is OK (the wire runs, the exit status stays 0) but worse than it could be: it has a fix.
    """

    name: str
    ok: bool
    detail: str
    fix: str | None = None
    warning: bool = False


def passed(name: str, detail: str) -> CheckResult:
    return CheckResult(name, True, detail)


def failed(name: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(name, False, detail, fix)


def warned(name: str, detail: str, fix: str) -> CheckResult:
    return CheckResult(name, True, detail, fix, warning=True)


def all_ok(results: Iterable[CheckResult]) -> bool:
    """True when nothing the setup needs is missing: the doctor's exit status 0."""
    return all(result.ok for result in results)
