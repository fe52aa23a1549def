"""HashedTimelock.claim and refund: who is paid, when, and every settlement refused."""

from __future__ import annotations

from typing import Any

import pytest
from brownie.exceptions import VirtualMachineError

from tests.contracts.htlc_helpers import (
    HASHLOCK,
    SECRET,
    lock_directly,
    pass_timelock,
    reverts_with_now,
    secret,
    terms,
)
from tests.helpers import reverts_with
from tongdui.chain.htlc_eip712 import hashlock_of

OPEN, CLAIMED, REFUNDED = 1, 2, 3
DURATION = 1_800


@pytest.fixture
def opened(htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]) -> tuple[Any, Any]:
    """The bridge's lock of 400 BEAN for users[0] under HASHLOCK: (lock id, its terms)."""
    lock = terms(tokens["BEAN"], bridge, users[0], amount=400, duration=DURATION)
    return lock_directly(htlc, tokens["BEAN"], lock, bridge).return_value, lock


def test_a_claim_pays_only_the_receiver_whoever_submits_it(
    htlc: Any, opened: tuple[Any, Any], tokens: dict[str, Any], users: list[Any], bridge: Any
) -> None:
    lock_id, _ = opened
    bean, stranger = tokens["BEAN"], users[2]
    before = {who: bean.balanceOf(who) for who in (users[0], stranger, bridge)}

    tx = htlc.claim(lock_id, SECRET, {"from": stranger})

    assert tx.events["HtlcClaimed"]["preimage"] == "0x" + SECRET.hex()
    assert bean.balanceOf(users[0]) == before[users[0]] + 400
    assert bean.balanceOf(stranger) == before[stranger]
    assert bean.balanceOf(bridge) == before[bridge]
    assert bean.balanceOf(htlc) == 0
    assert htlc.getLock(lock_id)[7] == CLAIMED


def test_a_claim_with_a_wrong_preimage_is_refused(
    htlc: Any, opened: tuple[Any, Any], users: list[Any]
) -> None:
    lock_id, _ = opened
    wrong = secret(7)

    with reverts_with("HtlcWrongPreimage", lock_id, HASHLOCK, hashlock_of(wrong)):
        htlc.claim(lock_id, wrong, {"from": users[0]})


def test_a_claim_with_the_hashlock_itself_as_preimage_is_refused(
    htlc: Any, opened: tuple[Any, Any], users: list[Any]
) -> None:
    """The hashlock is public from the lock event; only its preimage unlocks."""
    lock_id, _ = opened

    with reverts_with("HtlcWrongPreimage", lock_id, HASHLOCK, hashlock_of(HASHLOCK)):
        htlc.claim(lock_id, HASHLOCK, {"from": users[0]})


def test_a_claim_after_the_timeout_is_refused(
    htlc: Any, opened: tuple[Any, Any], users: list[Any]
) -> None:
    """Past T_B the sender may be refunded at any moment: a claim then would race it."""
    lock_id, lock = opened
    pass_timelock(lock.timelock)

    with reverts_with_now("HtlcExpired", lock_id, lock.timelock, now_at_least=lock.timelock):
        htlc.claim(lock_id, SECRET, {"from": users[0]})


def test_a_refund_before_the_timeout_is_refused(
    htlc: Any, opened: tuple[Any, Any], bridge: Any
) -> None:
    lock_id, lock = opened

    with pytest.raises(VirtualMachineError) as caught:
        htlc.refund(lock_id, {"from": bridge})
    assert str(caught.value.revert_msg).startswith("HtlcNotYetRefundable: ")
    _, timelock, now = str(caught.value.revert_msg).split(": ", 1)[1].split(", ")
    assert int(timelock) == lock.timelock
    assert int(now) < lock.timelock


def test_a_refund_after_the_timeout_pays_the_sender_whoever_submits_it(
    htlc: Any, opened: tuple[Any, Any], tokens: dict[str, Any], users: list[Any], bridge: Any
) -> None:
    lock_id, lock = opened
    bean = tokens["BEAN"]
    pass_timelock(lock.timelock)

    tx = htlc.refund(lock_id, {"from": users[2]})

    assert "HtlcRefunded" in tx.events
    assert bean.balanceOf(bridge) == 10_000
    assert bean.balanceOf(htlc) == 0
    assert htlc.getLock(lock_id)[7] == REFUNDED


def test_a_second_claim_is_refused(htlc: Any, opened: tuple[Any, Any], users: list[Any]) -> None:
    lock_id, _ = opened
    htlc.claim(lock_id, SECRET, {"from": users[0]})

    with reverts_with("HtlcNotOpen", lock_id, CLAIMED):
        htlc.claim(lock_id, SECRET, {"from": users[0]})


def test_a_refund_after_a_claim_is_refused(
    htlc: Any, opened: tuple[Any, Any], users: list[Any], bridge: Any
) -> None:
    """The double spend: the receiver claimed, then the sender waits out the timelock."""
    lock_id, lock = opened
    htlc.claim(lock_id, SECRET, {"from": users[0]})
    pass_timelock(lock.timelock)

    with reverts_with("HtlcNotOpen", lock_id, CLAIMED):
        htlc.refund(lock_id, {"from": bridge})


def test_a_second_refund_is_refused(htlc: Any, opened: tuple[Any, Any], bridge: Any) -> None:
    lock_id, lock = opened
    pass_timelock(lock.timelock)
    htlc.refund(lock_id, {"from": bridge})

    with reverts_with("HtlcNotOpen", lock_id, REFUNDED):
        htlc.refund(lock_id, {"from": bridge})


def test_an_unknown_lock_can_be_neither_claimed_nor_refunded(htlc: Any, users: list[Any]) -> None:
    unknown = "0x" + "ab" * 32

    with reverts_with("HtlcUnknownLock", unknown):
        htlc.claim(unknown, SECRET, {"from": users[0]})
    with reverts_with("HtlcUnknownLock", unknown):
        htlc.refund(unknown, {"from": users[0]})


def test_a_claim_to_a_frozen_receiver_fails_and_the_sender_is_refunded_after_the_timeout(
    htlc: Any,
    opened: tuple[Any, Any],
    tokens: dict[str, Any],
    users: list[Any],
    bridge: Any,
    admins: dict[str, Any],
) -> None:
    """A freeze holds: the points never reach a frozen account, and they are not stuck."""
    lock_id, lock = opened
    bean = tokens["BEAN"]
    bean.setFrozen(users[0], True, {"from": admins["BEAN"]})

    with reverts_with("PointsTokenAccountFrozen", users[0]):
        htlc.claim(lock_id, SECRET, {"from": users[0]})
    pass_timelock(lock.timelock)
    htlc.refund(lock_id, {"from": bridge})

    assert bean.balanceOf(bridge) == 10_000


def test_a_paused_token_holds_claims_until_it_is_unpaused(
    htlc: Any, opened: tuple[Any, Any], tokens: dict[str, Any], users: list[Any], vote: Any
) -> None:
    lock_id, _ = opened
    bean = tokens["BEAN"]
    vote((bean, "pause", ()), text="pause BEAN")

    with reverts_with("EnforcedPause"):
        htlc.claim(lock_id, SECRET, {"from": users[0]})
    assert htlc.getLock(lock_id)[7] == OPEN
    vote((bean, "unpause", ()), text="unpause BEAN")
    htlc.claim(lock_id, SECRET, {"from": users[0]})

    assert htlc.getLock(lock_id)[7] == CLAIMED


def test_a_paused_token_holds_refunds_until_it_is_unpaused(
    htlc: Any, opened: tuple[Any, Any], tokens: dict[str, Any], bridge: Any, vote: Any
) -> None:
    """A refund has no deadline: a pause delays it but cannot void it."""
    lock_id, lock = opened
    bean = tokens["BEAN"]
    vote((bean, "pause", ()), text="pause BEAN")
    pass_timelock(lock.timelock)

    with reverts_with("EnforcedPause"):
        htlc.refund(lock_id, {"from": bridge})
    vote((bean, "unpause", ()), text="unpause BEAN")
    htlc.refund(lock_id, {"from": bridge})

    assert bean.balanceOf(bridge) == 10_000
