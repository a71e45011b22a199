"""`babelwire models ...`: pull CTranslate2 models from the Hugging Face hub and list them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from babelwire.commands.common import console, fail, open_settings

app = typer.Typer(help="Download and list local CTranslate2 translation models.", no_args_is_help=True)

_FIXES = {
    "not_found": "check the repository name on https://huggingface.co (owner/name)",
    "revision_not_found": "omit --revision or pick a branch, tag or commit of the repository",
    "unreachable": "check the network, or set HF_ENDPOINT to a reachable mirror",
    "offline": "unset HF_HUB_OFFLINE",
    "gated": "accept the model's terms on the hub and set HF_TOKEN",
    "not_installed": "pip install 'babelwire[neural]'",
}

ModelsDir = Annotated[
    Path | None,
    typer.Option(
        "--models-dir", help="Where models live; default: <data_dir>/models from the configuration."
    ),
]


def _models_dir(models_dir: Path | None) -> Path:
    return models_dir if models_dir is not None else open_settings().data_dir / "models"


@app.command("pull")
def pull(
    repo: Annotated[
        str, typer.Argument(help="Hub repository of a CTranslate2 model, e.g. owner/opus-mt-es-en-ct2.")
    ],
    revision: Annotated[str | None, typer.Option(help="Branch, tag or commit; default: main.")] = None,
    models_dir: ModelsDir = None,
    pairs: Annotated[
        str | None,
        typer.Option(
            help="Language pairs it translates, e.g. es-en,es-ca; default: from the repository name."
        ),
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option(help="Hub URL; default: $HF_ENDPOINT or https://huggingface.co.")
    ] = None,
) -> None:
    """Download a CTranslate2 model (with its SentencePiece model) and record what it translates."""
    from babelwire.translate.models import ModelError, pull_model

    directory = _models_dir(models_dir)
    pair_list = [pair.strip() for pair in (pairs or "").split(",") if pair.strip()]
    try:
        path = pull_model(
            repo, directory, revision=revision, endpoint=endpoint, pairs=pair_list or None,
            progress=lambda message: console.print(f"[dim]{message}[/]", highlight=False),
        )  # fmt: skip
    except ModelError as exc:
        raise fail(exc.message, _FIXES.get(exc.reason)) from exc
    console.print(f"installed {repo} in {path}", markup=False, highlight=False)


@app.command("list")
def list_installed(models_dir: ModelsDir = None) -> None:
    """Show the installed models, their kind, language pairs, size and origin."""
    from babelwire.translate.models import list_models

    directory = _models_dir(models_dir)
    models = list_models(directory)
    if not models:
        console.print(f"no models in {directory}: babelwire models pull OWNER/NAME", markup=False)
        return
    table = Table(
        Column("name", overflow="fold"), "kind", Column("pairs", overflow="fold"),
        Column("size", no_wrap=True), Column("from", overflow="fold"), title=str(directory),
    )  # fmt: skip
    for model in models:
        origin = f"{model.repo}@{(model.revision or '?')[:12]}" if model.repo else "-"
        size = f"{model.size / 1e6:.1f} MB"
        table.add_row(model.name, model.kind, ", ".join(model.pairs) or "-", size, origin)
    console.print(table)
