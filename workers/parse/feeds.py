"""E-mail (.eml, .mbox) and RSS/Atom feeds.

An e-mail is one Document (kind newsletter unless the caller says otherwise): its
HTML body goes through the blog HTML reader, a plain body through the plain-text
reader, and a body sectioned like a newsletter issue becomes one post per section. An
mbox holds several messages. A feed gives one Document per entry, with
`metadata["feed_entry_link"]` so that a fetcher can ingest the linked item itself.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
import time
from email.message import EmailMessage, Message

import feedparser

from workers.documents import Document, SourceKind
from workers.errors import ParseError
from workers.parse.blog import BlogBody, make_blog_document, parse_html_body, parse_plain_body
from workers.parse.html_text import html_fragment_to_richtext
from workers.parse.newsletter import looks_like_newsletter, parse_newsletter
from workers.parse.text import collapse_whitespace, host_of

_MBOX_SEPARATOR_RE = re.compile(rb"(?:^|\n)From [^\n]*\n")
_HEADER_LINE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")


def looks_like_email(text: str) -> bool:
    """RFC 822 headers up to the first blank line, including From and Subject or Date."""
    head = text.lstrip()[:20000].split("\n\n", 1)[0]
    lines = [line for line in head.split("\n") if line and not line[0].isspace()]
    if not lines or not all(_HEADER_LINE_RE.match(line) for line in lines):
        return False
    names = {line.split(":", 1)[0].lower() for line in lines}
    return "from" in names and bool(names & {"subject", "date", "message-id", "to"})


def looks_like_mbox(text: str) -> bool:
    """An mbox starts with a "From " separator line followed by headers."""
    if not text.startswith("From "):
        return False
    _, _, rest = text.partition("\n")
    return looks_like_email(rest)


def _decoded_part(part: Message) -> str:
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else None
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, UnicodeError, KeyError, AssertionError):
        pass  # an unknown charset or a broken transfer encoding; decode the raw payload below
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            return payload.decode("latin-1")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def _bodies(message: Message) -> tuple[str | None, str | None]:
    """(HTML body, plain body) of a message, the first of each type that is not an attachment."""
    html = plain = None
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/html" and html is None:
            html = _decoded_part(part)
        elif ctype == "text/plain" and plain is None:
            plain = _decoded_part(part)
    return html, plain


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        # A malformed header the policy cannot parse (Python's address parser fails on "From: .:" with
        # AttributeError): keep it as written.
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), None)
    return collapse_whitespace(str(value)) if value else None


def _email_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment.timestamp()))


def _author(value: str | None) -> str | None:
    if not value:
        return None
    if "@" not in value:
        return value.strip() or None
    name, address = email.utils.parseaddr(value)
    return name or address or value


def parse_email_message(message: Message, *, url: str | None = None,
                        kind: SourceKind = SourceKind.NEWSLETTER) -> Document:
    """A Document from one parsed e-mail message."""
    html, plain = _bodies(message)
    title = _header(message, "subject")
    author = _author(_header(message, "from"))
    published = _email_date(_header(message, "date"))
    metadata = {"format": "email"}
    if message_id := _header(message, "message-id"):
        metadata["message_id"] = message_id
    if plain and looks_like_newsletter(plain):
        doc = parse_newsletter(plain, url=url, kind=kind)
        return Document(kind=doc.kind, title=title or doc.title, posts=doc.posts, url=url, site=host_of(url),
                        author=author, published_at=published or doc.published_at,
                        metadata={**doc.metadata, **metadata})
    if html and html.strip():
        body = parse_html_body(html, url)
    elif plain and plain.strip():
        body = parse_plain_body(plain)
        body = BlogBody(text=body.text, links=body.links, quotations=body.quotations)
    else:
        raise ParseError("e-mail has no text or HTML body")
    body = BlogBody(
        text=body.text, title=title or body.title, author=author or body.author,
        published_at=published or body.published_at, url=url, site=host_of(url),
        links=body.links, quotations=body.quotations,
    )
    return make_blog_document(body, url=url, kind=kind, metadata=metadata)


def parse_eml(data: bytes, *, url: str | None = None, kind: SourceKind = SourceKind.NEWSLETTER) -> Document:
    """A Document from the bytes of one .eml message."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    return parse_email_message(message, url=url, kind=kind)


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox file, with ">From " escaping undone."""
    chunks = _MBOX_SEPARATOR_RE.split(data.replace(b"\r\n", b"\n"))
    messages = []
    for chunk in chunks:
        if chunk.strip():
            messages.append(re.sub(rb"(?m)^>(>*From )", rb"\1", chunk))
    return messages


def parse_mbox(data: bytes, *, url: str | None = None, kind: SourceKind = SourceKind.NEWSLETTER) -> list[Document]:
    """One Document per message of an mbox file; messages without a body are skipped."""
    documents = []
    errors = []
    for chunk in split_mbox(data):
        try:
            documents.append(parse_eml(chunk, url=url, kind=kind))
        except ParseError as e:
            errors.append(str(e))
    if not documents:
        raise ParseError(f"mbox holds no readable message ({'; '.join(errors[:3]) or 'no messages'})")
    return documents


def looks_like_feed(text: str) -> bool:
    """An RSS, RDF or Atom document (checked near the start, after any XML declaration)."""
    head = text.lstrip()[:2000].lower()
    head = re.sub(r"<\?xml[^>]*\?>|<!--.*?-->|<!doctype[^>]*>", "", head, flags=re.DOTALL).lstrip()
    return head.startswith(("<rss", "<feed", "<rdf:rdf", "<rdf "))


def _entry_time(entry: feedparser.FeedParserDict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return None


def _entry_author(entry: feedparser.FeedParserDict) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author")
    return _author(str(name)) if name else None


def _entry_markup(entry: feedparser.FeedParserDict) -> tuple[str, bool]:
    """The richest body an entry has, and whether it is HTML."""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if value.strip():
            return value, "html" in (content.get("type") or "html")
    detail = entry.get("summary_detail") or {}
    summary = entry.get("summary") or ""
    return summary, "html" in (detail.get("type") or "html")


def parse_feed(data: bytes, *, kind: SourceKind = SourceKind.BLOG) -> list[Document]:
    """One Document per RSS/Atom entry."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        raise ParseError(f"feed has no entries{f' ({reason})' if reason else ''}")
    feed_title = (parsed.get("feed") or {}).get("title")
    documents = []
    for index, entry in enumerate(entries, start=1):
        markup, is_html = _entry_markup(entry)
        rich = html_fragment_to_richtext(markup) if is_html else None
        text = rich.text if rich else markup.strip()
        link = entry.get("link") if str(entry.get("link") or "").startswith(("http://", "https://")) else None
        title = entry.get("title") or None
        if not text.strip() and not title:
            continue
        body = BlogBody(
            text=text or (title or ""), title=title, author=_entry_author(entry),
            published_at=_entry_time(entry), url=link, site=host_of(link),
            links=rich.links if rich else (), quotations=rich.quotations if rich else (),
        )
        metadata = {"format": "feed", "feed_entry_index": str(index)}
        if link:
            metadata["feed_entry_link"] = link
        if feed_title:
            metadata["feed_title"] = str(feed_title)
        documents.append(make_blog_document(body, url=link, kind=kind, metadata=metadata))
    if not documents:
        raise ParseError("feed entries have no title or text")
    return documents

