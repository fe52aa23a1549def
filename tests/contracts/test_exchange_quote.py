"""PointsExchange.quote: the price of a swap, as docs/design.md's value model defines it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import reverts_with

POINT_VALUES = {"SKYM": 10, "BEAN": 100, "FRESH": 1}  # fen per point, as seeded


def expected_quote(
    source: str, target: str, amount_in: int, fee_bps: int = 30
) -> tuple[int, int, int]:
    """(amountOut, fee incl. dust, grossValue), computed the way docs/design.md states it, with
    the fee rounded up (issue 13: rounded down, splitting an order evaded it)."""
    gross = amount_in * POINT_VALUES[source]
    charged = -(-gross * fee_bps // 10_000)
    amount_out = (gross - charged) // POINT_VALUES[target]
    dust = gross - charged - amount_out * POINT_VALUES[target]
    return amount_out, charged + dust, gross


def _quote(platform: Any, source: Any, target: Any, amount_in: int) -> tuple[int, int, int]:
    amount_out, fee, gross = platform.exchange.quote(source, target, amount_in)
    return int(amount_out), int(fee), int(gross)


@pytest.mark.parametrize(
    ("source", "target", "amount_in", "quoted"),
    [
        # 50 000 fen, fee 150, 498 BEAN, dust 50: the fee includes the dust.
        ("SKYM", "BEAN", 5_000, (498, 200, 50_000)),
        # 10 000 fen, fee 30, 997 SKYM exactly: no dust.
        ("BEAN", "SKYM", 100, (997, 30, 10_000)),
        # 12 347 fen, fee 38 (37.04 rounded up), 1 230 SKYM and 9 fen of dust.
        ("FRESH", "SKYM", 12_347, (1_230, 47, 12_347)),
        # 99 fen: the fee rounds up to 1 and everything else is dust.
        ("FRESH", "BEAN", 99, (0, 99, 99)),
        # 10 fen: a fee of 0.03 fen still costs 1 fen.
        ("SKYM", "FRESH", 1, (9, 1, 10)),
        ("BEAN", "FRESH", 300, (29_910, 90, 30_000)),
    ],
)
def test_quote_prices_gross_value_fee_and_dust(
    source: str,
    target: str,
    amount_in: int,
    quoted: tuple[int, int, int],
    platform: Any,
    tokens: dict[str, Any],
) -> None:
    assert expected_quote(source, target, amount_in) == quoted
    assert _quote(platform, tokens[source], tokens[target], amount_in) == quoted


def test_quote_is_what_a_swap_then_settles(
    platform: Any, tokens: dict[str, Any], users: list[Any], make_order: Any
) -> None:
    amount_out, fee, gross = _quote(platform, tokens["FRESH"], tokens["SKYM"], 12_345)
    order = make_order(users[2], "FRESH", "SKYM", 12_345)

    swapped = platform.exchange.swap(order.as_tuple(), {"from": users[2]}).events["Swapped"]

    assert (swapped["amountOut"], swapped["fee"], swapped["grossValue"]) == (amount_out, fee, gross)
    # Nothing is lost to rounding: V = amountOut * valueB + fee.
    assert gross == amount_out * POINT_VALUES["SKYM"] + fee


def test_quote_follows_the_fee_governance_sets(
    platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    vote((platform.exchange, "setFee", (1_000,)))

    assert _quote(platform, tokens["SKYM"], tokens["BEAN"], 5_000) == expected_quote(
        "SKYM", "BEAN", 5_000, fee_bps=1_000
    )
    assert _quote(platform, tokens["SKYM"], tokens["BEAN"], 5_000) == (450, 5_000, 50_000)

    vote((platform.exchange, "setFee", (0,)))

    assert _quote(platform, tokens["SKYM"], tokens["BEAN"], 5_000) == (500, 0, 50_000)


@pytest.mark.parametrize("side", ["from", "to"])
def test_quote_reverts_for_an_unknown_market(
    side: str, platform: Any, tokens: dict[str, Any]
) -> None:
    unknown = platform.settlement
    pair = (unknown, tokens["SKYM"]) if side == "from" else (tokens["SKYM"], unknown)

    with reverts_with("ExchangeUnknownMarket", unknown):
        platform.exchange.quote(*pair, 100)


@pytest.mark.parametrize("side", ["from", "to"])
def test_quote_reverts_for_a_suspended_market(
    side: str, platform: Any, tokens: dict[str, Any], vote: Any
) -> None:
    fresh = tokens["FRESH"]
    vote((platform.registry, "suspendMerchant", (platform.registry.merchantIdOf(fresh),)))
    pair = (fresh, tokens["SKYM"]) if side == "from" else (tokens["SKYM"], fresh)

    with reverts_with("ExchangeMarketInactive", fresh):
        platform.exchange.quote(*pair, 100)


def test_an_order_split_small_still_pays_at_least_the_whole_orders_fee(
    platform: Any, tokens: dict[str, Any]
) -> None:
    # 1 000 SKYM whole pays 30 fen; as 31 quotes of 32-33 SKYM, each rounds its fee up.
    whole = _quote(platform, tokens["SKYM"], tokens["FRESH"], 1_000)
    parts = [_quote(platform, tokens["SKYM"], tokens["FRESH"], n) for n in [33] * 8 + [32] * 23]

    assert whole == (9_970, 30, 10_000)
    assert sum(fee for _, fee, _ in parts) == 31
    assert sum(out for out, _, _ in parts) == 9_969
