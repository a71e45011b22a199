from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from babelwire.translate.engine import Engine, TranslationError
from babelwire.translate.engines.apertium import ApertiumEngine, installed_modes

pytestmark = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apt-get install apertium apertium-eng-spa"
)


def test_is_an_engine_and_knows_installed_pairs() -> None:
    engine = ApertiumEngine()
    assert isinstance(engine, Engine)
    assert "spa-eng" in installed_modes()
    assert engine.supports("es", "en") and engine.supports("en", "ca")
    assert not engine.supports("es", "zz")


def test_translates_in_order_and_keeps_markup() -> None:
    segments = [
        'El alcalde visitó <a href="https://a.example/puerto">el puerto</a> el <em>martes</em>.',
        "«No vamos a permitirlo», afirmó la ministra.",
        "",
        "La ciudad tiene 175.000 habitantes.",
    ]
    out = ApertiumEngine().translate(segments, "es", "en")
    assert len(out) == 4
    assert '<a href="https://a.example/puerto">' in out[0] and "port" in out[0] and "<em>" in out[0]
    assert "Tuesday" in out[0]
    assert "minister" in out[1]
    assert out[2] == ""
    assert "175.000" in out[3] and "inhabitants" in out[3]


def test_same_input_same_output() -> None:
    engine = ApertiumEngine()
    text = ["El Gobierno aprobó ayer el presupuesto."]
    assert engine.translate(text, "es", "en") == engine.translate(text, "es", "en")


def test_unknown_word_markers_only_when_asked() -> None:
    text = ["El zorblax llegó."]
    assert "*" not in ApertiumEngine().translate(text, "es", "en")[0]
    assert "*zorblax" in ApertiumEngine(mark_unknown=True).translate(text, "es", "en")[0]


def test_version_names_the_debian_package() -> None:
    assert ApertiumEngine().model_version("es", "en").startswith("apertium-eng-spa ")


def test_unsupported_pair_says_what_to_install() -> None:
    with pytest.raises(TranslationError) as caught:
        ApertiumEngine().translate(["hola"], "es", "ja")
    assert caught.value.reason == "unsupported_pair"


def _fake_apertium(tmp_path: Path, body: str) -> str:
    """A stand-in binary that lists real modes but misbehaves when translating, like a broken pair."""
    script = tmp_path / "apertium"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then exec apertium -l; fi\ncat >/dev/null\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_empty_output_for_non_empty_input_is_an_error(tmp_path: Path) -> None:
    # Debian 12's rus-ukr pair crashes in the tagger yet exits 0 with no output.
    engine = ApertiumEngine(binary=_fake_apertium(tmp_path, "exit 0"))
    with pytest.raises(TranslationError) as caught:
        engine.translate(["Hola."], "es", "en")
    assert caught.value.reason == "empty_output"


def test_non_zero_exit_is_an_error_with_the_engine_message(tmp_path: Path) -> None:
    engine = ApertiumEngine(binary=_fake_apertium(tmp_path, "echo 'Error: mode broken' >&2; exit 1"))
    with pytest.raises(TranslationError) as caught:
        engine.translate(["Hola."], "es", "en")
    assert caught.value.reason == "engine_failed" and "mode broken" in caught.value.message


NEWS = [
    "El proceso de selección se abrirá el 23 de marzo de 2026 y durará hasta el 10 de abril.",
    "<em>La Generalitat</em> aprobó el plan el 17 de septiembre de 1939 a las 10.30 horas.",
]
needs_transfuse = pytest.mark.skipif(
    shutil.which("tf-extract") is None, reason="apt-get install transfuse (scripts/system-deps.sh test)"
)


def _path_without_transfuse(tmp_path: Path) -> str:
    """A PATH holding only `apertium` and what it runs, not Transfuse's tf-extract."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        for entry in Path(directory).glob("*") if Path(directory).is_dir() else []:
            target = bin_dir / entry.name
            if entry.name.startswith("tf-") or target.exists():
                continue
            target.symlink_to(entry)
    return str(bin_dir)


@needs_transfuse
def test_default_deformatter_does_not_depend_on_transfuse_being_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_transfuse = ApertiumEngine().translate(NEWS, "es", "ca")
    monkeypatch.setenv("PATH", _path_without_transfuse(tmp_path))
    assert shutil.which("tf-extract") is None
    without_transfuse = ApertiumEngine().translate(NEWS, "es", "ca")
    assert with_transfuse == without_transfuse


@needs_transfuse
def test_deformatter_is_pinned_in_the_environment_apertium_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    # Transfuse puts a capital after an inline tag where Apertium's own deformatter does not:
    # the two modes give different output for the same input, so the mode really is chosen.
    text = ['Siga a <var data-bw="0"></var> con <var data-bw="1"></var> y lea el informe.']
    monkeypatch.setenv("APERTIUM_TRANSFUSE", "yes")  # an operator's shell must not change the default
    own = ApertiumEngine().translate(text, "es", "en")
    monkeypatch.setenv("APERTIUM_TRANSFUSE", "no")
    assert ApertiumEngine().translate(text, "es", "en") == own
    assert ApertiumEngine(deformatter="transfuse").translate(text, "es", "en") != own


def test_transfuse_mode_without_transfuse_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", _path_without_transfuse(tmp_path))
    with pytest.raises(TranslationError) as caught:
        ApertiumEngine(deformatter="transfuse").translate(["Hola."], "es", "en")
    assert caught.value.reason == "not_installed" and "apt-get install transfuse" in caught.value.message


def test_an_unknown_deformatter_is_refused() -> None:
    with pytest.raises(TypeError):
        ApertiumEngine(deformatter="tidy")  # type: ignore[arg-type]


def test_model_version_says_which_deformatter() -> None:
    assert "transfuse" not in ApertiumEngine().model_version("es", "en")
    assert ApertiumEngine(deformatter="transfuse").model_version("es", "en").endswith("+transfuse")
