"""`babelwire review`: the automated editor on any data set, JSON lines in and out."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from babelwire.commands.common import fail, open_settings


def review_command(
    source_lang: Annotated[str, typer.Option("--from", help="Source language (ISO 639-1).")],
    target_lang: Annotated[str, typer.Option("--to", help="Target language (ISO 639-1).")],
) -> None:
    """Read {"src": "...", "tgt": "..."} lines on stdin; write {"verdict", "score", "findings"} lines.

    Each line is reviewed on its own, with the [review] policy of the configuration.
    """
    from babelwire.review.editor import review
    from babelwire.review.findings import ReviewContext, SegmentPair

    policy = open_settings().review
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            source, target = str(data["src"]), str(data["tgt"])
        except (ValueError, KeyError, TypeError) as exc:
            raise fail(f"line {number}: expected a JSON object with src and tgt ({exc})") from exc
        context = ReviewContext(source_lang, target_lang, (SegmentPair(0, source, target, source, target),))
        verdict = review(context, policy)
        out = {
            "verdict": str(verdict.decision),
            "score": verdict.score,
            "findings": [f.to_json() for f in verdict.findings],
        }
        typer.echo(json.dumps(out, ensure_ascii=False))
