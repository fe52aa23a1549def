"""The history digest: one hash that two auditors on two nodes of the same chain can compare.

It is a hash chain over every log of the platform's contracts (the five deployed contracts and
every merchant's points token), taken in (blockNumber, logIndex) order from the deployment
block up to and including the audited block. To reimplement it::

    h_0 = 0x00…00                                   (32 zero bytes)
    h_i = keccak256( h_{i-1}                         32 bytes
                   ‖ uint256(chainId)                32 bytes, big-endian
                   ‖ uint256(blockNumber)            32 bytes
                   ‖ blockHash                       32 bytes
                   ‖ transactionHash                 32 bytes
                   ‖ uint256(logIndex)               32 bytes (index within the block)
                   ‖ address                         20 bytes (the emitting contract)
                   ‖ uint256(len(topics))            32 bytes
                   ‖ topics[0] ‖ … ‖ topics[n-1]     32 bytes each
                   ‖ uint256(len(data))              32 bytes
                   ‖ data )                          the log's data, as is
    digest = h_N  (N = number of logs; h_0 when there are none)

In Solidity terms: ``keccak256(abi.encodePacked(prev, chainId, blockNumber, blockHash, txHash,
logIndex, emitter, topics.length, topics, data.length, data))`` with every integer a uint256.
The chain id keeps two chains apart; the block hash binds the digest to one fork (all nodes of
one chain agree on it, a reorg changes it); lengths make the packing unambiguous. The digest
does not depend on the node, the chunk size of ``eth_getLogs`` or the auditor's software.
"""

from __future__ import annotations

from .decode import Log
from .hashing import keccak256

ZERO = b"\x00" * 32


def _u256(value: int) -> bytes:
    return value.to_bytes(32, "big")


class HistoryDigest:
    """The running hash chain; ``update`` once per log, in order."""

    def __init__(self, chain_id: int) -> None:
        self.chain_id = _u256(chain_id)
        self.value = ZERO
        self.count = 0

    def update(self, log: Log) -> None:
        self.value = keccak256(
            b"".join(
                (
                    self.value,
                    self.chain_id,
                    _u256(log.block_number),
                    log.block_hash,
                    log.tx_hash,
                    _u256(log.log_index),
                    bytes.fromhex(log.address[2:]),
                    _u256(len(log.topics)),
                    *log.topics,
                    _u256(len(log.data)),
                    log.data,
                )
            )
        )
        self.count += 1

    def hex(self) -> str:
        return "0x" + self.value.hex()
