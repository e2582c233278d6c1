"""The gold-file scorer implements ../shared/eval/FORMAT.md."""

from workers.evaluate import normalise_arxiv, normalise_for_match, quote_matches, score_methods, score_papers, score_trace


def test_gopher_prefixes_and_wraps_are_normalised() -> None:
    assert normalise_for_match("| The thought chains\n| effectively act") == "the thought chains effectively act"
    assert normalise_for_match("multi-\nlayer \u201cCoT\u201d") == 'multi-layer "cot"'


def test_quote_matching_rules() -> None:
    statement = "The thought chains effectively act as additional layers, and the more layers the better."
    assert quote_matches("The thought chains effectively act as additional layers", statement)
    assert quote_matches("Good advice. I ran a lab for years.", "Good advice. I ran a lab")
    assert not quote_matches("Good advice. I ran an academic lab for a long time.", "Good advice.")


def test_arxiv_normalisation() -> None:
    for form in ("https://www.arxiv.org/abs/2501.00343v2", "arxiv.org/pdf/2501.00343.pdf", "arXiv:2501.00343"):
        assert normalise_arxiv(form) == "2501.00343"
    assert normalise_arxiv("math/0406077v1") == "math/0406077"


def test_paper_scores() -> None:
    gold = [{"arxiv": "2501.00343", "title": "Chunk-Distilled Language Modeling"},
            {"title": "Toy Models of Superposition"}]
    predicted = [{"arxiv_id": "2501.00343v1", "title": "x"}, {"title": "Toy models of superposition"},
                 {"title": "Something else"}]
    scores = score_papers(predicted, gold)
    assert scores["recall"] == 1.0 and round(scores["precision"], 2) == 0.67


def test_paper_matching_uses_the_first_identifier_both_sides_carry() -> None:
    gold = [{"arxiv": "1905.02175", "title": "Adversarial Examples Are Not Bugs, They Are Features"}]
    # Named by title only in the text: matched on the title.
    assert score_papers([{"title": "Adversarial examples are not bugs, they are features"}], gold)["recall"] == 1.0
    # A different arXiv id is a different paper, whatever the title says.
    other = [{"arxiv_id": "1905.99999", "title": "Adversarial examples are not bugs, they are features"}]
    assert score_papers(other, gold)["recall"] == 0.0
    # A predicted id with no gold id falls through to the title.
    assert score_papers([{"arxiv_id": "2501.00343", "title": "Toy Models of Superposition"}],
                        [{"title": "Toy models of superposition"}])["recall"] == 1.0


def test_one_merged_paper_node_finds_the_gold_entry_of_every_document_naming_it() -> None:
    gold = [{"doc": "response-1", "arxiv": "1905.02175", "title": "Adversarial examples are not bugs, they are features"},
            {"doc": "response-3", "arxiv": "1905.02175", "title": "Adversarial examples are not bugs, they are features"},
            {"doc": "response-3", "title": "Toy Models of Superposition"}]
    predicted = [{"arxiv_id": "1905.02175", "title": "Adversarial examples are not bugs, they are features"},
                 {"title": "Specification 2"}]
    scores = score_papers(predicted, gold)
    assert scores["recall"] == round(2 / 3, 4) and scores["precision"] == 0.5
    assert scores["unmatched_predicted"] == ["Specification 2"]


def test_method_recall_uses_names_and_aliases() -> None:
    gold = [{"name": "chain of thought", "aliases": ["CoT"]}, {"name": "S4", "aliases": []}]
    assert score_methods([{"name": "x", "aliases": ["cot"]}], gold)["recall"] == 0.5


def test_trace_scoring() -> None:
    gold = {
        "claims": [{"id": "c", "text": "t", "queries": ["q1", "q2"], "statements": [
            {"quote": "alpha beta gamma", "stance": "supports", "author": "ann"},
            {"quote": "delta epsilon", "stance": "disputes"}]}],
        "negatives": [{"claim": "c", "quote": "noise here"}],
    }
    answers = {
        "q1": {"supports": [{"text": "Alpha beta gamma!", "author": "Ann"}], "disputes": [{"text": "noise here"}]},
        "q2": {"supports": [{"text": "delta epsilon"}, {"text": "delta epsilon"}], "disputes": []},
    }
    scores = score_trace(gold, lambda q: answers[q])
    assert scores["recall"] == 1.0
    assert scores["stance_accuracy"] == 0.5
    assert scores["negatives_returned"] == 1
    assert scores["attribution_accuracy"] == 1.0
    assert scores["duplicates"] == 1
    assert scores["mean_returned"] == 2.0
    # What cost the figures is listed: the statement read the wrong way and the negative returned.
    assert scores["misread"] == [{"claim": "c", "quote": "delta epsilon", "gold": "disputes",
                                  "returned_as": "supports", "extractor": None}]
    assert scores["negatives_found"] == [{"claim": "c", "quote": "noise here", "returned_as": "disputes"}]
    assert scores["missed"] == []
