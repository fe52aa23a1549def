"""What the indexer's read-side tables must hold, worked out by the audit from the replay.

``address_events`` (whose history each event belongs to) and the running totals behind the
statistics (``merchant_totals``, ``swap_users``, ``index_totals``) are what ``/history`` and
``/stats`` read, so an auditor checks them like every other table. The rules are written here
again from the events' meaning, not imported from the indexer's projector: the audit must not
share the indexer's code path.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..chain.constants import ZERO_ADDRESS

if TYPE_CHECKING:
    from .results import ReplayResult

Key = tuple[Any, ...]
Rows = dict[Key, dict[str, Any]]
TOTAL_COLUMNS = (
    "swaps_out", "points_out", "value_out", "fees_paid", "source_fees", "platform_fees",
    "relayer_fees", "swaps_in", "points_in", "value_in", "target_fees", "issues",
    "points_issued", "redemptions", "points_redeemed",
)  # fmt: skip
HISTORY_OWNER = {"Swapped": "owner", "OrderRejected": "owner", "Issued": "to", "Redeemed": "holder"}
HISTORY_KIND = {
    "Swapped": "swap",
    "OrderRejected": "rejected",
    "Issued": "issue",
    "Redeemed": "redeem",
}


def read_index_rows(result: ReplayResult) -> dict[str, tuple[tuple[str, ...], Rows]]:
    """table → (key columns, key → expected row) for the four read-side tables."""
    r = result.replay
    totals: defaultdict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TOTAL_COLUMNS, 0))
    users: defaultdict[tuple[str, str], int] = defaultdict(int)
    for s in r.swaps:
        out, into = totals[s.from_token], totals[s.to_token]
        out["swaps_out"] += 1
        out["points_out"] += s.amount_in
        out["value_out"] += s.gross_value
        out["fees_paid"] += s.fee
        out["source_fees"] += s.source_merchant_fee
        out["platform_fees"] += s.platform_fee
        out["relayer_fees"] += s.relayer_fee
        into["swaps_in"] += 1
        into["points_in"] += s.amount_out
        into["value_in"] += s.paid_to_target
        into["target_fees"] += s.target_merchant_fee
        users[(s.from_token, s.owner)] += 1
        if s.to_token != s.from_token:
            users[(s.to_token, s.owner)] += 1
    merchant_tokens = {m.token.lower() for m in r.merchants.values()}
    addresses: Rows = {}
    for log in result.logs:
        name, args = log.name, log.args
        key = (log.block_number, log.log_index)
        # A rejection whose signature the contract did not verify names an owner only a
        # relayer claimed: it belongs to nobody's history (the indexer does the same).
        if name == "OrderRejected" and not args["nonceConsumed"]:
            pass
        elif name in HISTORY_OWNER:
            addresses[(args[HISTORY_OWNER[name]], *key)] = {"kind": HISTORY_KIND[name]}
        if name in ("Issued", "Redeemed"):
            count, points = (
                ("issues", "points_issued")
                if name == "Issued"
                else ("redemptions", "points_redeemed")
            )
            totals[log.address][count] += 1
            totals[log.address][points] += int(args["amount"])
        elif (
            name == "Transfer"
            and log.address.lower() in merchant_tokens
            and ZERO_ADDRESS not in (args["from"].lower(), args["to"].lower())
        ):
            addresses[(args["from"], *key)] = {"kind": "transfer"}
            addresses[(args["to"], *key)] = {"kind": "transfer"}
    return {
        "address_events": (("address", "block_number", "log_index"), addresses),
        "merchant_totals": (
            ("token",),
            {(token,): row for token, row in totals.items() if any(row.values())},
        ),
        "swap_users": (
            ("token", "owner"),
            {key: {"swaps": count} for key, count in users.items() if count},
        ),
        "index_totals": (
            ("name",),
            {("rejected_orders",): {"value": len(r.rejections)}} if r.rejections else {},
        ),
    }
