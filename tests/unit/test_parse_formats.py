"""Each input format, from small hand-written fixtures in tests/fixtures/sources/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers.documents import Document, SourceKind
from workers.parse import InputFormat, detect_format, parse_algolia_item, parse_bytes, parse_firebase_items

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"


def parse_one(name: str, **kwargs: object) -> Document:
    docs = parse_bytes((SOURCES / name).read_bytes(), name=name, **kwargs)  # type: ignore[arg-type]
    assert len(docs) == 1
    return docs[0]


def quoted(doc_text: str, quotations: tuple) -> list[str]:
    return [doc_text[q.start:q.end] for q in quotations]


def test_algolia_thread_tree_text_links_and_deleted() -> None:
    doc = parse_one("algolia_thread.json")
    assert doc.kind is SourceKind.HN_THREAD
    assert doc.title == "Chain of thought adds depth to transformers"
    assert doc.primary_link == "https://arxiv.org/abs/2501.00343v2"
    assert doc.published_at == "2025-01-31T17:48:06Z"
    posts = doc.post_by_id()
    assert [p.local_id for p in doc.posts] == ["1001", "1002", "1003", "1004"]
    alice = posts["1001"]
    assert alice.author == "alice" and alice.parent_id is None and alice.depth == 0
    assert alice.url == "https://news.ycombinator.com/item?id=1001"
    assert alice.text.startswith("I don't buy it & here's why.\n\nSee the paper and this:")
    assert "  def f(x):\n      return x < 2" in alice.text
    assert alice.links == ("https://example.com/paper",)
    assert quoted(alice.text, alice.quotations) == ["> CoT gives transformers extra serial computation"]
    deleted = posts["1002"]
    assert deleted.deleted and deleted.text == "" and deleted.author is None and deleted.parent_id == "1001"
    assert posts["1003"].parent_id == "1002" and posts["1003"].depth == 2
    assert posts["1003"].posted_at == "2025-01-31T18:10:00Z"


def test_parse_algolia_item_directly_on_a_comment_subtree() -> None:
    obj = json.loads((SOURCES / "algolia_thread.json").read_text())
    doc = parse_algolia_item(obj["children"][0])
    assert doc.title is None
    assert [(p.local_id, p.parent_id, p.depth) for p in doc.posts] == [
        ("1001", None, 0), ("1002", "1001", 1), ("1003", "1002", 2)]


def test_firebase_items_in_any_order() -> None:
    items = json.loads((SOURCES / "firebase_items.json").read_text())
    doc = parse_firebase_items(items)
    assert doc.title == "Attention Is All You Need"
    assert doc.primary_link == "https://arxiv.org/abs/1706.03762"
    assert [(p.local_id, p.parent_id, p.depth) for p in doc.posts] == [
        ("2001", None, 0), ("2003", "2001", 1), ("2004", "2003", 2), ("2005", "2004", 3), ("2002", None, 0)]
    posts = doc.post_by_id()
    assert posts["2001"].text == "First top-level comment.\n\nSecond paragraph."
    assert posts["2001"].posted_at == "2023-11-14T22:15:00Z"
    assert posts["2004"].deleted and posts["2005"].deleted and posts["2005"].text == ""
    assert posts["2003"].links == ("https://arxiv.org/abs/1706.03762",)
    assert parse_one("firebase_items.json").posts == doc.posts


def test_firebase_single_item_object() -> None:
    data = b'{"by": "a", "id": 5, "parent": 4, "text": "Just one <i>comment</i>.", "time": 1, "type": "comment"}'
    doc = parse_bytes(data)[0]
    assert [(p.local_id, p.text, p.parent_id) for p in doc.posts] == [("5", "Just one comment.", None)]


def test_hn_html_page_uses_indentation() -> None:
    doc = parse_one("hn_item_page.html")
    assert doc.title == "Theoretical limitations of multi-layer Transformer"
    assert doc.author == "fovc" and doc.primary_link == "https://arxiv.org/abs/2412.02975"
    assert [(p.local_id, p.parent_id, p.depth, p.author) for p in doc.posts] == [
        ("42890001", None, 0, "cs702"), ("42890002", "42890001", 1, "Matthyze"),
        ("42890003", "42890002", 2, None), ("42890004", None, 0, "cubefox")]
    first, reply, deleted, _ = doc.posts
    assert first.text == "Huh. This is not light reading.\n\nIt sure looks like good work: https://mml-book.github.io/"
    assert "reply" not in first.text.split()
    assert first.posted_at == "2025-01-31T18:02:11Z"
    assert quoted(reply.text, reply.quotations) == ["> not light reading"]
    assert deleted.deleted and deleted.text == ""


def test_gopher_dump_with_indentation() -> None:
    doc = parse_one("gopher_indented.txt")
    assert doc.metadata["nesting"] == "indentation"
    assert doc.primary_link == "https://arxiv.org/abs/2501.00343"
    assert doc.published_at == "2025-02-03T09:15:00Z"
    assert [(p.author, p.parent_id, p.depth) for p in doc.posts] == [
        ("alice", None, 0), ("bob", "c1", 1), ("carol", "c2", 2), ("dave", "c1", 1), ("erin", None, 0)]
    alice = doc.posts[0]
    assert alice.text == "Depth matters more than width for multi-layer transformers, in my experience.\n\nSecond paragraph here."
    carol = doc.posts[2]
    assert carol.text == "> width is underrated\n\nNot for composition tasks."
    assert quoted(carol.text, carol.quotations) == ["> width is underrated"]


def test_html_blog_with_blockquote_and_metadata() -> None:
    doc = parse_one("blog.html")
    assert doc.kind is SourceKind.BLOG
    assert doc.title == "Why CoT helps" and doc.author == "Jane Researcher"
    assert doc.url == "https://blog.example.com/posts/why-cot-helps"
    assert doc.published_at is not None and doc.published_at.startswith("2024-11-05")
    (post,) = doc.posts
    assert post.local_id == "body"
    assert "Home" not in post.text and "Copyright" not in post.text
    assert "\n\n\n" not in post.text
    assert quoted(post.text, post.quotations) == [
        "With T steps of CoT, constant-depth transformers can solve any problem solvable by boolean circuits of size T."]
    assert "https://arxiv.org/abs/2402.12875" in post.links


def test_markdown_blog() -> None:
    doc = parse_one("blog.md")
    assert doc.title == "Notes on state space models" and doc.author == "Sam Writer"
    assert doc.published_at == "2024-06-01"
    (post,) = doc.posts
    assert "State space models such as Mamba treat the input as a continuous signal and discretise it." in post.text
    assert "y = ssm(x)" in post.text and "**" not in post.text
    assert post.links[0] == "https://arxiv.org/abs/2312.00752"
    assert quoted(post.text, post.quotations) == ["Mamba blows past Transformer architectures on most tasks."]


def test_markdown_newsletter_sections() -> None:
    doc = parse_one("newsletter.md")
    assert doc.kind is SourceKind.NEWSLETTER and doc.title == "AI Papers Weekly, issue 7"
    assert [p.local_id for p in doc.posts] == ["intro", "s1", "s2"]
    s1, s2 = doc.posts[1:]
    assert s1.title == "Scaling Laws for Fine-Grained Mixture of Experts"
    assert s1.url == s1.links[0] == "https://arxiv.org/abs/2402.07871"
    assert s2.title == "Global-batch load balance" and s2.url == "https://qwenlm.github.io/blog/global-load-balance/"
    assert s2.text == "Balancing load over the global batch improves MoE training."


def test_eml_with_html_body() -> None:
    doc = parse_one("email_html.eml")
    assert doc.kind is SourceKind.NEWSLETTER
    assert doc.title == "This week in ML" and doc.author == "Newsletter Team"
    assert doc.published_at == "2025-02-03T08:30:00Z"
    (post,) = doc.posts
    assert "chain of thought prompting lets small models solve longer arithmetic problems" in post.text
    assert "https://arxiv.org/abs/2501.00001" in post.links
    assert any(post.text[q.start:q.end].startswith("Depth is more important") for q in post.quotations)


def test_mbox_with_two_messages() -> None:
    docs = parse_bytes((SOURCES / "two_messages.mbox").read_bytes(), name="two_messages.mbox")
    assert [d.title for d in docs] == ["First message", "Second message"]
    assert [d.author for d in docs] == ["Alice", "Bob"]
    assert "From the abstract this looks strong." in docs[0].posts[0].text


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_feeds_give_one_document_per_entry(name: str) -> None:
    docs = parse_bytes((SOURCES / name).read_bytes(), name=name)
    assert docs and all(d.metadata["feed_entry_link"] == d.url for d in docs)
    first = docs[0]
    assert first.title in ("Depth versus width", "On chain of thought")
    assert first.author in ("Ann", "Nora Notes")
    assert first.published_at is not None and first.published_at.endswith("Z")


def test_rss_entry_text_and_links() -> None:
    docs = parse_bytes((SOURCES / "feed.rss").read_bytes())
    assert len(docs) == 2
    assert docs[0].posts[0].text == "Depth is more important than width, argues this paper."
    assert docs[0].posts[0].links == ("https://arxiv.org/abs/2412.02975",)


def test_atom_entry_blockquote() -> None:
    (doc,) = parse_bytes((SOURCES / "feed.atom").read_bytes())
    post = doc.posts[0]
    assert quoted(post.text, post.quotations) == ["It simulates any polynomial-time algorithm."]


def test_latin1_text_is_decoded() -> None:
    doc = parse_one("latin1_blog.txt")
    assert doc.title == "A café blog"
    assert "naïve approach to résumé parsing" in doc.posts[0].text


def test_utf16_with_bom_is_decoded() -> None:
    doc = parse_one("utf16_bom_blog.txt")
    assert doc.title == "UTF-16 notes"
    assert doc.posts[0].text.startswith("Self-attention costs grow quadratically")


def test_kind_hint_overrides_article_kind() -> None:
    (doc,) = parse_bytes((SOURCES / "blog.html").read_bytes(), kind_hint=SourceKind.NEWSLETTER)
    assert doc.kind is SourceKind.NEWSLETTER


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("algolia_thread.json", InputFormat.JSON),
        ("two_messages.mbox", InputFormat.MBOX),
        ("email_html.eml", InputFormat.EMAIL),
        ("feed.rss", InputFormat.FEED),
        ("feed.atom", InputFormat.FEED),
        ("hn_item_page.html", InputFormat.HN_HTML),
        ("blog.html", InputFormat.HTML),
        ("gopher_indented.txt", InputFormat.GOPHER),
        ("newsletter.md", InputFormat.NEWSLETTER),
        ("blog.md", InputFormat.MARKDOWN),
    ],
)
def test_detect_format_from_content_alone(name: str, expected: InputFormat) -> None:
    text = (SOURCES / name).read_text(encoding="utf-8")
    assert detect_format(text) is expected


def test_html_paragraphs_the_extractor_dropped_are_recovered_once() -> None:
    """trafilatura drops elements classed like comment areas (Distill keeps the authors'
    response in `<section class="comment-info">`, and the line saying which paper the page
    discusses in another). Recovered: a section of long paragraphs missing from its text
    (appended) and missing paragraphs before the first one it kept (the lead, prepended);
    not a lone paragraph elsewhere; nothing twice."""
    from workers.parse.blog import _dropped_paragraphs, parse_html_body

    html = (SOURCES / "blog_with_response.html").read_text(encoding="utf-8")
    body = parse_html_body(html)
    assert body.text.count("We thank the author for the careful experiments") == 1
    assert body.text.count("This post is part of a public discussion") == 1
    assert "Copyright" not in body.text and "Home" not in body.text
    nothing = _dropped_paragraphs(html, body.text)
    assert (nothing.lead, nothing.sections) == (None, None)

    lost = body.text.split("\n\nResponse:")[0]
    for paragraph in ("This post is part of a public discussion", "We argue that the sinks"):
        lost = "\n\n".join(p for p in lost.split("\n\n") if not p.startswith(paragraph))
    dropped = _dropped_paragraphs(html, lost)
    assert dropped.lead is not None and dropped.lead.text.startswith("This post is part of a public discussion")
    assert dropped.sections is not None
    paragraphs = dropped.sections.text.split("\n\n")
    assert [p[:40] for p in paragraphs] == [
        "Response: We thank the author for the ca", "In our larger models, removing the sink "]
    assert "\n" not in paragraphs[0]  # source line breaks inside a paragraph are spaces
    assert "We argue that the sinks" not in dropped.lead.text + dropped.sections.text
