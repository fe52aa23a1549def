"""How many blocks to ask a node for at once, sized by the logs the last ask returned.

Why: a fixed block count is 600k logs in one ``eth_getLogs`` answer on a chain of dense blocks
(1M swaps settled 100 to a block), which timed the node out, and one log on a quiet chain. The
indexer, the audit's log reader and the benchmark's web3 baseline all page the same way.
"""

from __future__ import annotations

FIRST_CHUNK_BLOCKS = 100  # the first ask, before anything is known about the chain's density
CHUNK_EVENTS = 20_000  # logs per chunk aimed at: one getLogs answer, one indexer transaction


def next_chunk_size(size: int, events: int, most: int) -> int:
    """The next chunk's size in blocks: shrunk so it holds about CHUNK_EVENTS events when the
    last one held more, doubled (up to ``most``) when it held under a quarter of that."""
    if events > CHUNK_EVENTS:
        return max(1, size * CHUNK_EVENTS // events)
    if events < CHUNK_EVENTS // 4:
        return min(most, size * 2)
    return size
