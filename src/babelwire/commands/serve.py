"""`babelwire serve`: the published site, feeds and health check."""

from __future__ import annotations

import errno
import socket
from typing import TYPE_CHECKING, Annotated

import typer

from babelwire.commands.common import console, fail, open_settings, open_store

if TYPE_CHECKING:
    from babelwire.config import Settings
    from babelwire.store.db import Store


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes the site to the network.")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the translated site (home, articles, RSS) until Ctrl-C."""
    settings = open_settings()
    serve_site(settings, open_store(settings), host=host, port=port)


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {port} on {host} is already in use", "pass --port with a free port"
                ) from exc
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def serve_site(settings: Settings, store: Store, *, host: str, port: int) -> None:
    import uvicorn

    from babelwire.web.app import create_app

    check_port_free(host, port)
    app = create_app(settings, store)
    console.print(f"[bold green]Serving the translated site at http://{host}:{port}/[/]  (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
