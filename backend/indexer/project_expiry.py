"""The indexer's handlers of points expiry (issue 16): the expiry rule and the sweeps of
expired buckets, into ``expiry_rules`` and ``expiry_buckets`` (``expiry_buckets.Buckets``).
The buckets' mints, transfers and burns come from ``Transfer`` (``project_tokens.on_Transfer``
hands each points transfer to ``projection.expiry``). On a reorg both tables are replayed from
``events`` (``store.rollback_to``), so nothing here runs in a latest-values replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .expiry_buckets import apply
from .projection import EventRecord, Handler, Projection


def on_expiry_event(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if not projection.latest_only:
        apply(projection.expiry, set(projection.merchants_by_token), [event])


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsToken", "ExpiryRuleChanged"): on_expiry_event,
    ("PointsToken", "PointsExpired"): on_expiry_event,
}
