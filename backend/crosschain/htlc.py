"""``HashedTimelock`` as the coordinator sees it: lock ids, hashlocks, the EIP-712 ``Lock``
the user signs, and the lock's state read from the chain.

The lock id is computed here exactly as the contract does
(``keccak256(abi.encode(chainid, htlc, token, sender, receiver, amount, hashlock, timelock))``),
so the coordinator knows both legs' ids before any transaction exists and can ask the chain
"is this lock there, and in what state?" before every action: that question is what makes a
restarted coordinator never send an action twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract
from web3.exceptions import BadFunctionCallOutput
from web3.types import BlockIdentifier

from ..chain.eip712 import DOMAIN_FIELDS

HTLC_DOMAIN_NAME = "Tongdui HTLC"
HTLC_DOMAIN_VERSION = "1"

LOCK_FIELDS: list[dict[str, str]] = [
    {"name": "token", "type": "address"},
    {"name": "sender", "type": "address"},
    {"name": "receiver", "type": "address"},
    {"name": "amount", "type": "uint256"},
    {"name": "hashlock", "type": "bytes32"},
    {"name": "timelock", "type": "uint64"},
    {"name": "counterpartTimelock", "type": "uint64"},
    {"name": "deadline", "type": "uint256"},
]


class LockState(IntEnum):
    NONE = 0
    OPEN = 1
    CLAIMED = 2
    REFUNDED = 3


@dataclass(frozen=True)
class LockTerms:
    """One leg's lock, as the contract stores it (and hashes it into the lock id)."""

    chain_id: int
    htlc: str
    token: str
    sender: str
    receiver: str
    amount: int
    hashlock: bytes
    timelock: int
    counterpart_timelock: int

    def lock_id(self) -> bytes:
        return keccak(
            encode(
                [
                    "uint256",
                    "address",
                    "address",
                    "address",
                    "address",
                    "uint256",
                    "bytes32",
                    "uint64",
                ],
                [
                    self.chain_id,
                    to_checksum_address(self.htlc),
                    to_checksum_address(self.token),
                    to_checksum_address(self.sender),
                    to_checksum_address(self.receiver),
                    self.amount,
                    self.hashlock,
                    self.timelock,
                ],
            )
        )

    def as_tuple(self) -> tuple[str, str, str, int, bytes, int, int]:
        """The ``LockTerms`` struct argument of ``lockWithSig``."""
        return (
            to_checksum_address(self.token),
            to_checksum_address(self.sender),
            to_checksum_address(self.receiver),
            self.amount,
            self.hashlock,
            self.timelock,
            self.counterpart_timelock,
        )


def hashlock_of(secret: bytes) -> bytes:
    """The contract's ``sha256(abi.encodePacked(preimage))`` of a 32-byte secret."""
    if len(secret) != 32:
        raise ValueError("the secret is 32 bytes")
    return hashlib.sha256(secret).digest()


def lock_typed_data(terms: LockTerms, deadline: int) -> dict[str, Any]:
    """What the wallet passes to ``eth_signTypedData_v4`` for a gasless lock on A."""
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, "Lock": LOCK_FIELDS},
        "primaryType": "Lock",
        "domain": {
            "name": HTLC_DOMAIN_NAME,
            "version": HTLC_DOMAIN_VERSION,
            "chainId": terms.chain_id,
            "verifyingContract": to_checksum_address(terms.htlc),
        },
        "message": {
            "token": to_checksum_address(terms.token),
            "sender": to_checksum_address(terms.sender),
            "receiver": to_checksum_address(terms.receiver),
            "amount": terms.amount,
            "hashlock": "0x" + terms.hashlock.hex(),
            "timelock": terms.timelock,
            "counterpartTimelock": terms.counterpart_timelock,
            "deadline": deadline,
        },
    }


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
