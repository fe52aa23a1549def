"""PointsToken: EIP-3009 gifting (transferWithAuthorization, cancelAuthorization) and permit.

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"]. The signed
messages and their fields are in points_token_messages.py.
"""

from __future__ import annotations

import os
from typing import Any

from tests.contracts.points_token_messages import (
    TRANSFER_FIELDS,
    now,
    permit_message,
    sign_cancel,
    split,
    transfer_authorization,
)
from tests.helpers import reverts_with, sign_typed, signer_of, token_domain

# ─── transferWithAuthorization ──────────────────────────────────────────────────────────────


def test_transfer_with_authorization_moves_points_for_a_relayer(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender, receiver = tokens["SKYM"], users[0], users[1]
    args, signature = transfer_authorization(skym, sender, sender, receiver, 321)

    tx = skym.transferWithAuthorization(*args, signature, {"from": relayer})

    nonce = args[-1]
    assert tx.events["AuthorizationUsed"]["authorizer"] == sender
    assert tx.events["AuthorizationUsed"]["nonce"] == "0x" + nonce.hex()
    assert tx.events["Transfer"]["value"] == 321
    assert skym.balanceOf(sender) == 49_679
    assert skym.balanceOf(receiver) == 321
    assert skym.authorizationState(sender, nonce)


def test_transfer_with_authorization_reverts_before_valid_after(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym = tokens["SKYM"]
    valid_after = now() + 3600
    args, signature = transfer_authorization(
        skym, users[0], users[0], users[1], 1, valid_after=valid_after, valid_before=valid_after + 1
    )
    with reverts_with("PointsTokenNotYetValid", valid_after):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_at_valid_before(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym = tokens["SKYM"]
    valid_before = now()
    args, signature = transfer_authorization(
        skym, users[0], users[0], users[1], 1, valid_before=valid_before
    )
    with reverts_with("PointsTokenExpired", valid_before):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_on_a_used_nonce(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = transfer_authorization(skym, sender, sender, users[1], 1)
    skym.transferWithAuthorization(*args, signature, {"from": relayer})
    with reverts_with("PointsTokenAuthorizationUsed", sender, args[-1]):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender, impostor = tokens["SKYM"], users[0], users[1]
    args, signature = transfer_authorization(skym, impostor, sender, impostor, 1)
    with reverts_with("PointsTokenInvalidSigner", impostor, sender):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_for_another_recipient(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = transfer_authorization(skym, sender, sender, users[1], 1)
    tampered = (sender, users[2], *args[2:])
    value, valid_after, valid_before, nonce = args[2:]
    message = {
        "from": sender.address,
        "to": users[2].address,
        "value": value,
        "validAfter": valid_after,
        "validBefore": valid_before,
        "nonce": nonce,
    }
    recovered = signer_of(
        signature, token_domain(skym), "TransferWithAuthorization", TRANSFER_FIELDS, message
    )
    with reverts_with("PointsTokenInvalidSigner", recovered, sender):
        skym.transferWithAuthorization(*tampered, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_above_the_balance(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = transfer_authorization(skym, sender, sender, users[1], 50_001)
    with reverts_with("ERC20InsufficientBalance", sender, 50_000, 50_001):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_to_a_frozen_account(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    skym.setFrozen(users[1], True, {"from": admins["SKYM"]})
    args, signature = transfer_authorization(skym, sender, sender, users[1], 1)
    with reverts_with("PointsTokenAccountFrozen", users[1]):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_while_paused(
    tokens: dict[str, Any], users: list[Any], relayer: Any, vote: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    vote((skym, "pause", ()))
    args, signature = transfer_authorization(skym, sender, sender, users[1], 1)
    with reverts_with("EnforcedPause"):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


# ─── cancelAuthorization ────────────────────────────────────────────────────────────────────


def test_cancel_authorization_voids_an_unused_nonce(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, transfer_signature = transfer_authorization(skym, sender, sender, users[1], 1)
    nonce = args[-1]

    tx = skym.cancelAuthorization(
        sender, nonce, sign_cancel(skym, sender, sender, nonce), {"from": relayer}
    )

    assert tx.events["AuthorizationCanceled"]["authorizer"] == sender
    assert tx.events["AuthorizationCanceled"]["nonce"] == "0x" + nonce.hex()
    assert "AuthorizationUsed" not in tx.events  # EIP-3009: a cancel is not a use
    assert skym.authorizationState(sender, nonce)
    with reverts_with("PointsTokenAuthorizationUsed", sender, nonce):
        skym.transferWithAuthorization(*args, transfer_signature, {"from": relayer})


def test_cancel_authorization_reverts_on_a_used_nonce(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = transfer_authorization(skym, sender, sender, users[1], 1)
    skym.transferWithAuthorization(*args, signature, {"from": relayer})
    nonce = args[-1]
    with reverts_with("PointsTokenAuthorizationUsed", sender, nonce):
        skym.cancelAuthorization(
            sender, nonce, sign_cancel(skym, sender, sender, nonce), {"from": relayer}
        )


def test_cancel_authorization_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, authorizer, impostor = tokens["SKYM"], users[0], users[1]
    nonce = os.urandom(32)
    with reverts_with("PointsTokenInvalidSigner", impostor, authorizer):
        skym.cancelAuthorization(
            authorizer, nonce, sign_cancel(skym, impostor, authorizer, nonce), {"from": relayer}
        )


# ─── permit ─────────────────────────────────────────────────────────────────────────────────


def test_permit_sets_an_allowance_by_signature(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    deadline = now() + 600
    signature = sign_typed(owner.private_key, *permit_message(skym, owner, spender, 99, deadline))

    skym.permit(owner, spender, 99, deadline, *split(signature), {"from": relayer})

    assert skym.allowance(owner, spender) == 99
    assert skym.nonces(owner) == 1


def test_permit_reverts_after_the_deadline(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    deadline = now() - 1
    signature = sign_typed(owner.private_key, *permit_message(skym, owner, spender, 1, deadline))
    with reverts_with("ERC2612ExpiredSignature", deadline):
        skym.permit(owner, spender, 1, deadline, *split(signature), {"from": relayer})


def test_permit_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, impostor = tokens["SKYM"], users[0], users[1]
    deadline = now() + 600
    message = permit_message(skym, owner, impostor, 1, deadline)
    signature = sign_typed(impostor.private_key, *message)
    with reverts_with("ERC2612InvalidSigner", impostor, owner):
        skym.permit(owner, impostor, 1, deadline, *split(signature), {"from": relayer})
