"""A BERT sentence encoder (mean pooling, L2 norm) in plain PyTorch, read from a model folder.

Why not sentence-transformers: importing it (and transformers under it) takes 4-5 s
of a 6 s CLI run, and its general-purpose forward pass adds milliseconds of Python to
every call the service makes. A BERT encoder is a dozen tensor operations; this one
reads the same ``config.json``, ``tokenizer.json`` and ``model.safetensors`` and
gives the same vectors (a test checks against sentence-transformers' ``encode``).
Only the plain architecture is accepted (absolute positions, GELU, mean pooling);
anything else raises ``UnsupportedModel`` and the caller falls back to
sentence-transformers. Imported only when MiniLM loads, so torch is imported at the top.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch.nn.functional import gelu, layer_norm, linear, normalize, scaled_dot_product_attention

__all__ = ["BertEncoder", "UnsupportedModel"]


class UnsupportedModel(Exception):
    """The folder holds a model this encoder does not implement exactly."""


def _check_folder(folder: Path) -> dict:
    """Read config.json and check the sentence-transformers modules are BERT -> mean -> normalise."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        reader = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UnsupportedModel(f"cannot read the model folder: {exc}") from None
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    plain = (config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
             and config.get("position_embedding_type", "absolute") == "absolute"
             and kinds == ["Transformer", "Pooling", "Normalize"]
             and modes == {"pooling_mode_mean_tokens"} and not reader.get("do_lower_case")
             and 0 < int(reader.get("max_seq_length", 0)) <= int(config.get("max_position_embeddings", 0))
             and (folder / "tokenizer.json").exists() and (folder / "model.safetensors").exists())
    if not plain:
        raise UnsupportedModel(f"not a plain BERT + mean pooling + normalise model: {kinds}, {sorted(modes)}")
    return {**config, "max_seq_length": int(reader["max_seq_length"])}


class BertEncoder:
    """Tokenise, run BERT, mean-pool over real tokens, normalise: one call per batch."""

    def __init__(self, folder: str | Path) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = _check_folder(folder)
        self.max_tokens = config["max_seq_length"] - 2  # word pieces per text, without [CLS] and [SEP]
        self.counter = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.counter.no_truncation()
        self.counter.no_padding()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_tokens + 2)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

        w = load_file(str(folder / "model.safetensors"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.hidden = int(config["hidden_size"])
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.emb_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            a = p + "attention.self."
            # Query, key and value in one matrix product instead of three.
            qkv_w = torch.cat([w[a + "query.weight"], w[a + "key.weight"], w[a + "value.weight"]])
            qkv_b = torch.cat([w[a + "query.bias"], w[a + "key.bias"], w[a + "value.bias"]])
            self.layers.append((
                qkv_w, qkv_b,
                w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"],
                w[p + "output.dense.weight"], w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))

    def count(self, text: str) -> int:
        """Word pieces in ``text``, without the two markers."""
        return len(self.counter.encode(text, add_special_tokens=False).ids)

    def __call__(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.bool)
        types = torch.tensor([e.type_ids for e in encodings], dtype=torch.long)
        n, length = ids.shape
        with torch.inference_mode():
            x = self.word[ids] + self.position[:length] + self.token_type[types]
            x = layer_norm(x, (self.hidden,), *self.emb_norm, self.eps)
            if bool(mask.all()):  # no padding: every token is real
                x = self._layers(x.view(n * length, self.hidden), n, length, None, None)
                return normalize(x.view(n, length, self.hidden).mean(dim=1), p=2, dim=1).numpy()
            # Texts of different lengths: the per-token layers (three quarters of the work) run on
            # the real tokens only, packed; only attention sees the padded batch, with padding masked.
            real = mask.view(-1).nonzero().squeeze(1)
            x = self._layers(x.view(n * length, self.hidden)[real], n, length, real, mask[:, None, None, :])
            pooled = x.new_zeros(n * length, self.hidden).index_copy_(0, real, x).view(n, length, self.hidden)
            counts = mask.sum(dim=1, keepdim=True).to(x.dtype)
            return normalize(pooled.sum(dim=1) / counts.clamp(min=1e-9), p=2, dim=1).numpy()

    def _layers(self, x, n: int, length: int, real, attend):
        """The encoder layers on ``x`` (tokens x hidden): all n * length tokens, or only ``real`` ones."""
        heads, size, hidden = self.heads, self.hidden // self.heads, self.hidden
        for qkv_w, qkv_b, o_w, o_b, n1_w, n1_b, i_w, i_b, f_w, f_b, n2_w, n2_b in self.layers:
            qkv = linear(x, qkv_w, qkv_b)
            if real is not None:  # back into the padded batch for attention
                qkv = qkv.new_zeros(n * length, 3 * hidden).index_copy_(0, real, qkv)
            q, k, v = qkv.view(n, length, 3, heads, size).permute(2, 0, 3, 1, 4)
            context = scaled_dot_product_attention(q, k, v, attn_mask=attend)
            context = context.transpose(1, 2).reshape(n * length, hidden)
            if real is not None:
                context = context.index_select(0, real)
            x = layer_norm(linear(context, o_w, o_b) + x, (hidden,), n1_w, n1_b, self.eps)
            x = layer_norm(linear(gelu(linear(x, i_w, i_b)), f_w, f_b) + x, (hidden,), n2_w, n2_b, self.eps)
        return x
