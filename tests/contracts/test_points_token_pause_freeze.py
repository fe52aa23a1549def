"""PointsToken: pause and unpause by vote, setFrozen by the merchant and by governance, and
allowances while frozen or paused.

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"]. The signed
messages and their fields are in points_token_messages.py.
"""

from __future__ import annotations

from typing import Any

from tests.contracts.points_token_messages import (
    ADMIN_ROLE,
    next_proposal,
    now,
    permit_message,
    split,
)
from tests.helpers import call_failed, reverts_with, sign_typed, unauthorized

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
    with call_failed(next_proposal(platform), 0, "EnforcedPause"):
        vote((tokens["SKYM"], "pause", ()))


def test_unpause_reverts_unless_paused(platform: Any, tokens: dict[str, Any], vote: Any) -> None:
    with call_failed(next_proposal(platform), 0, "ExpectedPause"):
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
        next_proposal(platform),
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
    deadline = now() + 600
    signature = sign_typed(owner.private_key, *permit_message(skym, owner, spender, 9, deadline))
    with reverts_with("PointsTokenAccountFrozen", owner):
        skym.permit(owner, spender, 9, deadline, *split(signature), {"from": relayer})


def test_approve_and_permit_revert_while_paused(
    tokens: dict[str, Any], users: list[Any], relayer: Any, vote: Any
) -> None:
    skym, owner, spender = tokens["SKYM"], users[0], users[1]
    vote((skym, "pause", ()))
    with reverts_with("EnforcedPause"):
        skym.approve(spender, 1, {"from": owner})
    deadline = now() + 600
    signature = sign_typed(owner.private_key, *permit_message(skym, owner, spender, 9, deadline))
    with reverts_with("EnforcedPause"):
        skym.permit(owner, spender, 9, deadline, *split(signature), {"from": relayer})
