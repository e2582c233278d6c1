"""Terms of art: recurring technical noun phrases a document uses that the catalogue lacks.

A discussion coins and reuses its own vocabulary ("robust features", "feature leakage",
"Gaussian data augmentation", "adversarial squares") that no curated list can hold in
full. A term here is a noun phrase of two to four content words (spaCy's noun chunks
without determiners, pronouns and stop words, ending in a noun) that the document uses
at least `MIN_TERM_USES` times, counted with its head noun singular; it is kept when its
MiniLM embedding is close to some catalogue entry's name (`TERM_SIMILARITY`), which is
what separates "latent dynamics model" from "interesting observation". Phrases led by a
comparative or superlative ("better results") or by a word that rates or counts rather
than names ("new dataset", "main contribution") are not terms.

An ordinal that names an order ("second order analysis") may lead a term; one that counts
("the second experiment") may not.

Terms become Method nodes of kind `concept`; their names are lower case, head singular,
with the surface forms seen (and the plural) as aliases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Token

from workers.methods import plural_form

EXTRACTOR = "methods.term.v1"
KIND = "concept"
MIN_TERM_USES = 2
MIN_TERM_WORDS, MAX_TERM_WORDS = 2, 4
# Chosen on data (blind dev gold): at 0.5 the same gold terms are found with 40% more
# nodes ("general response", "preserving anonymity"); at 0.65 "robust usefulness" and
# "linear feature" are lost.
TERM_SIMILARITY = 0.6
# Modifiers that rate, count or place a thing rather than name a kind of it: general English.
RATING_MODIFIERS = frozenset(
    "new additional other main good bad poor general different certain specific various same similar "
    "several many few own whole entire particular overall interesting important significant major minor "
    "simple possible potential previous recent current original initial final real actual true large small "
    "high low full nice great strong weak clear unclear obvious popular existing multiple limited "
    "extensive".split()
)
ORDER_WORDS = frozenset({"zeroth", "first", "second", "third"})
_CONTENT_POS = frozenset({"ADJ", "NOUN", "PROPN", "VERB"})
_DEGREE_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")


@dataclass(frozen=True)
class Term:
    """A recurring technical phrase: `name` (lower case, head singular), its surface forms
    (lower case) and the posts (by index into the texts given) that use it."""

    name: str
    surfaces: tuple[str, ...]
    post_indices: tuple[int, ...]


def _singular(token: Token) -> str:
    word = token.text.lower()
    if token.tag_ not in ("NNS", "NNPS") or len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith(("ss", "ics", "ices")):  # "loss", "dynamics", "matrices" (no rule gives "matrix")
        return word
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]


def _names_an_order(token: Token) -> bool:
    """An ordinal that names an order of approximation ("second order analysis", "first-order
    method"), a term's modifier, rather than a place in a sequence ("the second experiment")."""
    following = [t for t in token.doc[token.i + 1 : token.i + 3] if t.text != "-"]
    return token.lower_ in ORDER_WORDS and bool(following) and following[0].lower_ == "order"


def candidate_phrases(doc: Doc) -> Iterator[tuple[str, str]]:
    """(key, surface) for each noun chunk that could be a term: key is lower case, head singular."""
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.pos_ not in ("DET", "PRON", "PUNCT") and t.tag_ != "POS"
                 and (not t.is_stop or _names_an_order(t))]
        while words and words[0].pos_ not in _CONTENT_POS:
            words = words[1:]
        if not MIN_TERM_WORDS <= len(words) <= MAX_TERM_WORDS or words[-1].pos_ not in ("NOUN", "PROPN"):
            continue
        if any((t.like_num and not _names_an_order(t)) or not _WORD.fullmatch(t.text)
               or t.tag_ in _DEGREE_TAGS for t in words):
            continue
        if words[0].text.lower() in RATING_MODIFIERS:
            continue
        key = " ".join([t.text.lower() for t in words[:-1]] + [_singular(words[-1])])
        yield key, " ".join(t.text for t in words).lower()


def recurring_terms(
    texts: Sequence[str], nlp: Language, encoder: Any, catalog: Any,
    *, min_uses: int = MIN_TERM_USES, min_similarity: float = TERM_SIMILARITY,
) -> list[Term]:
    """The terms of one document (`texts`: its posts), most used first.

    A phrase the catalogue already names (`catalog.canonical`) is left to the catalogue."""
    uses: Counter[str] = Counter()
    surfaces: dict[str, set[str]] = {}
    posts: dict[str, list[int]] = {}
    for index, doc in enumerate(nlp.pipe(texts)):
        for key, surface in candidate_phrases(doc):
            uses[key] += 1
            surfaces.setdefault(key, set()).add(surface)
            if index not in posts.setdefault(key, []):
                posts[key].append(index)
    keys = [key for key, count in uses.most_common() if count >= min_uses
            and not any(catalog.canonical(form) for form in (key, *surfaces[key]))]
    if not keys:
        return []
    closeness = (encoder.encode(keys) @ catalog.name_vectors(encoder).T).max(axis=1)
    return [Term(key, tuple(sorted(surfaces[key] | {plural_form(key) or key})), tuple(posts[key]))
            for key, score in zip(keys, np.asarray(closeness)) if float(score) >= min_similarity]
