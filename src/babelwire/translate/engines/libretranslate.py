"""LibreTranslate: the self-hosted open-source translation server (Argos Translate models).

Speaks its JSON API: `POST /translate` with an array of segments (array in, array out) in
HTML mode so inline markup survives, `GET /languages` for the pairs a server has loaded,
`GET /frontend/settings` for its per-request character limit. Retries, timeouts and
batching come from engines/http.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Unpack
from urllib.parse import urlsplit

import httpx

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.engines.http import HttpEngine, HttpOptions, server_message


class LibreTranslateEngine(HttpEngine):
    name = "libretranslate"
    markup: Markup = "html"
    default_timeout = 30.0
    default_max_segments = 25  # the server's batch limit is not published; keep requests modest
    default_max_chars = 5000

    def __init__(
        self,
        *,
        url: str = "http://127.0.0.1:5000",
        api_key: str | None = None,
        **options: Unpack[HttpOptions],
    ) -> None:
        super().__init__(url, **options)
        self.api_key = api_key

    def languages(self) -> dict[str, frozenset[str]]:
        """Source code -> target codes the server can translate to (asked once, then cached)."""
        return self._cached("languages", self._load_languages)

    def probe(self) -> str:
        return f"{len(self._load_languages())} languages"

    def _load_languages(self) -> dict[str, frozenset[str]]:
        payload = self._json(self._request("GET", "/languages"))
        if not isinstance(payload, list) or not all(
            isinstance(item, dict) and isinstance(item.get("code"), str) for item in payload
        ):
            raise self._bad_response("GET /languages: expected a list of {code, name, targets}", payload)
        codes = frozenset(str(item["code"]) for item in payload)
        # Servers before 1.5 do not list targets: every loaded language pairs with every other.
        return {
            str(item["code"]): frozenset(item["targets"]) if isinstance(item.get("targets"), list) else codes
            for item in payload
        }

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return source_lang != target_lang and target_lang in self.languages().get(source_lang, ())

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """The server's version where it reports one (current releases do not), else its address."""
        try:
            version = self._settings().get("version")
        except TranslationError:  # unreachable now: translating will say so
            version = None
        if isinstance(version, str) and version.strip():
            return f"libretranslate {version.strip()}"
        return f"libretranslate {urlsplit(self.url).netloc}"

    def _settings(self) -> dict[str, Any]:
        """The server's /frontend/settings ({} if it has none: older servers, web UI disabled)."""

        def load() -> dict[str, Any]:
            try:
                payload = self._json(self._request("GET", "/frontend/settings"))
            except TranslationError as error:
                if error.reason in ("not_found", "bad_response"):
                    return {}
                raise
            return payload if isinstance(payload, dict) else {}

        return self._cached("settings", load)

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        if not self.supports(source_lang, target_lang):
            loaded = ", ".join(sorted(self.languages())) or "none"
            raise self._error(
                "unsupported_pair",
                f"{self.url} cannot translate {source_lang}->{target_lang} (languages loaded: {loaded})",
            )
        char_limit = self._settings().get("charLimit")  # -1: no limit
        return self._translate_batched(
            segments,
            lambda batch: self._send(batch, source_lang, target_lang),
            max_chars=char_limit if isinstance(char_limit, int) else None,
        )

    def _send(self, batch: list[str], source_lang: str, target_lang: str) -> list[str]:
        body: dict[str, Any] = {"q": batch, "source": source_lang, "target": target_lang, "format": "html"}
        if self.api_key:
            body["api_key"] = self.api_key
        payload = self._json(self._request("POST", "/translate", json=body))
        translated = payload.get("translatedText") if isinstance(payload, dict) else None
        if isinstance(translated, str) and len(batch) == 1:
            translated = [translated]  # a server that ignores arrays answers with one string
        if not isinstance(translated, list):
            raise self._bad_response("POST /translate: expected {translatedText: [...]}", payload)
        return translated

    def _error_for_status(self, response: httpx.Response) -> TranslationError:
        message = server_message(response)
        lowered = message.lower()
        if response.status_code == 400 and ("not supported" in lowered or "not available" in lowered):
            return self._error("unsupported_pair", f"{self.url}: {message}")
        if response.status_code == 400 and "exceeds text limit" in lowered:
            return self._error("too_large", f"{self.url}: {message} (lower max_chars or max_segments)")
        if response.status_code == 400 and "api key" in lowered:
            return self._error("auth", f"{self.url}: {message} (set api_key)")
        if response.status_code == 403 and "limit" in lowered:  # banned for a while after 429s
            return self._error("rate_limited", f"{self.url}: HTTP 403: {message}", retryable=True)
        return super()._error_for_status(response)
