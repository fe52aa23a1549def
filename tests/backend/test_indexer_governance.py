"""The index of governance mirrors the contract's rules: votes count only in their
configuration epoch, a majority of cancel votes cancels, and a proposal past its deadline is
expired; and that state is the same after a rebuild from the events alone."""

# ruff: noqa: F401, F811 - pytest fixtures are imported by name

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.backend.indexer_support import (
    assert_derived_equals_a_rebuild,
    database_url,
    index_services,
    postgres_server_url,
)
from tests.chains import TestChain
from tongdui.chain.transactions import Signer, wait_for
from tongdui.core.config import ANVIL_KEYS
from tongdui.indexer import Indexer
from tongdui.indexer.models import GovernanceProposal, GovernanceVote, PlatformParameter
from tongdui.services import Services

WEEK = 7 * 24 * 3600


class Members:
    """The three demo members, sending governance transactions."""

    def __init__(self, chain: TestChain) -> None:
        self.w3, self.gov = chain.w3, chain.platform.governance
        self.signers = [Signer(chain.w3, key) for key in ANVIL_KEYS[1:4]]

    def send(self, member: int, call: Any) -> None:
        wait_for(self.w3, [self.signers[member].transact(call, gas=1_000_000)])

    def propose_threshold(self, member: int, threshold: int) -> int:
        data = self.gov.encode_abi("setThreshold", args=[threshold])
        pid = int(self.gov.functions.proposalCount().call()) + 1
        self.send(member, self.gov.functions.propose([(self.gov.address, 0, data)], "t"))
        return pid


def _proposal(services: Services, pid: int) -> GovernanceProposal:
    with services.sessions() as session:
        proposal = session.get(GovernanceProposal, pid)
        assert proposal is not None
        session.expunge(proposal)
        return proposal


def test_stale_approvals_are_zeroed_in_the_index_after_a_threshold_change(
    clean_chain: TestChain, index_services: Services
) -> None:
    members, gov = Members(clean_chain), clean_chain.platform.governance.functions
    stale = members.propose_threshold(0, 2)  # approved by its proposer only
    change = members.propose_threshold(0, 3)
    members.send(1, gov.approve(change))
    members.send(0, gov.execute(change))
    members.send(2, gov.approve(stale))

    Indexer(index_services).run_once()

    assert gov.approvalCount(stale).call() == 1
    assert _proposal(index_services, stale).approvals == 1  # member 3's, in the new epoch
    with index_services.sessions() as session:
        epoch = session.get(PlatformParameter, "governance_epoch")
        assert epoch is not None and epoch.value == gov.configurationEpoch().call() == 2
        votes = session.scalars(
            select(GovernanceVote).where(GovernanceVote.proposal_id == stale)
        ).all()
        assert [(v.kind, v.epoch) for v in votes] == [("approved", 1), ("approved", 2)]
    assert_derived_equals_a_rebuild(index_services)


def test_a_majority_of_cancel_votes_is_indexed_as_cancelled(
    clean_chain: TestChain, index_services: Services
) -> None:
    members, gov = Members(clean_chain), clean_chain.platform.governance.functions
    pid = members.propose_threshold(0, 3)
    members.send(0, gov.cancel(pid))
    indexer = Indexer(index_services)
    indexer.run_once()
    assert _proposal(index_services, pid).cancel_votes == 1
    assert _proposal(index_services, pid).status == "pending"

    members.send(2, gov.cancel(pid))
    indexer.run_once()

    assert gov.proposalState(pid).call() == 3
    assert _proposal(index_services, pid).status == "cancelled"
    assert_derived_equals_a_rebuild(index_services)


def test_a_proposal_past_its_voting_period_reads_as_expired(
    clean_chain: TestChain, index_services: Services
) -> None:
    members, gov = Members(clean_chain), clean_chain.platform.governance.functions
    pid = members.propose_threshold(0, 3)
    Indexer(index_services).run_once()
    proposal = _proposal(index_services, pid)

    # the index's deadline is the contract's (moving this shared chain's clock a week ahead
    # would expire other tests' orders: the contract tests check expiry on chain)
    assert proposal.deadline == gov.proposalDeadline(pid).call() == proposal.created_at + WEEK
    assert proposal.status_at(proposal.deadline) == "pending"
    assert proposal.status_at(proposal.deadline + 1) == "expired"
