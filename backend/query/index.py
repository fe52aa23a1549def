"""Reads of the indexer's tables: balances, an address's history, swaps and statistics.

Everything here is as of the indexer's checkpoint (``as_of_block``), which the answers carry
so a client can tell how fresh they are. Amounts in ``events.args`` are decimal strings (they
are uint256 on chain); they are converted to ``int`` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, or_, select, tuple_
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..indexer.models import (
    MERCHANT_TOTAL_COLUMNS,
    AccountFreeze,
    AddressEvent,
    Balance,
    Event,
    IndexCheckpoint,
    IndexTotal,
    Merchant,
    MerchantIssuer,
    MerchantTotals,
    OrderRejection,
    SettlementAccount,
    Swap,
    SwapUser,
    TokenSupply,
)
from . import rejection_reasons

HISTORY_KINDS = ("swap", "issue", "redeem", "transfer", "rejected")


def issuers(session: Session, token: str) -> list[str]:
    """The token's issuer keys in its current issuer epoch, as indexed."""
    rows = session.scalars(
        select(MerchantIssuer.issuer)
        .where(MerchantIssuer.token == token)
        .order_by(MerchantIssuer.issuer)
    )
    return list(rows)


def freezes(session: Session, token: str) -> list[AccountFreeze]:
    """The token's frozen accounts with each authority's flag, as indexed."""
    statement = (
        select(AccountFreeze).where(AccountFreeze.token == token).order_by(AccountFreeze.account)
    )
    return list(session.scalars(statement))


def checkpoint(session: Session) -> int | None:
    """The last block the indexer has fully written, or None before its first run."""
    return session.scalar(select(IndexCheckpoint.block_number).where(IndexCheckpoint.id == 1))


# ─── cursors ──────────────────────────────────────────────────────────────────────────────


def encode_cursor(block_number: int, log_index: int) -> str:
    return f"{block_number}-{log_index}"


def decode_cursor(cursor: str | None) -> tuple[int, int] | None:
    """``<block>-<log index>`` of the last item of the previous page (newest first)."""
    if not cursor:
        return None
    try:
        block, log = cursor.split("-")
        return int(block), int(log)
    except ValueError:
        raise ValidationError(
            f"cursor {cursor!r} is not one this API gave out; pass nextCursor unchanged",
            code=ErrorCode.INVALID_CURSOR,
        ) from None


# ─── balances ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Holding:
    token: str
    symbol: str
    name: str
    points: int
    point_value: int


def balances(session: Session, holder: str) -> list[Holding]:
    """``holder``'s non-zero balances of every merchant's points (not of the settlement token)."""
    rows = session.execute(
        select(Balance.token, Merchant.symbol, Merchant.name, Balance.amount, Merchant.point_value)
        .join(Merchant, Merchant.token == Balance.token)
        .where(Balance.holder == holder, Balance.amount > 0)
        .order_by(Merchant.id)
    )
    return [Holding(*row) for row in rows]


def merchant_tokens(session: Session) -> dict[str, str]:
    """token → symbol of every indexed merchant."""
    return dict(session.execute(select(Merchant.token, Merchant.symbol)).tuples().all())


# ─── history ──────────────────────────────────────────────────────────────────────────────


def _arg(name: str) -> ColumnElement[str]:
    """``events.args[name]`` as text: json_extract on SQLite, ->> on PostgreSQL."""
    element: ColumnElement[str] = Event.args[name].as_string()
    return element


@dataclass(slots=True)
class HistoryItem:
    kind: str
    block_number: int
    log_index: int
    timestamp: int
    tx_hash: str
    token: str | None = None
    symbol: str | None = None
    amount: int | None = None
    direction: str | None = None  # "in" | "out" for the address
    counterparty: str | None = None
    swap: dict[str, Any] = field(default_factory=dict)


def _item(event: Event, address: str, symbols: dict[str, str]) -> HistoryItem:
    args = event.args
    base = HistoryItem(
        "", event.block_number, event.log_index, event.block_timestamp, event.tx_hash
    )
    if event.event == "Swapped":
        base.kind = "swap"
        base.swap = {
            "orderHash": args["orderHash"],
            "fromToken": args["fromToken"],
            "fromSymbol": symbols.get(args["fromToken"]),
            "toToken": args["toToken"],
            "toSymbol": symbols.get(args["toToken"]),
            "amountIn": int(args["amountIn"]),
            "amountOut": int(args["amountOut"]),
            "grossValue": int(args["grossValue"]),
            "fee": int(args["fee"]),
            "relayer": args["relayer"],
        }
        return base
    if event.event == "OrderRejected":
        base.kind = "rejected"
        base.swap = {
            "orderHash": args["orderHash"],
            "nonce": str(args["nonce"]),
            "reason": args["reason"],
        }
        return base
    base.token, base.symbol = event.contract, symbols.get(event.contract)
    if event.event == "Issued":
        base.kind, base.amount, base.direction = "issue", int(args["amount"]), "in"
        base.counterparty = args["issuer"]
    elif event.event == "Redeemed":
        base.kind, base.amount, base.direction = "redeem", int(args["amount"]), "out"
        base.counterparty = args["by"]
    else:
        outgoing = args["from"] == address
        base.kind, base.amount = "transfer", int(args["value"])
        base.direction = "out" if outgoing else "in"
        base.counterparty = args["to"] if outgoing else args["from"]
    return base


def history(
    session: Session,
    address: str,
    *,
    cursor: str | None = None,
    limit: int = 50,
    kinds: Sequence[str] = HISTORY_KINDS,
) -> tuple[list[HistoryItem], str | None]:
    """``address``'s swaps, issues, redemptions, gifts and rejected orders, newest first.

    Walks ``address_events`` (primary key address, block, log index) backwards from the
    cursor, so a page costs the same however many events the log holds."""
    symbols = merchant_tokens(session)
    key = (AddressEvent.block_number, AddressEvent.log_index)
    query = (
        select(Event)
        .join(
            AddressEvent,
            and_(
                AddressEvent.block_number == Event.block_number,
                AddressEvent.log_index == Event.log_index,
            ),
        )
        .where(AddressEvent.address == address)
    )
    if set(kinds) != set(HISTORY_KINDS):
        query = query.where(AddressEvent.kind.in_(list(kinds)))
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(tuple_(*key) < after)
    query = query.order_by(key[0].desc(), key[1].desc()).limit(limit + 1)
    events = list(session.scalars(query))
    page = events[:limit]
    next_cursor = (
        encode_cursor(page[-1].block_number, page[-1].log_index) if len(events) > limit else None
    )
    items = [_item(e, address, symbols) for e in page]
    for item in items:
        if item.kind == "rejected":
            item.swap = rejection_reasons.explain(
                session, address, item.swap, item.block_number, item.log_index
            )
    return items, next_cursor


# ─── swaps of a merchant ──────────────────────────────────────────────────────────────────


def merchant_swaps(
    session: Session,
    token: str,
    *,
    direction: str = "both",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Swap], str | None]:
    """Swaps out of (``from_token``) and into (``to_token``) a merchant's points, newest first."""
    sides = {
        "out": [Swap.from_token == token],
        "in": [Swap.to_token == token],
        "both": [Swap.from_token == token, Swap.to_token == token],
    }[direction]
    query = select(Swap).where(or_(*sides))
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(tuple_(Swap.block_number, Swap.log_index) < after)
    query = query.order_by(Swap.block_number.desc(), Swap.log_index.desc()).limit(limit + 1)
    rows = list(session.scalars(query))
    page = rows[:limit]
    next_cursor = (
        encode_cursor(page[-1].block_number, page[-1].log_index) if len(rows) > limit else None
    )
    return page, next_cursor


# ─── statistics ───────────────────────────────────────────────────────────────────────────


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
