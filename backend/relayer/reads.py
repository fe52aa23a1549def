"""Several contract view calls in one JSON-RPC batch (one HTTP round trip).

Why: intake reads six values per order. Through ``web3.eth.call`` each is its own request,
and web3's validation middleware adds an ``eth_chainId`` before each, so ~18 round trips per
order; one standard JSON-RPC batch (``[{…}, {…}]``, which every node accepts) does it in one.
"""

from __future__ import annotations

from typing import Any

from eth_abi import decode
from eth_utils.abi import get_abi_output_types
from web3 import Web3
from web3.contract.contract import ContractFunction

from ..chain.errors import DecodedError, decode_error
from ..core.errors import ChainUnavailableError


class CallReverted(Exception):
    """One call of the batch reverted; ``error`` is the decoded custom error."""

    def __init__(self, error: DecodedError) -> None:
        super().__init__(error.message)
        self.error = error


def read_many(w3: Web3, calls: list[ContractFunction]) -> list[Any]:
    """Each call's decoded result, or a ``CallReverted`` in its place (not raised)."""
    batch: list[tuple[Any, Any]] = [
        ("eth_call", [{"to": fn.address, "data": fn._encode_transaction_data()}, "latest"])
        for fn in calls
    ]
    answers = w3.provider.make_batch_request(batch)  # type: ignore[attr-defined]
    if not isinstance(answers, list):  # a node that refuses batches answers one error object
        raise ChainUnavailableError(f"the node refused a JSON-RPC batch: {answers}")
    answers = sorted(answers, key=lambda a: int(a["id"]))
    results: list[Any] = []
    for fn, answer in zip(calls, answers, strict=True):
        if "error" in answer:
            data = answer["error"].get("data")
            if isinstance(data, dict):
                data = data.get("data")
            raw = (
                bytes.fromhex(data[2:]) if isinstance(data, str) and data.startswith("0x") else b""
            )
            results.append(CallReverted(decode_error(raw)))
            continue
        types = get_abi_output_types(fn.abi)
        values = decode(types, bytes.fromhex(answer["result"][2:]))
        results.append(values[0] if len(values) == 1 else values)
    return results
