"""Who speaks for the paper: posts written by the authors of the work under discussion.

A review forum signs the authors' answers as the authors ("Authors", "Paper1234
Authors" on OpenReview); elsewhere an author says so ("Author here", "I'm one of the
authors", "in our paper"). What such a post says to a critic's words is a rebuttal
unless it concedes (`workers.claims.link_quote_responses`).
"""

from __future__ import annotations

import re

from workers.documents import Post

# A signature that names the authors as a group, not a person.
_AUTHORS_SIGNATURE = re.compile(r"^(?:the\s+)?(?:paper\s*\d*\s+)?(?:co-?)?authors?$", re.IGNORECASE)
# Words by which a writer says the paper is theirs.
_SELF_IDENTIFIED = re.compile(
    r"\b(?:"
    r"(?:i\s+am|i'm|i’m|we\s+are|we're|we’re)\s+(?:one\s+of\s+)?(?:the\s+)?(?:paper'?s?\s+)?(?:co-?)?authors?\b"
    r"|(?:co-?)?author\s+here\b"
    r"|our\s+(?:paper|submission|manuscript|preprint)\b"
    r")",
    re.IGNORECASE,
)


def speaks_for_paper(post: Post) -> bool:
    """Is the post written by (one of) the authors of the paper it discusses?"""
    if post.author and _AUTHORS_SIGNATURE.match(post.author.strip()):
        return True
    return bool(_SELF_IDENTIFIED.search(post.text))
