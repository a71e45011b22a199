"""A local HTTP fixture server: canned responses on 127.0.0.1, for the demo and for tests.

Tests of fetching, polling and the whole pipeline need a real HTTP server (real sockets,
real headers, conditional GET) without touching the network. `SiteServer` serves a mapping
of path -> `Response` from a daemon thread; `DemoSite` serves one bundled demo newspaper
(El Diario del Puerto unless told another paper), each on its own port as two real sites are.
"""

from __future__ import annotations

import argparse
import hashlib
import threading
import time
from collections.abc import MutableMapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Self
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from babelwire.demo.papers import Paper
    from babelwire.demo.site import DemoArticle

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Response:
    """What the server answers on one path. `headers` are sent as given, after the defaults."""

    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """A header of this response, looked up case-insensitively as HTTP does."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), None)

    @property
    def etag(self) -> str:
        """Strong validator: a hash of the body, so it changes exactly when the body does."""
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


class RecordedRequest(NamedTuple):
    """One request the server received (the path includes any query string)."""

    method: str
    path: str
    headers: dict[str, str]


class SiteServer:
    """Serves `routes` on 127.0.0.1 at an ephemeral port, in a daemon thread.

    The socket is bound on construction, so `base_url` is known before the server starts;
    `with SiteServer(routes) as server:` starts it and stops it. `routes` is used as given,
    so changing the mapping (or calling `set_route`) changes what is served next.
    """

    def __init__(self, routes: MutableMapping[str, Response] | None = None, *, port: int = 0) -> None:
        self.routes: MutableMapping[str, Response] = routes if routes is not None else {}
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._httpd = _Server((HOST, port), _Handler)
        self._httpd.site = self
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://{HOST}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def set_route(self, path: str, response: Response) -> None:
        with self._lock:
            self.routes[path] = response

    def remove_route(self, path: str) -> None:
        with self._lock:
            self.routes.pop(path, None)

    def lookup(self, target: str) -> Response | None:
        """The response for a request target: an exact match first, then the path without query."""
        with self._lock:
            found = self.routes.get(target)
            if found is None:
                found = self.routes.get(urlsplit(target).path)
            return found

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def start(self) -> Self:
        if self._stopped:
            raise RuntimeError("a stopped SiteServer cannot be restarted; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},  # stop() waits for one poll; keep tests fast
                name=f"SiteServer:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port; safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, routes={len(self.routes)})"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-response are normal in tests; keep stderr quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections must not hold a thread for ever
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self._reject()

    def do_PUT(self) -> None:
        self._reject()

    def do_DELETE(self) -> None:
        self._reject()

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: fixture servers must not spam the test output."""

    def _record(self) -> None:
        self.server.site.record(RecordedRequest(self.command, self.path, dict(self.headers.items())))
        if self.server.site.stopped:
            self.close_connection = True

    def _serve(self, *, send_body: bool) -> None:
        self._record()
        response = self.server.site.lookup(self.path)
        if response is None:
            response = Response(status=404, content_type="text/plain; charset=utf-8", body=b"Not Found")
        etag = response.etag if response.status == 200 else None
        if etag is not None and _not_modified(self.headers, response, etag):
            self.send_response(304)
            self.send_header("ETag", etag)
            last_modified = response.header("Last-Modified")
            if last_modified:
                self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        if response.header("Content-Length") is None:
            self.send_header("Content-Length", str(len(response.body)))
        if etag is not None and response.header("ETag") is None:
            self.send_header("ETag", etag)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def _reject(self) -> None:
        self._record()
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"Method Not Allowed"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _not_modified(headers: Message, response: Response, etag: str) -> bool:
    """RFC 9110 §13.2.2: If-None-Match (weak comparison) wins over If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    last_modified = response.header("Last-Modified")
    if not if_modified_since or not last_modified:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unparsable date means "send the full response"


class DemoSite(SiteServer):
    """A bundled demo newspaper, served with absolute URLs that point at this server."""

    def __init__(self, *, paper: Paper | None = None, port: int = 0) -> None:
        # Imported here: site.py needs Response from this module.
        from babelwire.demo.papers import DIARIO
        from babelwire.demo.site import load_articles, render_site

        super().__init__({}, port=port)
        self.paper: Paper = paper or DIARIO
        self._articles = tuple(load_articles(self.paper))
        self.routes.update(render_site(self.base_url, self._articles, paper=self.paper))

    @property
    def articles(self) -> tuple[DemoArticle, ...]:
        """The articles, newest first."""
        return self._articles

    @property
    def home_url(self) -> str:
        return self.url("/")

    @property
    def rss_url(self) -> str:
        return self.url("/rss.xml")

    @property
    def atom_url(self) -> str:
        return self.url("/atom.xml")

    def article_url(self, article: DemoArticle) -> str:
        return self.url(article.path)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the demo papers until Ctrl-C, for trying babelwire by hand."""
    from babelwire.demo.papers import PAPERS, paper_named

    parser = argparse.ArgumentParser(prog="python -m babelwire.demo.server", description=main.__doc__)
    parser.add_argument(
        "--paper",
        choices=[paper.key for paper in PAPERS],
        action="append",
        help="serve only this paper (repeatable; default: every paper, each on its own port)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 of the first paper (default: any free port)"
    )
    args = parser.parse_args(argv)
    papers = [paper_named(key) for key in args.paper] if args.paper else list(PAPERS)
    with ExitStack() as stack:
        sites = [
            stack.enter_context(DemoSite(paper=paper, port=args.port if index == 0 else 0))
            for index, paper in enumerate(papers)
        ]
        for site in sites:
            print(f"Demo site:  {site.paper.name} ({site.paper.language_name}) {site.home_url}", flush=True)
            print(f"RSS feed:   {site.rss_url}", flush=True)
            print(f"Atom feed:  {site.atom_url}", flush=True)
        count = sum(len(site.articles) for site in sites)
        print(f"{count} articles. Press Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
