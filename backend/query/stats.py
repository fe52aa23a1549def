"""Statistics over the indexer's tables: a merchant's swaps each way, fees, users, issuance and
redemption, and the platform's totals, all time (from the running totals the indexer keeps)
or over a time window (summed from the swaps and events in it).

As every read of the index, these are as of the indexer's checkpoint; the routes add
``as_of_block`` from ``index.checkpoint``. Amounts in ``events.args`` are decimal strings
(uint256 on chain), summed here as integers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, func, or_, select
from sqlalchemy.orm import Session

from ..indexer.models import (
    MERCHANT_TOTAL_COLUMNS,
    Balance,
    Event,
    IndexTotal,
    Merchant,
    MerchantTotals,
    OrderRejection,
    SettlementAccount,
    Swap,
    SwapUser,
    TokenSupply,
)


def _arg(name: str) -> ColumnElement[str]:
    """``events.args[name]`` as text: json_extract on SQLite, ->> on PostgreSQL."""
    element: ColumnElement[str] = Event.args[name].as_string()
    return element


def _window(column: Any, since: int | None, until: int | None) -> list[ColumnElement[bool]]:
    conditions = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column < until)
    return conditions


def _event_sum(
    session: Session, token: str, event: str, since: int | None, until: int | None
) -> tuple[int, int]:
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(cast(_arg("amount"), BigInteger)), 0)).where(
            Event.contract == token,
            Event.event == event,
            *_window(Event.block_timestamp, since, until),
        )
    ).one()
    return int(count), int(total)


def _totals(session: Session, token: str) -> dict[str, int]:
    row = session.get(MerchantTotals, token)
    return {c: int(getattr(row, c)) if row else 0 for c in MERCHANT_TOTAL_COLUMNS}


def merchant_stats(
    session: Session, token: str, since: int | None = None, until: int | None = None
) -> dict[str, Any]:
    """A merchant's swap counts and volumes each way, fees, users, issuance and redemption.

    All time (no window): read from the running totals the indexer keeps, at a cost that does
    not grow with history. Over a window: summed from the swaps and events in it."""
    if since is None and until is None:
        totals = _totals(session, token)
        users = session.scalar(select(func.count()).where(SwapUser.token == token))
        return _merchant_figures(
            session,
            token,
            out=(totals["swaps_out"], totals["points_out"], totals["value_out"]),
            fees=(totals["fees_paid"], totals["source_fees"] + totals["target_fees"]),
            into=(totals["swaps_in"], totals["points_in"], totals["value_in"]),
            users=int(users or 0),
            issues=(totals["issues"], totals["points_issued"]),
            redemptions=(totals["redemptions"], totals["points_redeemed"]),
        )
    window = _window(Swap.block_timestamp, since, until)
    out_count, points_out, value_out, fees_paid, source_fees = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Swap.amount_in), 0),
            func.coalesce(func.sum(Swap.gross_value), 0),
            func.coalesce(func.sum(Swap.fee), 0),
            func.coalesce(func.sum(Swap.source_merchant_fee), 0),
        ).where(Swap.from_token == token, *window)
    ).one()
    in_count, points_in, value_in, target_fees = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Swap.amount_out), 0),
            func.coalesce(func.sum(Swap.paid_to_target), 0),
            func.coalesce(func.sum(Swap.target_merchant_fee), 0),
        ).where(Swap.to_token == token, *window)
    ).one()
    users = session.scalar(
        select(func.count(func.distinct(Swap.owner))).where(
            or_(Swap.from_token == token, Swap.to_token == token), *window
        )
    )
    return _merchant_figures(
        session,
        token,
        out=(int(out_count), int(points_out), int(value_out)),
        fees=(int(fees_paid), int(source_fees) + int(target_fees)),
        into=(int(in_count), int(points_in), int(value_in)),
        users=int(users or 0),
        issues=_event_sum(session, token, "Issued", since, until),
        redemptions=_event_sum(session, token, "Redeemed", since, until),
    )


def _merchant_figures(
    session: Session,
    token: str,
    *,
    out: tuple[int, int, int],
    fees: tuple[int, int],
    into: tuple[int, int, int],
    users: int,
    issues: tuple[int, int],
    redemptions: tuple[int, int],
) -> dict[str, Any]:
    """The statistics' shape, plus what is current whatever the window (holders, supply)."""
    holders = session.scalar(select(func.count()).where(Balance.token == token, Balance.amount > 0))
    supply = session.get(TokenSupply, token)
    account = session.get(SettlementAccount, token)
    return {
        "swaps_out": out[0],
        "points_out": out[1],
        "value_out": out[2],
        "swaps_in": into[0],
        "points_in": into[1],
        "value_in": into[2],
        "fees_paid": fees[0],
        "fees_earned": fees[1],
        "swap_users": users,
        "holders": int(holders or 0),
        "issues": issues[0],
        "points_issued": issues[1],
        "redemptions": redemptions[0],
        "points_redeemed": redemptions[1],
        "points_outstanding": supply.supply if supply else 0,
        "settlement_balance": account.settlement_balance if account else 0,
        "fee_credit": account.fee_credit if account else 0,
    }


def platform_stats(
    session: Session, since: int | None = None, until: int | None = None
) -> dict[str, Any]:
    """Totals over every swap: counts, value, fees by payee, users, holders, rejections.

    All time: sums over the merchants' running totals (one row per merchant); over a window:
    summed from the swaps in it."""
    if since is None and until is None:
        totals = MerchantTotals
        row = session.execute(
            select(
                func.coalesce(func.sum(totals.swaps_out), 0),
                func.coalesce(func.sum(totals.value_out), 0),
                func.coalesce(func.sum(totals.fees_paid), 0),
                func.coalesce(func.sum(totals.platform_fees), 0),
                func.coalesce(func.sum(totals.source_fees + totals.target_fees), 0),
                func.coalesce(func.sum(totals.relayer_fees), 0),
            )
        ).one()
        users = session.scalar(select(func.count(func.distinct(SwapUser.owner))))
        rejected = session.scalar(
            select(IndexTotal.value).where(IndexTotal.name == "rejected_orders")
        )
        return _platform_figures(session, (*row, users), rejected)
    window = _window(Swap.block_timestamp, since, until)
    sums = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Swap.gross_value), 0),
            func.coalesce(func.sum(Swap.fee), 0),
            func.coalesce(func.sum(Swap.platform_fee), 0),
            func.coalesce(func.sum(Swap.source_merchant_fee + Swap.target_merchant_fee), 0),
            func.coalesce(func.sum(Swap.relayer_fee), 0),
            func.count(func.distinct(Swap.owner)),
        ).where(*window)
    ).one()
    rejected = session.scalar(
        select(func.count())
        .select_from(OrderRejection)
        .where(*_window(OrderRejection.block_timestamp, since, until))
    )
    return _platform_figures(session, tuple(sums), rejected)


def _platform_figures(
    session: Session, sums: tuple[Any, ...], rejected: int | None
) -> dict[str, Any]:
    count, volume, fees, platform_fees, merchant_fees, relayer_fees, users = sums
    tokens = select(Merchant.token).scalar_subquery()
    holders = session.scalar(
        select(func.count(func.distinct(Balance.holder))).where(
            Balance.token.in_(tokens), Balance.amount > 0
        )
    )
    return {
        "swaps": int(count),
        "volume": int(volume),
        "fees": int(fees),
        "platform_fees": int(platform_fees),
        "merchant_fees": int(merchant_fees),
        "relayer_fees": int(relayer_fees),
        "swap_users": int(users),
        "holders": int(holders or 0),
        "merchants": int(session.scalar(select(func.count()).select_from(Merchant)) or 0),
        "rejected_orders": int(rejected or 0),
    }
