"""Errors raised by the ingestion pipeline.

    ClaimgraphError                (root for everything of ours)
    +-- SourceError                a source could not be turned into a Document
    |   +-- FetchError             network: timeout, HTTP status, size, content type
    |   |   +-- BlockedURLError    the SSRF guard refused the address
    |   +-- ParseError             bytes/JSON/HTML that no parser accepts
    +-- ExtractionError            a stage failed on a parsed document
    +-- ConfigurationError         a setting is missing or invalid

Library errors are wrapped at the boundary (`raise ParseError(...) from e`) so that
callers catch one family and record `str(error)` as the reason on the source's job.
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Root of every error claimgraph raises on purpose."""

    code = "claimgraph_error"


class SourceError(ClaimgraphError):
    code = "source_error"


class FetchError(SourceError):
    code = "fetch_error"


class BlockedURLError(FetchError):
    code = "blocked_url"


class ParseError(SourceError):
    code = "parse_error"


class ExtractionError(ClaimgraphError):
    code = "extraction_error"


class ConfigurationError(ClaimgraphError):
    code = "configuration_error"
