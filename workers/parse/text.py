"""Plain-text helpers shared by the parsers: line joining, URLs, dates, spans.

Everything here is a small pure function over strings. The one subtle rule is how
hard-wrapped lines are joined (`join_wrapped_lines`): a word split across a line break
after a hyphen is re-joined ("multi-\\nlayer" -> "multi-layer") only when the
continuation starts lowercase, and never in a suspended-hyphen list
("life- and mind-\\naffirming" keeps its space), which is what the gold normalisation
in shared/eval/FORMAT.md does with the wrapped original.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence

URL_RE = re.compile(r"""https?://[^\s<>"'\])}]+""", re.IGNORECASE)
_TRAILING_URL_PUNCT = ".,;:!?*'\""
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_HYPHEN_END_RE = re.compile(r"(?P<word>[^\W\d_][\w]*)-$")
_SUSPENDED_RE = re.compile(r"\w-\s+(?:and|or|to|&)\s+\S*$", re.IGNORECASE)


def strip_control_chars(text: str) -> str:
    """Drop control characters (keeping tab and newline) and our private span markers."""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def collapse_spaces(text: str) -> str:
    """Collapse runs of horizontal whitespace (not newlines) into one space."""
    return _SPACES_RE.sub(" ", text)


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace, newlines included, into one space and strip."""
    return " ".join(text.split())


def _joins_without_space(previous: str, following: str) -> bool:
    """True when `previous` ends in a word hyphen-split before `following`."""
    if not following or not following[0].islower():
        return False
    if _HYPHEN_END_RE.search(previous) is None:
        return False
    # "life- and mind-" is a suspended-hyphen list: the author wrote "mind- affirming".
    return _SUSPENDED_RE.search(previous[:-1]) is None


def join_wrapped_lines(lines: Sequence[str]) -> str:
    """Join the hard-wrapped lines of one paragraph into a single line."""
    out = ""
    for raw in lines:
        line = collapse_spaces(raw).strip()
        if not line:
            continue
        if not out:
            out = line
        elif _joins_without_space(out, line):
            out += line
        else:
            out += " " + line
    return out


def split_paragraphs(lines: Iterable[str]) -> list[list[str]]:
    """Group lines into paragraphs separated by blank lines."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def find_urls(text: str) -> tuple[str, ...]:
    """URLs in `text`, in order of first appearance, without trailing punctuation."""
    seen: dict[str, None] = {}
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING_URL_PUNCT)
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        if len(url) > len("https://"):
            seen.setdefault(url, None)
    return tuple(seen)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items without duplicates, first occurrence kept, empties dropped."""
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def iso_from_unix(value: object) -> str | None:
    """ISO 8601 UTC ("2025-01-31T17:48:00Z") from a unix timestamp, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        moment = dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_ISO_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?\s*(?P<tz>Z|UTC|[+-]\d{2}:?\d{2})?"
)


def normalise_iso(value: object) -> str | None:
    """An ISO-looking date string as "YYYY-MM-DDTHH:MM:SSZ" (UTC), or None."""
    if not isinstance(value, str):
        return None
    match = _ISO_RE.search(value)
    if match is None:
        return None
    date, time, tz = match.group("date"), match.group("time"), match.group("tz")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return None
    if time is None:
        return date
    if len(time) == 5:
        time += ":00"
    if tz and tz not in ("Z", "UTC"):
        try:
            parsed = dt.datetime.fromisoformat(f"{date}T{time}{tz[:3]}:{tz[-2:]}")
        except ValueError:
            return f"{date}T{time}Z"
        return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{date}T{time}Z"


def hn_item_url(item_id: object) -> str | None:
    """Deep link to a Hacker News item."""
    if isinstance(item_id, bool) or not isinstance(item_id, (int, str)) or str(item_id) == "":
        return None
    return f"https://news.ycombinator.com/item?id={item_id}"


def nfc(text: str) -> str:
    """NFC-normalise text (keeps curly quotes; later stages normalise further)."""
    return unicodedata.normalize("NFC", text)


def host_of(url: str | None) -> str | None:
    """The host name of a URL without "www.", or None."""
    if not url:
        return None
    match = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", url, re.IGNORECASE)
    if match is None:
        return None
    host = match.group(1).lower()
    return host.removeprefix("www.")


_WHITESPACE_RUN = re.compile(r"\s+")
_ASCII_PUNCT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def single_spaced(text: str) -> str:
    """Every run of whitespace, newlines included, as one space (ends kept, unlike
    `collapse_whitespace`): HTML source text, where a line break is only a space."""
    return _WHITESPACE_RUN.sub(" ", text)


def normalise_text(text: str) -> str:
    """The matching form used for hashes and duplicate checks: case and spacing folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_ASCII_PUNCT)
    return _WHITESPACE_RUN.sub(" ", text).strip().lower()
