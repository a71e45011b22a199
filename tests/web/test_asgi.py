"""The ASGI factory that uvicorn's --factory --workers N calls in each web process."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from babelwire.web.asgi import app_from_environment


def test_factory_builds_the_site_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BABELWIRE_SITE_TITLE", "Wire from env")
    app = app_from_environment()
    try:
        client = TestClient(app)
        assert client.get("/healthz").json() == {"status": "ok"}
        assert "Wire from env" in client.get("/en/").text
        assert (tmp_path / "data" / "babelwire.db").exists()
    finally:
        app.state.store.close()
