"""Derived state from decoded events: the one place that knows what each event means.

The projector reads events in the form stored in ``events`` (JSON args, integers as decimal
strings), so indexing a fresh chunk, undoing a reorg and rebuilding everything from the
``events`` table all go through the same code (DESIGN invariant 5: every value can be rebuilt
from events alone). How a batch's sums and rows are gathered and written: ``projection``.

Dispatch is one explicit table, ``HANDLERS``: (contract kind, event name) → handler, gathered
from one module per contract family; ``IGNORED`` names the events the index does not project,
each with its reason. An event in neither (or one whose topic is in no ABI, stored as
``Unknown``) is logged and kept in ``Projector.unknown_events``, never dropped unseen; the
``events`` row itself is always stored. ``tests/unit/test_handler_tables.py`` holds every event
of the committed ABIs to one of the two tables.

An ``events`` row names its contract by address, not kind, and a rebuild reads events alone
(no deployment to name them): so the table is looked up by event name, and ``_by_event``
checks at import that every contract declaring a name has the same handler (or ignores it).

Adding a contract family (say an HTLC): write ``project_<family>.py`` with functions
``on_<Event>(projection, event, args)`` and its ``HANDLERS`` (and ``IGNORED``) dicts keyed by
(kind, event), models and a migration for any table it fills, then add the module to
``FAMILIES`` below (and latest-value events to ``LATEST_VALUE_EVENTS``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.dispatch import gather_tables
from ..vouchers.index_models import VoucherPayment
from . import (
    htlc,
    project_exchange,
    project_expiry,
    project_governance,
    project_registry,
    project_swaps,
    project_tokens,
    project_vouchers,
)
from .models import Swap
from .projection import EventRecord, Handler, Projection

log = logging.getLogger("tongdui.indexer")

FAMILIES: tuple[ModuleType, ...] = (
    project_tokens,
    project_registry,
    project_exchange,
    project_swaps,
    project_governance,
    htlc,
    project_vouchers,
    project_expiry,
)

# Events that only change latest values: replayed alone after a reorg to recompute them.
LATEST_VALUE_EVENTS = frozenset(
    {
        "MerchantAdmitted",
        "MerchantStatusChanged",
        "MerchantAdminChanged",
        "MarketListed",
        "MarketStatusChanged",
        "PointValueChanged",
        "IssuanceCapChanged",
        "IssuanceSuspended",
        "AccountFrozen",
        "RoleGranted",
        "RoleRevoked",
        "IssuersRevoked",
        "CounterIncremented",
        "FeeChanged",
        "FeeSharesChanged",
        "PlatformPayeeChanged",
        "UserLimitChanged",
        "ValueBoundsChanged",
        "MinOrderValueChanged",
        "CoverFloorChanged",
        "ThresholdChanged",
        "Paused",
        "Unpaused",
        "MemberAdded",
        "MemberRemoved",
        "ConfigurationChanged",
        "VotingPeriodChanged",
        "ProposalCreated",
        "ProposalApproved",
        "ApprovalRevoked",
        "CancelVoted",
        "ProposalExecuted",
        "ProposalCancelled",
    }
    | htlc.EVENTS
    | project_vouchers.VOUCHER_EVENTS
)


def _tables() -> tuple[dict[tuple[str, str], Handler], dict[tuple[str, str], str]]:
    return gather_tables(FAMILIES)


def _by_event(
    handlers: dict[tuple[str, str], Handler], ignored: dict[tuple[str, str], str]
) -> dict[str, Handler]:
    """event name → handler; refuses a name that two contracts would handle differently."""
    by_name: dict[str, Handler] = {}
    for (kind, name), handler in handlers.items():
        if by_name.setdefault(name, handler) is not handler:
            raise ValueError(f"{kind}.{name}: another contract's {name} has another handler")
    for kind, name in ignored:
        if name in by_name:
            raise ValueError(f"{kind}.{name} is ignored but another contract's {name} is handled")
    return by_name


HANDLERS, IGNORED = _tables()
BY_EVENT = _by_event(HANDLERS, IGNORED)
IGNORED_EVENTS = frozenset(name for _, name in IGNORED)


class Projector(Projection):
    """Applies events of one batch to the derived tables of ``session``; call ``flush`` last.

    ``latest_only`` replays only latest-value state (used after a reorg, where sums are undone
    by ``unapply`` and per-event rows by deleting them).
    """

    def __init__(self, session: Session, *, latest_only: bool = False) -> None:
        super().__init__(session, latest_only=latest_only)
        self.unknown_events: list[tuple[str, str, int, int]] = []  # contract, event, block, log

    # ─── entry points ────────────────────────────────────────────────────────────────────

    def apply(self, events: Iterable[EventRecord]) -> None:
        for event in events:
            name = event["event"]
            handler = BY_EVENT.get(name)
            if handler is not None:
                handler(self, event, event["args"])
            elif name not in IGNORED_EVENTS:
                self._unknown(event)

    def _unknown(self, event: EventRecord) -> None:
        where = (event["contract"], event["event"], event["block_number"], event["log_index"])
        self.unknown_events.append(where)
        log.warning(
            "indexer: no handler for event %s of %s (block %d, log %d): stored, not projected",
            event["event"],
            event["contract"],
            event["block_number"],
            event["log_index"],
        )

    def unapply(self, events: Sequence[EventRecord]) -> None:
        """Subtracts the sums of ``events`` (a suffix of the log being removed). Reads the swaps
        rows for their fee split, so call it before deleting them."""
        keys = [(e["block_number"], e["log_index"]) for e in events if e["event"] == "Swapped"]
        swaps = {}
        if keys:
            first = min(block for block, _ in keys)
            table: Any = Swap.__table__
            for row in self.session.execute(select(table).where(table.c.block_number >= first)):
                swaps[(row.block_number, row.log_index)] = row._asdict()
        paid = self._voucher_payments(events)
        for event in events:
            name, args = event["event"], event["args"]
            if name == "VoucherPaid":
                project_vouchers.voucher_sums(
                    self, paid[(event["block_number"], event["log_index"])], -1
                )
            elif name in project_vouchers.VOUCHER_EVENTS:
                pass  # latest values: replayed after the rows are deleted
            elif name == "Transfer":
                self.transfer(event["contract"], args, -1)
            elif name == "Swapped":
                self.swap_sums(swaps[(event["block_number"], event["log_index"])], -1)
            elif name in ("Issued", "Redeemed"):
                self.issue_sums(name, event["contract"], args, -1)
            elif name == "OrderRejected":
                self.counters["rejected_orders"] -= 1
            else:
                self.settlement_sums(name, args, -1)

    def _voucher_payments(self, events: Sequence[EventRecord]) -> dict[tuple[int, int], Any]:
        """The ``voucher_payments`` rows of ``events``' ``VoucherPaid`` (their fee split)."""
        keys = [(e["block_number"], e["log_index"]) for e in events if e["event"] == "VoucherPaid"]
        if not keys:
            return {}
        table: Any = VoucherPayment.__table__
        first = min(block for block, _ in keys)
        rows = self.session.execute(select(table).where(table.c.block_number >= first))
        return {(row.block_number, row.log_index): row._asdict() for row in rows}
