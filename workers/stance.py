"""Stance: does a statement support or dispute a claim, and does a reply agree with its parent.

The classifier is a cross-encoder built on the process's one MiniLM model: the pair
"claim [SEP] statement" runs through MiniLM's frozen lower layers, then through a
fine-tuned copy of its top layer and a logistic head, both shipped in
`workers/data/stance_model.npz` (trained by `workers.train_stance` on public
stance datasets). Encoding the two texts jointly lets attention compare them token
by token, which separate sentence embeddings cannot do.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    import torch

MAX_PAIR_TOKENS = 128


def hidden_states_below_top(
    sentence_transformer: Any, pairs: Sequence[tuple[str, str]], top_layers: int, batch_size: int = 32
) -> list[np.ndarray]:
    """Token states entering the top `top_layers` layers of MiniLM, one (tokens, 384) float16 array a pair."""
    import torch

    tokenizer = sentence_transformer.tokenizer
    bert = sentence_transformer[0].auto_model
    n_layers = len(bert.encoder.layer)
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    out: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float16)] * len(pairs)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            batch = tokenizer(
                [pairs[i][0] for i in chunk],
                [pairs[i][1] for i in chunk],
                truncation="longest_first",
                max_length=MAX_PAIR_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            result = bert(**batch, output_hidden_states=True)
            states = result.hidden_states[n_layers - top_layers].to(torch.float16).numpy()
            lengths = batch["attention_mask"].sum(dim=1).tolist()
            for row, index in enumerate(chunk):
                out[index] = states[row, : lengths[row]].copy()
    return out


LAYER_PARAMS = (
    "q_w", "q_b", "k_w", "k_b", "v_w", "v_b", "ao_w", "ao_b", "ln1_w", "ln1_b",
    "i_w", "i_b", "o_w", "o_b", "ln2_w", "ln2_b",
)  # fmt: skip


def layer_params_from_bert(layer: Any) -> dict[str, np.ndarray]:
    """The weights of one HF BertLayer under the names `bert_layer` uses."""
    modules = {
        "q": layer.attention.self.query,
        "k": layer.attention.self.key,
        "v": layer.attention.self.value,
        "ao": layer.attention.output.dense,
        "i": layer.intermediate.dense,
        "o": layer.output.dense,
    }
    params: dict[str, np.ndarray] = {}
    for short, module in modules.items():
        params[f"{short}_w"] = module.weight.detach().numpy().copy()
        params[f"{short}_b"] = module.bias.detach().numpy().copy()
    for short, norm in (("ln1", layer.attention.output.LayerNorm), ("ln2", layer.output.LayerNorm)):
        params[f"{short}_w"] = norm.weight.detach().numpy().copy()
        params[f"{short}_b"] = norm.bias.detach().numpy().copy()
    return params


def bert_layer(
    hidden: torch.Tensor, mask: torch.Tensor, p: dict[str, torch.Tensor], heads: int = 12, dropout: float = 0.0
) -> torch.Tensor:
    """One BERT encoder layer (post-norm, GELU), written out so that it can be trained and shipped alone."""
    import torch.nn.functional as F

    batch, tokens, dims = hidden.shape
    head_dims = dims // heads

    def split(x: torch.Tensor) -> torch.Tensor:
        return x.view(batch, tokens, heads, head_dims).transpose(1, 2)

    q = split(F.linear(hidden, p["q_w"], p["q_b"]))
    k = split(F.linear(hidden, p["k_w"], p["k_b"]))
    v = split(F.linear(hidden, p["v_w"], p["v_b"]))
    scores = q @ k.transpose(-1, -2) / math.sqrt(head_dims)
    scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
    attention = F.dropout(scores.softmax(dim=-1), dropout, training=dropout > 0)
    context = (attention @ v).transpose(1, 2).reshape(batch, tokens, dims)
    attended = F.layer_norm(
        F.dropout(F.linear(context, p["ao_w"], p["ao_b"]), dropout, training=dropout > 0) + hidden,
        (dims,), p["ln1_w"], p["ln1_b"], eps=1e-12,
    )  # fmt: skip
    inner = F.gelu(F.linear(attended, p["i_w"], p["i_b"]))
    return F.layer_norm(
        F.dropout(F.linear(inner, p["o_w"], p["o_b"]), dropout, training=dropout > 0) + attended,
        (dims,), p["ln2_w"], p["ln2_b"], eps=1e-12,
    )  # fmt: skip


def pad_states(states: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack variable-length token states into (batch, tokens, 384) float32 and a boolean mask."""
    import torch

    width = max(s.shape[0] for s in states)
    hidden = np.zeros((len(states), width, states[0].shape[1]), dtype=np.float32)
    mask = np.zeros((len(states), width), dtype=bool)
    for row, s in enumerate(states):
        hidden[row, : s.shape[0]] = s
        mask[row, : s.shape[0]] = True
    return torch.from_numpy(hidden), torch.from_numpy(mask)


def pool(top: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """[CLS] state beside the masked mean of all token states."""
    import torch

    weights = mask.to(top.dtype).unsqueeze(-1)
    mean = (top * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
    return torch.cat([top[:, 0], mean], dim=-1)
