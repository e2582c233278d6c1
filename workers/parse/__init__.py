"""The parse stage: raw bytes of any supported format -> `workers.documents.Document`s.

`parse_bytes` decodes the bytes (`decode`), sniffs the format and dispatches to one
module per format:

    hn_json      Algolia / Firebase HN JSON       hn_html     saved HN item page
    hn_gopher    HN Gopher text dump              hn_flat     flattened thread text
    blog         HTML / Markdown / plain article  newsletter  sectioned issue
    feeds        .eml, .mbox, RSS / Atom

Detection order: JSON; mbox; RFC 822 e-mail; RSS/Atom; HTML (an HN page, else an
article); Gopher dump; sectioned newsletter; Markdown; flattened HN thread; plain-text
article. A file name's extension or the content type settles ambiguous cases, and
`kind_hint` chooses between the plain-text readers and sets the kind of articles,
e-mails and feed entries. Every failure is a `ParseError` with a readable reason.
"""

from __future__ import annotations

import enum
import re

from workers.documents import Document, SourceKind
from workers.errors import ParseError
from workers.parse import blog, feeds, hn_flat, hn_gopher, hn_html, hn_json, jsonload, newsletter
from workers.parse.decode import MAX_INPUT_BYTES, check_size, decode_bytes
from workers.parse.hn_json import parse_algolia_item, parse_firebase_items

__all__ = [
    "MAX_INPUT_BYTES",
    "InputFormat",
    "detect_format",
    "parse_algolia_item",
    "parse_bytes",
    "parse_firebase_items",
    "parse_text",
]


class InputFormat(str, enum.Enum):
    """The formats `parse_bytes` recognises."""

    JSON = "json"
    MBOX = "mbox"
    EMAIL = "email"
    FEED = "feed"
    HN_HTML = "hn_html"
    HTML = "html"
    GOPHER = "hn_gopher"
    NEWSLETTER = "newsletter"
    MARKDOWN = "markdown"
    FLAT_THREAD = "hn_flat"
    PLAIN = "text"


_EXTENSIONS = {
    ".json": InputFormat.JSON,
    ".mbox": InputFormat.MBOX,
    ".eml": InputFormat.EMAIL,
    ".rss": InputFormat.FEED,
    ".atom": InputFormat.FEED,
    ".html": InputFormat.HTML,
    ".htm": InputFormat.HTML,
    ".md": InputFormat.MARKDOWN,
    ".markdown": InputFormat.MARKDOWN,
}
_CONTENT_TYPES = {
    "application/json": InputFormat.JSON,
    "application/mbox": InputFormat.MBOX,
    "message/rfc822": InputFormat.EMAIL,
    "application/rss+xml": InputFormat.FEED,
    "application/atom+xml": InputFormat.FEED,
    "text/html": InputFormat.HTML,
    "application/xhtml+xml": InputFormat.HTML,
    "text/markdown": InputFormat.MARKDOWN,
}
_JSON_START_RE = re.compile(r"^(?:\{|\[\s*(?:[\[{\]\"\-\d]|true|false|null))")
_HTML_START_RE = re.compile(
    r"^(?:<!doctype\s+html|<html|<head|<body|<meta|<title|<article|<div|<p[\s>]|<table|<!--)", re.IGNORECASE
)


def _declared_format(name: str | None, content_type: str | None) -> InputFormat | None:
    if content_type:
        declared = _CONTENT_TYPES.get(content_type.split(";", 1)[0].strip().lower())
        if declared:
            return declared
    if name:
        lowered = name.lower()
        for extension, fmt in _EXTENSIONS.items():
            if lowered.endswith(extension):
                return fmt
    return None


def _text_format(text: str, kind_hint: SourceKind | None) -> InputFormat:
    """Formats told apart by their text alone (after the markup-based ones)."""
    if hn_gopher.looks_like_gopher(text):
        return InputFormat.GOPHER
    if newsletter.looks_like_newsletter(text):
        return InputFormat.NEWSLETTER
    if kind_hint is SourceKind.HN_THREAD:
        return InputFormat.FLAT_THREAD
    if blog.looks_like_markdown(text):
        return InputFormat.MARKDOWN
    if kind_hint is None and hn_flat.looks_like_flat_thread(text):
        return InputFormat.FLAT_THREAD
    return InputFormat.PLAIN


def detect_format(text: str, *, name: str | None = None, content_type: str | None = None,
                  kind_hint: SourceKind | None = None) -> InputFormat:
    """Which reader suits `text`; content wins over a name or content type where it is clear."""
    head = text.lstrip()[:4096]
    declared = _declared_format(name, content_type)
    if _JSON_START_RE.match(head) or (declared is InputFormat.JSON and head[:1] in "{["):
        return InputFormat.JSON
    if feeds.looks_like_mbox(head) or (declared is InputFormat.MBOX and head.startswith("From ")):
        return InputFormat.MBOX
    if feeds.looks_like_email(text) or (declared is InputFormat.EMAIL and ":" in head.split("\n", 1)[0]):
        return InputFormat.EMAIL
    if feeds.looks_like_feed(head):
        return InputFormat.FEED
    if _HTML_START_RE.match(re.sub(r"^<\?xml[^>]*\?>\s*", "", head)) or declared is InputFormat.HTML:
        return InputFormat.HN_HTML if hn_html.looks_like_hn_page(text) else InputFormat.HTML
    if declared is InputFormat.FEED:
        return InputFormat.FEED
    if declared is InputFormat.MARKDOWN and not hn_gopher.looks_like_gopher(text) \
            and not newsletter.looks_like_newsletter(text):
        return InputFormat.MARKDOWN
    return _text_format(text, kind_hint)


def _parse_json(text: str) -> list[Document]:
    value = jsonload.loads(text)
    if hn_json.is_firebase_shape(value):
        return [parse_firebase_items(value if isinstance(value, list) else [value])]
    if hn_json.is_algolia_shape(value):
        return [parse_algolia_item(value)]
    if isinstance(value, dict) and isinstance(value.get("hits"), list):
        raise ParseError("JSON is an Algolia search result, not an item; fetch /api/v1/items/ID for a thread")
    raise ParseError("JSON is not a Hacker News item (Algolia item or Firebase item list)")


def _with_kind(documents: list[Document], kind: SourceKind | None) -> list[Document]:
    if kind is None:
        return documents
    return [
        Document(kind=kind, title=d.title, posts=d.posts, url=d.url, site=d.site, author=d.author,
                 published_at=d.published_at, primary_link=d.primary_link, metadata=d.metadata)
        if d.kind is not kind else d
        for d in documents
    ]


def _dispatch(fmt: InputFormat, text: str, data: bytes, url: str | None,
              kind_hint: SourceKind | None) -> list[Document]:
    if fmt is InputFormat.JSON:
        return _parse_json(text)
    if fmt is InputFormat.MBOX:
        return feeds.parse_mbox(data, url=url, kind=kind_hint or SourceKind.NEWSLETTER)
    if fmt is InputFormat.EMAIL:
        return [feeds.parse_eml(data, url=url, kind=kind_hint or SourceKind.NEWSLETTER)]
    if fmt is InputFormat.FEED:
        return feeds.parse_feed(data, kind=kind_hint or SourceKind.BLOG)
    if fmt is InputFormat.HN_HTML:
        return [hn_html.parse_hn_page(text)]
    if fmt is InputFormat.HTML:
        return [blog.parse_html_blog(text, url=url, kind=kind_hint or SourceKind.BLOG)]
    if fmt is InputFormat.GOPHER:
        return [hn_gopher.parse_gopher(text)]
    if fmt is InputFormat.NEWSLETTER:
        return [newsletter.parse_newsletter(text, url=url, kind=kind_hint or SourceKind.NEWSLETTER)]
    if fmt is InputFormat.FLAT_THREAD:
        return [hn_flat.parse_flat_thread(text)]
    if fmt is InputFormat.MARKDOWN:
        return [blog.parse_markdown_blog(text, url=url, kind=kind_hint or SourceKind.BLOG)]
    return [blog.parse_plain_blog(text, url=url, kind=kind_hint or SourceKind.BLOG)]


def parse_text(text: str, *, name: str | None = None, content_type: str | None = None,
               url: str | None = None, kind_hint: SourceKind | None = None) -> list[Document]:
    """Parse already-decoded text (e-mail and feeds are re-encoded as UTF-8)."""
    return parse_bytes(text.encode("utf-8"), name=name, content_type=content_type, url=url,
                       kind_hint=kind_hint)


def parse_bytes(data: bytes, *, name: str | None = None, content_type: str | None = None,
                url: str | None = None, kind_hint: SourceKind | None = None) -> list[Document]:
    """Documents in `data` (one, or several for feeds and mbox files); ParseError otherwise."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ParseError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    check_size(data)
    text = decode_bytes(data, content_type)
    fmt = detect_format(text, name=name, content_type=content_type, kind_hint=kind_hint)
    if fmt in (InputFormat.MBOX, InputFormat.EMAIL, InputFormat.FEED) and not data.lstrip()[:1].isascii():
        data = text.encode("utf-8")  # a BOM or UTF-16 input: hand the e-mail/feed readers UTF-8
    try:
        documents = _dispatch(fmt, text, data, url, kind_hint)
    except ParseError:
        raise
    except RecursionError as e:
        raise ParseError(f"{fmt.value}: input nested too deeply") from e
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, LookupError, UnicodeError) as e:
        # A safety net at the stage boundary: a reader met input it did not expect.
        raise ParseError(f"unexpected {fmt.value} content: {type(e).__name__}: {e}") from e
    if not documents:
        raise ParseError(f"no documents found in {fmt.value} input")
    documents = [d for d in documents if d.posts] or documents
    if kind_hint is not None and fmt in (InputFormat.HTML, InputFormat.MARKDOWN, InputFormat.PLAIN,
                                         InputFormat.EMAIL, InputFormat.MBOX, InputFormat.FEED,
                                         InputFormat.NEWSLETTER):
        documents = _with_kind(documents, kind_hint)
    return documents
