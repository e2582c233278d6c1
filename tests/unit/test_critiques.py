"""`link_critiques`: which claims a critique disputes, from the rows `link_statements` wrote."""

from workers.claims import CRITIQUE_CONFIDENCE, CRITIQUE_EXTRACTOR, link_critiques
from workers.pipeline import Extraction, statement_uid
from workers.stance import EXTRACTOR as STANCE_EXTRACTOR
from workers.statements import StatementCandidate

POST_UIDS = {"s1": "post:s1", "s2": "post:s2"}


def _candidate(post: str, start: int, frame: str | None, text: str = "words") -> StatementCandidate:
    return StatementCandidate(post, text, start, start + len(text), frame=frame)  # type: ignore[arg-type]


def _link(out: Extraction, candidate: StatementCandidate, claim: str, stance: str, confidence: float = 0.9) -> None:
    row = {"statement_uid": statement_uid(POST_UIDS[candidate.post_local_id], candidate), "claim_uid": claim,
           "confidence": confidence, "extractor": STANCE_EXTRACTOR, "similarity": 0.8}
    (out.supports if stance == "supports" else out.disputes).append(row)


def test_a_critique_disputes_earlier_findings_of_its_own_post_only() -> None:
    finding = _candidate("s1", 0, "finding")
    disputing_finding = _candidate("s1", 10, "finding")
    plain = _candidate("s1", 20, None)
    critique = _candidate("s1", 30, "critique")
    later_finding = _candidate("s1", 40, "finding")
    other_post_finding = _candidate("s2", 0, "finding")
    out = Extraction()
    _link(out, finding, "claim:a", "supports")
    _link(out, disputing_finding, "claim:b", "disputes", 0.6)
    _link(out, plain, "claim:c", "supports")
    _link(out, critique, "claim:own", "supports")
    _link(out, critique, "claim:a2", "supports")
    _link(out, later_finding, "claim:d", "supports")
    _link(out, other_post_finding, "claim:e", "supports")
    _link(out, finding, "claim:a2", "supports")  # a claim the critique already states keeps that link alone
    candidates = [critique, later_finding, finding, plain, disputing_finding, other_post_finding]

    link_critiques(candidates, out, POST_UIDS)

    critique_uid = statement_uid("post:s1", critique)
    derived = {(stance, row["claim_uid"], row["confidence"])
               for stance, rows in (("supports", out.supports), ("disputes", out.disputes))
               for row in rows if row["extractor"] == CRITIQUE_EXTRACTOR and row["statement_uid"] == critique_uid}
    assert derived == {("disputes", "claim:a", CRITIQUE_CONFIDENCE), ("supports", "claim:b", 0.6)}
    assert all(row["statement_uid"] == critique_uid
               for row in out.supports + out.disputes if row["extractor"] == CRITIQUE_EXTRACTOR)
