"""The audit's handlers of points expiry (issue 16): the expiry rule and the sweeps of expired
buckets, rebuilt into ``replay.expiry`` (``expiry_state.ExpiryReplay``).

A mint's key, a transfer's FIFO keys and a burn's are replayed from ``Transfer`` by
``replay_tokens.on_Transfer`` (which calls ``ExpiryReplay.transfer``); the rule and the sweeps
are here. ``HANDLERS`` is this family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from .decode import Log
from .replay_base import Handler, ReplayBase


def on_ExpiryRuleChanged(replay: ReplayBase, log: Log) -> None:
    args = log.args
    replay.expiry.set_rule(
        log.address, args["validityMonths"], args["roundingMonths"], log.block_number
    )


def on_PointsExpired(replay: ReplayBase, log: Log) -> None:
    args = log.args
    replay.expiry.swept(log.address, args["holder"], args["key"], args["amount"], log)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsToken", "ExpiryRuleChanged"): on_ExpiryRuleChanged,
    ("PointsToken", "PointsExpired"): on_PointsExpired,
}
