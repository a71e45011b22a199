"""`babelwire doctor`: what the configured setup needs, checked one thing per line.

Each check returns `CheckResult`s (OK, or what is wrong and the one-line fix); the command only
prints them. Checks run against the same settings, router and engines the wire would use, so a
green doctor means the wire can start, and a red line names the package, server or migration
that stops it.
"""

from babelwire.doctor.result import CheckResult, all_ok
from babelwire.doctor.run import run_doctor

__all__ = ["CheckResult", "all_ok", "run_doctor"]
