"""Candidate statements: the sentences of a post that assert something.

A statement is a sentence (or a sentence joined to the one before it when it only
makes sense with it, e.g. "Apparently that didn't happen so far.") that has a finite
verb, is not a question, greeting, thanks or bare link, nor only the writers telling what
they change in their document ("We will add this to the appendix."), nor only the work
telling what it is about ("The paper proposes Dreamer, a model-based RL method."), and is long enough
to carry a proposition. The decision uses the dependency parse, not word lists about topics, so
it carries over to discussions it has never seen. Statements inside a quotation keep
the quotation's attribution: a quotation set on lines of its own starts and ends
sentences, and a quoted sentence is never joined to the author's own sentences around
it. Text an HN reply quotes from its parent (with or without "> " markers) is dropped:
those are the parent's words and are extracted from the parent.

Each statement also carries its frame, read from the parse: a critique of the work
("Potential critiques include ...", "The main weakness is ...", an item after a
review's "Cons:" label, and a "Furthermore, ..." that continues one), a finding it
reports ("Results demonstrate ...", "The core assertion is that ..."), or neither.
A review's labelled lists ("Cons: - Lack of X - Lack of Y") are split into their
items, which count as statements without a verb: the label is their predicate.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Iterable, Literal, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from workers.documents import Document, Post
from workers.nlp import stem
from workers.parse.text import normalise_text
from workers.quotations import repeats, starts_own_line

MIN_TOKENS = 4
# An item of a labelled list ("Cons: - Lack of novelty") needs fewer words: the label is its predicate.
MIN_LIST_ITEM_TOKENS = 3
MAX_CHARS = 600
# How much of the paragraph before a statement is kept as its context.
CONTEXT_CHARS = 300
# Words that point back at something said before: the sentence needs that as context.
_REFERRING_PRONOUNS = frozenset({"it", "they", "them"})
_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# Pronoun subjects that point back at the previous sentence's proposition.
_ANAPHORIC_SUBJECTS = (_REFERRING_PRONOUNS - {"them"}) | _DEMONSTRATIVES | {"which"}
_URL = re.compile(r"https?://\S+")
# English interjections the small tagger sometimes reads as proper nouns ("Wow" after a heading).
_INTERJECTIONS = frozenset({"wow", "oh", "ah", "whoa", "woah", "yay", "ugh", "hmm", "huh", "haha", "lol", "omg", "meh", "ooh"})
# What may follow a quotation to the end of its line (closing marks, punctuation).
_REST_OF_LINE = re.compile(r"[^\w\n]*\n")


Frame = Literal["critique", "finding"]

# The section labels of review forms and paper summaries, a closed class of English nouns:
# what follows "Cons:" criticises the work, what follows "Pros:" praises it.
_CRITIQUE_LABELS = frozenset({
    "cons", "weaknesses", "weakness", "weak points", "limitations", "limitation", "concerns", "concern",
    "criticisms", "criticism", "critiques", "critique", "drawbacks", "shortcomings", "disadvantages",
    "negatives", "negative points", "potential critiques", "issues",
})  # fmt: skip
_PRAISE_LABELS = frozenset({
    "pros", "strengths", "strength", "strong points", "advantages", "positives", "positive points",
})  # fmt: skip
_LABEL = re.compile(r"\s*(?P<label>[A-Za-z][A-Za-z ]{1,24}?)\s*:(?!//)\s*")
# Bullets of a list, also when flattening put its items on one line ("- a - b").
_BULLET = re.compile(r"(?:^|(?<=\s))(?:[-*\u2022]|\d{1,2}[.)])(?=\s)")
# Nouns that, as a sentence's subject or predicate noun, make it a critique of the work.
_CRITIQUE_NOUNS = frozenset(stem(word) for word in {
    "critique", "criticism", "limitation", "weakness", "drawback", "shortcoming", "caveat", "downside",
    "flaw", "concern",
})  # fmt: skip
# Sentence openers that add to what the previous sentence said.
_ADDITIVE_OPENERS = ("furthermore", "moreover", "additionally", "in addition", "also", "further,")
# Verbs that report what a work shows or claims, and nouns that name a proposition.
_REPORTING_VERBS = frozenset(stem(word) for word in {
    "show", "demonstrate", "find", "prove", "claim", "argue", "suggest", "propose", "present", "introduce",
    "report", "reveal", "establish", "indicate", "achieve", "outperform", "improve", "display", "observe",
    "conclude", "confirm", "highlight", "provide", "offer", "enable", "yield",
})  # fmt: skip
_PROPOSITION_NOUNS = frozenset(stem(word) for word in {
    "assertion", "claim", "result", "finding", "conclusion", "contribution", "hypothesis", "thesis", "argument",
})  # fmt: skip
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# "We will add this to the appendix", "We have fixed the spacing in the latest draft": the
# writers telling what they change in their document, which is talk about the text, not a claim.
_EDITING_VERBS = frozenset(stem(word) for word in {
    "add", "include", "clarify", "revise", "update", "fix", "correct", "incorporate", "mention", "cite",
    "move", "expand", "rewrite", "rephrase", "remove", "edit", "modify", "discuss", "elaborate", "explain",
    "amend", "reorganize", "restructure", "shorten", "polish", "rename", "reword", "adjust",
})  # fmt: skip
_DOCUMENT_NOUNS = frozenset(stem(word) for word in {
    "paper", "draft", "manuscript", "version", "revision", "appendix", "supplementary", "supplement",
    "section", "caption", "figure", "table", "text", "footnote", "introduction", "conclusion", "work",
    "submission", "discussion", "camera-ready",
})  # fmt: skip
# "The paper studies several techniques for training GANs", "The authors propose Dreamer, a
# model-based RL method": the work telling what it is about, which is a summary, not a claim.
_TOPIC_VERBS = frozenset(stem(word) for word in {
    "propose", "present", "introduce", "study", "describe", "consider", "investigate", "explore", "examine",
    "address", "tackle", "focus", "develop", "extend", "apply", "analyze", "analyse", "revisit", "evaluate",
    "compare", "define", "formulate",
})  # fmt: skip
_WORK_NOUNS = frozenset(stem(word) for word in {
    "paper", "work", "study", "article", "submission", "manuscript", "preprint", "author",
})  # fmt: skip
# Words that judge what the work does: with one of them the summary is also an evaluation.
_JUDGING_WORDS = frozenset({
    "novel", "original", "effective", "efficient", "interesting", "important", "significant", "strong", "weak",
    "simple", "elegant", "good", "bad", "poor", "limited", "useful", "impressive", "promising", "incremental",
    "convincing", "unconvincing", "clear", "unclear", "sound", "solid", "principled", "naive", "trivial",
    "well", "nicely", "successfully", "carefully", "thoroughly", "properly", "correctly",
})  # fmt: skip
# Dependents that carry a proposition of their own ("Stating lower is better is a good idea, we will add this").
_PROPOSITION_CLAUSES = frozenset({"ccomp", "advcl", "csubj", "xcomp", "parataxis", "conj"})


@dataclass(frozen=True)
class StatementCandidate:
    post_local_id: str
    text: str
    start: int
    end: int
    quoted: bool = False
    attributed_to: str | None = None
    frame: Frame | None = None
    # When it refers back ("it", "such features", "that aspect"), the sentences of its paragraph
    # just before it (at most CONTEXT_CHARS); else, and for a paragraph's first sentence, empty.
    context: str = ""


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
    return not _tells_an_edit(sent) and not _tells_the_topic(sent)


def _tells_an_edit(sent: Span) -> bool:
    """Is the sentence only the writers telling what they will change, or have changed, in their
    document ("We will include more details in the final version.")? First person, an editing
    verb, future or perfect, a part of the document named, and no clause asserting anything else."""
    root = sent.root
    subjects = [t for t in root.children if t.dep_ == "nsubj"]
    if not subjects or subjects[0].lower_ not in ("we", "i") or stem(root.text) not in _EDITING_VERBS:
        return False
    auxiliaries = {t.lower_ for t in root.children if t.dep_ == "aux"}
    if not (auxiliaries & {"will", "'ll", "shall", "have", "'ve"} or root.tag_ == "VBD"):
        return False
    if any(t.dep_ in _PROPOSITION_CLAUSES and t.pos_ in ("VERB", "AUX") for t in root.children):
        return False
    return any(t.pos_ in ("NOUN", "PROPN") and stem(t.text) in _DOCUMENT_NOUNS for t in sent)


def _tells_the_topic(sent: Span) -> bool:
    """Is the sentence only the work telling what it is about ("The paper proposes Dreamer, a
    model-based RL method for high-dimensional inputs.")? The work (the paper, the authors) as
    subject of a verb that names its topic, and nothing that reports a result (a reporting verb
    anywhere, "that ..." after the verb), compares (a comparative or superlative) or judges ("a
    novel method", "carefully")."""
    root = sent.root
    subjects = [t for t in root.children if t.dep_ == "nsubj"]
    if not subjects:
        # "The paper studies several techniques": the small parser at times reads "paper studies"
        # as a compound (noun or verb) heading the sentence; its first part is the subject.
        subjects = [t for t in root.children if t.dep_ == "compound"][-1:]
    if not subjects or stem(subjects[0].text) not in _WORK_NOUNS or stem(root.text) not in _TOPIC_VERBS:
        return False
    if any(t.dep_ in ("ccomp", "parataxis") for t in root.children) or root.dep_ != "ROOT":
        return False
    for token in sent:
        if token.tag_ in ("JJR", "JJS", "RBR", "RBS") or token.dep_ == "neg":
            return False
        word = stem(token.text)
        if token.lower_ in _JUDGING_WORDS or (token is not root and token.pos_ == "VERB" and word in _REPORTING_VERBS
                                      and word not in _TOPIC_VERBS):
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
        sents = list(doc.sents)
        result.extend(_with_context(post, sents, _statements_of_post(post, sents, parent_words)))
    return result


def _refers_back(tokens: Iterable[Token]) -> bool:
    """Does the text point at something said before it: "they", "it", "this basis", "that
    aspect", "such features" (a closed class, read from the tags: the relative "that", the
    complementiser "that" and an expletive "it" do not count)."""
    for token in tokens:
        word = token.lower_
        if word in _REFERRING_PRONOUNS and token.tag_ == "PRP" and token.dep_ != "expl":
            return True
        if word in _DEMONSTRATIVES and token.tag_ == "DT":
            return True
        if word == "such" and token.tag_ in ("JJ", "PDT"):
            return True
    return False


def _with_context(
    post: Post, sents: Sequence[Span], candidates: Iterable[StatementCandidate]
) -> Iterable[StatementCandidate]:
    """Each candidate that refers back, with the whole sentences of its paragraph that precede
    it, up to CONTEXT_CHARS ("they arise even in linear models" after what "they" are)."""
    sentence_starts = [sent.start_char for sent in sents if sent.text.strip()]
    tokens = [token for sent in sents for token in sent]
    token_starts = [token.idx for token in tokens]
    paragraph_starts = [0] + [m.end() for m in _BLANK_LINE.finditer(post.text)]
    for candidate in candidates:
        first_token = bisect.bisect_left(token_starts, candidate.start)
        if not _refers_back(tokens[first_token : bisect.bisect_left(token_starts, candidate.end)]):
            yield candidate
            continue
        paragraph_start = paragraph_starts[bisect.bisect_right(paragraph_starts, candidate.start) - 1]
        earliest = max(paragraph_start, candidate.start - CONTEXT_CHARS)
        first = bisect.bisect_left(sentence_starts, earliest)
        if first < len(sentence_starts) and sentence_starts[first] < candidate.start:
            context = " ".join(post.text[sentence_starts[first] : candidate.start].split())
            candidate = replace(candidate, context=context)
        yield candidate


def _statements_of_post(post: Post, sents: Sequence[Span], parent_words: str | None) -> Iterable[StatementCandidate]:
    """`parent_words`: the parent's text as `normalise_text` makes it; a sentence repeating it
    ("> ...", or `2. "..."` as a rebuttal lists the points it answers) is the parent's."""
    previous: StatementCandidate | None = None
    paragraph_starts = [m.end() for m in _BLANK_LINE.finditer(post.text)]
    # The evaluation label in force ("Cons:" up to the end of its paragraph): (paragraph, its kind).
    label_in_force: tuple[int, str] | None = None
    critique_paragraph: int | None = None  # paragraph of the last critique, while it is the last statement
    for sent in sents:
        start, end = sent.start_char, sent.end_char
        text = post.text[start:end].strip()
        paragraph = bisect.bisect_right(paragraph_starts, start)
        label = _evaluation_label(post.text, start, end)
        if label is not None:
            label_in_force = (paragraph, label[0])
        elif label_in_force is not None and label_in_force[0] != paragraph:
            label_in_force = None
        if critique_paragraph != paragraph:
            critique_paragraph = None
        if not text:
            previous = None
            continue
        quoted, attributed_to = _quotation_of(post, start, end)
        repeats_parent = bool(parent_words and repeats(text, parent_words))
        label_frame: Frame | None = "critique" if label_in_force and label_in_force[1] == "critique" else None
        if not quoted and not repeats_parent:
            items, items_frame = _listed_items(sent, post.text, label, label_frame, label_in_force)
            if items:
                # "Cons: - Lack of X - Lack of Y", "A few disagreements I have with the paper: - I
                # don't think X": each item is a statement of its own.
                yield from _item_statements(post, items, items_frame)
                previous = None
                continue
        if not _is_assertion(sent) or repeats_parent:
            previous = None
            continue
        continues_critique = critique_paragraph == paragraph and text.lower().startswith(_ADDITIVE_OPENERS)
        frame = None if quoted else _frame_of(sent, label_frame, label_in_force, continues_critique)
        critique_paragraph = paragraph if frame == "critique" else None
        # The author's "That is wrong." after a quote answers it (see workers.quotations), so
        # a sentence is joined only to an antecedent in the same voice.
        same_voice = previous is not None and (previous.quoted, previous.attributed_to) == (quoted, attributed_to)
        if previous is not None and same_voice and _starts_with_anaphora(sent) and end - previous.start <= MAX_CHARS:
            # The sentence needs its antecedent: the statement is both sentences.
            joined = StatementCandidate(
                post.local_id, post.text[previous.start : end].strip(), previous.start, end, quoted, attributed_to,
                previous.frame or frame,
            )
            yield joined
            previous = joined
            continue
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS]
            end = start + len(text)
        candidate = StatementCandidate(post.local_id, text, start, end, quoted, attributed_to, frame)
        yield candidate
        previous = candidate


def _frame_of(
    sent: Span, label_frame: Frame | None, label_in_force: tuple[int, str] | None, continues_critique: bool = False
) -> Frame | None:
    """A critique when a label, the parse or a "Furthermore" after a critique says so; a finding
    when the sentence reports what a work shows outside any review label."""
    if label_frame or frames_critique(sent) or continues_critique:
        return "critique"
    if label_in_force is None and _reports_finding(sent):
        return "finding"
    return None


def _listed_items(
    sent: Span, text: str, label: tuple[str, int] | None, label_frame: Frame | None,
    label_in_force: tuple[int, str] | None,
) -> tuple[list[tuple[int, int]], Frame | None]:
    """The items a sentence lists, and their frame: a review label's list ("Cons: - a - b",
    framed by the label), or a list a colon introduces ("Key results indicate that: 1) X; 2) Y",
    framed as its introduction is); no items when the sentence lists nothing."""
    if label is not None:
        items = _list_items(text, label[1], sent.end_char)
        return (items, label_frame) if len(items) > 1 or not _is_assertion(sent) else ([], None)
    items = _introduced_list(text, sent.start_char, sent.end_char)
    return (items, _frame_of(sent, label_frame, label_in_force)) if items else ([], None)


def _item_statements(post: Post, items: Sequence[tuple[int, int]], frame: Frame | None) -> Iterable[StatementCandidate]:
    """The items of a labelled list long enough to carry a claim, questions left out."""
    for start, end in items:
        item = post.text[start:end][:MAX_CHARS]
        if len(item.split()) >= MIN_LIST_ITEM_TOKENS and not item.endswith("?"):
            yield StatementCandidate(post.local_id, item, start, start + len(item), frame=frame)


def _evaluation_label(text: str, start: int, end: int) -> tuple[str, int] | None:
    """("critique" | "praise", where the labelled text starts) when the sentence opens with a
    review form's label ("Cons:", "Strengths:", "Potential critiques:")."""
    match = _LABEL.match(text, start, end)
    if match is None:
        return None
    label = " ".join(match.group("label").lower().split())
    if label in _CRITIQUE_LABELS:
        return "critique", match.end()
    if label in _PRAISE_LABELS:
        return "praise", match.end()
    return None


def _introduced_list(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of a bulleted list that a colon in `text[start:end]` introduces ("... with the
    paper: - I don't think X - Y"), as flattening leaves a review's lists; [] without one."""
    colon = text.find(":", start, end)
    while colon != -1:
        after = colon + 1
        first = after + len(text[after:end]) - len(text[after:end].lstrip())
        if first < end and _BULLET.match(text, first, end):
            return _list_items(text, after, end)
        colon = text.find(":", after, end)
    return []


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the list between `start` and `end` (offsets, bullets and space trimmed);
    text without a leading bullet is one item."""
    body = text[start:end]
    bullets = [m for m in _BULLET.finditer(body)]
    if not bullets or body[: bullets[0].start()].strip():
        bounds = [(0, len(body))]
    else:
        bounds = [(m.end(), nxt.start() if nxt else len(body)) for m, nxt in zip(bullets, bullets[1:] + [None])]
    items = []
    for item_start, item_end in bounds:
        piece = body[item_start:item_end]
        stripped = piece.strip()
        if stripped:
            offset = start + item_start + (len(piece) - len(piece.lstrip()))
            items.append((offset, offset + len(stripped)))
    return items


def frames_critique(sent: Span) -> bool:
    """Is a critique noun the sentence's subject or predicate noun ("Potential critiques include
    ...", "The key limitation is that ...", "This is a significant weakness.")?"""
    return any(
        child.dep_ in ("nsubj", "nsubjpass", "attr") and stem(child.text) in _CRITIQUE_NOUNS
        for child in sent.root.children
    )


def _reports_finding(sent: Span) -> bool:
    """Does the sentence report what a work shows or claims ("Results demonstrate ...", "This
    paper presents ...", "The core assertion is that ...")? Not the writer's own advice ("I suggest")."""
    root = sent.root
    subjects = [t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return False
    if any(stem(t.text) in _PROPOSITION_NOUNS for t in subjects):
        return True
    return stem(root.text) in _REPORTING_VERBS and subjects[0].lower_ not in ("i", "you")


def reply_lead(text: str, nlp: Language, max_sentences: int = 2, max_chars: int = 300) -> str:
    """The opening of a reply, which carries its agreement or disagreement."""
    doc = nlp(text[: max_chars * 2])
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()][:max_sentences]
    lead = " ".join(sentences)
    return lead[:max_chars]
