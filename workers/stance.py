"""Stance: does a statement support or dispute a claim, and does a reply agree with its parent.

The classifier is a cross-encoder built on the process's one MiniLM model: the pair
"claim [SEP] statement" runs through MiniLM's frozen lower layers, then through a
fine-tuned copy of its top three layers (low-rank updates) and a logistic head, both shipped in
`workers/data/stance_model.npz` (the average of four runs of `workers.train_stance` on public
stance datasets, with SNLI entailment/contradiction pairs as a second task that teaches
the layers to read the statement against the claim rather than its own polarity; one of
the four also learnt from negated copies of the debate pairs, at a lower loss weight).
Encoding the two texts jointly lets attention compare them token by token, which
separate sentence embeddings cannot do.
"""

from __future__ import annotations

import functools
import json
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from workers.errors import ConfigurationError

if TYPE_CHECKING:
    import torch
    from spacy.language import Language
    from spacy.tokens import Doc

MAX_PAIR_TOKENS = 128
EXTRACTOR = "stance.xenc.v5"
CUE_EXTRACTOR = "stance.negation.v1"
LOW_RANK_WEIGHTS = ("q_w", "k_w", "v_w", "ao_w", "i_w", "o_w")
# Chosen on data: from 0.8 to 0.7, blind dev stance macro-F1 0.703 -> 0.718, seeds gold unchanged (0.858);
# 0.6 gains more on the seeds but reads close antonyms ("unreliable" / "closely track") as support.
RESTATEMENT_SIMILARITY = 0.7
DEFAULT_MODEL_PATH = Path(__file__).parent / "data" / "stance_model.npz"


def sentence_transformer_of(encoder: Any) -> Any:
    """The SentenceTransformer inside a MiniLM encoder, or None for encoders without one (test fakes)."""
    return getattr(encoder, "sentence_transformer", None)


def length_sorted_pair_batches(
    tokenizer: Any, pairs: Sequence[tuple[str, str]], batch_size: int
) -> Iterator[tuple[list[int], Any]]:
    """(pair indices, tokenised "claim [SEP] statement" batch), shortest pairs first to limit padding."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
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
        yield chunk, batch


def hidden_states_below_top(
    sentence_transformer: Any, pairs: Sequence[tuple[str, str]], top_layers: int, batch_size: int = 32
) -> list[np.ndarray]:
    """Token states entering the top `top_layers` layers of MiniLM, one (tokens, 384) float16 array a pair."""
    import torch

    bert = sentence_transformer[0].auto_model
    n_layers = len(bert.encoder.layer)
    out: list[np.ndarray] = [np.zeros((0, 0), dtype=np.float16)] * len(pairs)
    with torch.inference_mode():
        for chunk, batch in length_sorted_pair_batches(sentence_transformer.tokenizer, pairs, batch_size):
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
    hidden: torch.Tensor,
    mask: torch.Tensor,
    p: dict[str, torch.Tensor],
    heads: int = 12,
    dropout: float = 0.0,
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


@dataclass(frozen=True)
class StancePrediction:
    label: str  # "supports" | "disputes"
    confidence: float  # probability of `label`, in [0.5, 1]
    extractor: str


@dataclass(frozen=True)
class ReplyAgreement:
    label: str  # "agrees" | "disagrees" | "neutral"
    confidence: float


_loaded: dict[tuple[int, str], StanceModel] = {}
_load_lock = threading.Lock()


class StanceModel:
    """(claim, statement) -> supports | disputes, and reply -> agrees | disagrees | neutral.

    Built with `StanceModel.load(encoder)`: one instance per encoder and model file per
    process. With an encoder that has no MiniLM inside (the hashing test fake) it falls
    back to a negation-mismatch rule, marked by its own extractor name.
    """

    def __init__(self, encoder: Any, nlp: Language | None, sentence_transformer: Any, path: Path) -> None:
        self._encoder = encoder
        self._nlp = nlp
        self._sentence_transformer = sentence_transformer
        self._layers: list[dict[str, torch.Tensor]] = []
        self._head_w: torch.Tensor | None = None
        self._head_b = 0.0
        self.meta: dict[str, Any] = {}
        if sentence_transformer is not None:
            self._load_weights(path)
        self.extractor = EXTRACTOR if sentence_transformer is not None else CUE_EXTRACTOR

    @classmethod
    def load(cls, encoder: Any, nlp: Language | None = None, path: Path | None = None) -> StanceModel:
        model_path = Path(path) if path is not None else DEFAULT_MODEL_PATH
        key = (id(encoder), str(model_path))
        with _load_lock:
            model = _loaded.get(key)
            if model is None or model._encoder is not encoder:
                model = cls(encoder, nlp, sentence_transformer_of(encoder), model_path)
                _loaded[key] = model
            elif model._nlp is None and nlp is not None:
                model._nlp = nlp
        return model

    def _load_weights(self, path: Path) -> None:
        import torch

        try:
            with np.load(path) as archive:
                arrays = {name: archive[name] for name in archive.files}
        except (OSError, ValueError) as e:
            raise ConfigurationError(f"cannot read the stance model {path}: {e}") from e
        self.meta = json.loads(str(arrays.pop("meta")))
        top_layers = int(self.meta["config"]["top_layers"])
        bert_layers = self._sentence_transformer[0].auto_model.encoder.layer
        first_trained = len(bert_layers) - top_layers
        for index, layer in enumerate(bert_layers):
            params = {k: torch.from_numpy(v) for k, v in layer_params_from_bert(layer).items()}
            if index >= first_trained:
                prefix = f"layer{index - first_trained}."
                for key in list(params):
                    if prefix + key in arrays:
                        params[key] = torch.from_numpy(arrays[prefix + key].astype(np.float32))
                    elif prefix + key + ".a" in arrays:
                        a = torch.from_numpy(arrays[prefix + key + ".a"].astype(np.float32))
                        b = torch.from_numpy(arrays[prefix + key + ".b"].astype(np.float32))
                        params[key] = params[key] + b @ a
            self._layers.append(params)
        self._head_w = torch.from_numpy(arrays["head_w"].astype(np.float32))
        self._head_b = float(arrays["head_b"][0])

    def support_probabilities(self, pairs: Sequence[tuple[str, str]], batch_size: int = 64) -> np.ndarray:
        """P(statement supports claim) for each pair."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        if self._sentence_transformer is None:
            return np.array([_negation_rule(c, s, self._nlp) for c, s in pairs], dtype=np.float32)
        import torch

        bert = self._sentence_transformer[0].auto_model
        out = np.zeros(len(pairs), dtype=np.float32)
        tokenizer = self._sentence_transformer.tokenizer
        with torch.inference_mode():
            for chunk, batch in length_sorted_pair_batches(tokenizer, pairs, batch_size):
                hidden = bert.embeddings(input_ids=batch["input_ids"], token_type_ids=batch["token_type_ids"])
                mask = batch["attention_mask"].bool()
                for params in self._layers:
                    hidden = bert_layer(hidden, mask, params)
                assert self._head_w is not None
                logits = pool(hidden, mask) @ self._head_w + self._head_b
                out[chunk] = torch.sigmoid(logits).numpy()
        return self._apply_restatement_rule(pairs, out)

    def _apply_restatement_rule(self, pairs: Sequence[tuple[str, str]], p: np.ndarray) -> np.ndarray:
        """A statement that restates the claim supports it; restated with the negation flipped, disputes it.

        The debate data the model learnt from never pairs a claim with its own restatement,
        and the model misreads close paraphrases of technical claims, so a statement this
        close (cosine >= RESTATEMENT_SIMILARITY) leans on whether one side is negated.
        """
        texts = sorted({t for pair in pairs for t in pair})
        index = {t: i for i, t in enumerate(texts)}
        vectors = self._encoder.encode(texts)
        negated = {t: _negation_count(t, self._nlp) > 0 for t in texts}
        out = p.copy()
        for row, (claim, statement) in enumerate(pairs):
            similarity = float(vectors[index[claim]] @ vectors[index[statement]])
            if similarity < RESTATEMENT_SIMILARITY:
                continue
            if negated[claim] == negated[statement]:
                # Pulled toward supports, not forced: "X is bad" restates "X is good" closely too.
                out[row] = max(out[row], (out[row] + similarity) / 2)
            else:
                out[row] = min(out[row], 1.0 - similarity)
        return out

    def predict(self, pairs: Sequence[tuple[str, str]], dispute_prior: float = 0.5) -> list[StancePrediction]:
        """Label each (claim, statement) pair.

        `dispute_prior` is the share of disputes expected where the pairs come from; the
        model's probabilities (trained on balanced data) are re-weighted to it by Bayes'
        rule, so with 0.2 a statement is called disputing only when P(supports) < 0.2.
        """
        predictions = []
        for p in reweight_to_prior(self.support_probabilities(pairs), dispute_prior):
            label, confidence = ("supports", float(p)) if p >= 0.5 else ("disputes", 1.0 - float(p))
            predictions.append(StancePrediction(label, round(confidence, 4), self.extractor))
        return predictions

    def classify_reply(self, parent_text: str, reply_text: str) -> ReplyAgreement:
        """Does a reply agree with the post it answers?

        First the reply's opening discourse marker ("Agreed", "Exactly", "Good point",
        "I disagree", "Not really", "This is wrong"); without one, a longer reply that
        makes an assertion is compared with the parent sentence it is closest to: it
        disagrees when its first sentence denies in the first person ("We do not believe
        our models are underfit") and is on the parent's topic, or when the model reads
        a confident contradiction. Agreement is taken from the reply's own
        words only: agreeing replies say so ("Agreed", "Good advice"), while an unmarked
        reply on the same topic usually adds, qualifies or answers, and the model reads
        shared words as support ("Standardized tools are a good thing" under "It's sad
        that papers are so standardized"). Questions, thanks and tangents are neutral.
        """
        reply = _strip_quoted_lines(reply_text)
        sentences = _sentences(reply, self._nlp)
        if not sentences:
            return ReplyAgreement("neutral", 0.5)
        opening = _opening(sentences[0])
        agree = _AGREE_OPENING.match(opening)
        disagree = _DISAGREE_OPENING.match(opening)
        if agree and not disagree:
            # "Agreed, but ..." concedes and then objects: no clear side.
            if _CONTRAST.search(opening[agree.end() :]):
                return ReplyAgreement("neutral", 0.5)
            return ReplyAgreement("agrees", 0.9)
        if disagree:
            return ReplyAgreement("disagrees", 0.9)
        assertions = [s for s in sentences if not s.rstrip().endswith("?")]
        if not assertions or _THANKS_OPENING.match(opening) or len(" ".join(assertions).split()) < 6:
            return ReplyAgreement("neutral", 0.5)
        parent_sentences = [
            s for s in _sentences(_strip_quoted_lines(parent_text), self._nlp) if not s.endswith("?")
        ]
        if not parent_sentences:
            return ReplyAgreement("neutral", 0.5)
        reply_assertion = " ".join(assertions[:2])
        vectors = self._encoder.encode([sentences[0], reply_assertion, *parent_sentences])
        # A denial counts when what it denies is on the parent's topic.
        if denies_in_first_person(sentences[0], self._nlp) and max(vectors[2:] @ vectors[0]) >= REPLY_MIN_SIMILARITY:
            return ReplyAgreement("disagrees", DENIAL_CONFIDENCE)
        similarities = vectors[2:] @ vectors[1]
        closest = int(np.argmax(similarities))
        if similarities[closest] < REPLY_MIN_SIMILARITY:
            return ReplyAgreement("neutral", 0.5)
        p = float(self.support_probabilities([(parent_sentences[closest], reply_assertion)])[0])
        if p <= REPLY_MAX_SUPPORT_PROBABILITY:
            return ReplyAgreement("disagrees", round((1.0 - p) * REPLY_MODEL_DISCOUNT, 4))
        return ReplyAgreement("neutral", 0.5)


# A thinking or saying verb ("believe", "see how", "claim"), negated, with "I" or "we" as
# its subject, opens a denial of what the parent says. Closed English classes, compared
# by stem because the pipeline has no lemmatizer.
_DENYING_VERBS = ("think", "believe", "agree", "see", "buy", "accept", "say", "claim", "suggest", "argue")
_FIRST_PERSON_SUBJECTS = frozenset({"i", "we"})
DENIAL_CONFIDENCE = 0.8


@functools.cache
def _denying_verb_stems() -> frozenset[str]:
    from workers.nlp import stem

    return frozenset(stem(verb) for verb in _DENYING_VERBS)


def denies_in_first_person(sentence: str, nlp: Language | None) -> bool:
    """Does the sentence deny in the speaker's own voice ("We do not believe X", "I don't see
    how X", "We are not claiming X")? Without a parser, no sentence does."""
    if nlp is None or not sentence.strip():
        return False
    from workers.nlp import stem

    root = next(iter(nlp(sentence).sents)).root
    children = list(root.children)
    return (
        stem(root.text) in _denying_verb_stems()
        and any(child.dep_ == "neg" for child in children)
        and any(child.dep_ == "nsubj" and child.lower_ in _FIRST_PERSON_SUBJECTS for child in children)
    )


def reweight_to_prior(p_supports: np.ndarray, dispute_prior: float) -> np.ndarray:
    """P(supports) from a model trained with balanced classes, moved to a class prior of
    `dispute_prior` disputes (Bayes' rule on the odds)."""
    if not 0.0 < dispute_prior < 1.0:
        raise ValueError(f"dispute_prior must lie strictly between 0 and 1, not {dispute_prior}")
    p = np.clip(np.asarray(p_supports, dtype=np.float64), 1e-6, 1 - 1e-6)
    supports = p * (1.0 - dispute_prior)
    return (supports / (supports + (1.0 - p) * dispute_prior)).astype(np.float32)


# A model-read disagreement must be clear-cut (P(supports) at most this) and on topic;
# its confidence is discounted below the explicit-marker value because the model was
# trained on debate perspectives, not on conversational replies.
REPLY_MIN_SIMILARITY = 0.35
REPLY_MAX_SUPPORT_PROBABILITY = 0.1
REPLY_MODEL_DISCOUNT = 0.8

# Common English discourse markers that open an agreeing or disagreeing reply.
# One-word markers count only when they stand alone ("Exactly." / "Exactly, ..."),
# not when they start a longer phrase ("Exactly how ...", "This paper ...").
_END = r"(?=\s*(?:[.,;:!\-]|$))"
_AGREE_OPENING = re.compile(
    r"^(?:"
    r"(?:(?:i|we)\s+)?(?:(?:completely|totally|fully|strongly|absolutely|wholeheartedly|indeed|do)\s+)?(?:agree|agreed)\b"
    r"|(?:(?:i|we)\s+)?(?:could ?n[o']t|can ?n[o']t) agree more"
    r"|(?:exactly|precisely|absolutely|definitely|indeed|yes|yep|yup|yeah|yea|true|correct|right|"
    r"same|this|totally|seconded|bingo|ditto|agreed|\+1|100%|for sure|of course|good|great|nice)"
    + _END
    + r"|(?:so|very|quite|how|that's|that is|this is|it's|it is)\s+(?:so\s+)?(?:true|right|correct)\b"
    r"|(?:this|that)(?:'s| is) (?:exactly|precisely) (?:it|right)\b"
    # "Good point", "This is an accurate summary", "That's a fair assessment"
    r"|(?:(?:this|that|it)(?:'s| is) (?:a |an )?)?(?:very |really |such a |quite )?"
    r"(?:good|great|excellent|fair|valid|solid|sound|nice|accurate|correct|reasonable|astute) "
    r"(?:advice|point|points|call|take|summary|tip|idea|observation|assessment|description|characteri[sz]ation"
    r"|reading|concern|criticism|critique)\b"
    # "You raise a valid concern", "The reviewer makes a fair point"
    r"|(?:you|the (?:reviewer|commenter|comment|author)s?|this (?:reviewer|commenter|comment)) "
    r"(?:raise[sd]?|make[sd]?|ha[sd]|bring[s]? up) (?:a |an |some )?(?:very |really )?"
    r"(?:good|great|excellent|fair|valid|astute) (?:point|points|concern|concerns|observation|criticism)\b"
    r"|well (?:said|put)\b|spot on\b|same here\b|same with me\b|no doubt\b|no question\b|makes sense\b"
    r"|(?:i )?think so too\b|i second this\b|you(?:'re| are) (?:absolutely |completely |so )?right\b"
    r")",
    re.IGNORECASE,
)
_DISAGREE_OPENING = re.compile(
    r"^(?:"
    r"(?:(?:i|we)\s+)?(?:(?:again|still|would|must|have to|completely|totally|strongly|respectfully|kind of|somewhat)\s+){0,3}"
    r"disagree\b"
    r"|(?:i|we) (?:do not|don't|cannot|can't) agree\b|(?:i|we) beg to differ\b|on the contrary\b|counterpoint\b"
    r"|(?:no|nope|nah|wrong|false|incorrect|nonsense|hardly|untrue)"
    + _END
    + r"|not (?:really|quite|exactly|true|necessarily|so|at all|in my experience)\b"
    r"|(?:i|we) (?:do not|don't) think so\b|(?:i |we )?doubt (?:it|that)\b|(?:i'm|i am|we're|we are) not (?:so )?(?:sure|convinced)\b"
    r"|not (?:so )?(?:sure|convinced)\b"
    r"|(?:i|we) (?:do not|don't) think (?:that(?:'s| is)|this is|it(?:'s| is)) (?:true|right|correct|the case)\b"
    r"|(?:this|that|it)(?:'s| is) (?:just |simply |completely |totally |plainly |plain |flat out |dead )?"
    r"(?:wrong|incorrect|false|untrue|nonsense|misleading|not true|not right|not correct|not the case|not how)\b"
    r"|(?:this|that|it) (?:isn't|is not|wasn't|was not) (?:true|right|correct|the case|how)\b"
    r"|you(?:'re| are) (?:wrong|mistaken|incorrect)\b|citation needed\b"
    r")",
    re.IGNORECASE,
)
_THANKS_OPENING = re.compile(r"^(?:thanks|thank you|thx|cheers|ty)\b", re.IGNORECASE)
_CONTRAST_WORDS = ("but", "however", "though", "although", "yet")
_CONTRAST = re.compile(r"\b(?:%s|except)\b" % "|".join(_CONTRAST_WORDS), re.IGNORECASE)
# A sentence that turns against what came before it: "But ...", "Still, ...", "On the other hand, ...".
_CONTRAST_OPENING = re.compile(
    r"\W*(?:%s|still|nevertheless|nonetheless|on the other hand|in contrast|by contrast|conversely|on the contrary"
    r"|that said|having said that|even so)\b" % "|".join(_CONTRAST_WORDS), re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_NEGATION_WORDS = frozenset(
    {"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "nowhere", "cannot"}
)
_NEGATION_TOKEN = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|neither|nor|nowhere|cannot)\b|n't\b", re.IGNORECASE
)


def _strip_quoted_lines(text: str) -> str:
    """Drop lines quoting the parent ("> ...") so the reply's own words are judged."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">")).strip()


def _sentences(text: str, nlp: Language | None) -> list[str]:
    text = " ".join(text.split())
    if not text:
        return []
    if nlp is not None:
        return [s.text.strip() for s in nlp(text).sents if s.text.strip()]
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _opening(sentence: str) -> str:
    """The sentence lower-cased, curly quotes made plain, leading "@name", answer label and punctuation removed."""
    opening = sentence.replace("\u2019", "'").replace("\u2018", "'").lower()
    opening = re.sub(r"^(?:@\w+[,:]?\s*)", "", opening)
    # A rebuttal's answer label: "[A] ...", "A: ...", "Response: ...", "=> ...".
    opening = re.sub(r"^(?:\[\w{1,3}\]|(?:a|answer|response|reply|re)\s*:|=>|->)\s*", "", opening)
    return re.sub(r"^[\s\"'(\[*_-]+", "", opening)


def acknowledges(text: str) -> bool:
    """Does the text open by thanking or agreeing ("Thank you, fixed.", "Correct, our ...", "Good point")?"""
    opening = _opening(text)
    return bool(_THANKS_OPENING.match(opening) or _AGREE_OPENING.match(opening))


def opens_with_contrast(text: str) -> bool:
    """Does the sentence open by turning against what was said before it ("But ...", "However, ...")?"""
    return _CONTRAST_OPENING.match(text) is not None


def last_sentence(text: str, nlp: Language | None) -> str:
    """The last sentence of the text ("" for blank text or without a parser)."""
    if nlp is None or not text.strip():
        return ""
    return list(nlp(text.strip()).sents)[-1].text.strip()


def turns_against(sentence: str, sentence_before: str, nlp: Language | None) -> bool:
    """Does the sentence argue against the point of the sentence just before it ("However, the issue
    still exists in Dreamer" after "The paper attempts to solve this issue by ...")? It must open
    with a contrast, and the sentence it follows must not be a critique itself: after "The key
    limitation is that ...", "But overall, this is an important result" turns back to the work's
    side. Without a parser, or with nothing before it, no sentence does."""
    if nlp is None or not sentence_before.strip() or not opens_with_contrast(sentence):
        return False
    from workers.statements import frames_critique

    return not frames_critique(next(iter(nlp(sentence_before.strip()).sents)))


def negates(text: str, nlp: Language | None) -> bool:
    """Does the text carry a negation ("o1 does not reason", "no gains")?"""
    return _negation_count(text, nlp) > 0


def _negation_count(text: str, nlp: Language | None) -> int:
    """Negations of the clause: `neg` dependents and negative determiners/quantifiers."""
    if nlp is None:
        return len(_NEGATION_TOKEN.findall(text))
    return sum(1 for token in nlp(text) if token.dep_ == "neg" or token.lower_ in _NEGATION_WORDS)


def _negation_rule(claim: str, statement: str, nlp: Language | None) -> float:
    """Fallback without MiniLM: a statement negated where the claim is not (or vice versa) disputes it."""
    mismatch = (_negation_count(claim, nlp) % 2) != (_negation_count(statement, nlp) % 2)
    return 0.4 if mismatch else 0.6


# Negation turned round in a sentence's main clause: the trainer's negated variants of debate pairs,
# and the affirmed form of a query that negates (`affirmed_main_clause`).
_CONTRACTED_AUXILIARIES = {"ca": "can", "wo": "will", "sha": "shall"}
_DO_SUPPORT = {"VBZ": "does", "VBP": "do", "VBD": "did"}
_OTHER_NEGATORS = frozenset({"no", "never", "nothing", "nobody", "none", "neither", "nor", "without"})


def negate_main_clause(doc: Doc) -> str | None:
    """The sentence with its main clause's polarity turned round ("X should be banned" <-> "X should not
    be banned", "X harms Y" -> "X does not harm Y"), or None where a single main-clause negation cannot say
    it (several sentences, questions, other negators such as "never" or "no")."""
    sentences = list(doc.sents)
    if len(sentences) != 1 or doc.text.rstrip().endswith("?"):
        return None
    if any(token.lower_ in _OTHER_NEGATORS for token in doc):
        return None
    root = sentences[0].root
    if any(child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") for child in root.children):
        return None  # "X leads to Y and should be banned": one negation would turn round one half
    words = [token.text_with_ws for token in doc]
    negations = [child for child in root.children if child.dep_ == "neg"]
    if negations:
        negation = negations[0]
        if negation.lower_ not in ("not", "n't"):
            return None
        before = doc[negation.i - 1] if negation.i > 0 else None
        if negation.lower_ == "n't" and before is not None:
            words[before.i] = _CONTRACTED_AUXILIARIES.get(before.lower_, before.text) + negation.whitespace_
        elif before is not None and before.lower_ == "can" and not before.whitespace_:  # "cannot"
            words[before.i] = before.text + negation.whitespace_
        words[negation.i] = ""
        return "".join(words)
    auxiliaries = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
    if auxiliaries:
        first = min(auxiliaries, key=lambda token: token.i)
        words[first.i] = first.text + " not" + first.whitespace_
    elif root.lemma_ == "be" or root.pos_ == "AUX":
        words[root.i] = root.text + " not" + root.whitespace_
    elif root.pos_ == "VERB" and root.tag_ in _DO_SUPPORT and root.lemma_:
        auxiliary = _DO_SUPPORT[root.tag_]
        if root.i == sentences[0].start:  # "Harms teens." -> "Does not harm teens."
            auxiliary = auxiliary.capitalize()
        words[root.i] = f"{auxiliary} not {root.lemma_}{root.whitespace_}"
    else:
        return None
    return "".join(words)


def affirmed_main_clause(text: str, nlp: Language | None) -> str | None:
    """The text with its main clause's "not" removed ("Dreamer is not novel" -> "Dreamer is novel"),
    or None when its main clause is not negated that way (a negation inside a subordinate clause, "no",
    "never", several sentences, no parser)."""
    if nlp is None:
        return None
    doc = nlp(text)
    root = next(iter(doc.sents)).root
    if not any(child.dep_ == "neg" and child.lower_ in ("not", "n't") for child in root.children):
        return None
    return negate_main_clause(doc)


def opposite_stance(stance: str) -> str:
    """"disputes" for "supports", and "supports" for "disputes"."""
    return "disputes" if stance == "supports" else "supports"


def propagate_reply_stance(parent_stance: str, agreement: str) -> str | None:
    """The stance a reply takes toward its parent's claim: agreeing keeps it, disagreeing flips it.

    Applied link by link down a reply chain, so "disagrees with a reply that disagrees
    with a supporter" comes out as supports.
    """
    if parent_stance not in ("supports", "disputes"):
        return None
    if agreement == "agrees":
        return parent_stance
    if agreement == "disagrees":
        return opposite_stance(parent_stance)
    return None


def eval_stance(
    encoder: Any,
    nlp: Language | None,
    datasets_dir: Path,
    *,
    limit: int | None = None,
    path: Path | None = None,
) -> dict[str, dict[str, float]]:
    """Accuracy and macro-F1 on the TEST splits of Perspectrum and IBM Claim Stance (`limit`: first n pairs)."""
    from sklearn.metrics import accuracy_score, f1_score

    from workers.train_stance import load_ibm_claim_stance, load_perspectrum

    model = StanceModel.load(encoder, nlp, path)
    scores: dict[str, dict[str, float]] = {}
    for name, loader in (("perspectrum", load_perspectrum), ("ibm_claim_stance", load_ibm_claim_stance)):
        examples = loader(Path(datasets_dir), "test")[:limit]
        gold = [e.label for e in examples]
        predicted = [
            int(p.label == "supports") for p in model.predict([(e.claim, e.statement) for e in examples])
        ]
        scores[name] = {
            "accuracy": round(float(accuracy_score(gold, predicted)), 4),
            "macro_f1": round(float(f1_score(gold, predicted, average="macro", zero_division=0)), 4),
            "n": len(examples),
        }
    return scores
