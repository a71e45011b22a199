"""The apertium command, its deformatter, and each pair: real Apertium, and fakes missing things."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from babelwire.doctor import all_ok, run_doctor
from babelwire.doctor.apertium import (
    check_command,
    check_deformatter,
    pair_fix,
    pair_fix_from,
)
from babelwire.translate.engines.apertium import ApertiumEngine, debian_version, installed_modes
from tests.doctor.helpers import doctor_settings, fake_apertium, line, needs_apertium


@needs_apertium
def test_the_real_command_is_reported_with_its_debian_version() -> None:
    result = check_command()
    expected = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "apertium"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert result.ok and result.fix is None
    assert expected in result.detail and shutil.which("apertium") in result.detail  # type: ignore[operator]


def test_a_missing_command_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = check_command()
    assert not result.ok and result.fix == "apt-get install apertium"


def test_a_package_that_is_not_installed_has_no_version() -> None:
    assert debian_version("babelwire-no-such-package") is None


def test_the_default_deformatter_is_apertiums_own() -> None:
    result = check_deformatter("apertium", ApertiumEngine())
    assert result.ok and "APERTIUM_TRANSFUSE=no" in result.detail


def test_transfuse_without_tf_extract_fails_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tf-extract anywhere
    result = check_deformatter("apertium", ApertiumEngine(deformatter="transfuse"))
    assert not result.ok and result.fix == "apt-get install transfuse"


@pytest.mark.skipif(shutil.which("tf-extract") is None, reason="apt-get install transfuse")
def test_transfuse_when_installed_is_ok() -> None:
    result = check_deformatter("apertium", ApertiumEngine(deformatter="transfuse"))
    assert result.ok and "transfuse" in result.detail


@needs_apertium
def test_installed_pairs_are_ok_with_route_and_package(tmp_path: Path) -> None:
    settings = doctor_settings(tmp_path, target_languages=["en", "ca"])
    results = run_doctor(settings, demo=True)
    for target, mode in (("en", "spa-eng"), ("ca", "spa-cat")):
        if mode not in installed_modes():
            pytest.skip(f"Apertium {mode} not installed")
        result = line(results, f"es->{target}")
        assert result.ok, result
        assert f"apertium es->{target}" in result.detail
        assert ApertiumEngine().model_version("es", target) in result.detail  # package and version
    assert line(results, "apertium").ok and line(results, "apertium deformatter").ok
    assert all_ok(results)


@needs_apertium
def test_a_pair_that_is_not_installed_fails_with_the_apt_fix(tmp_path: Path) -> None:
    if "spa-ita" in installed_modes():
        pytest.skip("this machine has apertium spa-ita")
    results = run_doctor(doctor_settings(tmp_path, target_languages=["en", "it"]), demo=True)
    result = line(results, "es->it")
    assert not result.ok and result.fix == pair_fix("es", "it")
    assert result.fix.startswith("apt-get install apertium-") and "ita" in result.fix
    assert line(results, "es->en").ok and not all_ok(results)


def test_the_fix_names_the_package_apt_knows_or_says_debian_has_none() -> None:
    known = frozenset({"apertium-spa-ita", "apertium-fra-cat"})
    assert pair_fix_from("es", "it", known) == "apt-get install apertium-spa-ita"
    assert pair_fix_from("ca", "fr", known) == "apt-get install apertium-fra-cat"  # either order
    no_pair = pair_fix_from("es", "fr", known)
    assert not no_pair.startswith("apt-get") and '[engines] "es-fr"' in no_pair
    unknown_lists = pair_fix_from("es", "it", None)
    assert "apertium-spa-ita" in unknown_lists and "apertium-ita-spa" in unknown_lists
    assert pair_fix_from("es", "it", known, on_server=True).endswith("restart APY")


def test_a_language_apertium_has_no_code_for_asks_for_another_engine(tmp_path: Path) -> None:
    binary = fake_apertium(tmp_path / "bin", ["spa-eng", "eng-spa"])
    settings = doctor_settings(
        tmp_path, target_languages=["de"], engine_options={"apertium": {"binary": binary}}
    )
    result = line(run_doctor(settings, demo=True), "es->de")
    assert not result.ok and result.fix is not None
    assert "'de'" in result.fix and '[engines] "es-de"' in result.fix


def test_a_fake_apertium_without_a_pair_fails_only_that_pair(tmp_path: Path) -> None:
    binary = fake_apertium(tmp_path / "bin", ["spa-eng", "eng-spa"])
    settings = doctor_settings(
        tmp_path,
        target_languages=["en", "ca"],
        pivot_language=None,
        engine_options={"apertium": {"binary": binary}},
    )
    results = run_doctor(settings, demo=True)
    assert line(results, "es->en").ok
    missing = line(results, "es->ca")
    assert not missing.ok and missing.fix is not None
    assert missing.fix == pair_fix("es", "ca")  # the package apt knows, or both names
    assert "apertium-spa-cat" in missing.fix or "apertium-cat-spa" in missing.fix
    assert not all_ok(results)


def test_a_pivot_route_counts(tmp_path: Path) -> None:
    binary = fake_apertium(tmp_path / "bin", ["spa-eng", "eng-cat"])
    settings = doctor_settings(
        tmp_path, target_languages=["ca"], engine_options={"apertium": {"binary": binary}}
    )
    result = line(run_doctor(settings, demo=True), "es->ca")
    assert result.ok, result
    assert "es->en then apertium en->ca" in result.detail
