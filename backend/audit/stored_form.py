"""The one form in which the index stores each value, and an exact comparison with it.

Why exact: comparing in a loose normal form (addresses lower-cased, numbers as text) let a
tampered index pass while the API, which looks rows up exactly, lost a user's balance (a
holder lower-cased), emptied a history, or served ``"100"`` for ``100``. The index's form:
addresses EIP-55 checksummed, hashes and other hex lower-case with ``0x``, amounts and
counts as integers in integer columns, uint256 that need not be amounts as decimal text in
text columns, event arguments as the indexer's JSON (integers as decimal strings). A stored
value must equal the expected one in value *and* type.
"""

from __future__ import annotations

import re
from typing import Any

from eth_utils import to_checksum_address
from sqlalchemy import JSON, Boolean, Float, Integer, String
from sqlalchemy.types import TypeEngine

ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")


def column_kind(column_type: TypeEngine[Any]) -> str:
    """int | bool | json | text | float | other, from a reflected column's type."""
    if isinstance(column_type, Boolean):
        return "bool"
    if isinstance(column_type, Integer):
        return "int"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, String):
        return "text"
    if isinstance(column_type, Float):
        return "float"
    return "other"


def text_form(value: Any) -> str:
    """A value as the index writes it in a text column."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if ADDRESS_RE.match(text):
        return str(to_checksum_address(text))
    if text.startswith(("0x", "0X")):
        return "0x" + text[2:].lower()
    return text


def event_json(value: Any) -> Any:
    """Decoded event arguments as the indexer keeps them in ``events.args``."""
    if isinstance(value, dict):
        return {k: event_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [event_json(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    return text_form(value)


def stored(value: Any, kind: str) -> Any:
    """The expected value in the form a column of ``kind`` holds it."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "text":
        return text_form(value)
    return value  # json: the expected rows are built in the indexer's JSON form


def same(stored_value: Any, expected: Any) -> bool:
    """Equal in value and in type, all the way down (``1 != "1"``, ``True != 1``)."""
    if type(stored_value) is not type(expected):
        return False
    if isinstance(expected, dict):
        return stored_value.keys() == expected.keys() and all(
            same(stored_value[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return len(stored_value) == len(expected) and all(
            same(a, b) for a, b in zip(stored_value, expected, strict=True)
        )
    return bool(stored_value == expected)
