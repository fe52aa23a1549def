"""PointsExchange.settle and executeBatchOrder: a relayer's batch of signed orders.

Each bad order is rejected with `OrderRejected(orderHash, owner, nonce, reason)`, where
`reason` is its error's selector, and leaves no trace; the good orders around it settle.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, web3
from hexbytes import HexBytes

from tests.contracts.bad_orders import (
    ORDER_CASES,
    SIGNATURE_CASES,
    BadOrder,
    Scene,
    below_min_amount_out,
    cancelled_nonce,
    expired,
    future_counter,
    malformed_signature,
    paused_token,
    same_token,
    tampered_order,
    unknown_market,
    wrong_signer,
    zero_amount,
    zero_output,
)
from tests.helpers import reverts_with, unauthorized
from tongdui.chain.eip712 import SwapOrder, order_digest, sign_order


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


@pytest.fixture
def good_orders(users: list[Any], make_order: Any) -> list[SwapOrder]:
    """Two orders that settle: 1 000 SKYM → 99 BEAN and 10 BEAN → 99 SKYM."""
    return [make_order(users[0], "SKYM", "BEAN", 1_000), make_order(users[1], "BEAN", "SKYM", 10)]


def _signed(scene: Scene, orders: list[SwapOrder | BadOrder]) -> tuple[list[Any], list[bytes]]:
    owners = {user.address: user for user in scene.users}
    tuples, signatures = [], []
    for item in orders:
        if isinstance(item, BadOrder):
            order = item.order
            signature = item.signed_by_owner(owners[order.owner], scene.domain)
        else:
            order, signature = item, sign_order(owners[item.owner].private_key, scene.domain, item)
        tuples.append(order.as_tuple())
        signatures.append(signature)
    return tuples, signatures


def _rejections(tx: Any) -> list[tuple[HexBytes, str, int, HexBytes]]:
    if "OrderRejected" not in tx.events:
        return []
    return [
        (HexBytes(e["orderHash"]), e["owner"], e["nonce"], HexBytes(e["reason"]))
        for e in tx.events["OrderRejected"]
    ]


def _settled_nonces(tx: Any) -> list[int]:
    return [e["nonce"] for e in tx.events["Swapped"]] if "Swapped" in tx.events else []


def test_settle_settles_every_good_order_and_returns_how_many(
    platform: Any,
    scene: Scene,
    tokens: dict[str, Any],
    users: list[Any],
    good_orders: list[SwapOrder],
    relayer: Any,
) -> None:
    orders, signatures = _signed(scene, good_orders)

    tx = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert tx.return_value == 2
    assert _rejections(tx) == []
    swapped = tx.events["Swapped"]
    assert [e["nonce"] for e in swapped] == [o.nonce for o in good_orders]
    assert [e["amountOut"] for e in swapped] == [99, 99]
    assert all(e["relayer"] == relayer for e in swapped)
    assert HexBytes(swapped[0]["orderHash"]) == HexBytes(order_digest(scene.domain, good_orders[0]))
    assert tokens["SKYM"].balanceOf(users[0]) == 49_000
    assert tokens["BEAN"].balanceOf(users[0]) == 99
    assert tokens["BEAN"].balanceOf(users[1]) == 290
    assert tokens["SKYM"].balanceOf(users[1]) == 99
    assert all(platform.exchange.isNonceUsed(o.owner, o.nonce) for o in good_orders)


@pytest.mark.parametrize("case", [*ORDER_CASES, *SIGNATURE_CASES])
def test_settle_rejects_a_bad_order_with_its_error_selector_and_settles_the_others(
    case: str,
    platform: Any,
    scene: Scene,
    tokens: dict[str, Any],
    good_orders: list[SwapOrder],
    relayer: Any,
) -> None:
    bad = {**ORDER_CASES, **SIGNATURE_CASES}[case](scene)
    owner = scene.owner
    fresh_before, sky_before = tokens["FRESH"].balanceOf(owner), tokens["SKYM"].balanceOf(owner)
    nonce_used_before = platform.exchange.isNonceUsed(owner, bad.order.nonce)
    orders, signatures = _signed(scene, [good_orders[0], bad, good_orders[1]])

    tx = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert bad.selector == web3.keccak(text=bad.error)[:4]
    assert _rejections(tx) == [
        (
            HexBytes(order_digest(scene.domain, bad.order)),
            owner.address,
            bad.order.nonce,
            HexBytes(bad.selector),
        )
    ]
    assert tx.return_value == 2
    assert _settled_nonces(tx) == [good_orders[0].nonce, good_orders[1].nonce]
    # The rejected order left no trace: its nonce is as it was, its owner's points untouched.
    assert platform.exchange.isNonceUsed(owner, bad.order.nonce) == nonce_used_before
    assert tokens["FRESH"].balanceOf(owner) == fresh_before
    assert tokens["SKYM"].balanceOf(owner) == sky_before


def test_settle_rejects_each_bad_order_of_a_mixed_batch_in_place(
    platform: Any,
    scene: Scene,
    users: list[Any],
    make_order: Any,
    good_orders: list[SwapOrder],
    relayer: Any,
) -> None:
    good_fresh = make_order(users[2], "FRESH", "SKYM", 2_000)
    # The same nonce again, later in the same batch: the first use wins.
    replayed = make_order(users[0], "SKYM", "BEAN", 500, nonce=good_orders[0].nonce)
    bad_orders = [
        expired(scene),
        malformed_signature(scene),
        wrong_signer(scene),
        tampered_order(scene),
        BadOrder(
            replayed,
            "ExchangeNonceUsed(address,uint256)",
            (users[0], replayed.nonce),
        ),
        cancelled_nonce(scene),
        future_counter(scene),
        same_token(scene),
        zero_amount(scene),
        zero_output(scene),
        below_min_amount_out(scene),
        unknown_market(scene),
    ]
    batch: list[SwapOrder | BadOrder] = [
        good_orders[0],
        *bad_orders[:6],
        good_fresh,
        *bad_orders[6:],
        good_orders[1],
    ]
    orders, signatures = _signed(scene, batch)

    tx = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert tx.return_value == 3
    assert _settled_nonces(tx) == [good_orders[0].nonce, good_fresh.nonce, good_orders[1].nonce]
    assert [(owner, nonce, reason) for _, owner, nonce, reason in _rejections(tx)] == [
        (bad.order.owner, bad.order.nonce, HexBytes(web3.keccak(text=bad.error)[:4]))
        for bad in bad_orders
    ]


def test_settle_leaves_a_rejected_order_valid_to_settle_once_the_cause_is_gone(
    platform: Any, scene: Scene, tokens: dict[str, Any], vote: Any, relayer: Any
) -> None:
    bad = paused_token(scene)
    orders, signatures = _signed(scene, [bad])
    first = platform.exchange.settle(orders, signatures, {"from": relayer})
    assert first.return_value == 0
    assert not platform.exchange.isNonceUsed(scene.owner, bad.order.nonce)

    vote((tokens["FRESH"], "unpause", ()))
    second = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert second.return_value == 1
    assert _rejections(second) == []
    assert platform.exchange.isNonceUsed(scene.owner, bad.order.nonce)


def test_settle_of_an_empty_batch_settles_nothing(platform: Any, relayer: Any) -> None:
    tx = platform.exchange.settle([], [], {"from": relayer})

    assert tx.return_value == 0
    assert "Swapped" not in tx.events


@pytest.mark.parametrize("caller", ["user", "merchant", "deployer"])
def test_settle_reverts_unless_the_caller_has_relayer_role(
    caller: str,
    platform: Any,
    scene: Scene,
    users: list[Any],
    admins: dict[str, Any],
    good_orders: list[SwapOrder],
) -> None:
    account = {"user": users[0], "merchant": admins["SKYM"], "deployer": accounts[0]}[caller]
    orders, signatures = _signed(scene, good_orders)

    with unauthorized(account, platform.exchange.RELAYER_ROLE()):
        platform.exchange.settle(orders, signatures, {"from": account})


def test_settle_reverts_while_the_exchange_is_paused(
    platform: Any, scene: Scene, vote: Any, good_orders: list[SwapOrder], relayer: Any
) -> None:
    vote((platform.exchange, "pause", ()))
    orders, signatures = _signed(scene, good_orders)

    with reverts_with("EnforcedPause"):
        platform.exchange.settle(orders, signatures, {"from": relayer})


def test_settle_reverts_if_orders_and_signatures_differ_in_length(
    platform: Any, scene: Scene, good_orders: list[SwapOrder], relayer: Any
) -> None:
    orders, signatures = _signed(scene, good_orders)

    with reverts_with("ExchangeLengthMismatch", 2, 1):
        platform.exchange.settle(orders, signatures[:1], {"from": relayer})


@pytest.mark.parametrize("caller", ["relayer", "owner"])
def test_execute_batch_order_reverts_unless_the_exchange_calls_itself(
    caller: str,
    platform: Any,
    scene: Scene,
    users: list[Any],
    good_orders: list[SwapOrder],
    relayer: Any,
) -> None:
    account = relayer if caller == "relayer" else users[0]
    order = good_orders[0]
    (signature,) = _signed(scene, [order])[1]

    with reverts_with("ExchangeOnlySelf", account):
        platform.exchange.executeBatchOrder(
            order.as_tuple(),
            order_digest(scene.domain, order),
            signature,
            account,
            {"from": account},
        )
