"""The auditor's expiry buckets (issue 16): every holder's points by expiry key, rebuilt from
``ExpiryRuleChanged``, ``Transfer`` and ``PointsExpired`` alone, as PointsToken keeps them.

The rules each event is held to as it is replayed: a mint credits the key the token's rule
gives at the block's timestamp (``chain.expiry.key_for``); a transfer or burn takes the
sender's earliest unexpired keys first (FIFO) and a transfer credits the receiver with the
same keys; ``PointsExpired`` removes an expired bucket whole, and the ``Transfer`` to 0x0 that
burns it is the sweep's, not a debit. A debit beyond the unexpired points, a sweep of a bucket
that is not there, not expired or of another amount, is a finding.

Why apart from ``replay_expiry``: ``replay_base.ReplayBase`` holds an ``ExpiryReplay`` as it
holds the HTLC's records, and the handlers are functions of the replay (see ``htlc_state``).
Statements read ``expirations``: what each key held at the instant it expired, swept or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..chain import expiry
from .findings import Finding

if TYPE_CHECKING:
    from .decode import Log

CHECK = "invariant-1"


@dataclass
class TokenBuckets:
    """One points token's rule and holders' buckets (holder → key → amount)."""

    validity_months: int = 0
    rounding_months: int = 0
    rule_block: int | None = None  # the block of the last ExpiryRuleChanged (None: default)
    swept_total: int = 0  # points burned by sweeps (PointsExpired): part of ``burned``
    holders: dict[str, dict[int, int]] = field(default_factory=dict)
    # holder → points removed by PointsExpired whose Transfer to 0x0 has not been seen yet
    sweeping: dict[str, int] = field(default_factory=dict)

    def keys_of(self, holder: str) -> list[tuple[int, int]]:
        """(key, amount) ascending, expired ones included: ``bucketsOf``."""
        return sorted((k, a) for k, a in self.holders.get(holder, {}).items() if a)

    def spendable(self, holder: str, now: int) -> int:
        return sum(a for k, a in self.keys_of(holder) if not expiry.is_expired(k, now))

    def expired(self, holder: str, now: int) -> int:
        return sum(a for k, a in self.keys_of(holder) if expiry.is_expired(k, now))


@dataclass(frozen=True)
class Expiration:
    """What a key of a token held, over all holders, at the instant it expired."""

    token: str
    key: int
    instant: int
    amount: int


class ExpiryReplay:
    """Buckets of every points token; ``now`` is the audited block's timestamp."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.tokens: dict[str, TokenBuckets] = {}
        self.now = 0
        self.expirations: list[Expiration] = []
        self.closed: set[tuple[str, int]] = set()  # (token, key) whose instant has passed
        self.next_instant: int | None = None  # the earliest expiry instant not closed yet
        self.mint_key: int | None = None  # set by a family that knows a mint's key (refunds)
        # For the voucher escrow (SPEC16 §2, exchangeBurn / exchangeMintWithKey): the earliest
        # key each holder's last debit took, and each holder's last mint (key, amount).
        self.last_debit_key: dict[tuple[str, str], int] = {}
        self.last_mint: dict[tuple[str, str], tuple[int, int]] = {}

    def token(self, address: str) -> TokenBuckets:
        state = self.tokens.get(address)
        if state is None:
            state = self.tokens[address] = TokenBuckets()
        return state

    # ─── time ───────────────────────────────────────────────────────────────────────────

    def advance(self, moment: int) -> None:
        """Records every key whose expiry instant is at or before ``moment`` (before the
        block at ``moment`` changes anything): what it held then is what expired."""
        if self.next_instant is None or moment < self.next_instant:
            return
        upcoming: int | None = None
        for address, state in self.tokens.items():
            totals: dict[int, int] = {}
            for buckets in state.holders.values():
                for key, amount in buckets.items():
                    totals[key] = totals.get(key, 0) + amount
            for key, amount in sorted(totals.items()):
                instant = expiry.expires_at(key)
                if instant is None or (address, key) in self.closed:
                    continue
                if instant <= moment:
                    self.closed.add((address, key))
                    if amount:
                        self.expirations.append(Expiration(address, key, instant, amount))
                elif upcoming is None or instant < upcoming:
                    upcoming = instant
        self.next_instant = upcoming

    def _watch(self, address: str, key: int, amount: int, log: Log) -> None:
        instant = expiry.expires_at(key)
        if instant is None:
            return
        if (address, key) in self.closed:  # minted into a key already expired (a refund)
            self.expirations.append(Expiration(address, key, log.timestamp, amount))
        elif self.next_instant is None or instant < self.next_instant:
            self.next_instant = instant

    # ─── events ─────────────────────────────────────────────────────────────────────────

    def set_rule(self, address: str, validity: int, rounding: int, block: int) -> None:
        state = self.token(address)
        state.validity_months, state.rounding_months = validity, rounding
        state.rule_block = block

    def transfer(self, address: str, sender: str, receiver: str, value: int, log: Log) -> None:
        state = self.token(address)
        moved: list[tuple[int, int]]
        if sender == "0x" + "0" * 40:
            key = self.mint_key
            self.mint_key = None
            if key is None:
                key = expiry.key_for(log.timestamp, state.validity_months, state.rounding_months)
            moved = [(key, value)]
            self.last_mint[(address, receiver)] = (key, value)
        else:
            pending = state.sweeping.get(sender, 0)
            if receiver == "0x" + "0" * 40 and pending >= value:
                state.sweeping[sender] = pending - value  # the burn of a swept bucket
                return
            moved = self._debit(state, sender, value, log)
            if moved:
                self.last_debit_key[(address, sender)] = moved[0][0]
        if receiver == "0x" + "0" * 40:
            return
        buckets = state.holders.setdefault(receiver, {})
        for key, amount in moved:
            buckets[key] = buckets.get(key, 0) + amount
            self._watch(address, key, amount, log)

    def _debit(
        self, state: TokenBuckets, holder: str, value: int, log: Log
    ) -> list[tuple[int, int]]:
        """Takes ``value`` from ``holder``'s earliest unexpired keys; the keys taken."""
        buckets = state.holders.setdefault(holder, {})
        taken: list[tuple[int, int]] = []
        left = value
        for key in sorted(buckets):
            if left == 0:
                break
            if expiry.is_expired(key, log.timestamp) or not buckets[key]:
                continue
            part = min(left, buckets[key])
            buckets[key] -= part
            if not buckets[key]:
                del buckets[key]
            taken.append((key, part))
            left -= part
        if left:
            self._find(
                log,
                "unexpired balance",
                value,
                value - left,
                f"{holder} moves more than its unexpired points at the block's time",
            )
        return taken

    def rekey_last_mint(self, address: str, holder: str, key: int, log: Log) -> None:
        """Moves ``holder``'s last mint of ``address`` into ``key``: a refund minted with
        ``exchangeMintWithKey`` (its ``Transfer`` names no key; the voucher family, which
        knows the escrow's earliest key from ``last_debit_key``, calls this after it). A key
        already past its expiry instant expires the refunded points at once."""
        found = self.last_mint.pop((address, holder), None)
        if found is None or not key or found[0] == key:
            return
        old, amount = found
        buckets = self.token(address).holders.setdefault(holder, {})
        buckets[old] -= amount
        if not buckets[old]:
            del buckets[old]
        buckets[key] = buckets.get(key, 0) + amount
        self._watch(address, key, amount, log)

    def swept(self, address: str, holder: str, key: int, amount: int, log: Log) -> None:
        state = self.token(address)
        buckets = state.holders.get(holder, {})
        held = buckets.get(key, 0)
        if not expiry.is_expired(key, log.timestamp):
            self._find(
                log,
                "key",
                f"a key expired before {log.timestamp}",
                key,
                f"{holder}'s bucket {key} (last day {expiry.last_day_iso(key)}) is swept before "
                "it expired",
            )
        if held != amount:
            self._find(
                log,
                "amount",
                held,
                amount,
                f"the sweep of {holder}'s bucket {key} burns another amount than it held",
            )
        buckets.pop(key, None)
        state.sweeping[holder] = state.sweeping.get(holder, 0) + amount
        state.swept_total += amount

    def unmatched_sweeps(self) -> list[tuple[str, str, int]]:
        """(token, holder, amount) of sweeps whose burn never came (checked at the end)."""
        return [
            (address, holder, amount)
            for address, state in self.tokens.items()
            for holder, amount in state.sweeping.items()
            if amount
        ]

    def _find(self, log: Log, field_: str, expected: object, actual: object, text: str) -> None:
        self.findings.append(
            Finding(
                CHECK,
                f"{log.kind}.{log.name}",
                f"block {log.block_number} log {log.log_index} tx 0x{log.tx_hash.hex()}",
                field_,
                expected,
                actual,
                text,
            )
        )
