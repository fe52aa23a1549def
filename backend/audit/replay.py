"""The auditor's own state machine: the platform's state rebuilt from its events alone (into
the records of ``state.py``).

Written apart from the indexer on purpose: an audit that reused the indexer's projector would
share its bugs. Each handler follows the Solidity it mirrors (PointsExchange, FeeSplit,
SwapMath, PointsToken, MerchantRegistry) and checks, as it goes, the invariants that belong to
one event: a swap priced with the values and fee in force at its block, its fee split exactly
as FeeSplit.sol does it, a nonce used once, no withdrawal above the credit.

Dispatch is one explicit table, ``HANDLERS``: (contract kind, event name) → handler, gathered
from one module per contract family; ``IGNORED`` names the events that change nothing the
audit rebuilds, each with its reason. A log whose (kind, event) is in neither, or whose topic
is in no ABI, is a finding (invariant 5: the audit cannot vouch for what it cannot read), never
silently dropped. ``tests/unit/test_handler_tables.py`` holds every event of the committed
ABIs to one of the two tables.

Adding a contract family (say an HTLC): write ``replay_<family>.py`` with functions
``on_<Event>(replay, log)`` and its ``HANDLERS`` (and ``IGNORED``) dicts keyed by
(kind, event), state records in ``state.py`` and fields in ``replay_base.ReplayBase`` if it
keeps any, then add the module to ``FAMILIES`` below (and its kind to ``decode.KINDS``).
"""

from __future__ import annotations

from types import ModuleType

from ..core.dispatch import gather_tables
from . import (
    htlc,
    replay_exchange,
    replay_expiry,
    replay_governance,
    replay_registry,
    replay_swaps,
    replay_tokens,
    replay_vouchers,
)
from .decode import Log
from .replay_base import Handler, ReplayBase

FAMILIES: tuple[ModuleType, ...] = (
    replay_tokens,
    replay_registry,
    replay_exchange,
    replay_swaps,
    replay_governance,
    htlc,
    replay_expiry,
    replay_vouchers,
)


def _tables() -> tuple[dict[tuple[str, str], Handler], dict[tuple[str, str], str]]:
    return gather_tables(FAMILIES)


HANDLERS, IGNORED = _tables()


class Replay(ReplayBase):
    """Apply logs in (block, logIndex) order; read the rebuilt state and the findings."""

    def apply(self, log: Log) -> None:
        self.event_counts[log.name or "unknown"] += 1
        self.last_block = log.block_number
        self.expiry.advance(log.timestamp)  # keys expired before this block's events
        handler = HANDLERS.get((log.kind, log.name))
        if handler is not None:
            handler(self, log)
        elif (log.kind, log.name) not in IGNORED:
            self._unknown(log)

    def _unknown(self, log: Log) -> None:
        topic = f"topic 0x{log.topics[0].hex()}" if log.topics else "(no topic)"
        event = log.name or topic
        self.find(
            "invariant-5",
            log,
            "event",
            "an event the audit replays or ignores with a reason",
            event,
            f"the audit has no handler for {log.kind}.{event}: it cannot rebuild its effect",
        )
