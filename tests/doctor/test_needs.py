"""What a configuration needs, from settings alone."""

from __future__ import annotations

from pathlib import Path

from babelwire.doctor.needs import candidate_engines, engine_kind, needed_pairs, with_short_timeouts
from tests.doctor.helpers import doctor_settings


def test_pairs_are_sources_times_targets_then_engine_pairs_without_identity() -> None:
    pairs = needed_pairs(["en", "ca", "es"], ["es", "fr"], ["*", "ca-en", "es-en", "en-en"])
    assert pairs == [("es", "en"), ("es", "ca"), ("fr", "en"), ("fr", "ca"), ("fr", "es"), ("ca", "en")]


def test_an_option_table_may_name_another_kind(tmp_path: Path) -> None:
    settings = doctor_settings(tmp_path, engine_options={"fast": {"kind": "deepl", "api_key": "k"}})
    assert engine_kind(settings, "fast") == "deepl"
    assert engine_kind(settings, "apertium") == "apertium"


def test_candidate_engines_include_the_pivot_legs(tmp_path: Path) -> None:
    settings = doctor_settings(
        tmp_path, engines={"es-fr": "deepl", "es-en": "apertium", "en-fr": "libretranslate"}
    )
    assert candidate_engines(settings, [("es", "fr")]) == ["deepl", "apertium", "libretranslate"]


def test_http_engines_get_one_short_attempt_and_others_are_untouched(tmp_path: Path) -> None:
    settings = doctor_settings(
        tmp_path,
        engines={"es-en": ["apy", "apertium"]},
        engine_options={"apy": {"kind": "apertium-apy", "url": "http://127.0.0.1:1"}},
    )
    short = with_short_timeouts(settings, timeout=3.0)
    assert short.engine_options["apy"]["attempts"] == 1
    assert short.engine_options["apy"]["timeout"] == 3.0
    assert short.engine_options["apy"]["url"] == "http://127.0.0.1:1"
    assert "apertium" not in short.engine_options
    assert "attempts" not in settings.engine_options["apy"]  # the caller's settings stay as they were
