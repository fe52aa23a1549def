"""The audit's handlers of PointsExchange's markets, settlement accounts and configuration.

Listed markets and their point values (within the daily band), each merchant's settlement
balance and fee credit, payees' credits and their withdrawals, and the fee, shares, bounds and
limits in force. Swaps and nonces are ``replay_swaps``. ``HANDLERS`` (and ``IGNORED``, for the
whole contract) are this family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from ..chain.constants import BPS, VALUE_REFERENCE_PERIOD
from .decode import Log
from .replay_base import DOMAIN_FIXED, PAUSE_FROM_LOGS, Handler, ReplayBase
from .state import MarketState


def on_MarketListed(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.markets[a["token"]] = MarketState(
        a["token"],
        a["pointValue"],
        log.timestamp,
        a["admin"],
        reference_value=a["pointValue"],
        reference_at=log.timestamp,
    )
    replay.value_history.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "token": a["token"],
            "old_value": None,
            "new_value": a["pointValue"],
            "timestamp": log.timestamp,
        }
    )


def on_MarketStatusChanged(replay: ReplayBase, log: Log) -> None:
    if market := replay.market(log, log.args["token"]):
        market.active = log.args["active"]


def on_MarketAdminChanged(replay: ReplayBase, log: Log) -> None:
    if market := replay.market(log, log.args["token"]):
        market.admin = log.args["admin"]


def on_PointValueChanged(replay: ReplayBase, log: Log) -> None:
    a = log.args
    if market := replay.market(log, a["token"]):
        if a["oldValue"] != market.point_value:
            replay.find(
                "invariant-5",
                log,
                "oldValue",
                market.point_value,
                a["oldValue"],
                "the old value differs from the replayed point value",
            )
        _check_daily_band(replay, log, market, a["newValue"])
        market.point_value = a["newValue"]
        market.value_changed_at = log.timestamp
    replay.value_history.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "token": a["token"],
            "old_value": a["oldValue"],
            "new_value": a["newValue"],
            "timestamp": log.timestamp,
        }
    )


def _check_daily_band(replay: ReplayBase, log: Log, market: MarketState, new_value: int) -> None:
    """PointsExchange._checkDailyBand: the first change a day after the anchor re-anchors
    at the value then in force; every change stays within the band around the anchor."""
    if log.timestamp >= market.reference_at + VALUE_REFERENCE_PERIOD:
        market.reference_value, market.reference_at = market.point_value, log.timestamp
    anchor, band = market.reference_value, replay.value_bounds[2]
    if band and abs(new_value - anchor) * BPS > anchor * band:
        replay.find(
            "invariant-5",
            log,
            "newValue",
            f"within {band} bps of {anchor}",
            new_value,
            "a point value left the daily band around its reference",
        )


def on_SettlementDeposited(replay: ReplayBase, log: Log) -> None:
    if market := replay.market(log, log.args["token"]):
        market.settlement_balance += log.args["amount"]


def on_SettlementWithdrawn(replay: ReplayBase, log: Log) -> None:
    amount = log.args["amount"]
    if market := replay.market(log, log.args["token"]):
        if amount > market.settlement_balance:
            replay.find(
                "invariant-3",
                log,
                "amount",
                f"≤ {market.settlement_balance}",
                amount,
                "withdrawal above the settlement balance",
            )
        market.settlement_balance -= amount


def on_MerchantFeesWithdrawn(replay: ReplayBase, log: Log) -> None:
    amount = log.args["amount"]
    if market := replay.market(log, log.args["token"]):
        if amount != market.fee_credit:
            replay.find(
                "invariant-3",
                log,
                "amount",
                market.fee_credit,
                amount,
                "a merchant's fee withdrawal must equal its credit",
            )
        market.fee_credit -= amount


def on_PayeeCreditWithdrawn(replay: ReplayBase, log: Log) -> None:
    payee, amount = log.args["payee"], log.args["amount"]
    credit = replay.payee_credits.get(payee, 0)
    if amount != credit:
        replay.find(
            "invariant-3",
            log,
            "amount",
            credit,
            amount,
            "a payee's withdrawal must equal its credit",
        )
    replay.payee_credits[payee] = credit - amount


def on_FeeChanged(replay: ReplayBase, log: Log) -> None:
    replay.fees.fee_bps = log.args["feeBps"]


def on_FeeSharesChanged(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.fees.platform_bps, replay.fees.source_bps = a["platformBps"], a["sourceMerchantBps"]
    replay.fees.target_bps, replay.fees.relayer_bps = a["targetMerchantBps"], a["relayerBps"]
    total = sum((a["platformBps"], a["sourceMerchantBps"], a["targetMerchantBps"], a["relayerBps"]))
    if total != BPS:
        replay.find("invariant-3", log, "sum", BPS, total, "fee shares must sum to 10 000")


def on_PlatformPayeeChanged(replay: ReplayBase, log: Log) -> None:
    replay.fees.platform_payee = log.args["payee"]


def on_ValueBoundsChanged(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.value_bounds = (a["maxStepBps"], a["minInterval"], a["maxDailyStepBps"])


def on_MinOrderValueChanged(replay: ReplayBase, log: Log) -> None:
    replay.min_order_value = log.args["minOrderValue"]


def on_CoverFloorChanged(replay: ReplayBase, log: Log) -> None:
    replay.cover_floor_bps = log.args["coverFloorBps"]


def on_SurplusSwept(replay: ReplayBase, log: Log) -> None:
    replay.surplus_swept += log.args["amount"]


def on_UserLimitChanged(replay: ReplayBase, log: Log) -> None:
    replay.user_limit = (log.args["maxValuePerWindow"], log.args["window"])


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsExchange", "MarketListed"): on_MarketListed,
    ("PointsExchange", "MarketStatusChanged"): on_MarketStatusChanged,
    ("PointsExchange", "MarketAdminChanged"): on_MarketAdminChanged,
    ("PointsExchange", "PointValueChanged"): on_PointValueChanged,
    ("PointsExchange", "SettlementDeposited"): on_SettlementDeposited,
    ("PointsExchange", "SettlementWithdrawn"): on_SettlementWithdrawn,
    ("PointsExchange", "MerchantFeesWithdrawn"): on_MerchantFeesWithdrawn,
    ("PointsExchange", "PayeeCreditWithdrawn"): on_PayeeCreditWithdrawn,
    ("PointsExchange", "FeeChanged"): on_FeeChanged,
    ("PointsExchange", "FeeSharesChanged"): on_FeeSharesChanged,
    ("PointsExchange", "PlatformPayeeChanged"): on_PlatformPayeeChanged,
    ("PointsExchange", "ValueBoundsChanged"): on_ValueBoundsChanged,
    ("PointsExchange", "MinOrderValueChanged"): on_MinOrderValueChanged,
    ("PointsExchange", "CoverFloorChanged"): on_CoverFloorChanged,
    ("PointsExchange", "SurplusSwept"): on_SurplusSwept,
    ("PointsExchange", "UserLimitChanged"): on_UserLimitChanged,
}

IGNORED: dict[tuple[str, str], str] = {
    (
        "PointsExchange",
        "Paused",
    ): PAUSE_FROM_LOGS,
    (
        "PointsExchange",
        "Unpaused",
    ): PAUSE_FROM_LOGS,
    (
        "PointsExchange",
        "EIP712DomainChanged",
    ): DOMAIN_FIXED,
    ("PointsExchange", "RoleAdminChanged"): "exchange roles are not part of the audited state",
    ("PointsExchange", "RoleGranted"): "exchange roles are not part of the audited state",
    ("PointsExchange", "RoleRevoked"): "exchange roles are not part of the audited state",
}
