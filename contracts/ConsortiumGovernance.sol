// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IConsortiumGovernance} from "./interfaces/IConsortiumGovernance.sol";

/// @title ConsortiumGovernance
/// @notice M-of-N governance of the consortium: see IConsortiumGovernance.
/// @dev Every vote is recorded with the configuration epoch it was cast in and counts only
///      while that epoch lasts; membership and threshold changes start a new epoch, so
///      removing, re-admitting or re-weighting members voids pending votes without touching
///      each proposal. The member set is small (a consortium), so counting by iteration is
///      bounded.
contract ConsortiumGovernance is IConsortiumGovernance, ReentrancyGuard {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice A new proposal's voting period at deployment.
    uint256 public constant DEFAULT_VOTING_PERIOD = 7 days;
    /// @notice Bounds of the voting period: long enough for members in other time zones to
    ///         read a proposal, short enough that a forgotten one cannot be revived.
    uint256 public constant MIN_VOTING_PERIOD = 1 hours;
    uint256 public constant MAX_VOTING_PERIOD = 90 days;

    struct Proposal {
        address proposer;
        ProposalState state;
        uint64 deadline;
        Call[] calls;
    }

    EnumerableSet.AddressSet private _members;
    uint256 private _threshold;
    uint256 private _epoch;
    uint256 private _votingPeriod;
    Proposal[] private _proposals;
    /// @dev The epoch an approval was given in (0: none).
    mapping(uint256 id => mapping(address member => uint256 epoch)) private _approvalEpoch;
    /// @dev The epoch a cancel vote was cast in (0: none).
    mapping(uint256 id => mapping(address member => uint256 epoch)) private _cancelEpoch;

    modifier onlyMember() {
        if (!_members.contains(msg.sender)) revert GovernanceNotMember(msg.sender);
        _;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert GovernanceOnlySelf(msg.sender);
        _;
    }

    /// @param initialMembers the founding members
    /// @param initialThreshold approvals needed (M of N): at least 2 if N > 1
    constructor(address[] memory initialMembers, uint256 initialThreshold) {
        for (uint256 i; i < initialMembers.length; ++i) {
            _addMember(initialMembers[i]);
        }
        _threshold = initialThreshold;
        emit ThresholdChanged(initialThreshold);
        _newEpoch();
        _requireValidThreshold();
        _votingPeriod = DEFAULT_VOTING_PERIOD;
        emit VotingPeriodChanged(DEFAULT_VOTING_PERIOD);
    }

    /// @inheritdoc IConsortiumGovernance
    function propose(
        Call[] calldata calls,
        string calldata description
    ) external override onlyMember returns (uint256 id) {
        if (calls.length == 0) revert GovernanceEmptyProposal();
        id = _proposals.length + 1;
        Proposal storage p = _proposals.push();
        p.proposer = msg.sender;
        p.state = ProposalState.Open;
        p.deadline = uint64(block.timestamp + _votingPeriod);
        for (uint256 i; i < calls.length; ++i) {
            p.calls.push(calls[i]);
        }
        emit ProposalCreated(id, msg.sender, calls, description);
        _approvalEpoch[id][msg.sender] = _epoch;
        emit ProposalApproved(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function approve(uint256 id) external override onlyMember {
        _openProposal(id);
        if (_approvalEpoch[id][msg.sender] == _epoch) {
            revert GovernanceAlreadyApproved(id, msg.sender);
        }
        _approvalEpoch[id][msg.sender] = _epoch;
        emit ProposalApproved(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function revokeApproval(uint256 id) external override onlyMember {
        _openProposal(id);
        if (_approvalEpoch[id][msg.sender] != _epoch) revert GovernanceNotApproved(id, msg.sender);
        _approvalEpoch[id][msg.sender] = 0;
        emit ApprovalRevoked(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function execute(uint256 id) external payable override onlyMember nonReentrant {
        Proposal storage p = _openProposal(id);
        uint256 approvals = _count(_approvalEpoch[id]);
        if (approvals < _threshold) revert GovernanceNotEnoughApprovals(id, approvals, _threshold);
        p.state = ProposalState.Executed;
        emit ProposalExecuted(id, msg.sender);
        for (uint256 i; i < p.calls.length; ++i) {
            Call storage c = p.calls[i];
            bool plainTransfer = c.data.length == 0 && c.value > 0;
            if (c.target.code.length == 0 && !plainTransfer) {
                revert GovernanceCallTargetHasNoCode(id, i, c.target);
            }
            (bool ok, bytes memory reason) = c.target.call{value: c.value}(c.data);
            if (!ok) revert GovernanceCallFailed(id, i, reason);
        }
        _requireValidThreshold();
    }

    /// @inheritdoc IConsortiumGovernance
    function cancel(uint256 id) external override onlyMember {
        Proposal storage p = _openProposal(id);
        if (_cancelEpoch[id][msg.sender] == _epoch) {
            revert GovernanceAlreadyVotedCancel(id, msg.sender);
        }
        _cancelEpoch[id][msg.sender] = _epoch;
        emit CancelVoted(id, msg.sender);
        if (_count(_cancelEpoch[id]) >= cancelThreshold()) {
            p.state = ProposalState.Cancelled;
            emit ProposalCancelled(id);
        }
    }

    /// @inheritdoc IConsortiumGovernance
    function addMember(address member) external override onlySelf {
        _addMember(member);
        _newEpoch();
    }

    /// @inheritdoc IConsortiumGovernance
    function removeMember(address member) external override onlySelf {
        if (!_members.remove(member)) revert GovernanceNotMember(member);
        emit MemberRemoved(member);
        _newEpoch();
    }

    /// @inheritdoc IConsortiumGovernance
    function setThreshold(uint256 newThreshold) external override onlySelf {
        _threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
        _newEpoch();
    }

    /// @inheritdoc IConsortiumGovernance
    function setVotingPeriod(uint256 newVotingPeriod) external override onlySelf {
        if (newVotingPeriod < MIN_VOTING_PERIOD || newVotingPeriod > MAX_VOTING_PERIOD) {
            revert GovernanceInvalidVotingPeriod(
                newVotingPeriod,
                MIN_VOTING_PERIOD,
                MAX_VOTING_PERIOD
            );
        }
        _votingPeriod = newVotingPeriod;
        emit VotingPeriodChanged(newVotingPeriod);
    }

    /// @inheritdoc IConsortiumGovernance
    function isMember(address account) external view override returns (bool) {
        return _members.contains(account);
    }

    /// @inheritdoc IConsortiumGovernance
    function members() external view override returns (address[] memory) {
        return _members.values();
    }

    /// @inheritdoc IConsortiumGovernance
    function threshold() external view override returns (uint256) {
        return _threshold;
    }

    /// @inheritdoc IConsortiumGovernance
    function cancelThreshold() public view override returns (uint256) {
        return _members.length() / 2 + 1;
    }

    /// @inheritdoc IConsortiumGovernance
    function configurationEpoch() external view override returns (uint256) {
        return _epoch;
    }

    /// @inheritdoc IConsortiumGovernance
    function votingPeriod() external view override returns (uint256) {
        return _votingPeriod;
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalCount() external view override returns (uint256) {
        return _proposals.length;
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalState(uint256 id) external view override returns (ProposalState) {
        if (id == 0 || id > _proposals.length) return ProposalState.None;
        return _stateOf(_proposals[id - 1]);
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalDeadline(uint256 id) external view override returns (uint256) {
        if (id == 0 || id > _proposals.length) revert GovernanceUnknownProposal(id);
        return _proposals[id - 1].deadline;
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalCalls(uint256 id) external view override returns (Call[] memory) {
        if (id == 0 || id > _proposals.length) revert GovernanceUnknownProposal(id);
        return _proposals[id - 1].calls;
    }

    /// @inheritdoc IConsortiumGovernance
    function approvalCount(uint256 id) external view override returns (uint256) {
        return _count(_approvalEpoch[id]);
    }

    /// @inheritdoc IConsortiumGovernance
    function cancelVoteCount(uint256 id) external view override returns (uint256) {
        return _count(_cancelEpoch[id]);
    }

    /// @inheritdoc IConsortiumGovernance
    function hasApproved(uint256 id, address member) external view override returns (bool) {
        return _members.contains(member) && _approvalEpoch[id][member] == _epoch;
    }

    /// @inheritdoc IConsortiumGovernance
    function hasVotedCancel(uint256 id, address member) external view override returns (bool) {
        return _members.contains(member) && _cancelEpoch[id][member] == _epoch;
    }

    /// @notice Governance may hold native currency to forward with calls.
    receive() external payable {}

    function _openProposal(uint256 id) private view returns (Proposal storage p) {
        if (id == 0 || id > _proposals.length) revert GovernanceUnknownProposal(id);
        p = _proposals[id - 1];
        ProposalState state = _stateOf(p);
        if (state != ProposalState.Open) revert GovernanceProposalNotOpen(id, state);
    }

    function _stateOf(Proposal storage p) private view returns (ProposalState) {
        if (p.state == ProposalState.Open && block.timestamp > p.deadline) {
            return ProposalState.Expired;
        }
        return p.state;
    }

    /// @dev Current members whose vote in `votes` was cast in the current epoch.
    function _count(
        mapping(address member => uint256 epoch) storage votes
    ) private view returns (uint256 count) {
        uint256 n = _members.length();
        for (uint256 i; i < n; ++i) {
            if (votes[_members.at(i)] == _epoch) ++count;
        }
    }

    function _addMember(address member) private {
        if (member == address(0)) revert GovernanceNotMember(member);
        if (!_members.add(member)) revert GovernanceAlreadyMember(member);
        emit MemberAdded(member);
    }

    function _newEpoch() private {
        emit ConfigurationChanged(++_epoch);
    }

    /// @dev 1 ≤ threshold ≤ members, and no lone decider among several members.
    function _requireValidThreshold() private view {
        uint256 n = _members.length();
        if (_threshold == 0 || _threshold > n || (n > 1 && _threshold < 2)) {
            revert GovernanceInvalidThreshold(_threshold, n);
        }
    }
}
