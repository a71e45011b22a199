"""The CTranslate2 engine on tiny real models built in the session (see ct2_models.py)."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.ctranslate2 import CTranslate2Engine, MicroBatcher
from babelwire.translate.registry import get_engine
from tests.translate.ct2_models import build_marian_model, build_nllb_model, corpus_sentences

ARTICLES = [
    ["El alcalde visitó el puerto el martes.", "La obra costará 3,5 millones de euros."],
    ["Llueve en la costa.", "", "Se esperan vientos fuertes por la noche.", "El aviso dura hasta el jueves."],
    ["El festival presenta 40 películas."],
    ["Los autobuses nocturnos circularán los fines de semana.", "Habrá tres líneas nuevas."],
    ["La ministra dijo que no lo permitirá.", "«No vamos a ceder», afirmó."],
    ["El puerto bate su récord de tráfico de mercancías."],
]


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Marian es-en, NLLB multilingual and a model that always ends at once: built once."""
    root = tmp_path_factory.mktemp("ct2-models")
    return {
        "marian": build_marian_model(root / "tiny-es-en", pairs=["es-en"]),
        "nllb": build_nllb_model(root / "tiny-nllb"),
        "silent": build_marian_model(root / "silent-es-en", silent=True, seed=1),
    }


def engine_for(models: dict[str, Path], **options: object) -> CTranslate2Engine:
    defaults: dict[str, object] = {
        "models": {"es-en": str(models["marian"])},
        "beam_size": 1,  # greedy: prefix-stable, so per-sentence length limits make batches exact
        "max_length_ratio": 1.0,  # the tiny models never stop early: keep outputs short
        "max_length_margin": 4,
    }
    return CTranslate2Engine(**{**defaults, **options})  # type: ignore[arg-type]


def test_is_an_engine_that_loads_lazily(models: dict[str, Path]) -> None:
    engine = engine_for(models)
    assert isinstance(engine, Engine)
    assert engine.markup == "text"
    assert engine.supports("es", "en") and not engine.supports("en", "es")
    assert engine.translate_batch_calls == 0  # nothing loaded yet
    assert engine.translate(["Hola."], "es", "en")[0]
    assert engine.translate_batch_calls == 1


def test_batch_gives_one_output_per_input_deterministically(models: dict[str, Path]) -> None:
    segments = [*corpus_sentences()[500:520], "", "  ", "Hola."]
    engine = engine_for(models)
    out = engine.translate(segments, "es", "en")
    assert len(out) == len(segments)
    assert out[20] == "" and out[21] == ""
    assert all(out[i] for i in (*range(20), 22))
    assert len(set(out[:20])) == 20  # input-dependent gibberish: routing mistakes would show
    # Same output whatever the batch company: alone, reversed, and from a fresh engine.
    assert [engine.translate([s], "es", "en")[0] for s in segments[:8]] == out[:8]
    assert engine.translate(segments[::-1], "es", "en")[::-1] == out
    assert engine_for(models).translate(segments, "es", "en") == out


def test_concurrent_articles_share_batches_and_match_sequential(models: dict[str, Path]) -> None:
    expected = [engine_for(models).translate(article, "es", "en") for article in ARTICLES]
    engine = engine_for(models, batch_wait_ms=200, max_batch_size=64)
    engine.translate(["Hola."], "es", "en")  # load before the race
    before = engine.translate_batch_calls
    barrier = threading.Barrier(len(ARTICLES))
    results: dict[int, list[str]] = {}

    def work(index: int) -> None:
        barrier.wait()
        results[index] = engine.translate(ARTICLES[index], "es", "en")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(ARTICLES))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [results[i] for i in range(len(ARTICLES))] == expected
    merged_calls = engine.translate_batch_calls - before
    assert 1 <= merged_calls < len(ARTICLES)


def test_micro_batcher_caps_batches_and_hands_errors_to_callers() -> None:
    batches: list[list[int]] = []

    def run(jobs: list[int]) -> list[int]:
        batches.append(jobs)
        if -1 in jobs:
            raise TranslationError("test", "engine_failed", "boom")
        return [job * 10 for job in jobs]

    batcher: MicroBatcher[int, int] = MicroBatcher(run, max_items=4, wait_s=0.1)
    requests = [[1, 2], [3], [4, 5], [6], [7, 8, 9, 10, 11]]
    results: dict[int, list[int]] = {}
    barrier = threading.Barrier(len(requests))

    def work(index: int) -> None:
        barrier.wait()
        results[index] = batcher.submit(requests[index])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert [results[i] for i in range(len(requests))] == [[j * 10 for j in r] for r in requests]
    assert sorted(job for batch in batches for job in batch) == list(range(1, 12))
    assert len(batches) < len(requests)  # merged
    assert all(len(batch) <= 4 or batch == requests[-1] for batch in batches)  # oversized goes alone
    with pytest.raises(TranslationError, match="boom"):
        batcher.submit([-1])
    assert batcher.submit([]) == []


def test_nllb_uses_language_tokens(models: dict[str, Path]) -> None:
    engine = CTranslate2Engine(models={"*": str(models["nllb"])}, beam_size=1)
    assert engine.supports("es", "fr") and engine.supports("ca", "uk") and not engine.supports("es", "xx")
    text = "El alcalde visitó el puerto."
    to_en, to_fr = engine.translate([text], "es", "en")[0], engine.translate([text], "es", "fr")[0]
    assert to_en != to_fr and "eng_Latn" not in to_en and "fra_Latn" not in to_fr
    # Exactly the NLLB protocol: source language token first, </s> last, target language as prefix.
    sp = sentencepiece.SentencePieceProcessor(model_file=str(models["nllb"] / "sentencepiece.bpe.model"))
    pieces = sp.encode(text, out_type=str)
    translator = ctranslate2.Translator(str(models["nllb"]), device="cpu")
    limit = 2 * len(pieces) + 10
    result = translator.translate_batch(
        [["spa_Latn", *pieces, "</s>"]],
        target_prefix=[["eng_Latn"]],
        beam_size=1,
        max_decoding_length=limit + 1,
    )
    assert sp.decode(result[0].hypotheses[0][1:]).strip() == to_en
    assert engine.model_version("es", "en") == engine.model_version("ca", "fr")


def test_unsupported_pair_says_how_to_get_a_model(models: dict[str, Path], tmp_path: Path) -> None:
    engine = CTranslate2Engine(models_dir=str(tmp_path), models={"es-ca": "missing-model"})
    assert not engine.supports("es", "en") and not engine.supports("es", "ca")
    for pair in (("es", "en"), ("es", "ca")):
        with pytest.raises(TranslationError) as info:
            engine.translate(["Hola."], *pair)
        assert info.value.reason == "unsupported_pair"
        assert "babelwire models pull" in info.value.message
    assert engine.model_version("es", "en") == "ctranslate2"


def test_broken_model_directory_is_bad_model(models: dict[str, Path], tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt"
    shutil.copytree(models["marian"], corrupt)
    (corrupt / "model.bin").write_bytes(b"not a model")
    no_weights = tmp_path / "no-weights"
    shutil.copytree(models["marian"], no_weights)
    (no_weights / "model.bin").unlink()
    for path in (corrupt, no_weights):
        engine = CTranslate2Engine(models={"es-en": str(path)})
        assert engine.supports("es", "en")  # configured: failures must surface, not hide
        with pytest.raises(TranslationError) as info:
            engine.translate(["Hola."], "es", "en")
        assert info.value.reason == "bad_model", info.value.message


def test_empty_output_for_non_empty_input_is_an_error(models: dict[str, Path]) -> None:
    engine = CTranslate2Engine(models={"es-en": str(models["silent"])}, beam_size=1)
    assert engine.translate(["", " "], "es", "en") == ["", ""]
    with pytest.raises(TranslationError) as info:
        engine.translate(["Hola."], "es", "en")
    assert info.value.reason == "empty_output"


def test_device_auto_is_cpu_without_a_gpu(models: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    engine = engine_for(models, compute_type="int8")
    if ctranslate2.get_cuda_device_count() == 0:
        assert engine.resolved_device() == "cpu"
        assert engine.translate(["Hola."], "es", "en")[0]
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    assert engine.resolved_device() == "cuda"
    assert engine_for(models, device="cpu").resolved_device() == "cpu"


def test_not_installed(models: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    with pytest.raises(TranslationError) as info:
        engine_for(models).translate(["Hola."], "es", "en")
    assert info.value.reason == "not_installed"
    assert "pip install" in info.value.message


def test_model_version_is_stable_and_names_the_model(models: dict[str, Path], tmp_path: Path) -> None:
    version = engine_for(models).model_version("es", "en")
    assert version.startswith("tiny-es-en@") and version == engine_for(models).model_version("es", "en")
    pulled = tmp_path / "pulled"
    shutil.copytree(models["marian"], pulled)
    meta = json.loads((pulled / "babelwire.json").read_text())
    (pulled / "babelwire.json").write_text(json.dumps({**meta, "repo": "o/m", "revision": "a" * 40}))
    assert CTranslate2Engine(models={"es-en": str(pulled)}).model_version("es", "en") == "o/m@aaaaaaaaaaaa"


def test_finds_installed_models_and_is_registered(models: dict[str, Path], tmp_path: Path) -> None:
    shutil.copytree(models["marian"], tmp_path / "tiny-es-en")
    shutil.copytree(models["nllb"], tmp_path / "tiny-nllb")
    engine = get_engine("ctranslate2", {"models_dir": str(tmp_path), "beam_size": 1})
    assert isinstance(engine, CTranslate2Engine)
    assert engine.supports("es", "en") and engine.supports("en", "de")  # Marian pair; NLLB for the rest
    assert engine.model_version("es", "en").startswith("tiny-es-en@")
    assert engine.model_version("en", "de").startswith("tiny-nllb@")
    by_name = CTranslate2Engine(models_dir=str(tmp_path), models={"es-en": "tiny-es-en"}, beam_size=1)
    assert by_name.translate(["Hola."], "es", "en") == engine.translate(["Hola."], "es", "en")


def test_tiny_model_throughput(models: dict[str, Path]) -> None:
    """Not a benchmark: a floor that catches a pathological slowdown (and prints the rate)."""
    engine = engine_for(models, max_batch_size=32)
    sentences = corpus_sentences()[:64]
    engine.translate(sentences[:2], "es", "en")
    start = time.perf_counter()
    engine.translate(sentences, "es", "en")
    rate = len(sentences) / (time.perf_counter() - start)
    print(f"tiny model: {rate:.0f} sentences/s")
    assert rate > 5
