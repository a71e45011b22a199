"""HTTP engines' servers (real local servers speaking each API) and CTranslate2 models on disk."""

from __future__ import annotations

from pathlib import Path

from babelwire.config import Settings
from babelwire.doctor import all_ok, run_doctor
from babelwire.doctor.engines import check_http_engine
from babelwire.translate.engines.deepl import DeepLEngine
from babelwire.translate.engines.openai import OpenAIEngine
from tests.doctor.helpers import closed_port, doctor_settings, line
from tests.translate.fake_mt_servers import (
    FakeApertiumApy,
    FakeDeepL,
    FakeLibreTranslate,
    FakeOpenAI,
    Fault,
    Reply,
    Request,
    Route,
    serving,
)


class DeepLWithUsage(FakeDeepL):
    """DeepL's usage endpoint too: what the doctor asks, since it proves the key."""

    def routes(self) -> dict[tuple[str, str], Route]:
        return {**super().routes(), ("GET", "/v2/usage"): self._usage}

    def _usage(self, request: Request, fault: Fault | None) -> Reply:
        self._auth(request)
        return Reply(200, {"character_count": 1200, "character_limit": 500000})


class OpenAIWithModels(FakeOpenAI):
    def routes(self) -> dict[tuple[str, str], Route]:
        return {**super().routes(), ("GET", "/v1/models"): self._models}

    def _models(self, request: Request, fault: Fault | None) -> Reply:
        return Reply(200, {"object": "list", "data": [{"id": self.model, "object": "model"}]})


def apy_settings(tmp_path: Path, url: str) -> Settings:
    return doctor_settings(
        tmp_path,
        target_languages=["en"],
        default_engine="apertium-apy",
        engine_options={"apertium-apy": {"url": url}},
    )


def test_apy_on_a_closed_port_is_unreachable_with_the_fix(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    results = run_doctor(apy_settings(tmp_path, url), demo=True)
    server = line(results, "apertium-apy server")
    assert not server.ok and url in server.detail
    assert server.fix is not None and "start APY" in server.fix and url in server.fix
    pair = line(results, "es->en")
    assert not pair.ok and pair.fix is not None and "apertium-apy" in pair.fix
    assert not all_ok(results)


def test_a_running_apy_serves_its_pairs(tmp_path: Path) -> None:
    with serving(FakeApertiumApy(pairs=("spa-eng", "eng-spa"))) as apy:
        results = run_doctor(apy_settings(tmp_path, apy.url), demo=True)
        assert apy.calls("GET", "/listPairs")
    server = line(results, "apertium-apy server")
    assert server.ok and "2 pairs" in server.detail
    assert line(results, "es->en").ok and "apertium-apy es->en" in line(results, "es->en").detail


def test_libretranslate_answers_its_languages(tmp_path: Path) -> None:
    with serving(FakeLibreTranslate()) as fake:
        settings = doctor_settings(
            tmp_path,
            target_languages=["en", "ca"],
            default_engine="libretranslate",
            engine_options={"libretranslate": {"url": fake.url}},
        )
        results = run_doctor(settings, demo=True)
    assert line(results, "libretranslate server").ok
    assert line(results, "es->ca").ok and line(results, "es->en").ok
    assert all(result.name != "apertium" for result in results)  # no Apertium engine configured


def test_deepl_usage_with_the_key(tmp_path: Path) -> None:
    with serving(DeepLWithUsage(api_key="right:fx")) as fake:
        good = check_http_engine("deepl", "deepl", DeepLEngine(api_key="right:fx", url=fake.url, attempts=1))
        bad = check_http_engine("deepl", "deepl", DeepLEngine(api_key="wrong:fx", url=fake.url, attempts=1))
        assert fake.calls("GET", "/v2/usage")
    assert good.ok and "1200" in good.detail
    assert not bad.ok and bad.fix is not None and "api_key" in bad.fix


def test_openai_compatible_server_must_serve_the_model(tmp_path: Path) -> None:
    with serving(OpenAIWithModels(model="served-model")) as fake:
        url = f"{fake.url}/v1"
        served = check_http_engine("llm", "openai", OpenAIEngine(model="served-model", url=url, attempts=1))
        other = check_http_engine("llm", "openai", OpenAIEngine(model="other", url=url, attempts=1))
    assert served.ok
    assert not other.ok and "served-model" in other.detail and other.fix is not None


def test_an_engine_that_cannot_be_built_names_its_options(tmp_path: Path) -> None:
    settings = doctor_settings(tmp_path, target_languages=["en"], default_engine="deepl")  # no api_key
    results = run_doctor(settings, demo=True)
    engine = line(results, "deepl engine")
    assert not engine.ok and engine.fix is not None and "[engine_options.deepl]" in engine.fix
    assert not line(results, "es->en").ok


def test_ctranslate2_without_a_model_on_disk_fails_and_falls_back(tmp_path: Path) -> None:
    settings = doctor_settings(
        tmp_path, target_languages=["en"], engines={"es-en": ["ctranslate2", "apertium-apy"]},
        engine_options={"apertium-apy": {"url": f"http://127.0.0.1:{closed_port()}"}},
    )  # fmt: skip
    results = run_doctor(settings, demo=True)
    models = line(results, "ctranslate2 models")
    assert not models.ok and "es-en" in models.detail
    assert models.fix is not None and "babelwire models pull" in models.fix
