"""How much work the relayer keeps in flight: what the next ``BLOCKS_AHEAD`` blocks can hold.

Why gas, not a count per key: a block takes a transaction only while the gas left in it is at
least the transaction's gas limit (geth's miner and anvil alike), so the gas the relayer
*reserves* (the limit it signs), not the gas a batch will use, decides how many of its
transactions fit in a block; and the block gas limit changes with the chain (a consortium sets
``--miner.gaslimit``, and geth moves towards it block by block), so it is read from the head
block every few seconds (``keys.GAS_LIMIT_SECONDS``), not configured.

Why two blocks ahead: the block being built and the one after it. With less, a block can be
sealed while the room for the next batch is still held by a transaction already mined (its
receipt is read on the next pass), and goes out emptier than it could; with more, nothing is
mined sooner (a block holds what it holds) while orders wait in the node's pool instead of the
relayer's queue, where they would have joined a fuller batch, and a stalled transaction (a
nonce gap, a reorg) strands more orders behind it. Since a block gives back the gas a
transaction did not use, two blocks of reserved gas is about one block of used gas at the
relayer's reservation (140k per order against ~55k used warm, ~98k cold: snapshots/gas.json):
enough to fill the next block, not more.

A transaction whose receipt the relayer has seen (``block_number`` set) counts no more even
before it is final: it holds no room in a future block.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCKS_AHEAD = 2


@dataclass
class GasBudget:
    """The block gas limit last read and what it allows (unknown: anything, until read)."""

    blocks_ahead: int = BLOCKS_AHEAD
    block_gas_limit: int | None = None

    @property
    def limit(self) -> int | None:
        """The most reserved gas all keys together may have in flight."""
        if self.block_gas_limit is None:
            return None
        return self.blocks_ahead * self.block_gas_limit

    def allows(self, in_flight: int, gas: int) -> bool:
        """True if a transaction reserving ``gas`` may join ``in_flight`` reserved gas."""
        limit = self.limit
        return limit is None or in_flight + gas <= limit

    def batch_size(self, base: int, per_item: int, wanted: int) -> int:
        """At most ``wanted`` items, and no more than one block holds: a transaction whose gas
        limit exceeds the block's is refused by the node, and never mined."""
        if self.block_gas_limit is None:
            return wanted
        return max(1, min(wanted, (self.block_gas_limit - base) // per_item))
