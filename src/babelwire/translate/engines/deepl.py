"""DeepL, the commercial translation API (v2), for operators who hold a key.

Speaks the real API: `POST /v2/translate` with a JSON body of up to 50 texts, HTML tag
handling so inline markup survives and `<var>N</var>` placeholders pass untouched, the key in
an `Authorization: DeepL-Auth-Key` header (never in the URL, so it never reaches a log line),
and `GET /v2/languages` for the supported source and target languages. DeepL names some
targets by variant (EN-US/EN-GB, PT-PT/PT-BR): plain "en" and "pt" map to a configurable one.
Retries, timeouts and batching come from engines/http.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

import httpx

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.engines.http import HttpEngine, HttpOptions, server_message

FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
MAX_TEXTS = 50  # DeepL's limit per request
# Targets DeepL only accepts as a regional variant; options override or extend this.
DEFAULT_TARGET_VARIANTS = {"en": "EN-US", "pt": "PT-PT"}


class DeepLEngine(HttpEngine):
    name = "deepl"
    markup: Markup = "html"
    default_timeout = 30.0
    default_max_segments = MAX_TEXTS
    default_max_chars = 30_000  # the request body may not exceed 128 KiB

    def __init__(
        self,
        *,
        api_key: str,
        url: str | None = None,
        formality: str | None = None,
        glossary_id: str | None = None,
        target_variants: Mapping[str, str] | None = None,
        **options: Unpack[HttpOptions],
    ) -> None:
        if not api_key:
            raise TypeError("DeepL needs an api_key")
        # Free-plan keys end in ":fx" and only work on the free endpoint.
        default_url = FREE_URL if api_key.endswith(":fx") else PRO_URL
        super().__init__(
            url or default_url, headers={"Authorization": f"DeepL-Auth-Key {api_key}"}, **options
        )
        self.max_segments = min(self.max_segments, MAX_TEXTS)
        self.formality = formality
        self.glossary_id = glossary_id
        self.target_variants = {
            **DEFAULT_TARGET_VARIANTS,
            **{k.lower(): v for k, v in (target_variants or {}).items()},
        }

    @staticmethod
    def source_code(lang: str) -> str:
        """ "es" -> "ES"; DeepL's source languages have no variants ("en-GB" -> "EN")."""
        return lang.split("-")[0].split("_")[0].upper()

    def target_code(self, lang: str) -> str:
        """ "en" -> "EN-US" (configurable), "en-gb" -> "EN-GB", "es" -> "ES"."""
        lang = lang.replace("_", "-")
        return self.target_variants.get(lang.lower(), lang.upper())

    def languages(self, kind: str) -> frozenset[str]:
        """DeepL's codes for `kind` "source" or "target" (asked once, then cached)."""
        return self._cached(f"languages:{kind}", lambda: self._load_languages(kind))

    def probe(self) -> str:
        """`GET /v2/usage`: checks the key, and says how much of the period's quota is used."""
        usage = self._json(self._request("GET", "/v2/usage"))
        if not isinstance(usage, dict):
            raise self._bad_response("GET /v2/usage: expected {character_count, character_limit}", usage)
        used, limit = usage.get("character_count", "?"), usage.get("character_limit", "?")
        return f"key accepted, {used} of {limit} characters used this period"

    def _load_languages(self, kind: str) -> frozenset[str]:
        payload = self._json(self._request("GET", "/v2/languages", params={"type": kind}))
        if not isinstance(payload, list) or not all(
            isinstance(item, dict) and isinstance(item.get("language"), str) for item in payload
        ):
            raise self._bad_response(
                f"GET /v2/languages?type={kind}: expected a list of {{language}}", payload
            )
        return frozenset(str(item["language"]).upper() for item in payload)

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return (
            self.source_code(source_lang) != self.source_code(target_lang)
            and self.source_code(source_lang) in self.languages("source")
            and self.target_code(target_lang) in self.languages("target")
        )

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """The options that change the output are part of it, so the memory never mixes them."""
        version = f"deepl {self.target_code(target_lang)}"
        if self.formality:
            version += f" formality={self.formality}"
        if self.glossary_id:
            version += f" glossary={self.glossary_id}"
        return version

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        if not self.supports(source_lang, target_lang):
            raise self._error(
                "unsupported_pair",
                f"DeepL cannot translate {self.source_code(source_lang)}->{self.target_code(target_lang)} "
                "(set target_variants if the target needs a regional variant)",
            )
        return self._translate_batched(segments, lambda batch: self._send(batch, source_lang, target_lang))

    def _send(self, batch: list[str], source_lang: str, target_lang: str) -> list[str]:
        body: dict[str, Any] = {
            "text": batch,
            "source_lang": self.source_code(source_lang),
            "target_lang": self.target_code(target_lang),
            "tag_handling": "html",
            "ignore_tags": ["var"],  # placeholders: their number is not text
        }
        if self.formality:
            body["formality"] = self.formality
        if self.glossary_id:
            body["glossary_id"] = self.glossary_id
        payload = self._json(self._request("POST", "/v2/translate", json=body))
        items = payload.get("translations") if isinstance(payload, dict) else None
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise self._bad_response("POST /v2/translate: expected {translations: [{text}]}", payload)
        return [item.get("text") for item in items]

    def _error_for_status(self, response: httpx.Response) -> TranslationError:
        status = response.status_code
        if status == 456:
            return self._error(
                "quota", f"DeepL: quota exceeded for this billing period: {server_message(response)}"
            )
        if status == 403:
            return self._error(
                "auth",
                f"DeepL rejected the key at {self.url}: {server_message(response)} "
                f"(free keys end in ':fx' and use {FREE_URL})",
            )
        return super()._error_for_status(response)
