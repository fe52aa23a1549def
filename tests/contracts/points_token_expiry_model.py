"""A small Python model of PointsToken's expiry buckets (issue 16), for the contract tests.

Written from SPEC16 section 1, not from the Solidity: the calendar through `datetime`, the
bucket list as a plain sorted dict. The differential tests (test_points_token_expiry_model.py)
and the invariant machine run the contract and this model side by side and compare every
holder's buckets and the supply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

NEVER = 0xFFFF
NO_EXPIRY = 2**256 - 1  # expiryOf(NEVER)
MAX_VALIDITY = 1200
ROUNDINGS = (1, 3, 6, 12)


def month_of(timestamp: int) -> int:
    """The month key of a unix time: (year - 1970) * 12 + (month - 1), UTC."""
    when = datetime.fromtimestamp(timestamp, UTC)
    return (when.year - 1970) * 12 + when.month - 1


def key_for(timestamp: int, validity: int, rounding: int) -> int:
    """The key points minted at `timestamp` get under the rule (validity, rounding)."""
    if validity == 0:
        return NEVER
    target = month_of(timestamp) + validity
    return (target // rounding) * rounding + rounding - 1


def expiry_of(key: int) -> int:
    """00:00 UTC on the first day of month key + 1."""
    if key == NEVER:
        return NO_EXPIRY
    following = key + 1
    return int(datetime(1970 + following // 12, following % 12 + 1, 1, tzinfo=UTC).timestamp())


def valid_rule(validity: int, rounding: int) -> bool:
    if validity > MAX_VALIDITY:
        return False
    return rounding in ROUNDINGS or (validity == 0 and rounding == 0)


class Insufficient(Exception):
    """A debit beyond the spendable balance; `spendable` is what ERC20InsufficientBalance says."""

    def __init__(self, spendable: int) -> None:
        super().__init__(spendable)
        self.spendable = spendable


@dataclass
class Buckets:
    """One token's buckets: holder -> {key: amount}, and the total supply."""

    held: dict[str, dict[int, int]] = field(default_factory=dict)
    supply: int = 0

    def of(self, holder: str) -> list[tuple[int, int]]:
        """(key, amount) ascending, expired included: what bucketsOf answers."""
        return sorted(self.held.get(holder, {}).items())

    def spendable(self, holder: str, month: int) -> int:
        return sum(a for k, a in self.of(holder) if k >= month)

    def expired(self, holder: str, month: int) -> int:
        return sum(a for k, a in self.of(holder) if k < month)

    def credit(self, holder: str, key: int, amount: int) -> None:
        if amount == 0:
            return
        mine = self.held.setdefault(holder, {})
        mine[key] = mine.get(key, 0) + amount

    def mint(self, holder: str, key: int, amount: int) -> None:
        self.credit(holder, key, amount)
        self.supply += amount

    def sweep(self, holder: str, month: int) -> list[tuple[int, int]]:
        """Burns the expired buckets; returns them (the PointsExpired events, in order)."""
        mine = self.held.get(holder, {})
        gone = [(k, a) for k, a in sorted(mine.items()) if k < month]
        for key, amount in gone:
            del mine[key]
            self.supply -= amount
        return gone

    def debit(self, holder: str, value: int, month: int) -> tuple[list[tuple[int, int]], list]:
        """Sweeps, then takes `value` earliest first: (swept, pieces taken as (key, amount)).
        Raises Insufficient (after no change) when the spendable balance is short."""
        spendable = self.spendable(holder, month)
        if spendable < value:
            raise Insufficient(spendable)
        swept = self.sweep(holder, month)
        mine = self.held.get(holder, {})
        pieces = []
        need = value
        for key in sorted(mine):
            if need == 0:
                break
            part = min(need, mine[key])
            pieces.append((key, part))
            need -= part
            mine[key] -= part
            if mine[key] == 0:
                del mine[key]
        return swept, pieces

    def burn(self, holder: str, value: int, month: int) -> tuple[int, list[tuple[int, int]]]:
        """A redeem or swap out: (earliest key consumed or 0, swept)."""
        swept, pieces = self.debit(holder, value, month)
        self.supply -= value
        return (pieces[0][0] if pieces else 0), swept

    def transfer(self, sender: str, receiver: str, value: int, month: int) -> list[tuple[int, int]]:
        """The receiver gets the sender's keys; returns the swept buckets (none when the
        sender sends to itself: nothing moves)."""
        if sender == receiver:
            spendable = self.spendable(sender, month)
            if spendable < value:
                raise Insufficient(spendable)
            return []
        swept, pieces = self.debit(sender, value, month)
        for key, amount in pieces:
            self.credit(receiver, key, amount)
        return swept
