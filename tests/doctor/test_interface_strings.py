"""The doctor's line on interface strings: OK for en/es/ca, a warning (exit status kept) otherwise."""

from __future__ import annotations

from pathlib import Path

from babelwire.doctor import run_doctor
from babelwire.doctor.run import check_interface_strings
from babelwire.web.i18n import LOCALES
from tests.doctor.helpers import doctor_settings, line


def test_languages_with_catalogs_pass() -> None:
    result = check_interface_strings(["en", "es", "ca"])
    assert result.ok and not result.warning and result.fix is None


def test_a_language_without_a_catalog_is_a_warning_with_the_fix() -> None:
    result = check_interface_strings(["en", "de"])
    assert result.ok and result.warning
    assert "de" in result.detail and "en" not in result.detail.split(":")[0].split()
    assert result.fix == f"copy {LOCALES / 'en.json'} to {LOCALES}/<code>.json and translate the values"


def test_the_doctor_reports_it(tmp_path: Path) -> None:
    results = run_doctor(doctor_settings(tmp_path, target_languages=["es", "de"]), demo=True)
    assert line(results, "interface strings").warning
