"""Raw JSON-RPC reads for the indexer: logs and block headers, standard methods only.

Why raw: ``w3.eth.get_logs`` runs result formatters over every log (HexBytes, AttributeDict);
the indexer wants the plain hex strings it stores. The reads go through the backend's lean
client (``chain.rpc``, on the same nodes and failover policy as ``w3``). Headers are fetched in
JSON-RPC batches, one round trip for all the blocks of a chunk. A node that refuses a wide
``eth_getLogs`` (result limits on public and consortium nodes alike) is asked again for halves
of the range.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from web3 import Web3

from ..chain.rpc import RpcError, rpc_for

log = logging.getLogger("tongdui.indexer")
HEADER_BATCH = 500  # blocks per eth_getBlockByNumber batch request


@dataclass(frozen=True, slots=True)
class Header:
    number: int
    hash: str
    parent_hash: str
    timestamp: int


class LogSource:
    def __init__(self, w3: Web3) -> None:
        self.rpc = rpc_for(w3)

    def head(self) -> int:
        return self.rpc.block_number()

    def logs(self, addresses: list[str], start: int, end: int) -> list[dict[str, Any]]:
        """Every log of ``addresses`` in blocks ``start..end`` (inclusive)."""
        if not addresses or start > end:
            return []
        query = {"address": addresses, "fromBlock": hex(start), "toBlock": hex(end)}
        try:
            result: list[dict[str, Any]] = self.rpc.call("eth_getLogs", [query])
        except RpcError:
            if start == end:
                raise
            middle = (start + end) // 2
            log.info("eth_getLogs %d..%d refused; asking for halves", start, end)
            return self.logs(addresses, start, middle) + self.logs(addresses, middle + 1, end)
        return [entry for entry in result if not entry.get("removed")]

    def headers(self, numbers: list[int]) -> dict[int, Header]:
        """Headers of ``numbers`` in batch requests of at most HEADER_BATCH blocks; a missing
        block is left out."""
        found: dict[int, Header] = {}
        for first in range(0, len(numbers), HEADER_BATCH):
            found.update(self._header_batch(numbers[first : first + HEADER_BATCH]))
        return found

    def _header_batch(self, numbers: list[int]) -> dict[int, Header]:
        if not numbers:
            return {}
        requests = [("eth_getBlockByNumber", [hex(n), False]) for n in numbers]
        found = {}
        for response in self.rpc.answers(requests):  # a refused batch: ChainUnavailableError
            if "error" in response:
                raise RpcError(f"eth_getBlockByNumber: {response['error']}")
            block = response.get("result")
            if block:
                header = Header(
                    int(block["number"], 16),
                    block["hash"],
                    block["parentHash"],
                    int(block["timestamp"], 16),
                )
                found[header.number] = header
        return found
