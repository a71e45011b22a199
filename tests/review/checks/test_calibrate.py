"""babelwire.review.calibrate: length-ratio bands fitted on aligned translations."""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict
from pathlib import Path

import pytest

from babelwire.review import calibrate
from babelwire.review.calibrate import BANDS_FILE, Band, fit_band, percentile, write_bands
from tests.review.checks.helpers import FLORES, flores


def synthetic(n: int = 400, expansion: float = 1.2, seed: int = 7) -> tuple[list[str], list[str]]:
    """Aligned "sentences" whose lengths follow the band model: noisier when short."""
    rng = random.Random(seed)
    sources, targets = [], []
    for _ in range(n):
        chars = rng.randint(20, 300)
        sigma = math.sqrt(0.004 + 1.5 / chars)
        sources.append("s" * chars)
        targets.append("t" * max(1, round(chars * expansion * math.exp(rng.gauss(0, sigma)))))
    return sources, targets


def test_fit_recovers_the_expansion_and_widens_for_short_text() -> None:
    band = fit_band(*synthetic())
    assert math.exp(band.mu) == pytest.approx(1.2, rel=0.03)
    assert band.var_per_char > 0
    assert band.z_low < -1.5 and band.z_high > 1.5
    short, long = band.bounds(25), band.bounds(250)
    assert short[0] < long[0] < 1.2 < long[1] < short[1]
    assert band.bounds(100, widen=1.3)[0] < band.bounds(100)[0]


def test_about_two_percent_fall_outside_the_fitted_band() -> None:
    sources, targets = synthetic(n=2000, seed=3)
    band = fit_band(sources[:1000], targets[:1000])
    outside = sum(
        not band.bounds(len(s))[0] <= len(t) / len(s) <= band.bounds(len(s))[1]
        for s, t in zip(sources[1000:], targets[1000:], strict=True)
    )
    assert outside / 1000 < 0.05


def test_fit_skips_empty_lines_and_refuses_too_little_data() -> None:
    sources, targets = synthetic(n=50)
    band = fit_band([*sources, "", "x"], [*targets, "y", ""])
    assert band.samples == 50
    with pytest.raises(ValueError):
        fit_band(["a", "b"], ["c", "d"])


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 25) == 2.5


def test_write_bands_for_every_ordered_pair_with_provenance(tmp_path: Path) -> None:
    data_dir = tmp_path / "corpus"
    data_dir.mkdir()
    sources, targets = synthetic(n=100)
    (data_dir / "demo.eng").write_text("\n".join(sources) + "\n", encoding="utf-8")
    (data_dir / "demo.spa").write_text("\n".join(targets) + "\n", encoding="utf-8")
    (data_dir / "README.md").write_text("Synthetic test corpus.\n", encoding="utf-8")
    out = tmp_path / "bands.json"
    write_bands(data_dir, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["pairs"]) == {"en-es", "es-en"}
    assert data["provenance"]["description"] == "Synthetic test corpus."
    assert Band(**data["pairs"]["en-es"]).mu == pytest.approx(-Band(**data["pairs"]["es-en"]).mu)
    assert data["generic"]["samples"] == 0
    assert data["expansion"]["es"] == pytest.approx(1.2, rel=0.03)


def test_command_line_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert calibrate.main([]) == 2
    assert calibrate.main([str(tmp_path / "missing")]) == 2
    assert "usage" in capsys.readouterr().out


def test_committed_bands_are_what_flores_calibration_gives() -> None:
    """length_bands.json is generated data: regenerating it must give the same numbers."""
    flores("en")  # skips when the shared data is absent
    committed = json.loads(BANDS_FILE.read_text(encoding="utf-8"))
    regenerated = calibrate.calibrate(FLORES)
    assert set(committed["pairs"]) == set(regenerated)
    for pair, band in regenerated.items():
        assert committed["pairs"][pair] == pytest.approx(asdict(band))
    assert "FLORES" in committed["provenance"]["description"]
