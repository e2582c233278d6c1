"""The quoting author's own words around each quotation in a post.

A post that quotes someone (a blog quoting a paper's abstract or a friend, a comment
quoting another comment) usually says what it makes of the quote: right after it
("This is wrong: ...", "Exactly.") or in the words that introduce it ("I disagree
with this claim:"). `quoted_passages` finds, for each quoted passage of a post, those
two pieces of the author's own text; `workers.claims.link_quote_responses` classifies
them and turns them into the author's stance on what the passage claims.

- Quotations with nothing of the author's between them (a quote, its "– Name"
  attribution line, the next quote) form one passage.
- The response is the author's text after the passage, up to the next passage or the
  end of the paragraph, at most `RESPONSE_SENTENCES` sentences and `MAX_CHARS`. After a
  block quote (one on lines of its own, or announced by a colon) it is the next
  paragraph; after a quote inside the author's own paragraph, only the rest of that
  paragraph. A response that finishes the quote's sentence (`"X" is wrong.`) is read
  with "This" as its subject.
- The answer is the response and the rest of its paragraph (up to the next passage,
  at most `MAX_ANSWER_CHARS`): all the author writes back to the quote.
- The introduction is the author's last sentence before the passage, when it runs
  into the quote on the same line or ends with a colon; a sentence in an earlier
  paragraph that does not end with a colon does not introduce the quote.

The cues are layout and punctuation, not words: they carry over to any English text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Span

from workers.documents import Document, Post, Quotation
from workers.parse.text import normalise_text

RESPONSE_SENTENCES = 2
MAX_CHARS = 300
MAX_ANSWER_CHARS = 1200

_QUOTE_MARKS = "\"'“”‘’«»„"
# What may sit between a quotation and the author's next words without being them.
_GLUE = re.compile(rf"[\s{_QUOTE_MARKS}.,;:!?)\]]*")
_DASH_LINE = re.compile(r"(?:[–—]|--)[^\n]*")
_OPENING_MARKS = re.compile(rf"[\s{_QUOTE_MARKS}(\[]*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINE_BREAK = re.compile(r"\n")
_GT_MARKER = re.compile(r"(?m)^[ \t]*(?:&gt;|>)[ \t]?")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class AuthorText:
    """A piece of the quoting author's own text; `start`/`end` are offsets into `Post.text`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class QuotedPassage:
    """One or more adjacent quotations in a post, with the author's words around them.

    `text` is what is quoted, without ">" markers. `response` is the author's first words
    after it, which say how they take it; `answer` is all they write back to it (the
    response and the rest of its paragraph). `finishes_sentence` says the response
    completes a sentence the quote began (`"X" is plainly wrong.`), so that on its own
    it lacks a subject.
    """

    post_local_id: str
    start: int
    end: int
    text: str
    attributed_to: str | None
    response: AuthorText | None
    introduction: AuthorText | None
    finishes_sentence: bool = False
    answer: AuthorText | None = None

    def response_as_sentence(self) -> str | None:
        """The response as a sentence of its own ("This" is the subject of one that finishes the quote's)."""
        if self.response is None:
            return None
        if self.finishes_sentence:
            return "This " + self.response.text
        return self.response.text


def starts_own_line(text: str, start: int) -> int | None:
    """Where the line starts when a quotation at `start` opens it (only its frame before it:
    ">" markers, a list marker or "[Q]", quote marks), else None."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    return line_start if _LEADING_FRAME.fullmatch(before) else None


def quoted_text(text: str) -> str:
    """Quoted words without the ">" markers that mail and HN put before each line."""
    return _GT_MARKER.sub("", text).strip()


# What frames words repeated from another post: ">" markers, a list marker ("2.", "(b)",
# "[Q]", "-") and opening quote marks before them, closing quote marks and end punctuation after them.
_LEADING_FRAME = re.compile(
    rf"^\s*(?:(?:&gt;|>)\s*)*(?:(?:\d{{1,2}}[.)]|\(?[a-z][.)]|\[\w{{1,3}}\]|[-*\u2022])(?:\s+|$))?[{_QUOTE_MARKS}\s]*"
)
_TRAILING_FRAME = re.compile(rf"[{_QUOTE_MARKS}\s.!?,;:]*$")
_ELLIPSIS = re.compile(r"\[\s*(?:\.\.\.|\u2026)\s*\]|\.\.\.|\u2026")
_FRAGMENT_EDGE = f" .,;:!?{_QUOTE_MARKS}"
# A line repeats its parent only when the repeated words are at least this long.
MIN_REPEATED_CHARS = 20


def unframed(text: str) -> str:
    """Words without the ">" markers, list marker and quote marks that frame them as a quotation."""
    return _TRAILING_FRAME.sub("", _LEADING_FRAME.sub("", quoted_text(text)))


def repeats(text: str, normalised_other: str, min_chars: int = MIN_REPEATED_CHARS) -> bool:
    """Does `text` (framed or not, "[...]" gaps allowed) repeat at least `min_chars` of the words
    of another text, given as `normalise_text` made it (once per text, by the caller)?"""
    # Each run between gaps, without the punctuation and quote marks around it: "pair….However"
    # splices two passages, and the closing quote mark is the reply's, not the parent's.
    fragments = [normalise_text(unframed(part)).strip(_FRAGMENT_EDGE) for part in _ELLIPSIS.split(text)]
    fragments = [f for f in fragments if f]
    if not fragments or sum(len(f) for f in fragments) < max(min_chars, 1):
        return False
    return all(f in normalised_other for f in fragments)


def with_parent_quotations(document: Document) -> Document:
    """The document with the words each reply repeats from its parent marked as quotations of the parent.

    Replies and rebuttals quote the point they answer with ">" or quote marks, but also
    as a numbered item or a "[Q] ... [A] ..." pair on one line; whatever the frame, a run
    of sentences whose words are the parent's is the parent's, and the reply's next
    words answer it.
    """
    parents = document.post_by_id()
    posts = []
    for post in document.posts:
        parent = parents.get(post.parent_id) if post.parent_id else None
        added: list[Quotation] = []
        if parent is not None and parent.text and not post.deleted:
            for start, end in _repeated_runs(post.text, parent.text):
                if not any(q.start < end and start < q.end for q in post.quotations):
                    added.append(Quotation(start, end, parent.author))
        posts.append(replace(post, quotations=tuple(sorted((*post.quotations, *added), key=lambda q: q.start)))
                     if added else post)
    return replace(document, posts=tuple(posts))


# Where a line divides into pieces: after a sentence's end, and before an answer label ("[A]").
_PIECE_BREAK = re.compile(rf"(?<=[.!?\u2026{_QUOTE_MARKS}])\s+|\s+(?=\[\w{{1,3}}\]\s)")


def _repeated_runs(text: str, parent_text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive pieces of `text`'s lines that repeat `parent_text`,
    without their frame."""
    parent_words = normalise_text(parent_text)
    runs: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        run: tuple[int, int] | None = None
        position = line.start()
        for piece in [*_PIECE_BREAK.split(line.group())]:
            piece_start = text.index(piece, position) if piece else position
            position = piece_start + len(piece)
            # A short piece ("new datasets),") continues a run but does not start one.
            if piece and repeats(piece, parent_words, min_chars=1 if run else MIN_REPEATED_CHARS):
                begin = piece_start + _LEADING_FRAME.match(piece).end()  # type: ignore[union-attr]
                finish = piece_start + len(piece.rstrip(_QUOTE_MARKS + " \t"))
                run = (run[0], finish) if run else (begin, finish)
            elif run:
                runs.append(run)
                run = None
        if run:
            runs.append(run)
    return [(start, end) for start, end in runs if start < end]


def _skip_glue(text: str, pos: int, limit: int) -> int:
    """The first position at or after `pos` where the author's own words start."""
    while pos < limit:
        glued = _GLUE.match(text, pos, limit)
        end = glued.end() if glued is not None else pos
        # A "– Name" line under a quotation attributes it; it is not the author speaking.
        if "\n" in text[pos:end]:
            dash = _DASH_LINE.match(text, end, limit)
            if dash is not None:
                pos = dash.end()
                continue
        return end
    return limit


def _group(post: Post) -> list[tuple[int, int, list[Quotation]]]:
    """Quotations merged into passages when only glue separates them."""
    groups: list[tuple[int, int, list[Quotation]]] = []
    for quotation in sorted(post.quotations, key=lambda q: q.start):
        if quotation.end <= quotation.start:
            continue
        if groups and _skip_glue(post.text, groups[-1][1], quotation.start) >= quotation.start:
            start, _, members = groups[-1]
            groups[-1] = (start, max(quotation.end, groups[-1][1]), [*members, quotation])
        else:
            groups.append((quotation.start, quotation.end, [quotation]))
    return groups


def _paragraph_end(text: str, start: int, limit: int) -> int:
    """Where the paragraph holding `start` ends: a blank line, or a line end in a text without blank lines."""
    pattern = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else _LINE_BREAK
    found = pattern.search(text, start, limit)
    return found.start() if found else limit


def _response(text: str, quote_end: int, limit: int, nlp: Language, *, inline: bool) -> tuple[AuthorText, AuthorText] | None:
    """The author's first sentences after the quote (the response) and all they write back to it
    (the answer: the rest of that paragraph, at most `MAX_ANSWER_CHARS`, ending at a sentence
    end), before `limit` and within one paragraph."""
    start = _skip_glue(text, quote_end, limit)
    if inline and _paragraph_end(text, quote_end, start) < start:
        return None  # a quote inside the author's paragraph: the next paragraph is a new point
    end = _paragraph_end(text, start, limit)
    if end <= start:
        return None
    sentences: list[Span] = []
    for sentence in nlp(text[start:end]).sents:
        if not any(char.isalpha() for char in sentence.text):
            if sentences:
                break  # a list number or a rule after the response: the author moves on
            continue
        sentences.append(sentence)
    if not sentences:
        return None
    first = sentences[0].start_char
    stop = sentences[0].end_char
    for sentence in sentences[1:RESPONSE_SENTENCES]:
        if sentence.end_char - first <= MAX_CHARS:
            stop = sentence.end_char
    chunk = text[start + first : start + stop]
    if len(chunk) > MAX_CHARS:
        cut = chunk.rfind(" ", 0, MAX_CHARS)
        chunk = chunk[: cut if cut > 0 else MAX_CHARS]
    words = chunk.strip()
    if not words:
        return None
    begin = start + first + len(chunk) - len(chunk.lstrip())
    response = AuthorText(words, begin, begin + len(words))
    answer_stop = response.end
    for sentence in sentences[1:]:
        if start + sentence.end_char - begin > MAX_ANSWER_CHARS:
            break
        answer_stop = max(answer_stop, start + sentence.end_char)
    answer = text[begin:answer_stop].rstrip()
    return response, AuthorText(answer, begin, begin + len(answer))


def _author_text_before(text: str, begin: int, quote_start: int) -> str:
    """`text[begin:quote_start]` without the quote's frame ("[Q]", "2.", ">") when only that
    shares the quote's line: the author's words before it are then a paragraph of their own."""
    line_start = starts_own_line(text, quote_start)
    if line_start is None:
        return text[begin:quote_start]
    return text[begin:line_start] if line_start > begin else ""


def _introduction(text: str, begin: int, quote_start: int, nlp: Language) -> AuthorText | None:
    """The author's words in `text[begin:quote_start]` that lead into the quote, if any do."""
    before = _author_text_before(text, begin, quote_start)
    quote_start = begin + len(before)
    marks = _OPENING_MARKS.search(before)
    own_end = begin + (marks.start() if marks else len(before))
    own = text[begin:own_end].rstrip()
    # The sentence the quote is part of ("I disagree that "X""), or one that announces it ("...:").
    in_same_sentence = "\n" not in text[begin + len(own) : quote_start] and not own.endswith((".", "!", "?"))
    if not own.strip() or not (in_same_sentence or own.endswith(":")):
        return None
    own_end = begin + len(own)
    line_start = begin + own.rfind("\n") + 1
    line = text[line_start:own_end]
    sentences = [s for s in nlp(line).sents if s.text.strip()]
    if not sentences:
        return None
    last = sentences[-1]
    start, end = line_start + last.start_char, line_start + last.end_char
    if end - start > MAX_CHARS:
        cut = text.find(" ", end - MAX_CHARS, end)
        start = cut if cut > 0 else end - MAX_CHARS
    words = text[start:end].strip()
    if not words:
        return None
    start += len(text[start:end]) - len(text[start:end].lstrip())
    return AuthorText(words, start, start + len(words))


def _starts_sentence(text: str, begin: int, quote_start: int) -> bool:
    """Does the quote open a sentence (nothing of the author's before it in that sentence)?"""
    before = _author_text_before(text, begin, quote_start)
    marks = _OPENING_MARKS.search(before)
    own = before[: marks.start() if marks else len(before)].rstrip()
    return not own or own[-1] in ".!?:" or "\n" in before[len(own) :]


def quoted_passages(post: Post, nlp: Language) -> list[QuotedPassage]:
    """Each quoted passage of `post`, with the author's response to it and introduction of it."""
    if post.deleted or not post.quotations:
        return []
    text = post.text
    groups = _group(post)
    passages: list[QuotedPassage] = []
    previous_end = 0
    for index, (start, end, members) in enumerate(groups):
        limit = groups[index + 1][0] if index + 1 < len(groups) else len(text)
        introduction = _introduction(text, previous_end, start, nlp)
        starts_line = starts_own_line(text, start) is not None
        announced = introduction is not None and introduction.text.endswith(":")
        response_and_answer = _response(text, end, limit, nlp, inline=not (starts_line or announced))
        response, answer = response_and_answer if response_and_answer is not None else (None, None)
        quoted = "\n".join(quoted_text(text[q.start : q.end]) for q in members)
        finishes = (
            response is not None
            and not text[end : response.start].strip(_QUOTE_MARKS + " ")
            and response.text[:1].islower()
            and not quoted.rstrip(_QUOTE_MARKS).endswith((".", "!", "?"))
            and _starts_sentence(text, previous_end, start)
        )
        attributed_to = next((q.attributed_to for q in members if q.attributed_to), None)
        passages.append(QuotedPassage(post.local_id, start, end, quoted, attributed_to, response, introduction,
                                      finishes, answer))
        previous_end = response.end if response is not None else end
    return passages
