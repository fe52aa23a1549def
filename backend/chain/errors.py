"""Decoding contract custom errors into stable API codes and messages a person understands.

Each custom error in the ABIs (``ExchangeOrderExpired(uint256)`` …) maps by its 4-byte selector
to a code (``ORDER_EXPIRED``: the name without its contract prefix, in SCREAMING_SNAKE_CASE),
a member of the one catalogue :class:`~tongdui.core.error_codes.ErrorCode`, which holds its
sentence. The codes are part of the API: clients switch on them, so they never change;
tests/backend/test_error_catalogue.py fails for a contract error the catalogue lacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi import decode
from eth_utils import keccak, to_checksum_address

from ..core.error_codes import ErrorCode
from .artifacts import all_abis

_PREFIXES = (
    "Exchange",
    "PointsToken",
    "Settlement",
    "Registry",
    "Governance",
    "Attestation",
)


@dataclass(frozen=True, slots=True)
class DecodedError:
    """A contract error: its name, stable code, arguments and a message."""

    name: str
    code: ErrorCode
    args: dict[str, Any]
    message: str


def error_code(name: str) -> ErrorCode:
    """The catalogue's code of a contract error name (``UNKNOWN_ERROR`` for one it lacks)."""
    return ErrorCode.__members__.get(_code(name), ErrorCode.UNKNOWN_ERROR)


def message_for(code: str, default: str) -> str:
    """The catalogue's sentence for ``code``, or ``default`` for a string that is no code."""
    known = ErrorCode.__members__.get(code)
    return default if known is None else known.message


def _code(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) and name[len(prefix)].isupper():
            name = name[len(prefix) :]
            break
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper().replace("E_R_C20", "ERC20")


@cache
def error_table() -> dict[bytes, tuple[str, list[str], list[str]]]:
    """selector → (error name, argument names, argument types), over every platform ABI."""
    table: dict[bytes, tuple[str, list[str], list[str]]] = {}
    for entries in all_abis().values():
        for entry in entries:
            if entry.get("type") != "error":
                continue
            types = [item["type"] for item in entry["inputs"]]
            names = [item["name"] or f"arg{i}" for i, item in enumerate(entry["inputs"])]
            selector = keccak(text=f"{entry['name']}({','.join(types)})")[:4]
            table[selector] = (entry["name"], names, types)
    return table


def code_for_selector(selector: bytes) -> ErrorCode:
    """The stable code of an error selector (``UNKNOWN_ERROR`` if not in any ABI)."""
    found = error_table().get(bytes(selector[:4]))
    return error_code(found[0]) if found else ErrorCode.UNKNOWN_ERROR


def _readable(abi_type: str, value: Any) -> Any:
    """Addresses checksummed (as every other answer of the API), bytes as hex."""
    if abi_type == "address" and isinstance(value, str):
        return to_checksum_address(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value


def decode_error(data: bytes) -> DecodedError:
    """Decodes revert data (selector ‖ ABI-encoded arguments)."""
    found = error_table().get(bytes(data[:4]))
    if found is None:
        return DecodedError(
            "Unknown",
            ErrorCode.UNKNOWN_ERROR,
            {"data": "0x" + data.hex()},
            ErrorCode.UNKNOWN_ERROR.message,
        )
    name, names, types = found
    try:
        values = decode(types, data[4:])
    except Exception:  # malformed arguments: keep the name, drop the values
        values = tuple(None for _ in types)
    args = {n: _readable(t, v) for n, t, v in zip(names, types, values, strict=True)}
    code = error_code(name)
    return DecodedError(name, code, args, code.message)
