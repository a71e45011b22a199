"""Pulling models through huggingface_hub from a local stand-in for the hub, and listing them.

The server below speaks the part of the hub API that `snapshot_download` uses (huggingface_hub
2.x): `GET /api/models/{repo}/revision/{rev}` (repo info: sha + file list), `GET
/api/models/{repo}/tree/{rev}` (file listing) and `HEAD`/`GET /{repo}/resolve/{rev}/{file}`
(with `X-Repo-Commit` and `ETag`). A socket guard fails any test that tries another host.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import huggingface_hub.constants
import pytest
from typer.testing import CliRunner

from babelwire.commands.models import app
from babelwire.translate.engines.ctranslate2 import CTranslate2Engine
from babelwire.translate.models import ModelError, language_tokens, list_models, pairs_from_name, pull_model
from tests.translate.ct2_models import build_marian_model

REPO = "babelwire-test/opus-mt-es-en-ct2"
NOT_CT2 = "babelwire-test/opus-mt-es-ca"
SHA = hashlib.sha1(b"babelwire-test").hexdigest()
_ROUTE = re.compile(
    r"^/(?:api/models/(?P<api_repo>[^/]+/[^/]+)(?:/(?P<what>revision|tree)/(?P<rev>[^/]+))?"
    r"|(?P<repo>[^/]+/[^/]+)/resolve/(?P<file_rev>[^/]+)/(?P<file>.+))$"
)


class FakeHub:
    """Repositories (name -> files) served on 127.0.0.1 in a thread; records every request."""

    def __init__(self, repos: dict[str, dict[str, bytes]]) -> None:
        self.repos = repos
        self.requests: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hub.requests.append(f"GET {self.path}")
                self._answer(with_body=True)

            def do_HEAD(self) -> None:
                hub.requests.append(f"HEAD {self.path}")
                self._answer(with_body=False)

            def _answer(self, with_body: bool) -> None:
                match = _ROUTE.match(unquote(urlsplit(self.path).path))
                repo = match and (match["api_repo"] or match["repo"])
                files = hub.repos.get(repo or "")
                if match is None or files is None:
                    return self._send(
                        404, b'{"error":"Repository not found"}', {"X-Error-Code": "RepoNotFound"}
                    )
                if match["api_repo"] and match["what"] != "tree":
                    info = {
                        "id": repo,
                        "sha": SHA,
                        "private": False,
                        "siblings": [{"rfilename": f} for f in files],
                    }
                    return self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"})
                if match["what"] == "tree":
                    tree = [
                        {"type": "file", "path": f, "size": len(b), "oid": _oid(b)} for f, b in files.items()
                    ]
                    return self._send(200, json.dumps(tree).encode(), {"Content-Type": "application/json"})
                body = files.get(match["file"])
                if body is None:
                    return self._send(404, b"", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": SHA})
                headers = {"X-Repo-Commit": SHA, "ETag": f'"{_oid(body)}"'}
                return self._send(200, body, headers, with_body)

            def _send(
                self, status: int, body: bytes, headers: dict[str, str], with_body: bool = True
            ) -> None:
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                if with_body and self.command != "HEAD":
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _oid(body: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A hub repository as CTranslate2 conversions are published: no babelwire.json."""
    built = build_marian_model(tmp_path_factory.mktemp("hub") / "model")
    return {path.name: path.read_bytes() for path in built.iterdir() if path.name != "babelwire.json"}


@pytest.fixture
def hub(model_files: dict[str, bytes]) -> Iterator[FakeHub]:
    transformers_checkpoint = {"config.json": b"{}", "pytorch_model.bin": b"\0" * 64, "source.spm": b"x"}
    server = FakeHub({REPO: model_files, NOT_CT2: transformers_checkpoint})
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Only 127.0.0.1 may be contacted; no token, cache or offline flag of the developer is used."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"test tried to reach {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for key in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "HF_ENDPOINT", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(tmp_path / "hf-home" / "token"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf-home" / "hub"))


def test_pull_installs_lists_and_translates(hub: FakeHub, tmp_path: Path) -> None:
    messages: list[str] = []
    path = pull_model(REPO, tmp_path / "models", endpoint=hub.url, progress=messages.append)
    assert path == tmp_path / "models" / "babelwire-test--opus-mt-es-en-ct2"
    assert {"model.bin", "config.json", "source.spm", "target.spm", "shared_vocabulary.json"} <= {
        child.name for child in path.iterdir()
    }
    meta = json.loads((path / "babelwire.json").read_text())
    assert meta == {"kind": "marian", "pairs": ["es-en"], "repo": REPO, "revision": SHA}
    assert hub.requests[0] == f"GET /api/models/{REPO}"  # repo info: commit + file list, then files
    assert any(f"/{REPO}/resolve/{SHA}/model.bin" in r for r in hub.requests)
    assert messages and "installed" in messages[-1]

    [model] = list_models(tmp_path / "models")
    assert (model.name, model.kind, model.pairs, model.repo, model.revision) == (
        path.name, "marian", ("es-en",), REPO, SHA
    )  # fmt: skip
    assert model.size >= (path / "model.bin").stat().st_size

    engine = CTranslate2Engine(models_dir=str(tmp_path / "models"), beam_size=1)
    assert engine.supports("es", "en")
    assert engine.translate(["El puerto abre el martes."], "es", "en")[0]
    assert engine.model_version("es", "en") == f"{REPO}@{SHA[:12]}"

    # Pulling again is cheap and keeps the model; explicit pairs replace the guessed ones.
    pull_model(REPO, tmp_path / "models", endpoint=hub.url, pairs=["es-en", "es-gl"])
    assert list_models(tmp_path / "models")[0].pairs == ("es-en", "es-gl")


def test_missing_repository(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        pull_model("nobody/nothing", tmp_path / "models", endpoint=hub.url)
    assert info.value.reason == "not_found"
    assert not (tmp_path / "models" / "nobody--nothing").exists()


def test_transformers_checkpoint_is_refused_before_download(hub: FakeHub, tmp_path: Path) -> None:
    with pytest.raises(ModelError) as info:
        pull_model(NOT_CT2, tmp_path / "models", endpoint=hub.url)
    assert info.value.reason == "not_ct2_model"
    assert "ct2-transformers-converter" in info.value.message
    assert not any("/resolve/" in request for request in hub.requests)
    assert list_models(tmp_path / "models") == []


def test_unreachable_hub(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ModelError) as info:
        pull_model(REPO, tmp_path / "models", endpoint=f"http://127.0.0.1:{port}")
    assert info.value.reason == "unreachable"


def test_list_skips_what_is_not_a_model(hub: FakeHub, tmp_path: Path) -> None:
    models_dir = tmp_path / "models"
    (models_dir / "junk").mkdir(parents=True)
    (models_dir / "junk" / "notes.txt").write_text("hello")
    pull_model(REPO, models_dir, endpoint=hub.url)
    shutil.copytree(models_dir / "babelwire-test--opus-mt-es-en-ct2", models_dir / "copy")
    (models_dir / "copy" / "babelwire.json").unlink()  # by hand: kind and pairs are guessed
    assert [(m.name, m.kind, m.pairs) for m in list_models(models_dir)] == [
        ("babelwire-test--opus-mt-es-en-ct2", "marian", ("es-en",)),
        ("copy", "marian", ()),
    ]
    assert list_models(tmp_path / "absent") == []


def test_cli_pull_and_list(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", hub.url)  # honoured at call time, not only at import
    monkeypatch.setenv("BABELWIRE_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    result = runner.invoke(app, ["pull", REPO, "--pairs", "es-en,es-ca"])
    assert result.exit_code == 0, result.output
    assert "installed" in result.output
    installed = tmp_path / "data" / "models" / "babelwire-test--opus-mt-es-en-ct2"
    assert json.loads((installed / "babelwire.json").read_text())["pairs"] == ["es-en", "es-ca"]

    monkeypatch.setenv("COLUMNS", "200")
    listing = runner.invoke(app, ["list"])
    assert listing.exit_code == 0, listing.output
    assert "babelwire-test--opus-mt-es-en-ct2" in listing.output and "es-en, es-ca" in listing.output

    missing = runner.invoke(app, ["pull", "nobody/nothing", "--models-dir", str(tmp_path / "other")])
    assert missing.exit_code == 1
    assert "no model repository" in missing.output
    empty = runner.invoke(app, ["list", "--models-dir", str(tmp_path / "other")])
    assert empty.exit_code == 0 and "no models" in empty.output


def test_names_and_language_tokens() -> None:
    assert pairs_from_name("Helsinki-NLP/opus-mt-es-en") == ["es-en"]
    assert pairs_from_name("someone/opus-mt-tc-big-en-es-ctranslate2") == ["en-es"]
    assert pairs_from_name("facebook/nllb-200-distilled-600M") == []
    assert language_tokens("m2m", ["<s>", "__en__", "__es__", "▁a"]) == {"en": "__en__", "es": "__es__"}
    nllb = language_tokens("nllb", ["eng_Latn", "spa_Latn", "cat_Latn", "ukr_Cyrl", "zho_Hans"])
    assert nllb == {"en": "eng_Latn", "es": "spa_Latn", "ca": "cat_Latn", "uk": "ukr_Cyrl", "zh": "zho_Hans"}
