"""Reading the platform's history from a node: chunked ``eth_getLogs``, token discovery,
block timestamps, and the signed orders behind each swap.

The platform's contracts are known from the deployment (or given on the command line); each
merchant's points token appears with ``MerchantAdmitted``. A token's first logs (its
constructor's) come in the same transaction as its admission, so when a chunk reveals new
tokens the chunk is asked again for just those tokens before it is handed on: nothing of a
token is missed, whatever the chunk size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..chain.rpc import JsonRpc
from ..core.chunks import FIRST_CHUNK_BLOCKS, next_chunk_size
from .decode import Decoder, Log, decoder_table, topic0

ADMITTED = topic0("MerchantRegistry", "MerchantAdmitted")
SWAPPED = topic0("PointsExchange", "Swapped")
REJECTED = topic0("PointsExchange", "OrderRejected")
CARRY_ORDERS = (SWAPPED, REJECTED)  # their transactions' calldata holds the signed orders


@dataclass(frozen=True)
class Contracts:
    """The platform's contract addresses (lowercase) by kind, as an auditor supplies them."""

    governance: str
    settlement: str
    exchange: str
    registry: str
    attestations: str
    htlc: str | None = None  # HashedTimelock (issue 17); a deployment before it has none
    factory: str | None = None  # PointsTokenFactory (issue 16); likewise
    voucher_book: str | None = None  # VoucherBook (issue 16); likewise

    def by_address(self) -> dict[str, str]:
        kinds = {
            self.governance: "ConsortiumGovernance",
            self.settlement: "SettlementToken",
            self.exchange: "PointsExchange",
            self.registry: "MerchantRegistry",
            self.attestations: "AttestationRegistry",
        }
        if self.htlc is not None:
            kinds[self.htlc] = "HashedTimelock"
        if self.factory is not None:
            kinds[self.factory] = "PointsTokenFactory"
        if self.voucher_book is not None:
            kinds[self.voucher_book] = "VoucherBook"
        return kinds

    @classmethod
    def from_names(cls, addresses: dict[str, str]) -> Contracts:
        """From a deployment's ``{contract name: address}``."""
        return cls(
            governance=addresses["ConsortiumGovernance"].lower(),
            settlement=addresses["SettlementToken"].lower(),
            exchange=addresses["PointsExchange"].lower(),
            registry=addresses["MerchantRegistry"].lower(),
            attestations=addresses["AttestationRegistry"].lower(),
            htlc=addresses["HashedTimelock"].lower() if "HashedTimelock" in addresses else None,
            factory=(
                addresses["PointsTokenFactory"].lower()
                if "PointsTokenFactory" in addresses
                else None
            ),
            voucher_book=(addresses["VoucherBook"].lower() if "VoucherBook" in addresses else None),
        )

    def to_json(self) -> dict[str, str]:
        return {kind: address for address, kind in self.by_address().items()}


class LogReader:
    """Yields every platform log from ``start`` to ``end`` in (block, logIndex) order."""

    def __init__(self, rpc: JsonRpc, contracts: Contracts, chunk_size: int = 2_000) -> None:
        self.rpc = rpc
        self.contracts = contracts
        self.chunk_size = chunk_size
        self.kinds: dict[str, str] = contracts.by_address()
        self.table: dict[str, dict[bytes, tuple[str, Decoder]]] = decoder_table()
        self.timestamps: dict[int, int] = {}
        self.transactions: dict[bytes, dict[str, Any]] = {}

    def read(
        self, start: int, end: int, progress: Callable[[int], None] | None = None
    ) -> Iterator[Log]:
        size, low = min(self.chunk_size, FIRST_CHUNK_BLOCKS), start
        while low <= end:
            high = min(end, low + size - 1)
            raw = self.rpc.logs(list(self.kinds), low, high)
            new = self._discover(raw)
            while new:
                more = self.rpc.logs(new, low, high)
                raw.extend(more)
                new = self._discover(more)
            raw.sort(key=lambda item: (int(item["blockNumber"], 16), int(item["logIndex"], 16)))
            self._fetch_timestamps(raw)
            self._fetch_swap_transactions(raw)
            for item in raw:
                yield self._decode(item)
            if progress is not None:
                progress(high - low + 1)
            size = next_chunk_size(size, len(raw), self.chunk_size)
            low = high + 1

    def _discover(self, raw: list[dict[str, Any]]) -> list[str]:
        """Tokens admitted in ``raw`` that are not followed yet."""
        new = []
        registry = self.contracts.registry
        for item in raw:
            topics = item["topics"]
            if (
                item["address"].lower() == registry
                and topics
                and bytes.fromhex(topics[0][2:]) == ADMITTED
            ):
                token = "0x" + topics[2][-40:].lower()
                if token not in self.kinds:
                    self.kinds[token] = "PointsToken"
                    new.append(token)
        return new

    def _fetch_timestamps(self, raw: list[dict[str, Any]]) -> None:
        missing = []
        for item in raw:
            number = int(item["blockNumber"], 16)
            if number in self.timestamps:
                continue
            stamp = item.get("blockTimestamp")  # newer nodes put it in the log
            if stamp is not None:
                self.timestamps[number] = int(stamp, 16)
            else:
                self.timestamps[number] = -1
                missing.append(number)
        if missing:
            blocks = self.rpc.batch([("eth_getBlockByNumber", [hex(n), False]) for n in missing])
            for number, block in zip(missing, blocks, strict=True):
                self.timestamps[number] = int(block["timestamp"], 16)

    def _fetch_swap_transactions(self, raw: list[dict[str, Any]]) -> None:
        """The transactions that carried swaps or rejections: the orders' deadlines, counters
        and signatures are in their calldata, not in the events."""
        wanted: list[str] = []
        seen: set[str] = set()
        exchange = self.contracts.exchange
        for item in raw:
            topics = item["topics"]
            if (
                topics
                and item["address"].lower() == exchange
                and bytes.fromhex(topics[0][2:]) in CARRY_ORDERS
                and item["transactionHash"] not in seen
            ):
                seen.add(item["transactionHash"])
                wanted.append(item["transactionHash"])
        if wanted:
            found = self.rpc.batch([("eth_getTransactionByHash", [h]) for h in wanted])
            for tx_hash, tx in zip(wanted, found, strict=True):
                self.transactions[bytes.fromhex(tx_hash[2:])] = tx

    def _decode(self, item: dict[str, Any]) -> Log:
        address = item["address"].lower()
        kind = self.kinds[address]
        topics = [bytes.fromhex(t[2:]) for t in item["topics"]]
        data = bytes.fromhex(item["data"][2:])
        number = int(item["blockNumber"], 16)
        entry = self.table[kind].get(topics[0]) if topics else None
        name, args = ("", {}) if entry is None else (entry[0], entry[1](topics, data))
        return Log(
            block_number=number,
            log_index=int(item["logIndex"], 16),
            tx_index=int(item["transactionIndex"], 16),
            block_hash=bytes.fromhex(item["blockHash"][2:]),
            tx_hash=bytes.fromhex(item["transactionHash"][2:]),
            address=address,
            topics=topics,
            data=data,
            timestamp=self.timestamps[number],
            kind=kind,
            name=name,
            args=args,
        )
