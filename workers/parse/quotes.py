"""Finding quoted spans in plain text, so that a writer is not credited with others' words.

The cues are general, not tied to any one document:

- lines starting with ">" (mail and HN quoting);
- a double-quoted passage of 8 or more words;
- text after an introducer naming a source ("from the abstract: ...");
- a block after a line ending in ":" with a verb of saying ("my friend shared:",
  "X wrote:", "as Y put it:"). The block is the next paragraph; when the document's
  own prose is written in lower case, it is the run of following paragraphs that
  switch register to capitalised sentences (a quoted tweet thread, an essay excerpt);
- a paragraph followed by an attribution line starting with a dash ("– Wittgenstein").

Offsets are into the text given; paragraphs are separated by blank lines or, when a
text has none, by single newlines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workers.documents import Quotation

MIN_QUOTED_WORDS = 8

_DOUBLE_QUOTED_RE = re.compile(r"[\"“]([^\"“”\n]+?)[\"”]")
_SOURCE_INTRO_RE = re.compile(
    r"\b(?:from|in|per|according to|quoting)\s+(?P<source>(?:the|their|its|this|that|our)\s+"
    r"(?:abstract|paper|article|introduction|intro|conclusion|conclusions|post|essay|blog post|"
    r"readme|announcement|press release|report|summary|tweet|thread|book|docs|documentation))\s*:\s*",
    re.IGNORECASE,
)
_SPEECH_VERBS = (
    r"wrote|writes|write|said|says|say|shared|shares|posted|posts|tweeted|tweets|explains|explained|"
    r"phrasing|phrased|phrases|puts it|put it|notes|noted|argues|argued|states|stated|claims|claimed|"
    r"observes|observed|remarks|remarked|replied|replies|responded|responds|commented|comments|asked|asks|"
    r"quoted|quotes|quoting|reads|summarized|summarised|summarizes|summarises|continues|continued"
)
_INTRO_LINE_RE = re.compile(rf"\b(?:{_SPEECH_VERBS})\b[^:]*:\s*$", re.IGNORECASE)
_SPEAKER_RE = re.compile(
    rf"(?P<name>(?:[A-Z][\w.'’-]*\s+){{0,3}}[A-Z][\w.'’-]*|(?:my|a|his|her|their|our|one)\s+\w+)"
    rf"\s+(?:\w+\s+)?(?:{_SPEECH_VERBS})\b",
)
_ATTRIBUTION_LINE_RE = re.compile(r"^\s*(?:[–—]|--)\s*(?P<who>[^\s–—-].{0,100})$")
_NOT_NAMES = {"I", "We", "You", "He", "She", "They", "It", "This", "That", "The", "As", "And", "But"}


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    text: str


def paragraphs_with_offsets(text: str) -> list[_Paragraph]:
    """Paragraphs (blank-line separated, or one per line when there are no blank lines)."""
    pattern = r"[^\n]+(?:\n[^\n]+)*" if "\n\n" in text else r"[^\n]+"
    out = []
    for match in re.finditer(pattern, text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            start = match.start() + lead
            out.append(_Paragraph(start, start + len(stripped), stripped))
    return out


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace and quote marks."""
    while start < end and (text[start].isspace() or text[start] in "\"“”'‘’"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "\"“”"):
        end -= 1
    return start, end


def _gt_quoted_lines(text: str) -> Iterable[Quotation]:
    for match in re.finditer(r"(?m)^[ \t]*(?:&gt;|>)[^\n]*(?:\n[ \t]*(?:&gt;|>)[^\n]*)*", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        yield Quotation(start, end, None)


def _double_quoted(text: str) -> Iterable[Quotation]:
    for match in _DOUBLE_QUOTED_RE.finditer(text):
        if len(match.group(1).split()) >= MIN_QUOTED_WORDS:
            yield Quotation(match.start(1), match.end(1), None)


def _source_introduced(paragraphs: list[_Paragraph], text: str) -> Iterable[Quotation]:
    for para in paragraphs:
        match = _SOURCE_INTRO_RE.search(para.text)
        if match is None or match.end() >= len(para.text):
            continue
        start, end = _trim_span(text, para.start + match.end(), para.end)
        if end > start:
            yield Quotation(start, end, match.group("source").strip())


def speaker_of(intro: str) -> str | None:
    """Who an introducing line says is speaking ("Paul Graham phrasing it:" -> "Paul Graham")."""
    found = None
    for match in _SPEAKER_RE.finditer(intro):
        found = match.group("name").strip()
    if found is None or found in _NOT_NAMES:
        return None
    first, _, rest = found.partition(" ")
    if first in _NOT_NAMES and rest:
        return rest
    return found


def _starts_lower(text: str) -> bool | None:
    for char in text:
        if char.isalpha():
            return char.islower()
    return None


def _prose_is_lowercase(paragraphs: list[_Paragraph]) -> bool:
    starts = [s for s in (_starts_lower(p.text) for p in paragraphs) if s is not None]
    return bool(starts) and sum(starts) / len(starts) >= 0.5


def _speaker_introduced(paragraphs: list[_Paragraph], text: str) -> Iterable[Quotation]:
    lowercase_prose = _prose_is_lowercase(paragraphs)
    for index, para in enumerate(paragraphs[:-1]):
        last_line = para.text.rsplit("\n", 1)[-1]
        if _INTRO_LINE_RE.search(last_line) is None:
            continue
        block = paragraphs[index + 1 : index + 2]
        if lowercase_prose:
            block = []
            for following in paragraphs[index + 1 :]:
                if _starts_lower(following.text) is not False or _INTRO_LINE_RE.search(following.text):
                    break
                block.append(following)
        if not block:
            continue
        start, end = _trim_span(text, block[0].start, block[-1].end)
        if end > start:
            yield Quotation(start, end, speaker_of(last_line))


def _dash_attributed(paragraphs: list[_Paragraph], text: str) -> Iterable[Quotation]:
    for index, para in enumerate(paragraphs[1:], start=1):
        match = _ATTRIBUTION_LINE_RE.match(para.text)
        if match is None or "\n" in para.text:
            continue
        who = re.split(r"[(,;]", match.group("who"), maxsplit=1)[0].strip() or None
        previous = paragraphs[index - 1]
        if len(previous.text.split()) < 4:
            continue
        start, end = _trim_span(text, previous.start, previous.end)
        if end > start:
            yield Quotation(start, end, who)


def merge_quotations(quotations: Iterable[Quotation]) -> tuple[Quotation, ...]:
    """Sort and merge overlapping spans, keeping an attribution when either has one."""
    merged: list[Quotation] = []
    for quote in sorted(quotations, key=lambda q: (q.start, -q.end)):
        if quote.end <= quote.start:
            continue
        if merged and quote.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Quotation(
                last.start, max(last.end, quote.end), last.attributed_to or quote.attributed_to
            )
        else:
            merged.append(quote)
    return tuple(merged)


def find_quotations(text: str, *, block_cues: bool = True) -> tuple[Quotation, ...]:
    """Quoted spans in `text`; `block_cues=False` keeps only ">" lines and quoted passages.

    Comments use `block_cues=False`: in a short comment, a colon-introduced paragraph
    is more often the commenter's own list than a quotation.
    """
    found: list[Quotation] = [*_gt_quoted_lines(text), *_double_quoted(text)]
    if block_cues:
        paragraphs = paragraphs_with_offsets(text)
        found += [
            *_source_introduced(paragraphs, text),
            *_speaker_introduced(paragraphs, text),
            *_dash_attributed(paragraphs, text),
        ]
    return merge_quotations(found)
