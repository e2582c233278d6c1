"""arXiv enrichment: title, authors, abstract and date of papers found by id in the text.

Optional (CLAIMGRAPH_ARXIV_ENRICH=1). One request per batch of up to 50 ids to the
arXiv API, parsed from Atom with lxml. Enrichment never fails an ingestion: a batch
that cannot be fetched or parsed is logged and skipped, and the caller keeps what the
text itself said about the paper.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from lxml import etree

from workers.errors import ParseError, SourceError
from workers.fetch import HttpFetcher
from workers.settings import Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 50
# arXiv asks API clients to wait about 3 seconds between consecutive requests.
PAUSE_BETWEEN_BATCHES_SECONDS = 3.0
ATOM_TYPES: tuple[str, ...] = ("application/atom+xml", "application/xml", "text/xml")

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV_ID = re.compile(
    r"(?:arxiv:)?(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_ABS_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<rest>.+?)(?:\.pdf)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ArxivMetadata:
    """What the arXiv API says about one paper. `published` is YYYY-MM-DD (first version)."""

    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: str | None
    url: str


def normalize_arxiv_id(raw: str) -> str | None:
    """`arXiv:2201.11903v6` -> `2201.11903`; `hep-th/9901001v1` -> `hep-th/9901001`; else None."""
    match = _ARXIV_ID.fullmatch(raw.strip())
    return match.group("id") if match else None


def fetch_arxiv_metadata(
    arxiv_ids: list[str],
    *,
    fetcher: HttpFetcher,
    settings: Settings,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, ArxivMetadata]:
    """Metadata for the given ids (normalised, without version), keyed by normalised id.

    Ids the API does not know, ids that are not arXiv ids and batches that fail are
    missing from the result; this function logs and never raises.
    """
    wanted: list[str] = []
    for raw in arxiv_ids:
        normalized = normalize_arxiv_id(raw)
        if normalized is None:
            log.warning("not an arXiv id, skipped: %r", raw)
        elif normalized not in wanted:
            wanted.append(normalized)
    found: dict[str, ArxivMetadata] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        if start:
            sleep(PAUSE_BETWEEN_BATCHES_SECONDS)
        batch = wanted[start : start + BATCH_SIZE]
        url = f"{settings.arxiv_api_url}?" + urlencode(
            {"id_list": ",".join(batch), "max_results": BATCH_SIZE}, safe=",/"
        )
        try:
            response = fetcher.get(url, accept=ATOM_TYPES)
            entries = parse_arxiv_atom(response.content)
        except SourceError as e:
            log.warning("arXiv enrichment skipped for %d ids: %s", len(batch), e)
            continue
        requested = set(batch)
        for entry in entries:
            if entry.arxiv_id in requested:
                found[entry.arxiv_id] = entry
    return found


def parse_arxiv_atom(data: bytes) -> list[ArxivMetadata]:
    """Entries of an arXiv API Atom response; error entries and id-less entries are skipped.

    Raises ParseError when the bytes are not XML.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"arXiv API response is not valid XML: {e}") from e
    entries: list[ArxivMetadata] = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _text(entry, "id")
        match = _ABS_URL.search(entry_id)
        arxiv_id = normalize_arxiv_id(match.group("rest")) if match else None
        title = _text(entry, "title")
        if arxiv_id is None or not title or title.lower() == "error":
            continue
        authors = tuple(
            name
            for author in entry.findall(f"{_ATOM}author")
            if (name := _squash(author.findtext(f"{_ATOM}name") or ""))
        )
        published = _text(entry, "published")[:10] or None
        entries.append(
            ArxivMetadata(
                arxiv_id=arxiv_id,
                title=title,
                authors=authors,
                abstract=_text(entry, "summary"),
                published=published,
                url=f"https://arxiv.org/abs/{arxiv_id}",
            )
        )
    return entries


def _text(element: etree._Element, tag: str) -> str:
    return _squash(element.findtext(f"{_ATOM}{tag}") or "")


def _squash(text: str) -> str:
    """arXiv wraps titles and abstracts at ~80 columns; join the lines."""
    return " ".join(text.split())
