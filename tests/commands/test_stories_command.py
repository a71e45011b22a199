import json
import shutil

import pytest
from typer.testing import CliRunner

from babelwire.cli import app
from tests.conftest import require_tool
from tests.stories.test_clusters import BACKGROUND, ELECTION, OTHER_QUAKE, QUAKE, QUAKE_AGAIN


def lines(*records: dict[str, object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_cluster_writes_one_story_per_input_line_in_order(cli: CliRunner) -> None:
    given = lines(
        {
            "id": "q1",
            "language": "en",
            "title": "Chile quake",
            "text": QUAKE,
            "published": "2026-03-01T12:00:00+00:00",
        },
        {"id": "e1", "language": "en", "title": "Portugal votes", "text": ELECTION},
        {"id": "q2", "language": "en", "title": "Chile quake rescue", "text": QUAKE_AGAIN},
    )
    result = cli.invoke(app, ["stories", "cluster"], input=given)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["q1", "e1", "q2"]
    assert out[0]["story"] == out[2]["story"] != out[1]["story"]


def test_cluster_translates_articles_in_other_languages_first(cli: CliRunner) -> None:
    require_tool(shutil.which("apertium") is not None, "apertium", "scripts/system-deps.sh demo")
    # No name in common: only the translation's words ("earthquake", "north", "killing") join them.
    spanish = "Un terremoto golpeó el norte, matando a 12 personas cerca de la costa."
    given = lines(
        *({"id": f"b{i}", "language": "en", "title": "", "text": text} for i, text in enumerate(BACKGROUND)),
        {"id": "q1", "language": "en", "title": "Chile quake", "text": QUAKE},
        {"id": "q-es", "language": "es", "title": "Terremoto en el norte", "text": spanish},
    )
    # Spanish is a site language too, yet compared in the stories' language (the first), as the wire does
    env = {"BABELWIRE_TARGET_LANGUAGES": "en,es"}
    result = cli.invoke(app, ["stories", "cluster"], input=given, env=env)
    assert result.exit_code == 0, result.output
    out = {json.loads(line)["id"]: json.loads(line)["story"] for line in result.output.splitlines()}
    assert out["q-es"] == out["q1"] not in {out[f"b{i}"] for i in range(len(BACKGROUND))}


def test_compare_scores_pairs(cli: CliRunner) -> None:
    given = lines(
        {"lang1": "en", "lang2": "en", "text1": QUAKE, "text2": QUAKE_AGAIN},
        {"lang1": "en", "lang2": "en", "text1": QUAKE, "text2": OTHER_QUAKE},
        {"lang1": "en", "lang2": "en", "text1": QUAKE, "text2": ELECTION},
    )
    result = cli.invoke(app, ["stories", "compare"], input=given)
    assert result.exit_code == 0, result.output
    scores = [json.loads(line) for line in result.output.splitlines()]
    assert scores[0]["same_story"] is True and scores[2]["same_story"] is False
    assert scores[0]["score"] > scores[1]["score"] > scores[2]["score"] >= 0


@pytest.mark.parametrize(
    ("given", "message"),
    [("not json\n", "line 1 is not JSON"), ('{"id": 1}\n', "line 1 lacks language, title, text")],
)
def test_bad_lines_are_one_line_errors(cli: CliRunner, given: str, message: str) -> None:
    result = cli.invoke(app, ["stories", "cluster"], input=given)
    assert result.exit_code == 1 and message in result.output
