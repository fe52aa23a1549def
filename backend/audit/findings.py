"""What the audit reports when something does not match: one ``Finding`` per difference."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# The checks a finding belongs to: docs/design.md's invariants, the contracts' own state, the
# indexer database, a clearing statement.
CHECKS = {
    "invariant-1": "Σ balances == totalSupply; supply == minted − burned",
    "invariant-2": "swaps conserve settlement value; exchange holds at least Σ accounts + credits",
    "invariant-3": "fee shares credited == fees charged; withdrawals ≤ credit",
    "invariant-4": "an order executes at most once, never expired or cancelled",
    "invariant-5": "every value on the chain is rebuilt from events alone",
    "htlc": "token.balanceOf(htlc) == Σ open locks; each lock settles once, by its rules",
    "vouchers": "each voucher sells, is redeemed or expires once, by its product's rules",
    "database": "the indexer database equals the replay",
    "statement": "a clearing statement equals the one rebuilt from the chain",
}


def jsonable(value: Any) -> Any:
    """Integers beyond 2^53 would lose digits in JavaScript: big ints become strings."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Finding:
    """A difference, named: which check, where (contract call or table), which row or event,
    which field, the value rebuilt from the chain's events and the value found."""

    check: str
    where: str
    key: str
    field: str
    expected: Any
    actual: Any
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return jsonable(asdict(self))  # type: ignore[no-any-return]

    def line(self) -> str:
        text = f"[{self.check}] {self.where} {self.key}"
        if self.field:
            text += f" .{self.field}"
        text += f": expected {self.expected!r}, found {self.actual!r}"
        return text + (f" — {self.message}" if self.message else "")
