"""Length-ratio bands for the omission/addition check, calibrated on aligned human translations.

How long a correct translation is depends on the language pair (Spanish runs ~15 % longer
than English) and, for one sentence, on chance: a 20-character sentence can easily come back
40 % longer, a 300-character one rarely 15 %. So a band is modelled, not a fixed ratio:

    x = ln(len(target) / len(source))                       (characters)
    x ~ mu + sigma(L) * z,   sigma(L)^2 = a + b / L          (L = source length)

`mu` is the pair's median log ratio; `a` is the spread that does not shrink with length
(translators' freedom), `b / L` the part that does (short text is noisy). The variance model
is fitted on robust per-length-bin variances (MAD), so a few misaligned lines cannot inflate
it. `z_low`/`z_high` are the 1st/99th percentiles of the standardised residuals: the band
that 98 % of human translations fall in, at any length.

Run `python -m babelwire.review.calibrate ../shared/data/flores-dev` to regenerate
`length_bands.json` (the check reads it; pairs not calibrated get `generic_band`).
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from babelwire.extract.language import normalize_language

BANDS_FILE = Path(__file__).with_name("length_bands.json")
LOW_PERCENTILE = 1.0
HIGH_PERCENTILE = 99.0
LENGTH_BINS = 5
# Below this many characters a ratio says little; the check does not judge such sentences.
MIN_SOURCE_CHARS = 20
# Uncalibrated pairs get the widest calibrated spread, widened again: we know less about them.
GENERIC_WIDENING = 1.2
TYPICAL_CHARS = 120

# Characters of a typical translation per character of English news text (FLORES-style
# prose). Used only for pairs without calibration data, as mu = ln(f[target] / f[source]).
# en/es/ca are replaced by what calibration measures; the others are the usual expansion
# figures for running text (German and French run long, Russian/Ukrainian about even).
EXPANSION: dict[str, float] = {
    "en": 1.00, "es": 1.16, "ca": 1.14, "fr": 1.18, "de": 1.15, "it": 1.15, "pt": 1.10,
    "ru": 1.08, "uk": 1.05,
}  # fmt: skip


@dataclass(frozen=True)
class Band:
    """The model of one language pair's length ratio (see the module docstring)."""

    mu: float
    var_const: float  # a
    var_per_char: float  # b
    z_low: float
    z_high: float
    samples: int = 0  # 0 for a band derived, not measured

    def sigma(self, source_chars: int) -> float:
        return math.sqrt(self.var_const + self.var_per_char / max(source_chars, 1))

    def bounds(self, source_chars: int, widen: float = 1.0) -> tuple[float, float]:
        """(lowest, highest) acceptable target/source ratio for a source of this length.

        `widen` stretches the band around its centre, for a stricter-evidence threshold.
        """
        sigma = self.sigma(source_chars)
        return math.exp(self.mu + widen * self.z_low * sigma), math.exp(self.mu + widen * self.z_high * sigma)


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (like numpy's default), without numpy."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fit_band(sources: list[str], targets: list[str]) -> Band:
    """Fit the band of one pair from aligned sentences; lines empty on either side are skipped."""
    lengths: list[int] = []
    logs: list[float] = []
    for source, target in zip(sources, targets, strict=True):
        s, t = len(source.strip()), len(target.strip())
        if s and t:
            lengths.append(s)
            logs.append(math.log(t / s))
    if len(logs) < 2 * LENGTH_BINS:
        raise ValueError(f"too few aligned sentences to calibrate ({len(logs)})")
    mu = statistics.median(logs)
    a, b = _fit_variance(lengths, [x - mu for x in logs])
    band = Band(mu, a, b, 0.0, 0.0, len(logs))
    z = [(x - mu) / band.sigma(n) for x, n in zip(logs, lengths, strict=True)]
    return Band(mu, a, b, percentile(z, LOW_PERCENTILE), percentile(z, HIGH_PERCENTILE), len(logs))


def _fit_variance(lengths: list[int], residuals: list[float]) -> tuple[float, float]:
    """Least squares of var = a + b/L over length bins, each bin's variance from its MAD."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    size = len(order) // LENGTH_BINS
    xs, ys = [], []
    for k in range(LENGTH_BINS):
        chunk = order[k * size : (k + 1) * size if k < LENGTH_BINS - 1 else len(order)]
        res = [residuals[i] for i in chunk]
        mad = statistics.median(abs(r - statistics.median(res)) for r in res)
        xs.append(statistics.fmean(1.0 / lengths[i] for i in chunk))
        ys.append((1.4826 * mad) ** 2)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    b = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    b = max(b, 0.0)
    a = max(mean_y - b * mean_x, 0.1 * mean_y, 1e-4)
    return a, b


def calibrate(directory: Path) -> dict[str, Band]:
    """Bands for every ordered pair of the `<name>.<lang>` files in `directory` (aligned by line)."""
    corpora: dict[str, list[str]] = {}
    for path in sorted(directory.iterdir()):
        lang = normalize_language(path.suffix.lstrip("."))
        if path.is_file() and lang and path.suffix != ".md":
            corpora[lang] = path.read_text(encoding="utf-8").splitlines()
    return {
        f"{src}-{tgt}": fit_band(corpora[src], corpora[tgt])
        for src in corpora
        for tgt in corpora
        if src != tgt and len(corpora[src]) == len(corpora[tgt])
    }


def generic_spread(bands: dict[str, Band]) -> Band:
    """The spread (mu = 0) given to uncalibrated pairs: the calibrated pair that spreads most
    at a typical news-sentence length, its sigma widened by GENERIC_WIDENING."""
    if not bands:
        return Band(0.0, 0.006, 2.8, -2.8, 2.6)
    widest = max(bands.values(), key=lambda band: band.sigma(TYPICAL_CHARS))
    widen = GENERIC_WIDENING**2
    return Band(
        0.0,
        widest.var_const * widen,
        widest.var_per_char * widen,
        min(b.z_low for b in bands.values()),
        max(b.z_high for b in bands.values()),
    )


def expansion_factors(bands: dict[str, Band]) -> dict[str, float]:
    """EXPANSION, with every language calibrated against English replaced by its measured factor."""
    factors = dict(EXPANSION)
    for pair, band in bands.items():
        src, tgt = pair.split("-")
        if src == "en":
            factors[tgt] = round(math.exp(band.mu), 4)
    return factors


def write_bands(directory: Path, out: Path = BANDS_FILE) -> dict[str, object]:
    """Calibrate on `directory` and write the JSON the length check reads (with provenance)."""
    bands = calibrate(directory)
    readme = directory / "README.md"
    data: dict[str, object] = {
        "provenance": {
            "data": directory.name,
            "description": readme.read_text(encoding="utf-8").strip() if readme.is_file() else "",
            "generated": datetime.now(UTC).strftime("%Y-%m-%d"),
            "generator": "python -m babelwire.review.calibrate",
            "model": "ln(len_t/len_s) = mu + z*sqrt(a + b/L); z in [z_low, z_high] = 1st/99th pct",
        },
        "pairs": {pair: asdict(band) for pair, band in sorted(bands.items())},
        "generic": asdict(generic_spread(bands)),
        "expansion": expansion_factors(bands),
        "min_source_chars": MIN_SOURCE_CHARS,
    }
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m babelwire.review.calibrate DIR  (DIR holds aligned <name>.<lang> files)")
        return 2
    data = write_bands(Path(args[0]))
    pairs = data["pairs"]
    assert isinstance(pairs, dict)
    for pair, band in pairs.items():
        low, high = Band(**band).bounds(120)
        print(f"{pair}: median ratio {math.exp(band['mu']):.3f}, band at 120 chars {low:.2f}-{high:.2f}")
    print(f"wrote {BANDS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
