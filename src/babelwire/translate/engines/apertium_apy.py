"""Apertium through its HTTP server, APY (Debian package `apertium-apy`).

The same rule-based pairs as engines/apertium.py, but the pipelines stay loaded in a
long-running server (no process start per call) and can live on another machine. Speaks
APY's API: `GET /listPairs` for the installed pairs, `POST /translate` with form data
(`langpair=spa|eng`, `format=html` so inline markup survives). A batch travels as one text,
segments separated by the marker tags engines/apertium.py uses; if the markers do not come
back intact the segments are sent one per request, so a batch never misaligns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack
from urllib.parse import urlsplit

import httpx

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.engines.apertium import APERTIUM_PROTECTION, ISO3, package_version, translate_marked
from babelwire.translate.engines.http import HttpEngine, HttpOptions, server_message

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


class ApertiumApyEngine(HttpEngine):
    name = "apertium-apy"
    markup: Markup = "html"
    protection = APERTIUM_PROTECTION
    default_timeout = 60.0
    default_max_segments = 200  # APY has no batch limit: only the request size matters
    default_max_chars = 20_000

    def __init__(
        self,
        *,
        url: str = "http://127.0.0.1:2737",
        mark_unknown: bool = False,
        **options: Unpack[HttpOptions],
    ) -> None:
        super().__init__(url, **options)
        self.mark_unknown = mark_unknown

    def pairs(self) -> frozenset[str]:
        """The modes ("spa-eng", ...) the server has installed (asked once, then cached)."""
        return self._cached("pairs", self._load_pairs)

    def probe(self) -> str:
        return f"{len(self._load_pairs())} pairs"

    def _load_pairs(self) -> frozenset[str]:
        payload = self._json(self._request("GET", "/listPairs"))
        data = payload.get("responseData") if isinstance(payload, dict) else None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise self._bad_response(
                "GET /listPairs: expected {responseData: [{sourceLanguage, targetLanguage}]}", payload
            )
        return frozenset(f"{item.get('sourceLanguage')}-{item.get('targetLanguage')}" for item in data)

    @staticmethod
    def mode_name(source_lang: str, target_lang: str) -> str | None:
        """ISO 639-1 pair -> Apertium mode name ("es", "en" -> "spa-eng"), without asking the server."""
        src, tgt = ISO3.get(source_lang), ISO3.get(target_lang)
        return f"{src}-{tgt}" if src and tgt else None

    def mode(self, source_lang: str, target_lang: str) -> str | None:
        mode = self.mode_name(source_lang, target_lang)
        return mode if mode in self.pairs() else None

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return self.mode(source_lang, target_lang) is not None

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """The Debian package of the pair when the server is on this machine, else the mode name."""
        mode = self.mode_name(source_lang, target_lang)
        if mode is None:
            return "apertium-apy"
        if urlsplit(self.url).hostname in _LOCAL_HOSTS:
            return f"apertium-apy {package_version(mode)}"  # falls back to the mode name
        return f"apertium-apy {mode}"

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        mode = self.mode(source_lang, target_lang)
        if mode is None:
            src, tgt = ISO3.get(source_lang, source_lang), ISO3.get(target_lang, target_lang)
            raise self._error(
                "unsupported_pair",
                f"{self.url} has no Apertium pair {source_lang}->{target_lang} (install "
                f"apertium-{src}-{tgt} or apertium-{tgt}-{src} on the server and restart APY)",
            )
        return self._translate_batched(segments, lambda batch: self._send_batch(batch, mode))

    def _send_batch(self, batch: list[str], mode: str) -> list[str]:
        if len(batch) == 1:
            return [self._send(batch[0], mode)]
        return translate_marked(batch, lambda text: self._send(text, mode))

    def _send(self, text: str, mode: str) -> str:
        form = {
            "langpair": mode.replace("-", "|"),
            "q": text,
            "format": "html",
            "markUnknown": "yes" if self.mark_unknown else "no",
        }
        payload = self._json(self._request("POST", "/translate", data=form))
        data = payload.get("responseData") if isinstance(payload, dict) else None
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if not isinstance(translated, str) or payload.get("responseStatus", 200) != 200:
            raise self._bad_response("POST /translate: expected {responseData: {translatedText}}", payload)
        # A broken pair (Debian 12 rus-ukr) answers 200 with nothing: that is a failure, not a translation.
        if text.strip() and not translated.strip():
            raise self._error("empty_output", f"{self.url}: {mode} returned nothing for a non-empty text")
        return translated

    def _error_for_status(self, response: httpx.Response) -> TranslationError:
        message = server_message(response)
        if response.status_code == 400 and "not installed" in message:
            return self._error("unsupported_pair", f"{self.url}: {message}")
        return super()._error_for_status(response)
