"""The audit's handlers of the consortium's own contracts: ConsortiumGovernance (members,
threshold) and AttestationRegistry (published audits).

``HANDLERS`` and ``IGNORED`` are this family's rows of ``replay.HANDLERS``.
"""

from __future__ import annotations

from .decode import Log
from .replay_base import Handler, ReplayBase


def on_Attested(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.attestations.append(
        {
            "block_number": log.block_number,
            "log_index": log.log_index,
            "id": a["id"],
            "auditor": a["auditor"],
            "attested_block": a["blockNumber"],
            "attested_block_hash": a["blockHash"],
            "history_digest": a["historyDigest"],
            "report_hash": a["reportHash"],
            "timestamp": log.timestamp,
        }
    )


def on_MemberAdded(replay: ReplayBase, log: Log) -> None:
    replay.members.add(log.args["member"])


def on_MemberRemoved(replay: ReplayBase, log: Log) -> None:
    replay.members.discard(log.args["member"])


def on_ThresholdChanged(replay: ReplayBase, log: Log) -> None:
    replay.threshold = log.args["threshold"]


HANDLERS: dict[tuple[str, str], Handler] = {
    ("AttestationRegistry", "Attested"): on_Attested,
    ("ConsortiumGovernance", "MemberAdded"): on_MemberAdded,
    ("ConsortiumGovernance", "MemberRemoved"): on_MemberRemoved,
    ("ConsortiumGovernance", "ThresholdChanged"): on_ThresholdChanged,
}

IGNORED: dict[tuple[str, str], str] = {
    **{
        ("ConsortiumGovernance", event): "proposals, votes and settings are checked from the logs "
        "themselves (served_tables), not from replayed state"
        for event in (
            "ProposalCreated",
            "ProposalApproved",
            "ApprovalRevoked",
            "CancelVoted",
            "ProposalExecuted",
            "ProposalCancelled",
            "ConfigurationChanged",
            "VotingPeriodChanged",
        )
    },
    **{
        ("AttestationRegistry", event): "auditor roles are not part of the audited state"
        for event in ("RoleAdminChanged", "RoleGranted", "RoleRevoked")
    },
}
