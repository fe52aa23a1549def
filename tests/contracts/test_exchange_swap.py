"""PointsExchange.swap: a user executes its own order directly, no relayer, no signature."""

from __future__ import annotations

from typing import Any

import pytest
from brownie import ZERO_ADDRESS

from tests.contracts.bad_orders import ORDER_CASES, Scene
from tests.helpers import reverts_with
from tongdui.chain.eip712 import order_digest


@pytest.fixture
def scene(
    platform: Any,
    users: list[Any],
    tokens: dict[str, Any],
    admins: dict[str, Any],
    make_order: Any,
    vote: Any,
    domain: Any,
) -> Scene:
    return Scene(platform, users, tokens, admins, make_order, vote, domain)


def test_swap_burns_mints_settles_and_returns_the_amount_out(
    platform: Any,
    tokens: dict[str, Any],
    users: list[Any],
    make_order: Any,
    domain: Any,
) -> None:
    user, exchange = users[0], platform.exchange
    order = make_order(user, "SKYM", "BEAN", 5_000)
    sky_before = exchange.market(tokens["SKYM"])["settlementBalance"]
    bean_before = exchange.market(tokens["BEAN"])["settlementBalance"]
    sky_supply, bean_supply = tokens["SKYM"].totalSupply(), tokens["BEAN"].totalSupply()

    tx = exchange.swap(order.as_tuple(), {"from": user})

    # V = 5 000 x 10 = 50 000 fen; F = 150; floor(49 850 / 100) = 498 BEAN; dust 50 joins the fee.
    assert tx.return_value == 498
    swapped = tx.events["Swapped"]
    assert dict(swapped) == {
        "orderHash": "0x" + order_digest(domain, order).hex(),
        "owner": user.address,
        "fromToken": tokens["SKYM"].address,
        "toToken": tokens["BEAN"].address,
        "nonce": order.nonce,
        "amountIn": 5_000,
        "amountOut": 498,
        "grossValue": 50_000,
        "fee": 200,
        "dust": 50,
        "relayer": ZERO_ADDRESS,
    }
    assert tokens["SKYM"].balanceOf(user) == 45_000
    assert tokens["BEAN"].balanceOf(user) == 498
    assert tokens["SKYM"].totalSupply() == sky_supply - 5_000
    assert tokens["BEAN"].totalSupply() == bean_supply + 498
    assert exchange.market(tokens["SKYM"])["settlementBalance"] == sky_before - 50_000
    assert exchange.market(tokens["BEAN"])["settlementBalance"] == bean_before + 49_800
    assert exchange.isNonceUsed(user, order.nonce)


def test_swap_accepts_an_output_exactly_at_the_minimum(
    platform: Any, users: list[Any], make_order: Any
) -> None:
    order = make_order(users[0], "SKYM", "BEAN", 5_000, min_out=498)

    assert platform.exchange.swap(order.as_tuple(), {"from": users[0]}).return_value == 498


@pytest.mark.parametrize("case", list(ORDER_CASES))
def test_swap_reverts_with_the_error_and_its_arguments(case: str, scene: Scene) -> None:
    bad = ORDER_CASES[case](scene)

    with reverts_with(bad.name, *bad.args):
        scene.platform.exchange.swap(bad.order.as_tuple(), {"from": scene.owner})


@pytest.mark.parametrize("caller", ["relayer", "other_user"])
def test_swap_reverts_unless_the_caller_owns_the_order(
    caller: str, platform: Any, users: list[Any], make_order: Any, relayer: Any
) -> None:
    account = relayer if caller == "relayer" else users[1]
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    with reverts_with("ExchangeNotOwner", account, users[0]):
        platform.exchange.swap(order.as_tuple(), {"from": account})


def test_swap_reverts_while_the_exchange_is_paused(
    platform: Any, users: list[Any], make_order: Any, vote: Any
) -> None:
    vote((platform.exchange, "pause", ()))
    order = make_order(users[0], "SKYM", "BEAN", 5_000)

    with reverts_with("EnforcedPause"):
        platform.exchange.swap(order.as_tuple(), {"from": users[0]})


def test_swap_executes_an_order_once(platform: Any, users: list[Any], make_order: Any) -> None:
    order = make_order(users[0], "SKYM", "BEAN", 5_000)
    platform.exchange.swap(order.as_tuple(), {"from": users[0]})

    with reverts_with("ExchangeNonceUsed", users[0], order.nonce):
        platform.exchange.swap(order.as_tuple(), {"from": users[0]})


def test_swap_reverts_if_the_owner_holds_too_few_points(
    platform: Any, users: list[Any], make_order: Any
) -> None:
    order = make_order(users[0], "SKYM", "BEAN", 50_001)

    with reverts_with("ERC20InsufficientBalance", users[0], 50_000, 50_001):
        platform.exchange.swap(order.as_tuple(), {"from": users[0]})
