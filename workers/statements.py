"""Candidate statements: the sentences of a post that assert something.

A statement is a sentence (or a sentence joined to the one before it when it only
makes sense with it, e.g. "Apparently that didn't happen so far.") that has a finite
verb, is not a question, greeting, thanks or bare link, and is long enough to carry a
proposition. The decision uses the dependency parse, not word lists about topics, so
it carries over to discussions it has never seen. Statements inside a quotation keep
the quotation's attribution: a quotation set on lines of its own starts and ends
sentences, and a quoted sentence is never joined to the author's own sentences around
it. Text an HN reply quotes from its parent (with or without "> " markers) is dropped:
those are the parent's words and are extracted from the parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from workers.documents import Document, Post
from workers.parse.text import normalise_text
from workers.quotations import repeats, starts_own_line

MIN_TOKENS = 4
MAX_CHARS = 600
# Pronoun subjects that point back at the previous sentence's proposition.
_ANAPHORIC_SUBJECTS = {"that", "this", "it", "which", "these", "those", "they"}
_URL = re.compile(r"https?://\S+")
# English interjections the small tagger sometimes reads as proper nouns ("Wow" after a heading).
_INTERJECTIONS = frozenset({"wow", "oh", "ah", "whoa", "woah", "yay", "ugh", "hmm", "huh", "haha", "lol", "omg", "meh", "ooh"})
# What may follow a quotation to the end of its line (closing marks, punctuation).
_REST_OF_LINE = re.compile(r"[^\w\n]*\n")


@dataclass(frozen=True)
class StatementCandidate:
    post_local_id: str
    text: str
    start: int
    end: int
    quoted: bool = False
    attributed_to: str | None = None


def _is_assertion(sent: Span) -> bool:
    text = sent.text.strip()
    if text.endswith("?"):
        return False
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if len(words) < MIN_TOKENS:
        return False
    if _URL.sub("", text).strip() == "" or sum(1 for t in words if t.like_url) > len(words) / 2:
        return False
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    root = sent.root
    if root.pos_ == "INTJ" or (root.lower_ in ("thanks", "thank") and root.i - sent.start <= 1):
        return False
    # "Wow, finally something new!": an exclamation opened by an interjection, with no main
    # verb, reacts; it does not assert ("Oh, this is a great paper!" still asserts).
    opens_with_interjection = words[0].pos_ == "INTJ" or words[0].lower_ in _INTERJECTIONS
    if text.endswith("!") and opens_with_interjection and root.pos_ not in ("VERB", "AUX"):
        return False
    return True


def _starts_with_anaphora(sent: Span) -> bool:
    for token in sent:
        if token.dep_ in ("nsubj", "nsubjpass", "expl") and token.head == sent.root:
            return token.lower_ in _ANAPHORIC_SUBJECTS and token.i - sent.start <= 2
    return False


def _quotation_of(post: Post, start: int, end: int) -> tuple[bool, str | None]:
    """A sentence is quoted when most of it lies inside a quotation span."""
    for quotation in post.quotations:
        overlap = min(end, quotation.end) - max(start, quotation.start)
        if overlap > 0 and overlap >= 0.5 * (end - start):
            return True, quotation.attributed_to
    return False, None



def _quotation_edges(post: Post) -> set[int]:
    """Offsets of lines where a sentence must start: the edges of quotations set on lines of their own.

    Left alone, the parser can run a block quote and the author's next paragraph into
    one sentence, mixing the quoted voice with the author's.
    """
    text = post.text
    edges: set[int] = set()
    for quotation in post.quotations:
        line_start = starts_own_line(text, quotation.start)
        if line_start is not None:
            edges.add(line_start)
        ends_line = _REST_OF_LINE.match(text, quotation.end)
        if ends_line is not None:
            edges.add(ends_line.end())
    return edges


def _with_quotation_edges(post: Post, nlp: Language) -> Doc:
    """The post tokenised, with sentence starts preset at its quotations' edges (the parser keeps them)."""
    doc = nlp.make_doc(post.text)
    edges = sorted(_quotation_edges(post))
    if not edges:
        return doc
    for token in doc:
        while edges and edges[0] <= token.idx and not token.is_space:
            edges.pop(0)
            token.is_sent_start = True
    return doc


def extract_statements(document: Document, nlp: Language) -> list[StatementCandidate]:
    posts = [post for post in document.posts if not post.deleted and post.text.strip()]
    parents = document.post_by_id()
    result: list[StatementCandidate] = []
    docs = (_with_quotation_edges(post, nlp) for post in posts)
    for post, doc in zip(posts, nlp.pipe(docs, batch_size=32)):
        parent = parents.get(post.parent_id) if post.parent_id else None
        parent_words = normalise_text(parent.text) if parent and parent.text else None
        result.extend(_statements_of_post(post, list(doc.sents), parent_words))
    return result


def _statements_of_post(post: Post, sents: Sequence[Span], parent_words: str | None) -> Iterable[StatementCandidate]:
    """`parent_words`: the parent's text as `normalise_text` makes it; a sentence repeating it
    ("> ...", or `2. "..."` as a rebuttal lists the points it answers) is the parent's."""
    previous: StatementCandidate | None = None
    for sent in sents:
        start, end = sent.start_char, sent.end_char
        text = post.text[start:end].strip()
        if not text or not _is_assertion(sent):
            previous = None
            continue
        if parent_words and repeats(text, parent_words):
            previous = None
            continue
        quoted, attributed_to = _quotation_of(post, start, end)
        # The author's "That is wrong." after a quote answers it (see workers.quotations), so
        # a sentence is joined only to an antecedent in the same voice.
        same_voice = previous is not None and (previous.quoted, previous.attributed_to) == (quoted, attributed_to)
        if previous is not None and same_voice and _starts_with_anaphora(sent) and end - previous.start <= MAX_CHARS:
            # The sentence needs its antecedent: the statement is both sentences.
            joined = StatementCandidate(
                post.local_id, post.text[previous.start : end].strip(), previous.start, end, quoted, attributed_to,
            )
            yield joined
            previous = joined
            continue
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            end = start + len(text)
        candidate = StatementCandidate(post.local_id, text, start, end, quoted, attributed_to)
        yield candidate
        previous = candidate


def reply_lead(text: str, nlp: Language, max_sentences: int = 2, max_chars: int = 300) -> str:
    """The opening of a reply, which carries its agreement or disagreement."""
    doc = nlp(text[: max_chars * 2])
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()][:max_sentences]
    lead = " ".join(sentences)
    return lead[:max_chars]
