"""The indexer's handlers of the consortium's own contracts: ConsortiumGovernance (members,
threshold, epochs, proposals and votes) and AttestationRegistry (published audits).
``HANDLERS`` are this family's rows of ``projector.HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from ..chain.constants import DEFAULT_VOTING_PERIOD
from .models import Attestation, GovernanceMember, GovernanceProposal, GovernanceVote
from .projection import EventRecord, Handler, Projection


def on_ThresholdChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("governance_threshold", int(args["threshold"]), event)


def on_MemberAdded(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if projection.session.get(GovernanceMember, args["member"]) is None:
        projection.session.add(
            GovernanceMember(member=args["member"], added_block=event["block_number"])
        )


def on_MemberRemoved(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    member = projection.session.get(GovernanceMember, args["member"])
    if member is not None:
        projection.session.delete(member)


def on_ConfigurationChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    """A membership or threshold change voids every vote cast before it (on chain, votes
    count only in their epoch): the open proposals' counts start again from 0."""
    projection.set_param("governance_epoch", int(args["epoch"]), event)
    pending = select(GovernanceProposal).where(GovernanceProposal.status == "pending")
    for proposal in projection.session.scalars(pending):
        proposal.approvals, proposal.cancel_votes = 0, 0


def on_VotingPeriodChanged(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    projection.set_param("governance_voting_period", int(args["votingPeriod"]), event)


def on_ProposalCreated(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    period = projection.param("governance_voting_period", DEFAULT_VOTING_PERIOD)
    projection.session.add(
        GovernanceProposal(
            id=int(args["id"]),
            proposer=args["proposer"],
            description=args["description"],
            calls=args["calls"],
            status="pending",
            approvals=0,
            cancel_votes=0,
            created_block=event["block_number"],
            created_at=event["block_timestamp"],
            closed_block=None,
            deadline=int(event["block_timestamp"]) + period,
        )
    )


def _vote(
    projection: Projection, event: EventRecord, args: Mapping[str, Any], kind: str, step: int
) -> None:
    proposal = projection.session.get(GovernanceProposal, int(args["id"]))
    if proposal is not None:
        if kind == "cancel":
            proposal.cancel_votes += step
        else:
            proposal.approvals += step
    if not projection.latest_only:
        projection.row(
            GovernanceVote,
            event,
            proposal_id=int(args["id"]),
            member=args["member"],
            kind=kind,
            epoch=projection.param("governance_epoch", 0),
        )


def on_ProposalApproved(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    _vote(projection, event, args, "approved", 1)


def on_ApprovalRevoked(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    _vote(projection, event, args, "revoked", -1)


def on_CancelVoted(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    _vote(projection, event, args, "cancel", 1)


def _close(
    projection: Projection, event: EventRecord, args: Mapping[str, Any], status: str
) -> None:
    proposal = projection.session.get(GovernanceProposal, int(args["id"]))
    if proposal is not None:
        proposal.status, proposal.closed_block = status, event["block_number"]


def on_ProposalExecuted(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    _close(projection, event, args, "executed")


def on_ProposalCancelled(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    _close(projection, event, args, "cancelled")


def on_Attested(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if not projection.latest_only:
        projection.row(
            Attestation,
            event,
            id=int(args["id"]),
            auditor=args["auditor"],
            attested_block=int(args["blockNumber"]),
            attested_block_hash=args.get("blockHash"),  # absent before issue 13
            history_digest=args["historyDigest"],
            report_hash=args["reportHash"],
        )


HANDLERS: dict[tuple[str, str], Handler] = {
    ("ConsortiumGovernance", "ThresholdChanged"): on_ThresholdChanged,
    ("ConsortiumGovernance", "MemberAdded"): on_MemberAdded,
    ("ConsortiumGovernance", "MemberRemoved"): on_MemberRemoved,
    ("ConsortiumGovernance", "ConfigurationChanged"): on_ConfigurationChanged,
    ("ConsortiumGovernance", "VotingPeriodChanged"): on_VotingPeriodChanged,
    ("ConsortiumGovernance", "ProposalCreated"): on_ProposalCreated,
    ("ConsortiumGovernance", "ProposalApproved"): on_ProposalApproved,
    ("ConsortiumGovernance", "ApprovalRevoked"): on_ApprovalRevoked,
    ("ConsortiumGovernance", "CancelVoted"): on_CancelVoted,
    ("ConsortiumGovernance", "ProposalExecuted"): on_ProposalExecuted,
    ("ConsortiumGovernance", "ProposalCancelled"): on_ProposalCancelled,
    ("AttestationRegistry", "Attested"): on_Attested,
}
