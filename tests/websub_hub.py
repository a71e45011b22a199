"""A real little WebSub hub on 127.0.0.1 for tests: subscriptions, verification of intent, publishing.

It speaks the protocol from the hub's side (W3C WebSub §5-7): a subscription POST is answered
202 and verified afterwards, in a thread, by GETting the callback with a random challenge
that must come back verbatim; `publish` POSTs content with an X-Hub-Signature HMAC-SHA256
to every verified subscriber of the topic. The HMAC is computed here with hmac directly,
not with babelwire's helpers, so a bug there cannot hide itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlencode

HOST = "127.0.0.1"
# No proxies from the environment: every request this hub makes goes to 127.0.0.1 only.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Subscription:
    callback: str
    topic: str
    secret: str | None
    lease_seconds: int


@dataclass(frozen=True)
class Verification:
    """One verification of intent the hub made, and what the subscriber answered."""

    mode: str
    topic: str
    callback: str
    status: int
    confirmed: bool


@dataclass
class HubState:
    subscriptions: dict[tuple[str, str], Subscription] = field(default_factory=dict)
    verifications: list[Verification] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)


class WebSubHub:
    """`with WebSubHub() as hub:` serves the hub at `hub.url`; `deny` topics are refused (hub.mode=denied)."""

    def __init__(self, *, lease_seconds: int = 3600, deny: frozenset[str] = frozenset()) -> None:
        self.lease_seconds = lease_seconds
        self.deny = deny
        self.state = HubState()
        self._changed = threading.Condition()
        self._httpd = _HubServer((HOST, 0), _HubHandler)
        self._httpd.hub = self
        self.url = f"http://{HOST}:{self._httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._httpd.shutdown()
        self._thread.join(timeout=5)
        self._httpd.server_close()

    # -- the hub's side of the protocol -------------------------------------------------------

    def handle_request(self, form: dict[str, str]) -> tuple[int, str]:
        """A (un)subscription request: 202 and verification in the background, or 400 and why."""
        with self._changed:
            self.state.requests.append(form)
        mode, topic, callback = form.get("hub.mode"), form.get("hub.topic"), form.get("hub.callback")
        if mode not in ("subscribe", "unsubscribe") or not topic or not callback:
            return 400, "hub.mode, hub.topic and hub.callback are required"
        threading.Thread(target=self._verify, args=(form,), daemon=True).start()
        return 202, ""

    def _verify(self, form: dict[str, str]) -> None:
        mode, topic, callback = form["hub.mode"], form["hub.topic"], form["hub.callback"]
        if mode == "subscribe" and topic in self.deny:
            status, _ = self.verify(callback, "denied", topic, reason="topic not served by this hub")
            self._record(Verification("denied", topic, callback, status, confirmed=False))
            return
        lease = min(int(form.get("hub.lease_seconds") or self.lease_seconds), self.lease_seconds)
        challenge = secrets.token_urlsafe(24)
        status, answer = self.verify(callback, mode, topic, challenge=challenge, lease_seconds=lease)
        confirmed = status // 100 == 2 and answer == challenge
        with self._changed:
            if confirmed and mode == "subscribe":
                sub = Subscription(callback, topic, form.get("hub.secret"), lease)
                self.state.subscriptions[(callback, topic)] = sub
            elif confirmed:
                self.state.subscriptions.pop((callback, topic), None)
        self._record(Verification(mode, topic, callback, status, confirmed))

    def _record(self, verification: Verification) -> None:
        with self._changed:
            self.state.verifications.append(verification)
            self._changed.notify_all()

    def verify(
        self,
        callback: str,
        mode: str,
        topic: str,
        *,
        challenge: str | None = None,
        lease_seconds: int | None = None,
        reason: str | None = None,
    ) -> tuple[int, str]:
        """GET the callback as a hub does; (status, body). Public so tests can send odd ones."""
        query = {"hub.mode": mode, "hub.topic": topic}
        if challenge is not None:
            query["hub.challenge"] = challenge
        if lease_seconds is not None:
            query["hub.lease_seconds"] = str(lease_seconds)
        if reason is not None:
            query["hub.reason"] = reason
        separator = "&" if "?" in callback else "?"
        return _call(urllib.request.Request(callback + separator + urlencode(query)))

    def publish(self, topic: str, body: bytes, content_type: str = "application/atom+xml") -> list[int]:
        """Distribute `body` to every verified subscriber of `topic`; their HTTP statuses."""
        with self._changed:
            targets = [sub for sub in self.state.subscriptions.values() if sub.topic == topic]
        statuses = []
        for sub in targets:
            headers = {
                "Content-Type": content_type,
                "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
            }
            if sub.secret:
                digest = hmac.new(sub.secret.encode(), body, hashlib.sha256).hexdigest()
                headers["X-Hub-Signature"] = f"sha256={digest}"
            statuses.append(post(sub.callback, body, headers)[0])
        return statuses

    def wait_for_verifications(self, count: int, timeout: float = 5.0) -> list[Verification]:
        """Block until at least `count` verifications happened; all of them, oldest first."""
        with self._changed:
            done = self._changed.wait_for(lambda: len(self.state.verifications) >= count, timeout=timeout)
            assert done, f"the hub made {len(self.state.verifications)} of {count} verifications"
            return list(self.state.verifications)

    def subscriber(self, callback: str, topic: str) -> Subscription | None:
        with self._changed:
            return self.state.subscriptions.get((callback, topic))


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST raw bytes (content distribution, forged or real); (status, body)."""
    return _call(urllib.request.Request(url, data=body, headers=headers, method="POST"))


def _call(request: urllib.request.Request) -> tuple[int, str]:
    """(status, body); status 0 when nobody answers at all, as a hub sees an unreachable callback."""
    assert request.full_url.startswith(f"http://{HOST}:"), "tests talk to 127.0.0.1 only"
    try:
        with _OPENER.open(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        return 0, str(error)


class _HubServer(ThreadingHTTPServer):
    daemon_threads = True
    hub: WebSubHub


class _HubHandler(BaseHTTPRequestHandler):
    server: _HubServer
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        fields = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        status, message = self.server.hub.handle_request({key: values[0] for key, values in fields.items()})
        payload = message.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: fixture servers must not spam the test output."""
