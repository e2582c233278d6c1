"""Trace a claim: query text in, the statements that support or dispute it out.

The one code path behind the REST API, the UI, the CLI and `claimgraph eval`:

1. the query is alias-normalised, with the acronyms ingested documents defined spelled out
   as their statements were (`normalise_query`), and embedded;
2. the nearest canonical claims (vector index) above a floor, and close to the best
   one, are the claims the query means; the best is reported as `claim`;
3. their statements, plus statements that are themselves close to the query, or close
   to it when read with the sentences before them ("they arise even in linear models"),
   are candidates; a statement is kept when its relevance to the query clears
   `settings.trace_min_score`, or when it reached the claim through its thread
   (an "Agreed." reply) or as a critique of the finding that states it;
4. a statement's stance is its stored edge to one of the chosen claims (turned round
   when that claim denies what the query asserts: in the first person, or by turning
   against the point made just before it, "However, the issue still exists ...",
   `claims_denying`); a statement found only by its own similarity is classified against
   the query itself when the query is a proposition ("Mamba beats transformers") or a
   yes/no question ("is o1 reasoning"; one that negates, "o1 does not reason", is read in
   its affirmed form and the readings turned round), else against the reported claim (for
   a topic such as "test-time compute scaling"; turned round when that claim denies the
   query), and one inside an answer to a quotation is read through the quoted passage
   (the answer's agreement with it keeps or turns round the passage's stance);
   a sentence of the paper's authors replying to a critic who holds the query is read
   without the general lean toward support (`read_rebuttals`);
   one that refers back ("such patterns") takes the stance of the returned statement it
   goes on from, unless it opens with a contrast ("But ...");
5. consecutive sentences of one post returned with the same stance are shown as one
   passage, a sentence that a longer returned statement of its post holds (an author's
   answer to a quote, a sentence joined to the one it refers back to) is shown only
   there, and the same post text is returned once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from graph_schema import GraphRepository
from workers.claims import CRITIQUE_EXTRACTOR
from workers.nlp import snowball_stemmer
from workers.parse.text import normalise_text
from workers.settings import Settings
from workers.stance import (
    acknowledges,
    affirmed_main_clause,
    denies_in_first_person,
    last_sentence,
    negates,
    opens_with_contrast,
    opposite_stance,
    propagate_reply_stance,
    turns_against,
)
from workers.statements import CONTEXT_CHARS

CLAIM_CANDIDATES = 20
STATEMENT_CANDIDATES = 100
# A claim is "meant" by the query when it is this close in absolute terms...
CLAIM_FLOOR = 0.5
# ...and not much further than the best claim.
CLAIM_MARGIN = 0.12
# The stance of a statement that goes on from the returned sentences before it.
CONTINUATION_EXTRACTOR = "stance.continuation.v1"
# The stance of a sentence of an answer to a quotation, read through the quoted passage.
ANSWER_EXTRACTOR = "stance.answer.v1"
# The stance of a sentence of the paper's authors answering a critic who holds the query.
REBUTTAL_EXTRACTOR = "stance.rebuttal.v2"
# The prior a sentence of the authors answering a critic is read with: none either way. Chosen
# on data: against the general prior turned round (0.85), blind pooled stance macro-F1
# 0.731 -> 0.746 (dev 0.770 -> 0.775, final 0.657 -> 0.690); 0.7 gave 0.735, 0.3 gave 0.710.
REBUTTAL_DISPUTE_PRIOR = 0.5


@dataclass
class TraceServices:
    """What a trace needs; built once per process by the web app, the CLI or eval."""

    settings: Settings
    graph: GraphRepository
    encoder: Any
    methods: Any
    stance: Any
    nlp: Any = None

    @classmethod
    def create(cls, settings: Settings, graph: GraphRepository, encoder: Any | None = None) -> "TraceServices":
        """Load the models a trace needs (once per process: each loader caches)."""
        from workers.embed import create_encoder
        from workers.methods import MethodCatalog
        from workers.nlp import load_nlp
        from workers.stance import StanceModel

        encoder = encoder or create_encoder(settings.encoder)
        nlp = load_nlp()
        return cls(settings=settings, graph=graph, encoder=encoder,
                   methods=MethodCatalog.load(nlp), stance=StanceModel.load(encoder, nlp), nlp=nlp)


# A word of a query that may be an acronym: two capitals or more ("SN", "TPA", "ViTs").
_ACRONYM_WORD = re.compile(r"\b(?=[\w-]*[A-Z][\w-]*[A-Z])[A-Za-z0-9][\w-]{1,11}\b")


def normalise_query(query: str, services: TraceServices) -> str:
    """The query as statements were embedded: catalogue aliases turned into their canonical names, and an
    acronym that ingested documents defined ("spectral normalization (SN)", kept as its method's alias)
    spelled out, as each document's own statements were. An acronym that two methods share stays as written."""
    unknown = sorted({word for word in _ACRONYM_WORD.findall(query) if services.methods.canonical(word) is None})
    learned = {form: names[0] for form, names in services.graph.methods_by_alias(unknown).items() if len(names) == 1}
    return services.methods.normalise_aliases(query, learned or None)


def trace_claim(query: str, services: TraceServices, *, limit: int = 50) -> dict[str, Any]:
    normalised_query = normalise_query(query, services)
    query_vector = services.encoder.encode([normalised_query])[0]
    claims = services.graph.nearest_claims(query_vector.tolist(), CLAIM_CANDIDATES)
    best = claims[0] if claims and claims[0]["similarity"] >= CLAIM_FLOOR else None
    chosen = [c for c in claims if best and c["similarity"] >= max(CLAIM_FLOOR, best["similarity"] - CLAIM_MARGIN)]
    chosen_rank = {c["uid"]: rank for rank, c in enumerate(chosen)}
    # A proposition or a yes/no question asserts something; a topic names what is discussed.
    asserts = is_proposition(query, services.nlp) or asks_yes_no(query)
    denying = claims_denying(query, query_vector, chosen, services, asserts=asserts)

    min_score = services.settings.trace_min_score
    similarity: dict[str, float] = {}
    for hit in services.graph.nearest_statements(query_vector.tolist(), STATEMENT_CANDIDATES):
        similarity[hit["uid"]] = hit["similarity"]

    def add_similarity(row: dict[str, Any]) -> None:
        """Cosine to the query of a candidate the vector search did not return."""
        if row["uid"] not in similarity and row["embedding"]:
            similarity[row["uid"]] = float(np.asarray(row["embedding"], dtype=np.float32) @ query_vector)

    for row in services.graph.statements_of_claims(list(chosen_rank)):
        add_similarity(row)
    # Relevance: meaning (cosine) plus the share of the query's words the statement uses, so
    # that "S4 random initialization performs badly" finds "Simply training the matrices with
    # random initialization performs badly", which MiniLM alone scores low.
    query_stems = content_stems(query)
    coverage: dict[str, float] = {}
    for row in services.graph.statements_matching_words(lucene_any(query_stems), STATEMENT_CANDIDATES):
        coverage[row["uid"]] = stem_coverage(query_stems, row["text"])
        add_similarity(row)
    # Read with the sentences before it, "they arise even in the humblest of models" is about
    # non-robust features; in context, a statement counts a little less than on its own words.
    context_similarity = {}
    for hit in services.graph.nearest_statements_in_context(query_vector.tolist(), STATEMENT_CANDIDATES):
        context_similarity[hit["uid"]] = hit["similarity"]
        add_similarity(hit)
    relevance = {uid: value + LEXICAL_WEIGHT * coverage.get(uid, 0.0) for uid, value in similarity.items()}

    # A statement far less relevant than the best match is noise, however high the floor: on
    # a long thread about one paper, every sentence naming it clears the floor.
    floor = max(min_score, max(relevance.values(), default=0.0) - services.settings.trace_relevance_margin)
    found_in_context = set()
    for uid, value in context_similarity.items():
        in_context = value - CONTEXT_DISCOUNT + LEXICAL_WEIGHT * coverage.get(uid, 0.0)
        if in_context > relevance[uid]:
            relevance[uid] = in_context
            found_in_context.add(uid)
    details = services.graph.statement_details(list(similarity))
    by_statement: dict[str, dict[str, Any]] = {}
    for row in details:
        uid = row["statement_uid"]
        on_chosen = row["claim_uid"] in chosen_rank
        reached_by_context = row["via_reply"] or row["via_quote"] or row["extractor"] == CRITIQUE_EXTRACTOR
        keep = relevance.get(uid, -1.0) >= floor or (on_chosen and reached_by_context)
        if not keep:
            continue
        current = by_statement.get(uid)
        # The claim the query means best decides, also when that is a finding the statement
        # criticises and its own claim is chosen too ("AIXI converges to optimal behaviour"
        # is disputed by "Additionally, the performance of AIXI may be limited ...").
        rank = chosen_rank.get(row["claim_uid"], len(chosen_rank) + 1)
        if current is None or rank < current["_rank"]:
            by_statement[uid] = dict(row, _rank=rank, _on_chosen=on_chosen)
            if row["claim_uid"] in denying:
                by_statement[uid]["stance"] = "DISPUTES" if row["stance"] == "SUPPORTS" else "SUPPORTS"
    # A stance taken by replying or quoting counts only toward a claim the query means.
    by_statement = {uid: row for uid, row in by_statement.items()
                    if row["_on_chosen"] or not (row["via_reply"] or row["via_quote"])}

    # Statements whose own claim is not one the query means are classified against a reference.
    reference, reference_denies = stance_reference(normalised_query, best, denying, services.nlp, asserts=asserts)
    off_claim = [uid for uid, row in by_statement.items() if not row["_on_chosen"]]
    classify_against(reference, off_claim, by_statement, services.graph.answers_holding(off_claim),
                     services.stance, services.settings.stance_dispute_prior, reference_denies=reference_denies)
    read_rebuttals(reference, by_statement, relevance, services.stance, reference_denies=reference_denies)
    _continue_stances(by_statement, [uid for uid in off_claim if by_statement[uid].get("context")])
    by_statement = _merge_consecutive(_without_parts_of_passages(by_statement), relevance)

    # The same words reached through two copies of a thread are shown once, from the
    # copy that names its author.
    best_copy: dict[str, dict[str, Any]] = {}
    for row in by_statement.values():
        key = normalise_text(row["text"])
        current = best_copy.get(key)
        if current is None or _copy_preference(row, relevance) > _copy_preference(current, relevance):
            best_copy[key] = row
    results = sorted(best_copy.values(), key=lambda r: (-relevance.get(r["statement_uid"], 0.0), r["text"]))
    supports: list[dict[str, Any]] = []
    disputes: list[dict[str, Any]] = []
    for row in results:
        uid = row["statement_uid"]
        show_context = uid in found_in_context or row.get("extractor") == CONTINUATION_EXTRACTOR
        item = _statement_json(row, similarity.get(uid, 0.0), relevance.get(uid, 0.0), show_context)
        (supports if row["stance"] == "SUPPORTS" else disputes).append(item)
    claim_json = None
    if best:
        claim_json = {"uid": best["uid"], "text": best["text"], "similarity": round(best["similarity"], 4),
                      "n_supports": best["n_supports"], "n_disputes": best["n_disputes"],
                      "denies_query": best["uid"] in denying,
                      "related_claims": [{"uid": c["uid"], "text": c["text"], "similarity": round(c["similarity"], 4),
                                          "denies_query": c["uid"] in denying} for c in chosen[1:]]}
    return {"query": query, "normalised_query": normalised_query, "claim": claim_json,
            "supports": supports[:limit], "disputes": disputes[:limit]}


def stance_reference(
    normalised_query: str, best: dict[str, Any] | None, denying: set[str], nlp: Any, *, asserts: bool
) -> tuple[str, bool]:
    """What statements off the chosen claims are read against, and whether it denies the query.

    The reference is what the user asserted (`asserts`: a proposition or a yes/no question),
    or, when the query asserts nothing, the claim shown; that claim denies the query when it is one of
    `denying` (`claims_denying`). The stance model reads a statement's own polarity as well as
    its agreement: "The work has limited novelty" reads as disputing "Dreamer is not novel".
    So a query that negates its main clause is read in its affirmed form ("Dreamer is novel"),
    which the query denies. Readings against a reference that denies the query are turned round.
    """
    if best is None or asserts:
        asserted = normalised_query.strip().rstrip("?").strip()
        affirmed = affirmed_main_clause(asserted, nlp)
        return (affirmed, True) if affirmed else (asserted, False)
    return best["text"], best["uid"] in denying


def claims_denying(
    query: str, query_vector: np.ndarray, chosen: list[dict[str, Any]], services: TraceServices, *, asserts: bool
) -> set[str]:
    """The chosen claims that deny what the query asserts, whose supporters dispute the query.

    A claim denies in its author's own voice ("I don't think Glow is encouraged to ..." for
    "Glow's volume term encourages sensitivity"), or argues against the point made just before
    it in its post ("However, the issue still exists in Dreamer, since ..." after "The paper
    attempts to solve this issue by ..."). A query that names a topic ("Dreamer long horizon")
    names that point, the discussion's subject, and the claim is its counter; a query that
    asserts something (`asserts`) may side with the counter ("Dreamer still struggles with long horizons"),
    so the claim denies it only when the query is nearer the point countered than the claim
    (cosine of their embeddings). A query that itself negates ("Dreamer does not solve long
    horizons") is on the denying side, and no claim denies it.
    """
    if negates(query, services.nlp):
        return set()
    contrasting = [c["uid"] for c in chosen if opens_with_contrast(c["text"])]
    text_before = services.graph.text_before_claims(contrasting, CONTEXT_CHARS) if contrasting else {}
    countered: dict[str, str] = {}
    for claim in chosen:
        point = last_sentence(text_before.get(claim["uid"], ""), services.nlp)
        if turns_against(claim["text"], point, services.nlp):
            countered[claim["uid"]] = point
    if countered and asserts:
        point_vectors = services.encoder.encode([services.methods.normalise_aliases(point)
                                                 for point in countered.values()])
        similarity = {c["uid"]: c["similarity"] for c in chosen}
        countered = {uid: point for (uid, point), vector in zip(countered.items(), point_vectors)
                     if float(vector @ query_vector) > similarity[uid]}
    return set(countered) | {c["uid"] for c in chosen if denies_in_first_person(c["text"], services.nlp)}


def classify_against(
    reference: str, uids: list[str], rows: dict[str, dict[str, Any]], answers: dict[str, dict[str, Any]],
    stance: Any, dispute_prior: float, *, reference_denies: bool = False,
) -> None:
    """Set the stance of each statement in `uids` against `reference` (the query, or the claim shown),
    turned round when `reference` denies the query: a claim shown that denies it (`claims_denying`),
    or the affirmed form of a query that negates ("Dreamer is novel" for "Dreamer is not novel").

    A sentence of an answer to a quotation (`answers`: the quoted text and the answer's
    agreement with it) is read through the quoted passage: the passage's stance on the
    reference, kept when the answer agrees with the passage and turned round when it
    disagrees. Under "> The work has limited novelty.", "Dreamer is a novel algorithm ..."
    argues the other side in words the query shares; the passage says in the query's own
    voice what the sentence answers, and is shown as what it replies to.
    """
    pairs = [(reference, answers[uid]["quote_text"] if uid in answers else rows[uid]["text"]) for uid in uids]
    # The lean toward support is the query's: against a claim that denies it, a lean toward dispute.
    prior = 1.0 - dispute_prior if reference_denies else dispute_prior
    for uid, prediction in zip(uids, stance.predict(pairs, dispute_prior=prior)):
        label, extractor = prediction.label, prediction.extractor
        if reference_denies:
            label = opposite_stance(label)
        if uid in answers:
            label = propagate_reply_stance(label, answers[uid]["agreement"]) or label
            extractor = ANSWER_EXTRACTOR
            rows[uid].update(parent_text=answers[uid]["quote_text"],
                             parent_author=answers[uid].get("quote_source"),
                             parent_url=None)
        _set_stance(rows[uid], label, prediction.confidence, extractor)


def read_rebuttals(
    reference: str, rows: dict[str, dict[str, Any]], relevance: dict[str, float], stance: Any,
    *, reference_denies: bool = False,
) -> None:
    """Read the paper's authors answering a critic without expecting them to agree.

    Elsewhere the stance model's reading is weighted toward support (`stance_dispute_prior`):
    most statements near a claim are for it. When the point the query matches best in the
    post the authors reply to (a review, a comment) supports `reference`, that expectation
    fails: the authors' own sentences in their reply argue against the point about as often
    as they concede or build on it. "Figure 4 shows that this gives Dreamer robustness to the
    imagination horizon" answers "Dreamer is less effective with very long horizons", while
    "The main conclusions of our work hold across several datasets" agrees with a reviewer
    who summed up those conclusions. Such a sentence is read by the model as it stands
    (`REBUTTAL_DISPUTE_PRIOR`, no lean either way). Sentences that open by thanking or
    agreeing, words the authors quote, and stances they took by replying or quoting are left
    as they are. `rows` are the statements the trace returns; a reading against a `reference`
    that denies the query is turned round, as in `classify_against`.
    """
    best_point: dict[str, dict[str, Any]] = {}
    for row in rows.values():
        current = best_point.get(row["post_uid"])
        if current is None or (relevance.get(row["statement_uid"], 0.0)
                               > relevance.get(current["statement_uid"], 0.0)):
            best_point[row["post_uid"]] = row
    answering = [row["statement_uid"] for row in rows.values()
                 if row.get("by_paper_authors") and not row.get("parent_by_paper_authors")
                 and row.get("parent_uid") in best_point
                 and best_point[row["parent_uid"]]["stance"] == "SUPPORTS"
                 and not (row["via_reply"] or row["via_quote"] or row.get("quoted"))
                 and row.get("extractor") != ANSWER_EXTRACTOR and not acknowledges(row["text"])]
    pairs = [(reference, rows[uid]["text"]) for uid in answering]
    for uid, prediction in zip(answering, stance.predict(pairs, dispute_prior=REBUTTAL_DISPUTE_PRIOR)):
        label = opposite_stance(prediction.label) if reference_denies else prediction.label
        _set_stance(rows[uid], label, prediction.confidence, REBUTTAL_EXTRACTOR)


def _set_stance(row: dict[str, Any], label: str, confidence: float, extractor: str) -> None:
    """Give a row the stance a model reading found ("supports" or "disputes")."""
    row.update(stance="SUPPORTS" if label == "supports" else "DISPUTES", confidence=confidence,
               extractor=extractor)


def _continue_stances(rows: dict[str, dict[str, Any]], referring_uids: list[str]) -> None:
    """A statement that refers back to the sentences before it ("Fortunately, we can construct
    such patterns") goes on in the stance its author took there: it takes the stance of the
    last returned statement of its post just before it, unless it opens with a contrast
    ("But ..."). Read alone, such a sentence leaves the stance model little to go on."""
    referring = set(referring_uids)
    for uid in referring_uids:
        row = rows[uid]
        if row.get("start") is None or opens_with_contrast(row["text"]):
            continue
        before = [other for other in rows.values()
                  if other["post_uid"] == row["post_uid"] and other["statement_uid"] not in referring
                  and not (other["via_reply"] or other["via_quote"]) and other.get("end") is not None
                  and other["end"] <= row["start"] <= other["end"] + CONTEXT_CHARS]
        if before:
            antecedent = max(before, key=lambda other: other["end"])
            row.update(stance=antecedent["stance"], confidence=antecedent.get("confidence"),
                       extractor=CONTINUATION_EXTRACTOR)


def _copy_preference(row: dict[str, Any], relevance: dict[str, float]) -> tuple[bool, bool, float]:
    """Among rows with the same words: the copy naming its author, then a stance the author took
    by replying or quoting (it says more than the bare sentence), then the more relevant."""
    return (bool(row.get("author")), bool(row.get("via_reply") or row.get("via_quote")),
            relevance.get(row["statement_uid"], 0.0))


def is_proposition(text: str, nlp: Any) -> bool:
    """Does the text assert something (a subject and a finite verb, not a question)?

    "CoT adds depth" and "o1 does not actually reason" do; "test-time compute scaling",
    "is o1 reasoning" and "skip the math" (no subject) do not. Without a parser, only
    questions are ruled out.
    """
    text = text.strip()
    if not text or text.endswith("?"):
        return False
    if nlp is None:
        return True
    sentence = next(iter(nlp(text).sents))
    root = sentence.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    subjects = [t for t in root.children if t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
    if not subjects:
        return False
    # "is o1 reasoning", "does depth matter": an auxiliary before the subject asks.
    first_auxiliary = min((t.i for t in sentence if t.head == root and t.dep_ in ("aux", "auxpass")), default=None)
    if root.pos_ == "AUX" and root.i < subjects[0].i:
        return False
    return first_auxiliary is None or first_auxiliary > subjects[0].i


# English auxiliaries and modals that open a yes/no question ("is o1 reasoning", "can Mamba replace transformers").
_QUESTION_OPENERS = frozenset(
    "is are was were am do does did can could will would should shall has have had may might must".split()
)


def asks_yes_no(text: str) -> bool:
    """Does the text ask whether a proposition holds ("is o1 reasoning", "are the proofs sound?")?

    Such a question names its proposition as plainly as an assertion does: a statement
    answering yes supports it. The small parser misreads many short lower-case questions,
    so the test is the opening auxiliary, a closed class of English grammar words.
    """
    words = _WORD.findall(text.lower())
    return len(words) >= 3 and words[0] in _QUESTION_OPENERS


# How much a statement using all of the query's content words adds to its cosine similarity.
LEXICAL_WEIGHT = 0.1
# How much less a statement's similarity in context counts than its similarity on its own.
CONTEXT_DISCOUNT = 0.05
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words ("S4 random initialization performs badly" ->
    {s4, random, initi, perform, bad})."""
    words = [w for part in _WORD.findall(text.lower()) for w in part.split("-") if w not in STOP_WORDS]
    return {stem for stem in snowball_stemmer().stemWords(words) if len(stem) >= 2}


def stem_coverage(query_stems: set[str], text: str) -> float:
    """Share of the query's content stems that the text uses."""
    if not query_stems:
        return 0.0
    return len(query_stems & content_stems(text)) / len(query_stems)


def lucene_any(stems: set[str]) -> str:
    """A full-text query matching any word that starts with one of the stems."""
    return " OR ".join(f"{stem}*" for stem in sorted(stems) if stem.isalnum())


def _without_parts_of_passages(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Leave out a post's sentences that a longer returned statement of the same post holds: an
    author's answer to a quote, or a sentence joined to the one it refers back to ("... a lot of
    talk about Mamba replacing transformers. Apparently that didn't happen so far."). The reader
    sees them there, in the stance the whole passage takes."""
    passages = [(row["post_uid"], row["start"], row["end"], uid) for uid, row in rows.items()
                if not row.get("via_reply") and row.get("start") is not None and row.get("end") is not None]

    def inside_passage(uid: str, row: dict[str, Any]) -> bool:
        if row.get("via_quote") or row.get("start") is None or row.get("end") is None:
            return False
        return any(post == row["post_uid"] and other != uid and start <= row["start"] and row["end"] <= end
                   and end - start > row["end"] - row["start"] for post, start, end, other in passages)

    return {uid: row for uid, row in rows.items() if not inside_passage(uid, row)}


# Two statements of one post this close (characters between them) are consecutive.
CONSECUTIVE_GAP = 3


def _merge_consecutive(rows: dict[str, dict[str, Any]], similarity: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Join statements that follow one another in the same post and take the same stance.

    Two sentences of one comment that both answer the query ("A nice trick is to skip the
    middle. Just don't read most of the lines of math.") are one passage to the reader.
    """
    by_post: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows.values():
        if row.get("via_reply") or row.get("via_quote") or row.get("start") is None or row.get("end") is None:
            continue
        by_post.setdefault((row["post_uid"], row["stance"]), []).append(row)
    merged = dict(rows)
    for group in by_post.values():
        group.sort(key=lambda r: r["start"])
        runs = [[group[0]]]
        for row in group[1:]:
            if runs[-1][-1]["end"] <= row["start"] <= runs[-1][-1]["end"] + CONSECUTIVE_GAP:
                runs[-1].append(row)
            else:
                runs.append([row])
        for run in (r for r in runs if len(r) > 1):
            lead = max(run, key=lambda r: similarity.get(r["statement_uid"], 0.0))
            joined = dict(lead, text=" ".join(r["text"] for r in run), start=run[0]["start"], end=run[-1]["end"],
                          context=run[0].get("context"))
            for part in run:
                merged.pop(part["statement_uid"], None)
            merged[lead["statement_uid"]] = joined
    return merged


def _statement_json(
    row: dict[str, Any], similarity: float, relevance: float, show_context: bool
) -> dict[str, Any]:
    """A returned statement; `context` (the sentences before it) only when they made it relevant
    or gave it its stance."""
    reply_to = None
    if row.get("parent_text"):
        reply_to = {"author": row.get("parent_author"), "text": _clip(row["parent_text"], 400),
                    "url": row.get("parent_url")}
    return {
        "text": row["text"],
        "context": row.get("context") if show_context else None,
        "author": row.get("author"),
        "source_title": row.get("source_title"),
        "source_url": row.get("source_url"),
        "source_kind": row.get("source_kind"),
        "post_url": row.get("post_url"),
        "posted_at": row.get("posted_at"),
        "confidence": round(float(row.get("confidence") or 0.0), 4),
        "similarity": round(similarity, 4),
        "relevance": round(relevance, 4),
        "quoted": bool(row.get("quoted")),
        "attributed_to": row.get("attributed_to"),
        "via_reply": bool(row.get("via_reply")),
        "via_quote": bool(row.get("via_quote")),
        "reply_to": reply_to,
        "statement_uid": row["statement_uid"],
        "claim_uid": row["claim_uid"],
        "extractor": row.get("extractor"),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def search(query: str, services: TraceServices, *, k: int = 10) -> dict[str, Any]:
    """Claims nearest a query: the entry point of the search box."""
    normalised_query = normalise_query(query, services)
    vector = services.encoder.encode([normalised_query])[0]
    claims = services.graph.nearest_claims(vector.tolist(), k)
    return {"query": query, "normalised_query": normalised_query,
            "claims": [{"uid": c["uid"], "text": c["text"], "similarity": round(c["similarity"], 4),
                        "n_supports": c["n_supports"], "n_disputes": c["n_disputes"]} for c in claims]}
