"""Per-day point value and flows of one merchant, from the index, for the pricing assistant."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..indexer.models import Event, PointValueChange, Swap
from ..pricing import Period

DAY = 86_400


def daily_series(session: Session, token: str, start: int, end: int) -> list[Period]:
    """One ``Period`` per UTC day from ``start``'s day to ``end``'s day: value paid in by swaps
    into ``token`` (``paid_to_target``), out by swaps out of it (``gross_value``), points
    redeemed, and the point value in force at the day's end (0 before listing)."""
    first, last = start // DAY * DAY, end // DAY * DAY
    inflow: dict[int, int] = {}
    outflow: dict[int, int] = {}
    redeemed: dict[int, int] = {}
    swaps = select(Swap).where(
        or_(Swap.from_token == token, Swap.to_token == token), Swap.block_timestamp >= first
    )
    for s in session.scalars(swaps):
        day = s.block_timestamp // DAY * DAY
        if s.to_token == token:
            inflow[day] = inflow.get(day, 0) + s.paid_to_target
        if s.from_token == token:
            outflow[day] = outflow.get(day, 0) + s.gross_value
    redemptions = select(Event.block_timestamp, Event.args).where(
        Event.contract == token, Event.event == "Redeemed", Event.block_timestamp >= first
    )
    for at, args in session.execute(redemptions):
        day = at // DAY * DAY
        redeemed[day] = redeemed.get(day, 0) + int(args["amount"])
    changes = session.execute(
        select(PointValueChange.block_timestamp, PointValueChange.new_value)
        .where(PointValueChange.token == token)
        .order_by(PointValueChange.block_number, PointValueChange.log_index)
    ).all()
    periods, value, i = [], 0, 0
    for day in range(first, last + DAY, DAY):
        while i < len(changes) and changes[i][0] < day + DAY:
            value = changes[i][1]
            i += 1
        periods.append(
            Period(day, inflow.get(day, 0), outflow.get(day, 0), redeemed.get(day, 0), value)
        )
    return periods
