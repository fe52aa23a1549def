"""Receipts read as plain JSON-RPC, and the exchange's order events decoded from them.

Why not ``w3.eth.get_transaction_receipt`` and ``process_receipt``: web3 runs every field of
every log of the receipt through its formatters and re-checksums each address; for a
100-order ``settle`` (~1,000 logs) that was a fifth of the relayer's time. Here a receipt is
the node's JSON (through the lean client of ``chain.rpc``); only the exchange's ``Swapped`` /
``OrderRejected`` logs are decoded, with ``reads.decode_static``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import event_abi_to_log_topic
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import Web3RPCError

from ..chain.rpc import rpc_for
from .reads import decode_static


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the relayer needs of a mined transaction's receipt."""

    status: int  # 1 success, 0 reverted
    block_number: int
    gas_used: int
    logs: list[dict[str, Any]]  # as the node sent them (hex strings)


def get_receipt(w3: Web3, tx_hash: str) -> Receipt | None:
    """The receipt, or None while the node does not know the transaction as mined."""
    (answer,) = rpc_for(w3).answers([("eth_getTransactionReceipt", [tx_hash])])
    if "error" in answer:
        raise Web3RPCError(f"eth_getTransactionReceipt failed: {answer['error']}")
    raw = answer.get("result")
    if raw is None:
        return None
    return Receipt(
        int(raw["status"], 16),
        int(raw["blockNumber"], 16),
        int(raw["gasUsed"], 16),
        raw.get("logs") or [],
    )


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event of an ABI: its topic, and how to read its indexed and data fields."""

    topic: str
    indexed: tuple[tuple[str, str], ...]  # (name, type) in topic order
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]

    @classmethod
    def of(cls, contract: Contract, name: str) -> EventSpec:
        abi = contract.events[name]().abi
        inputs = abi.get("inputs", [])
        return cls(
            "0x" + event_abi_to_log_topic(abi).hex(),
            tuple((i["name"], i["type"]) for i in inputs if i.get("indexed")),
            tuple(i["name"] for i in inputs if not i.get("indexed")),
            tuple(i["type"] for i in inputs if not i.get("indexed")),
        )

    def decode(self, log: dict[str, Any]) -> dict[str, Any]:
        """The event's arguments; indexed ones stay raw 32-byte words (``0x``-hex)."""
        args: dict[str, Any] = {
            name: topic for (name, _), topic in zip(self.indexed, log["topics"][1:], strict=True)
        }
        values = decode_static(self.data_types, bytes.fromhex(log["data"][2:]))
        args.update(zip(self.data_names, values, strict=True))
        return args


class ExchangeEvents:
    """The exchange's ``Swapped`` and ``OrderRejected`` logs of a receipt, by order hash."""

    def __init__(self, exchange: Contract) -> None:
        self.address = str(exchange.address).lower()
        self.swapped = EventSpec.of(exchange, "Swapped")
        self.rejected = EventSpec.of(exchange, "OrderRejected")

    def of(self, receipt: Receipt) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
        """({order hash: Swapped args}, {order hash: rejection reason selector})."""
        swapped: dict[str, dict[str, Any]] = {}
        rejected: dict[str, bytes] = {}
        for log in receipt.logs:
            topics = log.get("topics") or []
            if not topics or str(log.get("address", "")).lower() != self.address:
                continue
            if topics[0] == self.swapped.topic:
                args = self.swapped.decode(log)
                swapped[str(args["orderHash"]).lower()] = args
            elif topics[0] == self.rejected.topic:
                args = self.rejected.decode(log)
                rejected[str(args["orderHash"]).lower()] = bytes(args["reason"])
        return swapped, rejected
