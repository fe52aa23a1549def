"""``HashedTimelock`` as the coordinator sees it: lock ids, hashlocks, the EIP-712 ``Lock``
the user signs, and the lock's state read from the chain.

The lock id is computed here exactly as the contract does
(``keccak256(abi.encode(chainid, htlc, token, sender, receiver, amount, hashlock, timelock))``),
so the coordinator knows both legs' ids before any transaction exists and can ask the chain
"is this lock there, and in what state?" before every action: that question is what makes a
restarted coordinator never send an action twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from eth_utils import to_checksum_address
from web3.contract import Contract
from web3.exceptions import BadFunctionCallOutput
from web3.types import BlockIdentifier

from ..chain.htlc_eip712 import LockTerms as SignedTerms
from ..chain.htlc_eip712 import hashlock_of, htlc_domain
from ..chain.htlc_eip712 import lock_id as computed_lock_id
from ..chain.htlc_eip712 import lock_typed_data as signed_typed_data

__all__ = ["LockState", "LockTerms", "LockView", "hashlock_of", "lock_typed_data", "read_lock"]


class LockState(IntEnum):
    NONE = 0
    OPEN = 1
    CLAIMED = 2
    REFUNDED = 3


@dataclass(frozen=True)
class LockTerms:
    """One leg's lock, as the contract stores it: the signed terms (``chain.htlc_eip712``,
    the one Python home of the ``Lock`` type) and where they live (chain and HTLC)."""

    chain_id: int
    htlc: str
    token: str
    sender: str
    receiver: str
    amount: int
    hashlock: bytes
    timelock: int
    counterpart_timelock: int

    def signed(self) -> SignedTerms:
        """The ``IHashedTimelock.LockTerms`` struct these terms are (addresses checksummed)."""
        return SignedTerms(
            to_checksum_address(self.token),
            to_checksum_address(self.sender),
            to_checksum_address(self.receiver),
            self.amount,
            self.hashlock,
            self.timelock,
            self.counterpart_timelock,
        )

    def lock_id(self) -> bytes:
        return computed_lock_id(self.chain_id, to_checksum_address(self.htlc), self.signed())

    def as_tuple(self) -> tuple[str, str, str, int, bytes, int, int]:
        """The ``LockTerms`` struct argument of ``lockWithSig``."""
        return self.signed().as_tuple()


def lock_typed_data(terms: LockTerms, deadline: int) -> dict[str, Any]:
    """What the wallet passes to ``eth_signTypedData_v4`` for a gasless lock on A."""
    domain = htlc_domain(terms.chain_id, to_checksum_address(terms.htlc))
    return signed_typed_data(domain, terms.signed(), deadline)


@dataclass(frozen=True)
class LockView:
    state: LockState
    timelock: int
    amount: int
    receiver: str


def read_lock(htlc: Contract, lock_id: bytes, block: BlockIdentifier = "latest") -> LockView:
    """The lock's state at ``block`` (``getLock``; an unknown id reads as NONE, and so does
    every id at a block before the contract existed)."""
    try:
        raw = htlc.functions.getLock(lock_id).call(block_identifier=block)
    except BadFunctionCallOutput:
        return LockView(LockState.NONE, 0, 0, "")
    # (token, sender, receiver, amount, hashlock, timelock, counterpartTimelock, state)
    return LockView(LockState(int(raw[7])), int(raw[5]), int(raw[3]), str(raw[2]))
