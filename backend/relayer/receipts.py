"""Receipts read as plain JSON-RPC, and the exchange's order events decoded from them.

Why not ``w3.eth.get_transaction_receipt`` and ``process_receipt``: web3 runs every field of
every log of the receipt through its formatters and re-checksums each address; for a
100-order ``settle`` (~1,000 logs) that was a fifth of the relayer's time. Here a receipt is
the node's JSON (through the lean client of ``chain.rpc``); only the exchange's ``Swapped`` /
``OrderRejected`` logs are decoded, with the shared event table of ``chain.logs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.contract import Contract
from web3.exceptions import Web3RPCError

from ..chain.logs import event_specs, topic_in
from ..chain.rpc import rpc_for


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


class ExchangeEvents:
    """The exchange's ``Swapped`` and ``OrderRejected`` logs of a receipt, by order hash."""

    def __init__(self, exchange: Contract) -> None:
        self.address = str(exchange.address).lower()
        self.swapped_topic = topic_in(exchange.abi, "Swapped")
        self.rejected_topic = topic_in(exchange.abi, "OrderRejected")
        self.swapped = event_specs()[self.swapped_topic]
        self.rejected = event_specs()[self.rejected_topic]

    def of(self, receipt: Receipt) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
        """({order hash: Swapped args}, {order hash: rejection reason selector})."""
        swapped: dict[str, dict[str, Any]] = {}
        rejected: dict[str, bytes] = {}
        for log in receipt.logs:
            topics = log.get("topics") or []
            if not topics or str(log.get("address", "")).lower() != self.address:
                continue
            if topics[0] == self.swapped_topic:
                args = self.swapped.values(topics, log["data"])
                swapped[str(args["orderHash"]).lower()] = args
            elif topics[0] == self.rejected_topic:
                args = self.rejected.values(topics, log["data"])
                rejected[str(args["orderHash"]).lower()] = bytes(args["reason"])
        return swapped, rejected
