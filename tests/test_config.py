from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.config import Settings, load_settings


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.target_languages == ["en"]
    assert settings.default_engine == "apertium"
    assert settings.fetch.max_bytes == 15 * 1024 * 1024
    assert settings.resolved_database_url.startswith(
        "sqlite:///"
    ) and settings.resolved_database_url.endswith("data/babelwire.db")


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "babelwire.toml"
    config.write_text(
        'site_title = "Wire"\ntarget_languages = ["en", "ca"]\npoll_interval = 600\n'
        '[engines]\n"es-en" = "apertium"\n"*" = "other"\n[fetch]\nread_timeout = 5\n'
    )
    monkeypatch.setenv("BABELWIRE_CONFIG", str(config))
    settings = Settings()
    assert (settings.site_title, settings.target_languages, settings.poll_interval) == (
        "Wire",
        ["en", "ca"],
        600,
    )
    assert settings.fetch.read_timeout == 5
    assert settings.engine_for("es", "en") == "apertium" and settings.engine_for("fr", "de") == "other"

    monkeypatch.setenv("BABELWIRE_TARGET_LANGUAGES", "en, fr")
    monkeypatch.setenv("BABELWIRE_FETCH__READ_TIMEOUT", "7")
    monkeypatch.setenv("BABELWIRE_DATABASE_URL", "postgresql://db.example/wire")
    settings = Settings()
    assert settings.target_languages == ["en", "fr"]
    assert settings.fetch.read_timeout == 7
    assert settings.site_title == "Wire"
    assert settings.resolved_database_url == "postgresql://db.example/wire"


def test_bad_value_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_POLL_INTERVAL", "often")
    with pytest.raises(ValueError, match="poll_interval"):
        Settings()


def test_the_example_configuration_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    example = Path(__file__).resolve().parents[1] / "babelwire.toml.example"
    monkeypatch.setenv("BABELWIRE_CONFIG", str(example))
    settings = Settings()
    assert settings.engines_for("ca", "en") == ["apertium", "apertium-apy"]
    assert settings.engines_for("fr", "de") == ["apertium"]
    assert settings.engine_options["apertium-apy"]["url"].startswith("http://127.0.0.1")
    assert {entry.term for entry in settings.glossary} == {"El Diario del Puerto", "Xunta"}
