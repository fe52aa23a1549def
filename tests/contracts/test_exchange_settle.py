"""PointsExchange.settle and executeBatchOrder: a relayer's batch of signed orders.

Each bad order is rejected with `OrderRejected(orderHash, owner, nonce, reason, nonceConsumed)`,
where `reason` is its error's selector; the good orders around it settle. A rejection is final:
once the owner's signature is verified the order's nonce stays consumed (`nonceConsumed`);
before that (expired, cancelled, bad signature) nothing of the owner's is touched.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import accounts, web3
from hexbytes import HexBytes

from tests.contracts.bad_orders import (
    ORDER_CASES,
    SIGNATURE_CASES,
    UNVERIFIED_CASES,
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


def _rejections(tx: Any) -> list[tuple[HexBytes, str, int, HexBytes, bool]]:
    if "OrderRejected" not in tx.events:
        return []
    return [
        (
            HexBytes(e["orderHash"]),
            e["owner"],
            e["nonce"],
            HexBytes(e["reason"]),
            e["nonceConsumed"],
        )
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
    verified = case not in UNVERIFIED_CASES
    assert _rejections(tx) == [
        (
            HexBytes(order_digest(scene.domain, bad.order)),
            owner.address,
            bad.order.nonce,
            HexBytes(bad.selector),
            verified,
        )
    ]
    assert tx.return_value == 2
    assert _settled_nonces(tx) == [good_orders[0].nonce, good_orders[1].nonce]
    # A signed order's rejection is final (its nonce consumed); any other leaves the nonce as
    # it was. Either way the owner's points are untouched.
    assert platform.exchange.isNonceUsed(owner, bad.order.nonce) == (verified or nonce_used_before)
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
    assert [(owner, nonce, reason) for _, owner, nonce, reason, _ in _rejections(tx)] == [
        (bad.order.owner, bad.order.nonce, HexBytes(web3.keccak(text=bad.error)[:4]))
        for bad in bad_orders
    ]


def test_rejected_order_cannot_be_settled_weeks_later(
    platform: Any, scene: Scene, tokens: dict[str, Any], vote: Any, relayer: Any
) -> None:
    # The attack: the backend shows the order as finally "rejected", but its nonce stayed
    # free, so any relayer could settle it once the cause was gone, weeks later.
    bad = paused_token(scene)
    orders, signatures = _signed(scene, [bad])
    first = platform.exchange.settle(orders, signatures, {"from": relayer})
    assert first.return_value == 0
    assert platform.exchange.isNonceUsed(scene.owner, bad.order.nonce)

    vote((tokens["FRESH"], "unpause", ()))
    second = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert second.return_value == 0
    assert [reason for *_, reason, _ in _rejections(second)] == [
        HexBytes(web3.keccak(text="ExchangeNonceUsed(address,uint256)")[:4])
    ]
    assert tokens["FRESH"].balanceOf(scene.owner) == 80_000


def test_forged_rejection_names_an_owner_without_touching_its_nonces(
    platform: Any, scene: Scene, users: list[Any], make_order: Any, relayer: Any
) -> None:
    # The attack: a relayer submits an "order" of a victim with a junk signature, so that
    # the exchange emits OrderRejected naming the victim and a nonce the victim will use.
    victim = users[0]
    forged = make_order(victim, "SKYM", "BEAN", 1_000, nonce=31_337)

    tx = platform.exchange.settle([forged.as_tuple()], [b"\x00" * 65], {"from": relayer})

    ((_, owner, nonce, _, consumed),) = _rejections(tx)
    assert (owner, nonce, consumed) == (victim.address, 31_337, False)
    assert not platform.exchange.isNonceUsed(victim, 31_337)
    # The victim's real order with that nonce still settles.
    real = make_order(victim, "SKYM", "BEAN", 1_000, nonce=31_337)
    assert platform.exchange.swap(real.as_tuple(), {"from": victim}).return_value == 99


def test_fee_evasion_by_splitting_pays_fee(
    platform: Any, scene: Scene, users: list[Any], make_order: Any, relayer: Any
) -> None:
    # The attack: 1 000 SKYM (10 000 fen) as 31 orders of 32-33 SKYM, each worth under
    # 334 fen, so that a fee rounded down is 0 on every one: 10 000 FRESH for no fee at all.
    owner = users[0]
    amounts = [33] * 8 + [32] * 23
    assert sum(amounts) == 1_000
    split = [make_order(owner, "SKYM", "FRESH", amount) for amount in amounts]
    orders, signatures = _signed(scene, list(split))

    tx = platform.exchange.settle(orders, signatures, {"from": relayer})

    assert tx.return_value == 31
    fees = sum(e["fee"] for e in tx.events["Swapped"])
    received = sum(e["amountOut"] for e in tx.events["Swapped"])
    # One order of 1 000 SKYM pays 30 fen and gets 9 970 FRESH; split, at least as much.
    assert fees >= 30
    assert received <= 9_970
    assert fees + received == 10_000


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

    with reverts_with("ExchangeOnlySelf", account):
        platform.exchange.executeBatchOrder(
            order.as_tuple(), order_digest(scene.domain, order), account, {"from": account}
        )
