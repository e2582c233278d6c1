"""Hacker News threads from JSON: the Algolia items endpoint and the official Firebase API.

`parse_algolia_item` takes one item from `https://hn.algolia.com/api/v1/items/ID`
(a story or comment with nested `children`); `parse_firebase_items` takes items from
`https://hacker-news.firebaseio.com/v0/item/ID.json` in any order (the root is the
story, or the item whose parent is not among them). The HTTP fetcher calls both
directly; `parse_bytes` calls them for JSON input.

Tree walks use an explicit stack, so a reply chain thousands deep is fine. Deleted
and dead comments stay as placeholder posts (`deleted=True`, empty text) so that
their replies keep a parent. Every string taken from the JSON passes `_clean`: a
`\uD83D` escape without its other half decodes to a lone surrogate, which neither
spaCy nor Neo4j can encode, so it becomes U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from workers.documents import Document, Post, SourceKind
from workers.errors import ParseError
from workers.parse.html_text import RichText, html_fragment_to_richtext
from workers.parse.quotes import find_quotations, merge_quotations
from workers.parse.text import hn_item_url, host_of, iso_from_unix, normalise_iso

HN_SITE = "news.ycombinator.com"
_STORY_TYPES = ("story", "poll", "job", "pollopt")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", value)


def _item_id(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return _clean(value.strip())
    return None


def _text_field(value: object) -> str | None:
    return _clean(value.strip()) or None if isinstance(value, str) else None


def _http_url(value: object) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return _clean(value.strip())
    return None


def _richtext(markup: object) -> RichText:
    if not isinstance(markup, str) or not markup.strip():
        return RichText("")
    rich = html_fragment_to_richtext(_clean(markup))
    quotes = merge_quotations([*rich.quotations, *find_quotations(rich.text, block_cues=False)])
    return RichText(rich.text, rich.links, quotes)


def _post(
    item_id: str,
    *,
    parent_id: str | None,
    depth: int,
    author: object,
    posted_at: str | None,
    markup: object,
    deleted: bool,
    title: object = None,
) -> Post:
    rich = RichText("") if deleted else _richtext(markup)
    return Post(
        local_id=item_id,
        text=rich.text,
        parent_id=parent_id,
        author=None if deleted else _text_field(author),
        posted_at=posted_at,
        url=hn_item_url(item_id),
        depth=depth,
        title=_text_field(title),
        links=rich.links,
        quotations=rich.quotations,
        deleted=deleted,
    )


def _algolia_time(item: Mapping[str, Any]) -> str | None:
    return normalise_iso(item.get("created_at")) or iso_from_unix(item.get("created_at_i"))


def _algolia_deleted(item: Mapping[str, Any]) -> bool:
    if item.get("deleted") or item.get("dead"):
        return True
    return item.get("author") is None and item.get("text") is None and item.get("title") is None


def _children(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    children = item.get("children")
    if not isinstance(children, list):
        return []
    return [child for child in children if isinstance(child, dict)]


def parse_algolia_item(obj: dict) -> Document:
    """A Document from one Algolia item (`/api/v1/items/ID`) and its nested children."""
    if not isinstance(obj, dict):
        raise ParseError(f"Algolia item must be a JSON object, got {type(obj).__name__}")
    root_id = _item_id(obj.get("id"))
    if root_id is None:
        raise ParseError("Algolia item has no id")
    is_story = obj.get("type") in _STORY_TYPES or (obj.get("parent_id") is None and "title" in obj)
    posts: list[Post] = []
    if is_story:
        if _text_field(obj.get("text")):
            posts.append(_post(root_id, parent_id=None, depth=0, author=obj.get("author"),
                               posted_at=_algolia_time(obj), markup=obj.get("text"), deleted=False,
                               title=obj.get("title")))
        stack: list[tuple[Mapping[str, Any], str | None, int]] = [
            (child, None, 0) for child in reversed(_children(obj))
        ]
    else:
        stack = [(obj, None, 0)]
    seen: set[str] = {root_id} if is_story else set()
    while stack:
        item, parent_id, depth = stack.pop()
        item_id = _item_id(item.get("id"))
        if item_id is None or item_id in seen:
            continue
        seen.add(item_id)
        posts.append(_post(item_id, parent_id=parent_id, depth=depth, author=item.get("author"),
                           posted_at=_algolia_time(item), markup=item.get("text"),
                           deleted=_algolia_deleted(item)))
        stack.extend((child, item_id, depth + 1) for child in reversed(_children(item)))
    primary = _http_url(obj.get("url")) if is_story else None
    metadata = {"hn_id": root_id, "nesting": "tree", "format": "hn_algolia_json"}
    story_id = _item_id(obj.get("story_id"))
    if story_id:
        metadata["story_id"] = story_id
    if isinstance(obj.get("points"), int) and not isinstance(obj.get("points"), bool):
        metadata["points"] = str(obj["points"])
    if primary:
        metadata["story_site"] = host_of(primary) or ""
    return Document(
        kind=SourceKind.HN_THREAD,
        title=_text_field(obj.get("title")) if is_story else None,
        posts=tuple(posts),
        url=hn_item_url(root_id),
        site=HN_SITE,
        author=_text_field(obj.get("author")) if is_story else None,
        published_at=_algolia_time(obj) if is_story else None,
        primary_link=primary,
        metadata=metadata,
    )


def _firebase_deleted(item: Mapping[str, Any]) -> bool:
    return bool(item.get("deleted") or item.get("dead"))


def _index_items(items: Iterable[object]) -> dict[str, Mapping[str, Any]]:
    by_id: dict[str, Mapping[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        item_id = _item_id(item.get("id"))
        if item_id is not None:
            by_id.setdefault(item_id, item)
    return by_id


def _find_root(by_id: Mapping[str, Mapping[str, Any]]) -> str:
    for item_id, item in by_id.items():
        if item.get("type") in _STORY_TYPES and _item_id(item.get("parent")) not in by_id:
            return item_id
    for item_id, item in by_id.items():
        if _item_id(item.get("parent")) not in by_id:
            return item_id
    raise ParseError("Firebase items form a cycle: no item without a parent among them")


def _ordered_children(by_id: Mapping[str, Mapping[str, Any]], root: str) -> dict[str, list[str]]:
    """Each item's replies, in the parent's `kids` order (then time, then id)."""
    children: dict[str, list[str]] = {}
    for item_id, item in by_id.items():
        parent = _item_id(item.get("parent"))
        if item_id != root and parent is not None and parent in by_id:
            children.setdefault(parent, []).append(item_id)
    for parent, kids in children.items():
        declared = by_id[parent].get("kids")
        rank = {}
        if isinstance(declared, list):
            rank = {kid: i for i, kid in enumerate(filter(None, map(_item_id, declared)))}
        kids.sort(key=lambda k: (rank.get(k, len(rank)), _sort_time(by_id[k]), k))
    return children


def _sort_time(item: Mapping[str, Any]) -> float:
    value = item.get("time")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def parse_firebase_items(items: list[dict]) -> Document:
    """A Document from official-API items (one story and its comments, any order)."""
    if not isinstance(items, list):
        raise ParseError(f"Firebase items must be a JSON list, got {type(items).__name__}")
    by_id = _index_items(items)
    if not by_id:
        raise ParseError("no Hacker News items with an id")
    root = _find_root(by_id)
    root_item = by_id[root]
    is_story = root_item.get("type") in _STORY_TYPES or "title" in root_item
    children = _ordered_children(by_id, root)
    posts: list[Post] = []
    seen: set[str] = set()
    if is_story:
        seen.add(root)
        if _text_field(root_item.get("text")):
            posts.append(_post(root, parent_id=None, depth=0, author=root_item.get("by"),
                               posted_at=iso_from_unix(root_item.get("time")),
                               markup=root_item.get("text"), deleted=False, title=root_item.get("title")))
        starts = [(kid, None, 0) for kid in children.get(root, [])]
    else:
        starts = [(root, None, 0)]
    # Items whose parent is missing are kept as top-level posts rather than dropped.
    starts += [(i, None, 0) for i, item in by_id.items()
               if i != root and _item_id(item.get("parent")) not in by_id]
    stack: list[tuple[str, str | None, int]] = list(reversed(starts))
    while stack:
        item_id, parent_id, depth = stack.pop()
        if item_id in seen:
            continue
        seen.add(item_id)
        item = by_id[item_id]
        posts.append(_post(item_id, parent_id=parent_id, depth=depth, author=item.get("by"),
                           posted_at=iso_from_unix(item.get("time")), markup=item.get("text"),
                           deleted=_firebase_deleted(item)))
        stack.extend((kid, item_id, depth + 1) for kid in reversed(children.get(item_id, [])))
    primary = _http_url(root_item.get("url")) if is_story else None
    metadata = {"hn_id": root, "nesting": "tree", "format": "hn_firebase_json"}
    score = root_item.get("score")
    if isinstance(score, int) and not isinstance(score, bool):
        metadata["points"] = str(score)
    return Document(
        kind=SourceKind.HN_THREAD,
        title=_text_field(root_item.get("title")) if is_story else None,
        posts=tuple(posts),
        url=hn_item_url(root),
        site=HN_SITE,
        author=_text_field(root_item.get("by")) if is_story else None,
        published_at=iso_from_unix(root_item.get("time")) if is_story else None,
        primary_link=primary,
        metadata=metadata,
    )


def is_algolia_shape(obj: object) -> bool:
    """Whether a JSON value looks like an Algolia item."""
    return isinstance(obj, dict) and "id" in obj and (
        "children" in obj or "created_at" in obj or "created_at_i" in obj or "story_id" in obj
        or "author" in obj
    )


def is_firebase_shape(obj: object) -> bool:
    """Whether a JSON value looks like one Firebase item or a list of them."""
    items = obj if isinstance(obj, list) else [obj]
    return bool(items) and all(
        isinstance(item, dict) and "id" in item and ("by" in item or "kids" in item or "time" in item
                                                      or "parent" in item or item.get("deleted"))
        for item in items
    )
