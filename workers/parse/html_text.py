"""HTML (and trafilatura's XML) to clean text with links and quoted spans.

One iterative walk (`lxml.etree.iterwalk`, so nesting depth cannot hit the recursion
limit) serves HN comment HTML (`<p>`, `<i>`, `<a href>`, `<pre><code>`), blog and
e-mail bodies, feed entries and trafilatura's output vocabulary (`<head>`, `<quote>`,
`<ref target>`, `<list>/<item>`, `<code>`). Paragraphs are separated by "\\n\\n";
preformatted code is kept verbatim; `<blockquote>`/`<quote>`/`<q>` and HN's
"> quoted" paragraphs become `Quotation` spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from workers.documents import Quotation
from workers.errors import ParseError
from workers.parse.quotes import merge_quotations
from workers.parse.text import collapse_whitespace, strip_control_chars, unique

BLOCK_TAGS = frozenset(
    ["p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure", "figcaption", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "thead", "tbody", "blockquote", "pre", "hr", "address", "center", "form", "head", "item", "list", "row", "cell", "quote", "lg", "l"]
)
CODE_BLOCK_PARENTS = frozenset({"main", "doc", "body", "div", "section", "article", "quote", "blockquote"})
SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "math", "iframe", "object", "button", "select", "textarea"])
QUOTE_BLOCK_TAGS = frozenset({"blockquote", "quote"})
PRE_TAGS = frozenset({"pre"})
LINK_ATTRS = {"a": "href", "ref": "target"}

_OPEN, _CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class RichText:
    """Clean text plus what the markup said about it."""

    text: str
    links: tuple[str, ...] = ()
    quotations: tuple[Quotation, ...] = ()


class _Blocks:
    """Accumulates inline text into paragraphs while the walk enters and leaves blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.pre_depth = 0
        self.pending = ""

    def add(self, text: str | None) -> None:
        if text:
            self.current.append(text)

    def flush(self) -> None:
        raw = "".join(self.current)
        self.current = []
        if self.pre_depth:
            block = raw.strip("\n").rstrip()
        else:
            block = "\n".join(collapse_whitespace(line) for line in raw.split("\n")).strip("\n ")
        if block.replace(_OPEN, "").replace(_CLOSE, "").strip():
            self.blocks.append(self.pending + block)
            self.pending = ""
            return
        # A block holding only quote markers: closers end the previous block, openers
        # start the next one, so that no empty paragraph is left behind.
        closers = block.count(_CLOSE)
        if closers and self.blocks:
            self.blocks[-1] += _CLOSE * closers
        elif closers:
            self.pending = self.pending[:-closers] if len(self.pending) >= closers else ""
        self.pending += _OPEN * block.count(_OPEN)


def _local_name(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag.rsplit("}", 1)[-1].lower()


def _is_preformatted(element: etree._Element, name: str) -> bool:
    """`<pre>`, or a block-level `<code>` (trafilatura's output puts code under `<main>`)."""
    if name in PRE_TAGS:
        return True
    if name != "code":
        return False
    parent = element.getparent()
    return parent is not None and _local_name(parent.tag) in CODE_BLOCK_PARENTS


def element_to_richtext(root: etree._Element) -> RichText:
    """Walk an element tree (HTML or trafilatura XML) into `RichText`."""
    acc = _Blocks()
    links: list[str] = []
    skip_depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        name = _local_name(element.tag)
        if event == "start":
            if name is None:
                continue
            if skip_depth or name in SKIP_TAGS:
                skip_depth += 1
                continue
            preformatted = _is_preformatted(element, name)
            if name in ("br", "lb"):
                acc.add("\n")
            elif (name in BLOCK_TAGS or preformatted) and not acc.pre_depth:
                acc.flush()
            if preformatted:
                acc.pre_depth += 1
            if name in QUOTE_BLOCK_TAGS or name == "q":
                acc.add(_OPEN)
            attr = LINK_ATTRS.get(name)
            if attr:
                target = (element.get(attr) or "").strip()
                if target.startswith(("http://", "https://")):
                    links.append(target)
            acc.add(element.text)
            continue
        if name is None:  # comment or processing instruction: only its tail is text
            if not skip_depth:
                acc.add(element.tail)
            continue
        if skip_depth:
            skip_depth -= 1
            if skip_depth == 0 and element is not root:
                acc.add(element.tail)
            continue
        if name in QUOTE_BLOCK_TAGS or name == "q":
            acc.add(_CLOSE)
        preformatted = _is_preformatted(element, name)
        if preformatted:
            acc.flush()
            acc.pre_depth = max(0, acc.pre_depth - 1)
        elif name in BLOCK_TAGS and not acc.pre_depth:
            acc.flush()
        if element is not root:
            acc.add(element.tail)
    acc.flush()
    if acc.pending and acc.blocks:
        acc.blocks[-1] += _CLOSE * acc.pending.count(_OPEN)
    return _finish("\n\n".join(acc.blocks), links)


def _finish(marked: str, links: list[str]) -> RichText:
    """Remove the quote markers, recording the spans they delimited."""
    out: list[str] = []
    quotations: list[Quotation] = []
    open_at: list[int] = []
    length = 0
    for char in marked:
        if char == _OPEN:
            open_at.append(length)
        elif char == _CLOSE:
            if open_at:
                start = open_at.pop()
                if not open_at:
                    quotations.append(Quotation(start, length, None))
        else:
            out.append(char)
            length += 1
    text = "".join(out)
    spans = [_trimmed(text, q) for q in quotations]
    spans += _hn_gt_paragraphs(text)
    return RichText(text, unique(links), merge_quotations(s for s in spans if s.end > s.start))


def _trimmed(text: str, quote: Quotation) -> Quotation:
    start, end = quote.start, quote.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Quotation(start, end, quote.attributed_to)


def _hn_gt_paragraphs(text: str) -> list[Quotation]:
    """HN quotes by starting a paragraph with ">"; such paragraphs are quotations."""
    spans = []
    offset = 0
    for para in text.split("\n\n"):
        if para.lstrip().startswith(">"):
            spans.append(Quotation(offset, offset + len(para), None))
        offset += len(para) + 2
    return spans


def html_fragment_to_richtext(markup: str) -> RichText:
    """Clean text of an HTML fragment such as an HN comment's `text` field."""
    markup = strip_control_chars(markup)
    if not markup.strip():
        return RichText("")
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError) as e:
        raise ParseError(f"unreadable HTML fragment: {e}") from e
    return element_to_richtext(root)


def html_document_root(markup: str) -> etree._Element:
    """Parse a whole HTML page with lxml, raising ParseError when it cannot be read."""
    markup = strip_control_chars(markup)
    if not markup.strip():
        raise ParseError("empty HTML document")
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as e:
        raise ParseError(f"unreadable HTML: {e}") from e
