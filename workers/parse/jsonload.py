"""JSON text to Python values, including nesting deeper than the recursion limit.

`json.loads` recurses once per nesting level, so a 10,000-deep HN reply chain (20,000
levels of objects and `children` lists) raises RecursionError. `loads` tries the fast
standard parser first and falls back to an iterative one with an explicit stack; both
report errors as ParseError with line and column.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from workers.errors import ParseError

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


def _error(text: str, pos: int, message: str) -> ParseError:
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return ParseError(f"invalid JSON at line {line} column {column}: {message}")


def loads(text: str) -> Any:
    """Parse JSON text, raising ParseError("invalid JSON at line L column C: ...")."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ParseError(f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from e
    except RecursionError:
        return _loads_iterative(text)


def _scalar(text: str, pos: int) -> tuple[Any, int]:
    char = text[pos] if pos < len(text) else ""
    if char == '"':
        try:
            return scanstring(text, pos + 1, True)
        except json.JSONDecodeError as e:
            raise _error(text, e.pos, e.msg) from e
    match = _NUMBER.match(text, pos)
    if match:
        literal = match.group(0)
        is_float = any(c in literal for c in ".eE")
        return (float(literal) if is_float else int(literal)), match.end()
    for word, value in _LITERALS.items():
        if text.startswith(word, pos):
            return value, pos + len(word)
    raise _error(text, pos, "expecting value")


def _loads_iterative(text: str) -> Any:
    """A small JSON parser that keeps its nesting on a list instead of the call stack."""
    stack: list[tuple[Any, str | None]] = []  # (container, pending key for dicts)
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    result: Any = None
    have_result = False
    while True:
        # Parse one value at `pos`.
        char = text[pos] if pos < len(text) else ""
        value: Any
        if char == "{":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text.startswith("}", pos):
                value, pos = {}, pos + 1
            else:
                if not text.startswith('"', pos):
                    raise _error(text, pos, "expecting property name enclosed in double quotes")
                key, pos = _scalar(text, pos)
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                if not text.startswith(":", pos):
                    raise _error(text, pos, "expecting ':' delimiter")
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                stack.append(({}, key))
                continue
        elif char == "[":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text.startswith("]", pos):
                value, pos = [], pos + 1
            else:
                stack.append(([], None))
                continue
        else:
            value, pos = _scalar(text, pos)
        # Attach the value and close any containers that end here.
        while True:
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if not stack:
                result, have_result = value, True
                break
            container, key = stack[-1]
            if isinstance(container, dict):
                container[key] = value
                if text.startswith(",", pos):
                    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                    if not text.startswith('"', pos):
                        raise _error(text, pos, "expecting property name enclosed in double quotes")
                    new_key, pos = _scalar(text, pos)
                    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                    if not text.startswith(":", pos):
                        raise _error(text, pos, "expecting ':' delimiter")
                    pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                    stack[-1] = (container, new_key)
                    break
                if text.startswith("}", pos):
                    stack.pop()
                    value, pos = container, pos + 1
                    continue
                raise _error(text, pos, "expecting ',' delimiter")
            container.append(value)
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                break
            if text.startswith("]", pos):
                stack.pop()
                value, pos = container, pos + 1
                continue
            raise _error(text, pos, "expecting ',' delimiter")
        if have_result:
            if pos != len(text):
                raise _error(text, pos, "extra data")
            return result
