"""The sample corpus in /work/shared/corpus/seeds (copy in demo_corpus/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.documents import Document, SourceKind
from workers.parse import parse_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = next((p for p in (Path("/work/shared/corpus/seeds"), ROOT / "demo_corpus") if p.is_dir()), None)
pytestmark = pytest.mark.skipif(SEEDS is None, reason="sample corpus not available")


def seed(prefix: str) -> Document:
    assert SEEDS is not None
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    docs = parse_bytes(path.read_bytes(), name=path.name)
    assert len(docs) == 1
    return docs[0]


def test_flat_thread_000() -> None:
    doc = seed("000")
    assert doc.kind is SourceKind.HN_THREAD and doc.metadata["format"] == "hn_flat"
    assert doc.posts[0].text.startswith("Loosely related thought: A year ago")
    assert all(p.author is None and p.parent_id is None for p in doc.posts)
    assert all(p.text != "reply" for p in doc.posts)
    assert any(p.text.startswith("Agreed, idiosyncratic voice is so life- and mind- affirming") for p in doc.posts)


def test_gopher_dump_001() -> None:
    doc = seed("001")
    assert doc.kind is SourceKind.HN_THREAD
    assert doc.title == "Theoretical limitations of multi-layer Transformer"
    assert doc.author == "fovc" and doc.site == "arxiv.org"
    assert doc.published_at == "2025-01-31T17:48:00Z"
    assert doc.metadata["nesting"] == "inferred-sequential" and doc.metadata["points"] == "95"
    authors = [p.author for p in doc.posts]
    assert authors[:3] == ["cs702", "Matthyze", "aketchum"] and authors[-1] == "cubefox"
    assert len(doc.posts) == 17
    assert doc.posts[0].parent_id is None and doc.posts[0].depth == 0
    assert all(p.parent_id == f"c{i}" and p.depth == 1 for i, p in enumerate(doc.posts[1:], start=1))
    texts = {p.author: p.text for p in doc.posts}
    assert texts["cs702"].split("\n\n")[1] == "It sure looks and smells like good work, so I've added it to my reading list."
    assert "|" not in texts["cs702"]
    drodgers = texts["drodgers"]
    assert "information-theoretic arguments" in drodgers
    assert "first unconditional limitations of multi-layer decoder-only" in drodgers
    assert "1. Multi-step arithmetic" in drodgers and "Any constant-depth L-layer" in drodgers
    assert texts["peppery"].startswith("Agreed, idiosyncratic voice is so life- and mind- affirming in papers.")
    assert "(page generated" not in doc.posts[-1].text
    assert doc.posts[4].links == ("https://mml-book.github.io/",)


def test_plain_blog_002() -> None:
    doc = seed("002")
    assert doc.kind is SourceKind.BLOG
    assert doc.title == "Machine Learning Blog post recommendations"
    assert doc.author == "Johannes Losert"
    (post,) = doc.posts
    assert "Table 3 of this paper shows that Mamba blows past Transformer architectures on most tasks." in post.text
    assert "https://www.stateof.ai/" in post.links


def test_newsletter_003() -> None:
    doc = seed("003")
    assert doc.kind is SourceKind.NEWSLETTER
    assert doc.posts[0].local_id == "intro" and doc.posts[0].text.startswith("Welcome to Tunadorable")
    sections = doc.posts[1:]
    assert len(sections) == 51
    first = sections[0]
    assert (first.local_id, first.title, first.url) == (
        "s1", "Chunk-Distilled Language Modeling", "https://arxiv.org/abs/2501.00343")
    assert first.links[0] == first.url
    assert first.text.startswith("Chunk-Distilled Language Modeling (CD-LM) is introduced")
    assert len(first.text.split("\n\n")) == 5
    mdl = next(s for s in sections if s.url == "https://arxiv.org/abs/math/0406077")
    assert mdl.title == "A tutorial introduction to the minimum description length principle"


def test_blog_quotations_004() -> None:
    doc = seed("004")
    assert doc.kind is SourceKind.BLOG and doc.title == "overthinking transformers"
    (post,) = doc.posts
    spans = {post.text[q.start:q.end]: q.attributed_to for q in post.quotations}
    abstract = next(s for s in spans if s.startswith("However, with T steps of CoT"))
    assert spans[abstract] == "the abstract" and abstract.endswith("boolean circuits of size T.")
    friend = next(s for s in spans if s.startswith("Krohn Rhodes:"))
    assert spans[friend] == "my friend"
    assert friend.endswith("the lowest level of the Chomsky hierarchy.") and "i’m sorry" not in friend
    graham = next(s for s in spans if s.startswith("The real lesson here"))
    assert spans[graham] == "Paul Graham" and graham.endswith("confusions over words.")
    wittgenstein = next(s for s in spans if s.startswith("We must do away with all explanation"))
    assert spans[wittgenstein] == "Wittgenstein"
    # The writer's own prose is not marked as quoted.
    assert not any(s.startswith("again, the selection mechanism") for s in spans)
    assert not any("it is true we need far more inference-time compute" in s for s in spans)
