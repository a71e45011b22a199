"""`babelwire demo`: the whole wire on the bundled demo papers (Spanish and Catalan), end to end, locally."""

from __future__ import annotations

import shutil
from contextlib import ExitStack
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
    """Serve the two demo newspapers (Spanish, Catalan) on 127.0.0.1, translate them, and serve the site.

    Both report some of the same events, and both republish one agency story: the site shows each
    event as one story with both papers as its sources, and the agency copy once."""
    from babelwire.commands.run import print_report, run_pipeline_once
    from babelwire.commands.serve import check_port_free, serve_site
    from babelwire.demo.papers import PAPERS
    from babelwire.demo.server import DemoSite
    from babelwire.domain import Source
    from babelwire.store import queries
    from babelwire.store.db import Store
    from babelwire.translate.registry import get_engine

    settings = open_settings().model_copy(update={"data_dir": data_dir, "database_url": None})
    if serve:
        check_port_free("127.0.0.1", port)
    names = {paper.language: paper.language_name for paper in PAPERS}
    for language in names:
        for target in settings.target_languages:
            engine = get_engine(settings.engine_for(language, target))
            if target != language and not engine.supports(language, target):
                raise fail(
                    f"no engine for {names[language]} -> {target}",
                    "install the Apertium pairs: sudo apt-get install apertium apertium-eng-spa"
                    " apertium-eng-cat apertium-spa-cat (or run `make demo`)",
                )
    # The demo sites' ports change every run, so their article URLs do too: start from a clean store.
    shutil.rmtree(data_dir, ignore_errors=True)
    # The demo sites are served on 127.0.0.1, which the SSRF guard refuses: allow that address only.
    # They are our own servers, so the one-request-per-second courtesy to a host is not needed either.
    allowed = [*settings.fetch.allowed_networks, "127.0.0.1/32"]
    fetch = settings.fetch.model_copy(
        update={"allowed_networks": allowed, "per_host_interval": 0.0, "per_host_concurrency": 4}
    )
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}", "fetch": fetch})
    store = Store.from_settings(settings)
    with ExitStack() as servers:
        sites = [servers.enter_context(DemoSite(paper=paper)) for paper in PAPERS]
        for site in sites:
            language, name = site.paper.language_name, site.paper.name
            console.print(f"Demo news site ({language}) serving at [bold]{site.base_url}/[/] ({name})")
        with store.session() as session, session.begin():
            for site in sites:
                for kind, url in (("RSS", site.rss_url), ("Atom", site.atom_url)):
                    source = Source(name=f"{site.paper.name} ({kind})", url=url, language=site.paper.language)
                    queries.upsert_source(session, source)
        report = run_pipeline_once(settings, store, force=True)
        print_report(report, settings.target_languages)
        if serve:
            serve_site(settings, store, host="127.0.0.1", port=port)
    store.close()
