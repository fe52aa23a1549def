"""PointsToken: points that expire (issue 16, SPEC16 section 1).

Balances are held by expiry key (a month index); debits take the earliest unexpired key first,
transfers carry the keys, mints take the key of the merchant's rule, expired points are not
spendable and are burned by a sweep (on the next debit or by anyone's `sweepExpired`).

Seeded holdings (rule: never expires, key 0xFFFF): users[0] 50 000 SKYM and 20 000 FRESH,
users[1] 300 BEAN, users[2] 80 000 FRESH. SKYM's operator key is admins["SKYM"]. The chain's
clock starts at the wall clock; tests move it with `at` (evm_setNextBlockTimestamp) so a
transaction lands exactly on an expiry boundary.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, chain, web3

from tests.contracts.points_token_expiry_model import (
    NEVER,
    NO_EXPIRY,
    expiry_of,
    key_for,
    month_of,
)
from tests.contracts.points_token_messages import ZERO_ADDRESS
from tests.helpers import reverts_with, unauthorized


def latest() -> int:
    return int(chain[-1].timestamp)


def at(timestamp: int) -> None:
    """The next transaction's block gets exactly this timestamp."""
    web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])


def mine_at(timestamp: int) -> None:
    """Mines an empty block at `timestamp`, so views see that time."""
    web3.provider.make_request("evm_mine", [timestamp])


def buckets(token: Any, holder: Any) -> list[tuple[int, int]]:
    keys, amounts = token.bucketsOf(holder)
    return list(zip(keys, amounts, strict=True))


@pytest.fixture
def skym(tokens: dict[str, Any]) -> Any:
    return tokens["SKYM"]


@pytest.fixture
def admin(admins: dict[str, Any]) -> Any:
    return admins["SKYM"]


@pytest.fixture
def holder() -> Any:
    return accounts[1]


@pytest.fixture
def friend() -> Any:
    return accounts[2]


@pytest.fixture
def as_exchange(platform: Any) -> Any:
    """The exchange's address as a sender (anvil impersonation), for the exchange hooks."""
    address = platform.exchange.address
    web3.provider.make_request("anvil_impersonateAccount", [address])
    web3.provider.make_request("anvil_setBalance", [address, hex(10**18)])
    return accounts.at(address, force=True)


def issue_with_rule(token: Any, admin: Any, holder: Any, amount: int, rule: tuple[int, int]) -> int:
    """Sets the rule, issues `amount` to `holder`; returns the key the points got."""
    token.setExpiryRule(*rule, {"from": admin})
    tx = token.issue(holder, amount, {"from": admin})
    return key_for(tx.timestamp, *rule)


# ─── the rule and the key math ──────────────────────────────────────────────────────────────


def test_points_never_expire_by_default(skym: Any, users: list[Any]) -> None:
    assert tuple(skym.expiryRule()) == (0, 0)
    assert skym.currentKey() == NEVER
    assert buckets(skym, users[0]) == [(NEVER, 50_000)]
    assert skym.expiredBalanceOf(users[0]) == 0
    assert skym.expiryOf(NEVER) == NO_EXPIRY


def test_the_merchant_sets_the_rule_and_the_event_says_so(skym: Any, admin: Any) -> None:
    tx = skym.setExpiryRule(24, 3, {"from": admin})

    assert tx.events["ExpiryRuleChanged"] == {"validityMonths": 24, "roundingMonths": 3}
    assert tuple(skym.expiryRule()) == (24, 3)
    assert skym.currentKey() == key_for(latest(), 24, 3)


def test_the_spec_example_gives_key_707_expiring_on_new_year_2029(skym: Any) -> None:
    issued = 1_796_256_000  # 2026-12-02 00:00 UTC
    assert month_of(issued) == 683
    assert key_for(issued, 24, 3) == 707
    assert skym.expiryOf(707) == expiry_of(707) == 1_861_920_000  # 2029-01-01


@pytest.mark.parametrize("rounding", [1, 3, 6, 12])
def test_every_rounding_gives_the_key_the_model_gives(skym: Any, admin: Any, rounding: int) -> None:
    skym.setExpiryRule(13, rounding, {"from": admin})
    key = skym.currentKey()
    assert key == key_for(latest(), 13, rounding)
    assert (key + 1) % rounding == 0


def test_a_zero_validity_rule_means_never_again(skym: Any, admin: Any, holder: Any) -> None:
    skym.setExpiryRule(6, 1, {"from": admin})
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 10, {"from": admin})
    assert skym.currentKey() == NEVER
    assert buckets(skym, holder) == [(NEVER, 10)]


def test_set_expiry_rule_reverts_for_anyone_but_the_merchant(skym: Any, holder: Any) -> None:
    with unauthorized(holder, skym.MERCHANT_ROLE()):
        skym.setExpiryRule(12, 1, {"from": holder})


@pytest.mark.parametrize("rule", [(12, 0), (12, 2), (12, 4), (12, 24), (1_201, 1), (0, 5)])
def test_set_expiry_rule_reverts_for_a_rule_out_of_range(
    skym: Any, admin: Any, rule: tuple[int, int]
) -> None:
    with reverts_with("PointsTokenInvalidExpiryRule", *rule):
        skym.setExpiryRule(*rule, {"from": admin})


def test_the_longest_validity_is_accepted(skym: Any, admin: Any) -> None:
    skym.setExpiryRule(1_200, 12, {"from": admin})
    assert skym.currentKey() == key_for(latest(), 1_200, 12) < NEVER


@pytest.mark.parametrize("key", [1, 11, 12, 25, 359, 683, 707, 1_000, 12_345, 65_534])
def test_expiry_of_is_the_first_of_the_next_month(skym: Any, key: int) -> None:
    assert skym.expiryOf(key) == expiry_of(key)


# ─── FIFO, keys carried, sorted inserts ─────────────────────────────────────────────────────


def test_a_debit_takes_the_earliest_key_first(skym: Any, admin: Any, holder: Any) -> None:
    short = issue_with_rule(skym, admin, holder, 100, (1, 1))
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 50, {"from": admin})
    assert buckets(skym, holder) == [(short, 100), (NEVER, 50)]

    skym.redeem(120, {"from": holder})

    assert buckets(skym, holder) == [(NEVER, 30)]
    assert skym.balanceOf(holder) == 30


def test_a_transfer_gives_the_receiver_the_senders_keys(
    skym: Any, admin: Any, holder: Any, friend: Any
) -> None:
    early = issue_with_rule(skym, admin, holder, 100, (1, 1))
    late = issue_with_rule(skym, admin, holder, 100, (12, 12))
    skym.transfer(friend, 150, {"from": holder})

    assert buckets(skym, friend) == [(early, 100), (late, 50)]
    assert buckets(skym, holder) == [(late, 50)]


def test_a_mint_after_a_shorter_rule_lands_before_the_tail(
    skym: Any, admin: Any, holder: Any
) -> None:
    long_key = issue_with_rule(skym, admin, holder, 10, (36, 12))
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 20, {"from": admin})  # NEVER is the tail
    mid_key = issue_with_rule(skym, admin, holder, 30, (24, 3))
    short_key = issue_with_rule(skym, admin, holder, 40, (1, 1))
    again = issue_with_rule(skym, admin, holder, 5, (24, 3))

    assert short_key < mid_key == again < long_key < NEVER
    assert buckets(skym, holder) == [(short_key, 40), (mid_key, 35), (long_key, 10), (NEVER, 20)]
    assert skym.balanceOf(holder) == 105


def test_a_key_between_middle_buckets_is_inserted_in_order(
    skym: Any, admin: Any, holder: Any, as_exchange: Any
) -> None:
    now_key = month_of(latest())
    for key in (now_key + 50, now_key + 10, now_key + 40, now_key + 20, now_key + 30, NEVER):
        skym.exchangeMintWithKey(holder, 1, key, {"from": as_exchange})
    skym.exchangeMintWithKey(holder, 2, now_key + 30, {"from": as_exchange})
    skym.exchangeMintWithKey(holder, 3, now_key + 35, {"from": as_exchange})

    got = buckets(skym, holder)
    assert [k for k, _ in got] == sorted(k for k, _ in got)
    assert dict(got) == {
        now_key + 10: 1,
        now_key + 20: 1,
        now_key + 30: 3,
        now_key + 35: 3,
        now_key + 40: 1,
        now_key + 50: 1,
        NEVER: 1,
    }
    skym.redeem(6, {"from": holder})  # the first three buckets, then one of the fourth
    assert buckets(skym, holder)[:2] == [(now_key + 35, 2), (now_key + 40, 1)]


# ─── expiry at the month boundary, sweeps ──────────────────────────────────────────────────


def test_points_are_spendable_until_the_last_second_of_their_month(
    skym: Any, admin: Any, holder: Any, friend: Any
) -> None:
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    at(skym.expiryOf(key) - 1)
    skym.transfer(friend, 10, {"from": holder})
    assert buckets(skym, friend) == [(key, 10)]


def test_points_expire_exactly_at_the_start_of_the_next_month(
    skym: Any, admin: Any, holder: Any, friend: Any
) -> None:
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    at(skym.expiryOf(key))
    with reverts_with("ERC20InsufficientBalance", holder, 0, 1):
        skym.transfer(friend, 1, {"from": holder})


def test_expired_points_leave_the_balance_but_not_the_supply(
    skym: Any, admin: Any, holder: Any
) -> None:
    supply = skym.totalSupply()
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    chain.sleep(skym.expiryOf(key) - latest() + 1)
    chain.mine()

    assert skym.balanceOf(holder) == 0
    assert skym.expiredBalanceOf(holder) == 100
    assert skym.totalSupply() == supply + 100
    assert buckets(skym, holder) == [(key, 100)]


def test_sweep_expired_burns_them_with_both_events(
    skym: Any, admin: Any, holder: Any, friend: Any
) -> None:
    supply = skym.totalSupply()
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 7, {"from": admin})
    at(skym.expiryOf(key))

    tx = skym.sweepExpired(holder, {"from": friend})

    assert tx.return_value == 100
    assert tx.events["PointsExpired"] == {"holder": holder, "key": key, "amount": 100}
    assert tx.events["Transfer"] == {"from": holder, "to": ZERO_ADDRESS, "value": 100}
    assert skym.totalSupply() == supply + 7
    assert skym.expiredBalanceOf(holder) == 0
    assert buckets(skym, holder) == [(NEVER, 7)]


def test_sweep_expired_with_nothing_expired_changes_nothing(
    skym: Any, users: list[Any], friend: Any
) -> None:
    tx = skym.sweepExpired(users[0], {"from": friend})
    assert tx.return_value == 0
    assert "PointsExpired" not in tx.events
    assert skym.totalSupply() == 50_000


def test_a_debit_sweeps_the_expired_head_first(
    skym: Any, admin: Any, holder: Any, friend: Any
) -> None:
    supply = skym.totalSupply()
    first = issue_with_rule(skym, admin, holder, 100, (1, 1))
    second = issue_with_rule(skym, admin, holder, 40, (1, 3))
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 7, {"from": admin})
    assert first < second
    at(skym.expiryOf(second))

    tx = skym.transfer(friend, 5, {"from": holder})

    assert [dict(e) for e in tx.events["PointsExpired"]] == [
        {"holder": holder, "key": first, "amount": 100},
        {"holder": holder, "key": second, "amount": 40},
    ]
    transfers = [dict(e) for e in tx.events["Transfer"]]
    assert transfers == [
        {"from": holder, "to": ZERO_ADDRESS, "value": 100},
        {"from": holder, "to": ZERO_ADDRESS, "value": 40},
        {"from": holder, "to": friend, "value": 5},
    ]
    assert skym.totalSupply() == supply + 7
    assert buckets(skym, holder) == [(NEVER, 2)]
    assert buckets(skym, friend) == [(NEVER, 5)]


def test_a_self_transfer_needs_spendable_points_and_moves_nothing(
    skym: Any, admin: Any, holder: Any
) -> None:
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    at(skym.expiryOf(key))
    with reverts_with("ERC20InsufficientBalance", holder, 0, 1):
        skym.transfer(holder, 1, {"from": holder})
    tx = skym.transfer(holder, 0, {"from": holder})
    assert "PointsExpired" not in tx.events
    assert buckets(skym, holder) == [(key, 100)]


def test_sweep_expired_reverts_while_paused(
    platform: Any, skym: Any, holder: Any, vote: Any
) -> None:
    vote((skym, "pause", ()))
    with reverts_with("EnforcedPause"):
        skym.sweepExpired(holder, {"from": holder})


def test_sweep_expired_reverts_for_a_frozen_holder(skym: Any, admin: Any, holder: Any) -> None:
    skym.setFrozen(holder, True, {"from": admin})
    with reverts_with("PointsTokenAccountFrozen", holder):
        skym.sweepExpired(holder, {"from": admin})


def test_a_redeem_sweeps_and_reports_the_spendable_balance_when_short(
    skym: Any, admin: Any, holder: Any
) -> None:
    key = issue_with_rule(skym, admin, holder, 100, (1, 1))
    skym.setExpiryRule(0, 0, {"from": admin})
    skym.issue(holder, 30, {"from": admin})
    at(skym.expiryOf(key))
    with reverts_with("ERC20InsufficientBalance", holder, 30, 31):
        skym.redeem(31, {"from": holder})


# ─── the exchange hooks ─────────────────────────────────────────────────────────────────────


def test_exchange_burn_returns_the_earliest_key_it_consumed(
    skym: Any, admin: Any, holder: Any, as_exchange: Any
) -> None:
    key = issue_with_rule(skym, admin, holder, 100, (2, 1))
    tx = skym.exchangeBurn(holder, 60, {"from": as_exchange})
    assert tx.return_value == key
    assert buckets(skym, holder) == [(key, 40)]


def test_exchange_burn_of_never_expiring_points_returns_never(
    skym: Any, users: list[Any], as_exchange: Any
) -> None:
    tx = skym.exchangeBurn(users[0], 1, {"from": as_exchange})
    assert tx.return_value == NEVER


def test_exchange_mint_with_key_restores_an_old_key(
    skym: Any, holder: Any, as_exchange: Any
) -> None:
    key = month_of(latest()) + 2
    tx = skym.exchangeMintWithKey(holder, 70, key, {"from": as_exchange})
    assert tx.events["Transfer"] == {"from": ZERO_ADDRESS, "to": holder, "value": 70}
    assert buckets(skym, holder) == [(key, 70)]
    assert skym.balanceOf(holder) == 70


def test_exchange_mint_with_an_expired_key_arrives_expired(
    skym: Any, holder: Any, as_exchange: Any
) -> None:
    supply = skym.totalSupply()
    key = month_of(latest()) - 1
    skym.exchangeMintWithKey(holder, 70, key, {"from": as_exchange})
    assert skym.balanceOf(holder) == 0
    assert skym.expiredBalanceOf(holder) == 70
    assert skym.totalSupply() == supply + 70


def test_exchange_mint_with_key_zero_reverts(skym: Any, holder: Any, as_exchange: Any) -> None:
    with reverts_with("PointsTokenInvalidExpiryKey", 0):
        skym.exchangeMintWithKey(holder, 1, 0, {"from": as_exchange})


def test_exchange_mint_with_key_reverts_for_anyone_but_the_exchange(
    skym: Any, admin: Any, holder: Any
) -> None:
    with reverts_with("PointsTokenOnlyExchange", admin):
        skym.exchangeMintWithKey(holder, 1, 700, {"from": admin})


def test_exchange_mint_with_key_respects_the_cap(skym: Any, holder: Any, as_exchange: Any) -> None:
    cap, supply = skym.issuanceCap(), skym.totalSupply()
    with reverts_with("PointsTokenCapExceeded", cap + 1, cap):
        skym.exchangeMintWithKey(holder, cap - supply + 1, 700, {"from": as_exchange})


def test_a_swap_carries_no_key_across_tokens_the_target_rule_gives_it(
    platform: Any,
    tokens: dict[str, Any],
    admins: dict[str, Any],
    users: list[Any],
    make_order: Any,
) -> None:
    bean = tokens["BEAN"]
    bean.setExpiryRule(12, 1, {"from": admins["BEAN"]})
    tx = platform.exchange.swap(
        make_order(users[0], "SKYM", "BEAN", 1_000).as_tuple(), {"from": users[0]}
    )
    out = tx.events["Swapped"]["amountOut"]
    assert buckets(bean, users[0]) == [(key_for(tx.timestamp, 12, 1), out)]


# ─── the cap's width ────────────────────────────────────────────────────────────────────────


def test_a_cap_above_2_104_is_refused(platform: Any, vote: Any, users: list[Any]) -> None:
    from tests.contracts.points_token_messages import next_proposal
    from tests.helpers import call_failed

    too_big = 2**104
    with call_failed(next_proposal(platform), 0, "PointsTokenCapTooLarge", too_big, too_big - 1):
        vote((platform.registry, "setIssuanceCap", (1, too_big)))


def test_the_largest_cap_is_accepted(platform: Any, vote: Any, tokens: dict[str, Any]) -> None:
    vote((platform.registry, "setIssuanceCap", (1, 2**104 - 1)))
    assert tokens["SKYM"].issuanceCap() == 2**104 - 1
