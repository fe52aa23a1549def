"""PointsToken: the exchange's exchangeBurn and exchangeMint, and the issuance cap on swapped-in
points.

Seeded holdings: users[0] 50 000 SKYM and 20 000 FRESH, users[1] 300 BEAN, users[2] 80 000
FRESH. SKYM's cap is 100 000 000 and its operator key is admins["SKYM"]. The signed
messages and their fields are in points_token_messages.py.
"""

from __future__ import annotations

from typing import Any

from hexbytes import HexBytes

from tests.contracts.points_token_messages import ZERO_ADDRESS
from tests.helpers import error_data, reverts_with

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
