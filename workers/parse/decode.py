"""Bytes to text: size limit, binary rejection and encoding detection.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) wins; then a charset declared by the
caller's content type, an XML declaration or an HTML `<meta charset>`; then strict
UTF-8; then cp1252 (a superset of latin-1's printable range that most undeclared
Western text uses), and latin-1 as the last resort, which decodes any byte string.
"""

from __future__ import annotations

import codecs
import re

from workers.errors import ParseError

MAX_INPUT_BYTES = 30 * 1024 * 1024
_SAMPLE_BYTES = 8192
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""")
# Control bytes other than tab, newline, form feed and carriage return.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def check_size(data: bytes) -> None:
    """Reject input that is empty or larger than `MAX_INPUT_BYTES`."""
    if not data or not data.strip():
        raise ParseError("empty file")
    if len(data) > MAX_INPUT_BYTES:
        raise ParseError(
            f"input too large: {len(data)} bytes (limit {MAX_INPUT_BYTES // (1024 * 1024)} MB)"
        )


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    candidates: list[bytes] = []
    if content_type:
        match = _CHARSET_RE.search(content_type.encode("ascii", "ignore"))
        if match:
            candidates.append(match.group(1))
    head = data[:2048]
    match = _XML_ENCODING_RE.search(head)
    if match:
        candidates.append(match.group(1))
    if b"<" in head:
        match = _CHARSET_RE.search(head)
        if match:
            candidates.append(match.group(1))
    for candidate in candidates:
        name = candidate.decode("ascii").lower()
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec.startswith(("utf-16", "utf-32")):
            continue  # a declared UTF-16 without a BOM is not what the bytes are; ignore it
        return codec
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > max(2, len(sample) // 100)


def decode_bytes(data: bytes, content_type: str | None = None) -> str:
    """Decode `data` to text (see the module docstring for the order), or raise ParseError."""
    check_size(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise ParseError(f"invalid {encoding} text after its byte-order mark: {e.reason}") from e
            return _checked_text(text)
    if _looks_binary(data):
        raise ParseError("binary data, not text")
    declared = _declared_charset(data, content_type)
    if declared:
        try:
            return _checked_text(data.decode(declared))
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall back to detection
    for encoding in ("utf-8", "cp1252"):
        try:
            return _checked_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return _checked_text(data.decode("latin-1"))


def _checked_text(text: str) -> str:
    if "\x00" in text[:_SAMPLE_BYTES]:
        raise ParseError("binary data, not text")
    if not text.strip():
        raise ParseError("empty file")
    return text
