"""The security headers middleware on its own: every answer gets them, a route's own value is kept."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from babelwire.web.security import CSP, SecurityHeadersMiddleware


def plain(_: object) -> Response:
    return PlainTextResponse("hello")


def own_policy(_: object) -> Response:
    return PlainTextResponse("framed", headers={"X-Frame-Options": "SAMEORIGIN"})


def streamed(_: object) -> Response:
    return StreamingResponse(iter([b"a", b"b", b"c"]), media_type="text/plain")


def client(hsts: int = 0) -> TestClient:
    routes = [Route("/", plain), Route("/own", own_policy), Route("/stream", streamed)]
    return TestClient(SecurityHeadersMiddleware(Starlette(routes=routes), hsts_max_age=hsts))


def test_every_answer_gets_the_headers_even_a_404() -> None:
    with client() as http:
        for path in ("/", "/missing"):
            answer = http.get(path)
            assert answer.headers["content-security-policy"] == CSP
            assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["x-frame-options"] == "DENY"
            assert "strict-transport-security" not in answer.headers


def test_a_route_that_sets_its_own_value_keeps_it_and_once() -> None:
    with client() as http:
        answer = http.get("/own")
    assert answer.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert answer.text == "framed"


def test_streamed_bodies_pass_whole_and_hsts_is_sent_when_asked() -> None:
    with client(hsts=31536000) as http:
        answer = http.get("/stream")
    assert answer.text == "abc"
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
