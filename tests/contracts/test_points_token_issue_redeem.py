"""PointsToken: issue, redeem and redeemWithConsent.

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"]. The signed
messages and their fields are in points_token_messages.py.
"""

from __future__ import annotations

from typing import Any

from brownie import accounts

from tests.contracts.points_token_messages import (
    ZERO_ADDRESS,
    now,
    permit_message,
    redemption,
    sign_redemption,
    split,
)
from tests.helpers import reverts_with, sign_typed, signer_of, unauthorized

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
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 700, deadline)

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
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 1, deadline)
    with unauthorized(users[1], skym.ISSUER_ROLE()):
        skym.redeemWithConsent(holder, 1, deadline, signature, {"from": users[1]})


def test_redeem_with_consent_reverts_on_zero(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 0, deadline)
    with reverts_with("PointsTokenZeroAmount"):
        skym.redeemWithConsent(holder, 0, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_after_the_deadline(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = now() - 1
    signature = sign_redemption(skym, holder, holder, 5, deadline)
    with reverts_with("PointsTokenExpired", deadline):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_if_signed_by_someone_else(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder, impostor = tokens["SKYM"], users[0], users[1]
    deadline = now() + 600
    signature = sign_redemption(skym, impostor, holder, 5, deadline)
    with reverts_with("PointsTokenInvalidSigner", impostor, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_for_a_different_amount(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 5, deadline)
    recovered = signer_of(signature, *redemption(skym, holder, 500, deadline))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 500, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_on_a_replayed_signature(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder, merchant = tokens["SKYM"], users[0], admins["SKYM"]
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 5, deadline)
    skym.redeemWithConsent(holder, 5, deadline, signature, {"from": merchant})
    # The nonce moved on: the same signature now recovers to an unrelated address.
    recovered = signer_of(signature, *redemption(skym, holder, 5, deadline, nonce=1))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": merchant})


def test_redeem_with_consent_reverts_under_another_tokens_domain(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, fresh, holder = tokens["SKYM"], tokens["FRESH"], users[0]
    deadline = now() + 600
    signature = sign_redemption(fresh, holder, holder, 5, deadline)
    recovered = signer_of(signature, *redemption(skym, holder, 5, deadline))
    with reverts_with("PointsTokenInvalidSigner", recovered, holder):
        skym.redeemWithConsent(holder, 5, deadline, signature, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_on_a_malformed_signature(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    with reverts_with("PointsTokenInvalidSigner", ZERO_ADDRESS, holder):
        skym.redeemWithConsent(holder, 5, now() + 600, b"\x01" * 10, {"from": admins["SKYM"]})


def test_redeem_with_consent_reverts_above_the_balance(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = now() + 600
    signature = sign_redemption(skym, holder, holder, 50_001, deadline)
    with reverts_with("ERC20InsufficientBalance", holder, 50_000, 50_001):
        skym.redeemWithConsent(holder, 50_001, deadline, signature, {"from": admins["SKYM"]})


def test_permit_front_run_does_not_void_a_pending_redemption_consent(
    tokens: dict[str, Any], admins: dict[str, Any], users: list[Any]
) -> None:
    skym, holder = tokens["SKYM"], users[0]
    deadline = now() + 600
    redemption = sign_redemption(skym, holder, holder, 5, deadline)
    permit = sign_typed(holder.private_key, *permit_message(skym, holder, users[1], 1, deadline))
    skym.permit(holder, users[1], 1, deadline, *split(permit), {"from": accounts[8]})

    skym.redeemWithConsent(holder, 5, deadline, redemption, {"from": admins["SKYM"]})

    assert skym.balanceOf(holder) == 49_995
    assert (skym.nonces(holder), skym.consentNonce(holder)) == (1, 1)
