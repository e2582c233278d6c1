"""Who speaks for the paper: the authors' signature or their own words say so."""

from __future__ import annotations

import pytest

from workers.documents import Post
from workers.roles import speaks_for_paper
from workers.stance import acknowledges


@pytest.mark.parametrize("author", ["Authors", "authors", "Paper1234 Authors", "The Authors", "Co-Author"])
def test_a_post_signed_by_the_authors_speaks_for_the_paper(author: str) -> None:
    assert speaks_for_paper(Post("a1", "Dreamer is a novel algorithm.", author=author))


@pytest.mark.parametrize("text", [
    "Author here. The benchmark numbers are from the camera-ready version.",
    "I'm one of the authors, and we did try larger models.",
    "We are the authors of this work and want to clarify one point.",
    "In our paper we compare against twelve baselines.",
    "Thanks for reading our preprint!",
])
def test_a_writer_who_says_the_paper_is_theirs_speaks_for_it(text: str) -> None:
    assert speaks_for_paper(Post("c1", text, author="jdoe"))


@pytest.mark.parametrize(("author", "text"), [
    ("AnonReviewer2", "The authors claim that Dreamer is novel, but it resembles SVG."),
    ("jdoe", "The author of this paper has a blog where he explains the method."),
    ("jdoe", "Our team tried this paper's method and it did not reproduce."),
    ("authorsguild", "This is a paper about copyright."),
    (None, "The authors should compare against count-based exploration."),
])
def test_a_commenter_about_the_authors_does_not(author: str | None, text: str) -> None:
    assert not speaks_for_paper(Post("c1", text, author=author))


@pytest.mark.parametrize(("text", "expected"), [
    ("Thank you, we fixed the typo.", True),
    ("Thanks for pointing this out; the figure is updated.", True),
    ("Correct, our main contribution is the value model.", True),
    ("[A] Good point. We added the comparison.", True),
    ("Agreed.", True),
    ("Dreamer is a novel algorithm that belongs to the family of actor critic methods.", False),
    ("We respectfully disagree: the paper has many insights.", False),
    ("This renders Dreamer conceptually distinct from DDPG.", False),
])
def test_acknowledges_an_opening_of_thanks_or_agreement(text: str, expected: bool) -> None:
    assert acknowledges(text) is expected
