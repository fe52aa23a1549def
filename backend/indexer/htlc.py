"""The HTLC's events in the index: one ``htlc_locks`` row per lock, its state kept current.

Why a module of its own: the projector's dispatch finds a handler here (``HANDLERS``, keyed
by (contract kind, event) as a per-family table; ``BY_EVENT`` by event name), so the hashed
timelocks of cross-chain swaps (issue 17) add no code to the exchange's projector. A lock's
row changes when it settles, which makes ``htlc_locks`` a latest-value table: its events are
in ``LATEST_VALUE_EVENTS`` and a reorg rebuilds it from the events that remain, as it does
the merchants and proposals.

Amounts are the points themselves (whole points, ``int64`` as every amount of the index);
hashes and the preimage are ``0x`` lower-case hex, as the decoder gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.db import check_int64
from .models import HtlcLock

if TYPE_CHECKING:
    from .projector import Projector

EventRecord = Mapping[str, Any]

OPEN, CLAIMED, REFUNDED = "open", "claimed", "refunded"


def on_HtlcLocked(projector: Projector, event: EventRecord, args: Mapping[str, Any]) -> None:
    projector.session.add(
        HtlcLock(
            lock_id=args["lockId"],
            htlc=event["contract"],
            token=args["token"],
            sender=args["sender"],
            receiver=args["receiver"],
            amount=check_int64(int(args["amount"]), "amount"),
            hashlock=args["hashlock"],
            timelock=int(args["timelock"]),
            counterpart_timelock=int(args["counterpartTimelock"]),
            state=OPEN,
            preimage=None,
            locked_block=event["block_number"],
            locked_tx=event["tx_hash"],
            locked_at=event["block_timestamp"],
        )
    )


def _settle(projector: Projector, event: EventRecord, state: str) -> HtlcLock | None:
    """Marks the event's lock settled; None if the index never saw it locked (the audit
    reports such a lock; the chain cannot produce one)."""
    row = projector.session.get(HtlcLock, event["args"]["lockId"])
    if row is None:
        return None
    row.state = state
    row.settled_block = event["block_number"]
    row.settled_tx = event["tx_hash"]
    row.settled_at = event["block_timestamp"]
    return row


def on_HtlcClaimed(projector: Projector, event: EventRecord, args: Mapping[str, Any]) -> None:
    row = _settle(projector, event, CLAIMED)
    if row is not None:
        row.preimage = args["preimage"]


def on_HtlcRefunded(projector: Projector, event: EventRecord, args: Mapping[str, Any]) -> None:
    _settle(projector, event, REFUNDED)


Handler = Callable[["Projector", EventRecord, Mapping[str, Any]], None]
HANDLERS: dict[tuple[str, str], Handler] = {
    ("HashedTimelock", "HtlcLocked"): on_HtlcLocked,
    ("HashedTimelock", "HtlcClaimed"): on_HtlcClaimed,
    ("HashedTimelock", "HtlcRefunded"): on_HtlcRefunded,
}
BY_EVENT = {name: handler for (_, name), handler in HANDLERS.items()}
EVENTS = frozenset(BY_EVENT)
