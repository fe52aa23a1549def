"""PointsToken: issue, redeem, redeem with consent, EIP-3009 gifting, permit, pause, freeze,
the exchange's burn and mint, the registry's cap and suspension, and roles.

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"].
"""

from __future__ import annotations

import os
from typing import Any

from brownie import accounts, chain
from hexbytes import HexBytes

from tests.helpers import (
    call_failed,
    error_data,
    reverts_with,
    sign_typed,
    signer_of,
    token_domain,
    unauthorized,
)
from tongdui.chain.eip712 import CANCEL_AUTHORIZATION_FIELDS as CANCEL_FIELDS
from tongdui.chain.eip712 import REDEMPTION_FIELDS
from tongdui.chain.eip712 import TRANSFER_WITH_AUTHORIZATION_FIELDS as TRANSFER_FIELDS

ADMIN_ROLE = "0x" + "00" * 32
ZERO_ADDRESS = "0x" + "00" * 20

PERMIT_FIELDS = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]


def _now() -> int:
    """The latest block's time: the next transaction's block.timestamp is at least this."""
    return int(chain[-1].timestamp)


def _next_proposal(platform: Any) -> int:
    return platform.governance.proposalCount() + 1


# ─── signed messages ────────────────────────────────────────────────────────────────────────


def _redemption(token: Any, holder: Any, amount: int, deadline: int, nonce: int | None = None):
    message = {
        "holder": holder.address,
        "amount": amount,
        "nonce": token.consentNonce(holder) if nonce is None else nonce,
        "deadline": deadline,
    }
    return token_domain(token), "Redemption", REDEMPTION_FIELDS, message


def _sign_redemption(token: Any, signer: Any, holder: Any, amount: int, deadline: int) -> bytes:
    return sign_typed(signer.private_key, *_redemption(token, holder, amount, deadline))


def _transfer_authorization(
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
    valid_before = _now() + 3600 if valid_before is None else valid_before
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


def _sign_cancel(token: Any, signer: Any, authorizer: Any, nonce: bytes) -> bytes:
    message = {"authorizer": authorizer.address, "nonce": nonce}
    return sign_typed(
        signer.private_key, token_domain(token), "CancelAuthorization", CANCEL_FIELDS, message
    )


def _permit_message(token: Any, owner: Any, spender: Any, value: int, deadline: int):
    message = {
        "owner": owner.address,
        "spender": spender.address,
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    return token_domain(token), "Permit", PERMIT_FIELDS, message


def _split(signature: bytes) -> tuple[int, bytes, bytes]:
    return signature[64], signature[:32], signature[32:64]


# ─── metadata and roles ─────────────────────────────────────────────────────────────────────


def test_points_are_whole(tokens: dict[str, Any]) -> None:
    for token in tokens.values():
        assert token.decimals() == 0


def test_token_knows_its_name_exchange_and_registry(platform: Any, tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    assert (skym.name(), skym.symbol()) == ("Skyway Airlines Miles", "SKYM")
    assert skym.exchange() == platform.exchange
    assert skym.registry() == platform.registry
    assert skym.issuanceCap() == 100_000_000
    assert not skym.issuanceSuspended()


def test_roles_are_governance_merchant_and_issuer(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym, merchant = tokens["SKYM"], admins["SKYM"]
    assert skym.hasRole(ADMIN_ROLE, platform.governance)
    assert skym.hasRole(skym.MERCHANT_ROLE(), merchant)
    assert skym.hasRole(skym.ISSUER_ROLE(), merchant)
    assert skym.getRoleAdmin(skym.ISSUER_ROLE()) == skym.MERCHANT_ROLE()
    assert skym.getRoleAdmin(skym.MERCHANT_ROLE()) == ADMIN_ROLE
    assert not skym.hasRole(ADMIN_ROLE, platform.registry)
    assert not skym.hasRole(ADMIN_ROLE, accounts[0])


def test_supports_the_points_token_and_access_control_interfaces(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    assert skym.supportsInterface("0x7965db0b")  # IAccessControl
    assert skym.supportsInterface("0x01ffc9a7")  # IERC165
    assert not skym.supportsInterface("0xffffffff")


def test_merchant_grants_the_issuer_role_to_an_issuer_key(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, issuer = tokens["SKYM"], accounts[0]
    skym.grantRole(skym.ISSUER_ROLE(), issuer, {"from": admins["SKYM"]})
    skym.issue(users[1], 10, {"from": issuer})
    assert skym.balanceOf(users[1]) == 10


def test_granting_the_issuer_role_reverts_for_a_non_merchant(tokens: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    with unauthorized(accounts[0], skym.MERCHANT_ROLE()):
        skym.grantRole(skym.ISSUER_ROLE(), accounts[0], {"from": accounts[0]})


def test_granting_the_merchant_role_reverts_for_the_merchant(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        skym.grantRole(skym.MERCHANT_ROLE(), accounts[0], {"from": admins["SKYM"]})


# ─── issue ──────────────────────────────────────────────────────────────────────────────────


def test_issue_mints_points_to_the_holder(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, merchant = tokens["SKYM"], admins["SKYM"]

    tx = skym.issue(users[1], 1_234, {"from": merchant})

    assert tx.events["Issued"]["to"] == users[1]
    assert tx.events["Issued"]["amount"] == 1_234
    assert tx.events["Issued"]["issuer"] == merchant
    assert tx.events["Transfer"]["from"] == ZERO_ADDRESS
    assert skym.balanceOf(users[1]) == 1_234
    assert skym.totalSupply() == 51_234


def test_issue_may_reach_the_cap_exactly(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    vote((platform.registry, "setIssuanceCap", (1, 60_000)))
    tokens["SKYM"].issue(users[1], 10_000, {"from": admins["SKYM"]})
    assert tokens["SKYM"].totalSupply() == 60_000


def test_issue_reverts_above_the_cap(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    with reverts_with("PointsTokenCapExceeded", 100_000_001, 100_000_000):
        tokens["SKYM"].issue(users[1], 99_950_001, {"from": admins["SKYM"]})


def test_issue_reverts_for_a_non_issuer(tokens: dict[str, Any], users: list[Any]) -> None:
    skym = tokens["SKYM"]
    with unauthorized(users[0], skym.ISSUER_ROLE()):
        skym.issue(users[0], 1, {"from": users[0]})


def test_issue_reverts_for_another_merchants_key(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym = tokens["SKYM"]
    with unauthorized(admins["BEAN"], skym.ISSUER_ROLE()):
        skym.issue(users[0], 1, {"from": admins["BEAN"]})


def test_issue_reverts_on_zero(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    with reverts_with("PointsTokenZeroAmount"):
        tokens["SKYM"].issue(users[0], 0, {"from": admins["SKYM"]})


def test_issue_reverts_while_issuance_is_suspended(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    vote((platform.registry, "suspendMerchant", (1,)))
    with reverts_with("PointsTokenIssuanceSuspended"):
        tokens["SKYM"].issue(users[0], 1, {"from": admins["SKYM"]})


def test_issue_reverts_while_paused(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    vote((tokens["SKYM"], "pause", ()))
    with reverts_with("EnforcedPause"):
        tokens["SKYM"].issue(users[0], 1, {"from": admins["SKYM"]})


def test_issue_reverts_to_a_frozen_account(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym = tokens["SKYM"]
    skym.setFrozen(users[0], True, {"from": admins["SKYM"]})
    with reverts_with("PointsTokenAccountFrozen", users[0]):
        skym.issue(users[0], 1, {"from": admins["SKYM"]})


# ─── redeem ─────────────────────────────────────────────────────────────────────────────────


def test_redeem_burns_the_holders_points(tokens: dict[str, Any], users: list[Any]) -> None:
    skym, holder = tokens["SKYM"], users[0]

    tx = skym.redeem(2_000, {"from": holder})

    assert tx.events["Redeemed"]["holder"] == holder
    assert tx.events["Redeemed"]["amount"] == 2_000
    assert tx.events["Redeemed"]["by"] == holder
    assert tx.events["Transfer"]["to"] == ZERO_ADDRESS
    assert skym.balanceOf(holder) == 48_000
    assert skym.totalSupply() == 48_000


def test_redeem_reverts_on_zero(tokens: dict[str, Any], users: list[Any]) -> None:
    with reverts_with("PointsTokenZeroAmount"):
        tokens["SKYM"].redeem(0, {"from": users[0]})


def test_redeem_reverts_above_the_balance(tokens: dict[str, Any], users: list[Any]) -> None:
    with reverts_with("ERC20InsufficientBalance", users[0], 50_000, 50_001):
        tokens["SKYM"].redeem(50_001, {"from": users[0]})


def test_redeem_reverts_for_a_frozen_account(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    tokens["SKYM"].setFrozen(users[0], True, {"from": admins["SKYM"]})
    with reverts_with("PointsTokenAccountFrozen", users[0]):
        tokens["SKYM"].redeem(1, {"from": users[0]})


def test_redeem_reverts_while_paused(tokens: dict[str, Any], users: list[Any], vote: Any) -> None:
    vote((tokens["SKYM"], "pause", ()))
    with reverts_with("EnforcedPause"):
        tokens["SKYM"].redeem(1, {"from": users[0]})


# ─── redeemWithConsent ──────────────────────────────────────────────────────────────────────


def test_redeem_with_consent_burns_the_holders_points_and_uses_a_nonce(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder, merchant = tokens["SKYM"], users[0], admins["SKYM"]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 700, deadline)

    tx = skym.redeemWithConsent(holder, 700, deadline, signature, {"from": merchant})

    assert tx.events["Redeemed"]["holder"] == holder
    assert tx.events["Redeemed"]["amount"] == 700
    assert tx.events["Redeemed"]["by"] == merchant
    assert skym.balanceOf(holder) == 49_300
    assert skym.consentNonce(holder) == 1
    assert skym.nonces(holder) == 0  # the permit nonce is the holder's own


def test_redeem_with_consent_reverts_for_a_non_issuer(
    tokens: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 1, deadline)
    with unauthorized(users[1], skym.ISSUER_ROLE()):
        skym.redeemWithConsent(holder, 1, deadline, signature, {"from": users[1]})


def test_redeem_with_consent_reverts_on_zero(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 0, deadline)
    with reverts_with("PointsTokenZeroAmount"):
        skym.redeemWithConsent(holder, 0, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_after_the_deadline(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() - 1
    signature = _sign_redemption(skym, holder, holder, 5, deadline)
    with reverts_with("PointsTokenExpired", deadline):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder, impostor = tokens["SKYM"], users[0], users[1]
    deadline = _now() + 600
    signature = _sign_redemption(skym, impostor, holder, 5, deadline)
    with reverts_with("PointsTokenInvalidSigner", impostor, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_for_a_different_amount(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 5, deadline)
    recovered = signer_of(signature, *_redemption(skym, holder, 500, deadline))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 500, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_on_a_replayed_signature(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder, merchant = tokens["SKYM"], users[0], admins["SKYM"]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 5, deadline)
    skym.redeemWithConsent(holder, 5, deadline, signature, {"from": merchant})
    # The nonce moved on: the same signature now recovers to an unrelated address.
    recovered = signer_of(signature, *_redemption(skym, holder, 5, deadline, nonce=1))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": merchant})


def test_redeem_with_consent_reverts_under_another_tokens_domain(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, fresh, holder = tokens["SKYM"], tokens["FRESH"], users[0]
    deadline = _now() + 600
    signature = _sign_redemption(fresh, holder, holder, 5, deadline)
    recovered = signer_of(signature, *_redemption(skym, holder, 5, deadline))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_on_a_malformed_signature(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    with reverts_with("PointsTokenInvalidSigner", ZERO_ADDRESS, holder):
        skym.redeemWithConsent(holder, 5, _now() + 600, b"\x01" * 10, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_above_the_balance(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() + 600
    signature = _sign_redemption(skym, holder, holder, 50_001, deadline)
    with reverts_with("ERC20InsufficientBalance", holder, 50_000, 50_001):
        skym.redeemWithConsent(holder, 50_001, deadline, signature, {"from": admins["SKYM"]})


def test_permit_front_run_does_not_void_a_pending_redemption_consent(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = _now() + 600
    redemption = _sign_redemption(skym, holder, holder, 5, deadline)
    permit = sign_typed(holder.private_key, *_permit_message(skym, holder, users[1], 1, deadline))
    skym.permit(holder, users[1], 1, deadline, *_split(permit), {"from": accounts[8]})

    skym.redeemWithConsent(holder, 5, deadline, redemption, {"from": admins["SKYM"]})

    assert skym.balanceOf(holder) == 49_995
    assert (skym.nonces(holder), skym.consentNonce(holder)) == (1, 1)


# ─── transferWithAuthorization ──────────────────────────────────────────────────────────────


def test_transfer_with_authorization_moves_points_for_a_relayer(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender, receiver = tokens["SKYM"], users[0], users[1]
    args, signature = _transfer_authorization(skym, sender, sender, receiver, 321)

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
    valid_after = _now() + 3600
    args, signature = _transfer_authorization(
        skym, users[0], users[0], users[1], 1, valid_after=valid_after, valid_before=valid_after + 1
    )
    with reverts_with("PointsTokenNotYetValid", valid_after):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_at_valid_before(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym = tokens["SKYM"]
    valid_before = _now()
    args, signature = _transfer_authorization(
        skym, users[0], users[0], users[1], 1, valid_before=valid_before
    )
    with reverts_with("PointsTokenExpired", valid_before):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_on_a_used_nonce(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 1)
    skym.transferWithAuthorization(*args, signature, {"from": relayer})
    with reverts_with("PointsTokenAuthorizationUsed", sender, args[-1]):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender, impostor = tokens["SKYM"], users[0], users[1]
    args, signature = _transfer_authorization(skym, impostor, sender, impostor, 1)
    with reverts_with("PointsTokenInvalidSigner", impostor, sender):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_for_another_recipient(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 1)
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
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 50_001)
    with reverts_with("ERC20InsufficientBalance", sender, 50_000, 50_001):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_to_a_frozen_account(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    skym.setFrozen(users[1], True, {"from": admins["SKYM"]})
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 1)
    with reverts_with("PointsTokenAccountFrozen", users[1]):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


def test_transfer_with_authorization_reverts_while_paused(
    tokens: dict[str, Any], users: list[Any], relayer: Any, vote: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    vote((skym, "pause", ()))
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 1)
    with reverts_with("EnforcedPause"):
        skym.transferWithAuthorization(*args, signature, {"from": relayer})


# ─── cancelAuthorization ────────────────────────────────────────────────────────────────────


def test_cancel_authorization_voids_an_unused_nonce(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, sender = tokens["SKYM"], users[0]
    args, transfer_signature = _transfer_authorization(skym, sender, sender, users[1], 1)
    nonce = args[-1]

    tx = skym.cancelAuthorization(
        sender, nonce, _sign_cancel(skym, sender, sender, nonce), {"from": relayer}
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
    args, signature = _transfer_authorization(skym, sender, sender, users[1], 1)
    skym.transferWithAuthorization(*args, signature, {"from": relayer})
    nonce = args[-1]
    with reverts_with("PointsTokenAuthorizationUsed", sender, nonce):
        skym.cancelAuthorization(
            sender, nonce, _sign_cancel(skym, sender, sender, nonce), {"from": relayer}
        )


def test_cancel_authorization_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, authorizer, impostor = tokens["SKYM"], users[0], users[1]
    nonce = os.urandom(32)
    with reverts_with("PointsTokenInvalidSigner", impostor, authorizer):
        skym.cancelAuthorization(
            authorizer, nonce, _sign_cancel(skym, impostor, authorizer, nonce), {"from": relayer}
        )


# ─── permit ─────────────────────────────────────────────────────────────────────────────────


def test_permit_sets_an_allowance_by_signature(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    deadline = _now() + 600
    signature = sign_typed(owner.private_key, *_permit_message(skym, owner, spender, 99, deadline))

    skym.permit(owner, spender, 99, deadline, *_split(signature), {"from": relayer})

    assert skym.allowance(owner, spender) == 99
    assert skym.nonces(owner) == 1


def test_permit_reverts_after_the_deadline(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    deadline = _now() - 1
    signature = sign_typed(owner.private_key, *_permit_message(skym, owner, spender, 1, deadline))
    with reverts_with("ERC2612ExpiredSignature", deadline):
        skym.permit(owner, spender, 1, deadline, *_split(signature), {"from": relayer})


def test_permit_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], users: list[Any], relayer: Any
) -> None:
    skym, owner, impostor = tokens["SKYM"], users[0], users[1]
    deadline = _now() + 600
    message = _permit_message(skym, owner, impostor, 1, deadline)
    signature = sign_typed(impostor.private_key, *message)
    with reverts_with("ERC2612InvalidSigner", impostor, owner):
        skym.permit(owner, impostor, 1, deadline, *_split(signature), {"from": relayer})


# ─── pause and unpause ──────────────────────────────────────────────────────────────────────


def test_pause_by_vote_stops_every_movement(
    platform: Any, tokens: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    tx = vote((skym, "pause", ()))
    assert tx.events["Paused"]["account"] == platform.governance
    assert skym.paused()
    with reverts_with("EnforcedPause"):
        skym.transfer(users[1], 1, {"from": users[0]})


def test_unpause_by_vote_resumes_movements(
    tokens: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    vote((skym, "pause", ()))
    vote((skym, "unpause", ()))
    assert not skym.paused()
    skym.transfer(users[1], 1, {"from": users[0]})
    assert skym.balanceOf(users[1]) == 1


def test_pause_reverts_for_the_merchant(tokens: dict[str, Any], admins: dict[str, Any]) -> None:
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        tokens["SKYM"].pause({"from": admins["SKYM"]})


def test_unpause_reverts_for_the_merchant(
    tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    vote((tokens["SKYM"], "pause", ()))
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        tokens["SKYM"].unpause({"from": admins["SKYM"]})


def test_pause_reverts_while_paused(platform: Any, tokens: dict[str, Any], vote: Any) -> None:
    vote((tokens["SKYM"], "pause", ()))
    with call_failed(_next_proposal(platform), 0, "EnforcedPause"):
        vote((tokens["SKYM"], "pause", ()))


def test_unpause_reverts_unless_paused(platform: Any, tokens: dict[str, Any], vote: Any) -> None:
    with call_failed(_next_proposal(platform), 0, "ExpectedPause"):
        vote((tokens["SKYM"], "unpause", ()))


# ─── setFrozen ──────────────────────────────────────────────────────────────────────────────


def test_merchant_freezes_an_account(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]

    tx = skym.setFrozen(holder, True, {"from": admins["SKYM"]})

    assert tx.events["AccountFrozen"]["account"] == holder
    assert tx.events["AccountFrozen"]["authority"] == 0  # FreezeAuthority.Merchant
    assert tx.events["AccountFrozen"]["frozen"] is True
    assert skym.isFrozen(holder)
    assert skym.freezeOf(holder) == (True, False)
    with reverts_with("PointsTokenAccountFrozen", holder):
        skym.transfer(users[1], 1, {"from": holder})
    with reverts_with("PointsTokenAccountFrozen", holder):
        skym.transfer(holder, 1, {"from": users[1]})


def test_governance_freezes_and_unfreezes_an_account_by_vote(
    tokens: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    vote((skym, "setFrozenByGovernance", (holder, True)))
    assert skym.freezeOf(holder) == (False, True)

    tx = vote((skym, "setFrozenByGovernance", (holder, False)))

    assert tx.events["AccountFrozen"]["authority"] == 1  # FreezeAuthority.Governance
    assert tx.events["AccountFrozen"]["frozen"] is False
    assert not skym.isFrozen(holder)
    skym.transfer(users[1], 1, {"from": holder})


def test_stolen_merchant_key_cannot_lift_a_governance_freeze(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    vote((skym, "setFrozenByGovernance", (holder, True)))

    skym.setFrozen(holder, False, {"from": admins["SKYM"]})

    assert skym.isFrozen(holder)
    assert skym.freezeOf(holder) == (False, True)
    with reverts_with("PointsTokenAccountFrozen", holder):
        skym.transfer(users[1], 50_000, {"from": holder})


def test_governance_release_does_not_lift_the_merchants_own_freeze(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    skym.setFrozen(holder, True, {"from": admins["SKYM"]})
    vote((skym, "setFrozenByGovernance", (holder, True)))

    vote((skym, "setFrozenByGovernance", (holder, False)))

    assert skym.freezeOf(holder) == (True, False)
    skym.setFrozen(holder, False, {"from": admins["SKYM"]})
    assert not skym.isFrozen(holder)


def test_set_frozen_reverts_for_anyone_but_the_merchant(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    with unauthorized(admins["BEAN"], skym.MERCHANT_ROLE()):
        skym.setFrozen(users[0], True, {"from": admins["BEAN"]})
    with unauthorized(users[0], skym.MERCHANT_ROLE()):
        skym.setFrozen(users[0], False, {"from": users[0]})
    with call_failed(
        _next_proposal(platform),
        0,
        "AccessControlUnauthorizedAccount",
        platform.governance,
        skym.MERCHANT_ROLE(),
    ):
        vote((skym, "setFrozen", (users[0], True)))


def test_set_frozen_by_governance_reverts_for_the_merchant(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        tokens["SKYM"].setFrozenByGovernance(users[0], True, {"from": admins["SKYM"]})


# ─── allowances while frozen or paused ──────────────────────────────────────────────────────


def test_frozen_spender_cannot_spend_an_allowance(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    skym.approve(spender, 1_000, {"from": owner})
    skym.setFrozen(spender, True, {"from": admins["SKYM"]})

    with reverts_with("PointsTokenAccountFrozen", spender):
        skym.transferFrom(owner, users[2], 1_000, {"from": spender})
    assert skym.allowance(owner, spender) == 1_000


def test_frozen_owner_cannot_have_an_allowance_spent(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    skym.approve(spender, 1_000, {"from": owner})
    skym.setFrozen(owner, True, {"from": admins["SKYM"]})
    with reverts_with("PointsTokenAccountFrozen", owner):
        skym.transferFrom(owner, spender, 1_000, {"from": spender})


def test_frozen_owner_cannot_approve(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, owner = tokens["SKYM"], users[0]
    skym.setFrozen(owner, True, {"from": admins["SKYM"]})
    with reverts_with("PointsTokenAccountFrozen", owner):
        skym.approve(users[1], 1, {"from": owner})


def test_frozen_owner_cannot_permit(
    tokens: dict[str, Any], users: list[Any], relayer: Any, vote: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    vote((skym, "setFrozenByGovernance", (owner, True)))
    deadline = _now() + 600
    signature = sign_typed(owner.private_key, *_permit_message(skym, owner, spender, 9, deadline))
    with reverts_with("PointsTokenAccountFrozen", owner):
        skym.permit(owner, spender, 9, deadline, *_split(signature), {"from": relayer})


def test_approve_and_permit_revert_while_paused(
    tokens: dict[str, Any], users: list[Any], relayer: Any, vote: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    vote((skym, "pause", ()))
    with reverts_with("EnforcedPause"):
        skym.approve(spender, 1, {"from": owner})
    deadline = _now() + 600
    signature = sign_typed(owner.private_key, *_permit_message(skym, owner, spender, 9, deadline))
    with reverts_with("EnforcedPause"):
        skym.permit(owner, spender, 9, deadline, *_split(signature), {"from": relayer})


# ─── exchangeBurn and exchangeMint ──────────────────────────────────────────────────────────


def test_a_swap_burns_and_mints_through_the_exchange(
    platform: Any, tokens: dict[str, Any], users: list[Any], make_order: Any
) -> None:
    user, skym, bean = users[0], tokens["SKYM"], tokens["BEAN"]
    order = make_order(user, "SKYM", "BEAN", 1_000)

    tx = platform.exchange.swap(order.as_tuple(), {"from": user})

    burned, minted = tx.events["Transfer"][0], tx.events["Transfer"][-1]
    assert (burned.address, burned["from"], burned["to"], burned["value"]) == (
        skym.address,
        user.address,
        ZERO_ADDRESS,
        1_000,
    )
    assert (minted.address, minted["from"], minted["to"]) == (bean.address, ZERO_ADDRESS, user)
    assert skym.totalSupply() == 49_000
    assert bean.balanceOf(user) == minted["value"] > 0


def test_exchange_burn_reverts_for_anyone_but_the_exchange(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    with reverts_with("PointsTokenOnlyExchange", admins["SKYM"]):
        tokens["SKYM"].exchangeBurn(users[0], 1, {"from": admins["SKYM"]})


def test_exchange_mint_reverts_for_anyone_but_the_exchange(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    with reverts_with("PointsTokenOnlyExchange", admins["SKYM"]):
        tokens["SKYM"].exchangeMint(users[0], 1, {"from": admins["SKYM"]})


def test_swap_in_past_the_cap_reverts(
    platform: Any, tokens: dict[str, Any], users: list[Any], make_order: Any, vote: Any
) -> None:
    bean, user = tokens["BEAN"], users[0]
    vote((platform.registry, "setIssuanceCap", (2, 350)))  # BEAN: 300 outstanding
    order = make_order(user, "SKYM", "BEAN", 1_000)  # 10,000 fen: 99 BEAN after the fee

    with reverts_with("PointsTokenCapExceeded", 399, 350):
        platform.exchange.swap(order.as_tuple(), {"from": user})
    assert bean.totalSupply() == 300


def test_swap_ins_past_the_cap_are_rejected_orders_in_a_batch(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    sign: Any,
    relayer: Any,
    vote: Any,
) -> None:
    bean, user = tokens["BEAN"], users[0]
    vote((platform.registry, "setIssuanceCap", (2, 450)))
    fits, past = make_order(user, "SKYM", "BEAN", 1_000), make_order(user, "SKYM", "BEAN", 1_000)

    tx = platform.exchange.settle(
        [fits.as_tuple(), past.as_tuple()], [sign(user, fits), sign(user, past)], {"from": relayer}
    )

    rejected = tx.events["OrderRejected"]
    assert len(rejected) == 1
    assert rejected[0]["nonce"] == past.nonce
    assert HexBytes(rejected[0]["reason"]) == error_data("PointsTokenCapExceeded", 498, 450)[:4]
    assert bean.totalSupply() == 399 <= bean.issuanceCap()


def test_issue_counts_swapped_in_points_against_the_cap(
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    users: list[Any],
    make_order: Any,
    vote: Any,
) -> None:
    bean, user = tokens["BEAN"], users[0]
    vote((platform.registry, "setIssuanceCap", (2, 450)))
    platform.exchange.swap(make_order(user, "SKYM", "BEAN", 1_000).as_tuple(), {"from": user})
    bean.issue(users[1], 51, {"from": admins["BEAN"]})
    with reverts_with("PointsTokenCapExceeded", 451, 450):
        bean.issue(users[1], 1, {"from": admins["BEAN"]})


def test_a_cap_below_the_supply_stops_every_mint_but_not_burns(
    platform: Any, tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    vote((platform.registry, "setIssuanceCap", (1, 10_000)))  # 50,000 outstanding
    with reverts_with("PointsTokenCapExceeded", 50_001, 10_000):
        skym.issue(users[1], 1, {"from": admins["SKYM"]})
    skym.redeem(100, {"from": users[0]})
    assert skym.totalSupply() == 49_900


# ─── issuers ────────────────────────────────────────────────────────────────────────────────


def test_issuers_lists_the_current_issuer_keys(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[0], {"from": admins["SKYM"]})
    assert set(skym.issuers()) == {admins["SKYM"].address, accounts[0].address}
    assert skym.issuerEpoch() == 0


def test_rotation_revokes_issuers_planted_by_stolen_admin(
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    make_order: Any,
    vote: Any,
) -> None:
    skym, stolen_admin = tokens["SKYM"], admins["SKYM"]
    planted, new_admin = accounts[3], accounts[0]
    skym.grantRole(skym.ISSUER_ROLE(), planted, {"from": stolen_admin})
    cover = platform.exchange.market(skym)["settlementBalance"]

    tx = vote((platform.registry, "setMerchantAdmin", (1, new_admin)))

    assert tx.events["IssuersRevoked"]["epoch"] == 1
    assert skym.issuers() == [new_admin]
    assert not skym.hasRole(skym.ISSUER_ROLE(), planted)
    room = skym.issuanceCap() - skym.totalSupply()
    with unauthorized(planted, skym.ISSUER_ROLE()):
        skym.issue(planted, room, {"from": planted})
    # 500,000 SKYM (¥50,000): within the per-user limit on at genesis (¥100,000 a day), so
    # only the missing balance refuses it: the planted key could issue nothing to swap out.
    with reverts_with("ERC20InsufficientBalance", planted, 0, 500_000):
        platform.exchange.swap(
            make_order(planted, "SKYM", "BEAN", 500_000).as_tuple(), {"from": planted}
        )
    assert platform.exchange.market(skym)["settlementBalance"] == cover


def test_governance_revokes_one_issuer_by_vote(
    tokens: dict[str, Any], admins: dict[str, Any], vote: Any
) -> None:
    skym, planted = tokens["SKYM"], accounts[3]
    skym.grantRole(skym.ISSUER_ROLE(), planted, {"from": admins["SKYM"]})

    tx = vote((skym, "revokeIssuer", (planted,)))

    assert tx.events["RoleRevoked"]["account"] == planted
    assert skym.issuers() == [admins["SKYM"]]


def test_governance_revokes_every_issuer_by_vote(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[3], {"from": admins["SKYM"]})

    vote((skym, "revokeAllIssuers", ()))

    assert skym.issuers() == []
    assert skym.issuerEpoch() == 1
    with unauthorized(admins["SKYM"], skym.ISSUER_ROLE()):
        skym.issue(users[1], 1, {"from": admins["SKYM"]})
    skym.grantRole(skym.ISSUER_ROLE(), admins["SKYM"], {"from": admins["SKYM"]})
    skym.issue(users[1], 1, {"from": admins["SKYM"]})


def test_the_merchant_revokes_an_issuer(tokens: dict[str, Any], admins: dict[str, Any]) -> None:
    skym = tokens["SKYM"]
    skym.grantRole(skym.ISSUER_ROLE(), accounts[3], {"from": admins["SKYM"]})
    skym.revokeIssuer(accounts[3], {"from": admins["SKYM"]})
    assert skym.issuers() == [admins["SKYM"]]
    with reverts_with("PointsTokenNotIssuer", accounts[3]):
        skym.revokeIssuer(accounts[3], {"from": admins["SKYM"]})


def test_revoking_issuers_reverts_for_anyone_else(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    skym = tokens["SKYM"]
    with reverts_with("PointsTokenNotMerchantOrGovernance", admins["BEAN"]):
        skym.revokeIssuer(admins["SKYM"], {"from": admins["BEAN"]})
    with unauthorized(admins["SKYM"], ADMIN_ROLE):
        skym.revokeAllIssuers({"from": admins["SKYM"]})


# ─── registry-only: cap and suspension ──────────────────────────────────────────────────────


def test_set_issuance_cap_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].setIssuanceCap(1, {"from": admins["SKYM"]})


def test_set_issuance_cap_reverts_even_for_governance(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    with call_failed(_next_proposal(platform), 0, "PointsTokenOnlyRegistry", platform.governance):
        vote((tokens["SKYM"], "setIssuanceCap", (1,)))


def test_set_issuance_suspended_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].setIssuanceSuspended(True, {"from": admins["SKYM"]})


def test_rotate_merchant_admin_reverts_for_anyone_but_the_registry(
    tokens: dict[str, Any], admins: dict[str, Any]
) -> None:
    with reverts_with("PointsTokenOnlyRegistry", admins["SKYM"]):
        tokens["SKYM"].rotateMerchantAdmin(admins["SKYM"], accounts[0], {"from": admins["SKYM"]})


def test_the_registry_suspends_and_resumes_issuance(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    skym = tokens["SKYM"]
    tx = vote((platform.registry, "suspendMerchant", (1,)))
    assert tx.events["IssuanceSuspended"]["suspended"] is True
    assert skym.issuanceSuspended()
    vote((platform.registry, "reinstateMerchant", (1,)))
    assert not skym.issuanceSuspended()
