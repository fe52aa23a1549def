"""Projecting points expiry (issue 16) into ``expiry_buckets`` and ``expiry_rules``.

``Buckets`` is one batch's view: a holder's buckets are read once when first touched, changed
in memory as the batch's events come (a mint credits the key the token's rule gives at the
block's timestamp; a debit takes the earliest unexpired keys first and a transfer credits the
receiver with the same keys; ``PointsExpired`` removes a bucket and the ``Transfer`` to 0x0
that follows it is the sweep's burn), and written back at ``flush``. ``replay`` recomputes
both tables from ``events`` (after a reorg, and in a rebuild).

Written apart from the audit's ``expiry_state`` on purpose (the audit must not share the
indexer's code path); both take keys and dates from ``chain.expiry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, delete, inspect, or_, select, update
from sqlalchemy.orm import Session

from ..chain import expiry
from ..chain.constants import ZERO_ADDRESS
from ..core.db import check_int64
from ..vouchers.index_models import IndexedVoucherPurchase
from .expiry_models import EXPIRY_TABLES, ExpiryBucket, ExpiryRule
from .models import Event, Merchant

EVENTS = ("ExpiryRuleChanged", "Transfer", "PointsExpired", "PurchasePending", "PurchaseRefunded")
REPLAY_BATCH = 5_000


class Buckets:
    """The buckets and rules one batch touches (see the module docstring)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.held: dict[tuple[str, str], dict[int, int]] = {}
        self.dirty: set[tuple[str, str]] = set()
        self.rules: dict[str, tuple[int, int]] = {}
        self.sweeping: dict[tuple[str, str], int] = {}
        # the voucher escrow's seam (exchangeBurn / exchangeMintWithKey, SPEC16 §2): the
        # earliest key of each holder's last debit, and each holder's last mint (key, amount)
        self.last_debit_key: dict[tuple[str, str], int] = {}
        self.last_mint: dict[tuple[str, str], tuple[int, int]] = {}
        # a replay's pending purchases: purchase id -> (pay token, owner, escrow's earliest key)
        self.escrows: dict[str, tuple[str, str, int]] = {}

    def _buckets(self, token: str, holder: str) -> dict[int, int]:
        found = self.held.get((token, holder))
        if found is None:
            rows = self.session.execute(
                select(ExpiryBucket.key, ExpiryBucket.amount).where(
                    ExpiryBucket.token == token, ExpiryBucket.holder == holder
                )
            )
            found = self.held[(token, holder)] = {int(k): int(a) for k, a in rows}
        return found

    def _rule(self, token: str) -> tuple[int, int]:
        rule = self.rules.get(token)
        if rule is None:
            row = self.session.get(ExpiryRule, token)
            rule = (0, 0) if row is None else (row.validity_months, row.rounding_months)
            self.rules[token] = rule
        return rule

    def set_rule(self, token: str, validity: int, rounding: int, block: int) -> None:
        self.rules[token] = (validity, rounding)
        row = self.session.get(ExpiryRule, token)
        if row is None:
            self.session.add(
                ExpiryRule(
                    token=token,
                    validity_months=validity,
                    rounding_months=rounding,
                    block_number=block,
                )
            )
        else:
            row.validity_months, row.rounding_months = validity, rounding
            row.block_number = block

    def transfer(self, token: str, sender: str, receiver: str, value: int, now: int) -> None:
        if sender == ZERO_ADDRESS:
            moved = [(expiry.key_for(now, *self._rule(token)), value)]
            self.last_mint[(token, receiver)] = moved[0]
        else:
            pending = self.sweeping.get((token, sender), 0)
            if receiver == ZERO_ADDRESS and pending >= value:
                self.sweeping[(token, sender)] = pending - value  # a swept bucket's burn
                return
            moved = self._debit(token, sender, value, now)
            if moved:
                self.last_debit_key[(token, sender)] = moved[0][0]
        if receiver == ZERO_ADDRESS:
            return
        buckets = self._buckets(token, receiver)
        for key, amount in moved:
            buckets[key] = buckets.get(key, 0) + amount
        self.dirty.add((token, receiver))

    def _debit(self, token: str, holder: str, value: int, now: int) -> list[tuple[int, int]]:
        buckets = self._buckets(token, holder)
        taken: list[tuple[int, int]] = []
        for key in sorted(buckets):
            if value == 0:
                break
            if expiry.is_expired(key, now):
                continue
            part = min(value, buckets[key])
            buckets[key] -= part
            value -= part
            taken.append((key, part))
        self.dirty.add((token, holder))
        return taken

    def rekey_last_mint(self, token: str, holder: str, key: int) -> None:
        """Moves ``holder``'s last mint into ``key``: a refund by ``exchangeMintWithKey``,
        whose ``Transfer`` names no key (the voucher handlers call it, in the same batch)."""
        found = self.last_mint.pop((token, holder), None)
        if found is None or found[0] == key:
            return
        old, amount = found
        buckets = self._buckets(token, holder)
        buckets[old] -= amount
        buckets[key] = buckets.get(key, 0) + amount
        self.dirty.add((token, holder))

    def escrowed(self, purchase_id: str, token: str, owner: str) -> int:
        """The earliest key of the points a points + cash purchase just escrowed (burned in
        its ``PurchasePending`` transaction), remembered for its refund; 0 if none."""
        key = self.last_debit_key.get((token, owner), 0)
        self.escrows[purchase_id.lower()] = (token, owner, key)
        return key

    def refunded(self, purchase_id: str) -> None:
        """A pending purchase of this replay refunded: its points came back by
        ``exchangeMintWithKey`` under the escrow's earliest key (the live indexer, whose
        purchase may be pending since an earlier batch, keeps the key in its row instead)."""
        found = self.escrows.get(purchase_id.lower())
        if found is not None and found[2]:
            self.rekey_last_mint(*found)

    def swept(self, token: str, holder: str, key: int, amount: int) -> None:
        self._buckets(token, holder).pop(key, None)
        self.dirty.add((token, holder))
        self.sweeping[(token, holder)] = self.sweeping.get((token, holder), 0) + amount

    def flush(self) -> None:
        """Writes every touched holder's buckets (rows with no points are deleted)."""
        if not self.dirty:
            return
        for token, holder in sorted(self.dirty):
            self.session.execute(
                delete(ExpiryBucket).where(
                    ExpiryBucket.token == token, ExpiryBucket.holder == holder
                )
            )
        rows = [
            {"token": t, "holder": h, "key": k, "amount": check_int64(a, f"bucket {k} of {h}")}
            for t, h in sorted(self.dirty)
            for k, a in sorted(self.held[(t, h)].items())
            if a
        ]
        if rows:
            self.session.execute(ExpiryBucket.__table__.insert(), rows)  # type: ignore[attr-defined]
        self.dirty.clear()


def apply(buckets: Buckets, tokens: set[str], events: Iterable[Mapping[str, Any]]) -> None:
    """Applies ``events`` (``events`` rows) of the merchants' ``tokens`` to ``buckets``."""
    for event in events:
        token, args = event["contract"], event["args"]
        if event["event"] == "PurchasePending":  # the voucher book's escrow (replay only)
            if int(args["pointsIn"]):
                buckets.escrowed(str(args["purchaseId"]), args["payToken"], args["owner"])
            continue
        if event["event"] == "PurchaseRefunded":
            buckets.refunded(str(args["purchaseId"]))
            continue
        if token not in tokens:
            continue
        if event["event"] == "Transfer":
            buckets.transfer(
                token, args["from"], args["to"], int(args["value"]), event["block_timestamp"]
            )
        elif event["event"] == "PointsExpired":
            buckets.swept(token, args["holder"], int(args["key"]), int(args["amount"]))
        elif event["event"] == "ExpiryRuleChanged":
            buckets.set_rule(
                token,
                int(args["validityMonths"]),
                int(args["roundingMonths"]),
                event["block_number"],
            )


def clear(session: Session) -> None:
    """Empties the expiry tables (when they exist: a migration before ``expiry_0001`` may
    rebuild the index before they are made)."""
    names = set(inspect(session.connection()).get_table_names())
    for model in EXPIRY_TABLES:
        if model.__tablename__ in names:
            session.execute(delete(model))


def replay(session: Session) -> int:
    """Recomputes both tables from ``events``; returns the events replayed."""
    clear(session)
    session.flush()
    tokens = set(session.scalars(select(Merchant.token)))
    buckets = Buckets(session)
    block, index, replayed = -1, -1, 0
    columns = (
        Event.block_number,
        Event.log_index,
        Event.block_timestamp,
        Event.contract,
        Event.event,
        Event.args,
    )
    while True:
        after = or_(
            Event.block_number > block, and_(Event.block_number == block, Event.log_index > index)
        )
        batch = [
            row._asdict()
            for row in session.execute(
                select(*columns)
                .where(after, Event.event.in_(EVENTS))
                .order_by(Event.block_number, Event.log_index)
                .limit(REPLAY_BATCH)
            )
        ]
        if not batch:
            buckets.flush()
            _write_escrow_keys(session, buckets.escrows)
            return replayed
        apply(buckets, tokens, batch)
        buckets.flush()
        replayed += len(batch)
        block, index = batch[-1]["block_number"], batch[-1]["log_index"]


def _write_escrow_keys(session: Session, escrows: Mapping[str, tuple[str, str, int]]) -> None:
    """Gives the purchases the replay saw escrow points their earliest key: the voucher rows
    were rebuilt by a latest-values replay, which runs no Transfer through the buckets, so a
    purchase still pending keeps the key its refund will need."""
    for purchase_id, (_token, _owner, key) in escrows.items():
        session.execute(
            update(IndexedVoucherPurchase)
            .where(IndexedVoucherPurchase.purchase_id == purchase_id)
            .values(earliest_key=key)
        )
