"""The indexer's handlers of PointsExchange's markets, settlement accounts, counters and
settings (and every contract's pauses, as platform parameters). Swaps, rejections and nonces
are ``project_swaps``. ``HANDLERS`` and ``IGNORED`` are this family's rows of
``projector.HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.db import check_int64
from .models import OrderCounter, PointValueChange
from .projection import EventRecord, Handler, Projection, declaring


def on_MarketListed(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    value = check_int64(int(args["pointValue"]), "pointValue")
    merchant = projection.merchants_by_token.get(args["token"])
    if merchant is not None:
        merchant.point_value, merchant.market_active = value, True
    if not projection.latest_only:
        projection.row(
            PointValueChange, event, token=args["token"], old_value=None, new_value=value
        )


def on_MarketStatusChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    merchant = projection.merchants_by_token.get(args["token"])
    if merchant is not None:
        merchant.market_active = bool(args["active"])


def on_PointValueChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    value = check_int64(int(args["newValue"]), "newValue")
    merchant = projection.merchants_by_token.get(args["token"])
    if merchant is not None:
        merchant.point_value = value
    if not projection.latest_only:
        old = int(args["oldValue"])
        projection.row(PointValueChange, event, token=args["token"], old_value=old, new_value=value)


def on_SettlementDeposited(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    if not projection.latest_only:
        projection.settlement_sums(event["event"], args, 1)


def on_CounterIncremented(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    counter = projection.session.get(OrderCounter, args["owner"])
    if counter is None:
        projection.session.add(OrderCounter(owner=args["owner"], counter=args["counter"]))
    else:
        counter.counter = args["counter"]


def on_FeeChanged(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    projection.set_param("fee_bps", int(args["feeBps"]), event)


def on_FeeSharesChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("fee_shares", {k: int(v) for k, v in args.items()}, event)


def on_PlatformPayeeChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("platform_payee", args["payee"], event)


def on_UserLimitChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("user_limit", dict(args), event)


def on_ValueBoundsChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("value_bounds", dict(args), event)


def on_MinOrderValueChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("min_order_value", int(args["minOrderValue"]), event)


def on_CoverFloorChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("cover_floor_bps", int(args["coverFloorBps"]), event)


def on_Paused(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    projection.set_param(f"paused:{event['contract']}", event["event"] == "Paused", event)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsExchange", "MarketListed"): on_MarketListed,
    ("PointsExchange", "MarketStatusChanged"): on_MarketStatusChanged,
    ("PointsExchange", "PointValueChanged"): on_PointValueChanged,
    # One handler for the four: it tells them apart by the event's name.
    ("PointsExchange", "SettlementDeposited"): on_SettlementDeposited,
    ("PointsExchange", "SettlementWithdrawn"): on_SettlementDeposited,
    ("PointsExchange", "MerchantFeesWithdrawn"): on_SettlementDeposited,
    ("PointsExchange", "PayeeCreditWithdrawn"): on_SettlementDeposited,
    ("PointsExchange", "CounterIncremented"): on_CounterIncremented,
    ("PointsExchange", "FeeChanged"): on_FeeChanged,
    ("PointsExchange", "FeeSharesChanged"): on_FeeSharesChanged,
    ("PointsExchange", "PlatformPayeeChanged"): on_PlatformPayeeChanged,
    ("PointsExchange", "UserLimitChanged"): on_UserLimitChanged,
    ("PointsExchange", "ValueBoundsChanged"): on_ValueBoundsChanged,
    ("PointsExchange", "MinOrderValueChanged"): on_MinOrderValueChanged,
    ("PointsExchange", "CoverFloorChanged"): on_CoverFloorChanged,
    # Pauses of every pausable contract, as platform_parameters ``paused:<address>``.
    **{(kind, "Paused"): on_Paused for kind in declaring("Paused")},
    **{(kind, "Unpaused"): on_Paused for kind in declaring("Unpaused")},
}

IGNORED: dict[tuple[str, str], str] = {
    ("PointsExchange", "MarketAdminChanged"): "the index keeps the registry's merchant admin only",
    ("PointsExchange", "SurplusSwept"): "the swept units leave by a Transfer, which is indexed",
}
