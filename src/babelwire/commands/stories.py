"""`babelwire stories`: the story clusterer and similarity on any data, as JSON lines.

The same code the wire runs (stories/wire.py), so a dataset measures what readers will see.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

import typer

from babelwire.commands.common import fail, open_settings

if TYPE_CHECKING:
    from babelwire.translate.translator import Translator

app = typer.Typer(help="Story clusters and same-story scores for JSON lines on stdin (evaluation).")


def _records(required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise fail(f"line {number} is not JSON: {exc.msg}", "write one JSON object a line") from exc
        missing = [key for key in required if not isinstance(record, dict) or key not in record]
        if missing:
            raise fail(f"line {number} lacks {', '.join(missing)}", f"each line needs {', '.join(required)}")
        yield record


class CommonLanguage:
    """Brings text into the stories' language through the configured engines, as the wire does."""

    def __init__(self) -> None:
        from babelwire.translate.memory import InMemoryMemory
        from babelwire.translate.router import Router
        from babelwire.translate.translator import Translator

        settings = open_settings()
        self.language = settings.story_language  # the one language the wire compares stories in
        self._translator: Translator = Translator(Router.from_settings(settings), InMemoryMemory())

    def lines(self, lines: list[str], language: str, target: str) -> list[str]:
        """`lines` in `target`, translated in one batch; blank lines stay blank."""
        filled = [line for line in lines if line.strip()]
        if language == target or not filled:
            return lines
        from babelwire.domain import Block, BlockKind, Document
        from babelwire.translate.document import translate_document
        from babelwire.translate.engine import TranslationError
        from babelwire.translate.inline import to_text

        blocks = tuple(Block(BlockKind.PARAGRAPH, escape(p, quote=False), p) for p in filled)
        try:
            translation, _ = translate_document(
                Document("stdin:", "", blocks), language, target, self._translator
            )
        except TranslationError as exc:
            raise fail(
                exc.message, f"configure an engine for {language}-{target} (`babelwire config`)"
            ) from exc
        answers = iter(to_text(block.html) for block in translation.blocks)
        return [next(answers) if line.strip() else line for line in lines]


@app.command("cluster")
def cluster_command() -> None:
    """Read {"id", "language", "title", "text"[, "published"]} lines; write {"id", "story"} lines.

    Articles are placed in input order as the wire places them on arrival, and written once all
    are placed, each in its story after the splits that followed it; one in a language
    other than the stories' language (`stories.language`, else the site's first language) is
    first translated into it through the configured engines, and compared by the translation's
    words and the original's names and numbers.
    """
    from babelwire.stories.wire import StoryArticle, StoryClusterer, final_stories

    common = CommonLanguage()
    clusterer = StoryClusterer()
    placements = []
    for record in _records(("id", "language", "title", "text")):
        language, target = str(record["language"]), common.language
        source = (str(record["title"]), str(record["text"]))
        title, *body = common.lines([source[0], *source[1].split("\n")], language, target)  # one engine call
        published = datetime.fromisoformat(record["published"]) if record.get("published") else None
        article = StoryArticle(
            str(record["id"]), title, "\n".join(body), published, source if language != target else None
        )
        placements.append((record["id"], clusterer.place(article)))
    stories = final_stories(placement for _, placement in placements)  # after every split
    for identifier, placement in placements:
        typer.echo(json.dumps({"id": identifier, "story": stories[placement.key]}))


@app.command("compare")
def compare_command() -> None:
    """Read {"lang1", "lang2", "text1", "text2"} lines; write {"score": 0..1, "same_story": bool} lines.

    The second text is translated into the first's language when they differ. Word weights
    come from every text read so far, so give many pairs at once.
    """
    from babelwire.stories.terms import story_terms
    from babelwire.stories.vectors import DocumentFrequencies
    from babelwire.stories.wire import SAME_STORY, same_story_score

    common = CommonLanguage()
    pairs = []
    for record in _records(("lang1", "lang2", "text1", "text2")):
        first, second = str(record["text1"]), str(record["text2"])
        if record["lang1"] != record["lang2"]:
            second = "\n".join(common.lines(second.split("\n"), str(record["lang2"]), str(record["lang1"])))
        pairs.append((first, second))
    frequencies = DocumentFrequencies()
    for first, second in pairs:
        frequencies.add(story_terms("", first))
        frequencies.add(story_terms("", second))
    for first, second in pairs:
        score = same_story_score(first, second, frequencies)
        typer.echo(json.dumps({"score": round(score, 4), "same_story": score >= SAME_STORY}))
