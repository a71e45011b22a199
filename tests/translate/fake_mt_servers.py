"""Local stand-ins for the HTTP translation APIs, for the engine tests.

Each fake listens on 127.0.0.1 on an ephemeral port (a thread of `ThreadingHTTPServer`),
speaks its API as the real server does (paths, request shapes, auth, content types, error
bodies), checks what the engine sends, records every request, and "translates"
deterministically with ROT13 on the text between tags, so markup visibly survives and tests
can compute the expected output. Told to, it misbehaves on its translate endpoint: the
queued `Fault`s are used one per request, in order, then it behaves again.
"""

from __future__ import annotations

import codecs
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

# Engine options that keep failure tests fast: tiny timeouts and backoffs, three attempts.
FAST: dict[str, Any] = {"timeout": 0.5, "connect_timeout": 0.5, "attempts": 3, "backoff": 0.01}
_PROTECTED = re.compile(r"(<[^>]*>|&#?\w+;)")


def fake_translate(text: str) -> str:
    """ROT13 on the text outside tags and entities: deterministic, reversible, keeps markup."""
    return "".join(
        part if _PROTECTED.fullmatch(part) else codecs.encode(part, "rot13")
        for part in _PROTECTED.split(text)
    )


@dataclass
class Fault:
    """One misbehaviour: "status" (an HTTP error), "sleep" (then answer), "malformed" (200, not JSON),
    "empty" (one translation empty), "count" (one translation missing), and per API: "fenced",
    "chatty", "not_json" (OpenAI answers), "drop_markers" (APY loses the segment markers)."""

    kind: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    seconds: float = 0.0


def http_error(status: int, *, retry_after: str | None = None, body: Any = None) -> Fault:
    return Fault("status", status, {"Retry-After": retry_after} if retry_after is not None else {}, body)


def sleep(seconds: float) -> Fault:
    return Fault("sleep", seconds=seconds)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list: JSON; str: sent as `content_type`
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"

    def encode(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        return str(self.body or "").encode(), self.content_type


class BadRequest(Exception):
    """Raised by a fake's route when the engine sent something the real API would refuse."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


Route = Callable[[Request, Fault | None], Reply]


class FakeServer:
    """Base of the fakes: serving, request log, fault queue, the API's error body shape."""

    fault_routes: frozenset[tuple[str, str]] = frozenset()

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def routes(self) -> dict[tuple[str, str], Route]:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> Any:
        return {"error": message}

    def misbehave(self, *faults: Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    def calls(self, method: str, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    @property
    def url(self) -> str:
        assert self._httpd is not None, "not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def handle(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route_key = (request.method, request.path)
            fault = self._faults.popleft() if route_key in self.fault_routes and self._faults else None
        route = self.routes().get(route_key)
        if route is None:
            return Reply(404, self.error_body(404, f"no route {request.method} {request.path}"))
        if fault is not None and fault.kind == "sleep":
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and fault.kind == "status":
            body = fault.body if fault.body is not None else self.error_body(fault.status, "injected failure")
            return Reply(fault.status, body, fault.headers)
        if fault is not None and fault.kind == "malformed":
            return Reply(200, "<html><body>upstream hiccup</body></html>")
        try:
            return route(request, fault)
        except BadRequest as exc:
            return Reply(exc.status, self.error_body(exc.status, str(exc)))

    def start(self) -> None:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def serving(fake: FakeServer) -> Iterator[FakeServer]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not hold up shutdown
    fake: FakeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is part of the test, not noise


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _Server

    def do_GET(self) -> None:
        parsed = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, parsed.path, dict(parse_qsl(parsed.query)), headers, body)
        reply = self.server.fake.handle(request)
        payload, content_type = reply.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _require_json(request: Request) -> dict[str, Any]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise BadRequest(
            f"expected Content-Type application/json, got {request.headers.get('content-type')}", 415
        )
    try:
        body = request.json()
    except ValueError as exc:
        raise BadRequest(f"invalid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("Invalid JSON format")
    return body


def _texts(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(t, str) for t in value):
        raise BadRequest(f"Invalid request: {name} must be a non-empty array of strings")
    return value


def apply_faults(fault: Fault | None, outputs: list[str]) -> list[str]:
    """The faults every API can show in its translations."""
    if fault is not None and fault.kind == "empty":
        return ["", *outputs[1:]]
    if fault is not None and fault.kind == "count":
        return outputs[:-1]
    return outputs


class FakeLibreTranslate(FakeServer):
    """LibreTranslate 1.6 with JSON bodies: api_key in the body, {"error": ...} bodies, its limits."""

    fault_routes = frozenset({("POST", "/translate")})

    def __init__(self, *, api_key: str | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self.languages = {"es": ["ca", "en"], "en": ["es"], "ca": ["es"]}
        self.char_limit = self.batch_limit = -1  # the server's --char-limit, --batch-limit
        self.version: str | None = None  # current releases report none

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("GET", "/languages"): lambda r, f: Reply(200, self._languages()),
            ("GET", "/frontend/settings"): lambda r, f: Reply(200, self._settings()),
            ("POST", "/translate"): self._translate,
        }

    def _languages(self) -> list[dict[str, Any]]:
        return [{"code": c, "name": c.upper(), "targets": t} for c, t in self.languages.items()]

    def _settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {"charLimit": self.char_limit, "apiKeys": self.api_key is not None}
        if self.version:
            settings["version"] = self.version
        return settings

    def _translate(self, request: Request, fault: Fault | None) -> Reply:
        body = _require_json(request)
        if self.api_key is not None and body.get("api_key") != self.api_key:
            if body.get("api_key"):
                raise BadRequest("Invalid API key", 403)
            raise BadRequest("Please contact the server operator to get an API key")
        q = _texts(body.get("q"), "q")
        source, target = body.get("source"), body.get("target")
        if source not in self.languages:
            raise BadRequest(f"{source} is not supported")
        if target not in self.languages[source]:
            raise BadRequest(f"{target} is not available as a target language from {source}")
        if body.get("format") not in ("text", "html"):
            raise BadRequest(f"{body.get('format')} format is not supported")
        if 0 <= self.batch_limit < len(q):
            raise BadRequest(f"Invalid request: request ({len(q)}) exceeds text limit ({self.batch_limit})")
        if 0 <= self.char_limit < sum(len(t) for t in q):
            raise BadRequest(f"Invalid request: request exceeds text limit ({self.char_limit})")
        return Reply(200, {"translatedText": apply_faults(fault, [fake_translate(t) for t in q])})


class FakeDeepL(FakeServer):
    """DeepL API v2: `DeepL-Auth-Key` header, JSON bodies, {"message": ...} errors, 456 quota."""

    fault_routes = frozenset({("POST", "/v2/translate")})
    SOURCES = ("DE", "EN", "ES", "FR", "PT")
    TARGETS = ("DE", "EN-GB", "EN-US", "ES", "FR", "PT-BR", "PT-PT")

    def __init__(self, api_key: str = "test-key:fx") -> None:
        super().__init__()
        self.api_key = api_key

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    def routes(self) -> dict[tuple[str, str], Route]:
        return {("GET", "/v2/languages"): self._languages, ("POST", "/v2/translate"): self._translate}

    def _auth(self, request: Request) -> None:
        if request.headers.get("authorization") != f"DeepL-Auth-Key {self.api_key}":
            raise BadRequest("Wrong auth key", 403)

    def _languages(self, request: Request, fault: Fault | None) -> Reply:
        self._auth(request)
        codes = self.TARGETS if request.query.get("type") == "target" else self.SOURCES
        return Reply(200, [{"language": c, "name": c, "supports_formality": True} for c in codes])

    def _translate(self, request: Request, fault: Fault | None) -> Reply:
        self._auth(request)
        body = _require_json(request)
        texts = _texts(body.get("text"), "text")
        if len(texts) > 50:
            raise BadRequest("Too many texts in request: at most 50 are allowed", 413)
        if body.get("target_lang") not in self.TARGETS:
            raise BadRequest("Value for 'target_lang' not supported.")
        if body.get("source_lang") not in (None, *self.SOURCES):
            raise BadRequest("Value for 'source_lang' not supported.")
        if body.get("tag_handling") not in (None, "xml", "html"):
            raise BadRequest("Value for 'tag_handling' not supported.")
        if body.get("formality") not in (None, "default", "more", "less", "prefer_more", "prefer_less"):
            raise BadRequest("Value for 'formality' not supported.")
        outputs = apply_faults(fault, [fake_translate(t) for t in texts])
        source = body.get("source_lang") or "ES"
        return Reply(
            200, {"translations": [{"detected_source_language": source, "text": t} for t in outputs]}
        )


class FakeOpenAI(FakeServer):
    """An OpenAI-compatible chat server (as vLLM/llama.cpp serve it) whose "model" answers in JSON."""

    fault_routes = frozenset({("POST", "/v1/chat/completions")})

    def __init__(self, model: str = "test-model", *, api_key: str | None = None) -> None:
        super().__init__()
        self.model, self.api_key = model, api_key

    def error_body(self, status: int, message: str) -> Any:
        return {"error": {"message": message, "type": "invalid_request_error", "code": status}}

    def routes(self) -> dict[tuple[str, str], Route]:
        return {("POST", "/v1/chat/completions"): self._chat}

    def _chat(self, request: Request, fault: Fault | None) -> Reply:
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            raise BadRequest("Incorrect API key provided", 401)
        body = _require_json(request)
        if body.get("model") != self.model:
            raise BadRequest(f"The model `{body.get('model')}` does not exist", 404)
        messages = body.get("messages")
        if not isinstance(messages, list) or [m.get("role") for m in messages] != ["system", "user"]:
            raise BadRequest("expected a system and a user message")
        segments = _texts(json.loads(messages[1]["content"]), "user content")
        content = json.dumps({"translations": apply_faults(fault, [fake_translate(s) for s in segments])})
        kind = fault.kind if fault is not None else None
        if kind == "fenced":
            content = f"```json\n{content}\n```"
        elif kind == "chatty":
            content = f"Sure! Here are the translations:\n{content}\nLet me know if you need more."
        elif kind == "not_json":
            content = "I'm sorry, I can only translate one sentence at a time."
        return Reply(200, _completion(self.model, content))


def _completion(model: str, content: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": content}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": model,
        "system_fingerprint": "fp_test",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class FakeApertiumApy(FakeServer):
    """APY 0.11: form-encoded requests, ISO 639-3 pairs, {"responseData": ...} answers."""

    fault_routes = frozenset({("POST", "/translate")})

    def __init__(self, pairs: Iterable[str] = ("spa-eng", "eng-spa", "spa-cat")) -> None:
        super().__init__()
        self.pairs = tuple(pairs)

    def error_body(self, status: int, message: str) -> Any:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        return {"status": "error", "code": status, "message": phrase, "explanation": message}

    def routes(self) -> dict[tuple[str, str], Route]:
        return {("GET", "/listPairs"): self._list, ("POST", "/translate"): self._translate}

    def _list(self, request: Request, fault: Fault | None) -> Reply:
        data = [{"sourceLanguage": p.split("-")[0], "targetLanguage": p.split("-")[1]} for p in self.pairs]
        return Reply(200, {"responseData": data, "responseDetails": None, "responseStatus": 200})

    def _translate(self, request: Request, fault: Fault | None) -> Reply:
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            raise BadRequest("expected a form-encoded body")
        form = {name: values[0] for name, values in request.form().items()}
        if form.get("langpair", "").replace("|", "-") not in self.pairs:
            raise BadRequest("That pair is not installed")
        if "q" not in form:
            raise BadRequest("Missing argument q")
        translated = fake_translate(form["q"])
        if fault is not None and fault.kind == "empty":
            translated = ""
        elif fault is not None and fault.kind == "drop_markers":
            translated = re.sub(r"<hr [^>]*>", " ", translated)
        data = {"translatedText": translated}
        return Reply(200, {"responseData": data, "responseDetails": None, "responseStatus": 200})
