// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IConsortiumGovernance} from "./interfaces/IConsortiumGovernance.sol";

/// @title ConsortiumGovernance
/// @notice M-of-N governance of the consortium: see IConsortiumGovernance.
/// @dev Approvals are counted over the current member set at execution time, so removing a
///      member also withdraws its pending approvals. An approval is tagged with the approver's
///      membership term, so a member removed and later re-admitted must approve again. The
///      member set is small (a consortium), so counting by iteration is bounded.
contract ConsortiumGovernance is IConsortiumGovernance, ReentrancyGuard {
    using EnumerableSet for EnumerableSet.AddressSet;

    struct Proposal {
        address proposer;
        ProposalState state;
        Call[] calls;
    }

    EnumerableSet.AddressSet private _members;
    uint256 private _threshold;
    Proposal[] private _proposals;
    /// @dev The membership term an approval was given in (0: none); see `_memberTerm`.
    mapping(uint256 id => mapping(address member => uint256 term)) private _approvalTerm;
    /// @dev Each admission starts a new term, numbered from 1 across all members.
    mapping(address member => uint256 term) private _memberTerm;
    uint256 private _terms;

    modifier onlyMember() {
        if (!_members.contains(msg.sender)) revert GovernanceNotMember(msg.sender);
        _;
    }

    modifier onlySelf() {
        if (msg.sender != address(this)) revert GovernanceOnlySelf(msg.sender);
        _;
    }

    /// @param initialMembers the founding members
    /// @param initialThreshold approvals needed (M of N)
    constructor(address[] memory initialMembers, uint256 initialThreshold) {
        for (uint256 i; i < initialMembers.length; ++i) {
            _addMember(initialMembers[i]);
        }
        _setThreshold(initialThreshold);
    }

    /// @inheritdoc IConsortiumGovernance
    function propose(Call[] calldata calls, string calldata description)
        external
        override
        onlyMember
        returns (uint256 id)
    {
        if (calls.length == 0) revert GovernanceEmptyProposal();
        id = _proposals.length + 1;
        Proposal storage p = _proposals.push();
        p.proposer = msg.sender;
        p.state = ProposalState.Open;
        for (uint256 i; i < calls.length; ++i) {
            p.calls.push(calls[i]);
        }
        emit ProposalCreated(id, msg.sender, calls, description);
        _approvalTerm[id][msg.sender] = _memberTerm[msg.sender];
        emit ProposalApproved(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function approve(uint256 id) external override onlyMember {
        _openProposal(id);
        if (_isApproval(id, msg.sender)) revert GovernanceAlreadyApproved(id, msg.sender);
        _approvalTerm[id][msg.sender] = _memberTerm[msg.sender];
        emit ProposalApproved(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function revokeApproval(uint256 id) external override onlyMember {
        _openProposal(id);
        if (!_isApproval(id, msg.sender)) revert GovernanceNotApproved(id, msg.sender);
        _approvalTerm[id][msg.sender] = 0;
        emit ApprovalRevoked(id, msg.sender);
    }

    /// @inheritdoc IConsortiumGovernance
    function execute(uint256 id) external payable override onlyMember nonReentrant {
        Proposal storage p = _openProposal(id);
        uint256 approvals = approvalCount(id);
        if (approvals < _threshold) revert GovernanceNotEnoughApprovals(id, approvals, _threshold);
        p.state = ProposalState.Executed;
        emit ProposalExecuted(id, msg.sender);
        for (uint256 i; i < p.calls.length; ++i) {
            Call storage c = p.calls[i];
            // slither-disable-next-line arbitrary-send-eth,low-level-calls
            (bool ok, bytes memory reason) = c.target.call{value: c.value}(c.data);
            if (!ok) revert GovernanceCallFailed(id, i, reason);
        }
    }

    /// @inheritdoc IConsortiumGovernance
    function cancel(uint256 id) external override {
        Proposal storage p = _openProposal(id);
        if (p.proposer != msg.sender) revert GovernanceNotProposer(id, msg.sender);
        p.state = ProposalState.Cancelled;
        emit ProposalCancelled(id);
    }

    /// @inheritdoc IConsortiumGovernance
    function addMember(address member) external override onlySelf {
        _addMember(member);
    }

    /// @inheritdoc IConsortiumGovernance
    function removeMember(address member) external override onlySelf {
        if (!_members.remove(member)) revert GovernanceNotMember(member);
        if (_threshold > _members.length()) {
            revert GovernanceInvalidThreshold(_threshold, _members.length());
        }
        emit MemberRemoved(member);
    }

    /// @inheritdoc IConsortiumGovernance
    function setThreshold(uint256 newThreshold) external override onlySelf {
        _setThreshold(newThreshold);
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
    function proposalCount() external view override returns (uint256) {
        return _proposals.length;
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalState(uint256 id) external view override returns (ProposalState) {
        if (id == 0 || id > _proposals.length) return ProposalState.None;
        return _proposals[id - 1].state;
    }

    /// @inheritdoc IConsortiumGovernance
    function proposalCalls(uint256 id) external view override returns (Call[] memory) {
        if (id == 0 || id > _proposals.length) revert GovernanceUnknownProposal(id);
        return _proposals[id - 1].calls;
    }

    /// @inheritdoc IConsortiumGovernance
    function approvalCount(uint256 id) public view override returns (uint256 count) {
        uint256 n = _members.length();
        for (uint256 i; i < n; ++i) {
            if (_isApproval(id, _members.at(i))) ++count;
        }
    }

    /// @inheritdoc IConsortiumGovernance
    function hasApproved(uint256 id, address member) external view override returns (bool) {
        return _members.contains(member) && _isApproval(id, member);
    }

    /// @notice Governance may hold native currency to forward with calls.
    receive() external payable {}

    function _openProposal(uint256 id) private view returns (Proposal storage p) {
        if (id == 0 || id > _proposals.length) revert GovernanceUnknownProposal(id);
        p = _proposals[id - 1];
        if (p.state != ProposalState.Open) revert GovernanceProposalNotOpen(id, p.state);
    }

    /// @dev Whether `member` approved `id` in its current membership term.
    function _isApproval(uint256 id, address member) private view returns (bool) {
        uint256 term = _approvalTerm[id][member];
        return term != 0 && term == _memberTerm[member];
    }

    function _addMember(address member) private {
        if (member == address(0)) revert GovernanceNotMember(member);
        if (!_members.add(member)) revert GovernanceAlreadyMember(member);
        _memberTerm[member] = ++_terms;
        emit MemberAdded(member);
    }

    function _setThreshold(uint256 newThreshold) private {
        if (newThreshold == 0 || newThreshold > _members.length()) {
            revert GovernanceInvalidThreshold(newThreshold, _members.length());
        }
        _threshold = newThreshold;
        emit ThresholdChanged(newThreshold);
    }
}
