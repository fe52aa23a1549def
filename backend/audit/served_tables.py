"""What the index's settings and governance tables must hold, and the relayer's record of
each order checked against the chain.

``platform_parameters`` (fee, shares, payee, limits, bounds, threshold, pauses),
``governance_proposals`` and ``governance_votes`` are served by the API, so the audit rebuilds
them from the events (again written from the events' meaning, not from the indexer's
projector). ``relayer_orders`` is what ``GET /orders/{hash}`` answers: an order the relayer
calls settled must be a ``Swapped`` of the chain with the same amounts, one it calls rejected
must not have settled, and one rejected on chain must carry that ``OrderRejected``.
``relayer_requests`` (gifts, cancellations) called done must point at a transaction the
audited history holds. Rows the relayer wrote about blocks after the audited one are left for
the next audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..chain.constants import DEFAULT_VOTING_PERIOD
from .findings import Finding
from .stored_form import event_json, text_form

if TYPE_CHECKING:
    from .results import ReplayResult

Key = tuple[Any, ...]
Rows = dict[Key, dict[str, Any]]


def _ints(args: dict[str, Any], *names: str) -> dict[str, int]:
    return {name: int(args[name]) for name in names}


def parameter_rows(result: ReplayResult) -> Rows:
    """``platform_parameters``: each setting's latest value and the block that set it."""
    rows: Rows = {}
    for log in result.logs:
        a, name = log.args, log.name
        value: Any
        if name == "FeeChanged":
            key, value = "fee_bps", int(a["feeBps"])
        elif name == "FeeSharesChanged":
            key = "fee_shares"
            value = _ints(a, "platformBps", "sourceMerchantBps", "targetMerchantBps", "relayerBps")
        elif name == "PlatformPayeeChanged":
            key, value = "platform_payee", text_form(a["payee"])
        elif name == "UserLimitChanged":
            key, value = "user_limit", event_json(dict(a))
        elif name == "ValueBoundsChanged":
            key, value = "value_bounds", event_json(dict(a))
        elif name == "MinOrderValueChanged":
            key, value = "min_order_value", int(a["minOrderValue"])
        elif name == "CoverFloorChanged":
            key, value = "cover_floor_bps", int(a["coverFloorBps"])
        elif name == "ThresholdChanged":
            key, value = "governance_threshold", int(a["threshold"])
        elif name == "ConfigurationChanged":
            key, value = "governance_epoch", int(a["epoch"])
        elif name == "VotingPeriodChanged":
            key, value = "governance_voting_period", int(a["votingPeriod"])
        elif name in ("Paused", "Unpaused"):
            key, value = f"paused:{text_form(log.address)}", name == "Paused"
        else:
            continue
        rows[(key,)] = {"value": value, "block_number": log.block_number}
    return rows


def governance_rows(result: ReplayResult) -> dict[str, tuple[tuple[str, ...], Rows]]:
    """``governance_proposals``, ``governance_votes`` and ``governance_members``.

    As the contract counts them: a proposal's deadline is its creation time plus the voting
    period then in force; approvals and cancel votes count only in the configuration epoch
    they were cast in, so a ``ConfigurationChanged`` sets the open proposals' counts to 0.
    """
    proposals: Rows = {}
    votes: Rows = {}
    members: Rows = {}
    epoch, voting_period = 0, DEFAULT_VOTING_PERIOD
    kinds = {"ProposalApproved": "approved", "ApprovalRevoked": "revoked", "CancelVoted": "cancel"}
    for log in result.logs:
        a, name = log.args, log.name
        if name == "MemberAdded":
            members.setdefault((a["member"],), {"added_block": log.block_number})
        elif name == "MemberRemoved":
            members.pop((a["member"],), None)
        elif name == "ConfigurationChanged":
            epoch = int(a["epoch"])
            for proposal in proposals.values():
                if proposal["status"] == "pending":
                    proposal["approvals"], proposal["cancel_votes"] = 0, 0
        elif name == "VotingPeriodChanged":
            voting_period = int(a["votingPeriod"])
        elif name == "ProposalCreated":
            proposals[(int(a["id"]),)] = {
                "proposer": a["proposer"],
                "description": a["description"],
                "calls": event_json(a["calls"]),
                "status": "pending",
                "approvals": 0,
                "cancel_votes": 0,
                "created_block": log.block_number,
                "created_at": log.timestamp,
                "closed_block": None,
                "deadline": log.timestamp + voting_period,
            }
        elif name in kinds:
            kind = kinds[name]
            voted = proposals.get((int(a["id"]),))
            if voted is not None:
                column = "cancel_votes" if kind == "cancel" else "approvals"
                voted[column] += -1 if kind == "revoked" else 1
            votes[(log.block_number, log.log_index)] = {
                "tx_hash": "0x" + log.tx_hash.hex(),
                "block_timestamp": log.timestamp,
                "proposal_id": int(a["id"]),
                "member": a["member"],
                "kind": kind,
                "epoch": epoch,
            }
        elif name in ("ProposalExecuted", "ProposalCancelled"):
            closed = proposals.get((int(a["id"]),))
            if closed is not None:
                closed["status"] = "executed" if name == "ProposalExecuted" else "cancelled"
                closed["closed_block"] = log.block_number
    return {
        "governance_proposals": (("id",), proposals),
        "governance_votes": (("block_number", "log_index"), votes),
        "governance_members": (("member",), members),
    }


# ─── the relayer's records ────────────────────────────────────────────────────────────────

KNOWN_STATES = ("received", "held", "submitted", "settled", "rejected")  # held: risk review


def _finding(table: str, key: str, field: str, expected: Any, actual: Any, message: str) -> Finding:
    return Finding("database", f"db:{table}", key, field, expected, actual, message)


def check_relayer_orders(rows: Iterable[dict[str, Any]], result: ReplayResult) -> list[Finding]:
    """Each order the relayer reports against the chain's ``Swapped``/``OrderRejected``."""
    swaps = {s.order_hash: s for s in result.replay.swaps}
    rejections: dict[str, set[int]] = {}
    for rejection in result.replay.rejections:
        rejections.setdefault(rejection["order_hash"], set()).add(rejection["block_number"])
    findings: list[Finding] = []
    for row in rows:
        order_hash = str(row["order_hash"])
        key = f"order_hash={order_hash}"
        state, block = row["state"], row["block_number"]
        if state not in KNOWN_STATES:
            findings.append(
                _finding(
                    "relayer_orders", key, "state", "|".join(KNOWN_STATES), state, "no such state"
                )
            )
            continue
        if isinstance(block, int) and block > result.to_block:
            continue  # written about a block this audit does not reach
        swap = swaps.get(order_hash.lower())
        if state == "settled":
            if swap is None:
                findings.append(
                    _finding(
                        "relayer_orders",
                        key,
                        "state",
                        "no Swapped on chain",
                        state,
                        "the relayer calls settled an order the chain never settled",
                    )
                )
                continue
            expected = {
                "owner": text_form(swap.owner),
                "from_token": text_form(swap.from_token),
                "to_token": text_form(swap.to_token),
                "amount_in": swap.amount_in,
                "amount_out": swap.amount_out,
                "fee": swap.fee,
                "gross_value": swap.gross_value,
                "block_number": swap.block_number,
                "tx_hash": text_form(swap.tx_hash),
                "nonce": str(swap.nonce),
            }
            for column, value in expected.items():
                stored_value = row.get(column)
                if type(stored_value) is not type(value) or stored_value != value:
                    findings.append(
                        _finding(
                            "relayer_orders",
                            key,
                            column,
                            value,
                            stored_value,
                            "the relayer's record differs from the chain's Swapped",
                        )
                    )
        elif swap is not None:
            findings.append(
                _finding(
                    "relayer_orders",
                    key,
                    "state",
                    "settled",
                    state,
                    f"the chain settled this order at block {swap.block_number}",
                )
            )
        elif (
            state == "rejected"
            and block is not None
            and block not in rejections.get(order_hash.lower(), set())
        ):
            findings.append(
                _finding(
                    "relayer_orders",
                    key,
                    "block_number",
                    "an OrderRejected in that block",
                    block,
                    "the relayer says the chain rejected it there; the chain did not",
                )
            )
    return findings


def check_relayer_requests(rows: Iterable[dict[str, Any]], result: ReplayResult) -> list[Finding]:
    """A gift or cancellation called done must be a transaction of the audited history."""
    transactions = {("0x" + log.tx_hash.hex(), log.block_number) for log in result.logs}
    findings: list[Finding] = []
    for row in rows:
        if row["state"] != "done":
            continue
        block, tx_hash = row["block_number"], row["tx_hash"]
        if isinstance(block, int) and block > result.to_block:
            continue
        if (str(tx_hash).lower(), block) not in transactions:
            findings.append(
                _finding(
                    "relayer_requests",
                    f"request_hash={row['request_hash']}",
                    "tx_hash",
                    "a platform transaction in that block",
                    f"{tx_hash} @ {block}",
                    "the relayer calls done a request the chain has no event of",
                )
            )
    return findings
