"""Tiny but real CTranslate2 models, built on the spot: nothing is downloaded.

A SentencePiece model is trained on a few hundred sentences (FLORES dev when it is
there, generated text otherwise), a Transformer spec is filled with small seeded random
weights and saved in the layout the engine loads (Marian/OPUS-MT or NLLB). The output is
gibberish but deterministic, which is all the engine tests and benchmarks need: real
loading, tokenization, batching, threading and caching. Imported by tests and benchmarks.
"""

from __future__ import annotations

import functools
import io
import json
import random
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import transformer_spec

from babelwire.translate.models import NLLB_CODES

FLORES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "flores-dev"
OPUS_MT_SIZE = {"layers": 6, "d_model": 512, "heads": 8, "ffn": 2048, "vocab_size": 32000}
_WORDS = [
    "the", "city", "council", "port", "mayor", "said", "on", "tuesday", "new", "plan", "rain", "wind",
    "el", "la", "los", "ayuntamiento", "puerto", "alcalde", "dijo", "martes", "nuevo", "lluvia", "viento",
    "autobús", "noche", "de", "en", "que", "por", "con", "para", "una", "2024", "3,5", "millones", "euros",
]  # fmt: skip


def corpus_sentences() -> list[str]:
    """Sentences to train SentencePiece on: FLORES dev (eng, spa, cat) if present, else generated."""
    files = sorted(FLORES_DIR.glob("flores.*")) if FLORES_DIR.is_dir() else []
    lines = [line.strip() for path in files for line in path.read_text("utf-8").splitlines()]
    if lines:
        return [line for line in lines if line]
    rng = random.Random(0)
    return [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 25))).capitalize() + "." for _ in range(600)
    ]


@functools.cache
def train_spm(vocab_size: int) -> bytes:
    """A unigram SentencePiece model of exactly `vocab_size` pieces (serialized; cached per process).

    A small corpus cannot yield a 32k vocabulary, so the trained model is padded with
    synthetic pieces that never match real text: sizes then match real OPUS-MT models.
    """
    writer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_sentences()),
        model_writer=writer,
        vocab_size=vocab_size,
        model_type="unigram",
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
    )
    data = writer.getvalue()
    proc = spm.SentencePieceProcessor(model_proto=data)
    have = {proc.id_to_piece(i) for i in range(proc.get_piece_size())}
    extra: list[str] = []
    n = 0
    while len(have) + len(extra) < vocab_size:
        piece = "\u2581zq" + _base26(n)
        n += 1
        if piece not in have:
            extra.append(piece)
    return data + b"".join(_piece_field(piece, -100.0 - i * 1e-3) for i, piece in enumerate(extra))


def build_marian_model(
    directory: str | Path,
    *,
    layers: int | tuple[int, int] = 2,
    d_model: int = 64,
    heads: int = 2,
    ffn: int = 128,
    vocab_size: int = 500,
    seed: int = 0,
    pairs: Sequence[str] = ("es-en",),
    quantization: str | None = None,
    silent: bool = False,
) -> Path:
    """A Marian/OPUS-MT-layout model: shared vocabulary, `source.spm` + `target.spm`.

    The model never emits end-of-sentence, so every output runs to the engine's length
    limit (deterministic, input-dependent length). `silent=True` gives a broken model that
    emits `<s>` then `</s>` (CTranslate2 never ends at the first step): nothing to show.
    """
    model = train_spm(vocab_size)
    favour = {"</s>": 1e4, "<s>": 1e3} if silent else {"</s>": -1e4}
    spec = _transformer(_pieces(model), layers, d_model, heads, ffn, seed, favour, suppress=("<unk>",))
    spec.decoder.start_from_zero_embedding = True
    files = {"source.spm": model, "target.spm": model}
    return _save(spec, directory, quantization, files, {"kind": "marian", "pairs": list(pairs)})


def build_opus_mt_size_model(
    directory: str | Path, *, seed: int = 0, quantization: str | None = "int8"
) -> Path:
    """Same layout with OPUS-MT's dimensions (6+6 layers, d=512, ff=2048, 8 heads, 32k vocab)."""
    return build_marian_model(directory, seed=seed, quantization=quantization, **OPUS_MT_SIZE)  # type: ignore[arg-type]


def build_nllb_model(
    directory: str | Path,
    *,
    layers: int | tuple[int, int] = 2,
    d_model: int = 64,
    heads: int = 2,
    ffn: int = 128,
    vocab_size: int = 500,
    seed: int = 0,
    quantization: str | None = None,
) -> Path:
    """An NLLB-layout multilingual model: one `sentencepiece.bpe.model`, language tokens
    (`eng_Latn`, `spa_Latn`, ...) appended to the vocabulary but unknown to SentencePiece,
    exactly as in converted NLLB models."""
    model = train_spm(vocab_size)
    codes = sorted(set(NLLB_CODES.values()))
    pieces = [*_pieces(model), *codes]
    spec = _transformer(pieces, layers, d_model, heads, ffn, seed, {"</s>": -1e4}, suppress=("<unk>", *codes))
    files = {"sentencepiece.bpe.model": model}
    return _save(spec, directory, quantization, files, {"kind": "nllb", "pairs": ["*"]})


def _transformer(
    vocab: list[str],
    layers: int | tuple[int, int],
    d: int,
    heads: int,
    ffn: int,
    seed: int,
    bias_for: dict[str, float],
    suppress: Sequence[str],
) -> transformer_spec.TransformerSpec:
    """Fill a pre-norm Transformer spec with small seeded weights (shapes as the converters set them)."""
    rng = np.random.default_rng(seed)

    def w(*shape: int, std: float = 0.1) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(d, np.float32)  # type: ignore[attr-defined]
        layer.beta = w(d, std=0.01)  # type: ignore[attr-defined]

    def attention(att: object, self_attention: bool) -> None:
        norm(att.layer_norm)  # type: ignore[attr-defined]
        shapes = [(3 * d, d), (d, d)] if self_attention else [(d, d), (2 * d, d), (d, d)]
        for linear, shape in zip(att.linear, shapes, strict=True):  # type: ignore[attr-defined]
            linear.weight = w(*shape)

    def feed_forward(layer: object) -> None:
        norm(layer.layer_norm)  # type: ignore[attr-defined]
        layer.linear_0.weight = w(ffn, d)  # type: ignore[attr-defined]
        layer.linear_1.weight = w(d, ffn)  # type: ignore[attr-defined]

    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    embeddings = w(len(vocab), d, std=d**-0.5)  # shared by encoder, decoder and projection, as in OPUS-MT
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = w(len(vocab), d, std=d**-0.5)  # untied: tied weights repeat tokens
    bias = np.zeros(len(vocab), np.float32)
    for token in ("<s>", *suppress):
        bias[vocab.index(token)] = -1e4
    for token, value in bias_for.items():
        bias[vocab.index(token)] = value
    spec.decoder.projection.bias = bias
    for stack in (spec.encoder, spec.decoder):
        norm(stack.layer_norm)
        for layer in stack.layer:
            attention(layer.self_attention, True)
            if stack is spec.decoder:
                attention(layer.attention, False)
            feed_forward(layer.ffn)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.decoder_start_token = "</s>"
    return spec


def _save(
    spec: transformer_spec.TransformerSpec,
    directory: str | Path,
    quantization: str | None,
    files: dict[str, bytes],
    metadata: dict[str, object],
) -> Path:
    """Save the model, its tokenizer files and babelwire.json in `directory` (made if missing)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out))
    for name, data in files.items():
        (out / name).write_bytes(data)
    (out / "babelwire.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return out


def _pieces(model: bytes) -> list[str]:
    proc = spm.SentencePieceProcessor(model_proto=model)
    return [proc.id_to_piece(i) for i in range(proc.get_piece_size())]


def _base26(n: int) -> str:
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
        if n == 0:
            return letters


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _piece_field(piece: str, score: float) -> bytes:
    """`ModelProto.pieces` entry (field 1) in protobuf wire format: repeated fields may be appended."""
    text = piece.encode("utf-8")
    body = b"\x0a" + _varint(len(text)) + text + b"\x15" + struct.pack("<f", score) + b"\x18\x01"
    return b"\x0a" + _varint(len(body)) + body
