"""Paper mentions: arXiv ids, DOIs, paper links and titles found in a parsed Document.

Every paper gets one canonical key, which is also its graph `uid`:

    arxiv:2501.00343     arXiv id, no version (old style kept: arxiv:math/0406077)
    doi:10.1177/...      DOI, lower case
    url:host/path        a paper link that has neither (scheme, www. and fragment dropped)
    title:some title     a paper known only by its title (lower case, punctuation dropped)

A link is a paper when it is an arXiv/DOI link, a known paper host (OpenReview, ACL
Anthology, proceedings sites, ...) or a PDF. Any other link (a GitHub repo, a course, a
video) is a paper only when the post is about it: the link line of a titled newsletter
section. Titles come from those section titles, from the thread title of an HN story
whose link is a paper host, from blog headings whose section calls itself "this paper",
from quoted titles ("the "Attention Is All You Need" paper"), from citations ("[Mirowski,
et al., Learning to Navigate in Complex Environments, ICLR17]", "cite: Škvára et al. Are
generative deep models for novelty detection truly better?") and from "the Mamba paper".

Reference lists and citations are read in the styles people paste: APA, ACM, IEEE, Harvard,
MLA/Chicago as Google Scholar exports them ("Sinha, Aman, Hongseok Namkoong, and John Duchi.
"Title." ICLR 2018."), NeurIPS/ACL lists with full names ("Aman Sinha and John Duchi. Title.
In ICLR, 2018."), the title first and its authors after it, a title and its venue alone as a
list entry, and a Title Case title in quotes where the words around it cite it. Any other
marked entry with a year ("[DHS11] ...", Vancouver's "Duchi J, Hazan E, Singer Y. Title. JMLR.
2011;12:2121-59.") is cut at its full stops into authors, title and venue; a title line with its
authors' full names on the next line is an arXiv listing pasted. Every author
list is read by one grammar of names, so that it is never taken for the title, and every
loose candidate must read as a title, not as a reviewer's sentence ("Clarity: the paper is ...",
"typo in equation 3, ICML 2018").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from urllib.parse import parse_qs, urlsplit

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language

from workers.documents import Document, Post, SourceKind
from workers.methods import DOCUMENT_PART_WORDS, MethodCatalog, is_name_token

EXTRACTOR = "claimgraph.papers.v1"


@dataclass(frozen=True)
class PaperMention:
    """A paper identified in a post.

    `post_local_id` is None for a document-level paper (an HN story's link).
    `start_char`/`end_char` are offsets into the post's text, -1 when the paper was
    identified from a title or link that is not in the text. `role` is "primary" when
    the paper is what the document or section is about, else "mentioned".
    """

    post_local_id: str | None
    key: str
    arxiv_id: str | None
    doi: str | None
    url: str | None
    title: str | None
    start_char: int
    end_char: int
    role: str = "mentioned"


# ---------------------------------------------------------------------------- identifiers

_NEW_ID = r"\d{4}\.\d{4,5}"
_ARCHIVES = (
    "astro-ph|cond-mat|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nlin|nucl-ex|nucl-th|physics|quant-ph"
    "|math|cs|q-bio|q-fin|stat|eess|econ|adap-org|alg-geom|chao-dyn|cmp-lg|comp-gas|dg-ga|funct-an"
    "|patt-sol|q-alg|solv-int|supr-con|chem-ph|atom-ph|bayes-an|plasm-ph|mtrl-th|ao-sci|acc-phys"
)
_OLD_ID = rf"(?:{_ARCHIVES})(?:\.[A-Z]{{2}})?/\d{{7}}"
_ANY_ID = rf"(?:{_NEW_ID}|{_OLD_ID})"

ARXIV_URL = re.compile(
    rf"(?:https?://)?(?:www\.|export\.|web\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/({_ANY_ID})(?:v\d+)?(?:\.pdf)?",
    re.IGNORECASE,
)
# arXiv mirrors and viewers whose path carries the id.
ARXIV_MIRROR_URL = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:huggingface\.co/papers|alphaxiv\.org/(?:abs|overview)|ar5iv\.(?:labs\.arxiv\.)?org/"
    rf"(?:abs|html)|arxiv-sanity(?:-lite)?\.com/abs|paperswithcode\.com/paper/arxiv|scholar\.archive\.org/arxiv)"
    rf"/?({_ANY_ID})(?:v\d+)?",
    re.IGNORECASE,
)
ARXIV_PREFIXED = re.compile(rf"\barxiv\s*:\s*({_ANY_ID})(?:v\d+)?\b", re.IGNORECASE)
ARXIV_BARE_NEW = re.compile(rf"(?<![\w./-])({_NEW_ID})(?:v\d+)?(?![\w/]|\.\d)")
ARXIV_BARE_OLD = re.compile(rf"(?<![\w/-])({_OLD_ID})(?:v\d+)?(?!\d)")
ARXIV_CUE = re.compile(r"arxiv", re.IGNORECASE)
DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>\]\[]+)", re.IGNORECASE)
URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\[)]+(?:\([^\s<>\"']*\)[^\s<>\"'\]\[)]*)?", re.IGNORECASE)

# Hosts whose pages are papers (path checks where a host also serves other pages).
_PAPER_HOSTS: dict[str, re.Pattern[str] | None] = {
    "openreview.net": re.compile(r"^/(?:forum|pdf|attachment)"),
    "aclanthology.org": re.compile(r"^/[\w.-]+\d"),
    "aclweb.org": re.compile(r"^/anthology/"),
    "proceedings.neurips.cc": re.compile(r"/paper"),
    "papers.nips.cc": re.compile(r"/paper"),
    "papers.neurips.cc": re.compile(r"/paper"),
    "proceedings.mlr.press": None,
    "jmlr.org": re.compile(r"^/papers/"),
    "www.jmlr.org": re.compile(r"^/papers/"),
    "openaccess.thecvf.com": re.compile(r"/papers?/|/html/"),
    "ojs.aaai.org": re.compile(r"/article/"),
    "www.ijcai.org": re.compile(r"^/proceedings/"),
    "ieeexplore.ieee.org": re.compile(r"^/(?:document|abstract)/"),
    "dl.acm.org": re.compile(r"^/doi/"),
    "www.nature.com": re.compile(r"^/articles/"),
    "www.science.org": re.compile(r"^/doi/"),
    "www.semanticscholar.org": re.compile(r"^/paper/"),
    "paperswithcode.com": re.compile(r"^/paper/"),
    "www.researchgate.net": re.compile(r"^/publication/"),
    "papers.ssrn.com": None,
    "distill.pub": re.compile(r"^/20\d\d/"),
    "transformer-circuits.pub": re.compile(r"^/20\d\d/"),
    "www.biorxiv.org": re.compile(r"^/content/"),
    "www.medrxiv.org": re.compile(r"^/content/"),
    "link.springer.com": re.compile(r"^/(?:article|chapter)/"),
    "www.pnas.org": re.compile(r"^/doi/"),
    "journals.plos.org": re.compile(r"/article"),
    "www.sciencedirect.com": re.compile(r"^/science/article/"),
    "psycnet.apa.org": None,
    "academic.oup.com": re.compile(r"/article/"),
    "www.cell.com": re.compile(r"/fulltext/|/pdf/"),
    "pubmed.ncbi.nlm.nih.gov": re.compile(r"^/\d+"),
    "www.ncbi.nlm.nih.gov": re.compile(r"^/pmc/articles/"),
    "pmc.ncbi.nlm.nih.gov": re.compile(r"^/articles/"),
}
# Hosts that never serve a paper by themselves (they may still be what a section is about).
_GENERAL_HOSTS = re.compile(
    r"(?:^|\.)(?:github\.com|gitlab\.com|youtube\.com|youtu\.be|twitter\.com|x\.com|coursera\.org|reddit\.com|"
    r"news\.ycombinator\.com|linkedin\.com|facebook\.com|discord\.gg|wikipedia\.org|amazon\.com|"
    r"substack\.com|medium\.com|huggingface\.co|google\.com|bsky\.app|mastodon\.social)$"
)


def normalise_arxiv_id(raw: str) -> str:
    """"2501.00343v2" -> "2501.00343"; "Math/0406077" -> "math/0406077"."""
    value = raw.strip().rstrip(".")
    value = re.sub(r"v\d+$", "", value)
    if "/" in value:
        archive, number = value.split("/", 1)
        head, _, sub = archive.partition(".")
        archive = head.lower() + ("." + sub.upper() if sub else "")
        value = f"{archive}/{number}"
    return value


def _valid_new_id(value: str) -> bool:
    yymm = value.split(".")[0]
    month = int(yymm[2:])
    digits = len(value.split(".")[1])
    # 4-digit sequence numbers until 2014-12, 5 digits from 2015-01
    return 1 <= month <= 12 and (digits == 4 or int(yymm) >= 1501)


def _valid_old_id(value: str) -> bool:
    number = value.split("/")[1]
    return 1 <= int(number[2:4]) <= 12


def normalise_doi(raw: str) -> str:
    doi = raw.strip().rstrip(".,;:)")
    doi = re.sub(r"(?:/(?:full|abstract|pdf|epdf|meta|html))+/?$|\.pdf$", "", doi, flags=re.IGNORECASE)
    return doi.lower()


def normalise_url(url: str) -> str:
    """Scheme, "www.", default ports, fragments and trailing slashes dropped; host lower case."""
    value = url.strip().rstrip(".,;:")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "http://" + value
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    host = host.removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/+$", "", parts.path)
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def normalise_title(title: str) -> str:
    """Lower case, NFKC, punctuation dropped, whitespace collapsed."""
    value = unicodedata.normalize("NFKC", title).lower()
    value = re.sub(r"[^\w\s]", " ", value)
    return re.sub(r"\s+", " ", value).strip()


def paper_key(
    arxiv_id: str | None = None, doi: str | None = None, url: str | None = None, title: str | None = None
) -> str:
    """The canonical key: arXiv, else DOI, else URL, else title."""
    if arxiv_id:
        return f"arxiv:{normalise_arxiv_id(arxiv_id)}"
    if doi:
        return f"doi:{normalise_doi(doi)}"
    if url:
        return f"url:{normalise_url(url)}"
    if title:
        return f"title:{normalise_title(title)}"
    raise ValueError("a paper needs an arXiv id, a DOI, a URL or a title")


@dataclass(frozen=True)
class PaperRef:
    """What a single link or identifier says about a paper."""

    arxiv_id: str | None
    doi: str | None
    url: str | None

    @property
    def key(self) -> str:
        return paper_key(self.arxiv_id, self.doi, self.url)


def _host(url: str) -> str:
    value = url if re.match(r"^[a-z]+://", url, re.IGNORECASE) else "http://" + url
    try:
        return (urlsplit(value).hostname or "").lower()
    except ValueError:
        return ""


def classify_link(url: str) -> PaperRef | None:
    """The paper a link points at, or None when it is a general link."""
    for pattern in (ARXIV_URL, ARXIV_MIRROR_URL):
        match = pattern.search(url)
        if match:
            return PaperRef(normalise_arxiv_id(match.group(1)), None, url)
    doi = DOI_PATTERN.search(url)
    if doi:
        return PaperRef(None, normalise_doi(doi.group(1)), url)
    host = _host(url)
    if not host:
        return None
    value = url if re.match(r"^[a-z]+://", url, re.IGNORECASE) else "http://" + url
    parts = urlsplit(value)
    if host == "openreview.net" and "id" in parse_qs(parts.query):
        return PaperRef(None, None, url)
    for paper_host, path_rule in _PAPER_HOSTS.items():
        bare = paper_host.removeprefix("www.")
        if host in (paper_host, bare) and (path_rule is None or path_rule.search(parts.path)):
            return PaperRef(None, None, url)
    if parts.path.lower().endswith(".pdf") and not _GENERAL_HOSTS.search(host):
        return PaperRef(None, None, url)
    return None


def _about_link_ref(url: str) -> PaperRef:
    """A link that is a paper because the post is about it."""
    return classify_link(url) or PaperRef(None, None, url)


def find_identifiers(text: str) -> Iterator[tuple[PaperRef, int, int]]:
    """Every arXiv id, DOI and paper link in `text`, with character offsets."""
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in URL_PATTERN.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        ref = classify_link(url)
        end = match.start() + len(url)
        taken.append((match.start(), end))  # a general URL's digits are not bare ids
        if ref:
            yield ref, match.start(), end
    for match in ARXIV_URL.finditer(text):
        if free(match.start(), match.end()):
            taken.append((match.start(), match.end()))
            yield PaperRef(normalise_arxiv_id(match.group(1)), None, None), match.start(), match.end()
    for match in ARXIV_PREFIXED.finditer(text):
        if free(match.start(), match.end()):
            taken.append((match.start(), match.end()))
            yield PaperRef(normalise_arxiv_id(match.group(1)), None, None), match.start(), match.end()
    for match in DOI_PATTERN.finditer(text):
        if free(match.start(), match.end()):
            doi = normalise_doi(match.group(1))
            end = match.start() + len(match.group(1).rstrip(".,;:)"))
            taken.append((match.start(), end))
            yield PaperRef(None, doi, None), match.start(), end
    for match in ARXIV_BARE_OLD.finditer(text):
        if free(match.start(), match.end()) and _valid_old_id(match.group(1)):
            taken.append((match.start(), match.end()))
            yield PaperRef(normalise_arxiv_id(match.group(1)), None, None), match.start(), match.end()
    for match in ARXIV_BARE_NEW.finditer(text):
        if not free(match.start(), match.end()) or not _valid_new_id(match.group(1)):
            continue
        window = text[max(0, match.start() - 80):match.end() + 40]
        if ARXIV_CUE.search(window):  # a bare number is an arXiv id only near the word
            taken.append((match.start(), match.end()))
            yield PaperRef(normalise_arxiv_id(match.group(1)), None, None), match.start(), match.end()


# ---------------------------------------------------------------------------- titles

_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•#]+)\s+")
_POSSESSIVE_OWNER = re.compile(r"^(?:[A-Z][\w&.-]*\s){0,2}[A-Z][\w&.-]*['’]s\s+(?=[A-Z])")
_NAME_GLOSS = re.compile(r"^(\S+(?:\s\S+){0,2})\s+[-–—:]\s+\S")
_SELF_REFERENCE = re.compile(
    r"\b(?:[Tt]his|[Tt]he above (?:is|was) an?|[Tt]he)\s+(?:[a-z][a-z-]*\s+){0,2}?"
    r"(paper|preprint|work|study|dissertation|thesis|report|blog post|post|explainer|video|book|course|"
    r"tutorial|lecture|talk|article|thread|podcast|series)\b"
)
# A numbered part of a document ("Specification 2", "Section 3.1", "Appendix B", "Theorem 1"):
# it heads a section but never names a paper.
_DOCUMENT_PART = re.compile(
    r"^(?:%s)\.?\s+(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.:)]?$" % "|".join(sorted(DOCUMENT_PART_WORDS | {
        "subsection", "listing", "specification", "claim", "conjecture", "assumption", "hypothesis", "remark",
        "observation", "exercise", "problem", "question", "answer", "case", "stage", "phase", "setting",
        "scenario", "condition", "update", "edit", "note", "response", "comment", "point", "issue", "item", "task",
    })),
    re.IGNORECASE,
)
_PAPERISH = frozenset({"paper", "preprint", "work", "study", "dissertation", "thesis", "report"})
_QUOTED_TITLE = re.compile(
    # "the paper titled "X"", "the Ilyas et al. paper "X"", "Smith and Lee's preprint "X"", "related work is "X"",
    # "Zhang et al. (2017)'s ICLR paper "X"": whatever precedes "paper"
    r"(?:\b(?:paper|preprint|article|work|study)\s+(?:(?:is|titled|called|entitled|named)\s+)?"
    r"[\"“]([^\"”\n]{8,200})[\"”]"
    r"|[\"“]([^\"”\n]{8,200})[\"”]\s*(?:\(\d{4}\)\s*)?(?:paper|preprint))",
    re.IGNORECASE,
)
# "[Mirowski, et al., Learning to Navigate in Complex Environments, ICLR17]", and without the authors
# "[Exploring Generalization in Deep Learning, NIPS 2017]" (Title Case then)
_BRACKET_CITATION = re.compile(
    r"\[(?P<authors>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,?\s+(?:et\s+al\.?|and\s+[A-Z][\w'’-]+),\s*)?"
    r"(?P<title>[A-Z][^\[\],\n]{8,200}?),\s*(?:[A-Z]{2,}\s?'?\d{2,4}|(?:19|20)\d\d)\]"
)
# Reference-list entries and citations in the usual styles (APA, ACM, IEEE, MLA, "Author et
# al., Title, Venue"), built from one strict author grammar so that an author list is never
# read as a title: "Heess, N." / "N. Heess" / "Buckman, Jacob," / "Vaswani et al.".
# Possessive and atomic (Python 3.11) so that a long line of names fails in linear time.
_SURNAME = r"[A-Z](?=[\w'’-]*[a-z])[\w'’-]++"
_INITIALS = r"[A-Z]\.(?:[ \t]?-?[A-Z]\.)*+"
_AUTHOR = (
    rf"(?:{_SURNAME}(?:[ \t]{_SURNAME})?,[ \t]+{_INITIALS}"  # Heess, N. / Van Hasselt, H. P.
    rf"|{_INITIALS}[ \t]+{_SURNAME}(?:[ \t]{_SURNAME})?"  # N. Heess
    rf"|{_SURNAME},[ \t]+{_SURNAME}(?=,[ \t]*(?:et[ \t]+al\b|and\b|&)))"  # Buckman, Jacob, et al.
)
_AUTHOR_SEPARATOR = r"(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&)[ \t]+)"
_AUTHOR_LIST = (
    rf"(?P<authors>(?>{_AUTHOR}(?:{_AUTHOR_SEPARATOR}{_AUTHOR})*)(?:,?[ \t]+et[ \t]+al\.)?"
    rf"|(?:{_SURNAME}[ \t]+)?{_SURNAME}[ \t]+et[ \t]+al\."
    rf"|(?>{_SURNAME}(?:,[ \t]*{_SURNAME})*+,?[ \t]+(?:and|&)[ \t]+{_SURNAME}))"  # Duchi, Hazan, and Singer
)
_LIST_MARKER = r"\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)]|[-*•]"
_YEAR = r"(?:19|20)\d\d[a-z]?"
# An entry opens a line (after "[1]", "1.", "-", "*") or follows a colon: authors, a year,
# then the title, quoted (MLA) or up to its full stop or question mark, perhaps after a dash ("Uesato
# et al. 2019 - Are Labels Required ...?"); `rest` is the line after it.
_REFERENCE_ENTRY = re.compile(
    rf"(?:^|(?<=:))[ \t]*(?P<marker>{_LIST_MARKER})?[ \t]*{_AUTHOR_LIST}"
    rf"(?P<year>[ \t]*[.,]?[ \t]*\(?{_YEAR}\)?)?"
    r"(?:[.,:]?[ \t]+[\"“](?P<quoted>[^\"”\n]{8,250}?)[.,]?[\"”]"
    r"|(?:[.:]|[ \t]+[-–—])?[ \t]+(?P<title>[A-Z][^\n]{8,250}?)(?:[.?](?=[ \t]|$)|$))"
    r"(?P<rest>[ \t]+[^\n]*|[ \t]*\n[ \t]*(?:https?://|www\.)\S+)?",
    re.MULTILINE,
)
_VENUE_OR_YEAR = rf"(?:In[ \t]+)?(?:[A-Z][A-Za-z]*[ \t]?'?\d{{2,4}}\b|{_YEAR}\b|arXiv\b|[A-Z]{{2,}}\b)"
# The venue a short citation may name before its year: "(Tsipras et al., ICLR 2019)", "NeurIPS 2019".
_VENUE_ACRONYM = r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*"
# Where a citation ends after its year: not "The novelty is limited, Smith et al. 2019 already proposed it".
_CITATION_END = r"\)?[ \t]*(?:[.,;)\]]|$)"
_CITED_AUTHORS = r"[A-Z][\w'’-]+(?:[ \t]+et[ \t]+al\.?|[ \t]+(?:and|&)[ \t]+[A-Z][\w'’-]+)"
# A short citation: its authors, perhaps a venue, and the year ("Tsipras et al., ICLR 2019", "Ha and Schmidhuber, 2018").
_AUTHORS_VENUE_YEAR = rf"{_CITED_AUTHORS},?[ \t]+(?:{_VENUE_ACRONYM},?[ \t]+)?{_YEAR}"
# "Feinberg et al., Model-Based Value Estimation ..., ICML 2018"; "Ha & Schmidhuber, World Models, 2018"
_AUTHORS_COMMA_TITLE = re.compile(
    rf"\b{_CITED_AUTHORS},[ \t]+(?P<title>[A-Z\"“][^,()\n]{{8,200}}?),[ \t]*{_VENUE_OR_YEAR}"
)
# "Sample-efficient RL with stochastic ensemble value expansion, Buckman et al. 2018", opening a line,
# after a colon or in a parenthesis ("(e.g., Title, Authors, 2018)")
_TITLE_COMMA_AUTHORS = re.compile(
    rf"(?:^|(?<=:)|(?<=\()|(?<=e\.g\.,)|(?<=e\.g\.))[ \t]*(?:(?:{_LIST_MARKER})[ \t]*)?"
    rf"(?P<title>[A-Z](?:(?![ \t][-–—][ \t])[^,:()\n]){{8,200}}?),[ \t]+{_CITED_AUTHORS},?[ \t]+\(?(?:{_VENUE_ACRONYM},?[ \t]+)?{_YEAR}\b(?={_CITATION_END})",
    re.MULTILINE,
)
# A title before its parenthetical citation: "Model-Based Value Estimation for Efficient Model-Free
# Reinforcement Learning (Feinberg et al., 2018)" (title case) or '"World Models" (Ha and Schmidhuber, 2018)';
# with "et al." the year may be left out: "... by Gradient Descent (Andrychowicz et al.)".
_TITLE_THEN_CITATION = re.compile(
    rf"(?:[\"“](?P<quoted>[^\"”\n]{{5,200}}?)[.,]?[\"”]|(?P<title>(?:[A-Z][\w'’:-]*[ \t]+)"
    rf"(?:(?:[A-Z0-9][\w'’:-]*[!?]?|a|an|the|of|for|in|on|to|with|and|or|via|by|from|at|as|is|are|do)[ \t]+){{1,20}}))"
    rf"[ \t]*\((?:{_AUTHORS_VENUE_YEAR}|{_SURNAME}[ \t]+et[ \t]+al\.?)\)"
)

# A citation, then its title in parentheses or between commas: "Ilyas et al., 2019 (Adversarial Examples
# Are Not Bugs, They Are Features)", "Nalisnick et al. (2019), Do Deep Generative Models Know What They
# Don't Know?, shows ..." (Title Case only: "Smith et al. (2019), However, ..." is a sentence).
_CITED_YEAR = rf",?[ \t]+(?:\({_YEAR}\)|{_YEAR})"
_CITATION_THEN_TITLE = re.compile(
    rf"\b{_CITED_AUTHORS}(?:{_CITED_YEAR}"
    r"(?:[ \t]*\((?P<title>[A-Z][^()\n]{8,200}?)\)|,[ \t]+(?P<listed>[A-Z][^\n]{8,200}?\??),[ \t]+(?=[a-z]))"
    # or the title in brackets: "Jacobsen et al. [Excessive Invariance Causes ...] show", "Szegedy et al.
    # (2014) [Intriguing properties of neural networks]"
    rf"|(?:{_CITED_YEAR})?[ \t]*\[(?P<bracketed>[A-Z][^\[\]\n]{{8,200}}?)\])"
)
# Inside brackets, the citation first: "[Szegedy et al. 2014, Intriguing properties of neural networks]".
_BRACKETED_CITATION_THEN_TITLE = re.compile(
    rf"\[{_CITED_AUTHORS},?[ \t]+\(?{_YEAR}\)?,[ \t]*(?P<title>[A-Z][^\[\]\n]{{4,200}}?)\]"
)


# Full names as NeurIPS/ACL reference lists and Google Scholar's MLA give them: "Aman Sinha",
# "Diederik P. Kingma", "Laurens van der Maaten"; MLA inverts the first one ("Sinha, Aman").
_GIVEN_NAME = r"[A-Z](?=[\w'’-]*[a-z])[\w'’-]++"
_NAME_PARTICLES = r"(?:(?:van|von|de|der|den|del|della|da|di|du|le|la|dos|das|ter)[ \t]+)*+"
_FULL_NAME = rf"{_GIVEN_NAME}(?:[ \t]+(?:{_INITIALS}|{_GIVEN_NAME}))?[ \t]+{_NAME_PARTICLES}{_SURNAME}"
_INVERTED_NAME = rf"{_SURNAME},[ \t]+{_GIVEN_NAME}(?:[ \t]+{_INITIALS})?"
_FULL_NAME_LIST = (
    rf"(?P<names>(?>(?:{_INVERTED_NAME}|{_FULL_NAME})(?:{_AUTHOR_SEPARATOR}{_FULL_NAME})*+)"
    rf"(?:,?[ \t]+et[ \t]+al\.?)?)"
)
# "et al.", also as often misspelt ("et. al.")
_ET_AL_WORDS = r"et\.?[ \t]+al\.?"
_ET_AL = rf"(?:{_SURNAME}[ \t]+)?{_SURNAME},?[ \t]+{_ET_AL_WORDS}"
# A title opening a sentence, then its authors: "Adversarial Spheres, by Gilmer et al., shows ...".
_TITLE_COMMA_BY_AUTHORS = re.compile(
    rf"(?:^|(?<=[.!?:][ \t])|(?<=\())[ \t]*(?P<title>[A-Z][^,;:()\n\"“”]{{4,200}}?),[ \t]+by[ \t]+{_ET_AL}",
    re.MULTILINE,
)
# A sentence that opens in a title and names its authors: "In Intriguing properties of neural networks,
# Szegedy et al. show ...".
_IN_TITLE_AUTHORS = re.compile(
    rf"(?:^|(?<=[.!?][ \t]))[ \t]*In[ \t]+(?P<title>[A-Z][^,;:()\n\"“”]{{8,200}}?),[ \t]+{_ET_AL}",
    re.MULTILINE,
)
# A venue (with its year) as a citation ends with it: "ICLR 2018", "NeurIPS'19", "In Proceedings of ...",
# "Advances in Neural Information Processing Systems", "arXiv preprint arXiv:1710.10571".
_VENUE_NAME = (
    r"(?:In[ \t]+)?(?:arXiv\b|Proc(?:eedings|\.)|Advances[ \t]+in\b|International[ \t]+(?:Conference|Journal)\b"
    r"|Conference[ \t]+on\b|Journal[ \t]+of\b|Transactions[ \t]+on\b|Workshop\b"
    rf"|{_VENUE_ACRONYM}\b(?=[ \t]*'?\d{{2}}|[ \t,.]*(?:19|20)\d\d))"
)
_VENUE_YEAR = rf"(?:In[ \t]+)?{_VENUE_ACRONYM}[ \t]*'?(?:(?:19|20)\d\d|\d\d)\b"
# "Authors, Title, Venue" with the title in lower case, as typed in a hurry; then a venue and year must end
# it: "Xie et al, feature denoising for improving adversarial robustness, CVPR 2019".
_AUTHORS_COMMA_LOWER_CASE_TITLE = re.compile(
    rf"\b{_CITED_AUTHORS},[ \t]+(?P<title>[a-z][^,()\n]{{8,200}}?),[ \t]*(?:{_VENUE_YEAR}|\(?{_YEAR}\b)"
)
# "Aman Sinha, Hongseok Namkoong, and John Duchi. Certifiable distributional robustness .... In ICLR, 2018."
# and MLA's 'Sinha, Aman, Hongseok Namkoong, and John Duchi. "Certifiable ...." ICLR 2018': an unquoted
# title ends at the full stop before its venue or year.
_FULL_NAME_ENTRY = re.compile(
    rf"(?:^|(?<=:))[ \t]*(?P<marker>{_LIST_MARKER})?[ \t]*{_FULL_NAME_LIST}"
    rf"(?:[.,]?[ \t]*\(?{_YEAR}\)?)?(?P<separator>[.,]?)[ \t]+"
    r"(?:[\"“](?P<quoted>[^\"”\n]{8,250}?)[.,]?[\"”]"
    rf"|(?P<title>[A-Z][^\n]{{8,250}}?)(?:\.|(?<=\?))(?=[ \t]+(?:{_VENUE_NAME}|In[ \t]+[A-Z]|\(?{_YEAR}\b)|[ \t]*$))",
    re.MULTILINE,
)
# A quoted title right after its authors (two or more, or "et al."), anywhere in a sentence:
# 'Sinha et al. "Certifiable ..."', 'Sinha and Duchi, "Certifiable ..."'.
_AUTHORS_THEN_QUOTED = re.compile(
    # the list is read from its first name only (not from each name inside it): linear in a long line of names
    rf"(?<![,&][ \t])(?<!\band[ \t])\b"
    rf"(?:{_ET_AL}|(?:{_INVERTED_NAME}|{_FULL_NAME})(?:{_AUTHOR_SEPARATOR}{_FULL_NAME})++)[.,]?[ \t]+"
    rf"(?:\(?{_YEAR}\)?[.,]?[ \t]+)?[\"“](?P<quoted>[^\"”\n]{{8,250}}?)[.,]?[\"”]"
)
# A quoted title its authors own or wrote in: 'Ilyas et al.'s "Adversarial Examples Are Not Bugs, They Are
# Features"', 'Wong and Kolter's "Provable defenses ..."', 'as shown by Madry et al. in "Towards ..."'. Short
# quoted terms ('Ilyas et al.'s "non-robust features"') are their words, not a title (see `_owned_title`).
_AUTHORS_OWN_QUOTED = re.compile(
    rf"\b(?:{_ET_AL}|{_CITED_AUTHORS})(?:['’]s|,?[ \t]+(?:\(?{_YEAR}\)?,?[ \t]+)?in)[ \t]+"
    rf"(?:(?:their|the|a)[ \t]+(?:paper|work|article|preprint)[ \t]+)?[\"“](?P<quoted>[^\"”\n]{{8,250}}?)[.,]?[\"”]"
)
# A quoted title, then who wrote it or where it appeared: '"Certifiable ..." by Sinha et al.',
# '"Certifiable ..." (Sinha et al., ICLR 2018)', '"Certifiable ..." (ICLR 2018)'.
_QUOTED_THEN_SOURCE = re.compile(
    r"[\"“](?P<quoted>[^\"”\n]{8,250}?)[.,]?[\"”][ \t]*"
    rf"(?:by[ \t]+(?:{_CITED_AUTHORS}|{_FULL_NAME})"
    rf"|\((?:{_CITED_AUTHORS}[.,]?[ \t]+)?{_VENUE_YEAR}\))"
)
# A list entry or a colon's object that is only a title and its venue: "1. Certifiable ... . ICLR 2018.",
# "- Certifiable ..., ICLR 2018", "Closest work: Certifiable ... (ICLR 2018)."
# Its parenthesis may name the authors first: "- Intriguing properties of neural networks (Szegedy, Zaremba,
# Sutskever; ICLR 2014)".
_SURNAMES_BEFORE_VENUE = (
    rf"{_SURNAME}(?:(?:,[ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+){_SURNAME})*+(?:,?[ \t]+et[ \t]+al\.?)?[;,][ \t]*"
)
# All that follows a title in its entry is where and when it appeared: "ICLR 2018.", "In NeurIPS, 2019".
_VENUE_AT_LINE_END = rf"(?:{_VENUE_YEAR}|{_VENUE_NAME}[^\n()]*?{_YEAR})\)?[.;]?[ \t]*$"
_TITLE_THEN_VENUE = re.compile(
    rf"(?:^[ \t]*(?:{_LIST_MARKER})|(?<=:))[ \t]*"
    rf"(?P<title>[A-Z\"“][^\n]{{8,250}}?)(?:[.,\"”]+[ \t]+|[ \t]*\((?:{_SURNAMES_BEFORE_VENUE})?)"
    + _VENUE_AT_LINE_END,
    re.MULTILINE,
)
_VENUE_TO_LINE_END = re.compile(_VENUE_AT_LINE_END)
# A list entry that gives the title first, then its authors (as arXiv's listing reads):
# "[1] Certifiable distributional robustness with principled adversarial training. Aman Sinha, John Duchi. ICLR".
_TITLE_THEN_AUTHORS = re.compile(
    rf"(?:^[ \t]*(?:{_LIST_MARKER})|(?<=:))[ \t]*(?P<title>[A-Z\"“][^\n]{{8,250}}?)"
    r"(?:[.,\"”]+|[ \t]+[-–—])[ \t]+"
    rf"(?P<by>{_AUTHOR_LIST}|{_FULL_NAME}(?:{_AUTHOR_SEPARATOR}{_FULL_NAME})*+(?:,?[ \t]+et[ \t]+al\.?)?)"
    rf"(?=[.,;(]|[ \t]+\(?{_YEAR}\b{_CITATION_END}|[ \t]+(?:{_VENUE_NAME}|{_VENUE_YEAR})|[ \t]*$)",
    re.MULTILINE,
)
# A line that is only a reference, with no list marker: "Intriguing properties of neural networks - Szegedy
# et al. (ICLR 2014)", "Adversarial Spheres — Gilmer et al., 2018". The dash, the authors and the venue or
# year that ends the line mark it as an entry together.
_TITLE_DASH_AUTHORS_LINE = re.compile(
    rf"^[ \t]*(?P<title>[A-Z\"“][^\n]{{8,250}}?)[ \t]+[-–—][ \t]+(?P<by>{_AUTHOR_LIST})"
    rf"[ \t]*,?[ \t]*\(?(?:{_VENUE_ACRONYM},?[ \t]+)?(?:{_YEAR}|{_VENUE_YEAR})\)?\.?[ \t]*$",
    re.MULTILINE,
)
# A title on a line of its own over its byline, next or after a blank line, as a linked article reads once
# pasted: "Adversarial Examples Are Not Bugs, They Are Features\n\nby Ilyas, et. al.". The byline names
# several authors or "et al.": one name under a title is how a post signs itself ("My Title\nby Jane Doe").
_TITLE_OVER_BYLINE = re.compile(
    rf"^[ \t]*(?P<title>[A-Z\"“][^\n]{{8,250}}?)[ \t]*\n(?:[ \t]*\n)?[ \t]*[Bb]y[ \t]+"
    rf"(?P<by>{_ET_AL}|{_FULL_NAME}(?:(?:{_AUTHOR_SEPARATOR}{_FULL_NAME})++(?:,?[ \t]+{_ET_AL_WORDS})?"
    rf"|,?[ \t]+{_ET_AL_WORDS}))[ \t.]*$",
    re.MULTILINE,
)
_SENTENCE_OPENERS = frozenset({"i", "we", "you", "they", "it", "this", "these", "those", "our", "my", "their",
                               "overall", "however", "also", "but", "and", "so", "yes", "no", "please", "thanks",
                               "thank"})
# Words that ask for or give references: a list below them, or the colon after them, introduces citations.
_REFERENCE_WORD = r"references?|cit(?:e|ing|ations?)|related|prior|previous|literature|missing|see"
# ...and the words a label before a citation may be ("Relevant: Title", "See also: Title").
_CITING_WORD = rf"{_REFERENCE_WORD}|refs?|relevant|similar|compare|reading"
_REFERENCE_CUE = re.compile(rf"\b(?:{_CITING_WORD}|works?|papers?|e\.g)\b[^:\n]{{0,30}}$", re.IGNORECASE)
# A title with its subtitle before its parenthetical citation, in sentence case and with no cue: "Similar ideas
# appear in Fast is better than free: Revisiting adversarial training (Wong et al. 2020)". The subtitle, opening
# on a capital after the colon, marks it as a title; its short name before the colon is at most six words, so
# the sentence's own opening words are left out.
_OPENING_WORD = "|".join(sorted(word.capitalize() for word in _SENTENCE_OPENERS))
_SUBTITLED_TITLE_THEN_CITATION = re.compile(
    rf"(?:^|(?<=[\w,][ \t]))(?!(?:{_OPENING_WORD})\b)"
    rf"(?P<title>[A-Z][\w'’-]*(?:[ \t]+[\w'’-]+){{0,5}}:[ \t]+[A-Z][^()\n.;:\"“”]{{4,150}}?)"
    rf"[ \t]*\((?:{_AUTHORS_VENUE_YEAR}|{_SURNAME}[ \t]+{_ET_AL_WORDS})\)",
    re.MULTILINE,
)
# An unquoted title its authors own, up to the comma that ends it: "As argued in Szegedy et al.'s Intriguing
# properties of neural networks, there is a trade-off".
_OWNED_TITLE_THEN_COMMA = re.compile(
    rf"\b(?:{_ET_AL}|{_CITED_AUTHORS})['’]s[ \t]+(?P<title>[A-Z][^,;:()\n.\"“”]{{6,200}}?),[ \t]"
)
# A title in apposition to the paper a sentence names: "A paper from last year, Adversarial Spheres, argued
# the opposite"; "A recent paper, Robustness may be at odds with accuracy, shows ...". The sentence goes on
# in lower case after the title.
_PAPER_THEN_TITLE = re.compile(
    r"(?:^|(?<=[.!?][ \t]))[ \t]*(?:An?|The|One|Another)[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}"
    r"(?:paper|preprint|article|study)(?:[ \t]+(?:from|by|at|in|of)[ \t]+[^,;:()\n.\"“”]{1,30}?)?,[ \t]+"
    r"(?P<title>[A-Z][^,;:()\n.\"“”]{6,200}?),[ \t]+(?=[a-z])",
    re.MULTILINE,
)
# A title alone after a colon that follows words giving or asking for references, up to the end of its sentence:
# "The authors missed an important paper: Learning to learn by gradient descent by gradient descent."
_TITLE_AFTER_CITING_COLON = re.compile(
    r"(?<=:)[ \t]*(?P<title>[A-Z][^\n\"“”()\[\]]{8,250}?\??)(?=\.[ \t]|\.?[ \t]*$|(?<=\?)[ \t])",
    re.MULTILINE,
)
# What names one paper before such a colon ("an important paper:", "a missing reference:"), or only points to
# one ("Relevant:", "See also:"), where a sentence-case title may follow; "Related work:" heads a review's
# paragraph, whose first sentence is as often a remark.
_ONE_PAPER_BEFORE_COLON = re.compile(
    r"\b(?:an?|one|another|missing|relevant)\b[^:\n]{0,25}\b(?:paper|reference|preprint|article|work)[ \t]*$"
    r"|^[ \t]*(?:[-*•][ \t]*)?(?:(?:also[ \t]+)?relevant|see(?:[ \t]+also)?|cf\.?)[ \t]*$",
    re.IGNORECASE,
)
# A quoted phrase in Title Case is a title where the words around it cite it: 'as in "Shampoo: Preconditioned
# Stochastic Tensor Optimization" (2018)', 'see "..."', 'previous papers (e.g., "...")', 'Table 1 of "..."
# reports'. Without a cue it may be a section of the paper under discussion ('everything up to "Path Expansion
# of Attention Scores"') or a product.
_QUOTED_PHRASE = re.compile(r"[\"“](?P<quoted>[A-Z][^\"”\n]{10,200}?)[\"”]")
_CITING_BEFORE = re.compile(
    r"(?:\b(?:papers?|works?|articles?|preprints?|publications?|cit(?:e|ed|ing)|references?|see|compare[ds]?|"
    r"as in|like|related|prior|previous|recent|proposed|introduced|published)\b|\b(?:e\.g|i\.e|cf)\.?)"
    r"[^\"“”.;]{0,25}$"
    # a numbered part of another work: "Table 1 of", "Figure 3 in", "Section 4.2 of"
    r"|\b(?:tables?|fig(?:ure)?s?\.?|sections?|sec\.|appendix|eq(?:uation)?s?\.?|theorem|lemma)[ \t]*"
    r"[A-Z]?\d+(?:\.\d+)*[a-z]?[ \t]+(?:of|in|from)[ \t]+(?:the[ \t]+paper[ \t]+)?$",
    re.IGNORECASE,
)
# A title in sentence case ("Understanding deep learning requires rethinking generalization") reads like
# quoted words, so it needs a cue right before it that only a citation takes: 'should cite "..."', 'see
# e.g. "..."', 'as shown in "..."', 'compare with "..."'; never 'the paper says "..."' nor a bare 'e.g. "..."',
# which as often gives an example phrase ('E.g. "The tallest building in the city ..."').
_SENTENCE_CASE_CUE = (
    r"\b(?:cit(?:e[sd]?|ing)|see(?:[ \t]+(?:also|e\.g\.,?))?|cf\.|compar(?:e[ds]?|ing)[ \t]+(?:with|to|against)|"
    r"(?:shown|showed|shows|proposed|introduced|described|studied|reported|discussed|presented|demonstrated|"
    r"argued|observed|found)[ \t]+in|(?:paper|work|article|preprint|publication)s?[ \t]+(?:titled|called|named))"
)
_SENTENCE_CASE_CITED = re.compile(rf"{_SENTENCE_CASE_CUE}[ \t,:(]*$", re.IGNORECASE)
# The same cue before an unquoted title and its parenthetical citation: "The authors cite Spectrally-normalized
# margin bounds for neural networks (Bartlett et al., 2017)". The citation closes the title, the cue opens it.
_CUED_TITLE_THEN_CITATION = re.compile(
    rf"(?i:{_SENTENCE_CASE_CUE})[ \t,:]+(?P<title>[A-Z][^()\n.;\"“”]{{15,200}}?)[ \t]*"
    rf"\({_AUTHORS_VENUE_YEAR}\)"
)
# '... "Related work and background" below': a part of the same text, not a work it cites.
_POINTS_WITHIN = re.compile(r"[ \t,]*(?:above|below|earlier|later|here)\b", re.IGNORECASE)
_CITING_AFTER = re.compile(rf"^[\"”]?[ \t,.]*(?:\(|\[|by\b|et[ \t]+al\b|{_YEAR}\b|{_VENUE_YEAR}|paper\b|https?://)")
# A list entry that is a Title Case title alone, in a list of references ("References:\n1. Adaptive
# Subgradient Methods for Online Learning and Stochastic Optimization.").
_TITLE_ENTRY = re.compile(rf"^[ \t]*(?:{_LIST_MARKER})[ \t]*(?P<title>[A-Z][^\n]{{15,250}}?)\.?[ \t]*$", re.MULTILINE)
_NOT_A_TITLE_WORD = frozenset({"conference", "proceedings", "journal", "transactions", "symposium", "workshop",
                               "university", "institute", "academy", "department", "laboratory", "section",
                               "appendix", "figure", "table"})
# What a loose pattern may have taken after a title: ", ICLR", ", In NeurIPS 2018", ". arXiv preprint".
_TRAILING_VENUE = re.compile(
    rf"(?:[,.][ \t]*(?:{_VENUE_NAME}|{_VENUE_YEAR})[^\n]*|,[ \t]*(?:In[ \t]+)?[A-Z][A-Za-z]*[A-Z][A-Za-z]*\.?)$"
)


# Authors after a dash that a loose pattern took along: "Title - Sinha, Namkoong and Duchi, ICLR 2018".
_TRAILING_AUTHORS = re.compile(rf"[ \t]+[-–—][ \t]+(?:{_AUTHOR_LIST})$")


def _trim_title(title: str) -> str:
    """A title without the venue or authors a loose citation pattern took with it, and without enclosing
    quotes."""
    value = _TRAILING_AUTHORS.sub("", _TRAILING_VENUE.sub("", title.strip()))
    return value.strip().strip("\"“”").rstrip(",. ").strip()


# Any reference-list entry, whatever its style ("[DHS11] ...", "[1] Duchi J, Hazan E, Singer Y. Title. JMLR.
# 2011;12:2121-59.", "[1] Duchi et al 2011. Title."): a marked line with a year, cut at its full stops into
# the author part, the title and the venue (see `_entry_title`).
_ENTRY_LINE = re.compile(
    rf"^[ \t]*(?:\[[\w+.-]{{1,12}}\]|{_LIST_MARKER})[ \t]*(?P<body>[^\n]{{20,400}}?)[ \t]*$", re.MULTILINE
)
# A full stop that ends a part of an entry: not an initial's ("J."), nor "et al.", "vs.", "pp.", "Vol.".
_STOP_NOT_ABBREVIATION = r"(?<!\bal)(?<!\bvs)(?<!\bpp)(?<!\bVol)(?<!\bNo)[.?][ \t]+"
_ENTRY_STOP = re.compile(r"(?<![\s.][A-Z])(?<!^[A-Z])" + _STOP_NOT_ABBREVIATION)
_ENTRY_STOP_AT_INITIALS = re.compile(_STOP_NOT_ABBREVIATION)
# A name ("Duchi", "McDonald", "O'Neil"), initials ("J", "J.", "J.-P.", "JP"), a joining word; never a venue
# acronym ("ICLR") or a handle with digits ("AnonReviewer2").
_NAME_PART = re.compile(
    r"^(?:[A-Z](?:[a-z]|['’][A-Z])[a-zA-Z'’-]*|[A-Z]{1,3}\.?|[A-Z]\.(?:-?[A-Z]\.)+|and|&|et|al\.?"
    r"|van|von|de|der|den|da|di|du|le|la)$"
)
_YEAR_ANYWHERE = re.compile(r"\b(?:19|20)\d\d[a-z]?\b")


# A surname beside its initials ("K. He", "He, K.", "He K") is a name even where it is also a common word.
_INITIALLED_NAME = re.compile(
    rf"{_INITIALS}[ \t]+{_SURNAME}|{_SURNAME},[ \t]+{_INITIALS}|{_SURNAME}[ \t]+[A-Z]{{1,2}}(?=[,.]|[ \t]*$)"
)


def _words_beside_names(authors: str) -> set[str]:
    """The lower-cased words of an author list other than initialled surnames, "et", "al" and "and": what
    tells names ("K. He, X. Zhang and J. Sun") from a sentence ("As Smith et al. Showed")."""
    return {w.lower() for w in re.findall(r"[A-Za-z]{2,}", _INITIALLED_NAME.sub(" ", authors))} - {"et", "al", "and"}


def _author_part(part: str) -> bool:
    """An entry's author part: names, initials, "and", "et al.", a year, nothing else; and more than one
    name ("Duchi J, Hazan E", "Duchi et al 2011", "John Duchi and Elad Hazan") or a name and its year."""
    value = re.sub(rf"[\[(]?{_YEAR}[\])]?[.:,]?", " ", part)
    words = [w.strip(",;:") for w in value.split() if w.strip(",;:")]
    if not words or not all(_NAME_PART.match(w) for w in words):
        return False
    lowered = {w.lower().rstrip(".") for w in words}
    if _words_beside_names(value) & STOP_WORDS or lowered & DOCUMENT_PART_WORDS:
        return False
    several = "," in value or bool(lowered & {"and", "&", "et"})
    return several or bool(_YEAR_ANYWHERE.search(part))


def _venue_part(part: str) -> bool:
    return bool(re.match(rf"^(?:{_VENUE_NAME}|{_VENUE_YEAR}|{_YEAR}\b|[A-Z][A-Za-z]*[A-Z]\b|Vol|pp|In\b)", part)
                or re.fullmatch(r"[\d\s:;()\-–,]+", part))


def _entry_parts(body: str, stop: re.Pattern[str]) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    start = 0
    for match in stop.finditer(body):
        parts.append((start, match.start() + (body[match.start()] == "?")))
        start = match.end()
    parts.append((start, len(body)))
    return [(a + len(body[a:b]) - len(body[a:b].lstrip()), b) for a, b in parts if body[a:b].strip()]


def _entry_title(body: str, listed: bool) -> tuple[int, int] | None:
    """Where the title is in a reference entry: the part right after the authors (and their year), or
    right before them when the entry gives the title first; it reads as a title and is not the venue.
    Unless the entry is `listed` (a "[1]" marker, or a list under words asking for references), a venue
    must follow the title: "1. Smith and Jones 2019. The experiments are weak." is a remark.
    Vancouver's "Singer Y." ends the authors with an initial, so a second reading cuts there too."""
    if not _YEAR_ANYWHERE.search(body):
        return None
    for stop in (_ENTRY_STOP, _ENTRY_STOP_AT_INITIALS):
        parts = _entry_parts(body, stop)
        texts = [body[a:b].strip() for a, b in parts]
        author = next((i for i, text in enumerate(texts) if _author_part(text)), None)
        if author is None:
            continue
        after = author + 1
        while after < len(texts) and re.fullmatch(rf"[\[(]?{_YEAR}[\])]?", texts[after]):
            after += 1
        for j in (after, author - 1):
            if 0 <= j < len(texts) and len(texts[j].split()) >= 3 and not _venue_part(texts[j]) \
                    and not _author_part(texts[j]) and _title_shaped(texts[j], quoted=False):
                if not (listed or any(_venue_part(text) for text in texts[j + 1:])):
                    return None
                return parts[j][0], parts[j][0] + len(texts[j])
        return None
    return None


# A title on its own line with its authors on the next, as an arXiv listing is pasted:
# "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization\nJohn Duchi, Elad Hazan, Yoram Singer".
_TITLE_OVER_AUTHORS = re.compile(
    rf"^[ \t]*(?:(?:{_LIST_MARKER})[ \t]*)?(?P<title>[A-Z][^\n]{{15,250}}?)[ \t]*\n"
    r"[ \t]*(?P<authors>[A-Z][^\n]{3,300}?)[ \t.]*$",
    re.MULTILINE,
)


def _titles_over_authors(text: str) -> Iterator[tuple[str, int, int, str]]:
    for match in _TITLE_OVER_AUTHORS.finditer(text):
        title, authors = match.group("title").rstrip(".").strip(), match.group("authors")
        # two names at least on the author line; the title line one title-shaped phrase, no sentence
        if "," not in authors and not re.search(r"\band\b|&", authors) or not _author_part(authors):
            continue
        # full names, as a listing gives them ("John Duchi"): never a line of words ("Clarity, Novelty, and Rigour")
        names = [n.split() for n in re.split(r",[ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&)[ \t]+", authors) if n.strip()]
        if any(not 2 <= len(name) <= 4 for name in names):
            continue
        if len(title.split()) < 4 or not _title_shaped(title, quoted=False) or title.endswith((":", "?")):
            continue
        if _venue_part(title) or _author_part(title):
            continue
        start = match.start("title")
        yield title, start, start + len(title), ""


_BRACKET_MARKER = re.compile(r"\s*\[")


def _bracket_marked(text: str, position: int = 0) -> bool:
    """Does the entry at `position` open with a bracketed marker ("[1]", "[DHS11]"), as only reference lists
    number? Read in place: the rest of a long post is not copied for each entry."""
    return _BRACKET_MARKER.match(text, position) is not None


def _has_common_word(authors: str) -> bool:
    """An author list with a common English word in it ("As Smith et al. Showed") is a sentence."""
    return bool(_words_beside_names(authors) & STOP_WORDS)


# A bracket-numbered reference entry's line, and what shows that it breaks off inside the entry: a comma, an
# initial ("R."), "and" or a dash at its end, or a full stop inside it (past the title, into the authors).
_BRACKET_ENTRY_LINE = re.compile(r"^[ \t]*\[\d{1,3}\][ \t]*\S")
_BREAKS_OFF = re.compile(r"(?:,|\b[A-Z]\.|\band|&|-)[ \t]*$")
_ENDS_ENTRY = re.compile(rf"(?:{_YEAR}|\d{{1,4}})[)\].]*[ \t]*$")
_STOP_INSIDE = re.compile(r"\.[ \t]+\S")
_NEXT_ENTRY = re.compile(rf"^[ \t]*(?:{_LIST_MARKER})[ \t]")


# A numbered entry's marker after the full stop that ends the entry before it, on the same line:
# "... NIPS 2016. [2] Adaptive subgradient methods ...", as a reference list reads with its line breaks lost.
_INLINE_ENTRY_MARKER = re.compile(r"\[(?P<number>\d{1,3})\][ \t]+(?=[A-Z\"“])")
_ENDS_SENTENCE = re.compile(r"[.?!][\"”)]?[ \t]$")


def _split_inline_entries(text: str) -> str:
    """The text with each numbered entry of a reference list run together on one line put on a line of its
    own: the space before "[2]" becomes a line break when "[1]" opened an entry (a line or, in turn, an entry
    before it) and a full stop ends the text between them. One character for one: offsets are kept."""
    if "[" not in text:
        return text
    characters = list(text)
    previous: int | None = None  # the number of the last marker that opened an entry
    for match in _INLINE_ENTRY_MARKER.finditer(text):
        number, start = int(match.group("number")), match.start()
        if not _line_before(text, start).strip():
            previous = number
        elif previous is not None and number == previous + 1 and _ENDS_SENTENCE.search(text, max(0, start - 3), start):
            characters[start - 1] = "\n"
            previous = number
        else:
            previous = None
    return "".join(characters)


def _unwrap_entries(text: str) -> str:
    """The text with the line breaks inside hard-wrapped reference entries turned to spaces, so that an entry
    reads as one line ("[1] Deep residual learning for image recognition. K.\\n    He, X. Zhang ..."). Only
    a break goes, one character for one: every offset still points into the original text.

    A break is inside an entry when the entry's line does not end in its year, the next line is neither
    blank nor another entry, and the line breaks off (a comma, an initial, "and"), has passed its title (a
    full stop inside it), or the next line goes on in lower case. A title alone on its line keeps its break:
    its authors on the next line are read as such (`_titles_over_authors`)."""
    if "[" not in text:
        return text
    lines = text.split("\n")
    breaks = ["\n"] * (len(lines) - 1)
    in_entry = past_title = False
    for index, (line, following) in enumerate(pairwise(lines)):
        if _BRACKET_ENTRY_LINE.match(line):
            in_entry, past_title = True, bool(_STOP_INSIDE.search(line, line.index("]") + 1))
        elif not line.strip():
            in_entry = False
        if not in_entry:
            continue
        if not following.strip() or _NEXT_ENTRY.match(following) or _ENDS_ENTRY.search(line):
            in_entry = False
        elif _BREAKS_OFF.search(line) or following.lstrip()[:1].islower() or past_title:
            breaks[index] = " "
            past_title = past_title or bool(_STOP_INSIDE.search(following))
        else:
            in_entry = False
    return "".join(line + separator for line, separator in zip(lines, breaks)) + lines[-1]


def _reference_titles(
    text: str, catalog: MethodCatalog | None = None
) -> Iterator[tuple[str, int, int, str]]:
    """(title, start, end, the rest of its line) of each paper cited by title in the usual styles."""
    catalog = catalog or MethodCatalog.load()
    text = _unwrap_entries(_split_inline_entries(text))
    for match in _REFERENCE_ENTRY.finditer(text):
        authors = match.group("authors")
        # Without a list marker, initials, a year or a colon ("Agarwal et al.: Title."), "As Smith et al.
        # Showed ..." is a sentence.
        colon = text.startswith(":", match.end("authors"))
        rest = (match.group("rest") or "").strip()
        # Surnames alone ("Raghunathan, Steinhardt and Liang. Certified defenses ....") make an entry when a
        # venue and year follow its title, or a colon asking for references opens it; the title must read
        # as one then (Title Case, or sentence case not said in the first person).
        surnames_cited = bool(_VENUE_TO_LINE_END.match(rest)) or _after_citing_colon(text, match.start())
        if not (match.group("marker") or match.group("year") or re.search(_INITIALS, authors)
                or match.group("quoted") or colon
                or (surnames_cited and match.group("title") and _owned_title(match.group("title")))):
            continue
        if colon and not (match.group("quoted") or _title_shaped(match.group("title"), quoted=False)):
            continue
        if _has_common_word(authors):
            continue
        group = "quoted" if match.group("quoted") else "title"
        # Names without initials, then a sentence, and nothing after it: "1. Madry et al. 2018. PGD training
        # is much more expensive." is a remark unless the list is one of references.
        referenced = (match.group("quoted") or re.search(_INITIALS, authors) or _bracket_marked(text, match.start())
                      or (rest and (_venue_part(rest) or any(True for _ in find_identifiers(rest))))
                      or _in_reference_list(text, match.start()) or surnames_cited
                      or text[match.start():match.start(group)].rstrip().endswith(":"))  # "Duchi et al. (2011): Title"
        if not referenced:
            continue
        start, end = match.start(group), match.end(group)
        end += text[end : end + 1] == "?"  # a question is its own title's last word
        yield text[start:end].strip(), start, end, match.group("rest") or ""
    for match in _FULL_NAME_ENTRY.finditer(text):
        names = match.group("names")
        # Two authors at least ("A and B", "A, B"), or one behind a list marker or before a quoted title.
        several = bool(re.search(r",|\band\b|&|et[ \t]+al", names))
        # One author before a quoted title: MLA's 'Hinton, Geoffrey. "Title."', never 'Geoffrey Hinton, "I think"'.
        single_mla = bool(match.group("quoted")) and match.group("separator") == "."
        if not (several or match.group("marker") or single_mla):
            continue
        if _has_common_word(names):
            continue
        group = "quoted" if match.group("quoted") else "title"
        start, end = match.start(group), match.end(group)
        if not _title_shaped(text[start:end], quoted=group == "quoted", among_authors=True):
            continue
        line_end = text.find("\n", end)
        yield text[start:end].strip(), start, end, text[end:] if line_end < 0 else text[end:line_end]
    yield from _titles_over_authors(text)
    for match in _ENTRY_LINE.finditer(text):
        listed = _bracket_marked(match.group(0)) or _in_reference_list(text, match.start())
        span = _entry_title(match.group("body"), listed)
        if span:
            start, end = match.start("body") + span[0], match.start("body") + span[1]
            title = _trim_title(text[start:end])
            yield title, start, start + len(title), text[end:match.end()]
    for match in _QUOTED_PHRASE.finditer(text):
        title = _trim_title(match.group("quoted"))
        cited = _CITING_BEFORE.search(text[max(0, match.start() - 60):match.start()]) or _CITING_AFTER.match(
            text[match.end():match.end() + 40])
        title_case = bool(cited) and _title_cased(title) and _title_shaped(title, quoted=True)
        if title_case or (_SENTENCE_CASE_CITED.search(text[max(0, match.start() - 40):match.start()])
                          and not _POINTS_WITHIN.match(text[match.end():match.end() + 20])
                          and _sentence_case_title(match.group("quoted"))):
            start = match.start("quoted")
            yield title, start, start + len(title), ""
    for match in _TITLE_ENTRY.finditer(text):
        title = _POSSESSIVE_OWNER.sub("", _trim_title(match.group("title")))  # as a heading reads
        if _title_cased(title) and _title_shaped(title, quoted=False) and _in_reference_list(text, match.start()):
            start = match.start("title")
            yield title, start, start + len(title), ""
    for pattern, reads_as_title in _CITATION_FRAMES.items():
        for match in pattern.finditer(text):
            group = next((name for name in ("quoted", "listed", "bracketed")
                          if name in pattern.groupindex and match.group(name)), "title")
            trimmed = title = _trim_title(match.group(group))
            start = match.start(group) + match.group(group).find(title)
            if pattern in (_TITLE_THEN_CITATION, _SUBTITLED_TITLE_THEN_CITATION) and group == "title":
                title, cut = strip_opening_words(title)  # "Compare with Deep Residual ... (He et al., 2016)"
                start += cut
            elif pattern is _AUTHORS_COMMA_LOWER_CASE_TITLE:
                title = title[:1].upper() + title[1:]  # as a title is written
            found = _FoundTitle(title, trimmed.rstrip("?"), group, match, text)
            if not (reads_as_title(found) and _title_shaped(title, quoted=group == "quoted",
                                                            among_authors=pattern is _TITLE_THEN_AUTHORS)):
                continue
            # A two-word title needs quotes or a citation frame around it: "Authors, Title, Venue",
            # "Title (Authors, Year)"; in the latter not a method's name ("Batch Normalization (Ioffe ...)").
            framed = pattern is _AUTHORS_COMMA_TITLE or group == "quoted" or (
                pattern in _FRAMES_FOR_SHORT_TITLES and not _only_method_names(title, catalog))
            if _plausible_title(title, short_ok=framed):
                yield title, start, start + len(title), ""


@dataclass(frozen=True)
class _FoundTitle:
    """What a citation frame found: the title as trimmed (`unquoted`: before the opening words of a sentence
    are cut and without a closing "?"), the group it came from, and the match in its text."""

    title: str
    unquoted: str
    group: str
    match: re.Match[str]
    text: str


def _any_title(found: _FoundTitle) -> bool:
    return True


def _title_cased_or_bracketed(found: _FoundTitle) -> bool:
    """Title Case only, but in brackets right after its citation a sentence-case title reads as one too."""
    return _title_cased(found.unquoted) or (found.group == "bracketed" and _sentence_case_title(found.unquoted))


def _an_owned_title(found: _FoundTitle) -> bool:
    return _owned_title(found.title)


def _owned_before_authors(found: _FoundTitle) -> bool:
    return _owned_title(found.unquoted)


def _title_before_by_authors(found: _FoundTitle) -> bool:
    """Before ", by Smith et al.": a title, not the writer's account ("This was discussed before, by ...")."""
    words = found.unquoted.split()
    return ((_owned_title(found.unquoted) and not _narrates(found.unquoted))
            or (len(words) <= 3 and all(w[:1].isupper() for w in words)))


def _title_not_exclamation(found: _FoundTitle) -> bool:
    """"Adversarial Training for Free!": a title that ends as a question or exclamation is Title Case
    throughout; "Really Enjoyed It! (Smith et al., 2019)" is an exclamation."""
    return not (found.group == "title" and found.title.endswith(("!", "?")) and not _title_cased(found.title[:-1]))


def _introduced_title(found: _FoundTitle) -> bool:
    return _introduces_a_title(found.text, found.match.start())


def _named_authors(found: _FoundTitle) -> bool:
    return _names_only(found.match.group("by"))


def _title_credited_to_authors(found: _FoundTitle) -> bool:
    """"PGD training is much more expensive - Madry et al. 2018" credits a finding; a sentence-case title
    there names a thing ("Intriguing properties of neural networks") or has a subtitle."""
    return _named_authors(found) and not (
        _states_a_finding(found.title) and not (_title_cased(found.title) or ":" in found.title))


def _reads_as_credited_title(title: str) -> bool:
    """A title where a citation credits it: Title Case, or a sentence-case title that does not state a finding
    ("PGD training is much more expensive") unless it asks a question or has a subtitle."""
    bare = title.rstrip("?")
    if _title_cased(bare) and _title_shaped(bare, quoted=True):
        return True
    return _sentence_case_title(bare) and (title.endswith("?") or ":" in bare or not _states_a_finding(bare))


# What a work is made of: a capitalised "Smith et al.'s Transformer Baseline" names a part of it, not a title.
_PARTS_OF_A_WORK = frozenset({
    "baseline", "model", "method", "approach", "setup", "result", "experiment", "framework", "algorithm",
    "architecture", "dataset", "loss", "analysis", "implementation", "code", "objective", "formulation", "proof",
    "bound", "theorem", "lemma", "definition", "network", "benchmark", "evaluation", "variant", "version",
})  # fmt: skip


def _short_capitalised(title: str) -> bool:
    """Two or three words, all capitalised ("Adversarial Spheres"): a short title, where a frame is tight; not a
    part of a work ("Transformer Baseline")."""
    words = title.split()
    return (2 <= len(words) <= 3 and all(word[:1].isupper() for word in words)
            and words[-1].lower().removesuffix("s") not in _PARTS_OF_A_WORK)


# Words before a colon that introduce citations ("Missing related work:", "See also:"), not a title's short name.
_CITING_WORDS_END = re.compile(
    r"\b(?:works?|papers?|references?|refs|literature|reading|citations?|related|see|also|cf)\.?$", re.IGNORECASE
)


def _subtitled_title(found: _FoundTitle) -> bool:
    """A short name and a subtitle ("Fast is better than free: Revisiting adversarial training"), not a field's
    label ("Summary: ...", "Missing related work: ...") nor words in the writer's own voice."""
    name, subtitle = found.title.split(":", 1)
    # a subtitle names what the work does ("Revisiting adversarial training"); a remark after a label states
    # something ("Main concern: The Baselines Are Old")
    remark = _states_a_finding(subtitle) and not subtitle.rstrip().endswith("?")
    return not (_LABEL.match(found.title) or _CITING_WORDS_END.search(name) or _in_own_voice(found.title) or remark)


def _owned_title_before_comma(found: _FoundTitle) -> bool:
    return _reads_as_credited_title(found.unquoted) or _short_capitalised(found.unquoted)


def _title_beside_paper(found: _FoundTitle) -> bool:
    return _owned_title(found.unquoted) or _short_capitalised(found.unquoted)


def _lower_case_title(found: _FoundTitle) -> bool:
    """A title typed in lower case reads as one once capitalised (four words or more, not in the writer's voice);
    `found.title` is capitalised where the frame is read."""
    return _sentence_case_title(found.title)


# Surnames alone, "Raghunathan, Steinhardt and Liang": the authors before an entry's title.
_AUTHOR_LIST_ONLY = re.compile(rf"{_SURNAME}(?:{_AUTHOR_SEPARATOR}{_SURNAME})+(?:,?[ \t]+{_ET_AL_WORDS})?")


def _title_after_citing_colon(found: _FoundTitle) -> bool:
    """After "an important paper:", "See also:", "Relevant:": a Title Case title, or after words naming one paper a
    sentence-case title that does not state a finding ("The key point of the paper: The method is slow.")."""
    start = found.match.start("title")
    if not _after_citing_colon(found.text, start) or _AUTHOR_LIST_ONLY.fullmatch(found.unquoted):
        return False
    if _title_cased(found.unquoted):
        return True
    before_colon = _line_before(found.text, start).rstrip()[:-1]
    return bool(_ONE_PAPER_BEFORE_COLON.search(before_colon)) and _reads_as_credited_title(found.title)


def _title_over_byline(found: _FoundTitle) -> bool:
    """A line over a byline is a title when it reads as one (Title Case, or a sentence-case title that is not
    a remark) and is not the post's own heading: the text's first line is what the post is called."""
    title = found.unquoted
    if not found.text[:found.match.start()].strip() or title.endswith((".", ":", ",")):
        return False
    return _named_authors(found) and (_title_cased(title) or _sentence_case_title(title))


# Each citation frame, in the order read, with what else its title must satisfy.
_CITATION_FRAMES: dict[re.Pattern[str], Callable[[_FoundTitle], bool]] = {
    _AUTHORS_COMMA_TITLE: _any_title,
    _TITLE_COMMA_AUTHORS: _any_title,
    _TITLE_THEN_CITATION: _title_not_exclamation,
    _AUTHORS_THEN_QUOTED: _any_title,
    _AUTHORS_OWN_QUOTED: _an_owned_title,
    _CUED_TITLE_THEN_CITATION: _an_owned_title,
    _QUOTED_THEN_SOURCE: _any_title,
    _TITLE_THEN_VENUE: _introduced_title,
    _TITLE_THEN_AUTHORS: _named_authors,
    _CITATION_THEN_TITLE: _title_cased_or_bracketed,
    _BRACKETED_CITATION_THEN_TITLE: _any_title,
    _TITLE_COMMA_BY_AUTHORS: _title_before_by_authors,
    _IN_TITLE_AUTHORS: _owned_before_authors,
    _TITLE_DASH_AUTHORS_LINE: _title_credited_to_authors,
    _TITLE_OVER_BYLINE: _title_over_byline,
    _SUBTITLED_TITLE_THEN_CITATION: _subtitled_title,
    _OWNED_TITLE_THEN_COMMA: _owned_title_before_comma,
    _PAPER_THEN_TITLE: _title_beside_paper,
    _AUTHORS_COMMA_LOWER_CASE_TITLE: _lower_case_title,
    _TITLE_AFTER_CITING_COLON: _title_after_citing_colon,
}
# Frames around a title tight enough for a two-word one, unless it is only method names.
_FRAMES_FOR_SHORT_TITLES = frozenset({_TITLE_THEN_CITATION, _TITLE_COMMA_AUTHORS, _BRACKETED_CITATION_THEN_TITLE,
                                      _TITLE_COMMA_BY_AUTHORS, _TITLE_DASH_AUTHORS_LINE, _TITLE_OVER_BYLINE,
                                      _OWNED_TITLE_THEN_COMMA, _PAPER_THEN_TITLE})


_CITATION_LIKE = re.compile(
    rf"\bet[ \t]+al\b|{_YEAR}\)?$|^(?:{_AUTHOR_LIST}|{_FULL_NAME_LIST})[.,]"
    rf"|^{_SURNAME}[ \t]+(?:&|and)[ \t]+{_SURNAME}(?:,|[ \t]+\(?{_YEAR}|$)"
)


def _names_only(authors: str) -> bool:
    """An author list that is only names: no common word ("The", "However") and no document part ("Table Two")."""
    words = _words_beside_names(authors)
    return not (words & STOP_WORDS or words & DOCUMENT_PART_WORDS or words & _NOT_A_TITLE_WORD)


def _is_a_citation(title: str) -> bool:
    """An author list or an author-year citation that a loose pattern took for a title."""
    return bool(_CITATION_LIKE.search(title))


_PART_REFERENCE = re.compile(r"\b(?:%s)\.?[ \t]+\d" % "|".join(sorted(DOCUMENT_PART_WORDS)), re.IGNORECASE)


def _title_shaped(title: str, quoted: bool, among_authors: bool = False) -> bool:
    """What a loose citation pattern found reads as a title: not a sentence a reviewer wrote ("I think ...",
    "Clarity: the paper is ...", "typo in equation 3") and, unquoted, not an author list or several sentences.

    `among_authors`: the phrase stands where an entry's authors confirm a title ("[4] Dropout: a simple way to
    prevent neural networks from overfitting. N. Srivastava et al."); there a short name may take a subtitle
    in lower case, as reference lists often print it."""
    words = title.split()
    # "I'd", "We're": the opener before its contraction
    first = re.split(r"['’]", words[0].lower().strip("\"“,"))[0] if words else ""
    if not words or first in _SENTENCE_OPENERS or _PART_REFERENCE.search(title):
        return False
    if quoted:
        return True
    # unquoted: one sentence with no quotation in it, not a remark ("Clarity: the paper is ..."; a title
    # reads "Adam: A method ..."), not the authors a pattern took along, and no parenthesis left open
    # ("Intriguing properties of neural networks (Szegedy" before ", Zaremba and Sutskever; ICLR 2014)")
    remark = re.search(r":[ \t]+[a-z]", title) and not (among_authors and _SHORT_NAME_THEN_COLON.match(title))
    return not (remark or re.search(r"[\"“”]|[.?][ \t]+[A-Z]", title)
                or _is_a_citation(title) or title.count("(") != title.count(")"))


# A title's short name before its subtitle: "Dropout:", "Deep Image Prior:".
_SHORT_NAME_THEN_COLON = re.compile(r"(?:[^\s:]+[ \t]+){0,2}[^\s:]+:[ \t]")


# Words of someone speaking in their own voice, which a paper title hardly has.
_SPEAKER_WORDS = frozenset({"i", "we", "our", "us", "my", "you", "your"})


def _lowered_words(phrase: str) -> set[str]:
    return {word.lower().strip(",:") for word in phrase.split()}


def _in_own_voice(title: str) -> bool:
    """Has the phrase a word of someone speaking for themselves ("we", "my", "your")?"""
    return bool(_lowered_words(title) & _SPEAKER_WORDS)


# Words that tell what happened ("was discussed before", "had already"), which titles, in the present, do not.
_NARRATIVE_WORDS = frozenset({"was", "were", "had", "did", "been", "before", "already", "earlier"})


def _narrates(title: str) -> bool:
    return bool(_lowered_words(title) & _NARRATIVE_WORDS)


# Auxiliaries of a finite clause ("is much more expensive", "can be removed"): a finding states them, a
# sentence-case title without a subtitle seldom does.
_FINITE_AUXILIARIES = frozenset({"is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "can",
                                 "cannot", "will", "would", "should", "must", "may", "might"})


def _states_a_finding(title: str) -> bool:
    return bool(_lowered_words(title) & _FINITE_AUXILIARIES)


def _owned_title(title: str) -> bool:
    """What authors own or a cue cites reads as a title: Title Case, or sentence case as `_sentence_case_title`
    reads it (four words or more, not said in the first person)."""
    return (_title_cased(title) and _title_shaped(title, quoted=True)) or _sentence_case_title(title)


def _sentence_case_title(title: str) -> bool:
    """Quoted words that read as a title in sentence case: four to twenty words, the first capitalised,
    no full stop or question inside or at the end, and not a sentence a writer says in their own voice
    ("We use dropout", "The results are weak": the first person, or a remark about the paper's parts)."""
    words = title.split()
    if not 4 <= len(words) <= 20 or not title[:1].isupper() or re.search(r"[.!;]|\?.", title):
        return False
    if _in_own_voice(title) or _lowered_words(title) & _NOT_A_TITLE_WORD:
        return False
    return _title_shaped(title, quoted=True)


_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "for", "in", "on", "to", "with", "and", "or", "via", "by",
                                "from", "at", "as", "is", "are", "do", "does", "vs", "versus", "without", "into",
                                "over", "under", "through", "beyond", "towards", "toward", "using", "not", "but",
                                "against", "about", "between", "among", "within", "across", "upon", "after",
                                "before", "around", "than"})


def _title_cased(title: str) -> bool:
    """Title Case: four words or more, every word but the small ones capitalised (hyphen parts included,
    "Kronecker-factored" is fine), no sentence punctuation, and not an institution or venue."""
    words = re.findall(r"[^\s]+", title.strip())
    if len(words) < 4 or re.search(r"[.!?;]\s|[.!?;]$", title.strip()):
        return False
    capitalised = 0
    for word in words:
        bare = word.strip("\"“”'‘’(),:")
        if not bare:
            continue
        if bare.lower() in _NOT_A_TITLE_WORD:
            return False
        if bare[0].isupper() or bare[0].isdigit():
            capitalised += 1
        elif bare.lower() not in _TITLE_SMALL_WORDS:
            return False
    return capitalised >= 3


# A title in running text with no cue around it: a Title Case span of six words or more, four or more of
# them capitalised ("... as Generative Ensembles for Robust Anomaly Detection showed"). Shorter spans are
# mostly method names and section names ("Group Relative Policy Optimization", "Monte Carlo Tree Search").
_CAPITALISED_WORD = r"[A-Z0-9][\w'’-]*+"
_SMALL_WORD = r"(?:%s)" % "|".join(sorted(_TITLE_SMALL_WORDS - {"vs"}) + [r"vs\.?"])
_TITLE_CASE_SPAN = re.compile(
    rf"(?<![\w\"“'‘-])(?P<title>{_CAPITALISED_WORD}:?(?:[ \t]+(?:{_SMALL_WORD}[ \t]+)*{_CAPITALISED_WORD}:?){{3,25}}\??)"
)
_RUNNING_TITLE_MIN_WORDS = 6
# Words that open a sentence before a title ("See Deep Residual ...", "In Deep Residual ..."), not part of it.
_BEFORE_A_TITLE = _SENTENCE_OPENERS | {"in", "see", "as", "like", "per", "cf", "read", "check", "from", "compare",
                                        "compared", "versus", "unlike"}
# An opener and the small words after it: "Compare with Deep Residual ...", "Compared to the ...".
_OPENING_WORDS = re.compile(r"(?:(?P<opener>[A-Za-z]+)\.?[ \t]+)(?:(?:with|to|against|also|in)[ \t]+)*")
# A title's "by Gupta" or "from Carmon" before "et al.", or "by Cihang Xie" before "(2019)": its authors, not
# its words.
_TRAILING_BY_AUTHOR = re.compile(r"[ \t]+(?:by|from)[ \t]+(?P<names>(?:[A-Z][\w'’-]+[ \t]+){0,2}[A-Z][\w'’-]+)$")
_ET_AL_NEXT = re.compile(r"[ \t]+et[ \t]+al\b")
_YEAR_NEXT = re.compile(rf"[ \t]*[(,][ \t]*{_YEAR}\b")
# What cites the title just before it: its authors ("by Uesato et al.", "(Uesato et al., 2019)"); a year alone
# may follow an author list ("John Duchi, Elad Hazan and Yoram Singer (2011)").
_CITATION_NEXT = re.compile(
    rf"[ \t]*(?:by[ \t]+{_ET_AL}|\([ \t]*(?:{_AUTHORS_VENUE_YEAR}|{_SURNAME}[ \t]+et[ \t]+al\.?)[ \t]*\))"
)
# "the paper titled ...", "a work called ...": what follows is the title.
_NAMING_BEFORE = re.compile(
    r"\b(?:paper|preprint|article|work|publication|study)[ \t]+(?:(?:is|was)[ \t]+)?(?:titled|entitled|called|named)"
    r"[ \t]+$",
    re.IGNORECASE,
)
# How far back "the paper titled " and its like reach ("publication was entitled " is 25 characters).
_NAMING_WINDOW = 40
_CITED_TITLE_MIN_WORDS = 3
_NAMED_TITLE_MIN_WORDS = 4
_NAME_AND_SUBTITLE = re.compile(r"^[^\s:]+(?:[ \t][^\s:]+)?:[ \t]+\S+(?:[ \t]+\S+){2}")


def strip_opening_words(title: str) -> tuple[str, int]:
    """`title` without the sentence's opening words before it ("See", "Compare with"), and how many
    characters went."""
    match = _OPENING_WORDS.match(title)
    if match and match.group("opener").lower() in _BEFORE_A_TITLE and match.end() < len(title):
        return title[match.end() :], match.end()
    return title, 0


_LINE_MARKUP = re.compile(r"^[\s#>*_-]*(?:\d+[.)][ \t]*)?")
# Characters between a title and the link that names it: "](", " (", ": ".
_TITLE_TO_LINK_GAP = 3
# A label before a colon opens a field, not a title ("Summary: ...", "Weaknesses: ..."); "Adam: A Method ..."
# is a title.
_LABEL = re.compile(
    r"(?:summary|note|notes|update|edit|tl;?dr|re|subject|title|topic|abstract|question|answer|conclusion|verdict|"
    r"pros|cons|strengths?|weakness(?:es)?|clarity|originality|significance|quality|rating|review|comment|"
    r"response|reply|source|link|paper|authors?|description|keywords?|tags?|concerns?|issues?|typos?|nits?|"
    r"suggestions?|limitations?|remarks?|details?|in[ \t]+short|overall|"
    r"(?:main|major|minor)(?:[ \t]+(?:concerns?|issues?|points?|comments?|weakness(?:es)?))?)[ \t]*:",
    re.IGNORECASE,
)


def _only_method_names(span: str, catalog: MethodCatalog) -> bool:
    """Is every capitalised word of the span inside a method name ("Group Relative Policy Optimization with
    Monte Carlo Tree Search")? A title has words of its own ("Scaling Laws for Fine-Grained Mixture of
    Experts")."""
    rest = span
    for hit in catalog.find(span):
        rest = rest[: hit.start_char] + " " * (hit.end_char - hit.start_char) + rest[hit.end_char :]
    return re.search(r"\b[A-Z0-9]", rest) is None


def _has_acronym_part(word: str) -> bool:
    return any(sum(c.isupper() for c in part) >= 2 for part in word.split("-"))


def _running_text_titles(text: str, catalog: MethodCatalog) -> Iterator[tuple[str, int, int]]:
    """Title Case titles inside a sentence: (title, start, end). A line that is all title is a heading,
    a span inside quotes is left to the quoted-title readers (which want a citing cue), a span of
    mostly acronyms ("MNIST vs NotMNIST and SVHN vs CIFAR10") is not a title, nor is a method name."""
    line_start = 0
    for line in text.splitlines(keepends=True):
        whole_line = _LINE_MARKUP.sub("", line).strip().rstrip(".:*_")
        for match in _TITLE_CASE_SPAN.finditer(line):
            span = match.group("title").rstrip(":'’-")
            if whole_line == span:
                continue
            title, cut = strip_opening_words(span)
            label = _CITING_LABEL.match(title)  # "Relevant: Adaptive Subgradient Methods ..."
            if label:
                title, cut = title[label.end() :], cut + label.end()
            start = match.start("title") + cut
            # A name and its subtitle ("Shampoo: Preconditioned Stochastic Tensor Optimization") reads as a
            # title at four words.
            min_words = _NAMED_TITLE_MIN_WORDS if _NAME_AND_SUBTITLE.match(title) else _RUNNING_TITLE_MIN_WORDS
            after = match.end("title")
            # "... Curiosity-Driven Learning by Burda et al.", "... by Cihang Xie (2019)": the authors go, and
            # cited, a shorter title will do; not "Learning to Learn by Gradient Descent by Gradient Descent
            # (2016)", whose "by" names a method
            by_author = _TRAILING_BY_AUTHOR.search(title) if (
                _ET_AL_NEXT.match(line, after) or _YEAR_NEXT.match(line, after)) else None
            if by_author is not None and _only_method_names(by_author.group("names"), catalog):
                by_author = None
            if by_author is not None:
                title = title[: by_author.start()]
            # also cited: "... ? by Uesato et al.", "... (Uesato et al., 2019)", "the paper titled ..."
            cited_by_author = by_author is not None or bool(
                _CITATION_NEXT.match(line, after)
                or _NAMING_BEFORE.search(line, max(0, match.start("title") - _NAMING_WINDOW), match.start("title")))
            if cited_by_author:
                min_words = _CITED_TITLE_MIN_WORDS
            owner = _POSSESSIVE_OWNER.match(title)
            if owner:
                title, start = title[owner.end() :], start + owner.end()
            words = title.split()
            # a question is a title when it is cited ("Are Labels Required for ...? by Uesato et al.")
            bare = title[:-1] if cited_by_author and title.endswith("?") else title
            if len(words) < min_words or not _title_cased(bare):
                continue
            before = line[: match.start("title")].split()
            if before and before[-1][:1] in "\"“'‘":
                continue
            if words[0][:1].isdigit() or words.count("and") > 1 or _LABEL.match(title):
                continue  # "2007 by David ...", a list of names, "Summary: The Real ..."
            capitalised = [w for w in words if w[:1].isupper()]
            # half or more of the capitalised words are acronyms ("SVHN", "NotMNIST"): a list of names;
            # "Large-Scale" is two capitalised parts, not an acronym
            if 2 * sum(1 for w in capitalised if _has_acronym_part(w)) >= len(capitalised):
                continue
            # One method's name is the method ("Group Relative Policy Optimization by Shao et al."); cited by its
            # authors, a phrase relating two or more names is a title ("Certified Defenses against Adversarial
            # Examples by Raghunathan et al.").
            if _only_method_names(title, catalog) and not (cited_by_author and len(catalog.find(title)) >= 2):
                continue
            yield title, line_start + start, line_start + start + len(title)
        line_start += len(line)


_REFERENCE_WORDS = re.compile(rf"\b(?:{_REFERENCE_WORD}|refs)\b", re.IGNORECASE)
# A label that introduces a citation ("Relevant: Title", "See also: Title"): not part of the title.
_CITING_LABEL = re.compile(
    rf"^(?:(?:{_CITING_WORD})(?:[ \t]+(?:also|work|works|papers?))?)"
    r"[ \t]*:[ \t]+",
    re.IGNORECASE,
)


def _in_reference_list(text: str, start: int) -> bool:
    """A list entry a few lines below words that ask for or give references ("Missing references:")."""
    return bool(_REFERENCE_WORDS.search(text[max(0, start - 300):start]))


def _introduces_a_title(text: str, start: int) -> bool:
    """A bare title before its venue is a title in a reference list, or after a colon that asks for
    references ("Missing related work: ..."); never a sentence ("Overall: we ... (ICLR 2019)")."""
    # without a colon, a list entry: its marker opened the line
    return not _line_before(text, start).rstrip().endswith(":") or _after_citing_colon(text, start)


def _after_citing_colon(text: str, start: int) -> bool:
    """Does what starts at `start` follow a colon after words that ask for or give references on its line
    ("The missing reference is: ...", "Related work: ...")?"""
    before = _line_before(text, start).rstrip()
    return before.endswith(":") and bool(_REFERENCE_CUE.search(before[:-1]))


def _line_before(text: str, start: int) -> str:
    """The text of `start`'s line before it."""
    return text[text.rfind("\n", 0, start) + 1 : start]


def _plausible_title(title: str, short_ok: bool) -> bool:
    """Three words or more, or two capitalised ones ("World Models"); not a sentence opener like "In this"."""
    words = title.split()
    if len(words) >= 3:
        return title[0].isupper() and words[0].lower() not in {"in", "see", "as", "and", "but", "also", "this"}
    return short_ok and len(words) == 2 and all(w[0].isupper() for w in words)


# A citation in running text, where a line or a colon introduces it ("should cite: Vít Škvára
# et al. Are generative deep models for novelty detection truly better?"): authors, "et al.",
# an optional year (perhaps with a dash after it), then the title up to its full stop or question mark.
_AUTHORS_TITLE_CITATION = re.compile(
    r"(?:^|(?<=:)|(?<=\n))[ \t]*(?P<authors>(?:[^\W\d_][\w'’-]*[ \t]){0,2}[^\W\d_][\w'’-]*)[ \t]+et[ \t]+al\.,?"
    r"[ \t]+(?:\(?(?:19|20)\d\d\)?[.,]?[ \t]+(?:(?P<dash>[-–—])[ \t]+)?)?"
    r"(?P<title>[^\W\d_][^\n.?!\[\]]{14,200}?[?.])(?=\s|$)",
    re.MULTILINE,
)
_THE_X_PAPER = re.compile(r"\b[Tt]he\s+(?:original\s+)?([A-Za-z][\w.+-]*(?:\s[A-Z][\w.+-]*)?)\s+paper\b")
_ABSTRACT_QUOTE = re.compile(
    r"(?:from|in|of|says|reads|quoting)\s+the\s+abstract\s*[:,]?\s*[\"“]([^\"”]{20,1200})[\"”]", re.IGNORECASE
)


def _clean_heading(heading: str) -> str:
    value = _NUMBERING.sub("", heading.strip())
    return value.strip().rstrip(":").strip()


def title_from_heading(heading: str, linked: bool) -> str:
    """The paper title a heading gives. Without a link, a blogger's heading is
    "Owner's Title" or "Name - gloss": keep the title, or the name before the gloss."""
    value = _clean_heading(heading)
    if linked:
        return value
    value = _POSSESSIVE_OWNER.sub("", value)
    match = _NAME_GLOSS.match(value)
    if match:
        words = match.group(1).split()
        if len(words) == 1 or any(is_name_token(w) for w in words):
            return match.group(1)
    return value


def _is_heading(line: str, next_line: str | None) -> bool:
    stripped = line.strip()
    if not stripped or not next_line or not next_line.strip():
        return False
    words = stripped.split()
    if len(words) > 14 or len(stripped) > 120 or stripped[-1] in ".,;?!:" or stripped.startswith(("-", "*", "|")):
        return False
    if not stripped[0].isupper() and not re.match(r"\d{1,2}[.)]\s", stripped):
        return False
    if re.search(r"https?://", stripped):
        return False
    return len(next_line.split()) > len(words) + 4  # a heading heads a longer paragraph


def _section_is_paper(body: str) -> bool:
    for match in _SELF_REFERENCE.finditer(body[:1500]):
        return match.group(1) in _PAPERISH
    return False


# ---------------------------------------------------------------------------- extraction

def _section_link(post: Post, document: Document) -> tuple[str | None, int, int]:
    """The link a titled section is about: its link line (the first line of its text,
    or the first link when the parser moved it out of the text), or the post's URL."""
    text = post.text or ""
    first = text.lstrip()
    match = URL_PATTERN.match(first)
    if match:
        offset = len(text) - len(first)
        url = match.group(0).rstrip(".,;:")
        return url, offset, offset + len(url)
    if post.links:
        url = post.links[0]
        idx = text.find(url)
        if idx < 0 or idx < 300:
            return url, idx, (idx + len(url)) if idx >= 0 else -1
    if post.url and post.url not in (document.url, document.primary_link) and document.kind == SourceKind.NEWSLETTER:
        return post.url, -1, -1
    return None, -1, -1


def _story_link(document: Document) -> str | None:
    for candidate in (document.primary_link, document.metadata.get("story_url"), document.site):
        if candidate:
            return candidate
    return None


class _Collector:
    def __init__(self) -> None:
        self.items: dict[tuple[str | None, str], PaperMention] = {}

    def add(self, mention: PaperMention) -> None:
        slot = (mention.post_local_id, mention.key)
        old = self.items.get(slot)
        if old is None:
            self.items[slot] = mention
            return
        merged = replace(
            old,
            title=old.title or mention.title,
            url=old.url or mention.url,
            doi=old.doi or mention.doi,
            role="primary" if "primary" in (old.role, mention.role) else old.role,
        )
        self.items[slot] = merged


def _mention(post_id: str | None, ref: PaperRef, title: str | None, start: int, end: int, role: str) -> PaperMention:
    key = paper_key(ref.arxiv_id, ref.doi, ref.url, title)
    return PaperMention(post_id, key, ref.arxiv_id, ref.doi, ref.url, title, start, end, role)


def _title_mention(post_id: str | None, title: str, start: int, end: int, role: str) -> PaperMention:
    return PaperMention(post_id, paper_key(title=title), None, None, None, title, start, end, role)


def _document_paper(document: Document) -> PaperMention | None:
    story = _story_link(document)
    if document.kind != SourceKind.HN_THREAD or not story:
        return None
    ref = classify_link(story)
    title = (document.title or "").strip() or None
    if title:
        title = re.sub(r"\s*\[(?:pdf|video)\]\s*$", "", re.sub(r"^\[HN Gopher\]\s*", "", title), flags=re.IGNORECASE)
    if ref is None:
        # "(arxiv.org)" only: the story is a paper but its id is not in the dump
        host = _host(story)
        bare = host.removeprefix("www.")
        if not (bare == "arxiv.org" or host in _PAPER_HOSTS or bare in _PAPER_HOSTS) or not title:
            return None
        return _title_mention(None, title, -1, -1, "primary")
    return _mention(None, ref, title, -1, -1, "primary")


def _heading_papers(post: Post) -> Iterator[PaperMention]:
    """Blog list sections whose heading is a paper: "2. Anthropic's Mathematical Framework ..."."""
    lines = (post.text or "").split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for n, i in enumerate(nonblank[:-1]):
        next_i = nonblank[n + 1]
        if not _is_heading(lines[i], lines[next_i]):
            continue
        body_lines = []
        for j in nonblank[n + 1:]:
            if j != next_i and _is_heading(lines[j], lines[j + 1] if j + 1 < len(lines) and lines[j + 1].strip()
                                           else next((lines[k] for k in nonblank if k > j), None)):
                break
            body_lines.append(lines[j])
        body = "\n".join(body_lines)
        if not _section_is_paper(body):
            continue
        links = [m.group(0) for m in URL_PATTERN.finditer(body[:300])]
        title = title_from_heading(lines[i], linked=False)
        if len(title) < 3 or _DOCUMENT_PART.match(title):
            continue
        start = offsets[i] + lines[i].find(title) if title in lines[i] else offsets[i]
        ref = classify_link(links[0]) if links else None
        if ref:
            yield _mention(post.local_id, ref, title, start, start + len(title), "primary")
        else:
            yield _title_mention(post.local_id, title, start, start + len(title), "primary")


# Other ways to set a title apart, read as double quotes: 'Title', ‘Title’, *Title*, _Title_, **Title**.
# The span opens on a capital and closes before a non-word character: "it's", "authors' claim" are no quotes.
_SET_APART_TITLE = re.compile(
    r"(?<![\w'‘’*_])(?P<open>\*\*|['‘*_])(?=[A-Z])"
    r"(?P<title>[^'‘’*_\"“”\n]{8,250}?)(?P<close>\*\*|['’*_])(?![\w*_])"
)
_SET_APART_PAIRS = frozenset(
    {("**", "**"), ("*", "*"), ("_", "_"), ("'", "'"), ("‘", "’"), ("'", "’"), ("‘", "'")}
)


def set_apart_as_quoted(text: str) -> str:
    """`text` with titles in single quotes or Markdown emphasis put in double quotes, offsets kept."""

    def requote(match: re.Match[str]) -> str:
        if (match.group("open"), match.group("close")) not in _SET_APART_PAIRS:
            return match.group(0)
        opening = " " * (len(match.group("open")) - 1) + '"'
        closing = '"' + " " * (len(match.group("close")) - 1)
        return opening + match.group("title") + closing

    return _SET_APART_TITLE.sub(requote, text)


# Italics, as typesetting marks the title of a work: "*Adversarial Examples Are Not Bugs, They Are Features*",
# "_Deep Residual Learning for Image Recognition_". Bold marks labels and headings ("**Summary of the Paper**").
_ITALIC_SPAN = re.compile(r"(?<![\w*_])(?P<mark>[*_])(?=[A-Z])(?P<title>[^*_\n]{10,250}?)(?P=mark)(?![\w*_])")


def _italic_titles(text: str, catalog: MethodCatalog) -> Iterator[tuple[str, int, int]]:
    """Title Case titles set in italics inside a sentence: (title, start, end). A line that is all italics is
    a heading or a label; a method's name in italics is the method; a phrase said in the first person or a
    remark ("*This Is Not How Science Works*") is no title."""
    for match in _ITALIC_SPAN.finditer(text):
        title = match.group("title").strip()
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if _LINE_MARKUP.sub("", line).strip().strip("*_").rstrip(".:*_").strip() == title:
            continue
        if not (_title_cased(title) and _title_shaped(title, quoted=True)) or _LABEL.match(title):
            continue
        if _in_own_voice(title) or _only_method_names(title, catalog):
            continue
        yield title, match.start("title"), match.start("title") + len(title)


_THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+$")


def _named_papers(post: Post, catalog: MethodCatalog) -> Iterator[PaperMention]:
    for title, start, end in _italic_titles(post.text or "", catalog):
        yield _title_mention(post.local_id, title, start, end, "mentioned")
    text = set_apart_as_quoted(post.text or "")
    for match in _QUOTED_TITLE.finditer(text):
        title = (match.group(1) or match.group(2)).strip().rstrip(",.")
        words = title.split()
        group = 1 if match.group(1) else 2
        # After "the paper", a sentence-case title is a title; before "paper", a title-case one, or a sentence-case
        # title after "the" ('the "Intriguing properties of neural networks" paper').
        cased = (sum(w[0].isupper() for w in words) >= 2 or (group == 1 and len(words) >= 3)
                 or (group == 2 and _THE_BEFORE.search(text, 0, match.start()) is not None
                     and _sentence_case_title(title)))
        if len(words) >= 2 and title[0].isupper() and cased:
            yield _title_mention(post.local_id, title, match.start(group), match.end(group), "mentioned")
    for match in _BRACKET_CITATION.finditer(text):
        title = match.group("title").strip()
        if match.group("authors") or _title_cased(title):
            yield _title_mention(post.local_id, title, match.start("title"), match.end("title"), "mentioned")
    for match in _AUTHORS_TITLE_CITATION.finditer(text):
        title = _trim_title(match.group("title"))
        authors = match.group("authors").split()
        # "As Smith et al. Show ..." opens a sentence: every author word is a capitalised name
        named = all(word[0].isupper() and word.lower() not in STOP_WORDS for word in authors)
        # After a dash ("Uesato et al. 2019 - Are Labels Required ...?"), the line may as well credit a finding
        # to its authors ("Madry et al. 2018 - PGD training is much more expensive."): a title must read as one.
        credited = not match.group("dash") or _reads_as_credited_title(title)
        if named and credited and title[0].isupper() and len(title.split()) >= 3:
            yield _title_mention(post.local_id, title, match.start("title"), match.start("title") + len(title),
                                 "mentioned")
    for title, start, end, rest in _reference_titles(text, catalog):
        title = " ".join(title.split())  # a wrapped entry's title has its line break as spaces
        links = [ref for ref, *_ in find_identifiers(rest)]
        if links:
            yield _mention(post.local_id, links[0], title, start, end, "mentioned")
        else:
            yield _title_mention(post.local_id, title, start, end, "mentioned")
    for match in _THE_X_PAPER.finditer(text):
        name = match.group(1)
        canonical = catalog.canonical(name)
        entry = catalog.entry(canonical) if canonical else None
        # "the Mamba paper", "the xLSTM paper": a named method or a coined name, not "the original paper"
        if not (any(is_name_token(w) for w in name.split()) or (entry is not None and name[:1].isupper())):
            continue
        if name.lower() in {"this", "that", "same", "above", "original", "first", "last", "next", "whole"}:
            continue
        yield _title_mention(post.local_id, canonical or name, match.start(1), match.end(1), "mentioned")


def extract_papers(document: Document, nlp: Language) -> list[PaperMention]:
    """Every paper the document identifies, one mention per (post, key)."""
    catalog = MethodCatalog.load(nlp=nlp)
    out = _Collector()
    doc_paper = _document_paper(document)
    if doc_paper:
        out.add(doc_paper)
    titled_sections = document.kind == SourceKind.NEWSLETTER or sum(1 for p in document.posts if p.title) > 1
    for post in document.posts:
        if post.deleted:
            continue
        text = post.text or ""
        own_key: str | None = None
        if post.title and titled_sections:
            url, start, end = _section_link(post, document)
            if url:
                ref = classify_link(url)
                if ref is None and not _GENERAL_HOSTS.search(_host(url)):
                    ref = _about_link_ref(url)  # a section about a blog post / article: that link is the paper
                elif ref is None and _section_is_paper(text):
                    ref = _about_link_ref(url)
                if ref:
                    mention = _mention(post.local_id, ref, title_from_heading(post.title, True), start, end, "primary")
                    own_key = mention.key
                    out.add(mention)
        identifiers = list(find_identifiers(text))
        for ref, start, end in identifiers:
            role = "mentioned"
            mention = _mention(post.local_id, ref, None, start, end, role)
            if mention.key == own_key:
                continue
            out.add(mention)
        for link in post.links:
            if link in text:
                continue
            ref = classify_link(link)
            if ref and ref.key != own_key:
                out.add(_mention(post.local_id, ref, None, -1, -1, "mentioned"))
        if document.kind == SourceKind.BLOG:
            for mention in _heading_papers(post):
                out.add(mention)
        for mention in _without_partial_titles(list(_named_papers(post, catalog))):
            out.add(mention)
        _add_running_text_titles(post, identifiers, catalog, out)
    return list(out.items.values())


def _without_partial_titles(mentions: list[PaperMention]) -> list[PaperMention]:
    """Drop a title read from part of a longer title read in the same place: "Revisiting adversarial
    training" from after the colon of "Fast is better than free: Revisiting adversarial training"."""
    def title_only(mention: PaperMention) -> bool:
        return not (mention.arxiv_id or mention.doi or mention.url) and mention.start_char >= 0

    spans = [(m.start_char, m.end_char) for m in mentions if title_only(m)]
    return [m for m in mentions if not title_only(m) or not any(
        start <= m.start_char and m.end_char <= end and end - start > m.end_char - m.start_char
        for start, end in spans)]


def _add_running_text_titles(
    post: Post, identifiers: list[tuple[PaperRef, int, int]], catalog: MethodCatalog, out: _Collector
) -> None:
    """Title Case titles in the post's sentences that no other reader took. A title right before a link
    to a paper (`identifiers`: the post's links; "[Title](https://arxiv.org/abs/...)", "Title (arXiv:...)")
    names that paper."""
    taken = [(m.start_char, m.end_char) for m in out.items.values()
             if m.post_local_id == post.local_id and m.start_char >= 0]
    for title, start, end in _running_text_titles(post.text or "", catalog):
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        link = next((ref for ref, link_start, _ in identifiers if 0 <= link_start - end <= _TITLE_TO_LINK_GAP), None)
        if link is not None:
            out.add(_mention(post.local_id, link, title, start, end, "mentioned"))
        else:
            out.add(_title_mention(post.local_id, title, start, end, "mentioned"))


def quoted_abstract_candidates(document: Document) -> list[tuple[str, str]]:
    """(post_local_id, quoted text) for quotations attributed to a paper's abstract, to be
    matched later against paper abstracts in the graph."""
    found: list[tuple[str, str]] = []
    for post in document.posts:
        text = post.text or ""
        for quotation in post.quotations:
            if quotation.attributed_to and "abstract" in quotation.attributed_to.lower():
                found.append((post.local_id, text[quotation.start:quotation.end].strip(" \"“”")))
        for match in _ABSTRACT_QUOTE.finditer(text):
            quote = match.group(1).strip()
            if (post.local_id, quote) not in found:
                found.append((post.local_id, quote))
    return found
