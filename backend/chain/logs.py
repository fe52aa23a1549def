"""Decoding raw logs (``eth_getLogs`` results, receipts' logs) without web3's per-log machinery.

Why: web3's ``process_log`` builds AttributeDicts and re-derives the event ABI for every log;
on a backfill of many thousands of logs that dominates the run, and for a 100-order
``settle`` (~1,000 logs) it was a fifth of the relayer's time. Here the table topic0 → event
spec is built once from the committed ABIs; a log then costs one decode of its data plus
slicing of its topics. Two forms of the same decoding:
- ``EventSpec.decode`` (the indexer's): JSON-ready, every integer as a decimal string (uint256
  does not fit a JSON number), addresses checksummed, bytes as ``0x`` hex;
- ``EventSpec.values`` (the relayer's receipts): indexed arguments as their raw ``0x`` topic
  words, data as Python values (ints, lowercase addresses, bytes), static words sliced
  directly (``abi_words``).

The audit decodes with its own table (``audit.decode``) on purpose: it checks what the indexer
and the relayer wrote, so it must not share their decoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from eth_abi import decode
from eth_utils import keccak, to_checksum_address

from .abi_words import decode_static
from .artifacts import all_abis

JsonValue = Any


@cache
def checksum(address: str) -> str:
    """Checksummed address; cached because a platform has few distinct addresses."""
    return str(to_checksum_address(address))


def _type_string(item: dict[str, Any]) -> str:
    """The canonical ABI type, tuples spelled out: ``(address,uint256,bytes)[]``."""
    kind: str = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(_type_string(component) for component in item["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def to_json(abi_type: str, value: Any) -> JsonValue:
    """An eth_abi value as JSON: ints → str, bytes → hex, addresses checksummed."""
    if abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return [to_json(inner, item) for item in value]
    if abi_type.startswith("("):
        parts = _split_tuple(abi_type)
        return [to_json(part, item) for part, item in zip(parts, value, strict=True)]
    if abi_type == "address":
        return checksum(value)
    if abi_type == "bool" or abi_type == "string":
        return value
    if abi_type.startswith(("uint", "int")):
        return str(value)
    return "0x" + bytes(value).hex()  # bytes, bytesN


def _split_tuple(abi_type: str) -> list[str]:
    """``(a,(b,c)[],d)`` → ``["a", "(b,c)[]", "d"]``."""
    body, parts, depth, start = abi_type[1:-1], [], 0, 0
    for index, char in enumerate(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:index])
            start = index + 1
    parts.append(body[start:])
    return [part for part in parts if part]


def _topic_decoder(abi_type: str) -> Callable[[str], JsonValue]:
    """Fast paths for the static types events index; eth_abi for anything else."""
    if abi_type == "address":
        return lambda topic: checksum("0x" + topic[-40:])
    if abi_type.startswith("uint"):
        return lambda topic: str(int(topic, 16))
    if abi_type == "bytes32":
        return lambda topic: topic.lower()
    if abi_type in ("string", "bytes") or abi_type.endswith("]") or abi_type.startswith("("):
        return lambda topic: topic.lower()  # indexed dynamic values are only their hash
    return lambda topic: to_json(abi_type, decode([abi_type], bytes.fromhex(topic[2:]))[0])


@dataclass(frozen=True, slots=True)
class EventSpec:
    """How to decode one event signature."""

    name: str
    topic_names: tuple[str, ...]
    topic_decoders: tuple[Callable[[str], JsonValue], ...]
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]

    def decode(self, topics: list[str], data: str) -> dict[str, JsonValue]:
        args: dict[str, JsonValue] = {}
        for name, decoder, topic in zip(
            self.topic_names, self.topic_decoders, topics[1:], strict=True
        ):
            args[name] = decoder(topic)
        if self.data_types:
            values = decode(self.data_types, bytes.fromhex(data[2:]))
            for name, abi_type, value in zip(self.data_names, self.data_types, values, strict=True):
                args[name] = to_json(abi_type, value)
        return args

    def values(self, topics: list[str], data: str) -> dict[str, Any]:
        """The arguments as Python values; indexed ones stay raw 32-byte words (``0x`` hex)."""
        args: dict[str, Any] = dict(zip(self.topic_names, topics[1:], strict=True))
        if self.data_types:
            values = decode_static(self.data_types, bytes.fromhex(data[2:]))
            args.update(zip(self.data_names, values, strict=True))
        return args


@cache
def event_specs() -> dict[str, EventSpec]:
    """topic0 (``0x`` hex, lower case) → spec, over every platform contract's ABI."""
    specs: dict[str, EventSpec] = {}
    for entries in all_abis().values():
        for entry in entries:
            if entry.get("type") != "event" or entry.get("anonymous"):
                continue
            types = [_type_string(item) for item in entry["inputs"]]
            topic0 = "0x" + keccak(text=f"{entry['name']}({','.join(types)})").hex()
            indexed = [
                (i, t) for (i, t) in zip(entry["inputs"], types, strict=True) if i["indexed"]
            ]
            plain = [
                (i, t) for (i, t) in zip(entry["inputs"], types, strict=True) if not i["indexed"]
            ]
            spec = EventSpec(
                name=entry["name"],
                topic_names=tuple(item["name"] for item, _ in indexed),
                topic_decoders=tuple(_topic_decoder(t) for _, t in indexed),
                data_names=tuple(item["name"] for item, _ in plain),
                data_types=tuple(t for _, t in plain),
            )
            known = specs.get(topic0)
            if known is not None and (known.topic_names, known.data_types) != (
                spec.topic_names,
                spec.data_types,
            ):
                raise ValueError(f"two ABIs index event {entry['name']} differently")
            specs[topic0] = spec
    return specs


def topic_in(entries: Iterable[Mapping[str, Any]], event_name: str) -> str:
    """topic0 of the event ``event_name`` of one contract's ABI ``entries``."""
    for entry in entries:
        if entry.get("type") == "event" and entry["name"] == event_name:
            types = ",".join(_type_string(item) for item in entry["inputs"])
            return "0x" + keccak(text=f"{event_name}({types})").hex()
    raise KeyError(event_name)


def topic_of(event_name: str) -> str:
    """topic0 of a platform event by name (e.g. ``MerchantAdmitted``)."""
    for topic0, spec in event_specs().items():
        if spec.name == event_name:
            return topic0
    raise KeyError(event_name)
