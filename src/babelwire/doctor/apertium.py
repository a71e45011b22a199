"""Apertium on this machine: the command, its Debian version, the deformatter, the pair packages.

Debian ships a pair as one package for both directions, named in either order
(`apertium-eng-spa` serves spa-eng and eng-spa), so the fix names the package apt knows, or both.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from babelwire.doctor.result import CheckResult, failed, passed
from babelwire.translate.engines.apertium import (
    ISO3,
    ApertiumEngine,
    debian_version,
    mode_packages,
    transfuse_installed,
)


@functools.cache
def apt_apertium_packages() -> frozenset[str] | None:
    """The apertium-* packages apt knows (one call, remembered); None when apt or its lists are missing."""
    try:
        out = subprocess.run(
            ["apt-cache", "pkgnames", "apertium-"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = frozenset(out.stdout.split())
    return names if out.returncode == 0 and names else None


def pair_packages(source_lang: str, target_lang: str) -> list[str] | None:
    """Debian package names that could hold the pair; None when Apertium has no code for a language."""
    src, tgt = ISO3.get(source_lang), ISO3.get(target_lang)
    if not src or not tgt:
        return None
    return list(mode_packages(f"{src}-{tgt}"))


def pair_fix(source_lang: str, target_lang: str, *, on_server: bool = False) -> str:
    """The one-line fix for a missing Apertium pair, from what apt knows on this machine."""
    return pair_fix_from(source_lang, target_lang, apt_apertium_packages(), on_server=on_server)


def pair_fix_from(
    source_lang: str, target_lang: str, known: frozenset[str] | None, *, on_server: bool = False
) -> str:
    """The fix given the packages apt knows (None: apt cannot say, so both possible names are given)."""
    another = f'name another engine for it in babelwire.toml, [engines] "{source_lang}-{target_lang}" = "..."'
    packages = pair_packages(source_lang, target_lang)
    if packages is None:
        unknown = source_lang if source_lang not in ISO3 else target_lang
        return f"Apertium has no pair for {unknown!r}: {another}"
    if known is None:
        install = f"apt-get install {packages[0]} (or {packages[1]}; `apt-get update` first)"
    elif available := [package for package in packages if package in known]:
        install = f"apt-get install {available[0]}"
    else:
        return f"Debian has no Apertium {packages[0][9:]} pair: {another}"
    return f"{install} on the APY server, then restart APY" if on_server else install


def check_command(binary: str = "apertium") -> CheckResult:
    """The `apertium` command is on the PATH, with the Debian package's version."""
    path = shutil.which(binary)
    if path is None:
        return failed("apertium", f"the {binary} command is missing", "apt-get install apertium")
    version = debian_version("apertium")
    return passed("apertium", f"{path} ({'apertium ' + version if version else 'not from a Debian package'})")


def check_deformatter(name: str, engine: ApertiumEngine) -> CheckResult:
    """Which HTML deformatter the engine pins, and whether what it needs is installed."""
    label = f"{name} deformatter"
    if engine.deformatter == "transfuse":
        if not transfuse_installed():
            return failed(
                label,
                'deformatter = "transfuse" but tf-extract is missing',
                "apt-get install transfuse",
            )
        version = debian_version("transfuse")
        return passed(label, f"transfuse ({'transfuse ' + version if version else 'tf-extract on PATH'})")
    return passed(label, "apertium's own (APERTIUM_TRANSFUSE=no)")
