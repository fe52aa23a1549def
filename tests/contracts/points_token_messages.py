"""Signed messages and small reads shared by the PointsToken tests (test_points_token_*.py):
the EIP-712 field lists of Redemption, TransferWithAuthorization, CancelAuthorization and
Permit, and helpers that sign them as a wallet would."""

from __future__ import annotations

import os
from typing import Any

from brownie import chain

from tests.helpers import sign_typed, token_domain

ADMIN_ROLE = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20

REDEMPTION_FIELDS = [
    {"name": "holder", "type": "address"},
    {"name": "amount", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
TRANSFER_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]
CANCEL_FIELDS = [
    {"name": "authorizer", "type": "address"},
    {"name": "nonce", "type": "bytes32"},
]
PERMIT_FIELDS = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def now() -> int:
    """The latest block's time: the next transaction's block.timestamp is at least this."""
    return int(chain[-1].timestamp)


def next_proposal(platform: Any) -> int:
    return platform.governance.proposalCount() + 1


# ─── signed messages ────────────────────────────────────────────────────────────────────────


def redemption(token: Any, holder: Any, amount: int, deadline: int, nonce: int | None = None):
    message = {
        "holder": holder.address,
        "amount": amount,
        "nonce": token.consentNonce(holder) if nonce is None else nonce,
        "deadline": deadline,
    }
    return token_domain(token), "Redemption", REDEMPTION_FIELDS, message


def sign_redemption(token: Any, signer: Any, holder: Any, amount: int, deadline: int) -> bytes:
    return sign_typed(signer.private_key, *redemption(token, holder, amount, deadline))


def transfer_authorization(
    token: Any,
    signer: Any,
    sender: Any,
    to: Any,
    value: int,
    valid_after: int = 0,
    valid_before: int | None = None,
    nonce: bytes | None = None,
) -> tuple[tuple[Any, ...], bytes]:
    """(arguments of transferWithAuthorization without the signature, signature)."""
    valid_before = now() + 3600 if valid_before is None else valid_before
    nonce = os.urandom(32) if nonce is None else nonce
    message = {
        "from": sender.address,
        "to": to.address,
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    domain = token_domain(token)
    kind = "TransferWithAuthorization"
    signature = sign_typed(signer.private_key, domain, kind, TRANSFER_FIELDS, message)
    return (sender, to, value, valid_after, valid_before, nonce), signature


def sign_cancel(token: Any, signer: Any, authorizer: Any, nonce: bytes) -> bytes:
    message = {"authorizer": authorizer.address, "nonce": nonce}
    return sign_typed(
        signer.private_key, token_domain(token), "CancelAuthorization", CANCEL_FIELDS, message
    )


def permit_message(token: Any, owner: Any, spender: Any, value: int, deadline: int):
    message = {
        "owner": owner.address,
        "spender": spender.address,
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    return token_domain(token), "Permit", PERMIT_FIELDS, message


def split(signature: bytes) -> tuple[int, bytes, bytes]:
    return signature[64], signature[:32], signature[32:64]
