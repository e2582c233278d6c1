"""Method and concept mentions: a curated catalogue matched with spaCy's PhraseMatcher.

The catalogue (`workers/data/methods.yaml`) lists ML methods, models, datasets and
concepts with their aliases. `MethodCatalog` compiles it once per process and per
vocabulary into two PhraseMatchers: one on `LOWER` for ordinary phrases ("chain of
thought", "mixture-of-experts") and one on `ORTH` for forms that must keep their case
(acronyms such as "CoT" and "MoE", and capitalised names that are also English words,
such as "Adam" or "Mamba"). Plural and hyphen/space variants are generated here so
that the YAML stays readable. A form of two words or more also matches with one long word
misspelt by one edit ("Lipshitz constant", "Guassian Process"), as discussions write them.

Besides the catalogue, a document can teach us names of its own:

- `define_acronyms` finds "long form (ACRONYM)" definitions (Schwartz & Hearst 2003),
  which `MethodCatalog.find(..., extra_aliases=...)` then matches as aliases;
- `expand_used_acronyms` reads acronyms a text uses but never defines ("RFs") from the
  one noun phrase of the same text that spells them ("random features");
- `introduced_methods` finds the methods a paper introduces ("# Titans - Learning to
  Memorize at Test Time", "The paper presents FSMoE, ...", "introduces Over-Encoding (OE)");
- `named_methods` reads names from the names around them: a coined name before a noun
  that says what it is ("the DiCE estimator"), a prefix on a catalogue name ("SNDCGAN",
  "NotMNIST"), and names listed beside a known dataset or benchmark ("Atari, Super Mario, Pong");
- `workers.terms` finds the recurring technical noun phrases a discussion coins
  ("feature leakage"), kept by their closeness to the catalogue's names (`name_vectors`).

`normalise_aliases` rewrites alias surface forms to canonical names so that a query
and a statement that say "CoT" and "chain of thought" embed alike; given a document's own
acronyms ("spectral normalization (SN)"), it spells those out too.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import spacy
import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from workers.documents import Post
from workers.errors import ConfigurationError
from workers.parse.text import normalise_text

CATALOG_PATH = Path(__file__).parent / "data" / "methods.yaml"
KINDS = frozenset(
    {"architecture", "technique", "training_method", "dataset", "benchmark", "concept", "optimizer", "model"}
)
# A word misspelt by one edit is read as the catalogue's word when it is this long at least
# (shorter words are one edit from other words: "decay" / "delay") and the rest of the form
# matches as written.
MIN_MISSPELT_WORD_CHARS = 6
MAX_MISSPELT_FORM_WORDS = 6
# How many documents' own alias matchers a catalogue keeps (a worker extracts one document at a time).
EXTRA_MATCHERS_KEPT = 8
# spaCy factory names may not contain dots; the versioned id is recorded as the extractor.
COMPONENT_NAME = "claimgraph_methods"
EXTRACTOR = "claimgraph.methods.v1"
INTRODUCED_EXTRACTOR = "claimgraph.methods.introduced.v1"


def method_uid(name: str) -> str:
    """The graph key of the Method node with this canonical name."""
    return "method:" + normalise_text(name)


@dataclass(frozen=True)
class MethodEntry:
    """One catalogue entry: canonical name, kind and declared aliases."""

    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class MethodMention:
    """A method named in a text.

    `name` is the canonical name (catalogue name, or the name a document introduces),
    `alias` the surface text, `start_char`/`end_char` offsets into the text searched
    (-1 when the name was found only in a post's title).
    """

    name: str
    alias: str
    kind: str
    start_char: int
    end_char: int


# ---------------------------------------------------------------------------- variants

def _is_case_sensitive(form: str, declared: frozenset[str]) -> bool:
    if form in declared:
        return True
    if " " in form:
        return False
    uppers = sum(ch.isupper() for ch in form)
    # Acronyms and mixed-case names (CoT, RLHF, xLSTM, GPT-2): lower-casing them yields
    # ordinary words or other acronyms ("cot", "moe"), so match them as written.
    return uppers >= 2 or (uppers >= 1 and any(ch.isdigit() for ch in form))


def plural_form(form: str) -> str | None:
    """The plural of a phrase's last word (None when it already ends in s or is no word)."""
    last = form.split()[-1]
    if not last[-1:].isalpha():
        return None
    if last[-1].isupper() or any(ch.isupper() for ch in last[1:]):
        return form + "s"  # SSM -> SSMs, ResNet -> ResNets
    if last.endswith(("s", "x", "sh", "ch")):
        return None if last.endswith("s") else form + "es"
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        return form[:-1] + "ies"
    return form + "s"


def _variants(form: str, cased: bool) -> set[str]:
    out = {form}
    if "-" in form and not cased:
        out.add(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", form))
    if " " in form and not cased and len(form.split()) <= 4:
        out.add(form.replace(" ", "-"))
    plurals = {plural_form(variant) for variant in out}
    return out | {p for p in plurals if p}


def one_edit_apart(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours turns `a` into `b` (a != b)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


# ---------------------------------------------------------------------------- catalogue

class MethodCatalog:
    """The compiled method catalogue: entries plus PhraseMatchers over one vocab."""

    def __init__(self, entries: Iterable[MethodEntry], nlp: Language, cased: Mapping[str, frozenset[str]]):
        self.nlp = nlp
        self.entries: dict[str, MethodEntry] = {}
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._surface: dict[str, str] = {}  # exact or lower-cased surface form -> canonical name
        self._name_vectors: dict[int, tuple[Any, np.ndarray]] = {}
        # (words of a form with one long word starred) -> [(that word, entry name)], for misspellings
        self._one_word_open: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        # a document's own surface forms -> (matcher, names), see `_extra_matcher`
        self._extra_matchers: dict[tuple[tuple[str, str], ...], tuple[PhraseMatcher, dict[str, str]]] = {}
        for entry in entries:
            self.entries[entry.name] = entry
            declared = cased.get(entry.name, frozenset())
            lower_forms: set[str] = set()
            orth_forms: set[str] = set()
            for form in (entry.name, *entry.aliases):
                is_cased = _is_case_sensitive(form, declared)
                for variant in _variants(form, is_cased):
                    (orth_forms if is_cased else lower_forms).add(variant)
            for variant in orth_forms:
                self._surface.setdefault(variant, entry.name)
            for variant in lower_forms:
                self._surface.setdefault(variant.lower(), entry.name)
            docs = {variant: nlp.make_doc(variant) for variant in lower_forms | orth_forms}
            for doc in docs.values():
                words = tuple(t.lower_ for t in doc)
                for i, word in enumerate(words if len(words) >= 2 else ()):
                    if len(word) >= MIN_MISSPELT_WORD_CHARS and word.isalpha():
                        key = words[:i] + ("*",) + words[i + 1 :]
                        self._one_word_open.setdefault(key, []).append((word, entry.name))
            if lower_forms:
                self._lower.add(entry.name, [docs[v] for v in sorted(lower_forms)])
            if orth_forms:
                self._orth.add(entry.name, [docs[v] for v in sorted(orth_forms)])

    # -- construction

    @classmethod
    def load(cls, nlp: Language | str | Path | None = None, path: str | Path | None = None) -> MethodCatalog:
        """The catalogue for `path` (default: the bundled YAML), compiled once per process
        and per `nlp` (a blank English tokenizer when none is given).

        `MethodCatalog.load(nlp)` and `MethodCatalog.load(path)` both work."""
        if isinstance(nlp, (str, Path)):
            nlp, path = None, nlp
        return _load_cached(str(path or CATALOG_PATH), nlp if nlp is not None else _blank_english())

    @staticmethod
    def read_entries(path: str | Path | None = None) -> tuple[list[MethodEntry], dict[str, frozenset[str]]]:
        """Parse and validate the YAML; raise ConfigurationError on a malformed entry."""
        try:
            raw = yaml.safe_load(Path(path or CATALOG_PATH).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise ConfigurationError(f"cannot read method catalogue {path}: {e}") from e
        if not isinstance(raw, list):
            raise ConfigurationError("method catalogue must be a YAML list")
        entries: list[MethodEntry] = []
        cased: dict[str, frozenset[str]] = {}
        for item in raw:
            if not isinstance(item, dict) or "name" not in item or item.get("kind") not in KINDS:
                raise ConfigurationError(f"bad method catalogue entry: {item!r}")
            name = str(item["name"])
            aliases = tuple(dict.fromkeys(str(a) for a in item.get("aliases") or () if str(a) != name))
            entries.append(MethodEntry(name=name, kind=str(item["kind"]), aliases=aliases))
            cased[name] = frozenset(str(a) for a in item.get("cased") or ())
        return entries, cased

    # -- queries

    def name_vectors(self, encoder: Any) -> np.ndarray:
        """The entries' names embedded by `encoder`, (entries, dims); computed once per encoder."""
        cached = self._name_vectors.get(id(encoder))
        if cached is None or cached[0] is not encoder:
            cached = (encoder, np.asarray(encoder.encode(list(self.entries)), dtype=np.float32))
            self._name_vectors[id(encoder)] = cached
        return cached[1]

    def surface_forms(self) -> Mapping[str, str]:
        """Every surface form the catalogue matches (exact, or lower case) -> canonical name."""
        return self._surface

    def entry(self, name: str) -> MethodEntry | None:
        return self.entries.get(name)

    def canonical(self, surface: str) -> str | None:
        """The canonical name for an exact alias surface form, if the catalogue has it."""
        found = self._surface.get(surface) or self._surface.get(surface.lower())
        if found or _ONE_WORD.fullmatch(surface):
            # a single word can only be a one-word form, and every form is in `_surface`
            return found
        hits = self.find(surface)
        if len(hits) == 1 and hits[0].start_char == 0 and hits[0].end_char == len(surface):
            return hits[0].name
        return None

    def find(self, doc_or_text: Doc | str, extra_aliases: Mapping[str, str] | None = None) -> list[MethodMention]:
        """Method mentions in a text, longest match first where they overlap; forms of two words
        or more also match with one long word misspelt (`_misspelt_spans`).

        `extra_aliases` maps document-specific surface forms (usually acronyms from
        `define_acronyms`) to a long form; a long form that is itself a catalogue alias
        resolves to that entry, otherwise the long form is the method's name.
        """
        if isinstance(doc_or_text, Doc):
            doc = doc_or_text
        else:
            # inline markup left in a text ("<u>AlexNet</u>") hides words from the tokenizer;
            # blank it out with spaces so that offsets stay valid
            doc = self.nlp.make_doc(_MARKUP.sub(lambda m: " " * len(m.group(0)), doc_or_text))
        spans: list[Span] = []
        for matcher in (self._lower, self._orth):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=match_id))
        extra_names: dict[str, str] = {}
        if extra_aliases:
            extra, extra_names = self._extra_matcher(extra_aliases)
            for match_id, start, end in extra(doc):
                spans.append(Span(doc, start, end, label=match_id))
        spans += self._misspelt_spans(doc)
        mentions: list[MethodMention] = []
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            label = span.label_
            if label in extra_names:
                name = extra_names[label]
                kind = self.entries[name].kind if name in self.entries else guess_kind(name)
            else:
                name, kind = label, self.entries[label].kind
            mentions.append(MethodMention(name, span.text, kind, span.start_char, span.end_char))
        return mentions

    def _extra_matcher(self, extra_aliases: Mapping[str, str]) -> tuple[PhraseMatcher, dict[str, str]]:
        """A matcher over a document's own surface forms and the method name each match label
        stands for; built once per set of forms (a document's texts are all matched with the same
        set, one after another), and a few sets are kept."""
        key = tuple(sorted(extra_aliases.items()))
        cached = self._extra_matchers.get(key)
        if cached is not None:
            return cached
        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        names: dict[str, str] = {}
        for alias, long_form in extra_aliases.items():
            target = self.canonical(long_form) or (long_form if _looks_like_name(long_form) else "")
            if not alias.strip() or not target:
                continue
            label = f"extra::{target}"
            names[label] = target
            forms = {alias}
            plural = plural_form(alias)
            if plural:
                forms.add(plural)
            matcher.add(label, [self.nlp.make_doc(f) for f in forms])
        if len(self._extra_matchers) >= EXTRA_MATCHERS_KEPT:
            self._extra_matchers.pop(next(iter(self._extra_matchers)))
        self._extra_matchers[key] = (matcher, names)
        return matcher, names

    def _misspelt_spans(self, doc: Doc) -> list[Span]:
        """Catalogue forms of two words or more written with one long word misspelt by one edit
        ("Lipshitz constant", "Gumble-softmax"); the longest match still wins."""
        words = [t.lower_ for t in doc]
        spans = []
        for start in range(len(doc)):
            for end in range(start + 2, min(len(doc), start + MAX_MISSPELT_FORM_WORDS) + 1):
                window = words[start:end]
                for i, word in enumerate(window):
                    if len(word) < MIN_MISSPELT_WORD_CHARS:
                        continue
                    key = tuple(window[:i]) + ("*",) + tuple(window[i + 1 :])
                    for target, name in self._one_word_open.get(key, ()):
                        if one_edit_apart(word, target):
                            spans.append(Span(doc, start, end, label=name))
        return spans

    def normalise_aliases(self, text: str, extra_aliases: Mapping[str, str] | None = None) -> str:
        """`text` with every catalogue alias replaced by its canonical name, and with the
        document's own acronyms (`extra_aliases`, see `find`) spelled out."""
        mentions = self.find(text, extra_aliases)
        if not mentions:
            return text
        parts: list[str] = []
        cursor = 0
        for m in mentions:
            parts.append(text[cursor:m.start_char])
            parts.append(m.name)
            cursor = m.end_char
        parts.append(text[cursor:])
        return "".join(parts)


_ONE_WORD = re.compile(r"[A-Za-z0-9]+")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>]{0,200})?/?>")


def _looks_like_name(long_form: str) -> bool:
    """A defined long form names a method when its content words are capitalised
    ("Tensor Product Attention"), not when it is an ordinary phrase ("inferior frontal gyrus")."""
    words = [w for w in re.split(r"[\s-]+", long_form) if w and w.lower() not in _FUNCTION_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) * 2 >= len(words) + 1


@functools.lru_cache(maxsize=1)
def _blank_english() -> Language:
    return spacy.blank("en")


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, nlp: Language) -> MethodCatalog:
    entries, cased = MethodCatalog.read_entries(path)
    return MethodCatalog(entries, nlp, cased)


def normalise_aliases(text: str, catalog: MethodCatalog | None = None) -> str:
    """Rewrite alias surface forms to canonical names: "CoT adds depth" ->
    "chain of thought adds depth". Tokenizer-only, so cheap enough for every statement."""
    return (catalog or MethodCatalog.load()).normalise_aliases(text)


# ---------------------------------------------------------------------------- spaCy component

if not Doc.has_extension("methods"):
    Doc.set_extension("methods", default=None)


class MethodsComponent:
    """Pipeline component that stores catalogue mentions on `doc._.methods`."""

    def __init__(self, nlp: Language, catalog_path: str | None):
        self.catalog = MethodCatalog.load(nlp, catalog_path)

    def __call__(self, doc: Doc) -> Doc:
        doc._.methods = self.catalog.find(doc)
        return doc


@Language.factory(COMPONENT_NAME, default_config={"catalog_path": None})
def make_methods_component(nlp: Language, name: str, catalog_path: str | None) -> MethodsComponent:
    return MethodsComponent(nlp, catalog_path)


# ---------------------------------------------------------------------------- acronyms

_ACRONYM_DEF = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-\.&/]{0,10}?)\s*\)")
_WORD = re.compile(r"[A-Za-z0-9][\w'’]*(?:-[\w'’]+)*")
_STOP_BEFORE = re.compile(r"[\.;:!?\(\)\[\]\"“”]")


def _acronym_core(short: str) -> str:
    core = short
    if len(core) > 2 and core.endswith("s") and core[:-1].isupper():
        core = core[:-1]  # VAEs -> VAE
    return core


def _best_long_form(short: str, candidate: str) -> str | None:
    """Schwartz & Hearst: the shortest suffix of `candidate` whose words supply the
    acronym's characters in order, the first one starting a word."""
    letters = [ch.lower() for ch in _acronym_core(short) if ch.isalnum()]
    if len(letters) < 2:
        return None
    text = candidate.lower()
    s_index = len(letters) - 1
    l_index = len(text) - 1
    while s_index >= 0:
        ch = letters[s_index]
        while l_index >= 0 and (
            text[l_index] != ch or (s_index == 0 and l_index > 0 and text[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = text.rfind(" ", 0, l_index + 1) + 1
    long_form = candidate[start:].strip(" ,-")
    words = long_form.split()
    if not words or len(words) > min(len(letters) + 5, len(letters) * 2):
        return None
    if long_form.lower().startswith(("the ", "a ", "an ")):
        long_form = long_form.split(" ", 1)[1]
    # the long form must be more than the acronym spelled out letter by letter
    if len(long_form) <= len(short):
        return None
    return long_form


def define_acronyms(text: str) -> dict[str, str]:
    """Acronyms defined in `text` as "long form (ACR)": {"CD-LM": "Chunk-Distilled Language Modeling"}.

    The acronym must contain a capital letter and its letters must come, in order, from
    the long form's words, the first letter starting the long form (Schwartz & Hearst).
    A plural acronym ("VAEs") is also defined in the singular.
    """
    found: dict[str, str] = {}
    for match in _ACRONYM_DEF.finditer(text):
        short = match.group(1).strip(".-/")
        if not short or not any(ch.isupper() for ch in short) or " " in short:
            continue
        if sum(ch.isalpha() for ch in short) < 2:
            continue
        before = text[max(0, match.start() - 200):match.start()]
        cut = max((m.end() for m in _STOP_BEFORE.finditer(before)), default=0)
        candidate = before[cut:].strip()
        words = candidate.split()
        max_words = min(len(short) + 5, len(short) * 2)
        candidate = " ".join(words[-max_words:])
        long_form = _best_long_form(short, candidate)
        if not long_form:
            continue
        found.setdefault(short, long_form)
        core = _acronym_core(short)
        if core != short:
            found.setdefault(core, long_form)
    return found


_ACRONYM_USE = re.compile(r"(?<![\w-])([A-Z]{2,6})s?(?![\w-])")
# Parts of speech a term of art's words take ("random features", "inverse dynamics features").
_TERM_POS = frozenset({"ADJ", "NOUN", "PROPN"})


def expand_used_acronyms(
    text: str, defined: Mapping[str, str], catalog: MethodCatalog | None = None, nlp: Language | None = None
) -> dict[str, str]:
    """Acronyms a text uses but never defines, spelled out by a phrase the same text uses.

    A reviewer writes "RFs" and "IDFs" for the "random features" and "inverse dynamics
    features" that the paper and the other reviews name in full. An all-capitals token
    used at least twice, neither defined nor known to the catalogue, is read as the one
    phrase of the text whose words start with its letters in order: no function words,
    and, when a parser is given, adjectives and nouns ending in a noun ("define nodal
    connectivities" does not spell "DNC"). Two different such phrases leave it unread.
    """
    uses: dict[str, int] = {}
    for match in _ACRONYM_USE.finditer(text):
        uses[match.group(1)] = uses.get(match.group(1), 0) + 1
    found: dict[str, str] = {}
    for core, count in uses.items():
        if count < 2 or core in defined or core + "s" in defined:
            continue
        if catalog is not None and (catalog.canonical(core) or catalog.canonical(core + "s")):
            continue
        words = r"\s+".join(rf"({letter.lower()}[a-z]+(?:-[a-z]+)*)" for letter in core)
        phrases: dict[str, tuple[str, int]] = {}
        for match in re.finditer(r"(?<![\w-])" + words + r"(?![\w-])", text):
            if any(word in _FUNCTION_WORDS for word in match.groups()):
                continue
            phrase = " ".join(match.groups())
            phrases.setdefault(phrase.rstrip("s"), (phrase, match.start()))
        if len(phrases) != 1:
            continue
        phrase, start = next(iter(phrases.values()))
        if nlp is not None and not _is_term(nlp, text, start, len(core)):
            continue
        found[core] = phrase
        found[core + "s"] = phrase
    return found


def _is_term(nlp: Language, text: str, start: int, n_words: int) -> bool:
    """Do the `n_words` words at `start` read as a noun phrase in the text around them?"""
    window_start = max(0, start - 200)
    doc = nlp(text[window_start : start + 200])
    tokens = [t for t in doc if t.idx >= start - window_start and not t.is_space][:n_words]
    return (len(tokens) == n_words and all(t.pos_ in _TERM_POS for t in tokens)
            and tokens[-1].pos_ in ("NOUN", "PROPN"))


# ---------------------------------------------------------------------------- introduced methods

_NAME_TOKEN = r"[A-Z][\w\.]*(?:-[\w\.]+)*"
_INTRO_VERB = re.compile(
    r"\b(?i:we|the (?:paper|authors|study|work|article)|this (?:paper|work|study|article)|it)"
    r"\s+(?:also\s+)?(?:propose|introduce|present|develop)s?\s+(?i:the\s+|a new\s+|a novel\s+)?"
    r"(" + _NAME_TOKEN + r"(?:\s+" + _NAME_TOKEN + r"){0,4})",
)
_NOVEL_APPOSITION = re.compile(
    r"(?:^|(?<=\.\s))(" + _NAME_TOKEN + r"(?:\s+" + _NAME_TOKEN + r"){0,4})"
    r"(?:\s*\(([A-Za-z][\w\-]{1,10})\))?(?:,\s+an?\s+(?:novel|new)\b|\s+is\s+introduced\b|\s+is\s+proposed\b)",
    re.MULTILINE,
)
_TITLE_NAME = re.compile(r"^\s*([^:]{1,60}?)\s*(?:\s-\s|:\s|\s–\s|\s—\s)")
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "for", "in", "on", "with", "and", "or", "to", "via", "by", "from", "is", "are", "at", "as", "its", "this", "that", "these", "our", "we"]
)


def is_name_token(token: str) -> bool:
    """A token that looks like a coined name: CamelCase, ALLCAPS, or letters with digits."""
    token = token.strip(".,;:()")
    if len(token) < 2 or not token[0].isalnum():
        return False
    inner_upper = any(ch.isupper() for ch in token[1:])
    has_digit = any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token)
    return inner_upper or has_digit


def _title_name(title: str) -> str | None:
    """The short name before " - " or ":" in a paper title ("Titans - Learning to ..." -> "Titans")."""
    match = _TITLE_NAME.match(title)
    if not match:
        return None
    name = match.group(1).strip()
    words = name.split()
    if not words or len(words) > 3 or any(w.lower() in _FUNCTION_WORDS for w in words):
        return None
    if len(words) == 1:
        return name if name[0].isupper() or is_name_token(name) else None
    return name if any(is_name_token(w) for w in words) and all(w[0].isupper() for w in words) else None


# Nouns that name a numbered part of a document ("Table 2", "Appendix B"): after "presents" /
# "introduces" they name no method, and as a section heading they name no paper.
DOCUMENT_PART_WORDS = frozenset(
    ["figure", "fig", "table", "section", "appendix", "algorithm", "equation", "eq", "theorem", "lemma",
     "definition", "proposition", "corollary", "chapter", "part", "step", "example", "experiment", "experiments"]
)
_SENTENCE_END = frozenset(".!?:;")
_LINE_MARKERS = frozenset("-*•#>|")
_OPENERS = frozenset("\"'“‘([")


def _mid_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` continues a sentence rather than beginning one (or a
    line item, or a paragraph): what comes before it, past spaces, opening quotes and
    brackets and at most one line break, is a word or a comma, not the text's start or
    end-of-sentence punctuation."""
    i = start - 1
    newlines = 0
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        newlines += text[i] == "\n"
        i -= 1
    if i < 0 or newlines >= 2:
        return False
    return text[i] not in _SENTENCE_END and text[i] not in _LINE_MARKERS


def _recurring_name(text: str, name: str, cue_start: int) -> bool:
    """A single capitalised word after an introduction cue ("The paper proposes Dreamer,
    ...") is a name when it comes back capitalised in mid-sentence at least twice more;
    an ordinary word capitalised for the occasion ("We propose Two ...") does not, and a
    possessive ("presents Google's ...") names the owner, not the method."""
    if not name[:1].isupper() or name.lower() in DOCUMENT_PART_WORDS:
        return False
    if re.match(r"['’]s\b", text[cue_start + len(name):cue_start + len(name) + 3]):
        return False
    uses = 0
    for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
        if m.start() != cue_start and _mid_sentence(text, m.start()):
            uses += 1
    return uses >= 2


def _trim_name(phrase: str) -> str | None:
    words = phrase.split()
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words.pop()
    if not words:
        return None
    name = " ".join(words).rstrip(".,;:")
    if len(words) == 1 and not is_name_token(name) and len(name) < 3:
        return None
    return name


def guess_kind(name: str) -> str:
    """A plausible catalogue kind for a newly introduced method, from its head word."""
    lowered = name.lower()
    if re.search(r"(optimi[sz]|momentum|sgd|adam)", lowered):
        return "optimizer"
    if re.search(r"(transformer|net\b|network|attention|architecture|autoencoder|layer|model|machine|ssm)", lowered):
        return "architecture"
    if re.search(r"(training|learning|tuning|distillation|parallel)", lowered):
        return "training_method"
    if re.search(r"(bench|eval|arena)", lowered):
        return "benchmark"
    return "technique"


def introduced_methods(
    post: Post, catalog: MethodCatalog | None = None, document_acronyms: Mapping[str, str] | None = None
) -> list[MethodMention]:
    """Methods a paper (the post's own paper, e.g. a newsletter section) introduces.

    Cues: the short name before " - " / ":" in the post's title; "we / the paper
    propose(s) / introduce(s) / present(s) NAME", where NAME is a coined-looking token,
    several capitalised words, or a single capitalised word that the post uses again,
    capitalised in mid-sentence, at least twice; "NAME, a novel ..." / "NAME is
    introduced"; acronyms the text defines and uses again, and those the post uses
    twice that `document_acronyms` spells out (see `expand_used_acronyms`). A name that
    is in the catalogue keeps its catalogue name and kind.
    """
    catalog = catalog or MethodCatalog.load()
    text = post.text or ""
    found: dict[str, MethodMention] = {}

    def add(name: str, start: int, end: int, alias: str | None = None) -> None:
        name = name.strip()
        if not name or len(name) > 80:
            return
        canonical = catalog.canonical(name)
        key = (canonical or name).lower()
        if key in found:
            return
        kind = catalog.entries[canonical].kind if canonical else guess_kind(name)
        found[key] = MethodMention(canonical or name, alias or name, kind, start, end)

    def locate(name: str) -> tuple[int, int]:
        idx = text.find(name)
        return (idx, idx + len(name)) if idx >= 0 else (-1, -1)

    if post.title:
        name = _title_name(post.title)
        if name:
            add(name, *locate(name))

    acronyms = define_acronyms(text)
    for short, long_form in (document_acronyms or {}).items():
        acronyms.setdefault(short, long_form)
    for match in _INTRO_VERB.finditer(text):
        name = _trim_name(match.group(1))
        if name and (is_name_token(name.split()[0]) or len(name.split()) >= 2 or name in acronyms.values()
                     or _recurring_name(text, name, match.start(1))):
            add(name, match.start(1), match.start(1) + len(name))
    for match in _NOVEL_APPOSITION.finditer(text):
        name = _trim_name(match.group(1))
        if name:
            add(name, match.start(1), match.start(1) + len(name))
            if match.group(2):
                acronyms.setdefault(match.group(2), name)

    for short, long_form in acronyms.items():
        uses = len(re.findall(r"(?<![\w-])" + re.escape(short) + r"(?![\w-])", text))
        if uses < 2:  # defined and used again: a term of art in this text
            continue
        canonical = catalog.canonical(long_form) or catalog.canonical(short)
        start, end = locate(long_form)
        if canonical:
            add(canonical, start, end, alias=long_form)
        elif long_form.lower() in found or any(m.name == long_form for m in found.values()):
            continue
        elif is_name_token(short):
            add(long_form, start, end, alias=short)
    return list(found.values())


# ---------------------------------------------------------------------------- names read beside known ones

NAMED_EXTRACTOR = "methods.named.v1"
# A head noun that says what kind of thing the coined name before it is ("the DiCE estimator").
# Not "model": what comes before it is as often the maker ("the OpenAI model") as the model.
KIND_NOUNS = {
    "estimator": "technique", "algorithm": "technique", "method": "technique", "trick": "technique",
    "penalty": "technique", "regularizer": "technique", "regulariser": "technique", "loss": "technique",
    "objective": "technique", "attack": "technique", "defense": "technique", "defence": "technique",
    "dataset": "dataset", "corpus": "dataset", "benchmark": "benchmark", "environment": "benchmark",
    "architecture": "architecture", "network": "architecture", "optimizer": "optimizer",
    "optimiser": "optimizer",
}  # fmt: skip
# Kinds whose members are listed side by side by name ("Atari, Super Mario, Pong").
LISTED_KINDS = frozenset({"dataset", "benchmark", "model", "architecture", "optimizer"})
# A known name this long at least, with two capitals, can carry a prefix ("SNDCGAN", "NotMNIST").
MIN_BASE_NAME_CHARS = 3
_WORD_TOKEN = re.compile(r"(?<![\w\-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9{}]+)?(?![\w\-])")
_LIST_ITEM = r"[A-Z][\w\-\.]*[\w](?: [A-Z][\w\-]*[\w]){0,2}"
_NAME_LIST = re.compile(
    r"(?<![\w\-])(" + _LIST_ITEM + r"(?:, " + _LIST_ITEM + r")+,? (?:and|or) " + _LIST_ITEM
    + r"|" + _LIST_ITEM + r"(?:, " + _LIST_ITEM + r"){2,})(?![\w\-])"
)


def _coined(token: str) -> bool:
    """A coined name in mixed case, with digits, or with a subscript ("DiCE", "T6", "D_det"); not
    an all-capitals abbreviation, which is as often a field or a device ("OOD", "GPU") as a method."""
    if "_" in token:
        return token[0].isalpha()
    return is_name_token(token) and any(ch.islower() for ch in token[1:])


def _prefixed_base(token: str, bases: Mapping[str, str]) -> str | None:
    """The known name a token ends with after a prefix of two letters or more ("SNDCGAN" ->
    "DCGAN", "NotMNIST" -> "MNIST"); a plural ("GANs") is the name itself."""
    for cut in range(2, len(token) - MIN_BASE_NAME_CHARS + 1):
        base = bases.get(token[cut:])
        if base and token[:cut].isalnum():
            return base
    return None


def named_methods(texts: list[str], catalog: MethodCatalog) -> list[tuple[int, MethodMention]]:
    """Methods a document names without defining them, read from the names around them.

    - A coined name before a noun that says what it is: "the DiCE estimator", "the D_det
      dataset" (`KIND_NOUNS`).
    - A prefix on a catalogue name of two capitals or more makes a variant of the same
      kind: "SNDCGAN" (DCGAN), "NotMNIST" (MNIST), "ConvLSTM" (LSTM).
    - Names listed with a catalogue name of a kind that is listed by name (datasets,
      benchmarks, models, architectures, optimisers) are of that kind: in "(e.g., Atari,
      Super Mario, Pong)" Super Mario and Pong are benchmarks like Atari. Names found so
      vouch for the lists they appear in elsewhere in the document.

    Returns (index of the text, mention) pairs; a name the catalogue has is left to it.
    """
    bases = {form: name for form, name in catalog.surface_forms().items()
             if len(form) >= MIN_BASE_NAME_CHARS and sum(ch.isupper() for ch in form) >= 2
             and catalog.entries[name].kind in LISTED_KINDS | {"technique", "training_method"}}
    found: dict[str, tuple[int, MethodMention]] = {}

    def add(index: int, name: str, alias: str, kind: str, start: int) -> None:
        if name.lower() not in found and not catalog.canonical(name):
            found[name.lower()] = (index, MethodMention(name, alias, kind, start, start + len(alias)))

    for index, text in enumerate(texts):
        for match in _WORD_TOKEN.finditer(text):
            token = match.group(0)
            if catalog.canonical(token):
                continue
            following = re.match(r"\s+([a-z]+)\b", text[match.end():])
            word = following.group(1) if following else ""
            noun = word[:-1] if word.endswith("s") and word[:-1] in KIND_NOUNS else word
            if _coined(token) and noun in KIND_NOUNS:
                add(index, token, f"{token} {word}", KIND_NOUNS[noun], match.start())
                continue
            base = _prefixed_base(token, bases)
            if base:
                add(index, token, token, catalog.entries[base].kind, match.start())
    for _ in range(3):  # names found in one list vouch for the next
        before = len(found)
        for index, text in enumerate(texts):
            for match in _NAME_LIST.finditer(text):
                items = re.split(r",? (?:and|or) |, ", match.group(1))
                if any(item.split()[0].lower() in STOP_WORDS or item.split()[0].lower() in DOCUMENT_PART_WORDS
                       for item in items):
                    continue
                kinds = [catalog.entries[c].kind for c in map(catalog.canonical, items) if c]
                kinds += [found[item.lower()][1].kind for item in items if item.lower() in found]
                listed = [kind for kind in kinds if kind in LISTED_KINDS]
                if not listed:
                    continue
                kind = Counter(listed).most_common(1)[0][0]  # a tie goes to the first listed
                for item in items:
                    add(index, item, item, kind, match.start() + match.group(1).find(item))
        if len(found) == before:
            break
    return list(found.values())


def mention_dicts(mentions: Iterable[MethodMention]) -> list[dict[str, Any]]:
    """Plain dicts for serialisation (graph rows, task summaries)."""
    return [m.__dict__.copy() for m in mentions]
