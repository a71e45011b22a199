"""`babelwire demo`: the whole wire on the bundled Spanish demo site, end to end, locally."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from babelwire.commands.common import console, fail, open_settings


def demo_command(
    port: Annotated[int, typer.Option(help="Port for the translated site.")] = 8000,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the site after the run.")] = True,
    data_dir: Annotated[
        Path, typer.Option(help="Where the demo's own database goes (recreated each run).")
    ] = Path("data/demo"),
) -> None:
    """Serve the demo news site on 127.0.0.1, translate it all, and serve the translated site."""
    from babelwire.commands.run import print_report, run_pipeline_once
    from babelwire.commands.serve import check_port_free, serve_site
    from babelwire.demo.server import DemoSite
    from babelwire.domain import Source
    from babelwire.store import queries
    from babelwire.store.db import Store
    from babelwire.translate.registry import get_engine

    settings = open_settings().model_copy(update={"data_dir": data_dir, "database_url": None})
    if serve:
        check_port_free("127.0.0.1", port)
    for target in settings.target_languages:
        if not get_engine(settings.engine_for("es", target)).supports("es", target) and target != "es":
            raise fail(
                f"no engine for Spanish -> {target}",
                "install Apertium pairs: sudo apt-get install apertium apertium-eng-spa (or run `make demo`)",
            )
    # The demo site's port changes every run, so its article URLs do too: start from a clean store.
    shutil.rmtree(data_dir, ignore_errors=True)
    # The demo site is served on 127.0.0.1, which the SSRF guard refuses: allow that address only.
    # It is our own server, so the one-request-per-second courtesy to a host is not needed either.
    allowed = [*settings.fetch.allowed_networks, "127.0.0.1/32"]
    fetch = settings.fetch.model_copy(
        update={"allowed_networks": allowed, "per_host_interval": 0.0, "per_host_concurrency": 4}
    )
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}", "fetch": fetch})
    store = Store.from_settings(settings)
    with DemoSite() as site:
        console.print(f"Demo news site (Spanish) serving at [bold]{site.base_url}/[/]")
        with store.session() as session, session.begin():
            queries.upsert_source(
                session, Source(name="El Diario del Puerto (RSS)", url=site.rss_url, language="es")
            )
            queries.upsert_source(
                session, Source(name="El Diario del Puerto (Atom)", url=site.atom_url, language="es")
            )
        report = run_pipeline_once(settings, store, force=True)
        print_report(report, settings.target_languages)
        if serve:
            serve_site(settings, store, host="127.0.0.1", port=port)
    store.close()
