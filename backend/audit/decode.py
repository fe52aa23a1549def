"""Log decoding without per-log overhead: a table topic0 → decoder, built once from the ABIs.

Most platform events carry only static words (addresses, integers, bools, bytes32/bytes4), so
their decoder slices 32-byte words directly; only events with dynamic data (strings, arrays of
tuples) go through ``eth_abi.decode``. Decoded values: addresses as lowercase ``0x`` hex (the
replay's keys; reports checksum them), integers as ``int``, fixed bytes as ``0x`` hex, bools.

Why its own decoder rather than the shared ``chain.logs``: the audit checks what the indexer
and the relayer derived from the same logs, and a decoding bug shared with them would agree
with itself and pass unseen. So the audit reads logs through a table of its own, written
apart, and only the ABIs (the contracts' own description) are common.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

from ..chain.artifacts import PLATFORM_CONTRACTS, abi

# The kinds of contract the audit follows; a points token is discovered by MerchantAdmitted.
KINDS = (*PLATFORM_CONTRACTS, "PointsToken")

Args = dict[str, Any]
Decoder = Callable[[list[bytes], bytes], Args]


@dataclass(slots=True)
class Log:
    """One log as the node returned it, with its decoded name and arguments."""

    block_number: int
    log_index: int
    tx_index: int
    block_hash: bytes
    tx_hash: bytes
    address: str  # lowercase 0x hex
    topics: list[bytes]
    data: bytes
    timestamp: int
    kind: str
    name: str  # "" when the ABI has no such event
    args: Args


def _word(kind: str) -> Callable[[bytes], Any]:
    if kind == "address":
        return lambda w: "0x" + w[12:].hex()
    if kind == "bool":
        return lambda w: w[31] != 0
    if kind.startswith("uint"):
        return lambda w: int.from_bytes(w, "big")
    if kind.startswith("int"):
        return lambda w: int.from_bytes(w, "big", signed=True)
    if kind.startswith("bytes") and kind != "bytes":
        size = int(kind[5:])
        return lambda w: "0x" + w[:size].hex()
    raise ValueError(kind)


def _is_static(kind: str) -> bool:
    return (
        kind in ("address", "bool")
        or kind.startswith(("uint", "int"))
        or (kind.startswith("bytes") and kind != "bytes")
    )


def _type_string(item: dict[str, Any]) -> str:
    kind: str = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_type_string(c) for c in item["components"])
        return f"({inner}){kind[5:]}"
    return kind


def _plain(value: Any) -> Any:
    """eth_abi output as JSON-friendly values (bytes → hex, tuples → lists)."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    return value


def _decoder(event: dict[str, Any]) -> Decoder:
    indexed = [(i["name"], _word(i["type"])) for i in event["inputs"] if i["indexed"]]
    body = [i for i in event["inputs"] if not i["indexed"]]
    if all(_is_static(i["type"]) for i in body):
        words = [(i["name"], _word(i["type"]), 32 * n) for n, i in enumerate(body)]

        def static(topics: list[bytes], data: bytes) -> Args:
            args = {name: read(topics[n + 1]) for n, (name, read) in enumerate(indexed)}
            for name, read, at in words:
                args[name] = read(data[at : at + 32])
            return args

        return static
    names = [i["name"] for i in body]
    types = [_type_string(i) for i in body]

    def dynamic(topics: list[bytes], data: bytes) -> Args:
        args = {name: read(topics[n + 1]) for n, (name, read) in enumerate(indexed)}
        for name, value in zip(names, abi_decode(types, data), strict=True):
            args[name] = _plain(value)
        return args

    return dynamic


def event_signature(event: dict[str, Any]) -> str:
    return f"{event['name']}({','.join(_type_string(i) for i in event['inputs'])})"


def decoder_table() -> dict[str, dict[bytes, tuple[str, Decoder]]]:
    """kind → topic0 → (event name, decoder)."""
    table: dict[str, dict[bytes, tuple[str, Decoder]]] = {}
    for kind in KINDS:
        entries = table.setdefault(kind, {})
        for item in abi(kind):
            if item["type"] == "event" and not item.get("anonymous"):
                entries[keccak(text=event_signature(item))] = (item["name"], _decoder(item))
    return table


def topic0(kind: str, name: str) -> bytes:
    """The topic0 of event ``name`` of contract ``kind``."""
    for item in abi(kind):
        if item["type"] == "event" and item["name"] == name:
            return keccak(text=event_signature(item))
    raise KeyError(f"{kind} has no event {name}")
