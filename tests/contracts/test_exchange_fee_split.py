"""The revenue split of each swap's fee, and the conservation of settlement tokens.

Default shares: platform 4 000, source merchant 2 000, target merchant 2 000, relayer 2 000
bps. Each non-platform share rounds down and the platform takes the remainder; a direct swap
has no relayer, so the relayer's share goes to the platform.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts

SYMBOLS = ("SKYM", "BEAN", "FRESH")


def _credits(platform: Any, tokens: dict[str, Any], payees: list[Any]) -> dict[str, int]:
    credits = {s: int(platform.exchange.market(tokens[s])["feeCredit"]) for s in SYMBOLS}
    credits.update({p.address: int(platform.exchange.payeeCredit(p)) for p in payees})
    return credits


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before[key] for key in after}


def _assert_conserved(platform: Any, tokens: dict[str, Any], payees: list[Any]) -> None:
    """settlementToken.balanceOf(exchange) == Σ settlementBalance + Σ feeCredit + Σ payeeCredit"""
    markets = [platform.exchange.market(tokens[s]) for s in SYMBOLS]
    accounted = sum(int(m["settlementBalance"]) + int(m["feeCredit"]) for m in markets)
    accounted += sum(int(platform.exchange.payeeCredit(p)) for p in payees)
    assert platform.settlement.balanceOf(platform.exchange) == accounted


@pytest.mark.parametrize(
    ("source", "target", "amount_in", "fee", "source_part", "target_part", "relayer_part"),
    [
        # fee 200 (150 + 50 dust): 40 / 40 / 40, platform 80.
        ("SKYM", "BEAN", 5_000, 200, 40, 40, 40),
        # fee 47 (37.04 rounded up to 38, + 9 dust): 9.4 rounds down to 9 three times, the
        # platform takes 47 - 27 = 20.
        ("FRESH", "SKYM", 12_347, 47, 9, 9, 9),
        # fee 4 (3.012 rounded up, no dust): each 20 % share rounds to 0, the platform takes 4.
        ("FRESH", "SKYM", 1_004, 4, 0, 0, 0),
    ],
)
def test_a_relayed_swap_credits_each_payee_its_share_of_the_fee(
    source: str,
    target: str,
    amount_in: int,
    fee: int,
    source_part: int,
    target_part: int,
    relayer_part: int,
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    sign: Any,
    relayer: Any,
    platform_payee: Any,
) -> None:
    owner = {"SKYM": users[0], "BEAN": users[1], "FRESH": users[2]}[source]
    payees = [platform_payee, relayer]
    before = _credits(platform, tokens, payees)
    order = make_order(owner, source, target, amount_in)

    tx = platform.exchange.settle([order.as_tuple()], [sign(owner, order)], {"from": relayer})

    assert tx.events["Swapped"]["fee"] == fee
    expected = {s: 0 for s in SYMBOLS} | {
        source: source_part,
        target: target_part,
        relayer.address: relayer_part,
        platform_payee.address: fee - source_part - target_part - relayer_part,
    }
    assert _delta(_credits(platform, tokens, payees), before) == expected
    _assert_conserved(platform, tokens, payees)


def test_a_direct_swap_gives_the_relayer_share_to_the_platform(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    relayer: Any,
    platform_payee: Any,
) -> None:
    payees = [platform_payee, relayer]
    before = _credits(platform, tokens, payees)
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    platform.exchange.swap(order.as_tuple(), {"from": users[0]})

    assert _delta(_credits(platform, tokens, payees), before) == {
        "SKYM": 40,
        "BEAN": 40,
        "FRESH": 0,
        relayer.address: 0,
        platform_payee.address: 120,
    }


def test_the_relayer_share_goes_to_whichever_relayer_settled(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    sign: Any,
    vote: Any,
    relayer: Any,
) -> None:
    second_relayer = accounts[0]
    vote((platform.exchange, "grantRole", (platform.exchange.RELAYER_ROLE(), second_relayer)))
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    tx = platform.exchange.settle(
        [order.as_tuple()], [sign(users[0], order)], {"from": second_relayer}
    )

    assert tx.events["Swapped"]["relayer"] == second_relayer
    assert platform.exchange.payeeCredit(second_relayer) == 40
    assert platform.exchange.payeeCredit(relayer) == 0


def test_the_split_follows_the_shares_governance_sets(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    sign: Any,
    vote: Any,
    relayer: Any,
    platform_payee: Any,
) -> None:
    vote((platform.exchange, "setFeeShares", ((1_000, 0, 6_000, 3_000),)))
    payees = [platform_payee, relayer]
    before = _credits(platform, tokens, payees)
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    platform.exchange.settle([order.as_tuple()], [sign(users[0], order)], {"from": relayer})

    assert _delta(_credits(platform, tokens, payees), before) == {
        "SKYM": 0,
        "BEAN": 120,
        "FRESH": 0,
        relayer.address: 60,
        platform_payee.address: 20,
    }


def test_settlement_tokens_stay_fully_accounted_for_through_swaps_and_withdrawals(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    admins: dict[str, Any],
    make_order: Any,
    sign: Any,
    relayer: Any,
    platform_payee: Any,
) -> None:
    payees = [platform_payee, relayer]
    exchange = platform.exchange
    _assert_conserved(platform, tokens, payees)
    held = platform.settlement.balanceOf(exchange)

    batch = [
        make_order(users[0], "SKYM", "BEAN", 5_000),
        make_order(users[2], "FRESH", "SKYM", 12_347),
        make_order(users[1], "BEAN", "FRESH", 123),
        make_order(users[0], "FRESH", "BEAN", 9_999),
        make_order(users[0], "SKYM", "SKYM", 1),  # rejected
    ]
    owners = {u.address: u for u in users}
    tx = exchange.settle(
        [o.as_tuple() for o in batch],
        [sign(owners[o.owner], o) for o in batch],
        {"from": relayer},
    )
    assert tx.return_value == 4
    exchange.swap(make_order(users[2], "FRESH", "BEAN", 777).as_tuple(), {"from": users[2]})
    exchange.swap(make_order(users[1], "BEAN", "SKYM", 37).as_tuple(), {"from": users[1]})
    # Swaps only move value between accounts inside the exchange.
    assert platform.settlement.balanceOf(exchange) == held
    _assert_conserved(platform, tokens, payees)

    exchange.withdrawMerchantFees(tokens["SKYM"], admins["SKYM"], {"from": admins["SKYM"]})
    exchange.withdrawPayeeCredit(relayer, {"from": relayer})
    exchange.withdraw(tokens["BEAN"], admins["BEAN"], 12_345, {"from": admins["BEAN"]})
    _assert_conserved(platform, tokens, payees)
