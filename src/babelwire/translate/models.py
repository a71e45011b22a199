"""Installed CTranslate2 models: pull them from the Hugging Face hub, list and inspect them.

A model directory holds a converted CTranslate2 model (`model.bin`, `config.json`, a shared
or source/target vocabulary) and its SentencePiece model(s): `source.spm`/`target.spm`
(Marian/OPUS-MT) or one `sentencepiece.bpe.model`/`spm.model` (NLLB, M2M-100).
`babelwire.json` beside them records what the files cannot say: the repository and
revision it came from (provenance for every translation), its kind and language pairs.
huggingface_hub is imported only when pulling, so listing needs no extra package.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babelwire.errors import BabelwireError

METADATA_FILE = "babelwire.json"
KINDS = ("marian", "nllb", "m2m")
MULTILINGUAL_KINDS = ("nllb", "m2m")
SPM_PAIR = ("source.spm", "target.spm")
SPM_SINGLE = ("sentencepiece.bpe.model", "spm.model", "sentencepiece.model")
VOCABULARIES = (
    "shared_vocabulary.json", "shared_vocabulary.txt", "target_vocabulary.json", "target_vocabulary.txt",
    "vocabulary.json", "vocabulary.txt",
)  # fmt: skip
# Weights of other frameworks: never needed, often gigabytes.
_IGNORED = [
    "*.safetensors", "pytorch_model*.bin", "tf_model.h5", "flax_model.msgpack", "*.onnx", "*.ot",
    "*.ckpt", "*.pt", "*.npz", ".gitattributes",
]  # fmt: skip
# ISO 639-1 -> NLLB-200 codes, for the languages babelwire publishes in and a few neighbours.
NLLB_CODES = {
    "en": "eng_Latn", "es": "spa_Latn", "ca": "cat_Latn", "fr": "fra_Latn", "de": "deu_Latn",
    "it": "ita_Latn", "pt": "por_Latn", "ru": "rus_Cyrl", "uk": "ukr_Cyrl", "ar": "arb_Arab",
    "gl": "glg_Latn", "eu": "eus_Latn", "nl": "nld_Latn", "pl": "pol_Latn", "zh": "zho_Hans",
    "ja": "jpn_Jpan", "ro": "ron_Latn", "sv": "swe_Latn", "da": "dan_Latn", "nb": "nob_Latn",
    "fi": "fin_Latn", "el": "ell_Grek", "tr": "tur_Latn", "cs": "ces_Latn", "hu": "hun_Latn",
    "ko": "kor_Hang", "hi": "hin_Deva", "oc": "oci_Latn", "ast": "ast_Latn",
}  # fmt: skip
_PAIR_IN_NAME = re.compile(r"(?:^|[-_])mt-(?:tc-)?(?:big-)?([a-z]{2,3})-([a-z]{2,3})(?:$|[-_])")

Progress = Callable[[str], None]


class ModelError(BabelwireError):
    """Pulling or reading a model failed; `reason` is short ("not_found", "unreachable", ...)."""

    def __init__(self, reason: str, message: str, subject: str | None = None) -> None:
        super().__init__(reason, message, subject)


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    kind: str
    pairs: tuple[str, ...]
    size: int
    repo: str | None = None
    revision: str | None = None
    languages: dict[str, str] = field(default_factory=dict)

    @property
    def multilingual(self) -> bool:
        return self.kind in MULTILINGUAL_KINDS

    def version(self) -> str:
        """Stable identifier for provenance and the translation memory: repository@revision when
        pulled, else the name and a digest of config.json and model.bin's size and mtime."""
        if self.repo:
            return f"{self.repo}@{self.revision[:12]}" if self.revision else self.repo
        digest = hashlib.sha256((self.path / "config.json").read_bytes())
        for name in ("config.json", "model.bin"):
            stat = (self.path / name).stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return f"{self.name}@{digest.hexdigest()[:12]}"


def local_name(repo_id: str) -> str:
    """Directory name for a repository: "Helsinki-NLP/opus-mt-es-en" -> "Helsinki-NLP--opus-mt-es-en"."""
    return repo_id.strip("/").replace("/", "--")


def pairs_from_name(name: str) -> list[str]:
    """Language pair in an OPUS-MT style name ("opus-mt-es-en", "opus-mt-tc-big-en-es-ct2")."""
    match = _PAIR_IN_NAME.search(name.rsplit("/", 1)[-1].lower())
    return [f"{match.group(1)}-{match.group(2)}"] if match else []


def default_pairs(kind: str, name: str) -> list[str]:
    """Pairs of a model whose metadata names none: any pair for multilingual kinds, else from the name."""
    return ["*"] if kind in MULTILINGUAL_KINDS else pairs_from_name(name)


def read_vocabulary(path: Path) -> list[str]:
    """The target vocabulary of a converted model (JSON list or one token per line)."""
    for name in VOCABULARIES:
        file = path / name
        if file.is_file():
            if name.endswith(".json"):
                tokens = json.loads(file.read_text("utf-8"))
                return [str(token) for token in tokens]
            return file.read_text("utf-8").splitlines()
    raise ModelError("bad_model", f"{path} has no vocabulary file ({', '.join(VOCABULARIES[:2])})")


def language_tokens(kind: str, vocabulary: Sequence[str]) -> dict[str, str]:
    """ISO 639-1 -> the model's language token, for the languages this vocabulary knows."""
    known = set(vocabulary)
    if kind == "nllb":
        return {iso: code for iso, code in NLLB_CODES.items() if code in known}
    if kind == "m2m":
        return {token[2:-2]: token for token in known if re.fullmatch(r"__[a-z]{2,3}__", token)}
    return {}


def check_files(names: Sequence[str], where: str) -> None:
    """Raise unless the files make a CTranslate2 model with a SentencePiece model."""
    present = set(names)
    if "model.bin" not in present or "config.json" not in present:
        hint = (
            "it looks like a Transformers checkpoint: convert it with `ct2-transformers-converter --model "
            f"{where} --output_dir DIR --copy_files source.spm target.spm` (or pick a CTranslate2 conversion)"
            if present & {"pytorch_model.bin", "model.safetensors"}
            else "a CTranslate2 model has model.bin, config.json and a vocabulary"
        )
        raise ModelError("not_ct2_model", f"{where} is not a CTranslate2 model: {hint}")
    if not present & set(VOCABULARIES) and not {"source_vocabulary.json", "source_vocabulary.txt"} & present:
        raise ModelError("not_ct2_model", f"{where} has model.bin but no vocabulary file")
    if not (set(SPM_PAIR) <= present or present & set(SPM_SINGLE)):
        raise ModelError(
            "no_tokenizer",
            f"{where} has no SentencePiece model (source.spm/target.spm or sentencepiece.bpe.model): "
            "babelwire tokenizes with SentencePiece",
        )


def guess_kind(path: Path) -> str:
    if (path / SPM_PAIR[0]).is_file():
        return "marian"
    vocabulary = read_vocabulary(path)
    if language_tokens("nllb", vocabulary):
        return "nllb"
    if language_tokens("m2m", vocabulary):
        return "m2m"
    return "marian"


def read_metadata(path: Path) -> dict[str, Any]:
    file = path / METADATA_FILE
    if not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError("bad_model", f"{file} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError("bad_model", f"{file} must hold a JSON object")
    return data


def inspect_model(path: Path) -> InstalledModel:
    """Describe one model directory; raises ModelError when it is not a usable model."""
    if not path.is_dir():
        raise ModelError("not_found", f"no model directory at {path}")
    check_files([child.name for child in path.iterdir()], str(path))
    meta = read_metadata(path)
    kind = str(meta.get("kind") or guess_kind(path))
    if kind not in KINDS:
        raise ModelError(
            "bad_model", f"{path / METADATA_FILE}: unknown kind {kind!r} (known: {', '.join(KINDS)})"
        )
    languages = {str(k): str(v) for k, v in (meta.get("languages") or {}).items()}
    if kind in MULTILINGUAL_KINDS and not languages:
        languages = language_tokens(kind, read_vocabulary(path))
    pairs = [str(pair) for pair in meta.get("pairs") or []] or default_pairs(
        kind, str(meta.get("repo") or path.name)
    )
    size = sum(child.stat().st_size for child in path.iterdir() if child.is_file())
    repo, revision = meta.get("repo"), meta.get("revision")
    return InstalledModel(
        name=path.name, path=path, kind=kind, pairs=tuple(pairs), size=size,
        repo=str(repo) if repo else None, revision=str(revision) if revision else None, languages=languages,
    )  # fmt: skip


def list_models(models_dir: Path) -> list[InstalledModel]:
    """Every usable model under `models_dir`, by name; broken or unrelated folders are skipped."""
    if not models_dir.is_dir():
        return []
    found = []
    for child in sorted(models_dir.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            try:
                found.append(inspect_model(child))
            except (ModelError, OSError, ValueError):
                continue
    return found


def pull_model(
    repo_id: str,
    models_dir: Path,
    *,
    revision: str | None = None,
    endpoint: str | None = None,
    token: str | bool | None = None,
    pairs: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download a CTranslate2 model repository into `models_dir/<owner>--<name>` and describe it.

    The file list is checked before anything is downloaded, so pulling a Transformers
    checkpoint by mistake costs one request, not gigabytes. `endpoint` defaults to
    `HF_ENDPOINT` (read now, not at import time).
    """
    try:
        from huggingface_hub import HfApi, snapshot_download
    except ImportError as exc:
        raise ModelError(
            "not_installed", "pulling models needs huggingface_hub: pip install 'babelwire[neural]'"
        ) from exc
    say = progress or (lambda _message: None)
    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None
    where = f" on {endpoint}" if endpoint else ""
    say(f"resolving {repo_id}{'@' + revision if revision else ''}{where}")
    with _hub_errors(repo_id, revision):
        info = HfApi(endpoint=endpoint, token=token).model_info(repo_id, revision=revision)
    commit = info.sha
    files = [sibling.rfilename for sibling in info.siblings or []]
    check_files(files, repo_id)
    target = models_dir / local_name(repo_id)
    existed = target.exists()
    say(f"downloading {len(files)} files at {str(commit)[:12]} into {target}")
    try:
        with _hub_errors(repo_id, revision):
            snapshot_download(
                repo_id, revision=commit or revision, local_dir=target, cache_dir=models_dir / ".cache",
                endpoint=endpoint, token=token, ignore_patterns=_IGNORED,
            )  # fmt: skip
        write_metadata(target, repo_id, commit, pairs)
        model = inspect_model(target)
    except BaseException:
        if not existed:
            shutil.rmtree(target, ignore_errors=True)
        raise
    say(f"installed {model.name}: {model.kind}, pairs {', '.join(model.pairs) or 'none'}")
    return target


def write_metadata(
    path: Path, repo_id: str | None, revision: str | None, pairs: Sequence[str] | None
) -> None:
    """Record provenance, kind, pairs and language tokens in babelwire.json (kept fields win)."""
    meta = read_metadata(path)
    kind = str(meta.get("kind") or guess_kind(path))
    meta.update({"kind": kind, "repo": repo_id, "revision": revision})
    if pairs:
        meta["pairs"] = list(pairs)
    elif not meta.get("pairs"):
        meta["pairs"] = default_pairs(kind, repo_id or path.name)
    if kind in MULTILINGUAL_KINDS and not meta.get("languages"):
        meta["languages"] = language_tokens(kind, read_vocabulary(path))
    (path / METADATA_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@contextmanager
def _hub_errors(repo_id: str, revision: str | None) -> Iterator[None]:
    """Turn huggingface_hub and network exceptions into ModelErrors a person can act on."""
    try:
        yield
    except ModelError:
        raise
    except Exception as exc:
        raise _hub_error(exc, repo_id, revision) from exc


def _hub_error(exc: Exception, repo: str, revision: str | None) -> ModelError:
    from huggingface_hub import errors

    if isinstance(exc, errors.RevisionNotFoundError):
        return ModelError("revision_not_found", f"{repo} has no revision {revision!r}")
    if isinstance(exc, errors.GatedRepoError):
        return ModelError("gated", f"{repo} is gated: accept its terms on the hub and pass a token")
    if isinstance(exc, errors.RepositoryNotFoundError):
        return ModelError(
            "not_found",
            f"no model repository {repo!r} on the hub (check the name; private repos need a token)",
        )
    if isinstance(exc, errors.OfflineModeIsEnabled):
        return ModelError("offline", "HF_HUB_OFFLINE is set: unset it to pull models")
    if isinstance(exc, errors.HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        if status == 404:
            return ModelError("not_found", f"no model repository {repo!r} on the hub")
        return ModelError("hub_error", f"the hub answered HTTP {status} for {repo}: {exc}")
    if isinstance(exc, errors.LocalEntryNotFoundError | ConnectionError | TimeoutError) or _is_network(exc):
        return ModelError(
            "unreachable", f"cannot reach the model hub for {repo}: {type(exc).__name__}: {exc}"
        )
    return ModelError("hub_error", f"pulling {repo} failed: {type(exc).__name__}: {exc}")


def _is_network(exc: BaseException) -> bool:
    """httpx/httpx2 transport errors, without importing either."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"TransportError", "NetworkError", "TimeoutException"})
