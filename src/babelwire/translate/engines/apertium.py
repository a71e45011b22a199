"""Apertium, the rule-based engine from Debian packages: free, local, fast, no GPU.

Runs the `apertium` command in HTML mode so inline markup (links, emphasis) survives.
The HTML deformatter is pinned, never inherited from what happens to be installed:
`apertium -f html` switches to Transfuse's deformatter whenever the Debian package
`transfuse` is present, and the two treat inline tags differently (capitals after a tag,
where a tag lands after reordering). The default is Apertium's own deformatter
(`APERTIUM_TRANSFUSE=no`); `deformatter = "transfuse"` in `[engine_options.apertium]`
asks for Transfuse, and fails clearly when it is missing.
Segments are sent in one process call, separated by marker tags that Apertium passes
through untouched; if the markers do not come back intact, segments are translated one
by one so a batch never misaligns.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Literal

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.scheme import Scheme

# ISO 639-1 -> Apertium's ISO 639-3 codes, for the languages whose pairs Debian ships.
ISO3 = {
    "ca": "cat", "en": "eng", "es": "spa", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
    "eu": "eus", "oc": "oci", "ro": "ron", "ru": "rus", "uk": "ukr", "nb": "nob", "nn": "nno",
    "da": "dan", "sv": "swe", "is": "isl", "eo": "epo", "an": "arg", "ast": "ast",
}  # fmt: skip
Deformatter = Literal["apertium", "transfuse"]
DEFORMATTERS: tuple[Deformatter, ...] = ("apertium", "transfuse")
# Apertium carries digits, dates, URLs and e-mail addresses through by itself (a `<var>`
# placeholder is text to its transfer rules, which move the digit out of it); what it would
# translate (@handles, #hashtags, glossary terms) goes in as an unknown word. See scheme.py.
APERTIUM_PROTECTION = Scheme("word", frozenset({"number", "url", "email"}))
_SEPARATOR = '<hr data-bw-seg="{}">'
_SEPARATOR_RE = re.compile(r'\s*<hr data-bw-seg="(\d+)">\s*')


def translate_marked(segments: Sequence[str], send: Callable[[str], str]) -> list[str]:
    """Translate segments in one `send` call, separated by marker tags Apertium passes through.

    If the markers do not come back intact and in order, each segment is sent on its own, so
    a batch never misaligns. Shared by the command-line engine and the APY engine.
    """
    joined = "\n".join(_SEPARATOR.format(i) + segment for i, segment in enumerate(segments))
    parts = _SEPARATOR_RE.split(send(joined))
    # split() gives ["", "0", text0, "1", text1, ...] when the markers survived in order.
    if parts[0].strip() == "" and parts[1::2] == [str(i) for i in range(len(segments))]:
        return [text.strip() for text in parts[2::2]]
    return [send(segment).strip() for segment in segments]


@functools.cache
def installed_modes(binary: str = "apertium") -> frozenset[str]:
    """The translation modes (`spa-eng`, ...) installed on this machine."""
    try:
        listing = subprocess.run([binary, "-l"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in listing.stdout.splitlines() if line.strip())


def transfuse_installed() -> bool:
    """Transfuse's `tf-extract` is on the PATH (what `apertium` itself looks for)."""
    return shutil.which("tf-extract") is not None


def deformatter_environment(deformatter: Deformatter) -> dict[str, str]:
    """The environment that makes `apertium -f html` use exactly `deformatter`."""
    return {**os.environ, "APERTIUM_TRANSFUSE": "yes" if deformatter == "transfuse" else "no"}


def debian_version(package: str) -> str | None:
    """The installed version of a Debian package, or None (not installed, or no dpkg here)."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status} ${Version}", package],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    status, _, version = out.stdout.partition(" ok installed ")  # "install ok installed 3.8.3-1"
    if out.returncode != 0 or status != "install" or not version.strip():
        return None
    return version.strip()


def mode_packages(mode: str) -> tuple[str, str]:
    """The Debian packages that may hold a mode: one package serves both directions, named in
    either order (`apertium-eng-spa` has spa-eng and eng-spa)."""
    src, tgt = mode.split("-")[:2]
    return f"apertium-{src}-{tgt}", f"apertium-{tgt}-{src}"


@functools.cache
def package_version(mode: str) -> str:
    """Version of the Debian package providing the pair, e.g. "apertium-eng-spa 0.8.1-2"."""
    for package in mode_packages(mode):
        version = debian_version(package)
        if version:
            return f"{package} {version}"
    return mode


class ApertiumEngine:
    name = "apertium"
    markup: Markup = "html"
    protection = APERTIUM_PROTECTION

    def __init__(
        self,
        *,
        binary: str = "apertium",
        mark_unknown: bool = False,
        timeout: float = 120.0,
        deformatter: Deformatter = "apertium",
    ) -> None:
        if deformatter not in DEFORMATTERS:
            raise TypeError(f"deformatter must be one of {', '.join(DEFORMATTERS)}, not {deformatter!r}")
        self.binary = binary
        self.mark_unknown = mark_unknown
        self.timeout = timeout
        self.deformatter: Deformatter = deformatter
        self._environment = deformatter_environment(deformatter)

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """The pair's package and version; "+transfuse" when that deformatter is used (its output differs)."""
        mode = self.mode(source_lang, target_lang)
        version = package_version(mode) if mode else "apertium"
        return f"{version} +transfuse" if self.deformatter == "transfuse" else version

    def mode(self, source_lang: str, target_lang: str) -> str | None:
        src, tgt = ISO3.get(source_lang), ISO3.get(target_lang)
        if not src or not tgt:
            return None
        mode = f"{src}-{tgt}"
        return mode if mode in installed_modes(self.binary) else None

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return self.mode(source_lang, target_lang) is not None

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        mode = self.mode(source_lang, target_lang)
        if mode is None:
            raise TranslationError(
                self.name,
                "unsupported_pair",
                f"no Apertium pair {source_lang}->{target_lang} installed "
                f"(install the Debian package apertium-{ISO3.get(source_lang, source_lang)}-"
                f"{ISO3.get(target_lang, target_lang)} or its reverse)",
            )
        if not segments:
            return []
        translated = translate_marked(segments, lambda text: self._run(mode, text))
        for source, target in zip(segments, translated, strict=True):
            if source.strip() and not target:
                raise TranslationError(
                    self.name, "empty_output", f"{mode} returned nothing for a non-empty segment"
                )
        return translated

    def _run(self, mode: str, text: str) -> str:
        if shutil.which(self.binary) is None:
            raise TranslationError(
                self.name, "not_installed", "the apertium command is missing: apt-get install apertium"
            )
        if self.deformatter == "transfuse" and not transfuse_installed():
            raise TranslationError(
                self.name,
                "not_installed",
                'deformatter = "transfuse" but tf-extract is missing: apt-get install transfuse',
            )
        command = [self.binary, "-f", "html"]
        if not self.mark_unknown:
            command.append("-u")
        command.append(mode)
        try:
            result = subprocess.run(
                command,
                input=text,
                capture_output=True,
                text=True,
                timeout=self.timeout,
                check=False,
                env=self._environment,
            )
        except subprocess.TimeoutExpired as exc:
            raise TranslationError(
                self.name, "timeout", f"{mode} took longer than {self.timeout:g} s", retryable=True
            ) from exc
        if result.returncode != 0:
            message = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
            raise TranslationError(self.name, "engine_failed", f"{mode}: {message}")
        # Some broken pairs (Debian 12 rus-ukr) exit 0 with no output: that is a failure.
        if text.strip() and not result.stdout.strip():
            raise TranslationError(self.name, "empty_output", f"{mode} exited 0 but produced no output")
        return result.stdout
