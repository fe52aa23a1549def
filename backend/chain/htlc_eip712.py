"""The HTLC's EIP-712 ``Lock`` type, its lock id and hashlock, defined once on the Python side.

The Solidity twin is ``contracts/libraries/HtlcLib.sol``;
``tests/contracts/test_htlc_lock_with_sig.py`` proves both give the same digest and lock id.
A wallet signs ``Lock`` under the HTLC's own domain (``Tongdui HTLC``, version 1), so a
signature made for one chain's HTLC is void on the other chain of the swap.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_utils import keccak

from .eip712 import Domain, _type_string, digest, sign_digest, typed_data

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
LOCK_TYPEHASH = keccak(_type_string("Lock", LOCK_FIELDS))


def htlc_domain(chain_id: int, htlc: str) -> Domain:
    """The HTLC's EIP-712 domain on one chain."""
    return Domain(
        chain_id=chain_id,
        verifying_contract=htlc,
        name=HTLC_DOMAIN_NAME,
        version=HTLC_DOMAIN_VERSION,
    )


def hashlock_of(preimage: bytes) -> bytes:
    """``sha256(preimage)``, as the contract checks it; the preimage is exactly 32 bytes."""
    if len(preimage) != 32:
        raise ValueError("an HTLC preimage is exactly 32 bytes")
    return hashlib.sha256(preimage).digest()


@dataclass(frozen=True, slots=True)
class LockTerms:
    """The terms of one lock (``IHashedTimelock.LockTerms``)."""

    token: str
    sender: str
    receiver: str
    amount: int
    hashlock: bytes
    timelock: int
    counterpart_timelock: int = 0

    def as_tuple(self) -> tuple[str, str, str, int, bytes, int, int]:
        """The struct as a contract call takes it."""
        return (
            self.token,
            self.sender,
            self.receiver,
            self.amount,
            self.hashlock,
            self.timelock,
            self.counterpart_timelock,
        )

    def as_message(self, deadline: int) -> dict[str, Any]:
        return {
            "token": self.token,
            "sender": self.sender,
            "receiver": self.receiver,
            "amount": self.amount,
            "hashlock": "0x" + self.hashlock.hex(),
            "timelock": self.timelock,
            "counterpartTimelock": self.counterpart_timelock,
            "deadline": deadline,
        }

    def struct_hash(self, deadline: int) -> bytes:
        return keccak(
            encode(
                [
                    "bytes32",
                    *("address", "address", "address", "uint256", "bytes32"),
                    *("uint64", "uint64", "uint256"),
                ],
                [LOCK_TYPEHASH, *self.as_tuple(), deadline],
            )
        )


def lock_digest(domain: Domain, terms: LockTerms, deadline: int) -> bytes:
    """The digest the sender signs (equal to the contract's ``lockDigest``)."""
    return digest(domain, terms.struct_hash(deadline))


def sign_lock(private_key: bytes | str, domain: Domain, terms: LockTerms, deadline: int) -> bytes:
    """Signs ``terms`` as ``eth_signTypedData_v4`` would."""
    return sign_digest(private_key, lock_digest(domain, terms, deadline))


def lock_typed_data(domain: Domain, terms: LockTerms, deadline: int) -> dict[str, Any]:
    """The full typed-data document a wallet signs for ``terms``."""
    return typed_data(domain, "Lock", LOCK_FIELDS, terms.as_message(deadline))


def lock_id(chain_id: int, htlc: str, terms: LockTerms) -> bytes:
    """The id the contract gives a lock with ``terms`` (``computeLockId``)."""
    return keccak(
        encode(
            ["uint256", "address", "address", "address", "address", "uint256", "bytes32", "uint64"],
            [
                chain_id,
                htlc,
                terms.token,
                terms.sender,
                terms.receiver,
                terms.amount,
                terms.hashlock,
                terms.timelock,
            ],
        )
    )
