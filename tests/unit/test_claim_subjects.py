"""What "the paper" and "this work" stand for when statements are embedded for claims."""

import pytest

from workers.claims import _subject_of_post, about_subject
from workers.pipeline import Extraction


@pytest.mark.parametrize(
    ("text", "embedded"),
    [
        ("The work has limited novelty: it follows PlaNet.", "Dreamer has limited novelty: it follows PlaNet."),
        ("However, the proposed method fails on Atari.", "However, Dreamer fails on Atari."),
        ("This paper presents a world model.", "Dreamer presents a world model."),
        # the discussed work's method anywhere in the sentence
        ("We show that our method is not slower than PlaNet.", "We show that Dreamer is not slower than PlaNet."),
        ("In 3 cases the proposed method trains faster.", "In 3 cases Dreamer trains faster."),
        ("Unlike the authors' approach, ours is exact.", "Unlike Dreamer, ours is exact."),
        # another work, or the discussed work not at the head of the sentence: left as written
        ("The paper by Pathak et al. is closely related.", "The paper by Pathak et al. is closely related."),
        ("The model of the environment is learned.", "The model of the environment is learned."),
        ("I think the paper is fine.", "I think the paper is fine."),
        ("We compare to the method of Miyato et al.", "We compare to the method of Miyato et al."),
        ("We retrained our model on CIFAR-10.", "We retrained our model on CIFAR-10."),
    ],
)
def test_a_head_naming_the_discussed_work_is_read_as_the_method_it_introduces(text: str, embedded: str) -> None:
    assert about_subject(text, "Dreamer") == embedded
    assert about_subject(text, None) == text


def test_the_subject_is_the_one_method_the_posts_paper_introduces() -> None:
    out = Extraction()
    out.methods.extend([{"uid": "method:dreamer", "name": "Dreamer"}, {"uid": "method:t6", "name": "T6"},
                        {"uid": "method:tpa", "name": "TPA"}, {"uid": "method:llm", "name": "large language model"},
                        {"uid": "method:gan", "name": "generative adversarial network"}])
    out.introduces.extend([{"paper_uid": "paper:dreamer", "method_uid": "method:dreamer"},
                           {"paper_uid": "paper:dreamer", "method_uid": "method:llm"},
                           {"paper_uid": "paper:tpa", "method_uid": "method:t6"},
                           {"paper_uid": "paper:tpa", "method_uid": "method:tpa"},
                           {"paper_uid": "paper:gan-study", "method_uid": "method:gan"}])
    paper_of_post = {"review": "paper:dreamer", "reply": "paper:dreamer", "section": "paper:tpa",
                     "gan-review": "paper:gan-study", "other": "paper:x"}
    # a generic technique is not the paper's name; of two named methods, which one "the paper" means is not known
    assert _subject_of_post(out, paper_of_post) == {"review": "Dreamer", "reply": "Dreamer"}


def test_without_one_named_method_the_subject_is_the_papers_title() -> None:
    out = Extraction()
    out.methods.extend([{"uid": "method:t6", "name": "T6"}, {"uid": "method:tpa", "name": "TPA"},
                        {"uid": "method:sn", "name": "spectral normalization"}])
    out.introduces.extend([{"paper_uid": "paper:tpa", "method_uid": "method:t6"},
                           {"paper_uid": "paper:tpa", "method_uid": "method:tpa"},
                           {"paper_uid": "paper:sn", "method_uid": "method:sn"}])
    out.papers.extend([{"uid": "paper:tpa", "title": "Tensor Product Attention Is All You Need"},
                       {"uid": "paper:sn", "title": "Generalizable Adversarial Training via Spectral Normalization"},
                       {"uid": "paper:untitled", "title": None}])
    paper_of_post = {"section": "paper:tpa", "review": "paper:sn", "comment": "paper:untitled"}
    assert _subject_of_post(out, paper_of_post) == {
        "section": "Tensor Product Attention Is All You Need",
        "review": "Generalizable Adversarial Training via Spectral Normalization",
    }
