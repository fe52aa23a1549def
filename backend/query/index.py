"""Reads of the indexer's tables: balances, an address's history and a merchant's swaps
(statistics: ``stats.py``).

Everything here is as of the indexer's checkpoint (``as_of_block``), which the answers carry
so a client can tell how fresh they are. Amounts in ``events.args`` are decimal strings (they
are uint256 on chain); they are converted to ``int`` here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from ..indexer.models import (
    AccountFreeze,
    AddressEvent,
    Balance,
    Event,
    IndexCheckpoint,
    Merchant,
    MerchantIssuer,
    Swap,
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
