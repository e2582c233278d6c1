"""The parsed form of a source: what every parser returns and every later stage reads.

A `Document` is one source (an HN thread, a blog post, a newsletter issue or one of
its sections) with its posts in reading order. Parsers build it; extraction never looks
at raw bytes. Everything here is frozen so that stages cannot mutate each other's input.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class SourceKind(str, enum.Enum):
    """What kind of discussion a source is; stored as `Source.kind`."""

    HN_THREAD = "hn_thread"
    BLOG = "blog"
    NEWSLETTER = "newsletter"


@dataclass(frozen=True)
class Quotation:
    """A span of a post's text that quotes someone else.

    `start`/`end` are character offsets into `Post.text`. `attributed_to` names who
    is quoted when the text says so ("from the abstract", a paper, a friend); None
    means "quoted, speaker unknown" (for an HN reply, usually the parent comment).
    """

    start: int
    end: int
    attributed_to: str | None = None


@dataclass(frozen=True)
class Post:
    """One comment, article body or newsletter section.

    `local_id` is unique within the document (an HN item id, or an ordinal);
    `parent_id` is another post's `local_id` in the same document, or None for a
    top-level post. `text` is clean plain text (no HTML, no Gopher `| ` prefixes,
    wrapped lines joined). `links` are link targets found in the post, in order.
    """

    local_id: str
    text: str
    parent_id: str | None = None
    author: str | None = None
    posted_at: str | None = None
    url: str | None = None
    depth: int = 0
    title: str | None = None
    links: tuple[str, ...] = ()
    quotations: tuple[Quotation, ...] = ()
    deleted: bool = False


@dataclass(frozen=True)
class Document:
    """A parsed source and its posts, in reading order (parents before replies)."""

    kind: SourceKind
    title: str | None
    posts: tuple[Post, ...]
    url: str | None = None
    site: str | None = None
    author: str | None = None
    published_at: str | None = None
    primary_link: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    def post_by_id(self) -> dict[str, Post]:
        return {post.local_id: post for post in self.posts}
