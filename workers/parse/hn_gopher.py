"""HN Gopher text dumps (`[HN Gopher] TITLE` ... `| AUTHOR wrote:` ... `(page generated ...)`).

The header gives the story (title, author, score, date, `(HTM) web link (site)`); each
comment starts with `| AUTHOR wrote:` and continues with `| `-prefixed, hard-wrapped
lines, a bare `|` separating paragraphs. Nesting comes from indentation (more spaces
after the `|`, or nested `| |`) when the dump has it (`metadata["nesting"] =
"indentation"`); a dump without indentation cannot say who answers whom, so each comment
is taken as a probable reply to the previous one (`"inferred-sequential"`, depth 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workers.documents import Document, Post, SourceKind
from workers.errors import ParseError
from workers.parse.quotes import find_quotations
from workers.parse.text import find_urls, join_wrapped_lines, normalise_iso

_PIPE_LINE_RE = re.compile(r"^(?P<prefix>[ \t]*\|(?:[ \t]*\|)*)(?P<rest>.*)$")
_AUTHOR_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<author>[^\s|]+) wrote:\s*$")
_RULE_RE = re.compile(r"^\s*_{10,}\s*$")
_FIELD_RE = re.compile(r"^\s*(?P<key>Author|Score|Date)\s*:\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_TITLE_RE = re.compile(r"^\s*\[HN Gopher\]\s*(?P<title>.*?)\s*$")
_WEB_LINK_RE = re.compile(r"^\s*\(HTM\)\s*web link\s*\((?P<target>[^)]*)\)", re.IGNORECASE)


@dataclass
class _RawComment:
    author: str
    column: int
    lines: list[str] = field(default_factory=list)


def looks_like_gopher(text: str) -> bool:
    """An HN Gopher dump: the banner, or `| X wrote:` lines among `|`-prefixed lines."""
    head = text.lstrip()[:200]
    if head.startswith("[HN Gopher]"):
        return True
    authors = pipes = 0
    for line in text.split("\n", 5000)[:5000]:
        match = _PIPE_LINE_RE.match(line)
        if match:
            pipes += 1
            if _AUTHOR_RE.match(match.group("rest")):
                authors += 1
    return authors >= 1 and pipes >= 3 * authors


def _column(prefix: str, indent: str) -> int:
    return len((prefix + indent).expandtabs(8))


def _paragraph_text(lines: list[str]) -> str:
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        quoted = line.lstrip().startswith(">")
        current = paragraphs[-1]
        if current and quoted != current[-1].lstrip().startswith(">"):
            paragraphs.append([])  # a "> quoted" run is its own paragraph
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(join_wrapped_lines(p) for p in paragraphs if p)


def _parse_header(lines: list[str]) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in lines:
        if _RULE_RE.match(line):
            continue
        if match := _TITLE_RE.match(line):
            header.setdefault("title", match.group("title"))
        elif match := _FIELD_RE.match(line):
            header.setdefault(match.group("key").lower(), match.group("value"))
        elif match := _WEB_LINK_RE.match(line):
            target = match.group("target").strip()
            urls = find_urls(line)
            if urls:
                header.setdefault("primary_link", urls[0])
            elif target:
                header.setdefault("site", target)
        elif line.strip() and "title" not in header and not line.lstrip().startswith("("):
            header["title"] = line.strip()
    return header


def _split(text: str) -> tuple[list[str], list[str], list[_RawComment]]:
    """Header lines, story-text lines (pipe lines before the first comment), comments."""
    header: list[str] = []
    story: list[str] = []
    comments: list[_RawComment] = []
    in_body = False
    for line in text.split("\n"):
        match = _PIPE_LINE_RE.match(line)
        if match is None:
            if not in_body:
                header.append(line)
            elif _RULE_RE.match(line) or line.lstrip().startswith("(page generated"):
                break
            elif comments:
                comments[-1].lines.append(line.strip())
            continue
        in_body = True
        rest = match.group("rest")
        author = _AUTHOR_RE.match(rest)
        if author:
            column = _column(match.group("prefix"), author.group("indent"))
            comments.append(_RawComment(author.group("author"), column))
        elif comments:
            comments[-1].lines.append(rest.strip())
        else:
            story.append(rest.strip())
    return header, story, comments


def _parents(comments: list[_RawComment]) -> tuple[list[tuple[str | None, int]], str]:
    """(parent local_id, depth) per comment, and how nesting was decided."""
    if len({c.column for c in comments}) <= 1:
        return [(None, 0)] + [(f"c{i}", 1) for i in range(1, len(comments))], "inferred-sequential"
    result: list[tuple[str | None, int]] = []
    stack: list[tuple[int, str]] = []
    for index, comment in enumerate(comments, start=1):
        while stack and stack[-1][0] >= comment.column:
            stack.pop()
        result.append((stack[-1][1] if stack else None, len(stack)))
        stack.append((comment.column, f"c{index}"))
    return result, "indentation"


def parse_gopher(text: str) -> Document:
    """A Document from an HN Gopher text dump."""
    header_lines, story_lines, raw_comments = _split(text)
    header = _parse_header(header_lines)
    if not raw_comments and not story_lines and "title" not in header:
        raise ParseError("HN Gopher dump has no title and no comments")
    posts: list[Post] = []
    story_text = _paragraph_text(story_lines)
    if story_text:
        posts.append(Post("story", story_text, author=header.get("author"), title=header.get("title"),
                          links=find_urls(story_text), quotations=find_quotations(story_text, block_cues=False)))
    relations, nesting = _parents(raw_comments)
    for index, (comment, (parent, depth)) in enumerate(zip(raw_comments, relations), start=1):
        body = _paragraph_text(comment.lines)
        posts.append(Post(
            local_id=f"c{index}",
            text=body,
            parent_id=parent,
            author=comment.author,
            depth=depth,
            links=find_urls(body),
            quotations=find_quotations(body, block_cues=False),
        ))
    metadata = {"nesting": nesting, "format": "hn_gopher"}
    score = re.match(r"\d+", header.get("score", ""))
    if score:
        metadata["points"] = score.group(0)
    primary = header.get("primary_link")
    return Document(
        kind=SourceKind.HN_THREAD,
        title=header.get("title") or None,
        posts=tuple(posts),
        site=header.get("site"),
        author=header.get("author") or None,
        published_at=normalise_iso(header.get("date")),
        primary_link=primary,
        metadata=metadata,
    )
