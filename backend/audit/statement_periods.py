"""A statement's period: days in a consortium's clock, turned into the blocks whose timestamps
fall in them (binary search on block timestamps; standard JSON-RPC only).

The clock is UTC+8 by default (``--utc-offset`` or ``TONGDUI_STATEMENT_UTC_OFFSET``). A period
with no block (a day before the first block, or not begun) has ``last_block = first_block − 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..chain.rpc import JsonRpc

CHINA_UTC_OFFSET = 8


def day_bounds(
    first: date, last: date, utc_offset_hours: int = CHINA_UTC_OFFSET
) -> tuple[int, int]:
    """[start, end) unix seconds of the days ``first``..``last`` in the given clock."""
    zone = timezone(timedelta(hours=utc_offset_hours))
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    end = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    return int(start.timestamp()), int(end.timestamp())


def blocks_between(
    rpc: JsonRpc, start_time: int, end_time: int, lowest: int = 0
) -> tuple[int, int]:
    """The first block at or after ``start_time`` and the last before ``end_time`` (binary
    search on block timestamps; standard JSON-RPC only)."""
    head = rpc.block_number()

    def first_at_or_after(moment: int) -> int:
        low, high = lowest, head + 1
        while low < high:
            middle = (low + high) // 2
            if int(rpc.block(middle)["timestamp"], 16) >= moment:
                high = middle
            else:
                low = middle + 1
        return low

    return first_at_or_after(start_time), first_at_or_after(end_time) - 1


@dataclass(frozen=True)
class Period:
    """Days in a clock, and the blocks whose timestamps fall in them on a given chain."""

    first_day: date
    last_day: date
    utc_offset_hours: int
    first_block: int
    last_block: int  # first_block − 1 when no block falls in the days
    complete: bool  # the chain has a block after the period: no block of it can follow

    def labels(self) -> dict[str, Any]:
        return {
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
            "utcOffsetHours": self.utc_offset_hours,
            "complete": self.complete,
        }


def resolve_period(
    rpc: JsonRpc, first_day: date, last_day: date, utc_offset_hours: int, lowest: int
) -> Period:
    """The blocks of the days ``first_day``..``last_day`` in the clock UTC+``offset``."""
    if last_day < first_day:
        raise ValueError(f"the period ends ({last_day}) before it begins ({first_day})")
    if not -12 <= utc_offset_hours <= 14:
        raise ValueError(f"a UTC offset is between -12 and 14 hours, not {utc_offset_hours}")
    head = rpc.block_number()
    start, end = day_bounds(first_day, last_day, utc_offset_hours)
    first, last = blocks_between(rpc, start, end, lowest)
    last = min(last, head)
    return Period(first_day, last_day, utc_offset_hours, first, max(last, first - 1), last < head)
