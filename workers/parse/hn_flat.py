"""Flattened HN threads: plain text with one comment paragraph per line, no authors.

Such text comes from copying a thread's comments out of a page: every non-empty line
is a post (`local_id` "p1", "p2", ...), with no authors and no nesting. Lines that are
page furniture ("reply", "parent", a bare number) are dropped; a first line starting
with "----" is a title fragment, not a comment.
"""

from __future__ import annotations

import re

from workers.documents import Document, Post, SourceKind
from workers.errors import ParseError
from workers.parse.quotes import find_quotations
from workers.parse.text import collapse_spaces, find_urls

_FURNITURE_RE = re.compile(
    r"^(?:reply|parent|prev|next|root|context|flag|favorite|hide|edit|delete|vouch|\[[-+–]\]|\d+|"
    r"\d+ (?:points?|comments?|minutes?|hours?|days?) ?(?:ago)?)$",
    re.IGNORECASE,
)
_TITLE_FRAGMENT_RE = re.compile(r"^-{4,}\s*(?P<title>.*)$")
_SENTENCE_END_RE = re.compile(r"[.?!:;)\"”’']$")


def _lines(text: str) -> list[str]:
    return [collapse_spaces(line).strip() for line in text.split("\n") if line.strip()]


def _is_title_like(line: str) -> bool:
    return len(line.split()) <= 12 and _SENTENCE_END_RE.search(line) is None


def looks_like_flat_thread(text: str) -> bool:
    """Many sentence-like lines, no blank-line paragraphs, no title-like first line."""
    lines = _lines(text)
    if len(lines) < 5:
        return False
    if _TITLE_FRAGMENT_RE.match(lines[0]):
        return True
    blank_separated = text.strip().count("\n\n")
    if blank_separated > len(lines) // 4:
        return False
    if _is_title_like(lines[0]):
        return False
    sentence_like = sum(1 for line in lines if len(line.split()) >= 6)
    return sentence_like >= 0.6 * len(lines)


def parse_flat_thread(text: str) -> Document:
    """A Document with one post per non-empty line."""
    lines = _lines(text)
    title: str | None = None
    if lines and (match := _TITLE_FRAGMENT_RE.match(lines[0])):
        title = match.group("title").strip() or None
        lines = lines[1:]
    posts: list[Post] = []
    for line in lines:
        if _FURNITURE_RE.match(line) or set(line) <= set("-_=*"):
            continue
        posts.append(Post(
            local_id=f"p{len(posts) + 1}",
            text=line,
            links=find_urls(line),
            quotations=find_quotations(line, block_cues=False),
        ))
    if not posts:
        raise ParseError("flattened thread has no comment lines")
    return Document(
        kind=SourceKind.HN_THREAD,
        title=title,
        posts=tuple(posts),
        metadata={"nesting": "none", "format": "hn_flat"},
    )
