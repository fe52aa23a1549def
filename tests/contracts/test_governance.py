"""ConsortiumGovernance: proposals, approvals, execution, cancellation, membership, threshold,
voting period and configuration epochs.

Members are accounts[1..3] with a threshold of 2 (scripts/deploy.py); accounts[0] is not a
member. Every revert is asserted with its custom error and arguments.
"""

from __future__ import annotations

from typing import Any

from brownie import ConsortiumGovernance, accounts, chain

from tests.helpers import call_failed, reverts_with

OPEN, EXECUTED, CANCELLED, EXPIRED = 1, 2, 3, 4
ZERO_ADDRESS = "0x" + "00" * 20
WEEK = 7 * 24 * 3600


def _threshold_call(governance: Any, threshold: int) -> tuple[str, int, str]:
    return (governance.address, 0, governance.setThreshold.encode_input(threshold))


def _propose(governance: Any, proposer: Any, *calls: tuple[str, int, str]) -> int:
    if not calls:
        calls = (_threshold_call(governance, 3),)
    tx = governance.propose(list(calls), "a proposal", {"from": proposer})
    return tx.return_value


def _cancel_by_majority(governance: Any, proposal: int) -> Any:
    """Two of the three members vote to cancel (the cancel threshold of 3 members)."""
    governance.cancel(proposal, {"from": accounts[1]})
    return governance.cancel(proposal, {"from": accounts[2]})


# ─── constructor ────────────────────────────────────────────────────────────────────────────


def test_constructor_sets_members_and_threshold(platform: Any) -> None:
    governance = platform.governance
    assert governance.members() == [a.address for a in accounts[1:4]]
    assert governance.threshold() == 2
    assert governance.isMember(accounts[1])
    assert not governance.isMember(accounts[0])
    assert governance.proposalCount() == 0
    assert governance.configurationEpoch() == 1
    assert governance.votingPeriod() == WEEK
    assert governance.cancelThreshold() == 2


def test_constructor_reverts_on_a_zero_member() -> None:
    with reverts_with("GovernanceNotMember", ZERO_ADDRESS):
        ConsortiumGovernance.deploy([accounts[1], ZERO_ADDRESS], 2, {"from": accounts[0]})


def test_constructor_reverts_on_a_duplicate_member() -> None:
    with reverts_with("GovernanceAlreadyMember", accounts[1]):
        ConsortiumGovernance.deploy([accounts[1], accounts[1]], 2, {"from": accounts[0]})


def test_constructor_reverts_on_a_zero_threshold() -> None:
    with reverts_with("GovernanceInvalidThreshold", 0, 2):
        ConsortiumGovernance.deploy([accounts[1], accounts[2]], 0, {"from": accounts[0]})


def test_constructor_reverts_on_a_threshold_above_the_member_count() -> None:
    with reverts_with("GovernanceInvalidThreshold", 3, 2):
        ConsortiumGovernance.deploy([accounts[1], accounts[2]], 3, {"from": accounts[0]})


def test_genesis_refuses_a_lone_signer_threshold_among_several_members() -> None:
    with reverts_with("GovernanceInvalidThreshold", 1, 3):
        ConsortiumGovernance.deploy(list(accounts[1:4]), 1, {"from": accounts[0]})


def test_genesis_accepts_a_single_member_deciding_alone() -> None:
    governance = ConsortiumGovernance.deploy([accounts[1]], 1, {"from": accounts[0]})
    assert governance.threshold() == 1
    assert governance.cancelThreshold() == 1


# ─── propose ────────────────────────────────────────────────────────────────────────────────


def test_propose_stores_the_calls_and_counts_the_proposers_approval(platform: Any) -> None:
    governance = platform.governance
    call = _threshold_call(governance, 3)

    tx = governance.propose([call], "raise the threshold", {"from": accounts[1]})

    assert tx.return_value == 1
    created = tx.events["ProposalCreated"]
    assert created["id"] == 1
    assert created["proposer"] == accounts[1]
    assert created["description"] == "raise the threshold"
    assert tx.events["ProposalApproved"]["member"] == accounts[1]
    assert governance.proposalCount() == 1
    assert governance.proposalState(1) == OPEN
    assert governance.proposalDeadline(1) == tx.timestamp + WEEK
    [(target, value, data)] = governance.proposalCalls(1)
    assert (target, value, data.hex().removeprefix("0x")) == (call[0], 0, call[2][2:])
    assert governance.approvalCount(1) == 1
    assert governance.hasApproved(1, accounts[1])
    assert not governance.hasApproved(1, accounts[2])


def test_propose_reverts_for_a_non_member(platform: Any) -> None:
    with reverts_with("GovernanceNotMember", accounts[0]):
        platform.governance.propose(
            [_threshold_call(platform.governance, 3)], "x", {"from": accounts[0]}
        )


def test_propose_reverts_without_calls(platform: Any) -> None:
    with reverts_with("GovernanceEmptyProposal"):
        platform.governance.propose([], "nothing", {"from": accounts[1]})


# ─── approve ────────────────────────────────────────────────────────────────────────────────


def test_approve_adds_a_members_approval(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])

    tx = governance.approve(proposal, {"from": accounts[2]})

    assert tx.events["ProposalApproved"]["id"] == proposal
    assert tx.events["ProposalApproved"]["member"] == accounts[2]
    assert governance.approvalCount(proposal) == 2
    assert governance.hasApproved(proposal, accounts[2])


def test_approve_reverts_for_a_non_member(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceNotMember", accounts[0]):
        platform.governance.approve(proposal, {"from": accounts[0]})


def test_approve_reverts_for_an_unknown_proposal(platform: Any) -> None:
    with reverts_with("GovernanceUnknownProposal", 0):
        platform.governance.approve(0, {"from": accounts[2]})
    with reverts_with("GovernanceUnknownProposal", 7):
        platform.governance.approve(7, {"from": accounts[2]})


def test_approve_reverts_if_already_approved(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceAlreadyApproved", proposal, accounts[1]):
        platform.governance.approve(proposal, {"from": accounts[1]})


def test_approve_reverts_on_an_executed_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})
    governance.execute(proposal, {"from": accounts[1]})
    with reverts_with("GovernanceProposalNotOpen", proposal, EXECUTED):
        governance.approve(proposal, {"from": accounts[3]})


def test_approve_reverts_on_a_cancelled_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    _cancel_by_majority(governance, proposal)
    with reverts_with("GovernanceProposalNotOpen", proposal, CANCELLED):
        governance.approve(proposal, {"from": accounts[3]})


# ─── revokeApproval ─────────────────────────────────────────────────────────────────────────


def test_revoke_approval_takes_back_a_members_approval(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])

    tx = governance.revokeApproval(proposal, {"from": accounts[1]})

    assert tx.events["ApprovalRevoked"]["id"] == proposal
    assert tx.events["ApprovalRevoked"]["member"] == accounts[1]
    assert governance.approvalCount(proposal) == 0
    assert not governance.hasApproved(proposal, accounts[1])


def test_revoke_approval_reverts_for_a_non_member(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceNotMember", accounts[0]):
        platform.governance.revokeApproval(proposal, {"from": accounts[0]})


def test_revoke_approval_reverts_for_an_unknown_proposal(platform: Any) -> None:
    with reverts_with("GovernanceUnknownProposal", 5):
        platform.governance.revokeApproval(5, {"from": accounts[1]})


def test_revoke_approval_reverts_if_not_approved(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceNotApproved", proposal, accounts[2]):
        platform.governance.revokeApproval(proposal, {"from": accounts[2]})


def test_revoke_approval_reverts_on_a_cancelled_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    _cancel_by_majority(governance, proposal)
    with reverts_with("GovernanceProposalNotOpen", proposal, CANCELLED):
        governance.revokeApproval(proposal, {"from": accounts[1]})


# ─── execute ────────────────────────────────────────────────────────────────────────────────


def test_execute_runs_every_call_in_order(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(
        governance,
        accounts[1],
        (governance.address, 0, governance.addMember.encode_input(accounts[0])),
        _threshold_call(governance, 4),
    )
    governance.approve(proposal, {"from": accounts[2]})

    tx = governance.execute(proposal, {"from": accounts[3]})

    assert tx.events["ProposalExecuted"]["id"] == proposal
    assert tx.events["ProposalExecuted"]["executor"] == accounts[3]
    assert tx.events["MemberAdded"]["member"] == accounts[0]
    assert tx.events["ThresholdChanged"]["threshold"] == 4
    assert governance.proposalState(proposal) == EXECUTED
    assert governance.threshold() == 4


def test_execute_forwards_native_value_with_a_call(platform: Any) -> None:
    governance = platform.governance
    payee = accounts[9]
    proposal = _propose(governance, accounts[1], (payee.address, 1_000, b""))  # no data
    governance.approve(proposal, {"from": accounts[2]})
    before = payee.balance()

    governance.execute(proposal, {"from": accounts[1], "value": 1_000})

    assert payee.balance() == before + 1_000
    assert governance.balance() == 0


def test_execute_reverts_for_a_non_member(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    platform.governance.approve(proposal, {"from": accounts[2]})
    with reverts_with("GovernanceNotMember", accounts[0]):
        platform.governance.execute(proposal, {"from": accounts[0]})


def test_execute_reverts_for_an_unknown_proposal(platform: Any) -> None:
    with reverts_with("GovernanceUnknownProposal", 3):
        platform.governance.execute(3, {"from": accounts[1]})


def test_execute_reverts_without_enough_approvals(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceNotEnoughApprovals", proposal, 1, 2):
        platform.governance.execute(proposal, {"from": accounts[1]})


def test_execute_reverts_twice(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})
    governance.execute(proposal, {"from": accounts[1]})
    with reverts_with("GovernanceProposalNotOpen", proposal, EXECUTED):
        governance.execute(proposal, {"from": accounts[1]})


def test_execute_reverts_with_the_inner_error_of_a_failing_call(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(
        governance,
        accounts[1],
        _threshold_call(governance, 3),
        (governance.address, 0, governance.addMember.encode_input(accounts[2])),
    )
    governance.approve(proposal, {"from": accounts[2]})

    with call_failed(proposal, 1, "GovernanceAlreadyMember", accounts[2]):
        governance.execute(proposal, {"from": accounts[1]})

    # The whole proposal reverted: the first call's effect is gone and it can be retried.
    assert governance.threshold() == 2
    assert governance.proposalState(proposal) == OPEN


def test_execute_does_not_count_a_removed_members_approval(platform: Any, vote: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[3])
    vote((governance, "removeMember", (accounts[3],)))
    governance.approve(proposal, {"from": accounts[2]})

    assert governance.approvalCount(proposal) == 1
    assert not governance.hasApproved(proposal, accounts[3])
    with reverts_with("GovernanceNotEnoughApprovals", proposal, 1, 2):
        governance.execute(proposal, {"from": accounts[2]})


def test_a_readmitted_member_must_approve_again(platform: Any, vote: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[3])
    vote((governance, "removeMember", (accounts[3],)))
    vote((governance, "addMember", (accounts[3],)))

    assert governance.approvalCount(proposal) == 0
    assert not governance.hasApproved(proposal, accounts[3])
    with reverts_with("GovernanceNotEnoughApprovals", proposal, 0, 2):
        governance.execute(proposal, {"from": accounts[1]})
    governance.approve(proposal, {"from": accounts[3]})
    assert governance.approvalCount(proposal) == 1


# ─── cancel ─────────────────────────────────────────────────────────────────────────────────


def test_cancel_by_a_member_majority_cancels_the_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])

    first = governance.cancel(proposal, {"from": accounts[3]})
    assert first.events["CancelVoted"]["member"] == accounts[3]
    assert "ProposalCancelled" not in first.events
    assert governance.cancelVoteCount(proposal) == 1
    assert governance.hasVotedCancel(proposal, accounts[3])
    tx = governance.cancel(proposal, {"from": accounts[2]})

    assert tx.events["ProposalCancelled"]["id"] == proposal
    assert governance.proposalState(proposal) == CANCELLED


def test_lone_proposer_cannot_veto_its_approved_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})

    governance.cancel(proposal, {"from": accounts[1]})  # a front-run of execute, alone

    assert governance.proposalState(proposal) == OPEN
    governance.execute(proposal, {"from": accounts[2]})
    assert governance.proposalState(proposal) == EXECUTED


def test_removed_member_cannot_cancel_its_proposal(platform: Any, vote: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[3])
    vote((governance, "removeMember", (accounts[3],)))

    with reverts_with("GovernanceNotMember", accounts[3]):
        governance.cancel(proposal, {"from": accounts[3]})
    assert governance.proposalState(proposal) == OPEN


def test_cancel_reverts_for_a_non_member(platform: Any) -> None:
    proposal = _propose(platform.governance, accounts[1])
    with reverts_with("GovernanceNotMember", accounts[0]):
        platform.governance.cancel(proposal, {"from": accounts[0]})


def test_cancel_reverts_if_already_voted(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.cancel(proposal, {"from": accounts[2]})
    with reverts_with("GovernanceAlreadyVotedCancel", proposal, accounts[2]):
        governance.cancel(proposal, {"from": accounts[2]})


def test_cancel_votes_lapse_with_a_configuration_change(platform: Any, vote: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.cancel(proposal, {"from": accounts[2]})
    vote((governance, "setThreshold", (3,)))

    assert governance.cancelVoteCount(proposal) == 0
    governance.cancel(proposal, {"from": accounts[3]})
    assert governance.proposalState(proposal) == OPEN


def test_cancel_reverts_for_an_unknown_proposal(platform: Any) -> None:
    with reverts_with("GovernanceUnknownProposal", 1):
        platform.governance.cancel(1, {"from": accounts[1]})


def test_cancel_reverts_on_an_executed_proposal(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})
    governance.execute(proposal, {"from": accounts[1]})
    with reverts_with("GovernanceProposalNotOpen", proposal, EXECUTED):
        governance.cancel(proposal, {"from": accounts[1]})


# ─── stale proposals: voting period and configuration epochs ────────────────────────────────


def test_stale_proposal_cannot_execute_after_threshold_drop(platform: Any, vote: Any) -> None:
    governance = platform.governance
    vote((governance, "setThreshold", (3,)))
    stale = _propose(governance, accounts[1])  # approved by 2 of the 3 then needed
    governance.approve(stale, {"from": accounts[2]})
    vote((governance, "setThreshold", (2,)))

    assert governance.approvalCount(stale) == 0
    with reverts_with("GovernanceNotEnoughApprovals", stale, 0, 2):
        governance.execute(stale, {"from": accounts[1]})


def test_stale_proposal_cannot_execute_after_its_voting_period(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})
    chain.sleep(WEEK + 1)
    chain.mine()

    assert governance.proposalState(proposal) == EXPIRED
    with reverts_with("GovernanceProposalNotOpen", proposal, EXPIRED):
        governance.execute(proposal, {"from": accounts[1]})
    with reverts_with("GovernanceProposalNotOpen", proposal, EXPIRED):
        governance.approve(proposal, {"from": accounts[3]})


def test_a_proposal_executes_within_its_voting_period(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    governance.approve(proposal, {"from": accounts[2]})
    chain.sleep(WEEK - 60)
    governance.execute(proposal, {"from": accounts[1]})
    assert governance.proposalState(proposal) == EXECUTED


def test_members_re_approve_a_proposal_after_a_configuration_change(
    platform: Any, vote: Any
) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1])
    vote((governance, "setThreshold", (3,)))
    epoch = governance.configurationEpoch()

    for member in accounts[1:4]:
        governance.approve(proposal, {"from": member})

    assert epoch == 2
    assert governance.approvalCount(proposal) == 3
    governance.execute(proposal, {"from": accounts[2]})


def test_set_voting_period_by_vote_applies_to_new_proposals(platform: Any, vote: Any) -> None:
    governance = platform.governance
    older = _propose(governance, accounts[1])
    tx = vote((governance, "setVotingPeriod", (3600,)))
    newer = _propose(governance, accounts[1])

    assert tx.events["VotingPeriodChanged"]["votingPeriod"] == 3600
    assert governance.votingPeriod() == 3600
    assert governance.proposalDeadline(older) - governance.proposalDeadline(newer) > 3600


def test_set_voting_period_reverts_out_of_bounds(platform: Any, vote: Any) -> None:
    governance = platform.governance
    low, high = governance.MIN_VOTING_PERIOD(), governance.MAX_VOTING_PERIOD()
    with call_failed(
        governance.proposalCount() + 1, 0, "GovernanceInvalidVotingPeriod", low - 1, low, high
    ):
        vote((governance, "setVotingPeriod", (low - 1,)))
    with call_failed(
        governance.proposalCount() + 1, 0, "GovernanceInvalidVotingPeriod", high + 1, low, high
    ):
        vote((governance, "setVotingPeriod", (high + 1,)))


def test_set_voting_period_reverts_unless_called_by_a_vote(platform: Any) -> None:
    with reverts_with("GovernanceOnlySelf", accounts[1]):
        platform.governance.setVotingPeriod(3600, {"from": accounts[1]})


# ─── calls to addresses without code ────────────────────────────────────────────────────────


def test_call_to_address_without_code_is_not_executed(platform: Any) -> None:
    governance = platform.governance
    mistyped = accounts[0].address  # an EOA: a call "succeeds" and does nothing
    data = platform.registry.admitMerchant.encode_input("X", "X", accounts[4], 1, 1)
    proposal = _propose(governance, accounts[1], (mistyped, 0, data))
    governance.approve(proposal, {"from": accounts[2]})

    with reverts_with("GovernanceCallTargetHasNoCode", proposal, 0, mistyped):
        governance.execute(proposal, {"from": accounts[1]})
    assert governance.proposalState(proposal) == OPEN


def test_an_empty_call_to_address_without_code_is_not_executed(platform: Any) -> None:
    governance = platform.governance
    proposal = _propose(governance, accounts[1], (accounts[9].address, 0, b""))
    governance.approve(proposal, {"from": accounts[2]})
    with reverts_with("GovernanceCallTargetHasNoCode", proposal, 0, accounts[9]):
        governance.execute(proposal, {"from": accounts[1]})


# ─── addMember ──────────────────────────────────────────────────────────────────────────────


def test_add_member_by_vote_admits_the_member(platform: Any, vote: Any) -> None:
    governance = platform.governance
    tx = vote((governance, "addMember", (accounts[0],)))
    assert tx.events["MemberAdded"]["member"] == accounts[0]
    assert governance.isMember(accounts[0])
    assert accounts[0].address in governance.members()


def test_add_member_reverts_unless_called_by_a_vote(platform: Any) -> None:
    with reverts_with("GovernanceOnlySelf", accounts[1]):
        platform.governance.addMember(accounts[0], {"from": accounts[1]})


def test_add_member_reverts_for_an_existing_member(platform: Any, vote: Any) -> None:
    governance = platform.governance
    with call_failed(governance.proposalCount() + 1, 0, "GovernanceAlreadyMember", accounts[2]):
        vote((governance, "addMember", (accounts[2],)))


def test_add_member_reverts_for_the_zero_address(platform: Any, vote: Any) -> None:
    governance = platform.governance
    with call_failed(governance.proposalCount() + 1, 0, "GovernanceNotMember", ZERO_ADDRESS):
        vote((governance, "addMember", (ZERO_ADDRESS,)))


# ─── removeMember ───────────────────────────────────────────────────────────────────────────


def test_remove_member_by_vote_removes_the_member(platform: Any, vote: Any) -> None:
    governance = platform.governance
    tx = vote((governance, "removeMember", (accounts[3],)))
    assert tx.events["MemberRemoved"]["member"] == accounts[3]
    assert not governance.isMember(accounts[3])
    assert governance.members() == [accounts[1].address, accounts[2].address]


def test_remove_member_reverts_unless_called_by_a_vote(platform: Any) -> None:
    with reverts_with("GovernanceOnlySelf", accounts[1]):
        platform.governance.removeMember(accounts[3], {"from": accounts[1]})


def test_remove_member_reverts_for_a_non_member(platform: Any, vote: Any) -> None:
    governance = platform.governance
    with call_failed(governance.proposalCount() + 1, 0, "GovernanceNotMember", accounts[0]):
        vote((governance, "removeMember", (accounts[0],)))


def test_remove_member_reverts_if_the_threshold_becomes_unreachable(
    platform: Any, vote: Any
) -> None:
    governance = platform.governance
    with reverts_with("GovernanceInvalidThreshold", 2, 1):
        vote(
            (governance, "removeMember", (accounts[3],)),
            (governance, "removeMember", (accounts[2],)),
        )


# ─── setThreshold ───────────────────────────────────────────────────────────────────────────


def test_set_threshold_by_vote_changes_the_threshold(platform: Any, vote: Any) -> None:
    tx = vote((platform.governance, "setThreshold", (3,)))
    assert tx.events["ThresholdChanged"]["threshold"] == 3
    assert platform.governance.threshold() == 3


def test_set_threshold_reverts_unless_called_by_a_vote(platform: Any) -> None:
    with reverts_with("GovernanceOnlySelf", accounts[1]):
        platform.governance.setThreshold(1, {"from": accounts[1]})


def test_set_threshold_reverts_on_zero(platform: Any, vote: Any) -> None:
    with reverts_with("GovernanceInvalidThreshold", 0, 3):
        vote((platform.governance, "setThreshold", (0,)))


def test_set_threshold_reverts_above_the_member_count(platform: Any, vote: Any) -> None:
    with reverts_with("GovernanceInvalidThreshold", 4, 3):
        vote((platform.governance, "setThreshold", (4,)))


def test_set_threshold_refuses_a_lone_signer_among_several_members(
    platform: Any, vote: Any
) -> None:
    with reverts_with("GovernanceInvalidThreshold", 1, 3):
        vote((platform.governance, "setThreshold", (1,)))


def test_one_proposal_shrinks_the_consortium_and_its_threshold_together(
    platform: Any, vote: Any
) -> None:
    governance = platform.governance
    vote(
        (governance, "removeMember", (accounts[3],)),
        (governance, "removeMember", (accounts[2],)),
        (governance, "setThreshold", (1,)),
    )
    assert governance.members() == [accounts[1].address]
    assert governance.threshold() == 1


def test_set_threshold_starts_a_new_configuration_epoch(platform: Any, vote: Any) -> None:
    tx = vote((platform.governance, "setThreshold", (3,)))
    assert tx.events["ConfigurationChanged"]["epoch"] == 2
    assert platform.governance.configurationEpoch() == 2


# ─── views ──────────────────────────────────────────────────────────────────────────────────


def test_proposal_state_is_none_for_an_unknown_proposal(platform: Any) -> None:
    assert platform.governance.proposalState(0) == 0
    assert platform.governance.proposalState(1) == 0


def test_proposal_calls_reverts_for_an_unknown_proposal(platform: Any) -> None:
    with reverts_with("GovernanceUnknownProposal", 1):
        platform.governance.proposalCalls(1)
