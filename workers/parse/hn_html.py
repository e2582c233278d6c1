"""Saved Hacker News item pages (`news.ycombinator.com/item?id=N` as HTML).

The story row is `tr.athing` (title link in `span.titleline`, author `a.hnuser`, time
`span.age[title]` in the following subtext row); each comment is `tr.athing.comtr`
whose `td.ind` gives the depth (its `indent` attribute, or the spacer image's width
divided by 40 on older pages), with `a.hnuser`, `span.age[title]` and the text in
`div.commtext` (`span.commtext` on older pages). A comment without author or text is
a deleted or flagged placeholder.
"""

from __future__ import annotations

import re

from lxml import etree

from workers.documents import Document, Post, SourceKind
from workers.errors import ParseError
from workers.parse.html_text import RichText, element_to_richtext, html_document_root
from workers.parse.quotes import find_quotations, merge_quotations
from workers.parse.text import hn_item_url, host_of, normalise_iso

HN_SITE = "news.ycombinator.com"
INDENT_PIXELS = 40
_PLACEHOLDERS = {"[deleted]", "[flagged]", "[dead]", "[removed]"}


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def looks_like_hn_page(text: str) -> bool:
    """Whether HTML is an HN item page (it has comment rows or HN's comment tree)."""
    head = text[:400_000]
    return ("athing comtr" in head or 'class="comment-tree"' in head
            or ('class="athing' in head and "hnuser" in head))


def _first(element: etree._Element, xpath: str) -> etree._Element | None:
    found = element.xpath(xpath)
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _depth(row: etree._Element) -> int:
    ind = _first(row, f".//td[{_has_class('ind')}]")
    if ind is None:
        return 0
    if (value := ind.get("indent")) and value.strip().isdigit():
        return int(value.strip())
    img = _first(ind, ".//img[@width]")
    width = (img.get("width") or "") if img is not None else ""
    return int(width) // INDENT_PIXELS if width.strip().isdigit() else 0


def _text_of(container: etree._Element | None) -> RichText:
    if container is None:
        return RichText("")
    for furniture in container.xpath(f".//*[{_has_class('reply')}]"):
        furniture.drop_tree()
    rich = element_to_richtext(container)
    quotes = merge_quotations([*rich.quotations, *find_quotations(rich.text, block_cues=False)])
    return RichText(rich.text, rich.links, quotes)


def _comment(row: etree._Element, stack: list[str]) -> Post:
    item_id = row.get("id") or f"r{len(stack)}"
    depth = _depth(row)
    del stack[depth:]
    parent = stack[-1] if stack else None
    depth = len(stack)
    stack.append(item_id)
    user = _first(row, f".//a[{_has_class('hnuser')}]")
    age = _first(row, f".//span[{_has_class('age')}]")
    body = _first(row, f".//*[{_has_class('commtext')}]")
    rich = _text_of(body)
    author = (user.text_content().strip() or None) if user is not None else None
    deleted = body is None or rich.text.strip() in _PLACEHOLDERS or (author is None and not rich.text)
    return Post(
        local_id=item_id,
        text="" if deleted else rich.text,
        parent_id=parent,
        author=None if deleted else author,
        posted_at=normalise_iso(age.get("title")) if age is not None else None,
        url=hn_item_url(item_id) if item_id.isdigit() else None,
        depth=depth,
        links=() if deleted else rich.links,
        quotations=() if deleted else rich.quotations,
        deleted=deleted,
    )


def parse_hn_page(text: str) -> Document:
    """A Document from a saved HN item page."""
    root = html_document_root(text)
    story = _first(root, f"//tr[{_has_class('athing')} and not({_has_class('comtr')})]")
    title = link = author = published = story_id = None
    posts: list[Post] = []
    if story is not None:
        story_id = story.get("id")
        title_link = _first(story, f".//span[{_has_class('titleline')}]/a")
        if title_link is None:
            title_link = _first(story, f".//a[{_has_class('storylink')}]")
        if title_link is not None:
            title = title_link.text_content().strip() or None
            href = (title_link.get("href") or "").strip()
            link = href if href.lower().startswith(("http://", "https://")) else None
        subtext = story.getnext()
        if subtext is not None:
            user = _first(subtext, f".//a[{_has_class('hnuser')}]")
            age = _first(subtext, f".//span[{_has_class('age')}]")
            author = user.text_content().strip() if user is not None else None
            published = normalise_iso(age.get("title")) if age is not None else None
        toptext = _first(root, f"//div[{_has_class('toptext')}]")
        top = _text_of(toptext)
        if top.text and story_id:
            posts.append(Post(story_id, top.text, author=author, posted_at=published,
                              url=hn_item_url(story_id), title=title, links=top.links,
                              quotations=top.quotations))
    stack: list[str] = []
    for row in root.xpath(f"//tr[{_has_class('comtr')}]"):
        posts.append(_comment(row, stack))
    if story is None and not posts:
        raise ParseError("HTML page has no Hacker News story or comment rows")
    if not title:
        page_title = _first(root, "//title")
        if page_title is not None:
            title = re.sub(r"\s*\|\s*Hacker News\s*$", "", page_title.text_content().strip()) or None
    metadata = {"nesting": "indentation", "format": "hn_html"}
    if story_id:
        metadata["hn_id"] = story_id
    if link:
        metadata["story_site"] = host_of(link) or ""
    return Document(
        kind=SourceKind.HN_THREAD,
        title=title,
        posts=tuple(posts),
        url=hn_item_url(story_id) if story_id and story_id.isdigit() else None,
        site=HN_SITE,
        author=author or None,
        published_at=published,
        primary_link=link,
        metadata=metadata,
    )
