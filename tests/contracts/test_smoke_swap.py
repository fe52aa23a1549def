"""A relayed swap settles end to end on the seeded demo consortium."""

from typing import Any


def test_relayed_swap_moves_points_and_settlement_value(
    platform: Any,
    users: list[Any],
    tokens: dict[str, Any],
    make_order: Any,
    sign: Any,
    relayer: Any,
) -> None:
    user = users[0]
    order = make_order(user, "SKYM", "BEAN", 5_000)
    sky_before = platform.exchange.market(tokens["SKYM"])["settlementBalance"]
    bean_before = platform.exchange.market(tokens["BEAN"])["settlementBalance"]

    tx = platform.exchange.settle([order.as_tuple()], [sign(user, order)], {"from": relayer})

    swapped = tx.events["Swapped"]
    # V = 5000 × 10 = 50 000 fen; F = 150; (50 000 − 150) / 100 = 498 stars, dust 50.
    assert swapped["amountOut"] == 498
    assert swapped["fee"] == 200
    assert swapped["dust"] == 50
    assert tokens["SKYM"].balanceOf(user) == 45_000
    assert tokens["BEAN"].balanceOf(user) == 498
    assert platform.exchange.market(tokens["SKYM"])["settlementBalance"] == sky_before - 50_000
    assert platform.exchange.market(tokens["BEAN"])["settlementBalance"] == bean_before + 49_800
