"""CTranslate2: local neural MT (OPUS-MT, NLLB-200, M2M-100 conversions) on CPU or GPU.

Plain text in and out, tokenized with the model's SentencePiece model(s). Models load
lazily, once per process for each path/device/compute type, and are shared by threads.
The pipeline translates one article per thread; a small micro-batcher merges calls that
arrive within `batch_wait_ms` for the same model into one `translate_batch`, so sentences
of different articles share a batch (CTranslate2's throughput comes from batches).

Decoding is pinned so output never depends on batch company: each sentence gets its own
length limit (`max_length_ratio` x source tokens + `max_length_margin`, capped by
`max_decoding_length`), the batch decodes to the largest limit and each hypothesis is cut
to its own, which with `beam_size=1` (greedy, prefix-stable) is exactly the same as
decoding it alone. The limit also stops the repetition loops neural models fall into.
That exactness holds for float weights; with int8, padding can still flip a near-tie.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from babelwire.translate.engine import Markup, TranslationError
from babelwire.translate.models import (
    SPM_PAIR,
    SPM_SINGLE,
    InstalledModel,
    ModelError,
    inspect_model,
    list_models,
)

DEFAULT_MODELS_DIR = Path("data/models")
_INSTALL_FIX = "pip install 'babelwire[neural]'"
_CATALOG_TTL_S = 60.0
_DROPPED = frozenset({"<s>", "</s>", "<pad>"})

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class _Request(Generic[T, R]):
    jobs: list[T]
    results: list[R] = field(default_factory=list)
    error: BaseException | None = None
    taken: bool = False
    done: bool = False


class MicroBatcher(Generic[T, R]):
    """Merge concurrent `submit` calls arriving within `wait_s` into one `run` call.

    No background thread: the first waiting caller leads, collects what arrives until the
    window closes or `max_items` jobs are pending, runs them, and hands the results back;
    callers that arrive meanwhile form the next batch, so batches overlap on `inter_threads`.
    """

    def __init__(self, run: Callable[[list[T]], list[R]], *, max_items: int, wait_s: float) -> None:
        self._run = run
        self.max_items = max(1, max_items)
        self.wait_s = max(0.0, wait_s)
        self._cond = threading.Condition()
        self._pending: list[_Request[T, R]] = []
        self._leading = False
        self.calls = 0

    def submit(self, jobs: list[T]) -> list[R]:
        if not jobs:
            return []
        request: _Request[T, R] = _Request(jobs)
        with self._cond:
            self._pending.append(request)
            self._cond.notify_all()
        while True:
            with self._cond:
                while not request.done and (self._leading or request.taken):
                    self._cond.wait()
                if request.done:
                    break
                self._leading = True
                deadline = time.monotonic() + self.wait_s
                while self._pending_jobs() < self.max_items and (left := deadline - time.monotonic()) > 0:
                    self._cond.wait(left)
                batch = self._take()
                self._leading = False
                self._cond.notify_all()
            self._execute(batch)
        if request.error is not None:
            raise request.error
        return request.results

    def _pending_jobs(self) -> int:
        return sum(len(request.jobs) for request in self._pending)

    def _take(self) -> list[_Request[T, R]]:
        batch: list[_Request[T, R]] = []
        count = 0
        while self._pending and (not batch or count + len(self._pending[0].jobs) <= self.max_items):
            request = self._pending.pop(0)
            request.taken = True
            batch.append(request)
            count += len(request.jobs)
        return batch

    def _execute(self, batch: list[_Request[T, R]]) -> None:
        error: BaseException | None = None
        results: list[R] = []
        try:
            results = self._run([job for request in batch for job in request.jobs])
        except BaseException as exc:  # handed to every caller in the batch
            error = exc
        with self._cond:
            self.calls += 1
            offset = 0
            for request in batch:
                request.error = error
                request.results = results[offset : offset + len(request.jobs)] if error is None else []
                offset += len(request.jobs)
                request.done = True
            self._cond.notify_all()


class _Job(NamedTuple):
    tokens: list[str]
    prefix: list[str] | None
    limit: int


@dataclass(frozen=True)
class _Model:
    """What the engine needs to know of a model directory, read once (no weights loaded)."""

    info: InstalledModel
    version: str
    add_source_eos: bool
    eos: str
    source_spm: Path
    target_spm: Path

    def serves(self, source_lang: str, target_lang: str) -> bool:
        if self.info.multilingual:
            return source_lang in self.info.languages and target_lang in self.info.languages
        return f"{source_lang}-{target_lang}" in self.info.pairs


@dataclass
class _Loaded:
    model: _Model
    translator: Any
    source: Any
    target: Any
    batcher: MicroBatcher[_Job, list[str]]


_TRANSLATORS: dict[tuple[str, str, str, int, int], Any] = {}
_TRANSLATORS_LOCK = threading.Lock()


class CTranslate2Engine:
    name = "ctranslate2"
    markup: Markup = "text"

    def __init__(
        self,
        models_dir: str | None = None,
        models: Mapping[str, str] | None = None,
        device: str = "auto",
        compute_type: str = "default",
        inter_threads: int = 1,
        intra_threads: int = 0,
        beam_size: int = 4,
        max_batch_size: int = 32,
        batch_wait_ms: float = 5,
        max_decoding_length: int = 512,
        max_length_ratio: float = 2.0,
        max_length_margin: int = 10,
        decode_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.models_dir = Path(models_dir) if models_dir else DEFAULT_MODELS_DIR
        self.models = dict(models or {})
        self.device = device
        self.compute_type = compute_type
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self.beam_size = beam_size
        self.max_batch_size = max_batch_size
        self.batch_wait_ms = batch_wait_ms
        self.max_decoding_length = max_decoding_length
        self.max_length_ratio = max_length_ratio
        self.max_length_margin = max_length_margin
        self.decode_options = dict(decode_options or {})
        self._lock = threading.Lock()
        self._described: dict[Path, _Model] = {}
        self._loaded: dict[Path, _Loaded] = {}
        self._catalog_cache: tuple[float, list[InstalledModel]] | None = None

    # -- the Engine protocol -------------------------------------------------------------------

    def supports(self, source_lang: str, target_lang: str) -> bool:
        return self.model_path(source_lang, target_lang) is not None

    def model_version(self, source_lang: str, target_lang: str) -> str:
        path = self.model_path(source_lang, target_lang)
        if path is None:
            return "ctranslate2"
        try:
            return self._describe(path).version
        except TranslationError:
            return f"ctranslate2:{path.name}"

    def translate(self, segments: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        path = self.model_path(source_lang, target_lang)
        if path is None:
            raise self._unsupported(source_lang, target_lang)
        loaded = self._load(path)
        model = loaded.model
        if model.info.multilingual and not model.serves(source_lang, target_lang):
            raise self._unsupported(source_lang, target_lang)
        prefix = [model.info.languages[target_lang]] if model.info.multilingual else None
        texts = [segment.strip() for segment in segments]
        jobs = [self._job(loaded, text, source_lang, prefix) for text in texts if text]
        hypotheses = iter(loaded.batcher.submit(jobs))
        dropped = _DROPPED | set(model.info.languages.values())
        output: list[str] = []
        for text in texts:
            if not text:
                output.append("")
                continue
            tokens = [token for token in next(hypotheses) if token not in dropped]
            translated = loaded.target.decode(tokens).strip() if tokens else ""
            if not translated:
                raise TranslationError(
                    self.name, "empty_output", f"{model.info.name} returned nothing for a non-empty segment"
                )
            output.append(translated)
        return output

    # -- introspection (tests, benchmarks, status) -----------------------------------------------

    @property
    def translate_batch_calls(self) -> int:
        """How many `translate_batch` calls were made: fewer than `translate` calls means merging."""
        with self._lock:
            return sum(loaded.batcher.calls for loaded in self._loaded.values())

    def resolved_device(self) -> str:
        """The device models load on: with "auto", CUDA when a GPU is visible, else the CPU."""
        if self.device != "auto":
            return self.device
        return "cuda" if _ctranslate2().get_cuda_device_count() > 0 else "cpu"

    # -- models ----------------------------------------------------------------------------------

    def _path(self, value: str) -> Path:
        candidate = Path(value).expanduser()
        if candidate.is_absolute() or candidate.is_dir():
            return candidate
        named = self.models_dir / value
        return named if named.is_dir() else self.models_dir / value.replace("/", "--")

    def model_path(self, source_lang: str, target_lang: str) -> Path | None:
        """Which model directory serves a pair: `models[pair]`, `models["*"]`, then installed models."""
        pair = f"{source_lang}-{target_lang}"
        if pair in self.models:
            path = self._path(self.models[pair])
            return path if path.is_dir() else None
        if "*" in self.models:
            path = self._path(self.models["*"])
            if path.is_dir():
                try:
                    if self._describe(path).serves(source_lang, target_lang):
                        return path
                except TranslationError:
                    return path  # configured but broken: translate() reports bad_model
        for fresh in (False, True):
            for info in self._catalog(refresh=fresh):
                if pair in info.pairs or (
                    info.multilingual and source_lang in info.languages and target_lang in info.languages
                ):
                    return info.path
        return None

    def _catalog(self, refresh: bool) -> list[InstalledModel]:
        with self._lock:
            cached = self._catalog_cache
            if cached is not None and (not refresh or time.monotonic() - cached[0] < _CATALOG_TTL_S):
                return cached[1]
        found = list_models(self.models_dir)
        with self._lock:
            self._catalog_cache = (time.monotonic(), found)
        return found

    def _describe(self, path: Path) -> _Model:
        with self._lock:
            if path in self._described:
                return self._described[path]
        try:
            info = inspect_model(path)
            config = json.loads((path / "config.json").read_text("utf-8"))
        except (ModelError, OSError, ValueError) as exc:
            message = exc.message if isinstance(exc, ModelError) else f"{path}: {exc}"
            raise TranslationError(self.name, "bad_model", message) from exc
        if info.kind == "marian" and (path / SPM_PAIR[0]).is_file():
            source_spm, target_spm = path / SPM_PAIR[0], path / SPM_PAIR[1]
        else:
            source_spm = target_spm = next(path / name for name in SPM_SINGLE if (path / name).is_file())
        model = _Model(
            info=info,
            version=info.version(),
            add_source_eos=bool(config.get("add_source_eos", False)),
            eos=str(config.get("eos_token") or "</s>"),
            source_spm=source_spm,
            target_spm=target_spm,
        )
        with self._lock:
            return self._described.setdefault(path, model)

    def _load(self, path: Path) -> _Loaded:
        with self._lock:
            if path in self._loaded:
                return self._loaded[path]
        model = self._describe(path)
        ctranslate2 = _ctranslate2()
        import sentencepiece

        device = self.resolved_device()
        key = (str(path.resolve()), device, self.compute_type, self.inter_threads, self.intra_threads)
        try:
            with _TRANSLATORS_LOCK:
                translator = _TRANSLATORS.get(key)
                if translator is None:
                    translator = ctranslate2.Translator(
                        str(path), device=device, compute_type=self.compute_type,
                        inter_threads=self.inter_threads, intra_threads=self.intra_threads,
                    )  # fmt: skip
                    _TRANSLATORS[key] = translator
            source = sentencepiece.SentencePieceProcessor(model_file=str(model.source_spm))
            target = sentencepiece.SentencePieceProcessor(model_file=str(model.target_spm))
        except (RuntimeError, ValueError, OSError) as exc:
            raise TranslationError(self.name, "bad_model", f"cannot load {path}: {exc}") from exc
        with self._lock:
            if path not in self._loaded:
                batcher: MicroBatcher[_Job, list[str]] = MicroBatcher(
                    lambda jobs: self._run(translator, jobs),
                    max_items=self.max_batch_size,
                    wait_s=self.batch_wait_ms / 1000,
                )
                self._loaded[path] = _Loaded(model, translator, source, target, batcher)
            return self._loaded[path]

    def _job(self, loaded: _Loaded, text: str, source_lang: str, prefix: list[str] | None) -> _Job:
        model = loaded.model
        pieces: list[str] = loaded.source.encode(text, out_type=str)
        tokens = list(pieces)
        if model.info.multilingual:
            tokens.insert(0, model.info.languages[source_lang])
        if not model.add_source_eos:
            tokens.append(model.eos)
        limit = math.ceil(self.max_length_ratio * len(pieces)) + self.max_length_margin
        return _Job(tokens, prefix, max(1, min(self.max_decoding_length, limit)))

    def _run(self, translator: Any, jobs: list[_Job]) -> list[list[str]]:
        """One `translate_batch` for the merged jobs, shortest first; results in job order."""
        order = sorted(range(len(jobs)), key=lambda i: len(jobs[i].tokens))
        batch = [jobs[i] for i in order]
        prefixed = any(job.prefix for job in batch)
        try:
            results = translator.translate_batch(
                [job.tokens for job in batch],
                target_prefix=[job.prefix or [] for job in batch] if prefixed else None,
                beam_size=self.beam_size,
                max_batch_size=self.max_batch_size,
                max_decoding_length=max(job.limit + len(job.prefix or []) for job in batch),
                **self.decode_options,
            )
        except (RuntimeError, ValueError, TypeError) as exc:
            raise TranslationError(self.name, "engine_failed", f"translate_batch failed: {exc}") from exc
        output: list[list[str]] = [[] for _ in jobs]
        for index, job, result in zip(order, batch, results, strict=True):
            tokens = list(result.hypotheses[0])
            if job.prefix and tokens[: len(job.prefix)] == job.prefix:
                tokens = tokens[len(job.prefix) :]
            output[index] = tokens[: job.limit]
        return output

    def _unsupported(self, source_lang: str, target_lang: str) -> TranslationError:
        pair = f"{source_lang}-{target_lang}"
        where = (
            f"the model configured for {pair} ({self._path(self.models[pair])}) is not installed"
            if pair in self.models
            else f"no CTranslate2 model for {pair} in {self.models_dir}"
        )
        return TranslationError(
            self.name,
            "unsupported_pair",
            f"{where}; fix: babelwire models pull <CTranslate2 conversion of opus-mt-{pair} or NLLB-200> "
            f"--pairs {pair} --models-dir {self.models_dir}",
        )


def _ctranslate2() -> Any:
    try:
        import ctranslate2
        import sentencepiece  # noqa: F401 - needed for tokenization; fail early with the same fix
    except ImportError as exc:
        raise TranslationError(
            "ctranslate2", "not_installed", f"the ctranslate2 engine needs {exc.name}: {_INSTALL_FIX}"
        ) from exc
    return ctranslate2
