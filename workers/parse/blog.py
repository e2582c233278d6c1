"""Blog posts from HTML (through trafilatura), Markdown or plain text.

A blog is one Document holding ONE post (`local_id` "body") with the main text,
paragraphs separated by "\\n\\n". Quoted spans are marked: `<blockquote>`/`<q>` in
HTML, `>` lines in Markdown, and the plain-text cues of `workers.parse.quotes` in every
form. The author comes from page metadata, front matter or a "by: NAME" line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace

import trafilatura
from lxml import etree

from workers.documents import Document, Post, Quotation, SourceKind
from workers.errors import ParseError
from workers.parse.html_text import RichText, element_to_richtext, html_document_root
from workers.parse.quotes import find_quotations, merge_quotations
from workers.parse.text import (
    collapse_spaces,
    find_urls,
    host_of,
    join_wrapped_lines,
    normalise_iso,
    normalise_text,
    single_spaced,
    split_paragraphs,
    unique,
)

_BYLINE_RE = re.compile(r"^\s*(?:by|written by|author|posted by)\s*[:\-–—]?\s+(?P<name>\S.*)$", re.IGNORECASE)
_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_TITLE_END_RE = re.compile(r"[.?!:;,]$")
_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form")
# A dropped section is recovered when at least this many of its prose paragraphs, each at
# least this long, are missing from the extractor's text (one stray paragraph is usually
# a notice box the extractor was right to drop); a dropped lead paragraph needs fewer words.
_RECOVER_MIN_PARAGRAPHS = 2
_RECOVER_MIN_WORDS = 25
_RECOVER_MIN_LEAD_WORDS = 12
_MAIN_CONTAINERS = "//article | //main | //d-article | //*[@role='main']"


@dataclass(frozen=True)
class BlogBody:
    """What the HTML, Markdown and plain-text readers all produce."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    url: str | None = None
    site: str | None = None
    links: tuple[str, ...] = ()
    quotations: tuple[Quotation, ...] = ()


def make_blog_document(body: BlogBody, *, url: str | None = None,
                       kind: SourceKind = SourceKind.BLOG, metadata: dict[str, str] | None = None) -> Document:
    """Wrap a `BlogBody` as a one-post Document."""
    if not body.text.strip():
        raise ParseError("no main text found")
    quotes = merge_quotations([*body.quotations, *find_quotations(body.text)])
    links = unique([*body.links, *find_urls(body.text)])
    doc_url = body.url or url
    post = Post(
        local_id="body",
        text=body.text,
        author=body.author,
        posted_at=body.published_at,
        url=doc_url,
        title=body.title,
        links=links,
        quotations=quotes,
    )
    return Document(
        kind=kind,
        title=body.title,
        posts=(post,),
        url=doc_url,
        site=body.site or host_of(doc_url),
        author=body.author,
        published_at=body.published_at,
        metadata=dict(metadata or {}),
    )


# --- HTML -------------------------------------------------------------------------


def _clean_author(name: str | None) -> str | None:
    if not name:
        return None
    name = re.split(r"[;|]", name, maxsplit=1)[0].strip()
    return name or None


def _trafilatura_body(html: str, url: str | None) -> BlogBody | None:
    try:
        xml = trafilatura.extract(
            html, url=url, output_format="xml", with_metadata=True, include_links=True,
            include_comments=False, include_tables=True, favor_recall=True,
        )
    except Exception:  # noqa: BLE001 - trafilatura raises many types; the fallback reader handles the page
        return None
    if not xml:
        return None
    try:
        doc = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None
    main = doc.find("main")
    if main is None:
        return None
    rich = element_to_richtext(main)
    if not rich.text.strip():
        return None
    return BlogBody(
        text=rich.text,
        title=doc.get("title") or None,
        author=_clean_author(doc.get("author")),
        published_at=normalise_iso(doc.get("date")),
        url=doc.get("url") if (doc.get("url") or "").startswith(("http://", "https://")) else None,
        site=doc.get("sitename") or doc.get("hostname") or None,
        links=rich.links,
        quotations=rich.quotations,
    )


def _meta(root: etree._Element, *names: str) -> str | None:
    for name in names:
        for attr in ("name", "property", "itemprop"):
            found = root.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and str(found[0]).strip():
                return str(found[0]).strip()
    return None


def _lxml_body(html: str) -> BlogBody:
    root = html_document_root(html)
    title_el = root.find(".//title")
    title = _meta(root, "og:title", "twitter:title") or (
        title_el.text_content().strip() if title_el is not None else None)
    canonical = root.xpath("//link[@rel='canonical']/@href")
    url = str(canonical[0]).strip() if canonical else None
    body = root.find(".//body")
    container = body if body is not None else root
    for tag in _BOILERPLATE_TAGS:
        for element in container.findall(f".//{tag}"):
            element.drop_tree()
    rich: RichText = element_to_richtext(container)
    return BlogBody(
        text=rich.text,
        title=title or None,
        author=_clean_author(_meta(root, "author", "article:author", "twitter:creator")),
        published_at=normalise_iso(_meta(root, "article:published_time", "date", "datePublished")),
        url=url if url and url.startswith(("http://", "https://")) else None,
        site=_meta(root, "og:site_name"),
        links=rich.links,
        quotations=rich.quotations,
    )


@dataclass(frozen=True)
class _Dropped:
    """What trafilatura left out: a lead before the text it kept, and whole sections."""

    lead: RichText | None
    sections: RichText | None


def _dropped_paragraphs(html: str, kept_text: str) -> _Dropped:
    """Prose of the page's main container that trafilatura left out.

    trafilatura drops any element whose class or id looks like a comment area, and on
    discussion pages that is where the answers live (`<section class="comment-info"
    id="rebuttal">` holds the original authors' response on Distill) and where the page
    says what it discusses ("This article is part of a discussion of the Ilyas et al. paper
    ..."). Recovered: a section, when several of its long paragraphs are missing; and the
    lead, the missing paragraphs before the first one trafilatura kept.
    """
    root = html_document_root(html)
    containers = root.xpath(_MAIN_CONTAINERS)
    container = containers[0] if containers else root.find(".//body")
    if container is None:
        return _Dropped(None, None)
    kept = normalise_text(kept_text)
    lead: list[etree._Element] = []
    missing: list[etree._Element] = []
    missing_by_parent: dict[etree._Element, int] = {}
    seen_kept = False
    for paragraph in container.iter("p"):
        words = normalise_text(paragraph.text_content())
        if words[:120] in kept:
            seen_kept = seen_kept or bool(words)
            continue
        if any(ancestor.tag in _BOILERPLATE_TAGS for ancestor in paragraph.iterancestors()):
            continue
        n_words = len(words.split())
        if not seen_kept and n_words >= _RECOVER_MIN_LEAD_WORDS:
            lead.append(paragraph)
            continue
        if n_words >= _RECOVER_MIN_WORDS:
            missing.append(paragraph)
            missing_by_parent[paragraph.getparent()] = missing_by_parent.get(paragraph.getparent(), 0) + 1
    sections = [p for p in missing if missing_by_parent[p.getparent()] >= _RECOVER_MIN_PARAGRAPHS]
    return _Dropped(_paragraphs_text(lead), _paragraphs_text(sections))


def _paragraphs_text(paragraphs: list[etree._Element]) -> RichText | None:
    if not paragraphs:
        return None
    wrapper = etree.Element("div")
    for paragraph in paragraphs:
        wrapper.append(copy.deepcopy(paragraph))
    for element in wrapper.iter():
        # Source line breaks inside HTML prose are spaces (`<br>` still breaks the line).
        element.text = single_spaced(element.text) if element.text else element.text
        element.tail = single_spaced(element.tail) if element.tail else element.tail
    rich = element_to_richtext(wrapper)
    return rich if rich.text.strip() else None


def _joined(first: RichText | BlogBody, second: RichText | BlogBody) -> tuple[str, tuple[str, ...], tuple[Quotation, ...]]:
    """Text, links and quotations of `first` then `second` as further paragraphs."""
    offset = len(first.text) + 2
    shifted = tuple(Quotation(q.start + offset, q.end + offset, q.attributed_to) for q in second.quotations)
    return f"{first.text}\n\n{second.text}", unique([*first.links, *second.links]), (*first.quotations, *shifted)


def _with_dropped(body: BlogBody, dropped: _Dropped) -> BlogBody:
    if dropped.lead is not None:
        text, links, quotations = _joined(dropped.lead, body)
        body = replace(body, text=text, links=links, quotations=quotations)
    if dropped.sections is not None:
        text, links, quotations = _joined(body, dropped.sections)
        body = replace(body, text=text, links=links, quotations=quotations)
    return body


def parse_html_body(html: str, url: str | None = None) -> BlogBody:
    """Main text and metadata of an HTML page: trafilatura first (plus the lead and any prose
    section it dropped), plain lxml as fallback."""
    fallback = _lxml_body(html)
    extracted = _trafilatura_body(html, url)
    if extracted is None:
        return fallback
    body = BlogBody(
        text=extracted.text,
        title=extracted.title or fallback.title,
        author=extracted.author or fallback.author,
        published_at=extracted.published_at or fallback.published_at,
        url=extracted.url or fallback.url,
        site=extracted.site or fallback.site,
        links=extracted.links,
        quotations=extracted.quotations,
    )
    return _with_dropped(body, _dropped_paragraphs(html, extracted.text))


def parse_html_blog(html: str, *, url: str | None = None, kind: SourceKind = SourceKind.BLOG) -> Document:
    """A one-post Document from an HTML article page."""
    return make_blog_document(parse_html_body(html, url), url=url, kind=kind, metadata={"format": "html"})


# --- Markdown -----------------------------------------------------------------------

_MD_HEADING_RE = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_MD_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[(?P<label>[^\]]*)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_MD_AUTOLINK_RE = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_MD_EMPHASIS_RE = re.compile(r"(\*\*|__|\*)(?=\S)(?P<inner>.+?)(?<=\S)\1")
_MD_CODE_RE = re.compile(r"`(?P<inner>[^`]+)`")
_MD_HTML_TAG_RE = re.compile(r"</?(?:u|b|i|em|strong|span|sup|sub|br)\s*/?>", re.IGNORECASE)


def markdown_inline(text: str) -> tuple[str, list[str]]:
    """Markdown inline markup to plain text, and the link targets it held."""
    links: list[str] = []
    text = _MD_IMAGE_RE.sub("", text)

    def link(match: re.Match[str]) -> str:
        links.append(match.group("url"))
        return match.group("label")

    text = _MD_LINK_RE.sub(link, text)
    def autolink(match: re.Match[str]) -> str:
        links.append(match.group("url"))
        return match.group("url")

    text = _MD_AUTOLINK_RE.sub(autolink, text)
    text = _MD_CODE_RE.sub(lambda m: m.group("inner"), text)
    text = _MD_EMPHASIS_RE.sub(lambda m: m.group("inner"), text)
    text = _MD_HTML_TAG_RE.sub("", text)
    return text, [u for u in links if u.startswith(("http://", "https://"))]


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    if not lines or lines[0].strip() != "---":
        return {}, lines
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            fields = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep:
                    fields[key.strip().lower()] = value.strip().strip("\"'")
            return fields, lines[end + 1:]
    return {}, lines


def _markdown_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, raw text) blocks: "code", "quote", "heading", "item" or "para"."""
    blocks: list[tuple[str, str]] = []
    para: list[str] = []
    quote: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        if para:
            blocks.append(("para", join_wrapped_lines(para)))
            para.clear()
        if quote:
            for group in split_paragraphs(quote):
                blocks.append(("quote", join_wrapped_lines(group)))
            quote.clear()

    for line in lines:
        if code is not None:
            if line.strip().startswith(("```", "~~~")):
                blocks.append(("code", "\n".join(code)))
                code = None
            else:
                code.append(line)
            continue
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            flush()
            code = []
        elif stripped.startswith(">"):
            if para:
                flush()
            quote.append(stripped.lstrip(">").strip() or "")
        elif not stripped:
            flush()
        elif heading := _MD_HEADING_RE.match(line):
            flush()
            blocks.append(("heading", heading.group("text")))
        elif _MD_LIST_RE.match(line):
            flush()
            blocks.append(("item", _MD_LIST_RE.sub("", line, count=1).strip()))
        elif set(stripped) <= set("-*_=") and len(stripped) >= 3:
            flush()
        else:
            if quote:
                flush()
            para.append(line)
    if code is not None:
        blocks.append(("code", "\n".join(code)))
    flush()
    return blocks


def parse_markdown_body(text: str) -> BlogBody:
    """Main text of a Markdown article; a leading `# Title` becomes the title."""
    fields, lines = _front_matter(text.split("\n"))
    blocks = _markdown_blocks(lines)
    title = fields.get("title") or None
    if blocks and blocks[0][0] == "heading" and not title:
        title = markdown_inline(blocks[0][1])[0].strip() or None
        blocks = blocks[1:]
    pieces: list[str] = []
    quotes: list[Quotation] = []
    links: list[str] = []
    offset = 0
    for kind, raw in blocks:
        if kind == "code":
            piece = raw.strip("\n")
        else:
            piece, found = markdown_inline(raw)
            piece = collapse_spaces(piece).strip()
            links += found
        if not piece.strip():
            continue
        if pieces:
            offset += 2
        if kind == "quote":
            quotes.append(Quotation(offset, offset + len(piece), None))
        pieces.append(piece)
        offset += len(piece)
    body = "\n\n".join(pieces)
    byline = _byline(body.split("\n", 6)[:6])
    return BlogBody(
        text=body,
        title=title,
        author=fields.get("author") or byline,
        published_at=normalise_iso(fields.get("date")),
        links=tuple(links),
        quotations=merge_quotations(quotes),
    )


def parse_markdown_blog(text: str, *, url: str | None = None, kind: SourceKind = SourceKind.BLOG) -> Document:
    """A one-post Document from a Markdown article."""
    return make_blog_document(parse_markdown_body(text), url=url, kind=kind, metadata={"format": "markdown"})


# --- plain text ---------------------------------------------------------------------


def _byline(lines: list[str]) -> str | None:
    for line in lines:
        match = _BYLINE_RE.match(line)
        if match:
            name = re.split(r"[,(|;]|\s[-–—]\s|\s\d", match.group("name"), maxsplit=1)[0].strip()
            if name and len(name.split()) <= 5:
                return name
    return None


def _is_title_line(line: str) -> bool:
    return 0 < len(line.split()) <= 15 and _TITLE_END_RE.search(line.strip()) is None


def _plain_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs of plain text: hard-wrapped groups are joined, otherwise one per line."""
    out: list[str] = []
    for group in split_paragraphs(lines):
        widths = [len(line.rstrip()) for line in group[:-1]]
        wrapped = len(group) > 1 and all(30 <= w <= 100 for w in widths)
        if wrapped:
            out.append(join_wrapped_lines(group))
        else:
            out.extend(collapse_spaces(line).strip() for line in group)
    return [p for p in out if p]


def parse_plain_body(text: str) -> BlogBody:
    """Main text of a plain-text article: a short first line is the title."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = None
    if lines and _is_title_line(lines[0]):
        title = collapse_spaces(lines.pop(0)).strip()
    head = lines[:8]
    author = _byline(head)
    if author:
        lines = [line for i, line in enumerate(lines) if not (i < 8 and _BYLINE_RE.match(line))]
    date_match = next((m for m in map(_DATE_RE.search, head) if m), None)
    body = "\n\n".join(_plain_paragraphs(lines))
    return BlogBody(
        text=body,
        title=title,
        author=author,
        published_at=normalise_iso(date_match.group(0)) if date_match else None,
    )


def parse_plain_blog(text: str, *, url: str | None = None, kind: SourceKind = SourceKind.BLOG) -> Document:
    """A one-post Document from a plain-text article."""
    return make_blog_document(parse_plain_body(text), url=url, kind=kind, metadata={"format": "text"})


def looks_like_markdown(text: str) -> bool:
    """Headings, `[text](url)` links, fenced code or `>` quotes at line starts."""
    sample = text[:20000]
    signals = len(re.findall(r"(?m)^#{1,6}\s+\S", sample)) + len(_MD_LINK_RE.findall(sample))
    signals += len(re.findall(r"(?m)^```", sample)) + len(re.findall(r"(?m)^>\s", sample))
    return signals >= 2
