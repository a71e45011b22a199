"""Interface strings: the fallback for a language without a catalog, and the warning that names it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.store.db import Store
from babelwire.web import i18n
from babelwire.web.app import create_app


def test_every_language_the_demo_publishes_has_its_own_strings() -> None:
    assert i18n.languages_without_catalog(["en", "es", "ca"]) == []
    assert i18n.gettext("ca", "Search") == "Cerca" and i18n.gettext("es", "Search") == "Buscar"


def test_a_regional_code_uses_its_language_then_english() -> None:
    assert i18n.fallback_chain("es-MX") == ("es-MX", "es", "en")
    assert i18n.gettext("es-MX", "Search") == "Buscar"
    assert i18n.gettext("de", "Search") == "Search"  # no German catalog: English, never a key
    assert i18n.languages_without_catalog(["es-MX", "en-GB", "de", "pt-BR", "de"]) == ["de", "pt-BR"]


def test_the_warning_names_the_languages_and_how_to_add_them() -> None:
    assert i18n.missing_catalog_warning(["en", "ca"]) is None
    warning = i18n.missing_catalog_warning(["en", "de", "fr"])
    assert warning is not None and "\n" not in warning
    assert warning.startswith("no interface strings for de, fr:")
    assert f"copying {i18n.LOCALES / 'en.json'} to {i18n.LOCALES}/<code>.json" in warning


def test_the_app_logs_the_warning_once_at_creation(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(data_dir=tmp_path, target_languages=["en", "de"])
    store = Store(settings.resolved_database_url)
    try:
        with caplog.at_level(logging.WARNING, logger="babelwire.web"):
            create_app(settings, store)
            create_app(settings.model_copy(update={"target_languages": ["en", "ca"]}), store)
    finally:
        store.close()
    warnings = [r.getMessage() for r in caplog.records if "interface strings" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith("no interface strings for de:")
