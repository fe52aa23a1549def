"""Points expiry in Python: the twin of PointsToken's month keys (SPEC16 §1, ExpiryMath.sol).

A bucket's key is a UTC month index ``m = (year − 1970) × 12 + (month − 1)``; points under key
``k`` are spendable while the month of ``block.timestamp`` is at most ``k`` and expire at the
start of month ``k + 1`` (00:00 UTC). ``NEVER`` (0xFFFF) never expires; 0 is the contract's
"empty" sentinel. A mint at time t gets ``ceil_to_period_end(month_of(t) + validity,
rounding)`` (periods aligned to January), or ``NEVER`` when ``validity`` is 0.

The indexer's reads, the audit's replay and the statements compute keys and dates with these
functions; ``tests/unit/test_expiry_math.py`` pins the spec's example and the contract test
holds them to ``currentKey``/``expiryOf`` on chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

NEVER = 0xFFFF
EMPTY = 0
ROUNDINGS = (1, 3, 6, 12)  # month, quarter, half year, year
MAX_VALIDITY_MONTHS = 1200  # a hundred years: a longer rule is a typo, not a programme


def month_of(timestamp: int) -> int:
    """The UTC month index of a unix timestamp."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return (moment.year - 1970) * 12 + moment.month - 1


def month_start(month: int) -> int:
    """Unix seconds of 00:00 UTC on the first day of month index ``month``."""
    year, index = divmod(month, 12)
    return int(datetime(1970 + year, index + 1, 1, tzinfo=UTC).timestamp())


def ceil_to_period_end(month: int, rounding: int) -> int:
    """The last month of the ``rounding``-month period (aligned to January) holding ``month``."""
    return (month // rounding) * rounding + rounding - 1


def key_for(timestamp: int, validity_months: int, rounding_months: int) -> int:
    """The key a mint at ``timestamp`` gets under the rule (``NEVER`` when validity is 0)."""
    if validity_months == 0:
        return NEVER
    return ceil_to_period_end(month_of(timestamp) + validity_months, rounding_months)


def expires_at(key: int) -> int | None:
    """Unix seconds at which points under ``key`` stop being spendable; None for ``NEVER``."""
    if key == NEVER:
        return None
    return month_start(key + 1)


def is_expired(key: int, now: int) -> bool:
    """Whether points under ``key`` are expired at unix time ``now`` (as the contract sees a
    block with that timestamp)."""
    moment = expires_at(key)
    return moment is not None and now >= moment


def last_day(key: int) -> date | None:
    """The last day (UTC) the points under ``key`` can be spent; None for ``NEVER``."""
    moment = expires_at(key)
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).date() - timedelta(days=1)


def last_day_iso(key: int) -> str | None:
    """``last_day`` as ``YYYY-MM-DD`` (what a wallet shows: "expire on 2028-12-31")."""
    day = last_day(key)
    return None if day is None else day.isoformat()


def rule_problem(validity_months: int, rounding_months: int) -> str | None:
    """Why a rule is refused (a sentence saying what to send instead), or None if it is valid.
    The contract refuses the same rules; this says so before a transaction is sent."""
    if not 0 <= validity_months <= MAX_VALIDITY_MONTHS:
        return (
            f"validityMonths must be between 0 (never expires) and {MAX_VALIDITY_MONTHS}, "
            f"not {validity_months}"
        )
    if validity_months == 0 and rounding_months == 0:  # the default rule: never expires
        return None
    if rounding_months not in ROUNDINGS:
        return (
            f"roundingMonths must be 1 (month), 3 (quarter), 6 (half year) or 12 (year), "
            f"not {rounding_months}"
        )
    return None
