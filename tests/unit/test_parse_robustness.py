"""Bad, huge, deep and random input: parse_bytes returns Documents or raises ParseError."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workers.documents import Document
from workers.errors import ParseError
from workers.parse import MAX_INPUT_BYTES, parse_algolia_item, parse_bytes, parse_firebase_items


def outcome(data: bytes) -> list[Document] | ParseError:
    try:
        docs = parse_bytes(data)
    except ParseError as e:
        assert str(e)
        assert not str(e).startswith("unexpected"), str(e)  # the safety net caught a reader bug
        return e
    assert isinstance(docs, list) and docs and all(isinstance(d, Document) for d in docs)
    return docs


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x00\x01\x02binary\x00\x00\x00" * 50, "binary data, not text"),
        (b'{"id": 1, "children": [\n  {"id": 2,, }\n]}', "invalid JSON at line 2 column"),
        (b"[1, 2, 3]", "not a Hacker News item"),
        (b'{"hits": []}', "search result"),
    ],
)
def test_clear_error_messages(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(")):
        parse_bytes(data)


def test_input_over_the_size_limit_is_rejected_quickly() -> None:
    data = b"a" * (50 * 1024 * 1024)
    assert len(data) > MAX_INPUT_BYTES
    with pytest.raises(ParseError, match="too large"):
        parse_bytes(data)


def test_parse_functions_reject_wrong_shapes() -> None:
    with pytest.raises(ParseError):
        parse_algolia_item({"title": "no id"})
    with pytest.raises(ParseError):
        parse_firebase_items([])
    with pytest.raises(ParseError, match="cycle"):
        parse_firebase_items([{"id": 1, "parent": 2, "by": "a"}, {"id": 2, "parent": 1, "by": "b"}])


def _deep_algolia_json(depth: int) -> bytes:
    # Built as text: json.dumps itself would hit the recursion limit.
    opening = "".join(
        f'{{"id": {i}, "type": "comment", "author": "u{i}", "text": "reply {i}", "children": ['
        for i in range(1, depth + 1)
    )
    story = '{"id": 0, "type": "story", "title": "Deep", "url": "https://arxiv.org/abs/2501.00001", "children": ['
    return (story + opening + "]}" * depth + "]}").encode()


def test_ten_thousand_deep_reply_chain_parses() -> None:
    (doc,) = parse_bytes(_deep_algolia_json(10_000))
    assert len(doc.posts) == 10_000
    last = doc.posts[-1]
    assert (last.local_id, last.parent_id, last.depth) == ("10000", "9999", 9999)


def test_ten_thousand_deep_firebase_chain_parses() -> None:
    items = [{"id": 0, "type": "story", "title": "Deep", "by": "op", "time": 0}]
    items += [{"id": i, "parent": i - 1, "by": f"u{i}", "text": f"r{i}", "time": i} for i in range(1, 10_001)]
    doc = parse_firebase_items(list(reversed(items)))
    assert doc.posts[-1].depth == 9999


def _strings(document: Document) -> list[str]:
    values: list[str | None] = [document.title, document.url, document.author, document.primary_link]
    for post in document.posts:
        values += [post.local_id, post.parent_id, post.text, post.author, post.url, post.title]
    return [value for value in values if value]


def test_half_a_surrogate_pair_in_hn_json_becomes_a_replacement_character() -> None:
    """A JavaScript string cut inside an emoji: neither spaCy nor Neo4j can encode the half left."""
    algolia = {"id": 7, "type": "story", "title": "Depth \ud83d", "author": "op\udc80", "children": [
        {"id": "8\ud800", "author": "a\udfff", "text": "<p>CoT adds \ud83d depth to small models.", "children": []}]}
    firebase = [{"id": 7, "type": "story", "title": "Depth \ud83d", "by": "op\udc80", "kids": [8]},
                {"id": 8, "parent": 7, "by": "a\udfff", "text": "CoT adds \ud83d depth to small models."}]
    for value in (algolia, firebase):
        (doc,) = parse_bytes(json.dumps(value).encode())
        strings = _strings(doc)
        assert all(s.encode("utf-8") for s in strings)  # raises on a lone surrogate
        assert "CoT adds \ufffd depth to small models." in [post.text for post in doc.posts]
        assert doc.title == "Depth \ufffd"


@pytest.mark.parametrize("header", ["From: .:", "From: a.:", "From: ..:", "From: .: b@c.d;"])
def test_an_address_header_the_mail_parser_chokes_on_is_kept_raw(header: str) -> None:
    """Python's address-header parser raises AttributeError on some malformed groups ("From: .:");
    the e-mail reader keeps such a header as written instead."""
    result = outcome(f"{header}\nSubject: A note on sparse attention\n\nSparse attention matches dense "
                     f"attention on long documents.\n".encode())
    assert isinstance(result, list) and "Sparse attention" in result[0].posts[0].text


def test_deeply_nested_html_does_not_recurse() -> None:
    html = "<html><body>" + "<div>" * 5000 + "<p>deep text that is here</p>" + "</div>" * 5000 + "</body></html>"
    result = outcome(html.encode())
    assert isinstance(result, (list, ParseError))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    outcome(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "by", "author", "text", "kids", "parent", "parent_id", "children", "time",
                         "created_at", "created_at_i", "title", "url", "type", "deleted", "dead", "story_id"])
        | st.text(max_size=8),
        children, max_size=6),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_values(value: object) -> None:
    outcome(json.dumps(value).encode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=1500))
def test_random_text(text: str) -> None:
    outcome(text.encode("utf-8"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "| alice wrote:", "| | bob wrote:", "|", "| some text here -", "| continued line", "# Heading",
    "https://arxiv.org/abs/2501.00001", "<p>para</p>", "From: x@y.z", "Subject: s", "", "> quoted",
    "--- title", "by: Someone", "– Attribution", "she wrote:", "\"a quoted passage with many words in it here\"",
]), max_size=40))
def test_random_line_mixtures(lines: list[str]) -> None:
    outcome("\n".join(lines).encode())
