"""Any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama, hosted APIs) as an engine.

LLMs translate news well but answer in prose unless held to a format, so each request sends
the segments as a JSON array and asks for exactly `{"translations": [...]}` with as many items,
in order, every tag and `<var>N</var>` placeholder kept. Answers are parsed leniently (code
fences, a sentence around the object) but checked strictly (count, strings); a malformed or
miscounted answer is asked again once, then the batch is translated one segment per request
so one confusing segment cannot sink the rest. Retries, timeouts, batching: engines/http.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Unpack

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.engines.http import HttpEngine, HttpOptions, one_line

# ISO 639-1 code -> English name: the prompt names languages, which models follow better than codes.
_NAMES = """
aa Afar|ab Abkhazian|af Afrikaans|ak Akan|am Amharic|an Aragonese|ar Arabic|as Assamese|av Avaric|
ay Aymara|az Azerbaijani|ba Bashkir|be Belarusian|bg Bulgarian|bi Bislama|bm Bambara|bn Bengali|
bo Tibetan|br Breton|bs Bosnian|ca Catalan|ce Chechen|ch Chamorro|co Corsican|cr Cree|cs Czech|
cu Church Slavonic|cv Chuvash|cy Welsh|da Danish|de German|dv Divehi|dz Dzongkha|ee Ewe|el Greek|
en English|eo Esperanto|es Spanish|et Estonian|eu Basque|fa Persian|ff Fulah|fi Finnish|fj Fijian|
fo Faroese|fr French|fy Western Frisian|ga Irish|gd Scottish Gaelic|gl Galician|gn Guarani|
gu Gujarati|gv Manx|ha Hausa|he Hebrew|hi Hindi|ho Hiri Motu|hr Croatian|ht Haitian Creole|
hu Hungarian|hy Armenian|hz Herero|ia Interlingua|id Indonesian|ie Interlingue|ig Igbo|ii Sichuan Yi|
ik Inupiaq|io Ido|is Icelandic|it Italian|iu Inuktitut|ja Japanese|jv Javanese|ka Georgian|
kg Kongo|ki Kikuyu|kj Kuanyama|kk Kazakh|kl Kalaallisut|km Khmer|kn Kannada|ko Korean|kr Kanuri|
ks Kashmiri|ku Kurdish|kv Komi|kw Cornish|ky Kyrgyz|la Latin|lb Luxembourgish|lg Ganda|
li Limburgish|ln Lingala|lo Lao|lt Lithuanian|lu Luba-Katanga|lv Latvian|mg Malagasy|mh Marshallese|
mi Maori|mk Macedonian|ml Malayalam|mn Mongolian|mr Marathi|ms Malay|mt Maltese|my Burmese|na Nauru|
nb Norwegian Bokmål|nd North Ndebele|ne Nepali|ng Ndonga|nl Dutch|nn Norwegian Nynorsk|no Norwegian|
nr South Ndebele|nv Navajo|ny Chichewa|oc Occitan|oj Ojibwa|om Oromo|or Odia|os Ossetian|
pa Punjabi|pi Pali|pl Polish|ps Pashto|pt Portuguese|qu Quechua|rm Romansh|rn Kirundi|ro Romanian|
ru Russian|rw Kinyarwanda|sa Sanskrit|sc Sardinian|sd Sindhi|se Northern Sami|sg Sango|si Sinhala|
sk Slovak|sl Slovenian|sm Samoan|sn Shona|so Somali|sq Albanian|sr Serbian|ss Swati|st Southern Sotho|
su Sundanese|sv Swedish|sw Swahili|ta Tamil|te Telugu|tg Tajik|th Thai|ti Tigrinya|tk Turkmen|
tl Tagalog|tn Tswana|to Tongan|tr Turkish|ts Tsonga|tt Tatar|tw Twi|ty Tahitian|ug Uyghur|
uk Ukrainian|ur Urdu|uz Uzbek|ve Venda|vi Vietnamese|vo Volapük|wa Walloon|wo Wolof|xh Xhosa|
yi Yiddish|yo Yoruba|za Zhuang|zh Chinese|zu Zulu
"""
LANGUAGE_NAMES = dict(entry.strip().split(" ", 1) for entry in _NAMES.split("|"))

SYSTEM_PROMPT = """\
You are a professional news translator. The user sends a JSON array of {count} numbered \
segments (segment 1 is the first item) in {source}. Translate each segment from {source} \
to {target}.
Rules:
- Keep every HTML tag and every <var>N</var> placeholder exactly as written (same number inside), \
in the right place.
- Keep numbers, dates, names, quotes and URLs; translate faithfully, add and omit nothing.
- Output ONLY a JSON object {{"translations": ["...", ...]}} with exactly {count} strings, \
in the same order as the input, one per segment. No commentary, no code fences."""

_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


def parse_translations(content: str, expected: int) -> list[str] | str:
    """The translations in a model's answer, or a short description of what is wrong with it."""
    text = content.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    if not text.startswith(("{", "[")):  # a sentence before or after the object
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            return f"answer is not JSON: {one_line(content, 80)!r}"
        text = text[start : end + 1]
    try:
        payload = json.loads(text)
    except ValueError as exc:
        return f"answer is not valid JSON ({exc}): {one_line(content, 80)!r}"
    items = payload.get("translations") if isinstance(payload, dict) else payload
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return f"answer has no list of strings under 'translations': {one_line(content, 80)!r}"
    if len(items) != expected:
        return f"asked for {expected} translations, got {len(items)}"
    return items


class OpenAIEngine(HttpEngine):
    name = "openai"
    markup: Markup = "html"
    default_timeout = 120.0  # a local model on CPU can take a while for a batch
    default_max_segments = 20
    default_max_chars = 4000  # stays well inside small context windows, answer included

    def __init__(
        self,
        *,
        model: str,
        url: str = "http://127.0.0.1:8080/v1",
        api_key: str | None = None,
        temperature: float = 0.0,
        seed: int | None = None,
        max_tokens: int | None = None,
        json_mode: bool = True,
        **options: Unpack[HttpOptions],
    ) -> None:
        if not model:
            raise TypeError("the openai engine needs a model name")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        super().__init__(url, headers=headers, **options)
        self.model = model
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = max_tokens
        self.json_mode = json_mode  # response_format json_object: vLLM, llama.cpp, Ollama, OpenAI

    def supports(self, source_lang: str, target_lang: str) -> bool:
        """LLMs are general: any two different known languages (quality is the model's business)."""
        return source_lang != target_lang and source_lang in LANGUAGE_NAMES and target_lang in LANGUAGE_NAMES

    def model_version(self, source_lang: str, target_lang: str) -> str:
        """The configured model name: stable, unlike per-deployment fingerprints."""
        return self.model

    def probe(self) -> str:
        """`GET /models`: the server answers and serves the configured model."""
        payload: Any = self._json(self._request("GET", "/models"))
        data = payload.get("data") if isinstance(payload, dict) else None
        if not isinstance(data, list):
            raise self._bad_response("GET /models: expected {data: [{id}]}", payload)
        served = [str(item.get("id")) for item in data if isinstance(item, dict)]
        if served and self.model not in served:
            listed = ", ".join(served[:5])
            raise self._error("model_missing", f"model {self.model!r} is not served (it serves {listed})")
        return f"model {self.model} served"

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        if not self.supports(source_lang, target_lang):
            raise self._error(
                "unsupported_pair", f"{source_lang}->{target_lang}: not a pair of ISO 639-1 language codes"
            )
        return self._translate_batched(
            segments, lambda batch: self._translate_batch(batch, source_lang, target_lang)
        )

    def _translate_batch(self, batch: list[str], source_lang: str, target_lang: str) -> list[str]:
        """Ask for the batch; on a malformed answer ask once more, then one segment at a time."""
        error: TranslationError | None = None
        for _ in range(2):
            try:
                return self._ask(batch, source_lang, target_lang)
            except TranslationError as exc:
                if exc.reason != "bad_response":
                    raise
                error = exc
        if len(batch) == 1 and error is not None:
            raise error
        return [self._ask([segment], source_lang, target_lang)[0] for segment in batch]

    def _ask(self, batch: list[str], source_lang: str, target_lang: str) -> list[str]:
        prompt = SYSTEM_PROMPT.format(
            count=len(batch), source=LANGUAGE_NAMES[source_lang], target=LANGUAGE_NAMES[target_lang]
        )
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": prompt},
                {"role": "user", "content": json.dumps(batch, ensure_ascii=False)},
            ],
            "temperature": self.temperature,
            "stream": False,
        }
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        if self.seed is not None:
            body["seed"] = self.seed
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        payload = self._json(self._request("POST", "/chat/completions", json=body))
        try:
            choice = payload["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise self._bad_response(
                "POST /chat/completions: expected {choices: [{message}]}", payload
            ) from None
        if not isinstance(content, str):
            raise self._bad_response("POST /chat/completions: the message has no text content", content)
        parsed = parse_translations(content, len(batch))
        if isinstance(parsed, str):
            truncated = " (cut off at max_tokens)" if choice.get("finish_reason") == "length" else ""
            raise self._error("bad_response", f"{self.model}: {parsed}{truncated}")
        return parsed
