"""HashedTimelock.lock: what a lock holds and says, and every lock the contract refuses."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from brownie import HashedTimelock, accounts, chain
from hexbytes import HexBytes

from tests.contracts.conftest import HTLC_MARGIN, HTLC_MAX_LOCK, HTLC_MIN_LOCK
from tests.contracts.htlc_helpers import (
    HASHLOCK,
    SECRET,
    lock_directly,
    reverts_starting,
    stored_lock,
    terms,
)
from tests.helpers import reverts_with
from tongdui.chain.htlc_eip712 import lock_id

OPEN, CLAIMED = 1, 2


def test_a_lock_holds_the_senders_points_and_says_so_in_an_event(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    bean = tokens["BEAN"]
    lock = terms(bean, bridge, users[0], amount=250, counterpart=chain.time() + 7_200)
    supply = bean.totalSupply()

    tx = lock_directly(htlc, bean, lock, bridge)

    event = tx.events["HtlcLocked"]
    assert HexBytes(event["lockId"]) == lock_id(chain.id, htlc.address, lock)
    assert (event["token"], event["sender"], event["receiver"]) == (
        bean.address,
        bridge.address,
        users[0].address,
    )
    assert (event["amount"], HexBytes(event["hashlock"])) == (250, HASHLOCK)
    assert (event["timelock"], event["counterpartTimelock"]) == (
        lock.timelock,
        lock.counterpart_timelock,
    )
    assert bean.balanceOf(htlc) == 250
    assert bean.balanceOf(bridge) == 9_750
    assert bean.totalSupply() == supply  # nothing minted or burned
    assert stored_lock(htlc, tx.return_value) == (
        bean.address,
        bridge.address,
        users[0].address,
        250,
        HASHLOCK,
        lock.timelock,
        lock.counterpart_timelock,
        OPEN,
    )


def test_a_restarted_coordinator_finds_its_lock_by_sender_and_hashlock(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0])
    expected = htlc.computeLockId(lock.as_tuple())

    lock_directly(htlc, tokens["BEAN"], lock, bridge)

    assert HexBytes(htlc.lockIdOf(bridge, HASHLOCK)) == HexBytes(expected)
    assert HexBytes(expected) == lock_id(chain.id, htlc.address, lock)
    assert htlc.hashlockUsed(bridge, HASHLOCK)
    assert not htlc.hashlockUsed(users[0], HASHLOCK)


def test_a_lock_of_an_unregistered_token_is_refused(
    htlc: Any, platform: Any, users: list[Any], settler: Any
) -> None:
    """The settlement token is an ERC-20 of the platform but not a points token."""
    settlement = platform.settlement
    lock = terms(settlement, settler, users[0])

    with reverts_with("HtlcTokenNotRegistered", settlement):
        lock_directly(htlc, settlement, lock, settler)


def test_a_lock_of_zero_points_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    with reverts_with("HtlcZeroAmount"):
        lock_directly(htlc, tokens["BEAN"], terms(tokens["BEAN"], bridge, users[0], 0), bridge)


def test_a_lock_paying_the_zero_address_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, "0x" + "00" * 20)

    with reverts_with("HtlcZeroReceiver"):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)


def test_a_timelock_sooner_than_the_minimum_duration_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0], duration=HTLC_MIN_LOCK - 30)

    with reverts_starting("HtlcTimelockOutOfRange", lock.timelock):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)


def test_a_timelock_later_than_the_maximum_duration_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0], duration=HTLC_MAX_LOCK + 60)

    with reverts_starting("HtlcTimelockOutOfRange", lock.timelock):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)


def test_a_lock_whose_counterpart_expires_within_the_margin_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    """T_A − T_B below the margin: the bridge could see the secret too late to claim on A."""
    lock = terms(tokens["BEAN"], bridge, users[0], duration=1_800)
    short = lock.timelock + HTLC_MARGIN - 1
    lock = replace(lock, counterpart_timelock=short)

    with reverts_with("HtlcMarginTooSmall", lock.timelock, short, HTLC_MARGIN):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)


def test_a_lock_whose_counterpart_expires_before_it_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0], duration=1_800)
    earlier = lock.timelock - 1
    lock = replace(lock, counterpart_timelock=earlier)

    with reverts_with("HtlcMarginTooSmall", lock.timelock, earlier, HTLC_MARGIN):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)


def test_a_lock_whose_counterpart_expires_exactly_the_margin_later_is_accepted(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0])
    lock = replace(lock, counterpart_timelock=lock.timelock + HTLC_MARGIN)

    tx = lock_directly(htlc, tokens["BEAN"], lock, bridge)

    assert tx.events["HtlcLocked"]["counterpartTimelock"] == lock.timelock + HTLC_MARGIN


def test_reusing_a_hashlock_whose_preimage_is_public_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    """Once claimed, the preimage is on chain: a second lock under it could be taken by
    anyone, so the sender may never open one."""
    bean = tokens["BEAN"]
    first = lock_directly(htlc, bean, terms(bean, bridge, users[0]), bridge).return_value
    htlc.claim(first, SECRET, {"from": users[0]})
    assert htlc.getLock(first)[7] == CLAIMED

    with reverts_with("HtlcHashlockUsed", bridge, HASHLOCK):
        lock_directly(htlc, bean, terms(bean, bridge, users[1], amount=7), bridge)


def test_another_senders_lock_under_the_same_hashlock_cannot_block_the_bridge(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    """Griefing: someone who saw the hashlock on the other chain locks 1 point under it first.
    Hashlocks are single use per sender, so the bridge's own lock still goes through."""
    skym, bean = tokens["SKYM"], tokens["BEAN"]
    lock_directly(htlc, skym, terms(skym, users[0], users[0], amount=1), users[0])

    tx = lock_directly(htlc, bean, terms(bean, bridge, users[0]), bridge)

    assert tx.events["HtlcLocked"]["sender"] == bridge.address


def test_a_lock_from_a_frozen_account_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any], admins: dict[str, Any]
) -> None:
    bean = tokens["BEAN"]
    bean.approve(htlc, 100, {"from": bridge})
    bean.setFrozen(bridge, True, {"from": admins["BEAN"]})
    lock = terms(bean, bridge, users[0])

    with reverts_with("PointsTokenAccountFrozen", bridge):
        htlc.lock(bean, users[0], 100, HASHLOCK, lock.timelock, 0, {"from": bridge})


def test_a_lock_of_a_paused_token_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any], vote: Any
) -> None:
    bean = tokens["BEAN"]
    bean.approve(htlc, 100, {"from": bridge})
    vote((bean, "pause", ()), text="pause BEAN")
    lock = terms(bean, bridge, users[0])

    with reverts_with("EnforcedPause"):
        htlc.lock(bean, users[0], 100, HASHLOCK, lock.timelock, 0, {"from": bridge})


def test_a_lock_beyond_the_allowance_is_refused_by_the_token(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    bean = tokens["BEAN"]
    bean.approve(htlc, 99, {"from": bridge})
    lock = terms(bean, bridge, users[0])

    with reverts_with("ERC20InsufficientAllowance", htlc, 99, 100):
        htlc.lock(bean, users[0], 100, HASHLOCK, lock.timelock, 0, {"from": bridge})


def test_an_htlc_whose_minimum_duration_exceeds_its_maximum_cannot_be_deployed(
    platform: Any,
) -> None:
    with reverts_with("HtlcInvalidDurations", 600, 60):
        HashedTimelock.deploy(platform.registry, 600, 60, 0, {"from": accounts[0]})


def test_an_htlc_with_no_minimum_duration_cannot_be_deployed(platform: Any) -> None:
    """A zero minimum would let a lock expire in the block that opens it."""
    with reverts_with("HtlcInvalidDurations", 0, 60):
        HashedTimelock.deploy(platform.registry, 0, 60, 0, {"from": accounts[0]})


def test_a_lock_beyond_what_a_lock_holds_is_refused(
    htlc: Any, bridge: Any, tokens: dict[str, Any], users: list[Any]
) -> None:
    lock = terms(tokens["BEAN"], bridge, users[0], amount=2**96)

    with reverts_with("HtlcAmountTooLarge", 2**96, 2**96 - 1):
        lock_directly(htlc, tokens["BEAN"], lock, bridge)
