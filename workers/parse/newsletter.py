"""Sectioned newsletter issues: one post per section, plus the intro before them.

A section starts with a heading (`# Title` or `## Title`) followed by a line holding
only its link (or a heading that is itself a Markdown link) and then summary
paragraphs. Each section becomes a Post ("s1", "s2", ...) with the heading as `title`,
the link as `url` and first in `links`; text before the first section is the post
"intro". A top `#` heading above `##` sections is the issue's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workers.documents import Document, Post, SourceKind
from workers.errors import ParseError
from workers.parse.blog import markdown_inline
from workers.parse.quotes import find_quotations
from workers.parse.text import (
    collapse_spaces,
    find_urls,
    join_wrapped_lines,
    normalise_iso,
    split_paragraphs,
    unique,
)

_HEADING_RE = re.compile(r"^\s{0,3}(?P<marks>#{1,3})\s+(?P<text>\S.*?)\s*#*\s*$")
_LINK_LINE_RE = re.compile(r"^\s*(?:<?(?P<bare>https?://\S+?)>?|\[[^\]]*\]\((?P<md>https?://[^)\s]+)\))\s*$")
_HEADING_LINK_RE = re.compile(r"\[[^\]]+\]\((?P<url>https?://[^)\s]+)\)")
_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@dataclass
class _Section:
    title: str
    link: str | None
    lines: list[str] = field(default_factory=list)


def _link_of_line(line: str) -> str | None:
    match = _LINK_LINE_RE.match(line)
    if match is None:
        return None
    return match.group("bare") or match.group("md")


def _linked_headings(lines: list[str]) -> list[int]:
    """Levels of the headings that are followed by a link line (or hold a link)."""
    levels = []
    for index, line in enumerate(lines):
        heading = _HEADING_RE.match(line)
        if heading is None:
            continue
        following = next((l for l in lines[index + 1:index + 4] if l.strip()), "")
        if _HEADING_LINK_RE.search(heading.group("text")) or _link_of_line(following):
            levels.append(len(heading.group("marks")))
    return levels


def looks_like_newsletter(text: str) -> bool:
    """Two or more headings each followed by a link line."""
    return len(_linked_headings(text.split("\n"))) >= 2


def _paragraphs(lines: list[str]) -> str:
    out: list[str] = []
    for group in split_paragraphs(lines):
        widths = [len(line.rstrip()) for line in group[:-1]]
        if len(group) > 1 and all(30 <= w <= 100 for w in widths):
            out.append(join_wrapped_lines(group))
        else:
            out.extend(collapse_spaces(line).strip() for line in group)
    cleaned = [markdown_inline(p)[0].strip() for p in out]
    return "\n\n".join(p for p in cleaned if p)


def _split_sections(lines: list[str], level: int) -> tuple[str | None, list[str], list[_Section]]:
    title: str | None = None
    intro: list[str] = []
    sections: list[_Section] = []
    for line in lines:
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group("marks")) == level:
            text = heading.group("text")
            link_match = _HEADING_LINK_RE.search(text)
            sections.append(_Section(markdown_inline(text)[0].strip(), link_match.group("url") if link_match else None))
            continue
        if heading and len(heading.group("marks")) < level and not sections and title is None:
            title = markdown_inline(heading.group("text"))[0].strip() or None
            continue
        if sections:
            section = sections[-1]
            if section.link is None and not any(l.strip() for l in section.lines) and _link_of_line(line):
                section.link = _link_of_line(line)
                continue
            section.lines.append(line)
        else:
            intro.append(line)
    return title, intro, sections


def parse_newsletter(text: str, *, url: str | None = None, kind: SourceKind = SourceKind.NEWSLETTER) -> Document:
    """A Document with an "intro" post and one post per section."""
    lines = text.split("\n")
    levels = _linked_headings(lines)
    if not levels:
        raise ParseError("newsletter has no sections (headings followed by a link line)")
    title, intro_lines, sections = _split_sections(lines, min(levels))
    posts: list[Post] = []
    intro = _paragraphs(intro_lines)
    if intro:
        posts.append(Post("intro", intro, url=url, links=find_urls(intro), quotations=find_quotations(intro)))
    for index, section in enumerate(sections, start=1):
        body_lines = section.lines
        markdown_links = [u for line in body_lines for u in markdown_inline(line)[1]]
        body = _paragraphs(body_lines)
        links = unique([section.link or "", *markdown_links, *find_urls(body)])
        posts.append(Post(
            local_id=f"s{index}",
            text=body,
            url=section.link or (links[0] if links else None),
            title=section.title or None,
            links=links,
            quotations=find_quotations(body),
        ))
    date = _DATE_RE.search(intro) if intro else None
    return Document(
        kind=kind,
        title=title,
        posts=tuple(posts),
        url=url,
        published_at=normalise_iso(date.group(0)) if date else None,
        metadata={"format": "newsletter", "sections": str(len(sections))},
    )
