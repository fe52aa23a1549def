// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IConsortiumGovernance
/// @notice The consortium's M-of-N vote. Members (one vote each) propose a list of calls on
///         the platform's contracts; once `threshold` current members approve, any member
///         executes it. Membership and the threshold change only by such a vote.
/// @dev Everything the consortium decides goes through here: admitting and suspending
///      merchants, granting RELAYER/SETTLER/AUDITOR roles, fees and their split, point-value
///      bounds, user limits, pause and unpause. Governance holds DEFAULT_ADMIN_ROLE on every
///      platform contract.
interface IConsortiumGovernance {
    /// @notice One call a proposal makes.
    struct Call {
        address target;
        uint256 value;
        bytes data;
    }

    enum ProposalState {
        None,
        Open,
        Executed,
        Cancelled
    }

    event MemberAdded(address indexed member);
    event MemberRemoved(address indexed member);
    event ThresholdChanged(uint256 threshold);
    event ProposalCreated(
        uint256 indexed id, address indexed proposer, Call[] calls, string description
    );
    event ProposalApproved(uint256 indexed id, address indexed member);
    event ApprovalRevoked(uint256 indexed id, address indexed member);
    event ProposalExecuted(uint256 indexed id, address indexed executor);
    event ProposalCancelled(uint256 indexed id);

    error GovernanceNotMember(address account);
    error GovernanceOnlySelf(address caller);
    error GovernanceAlreadyMember(address account);
    error GovernanceInvalidThreshold(uint256 threshold, uint256 members);
    error GovernanceUnknownProposal(uint256 id);
    error GovernanceProposalNotOpen(uint256 id, ProposalState state);
    error GovernanceAlreadyApproved(uint256 id, address member);
    error GovernanceNotApproved(uint256 id, address member);
    error GovernanceNotEnoughApprovals(uint256 id, uint256 approvals, uint256 threshold);
    error GovernanceNotProposer(uint256 id, address caller);
    error GovernanceEmptyProposal();
    error GovernanceCallFailed(uint256 id, uint256 index, bytes reason);

    /// @notice Proposes `calls`; the proposer's approval is counted at once.
    function propose(Call[] calldata calls, string calldata description)
        external
        returns (uint256 id);

    /// @notice A member approves an open proposal.
    function approve(uint256 id) external;

    /// @notice A member takes back its approval.
    function revokeApproval(uint256 id) external;

    /// @notice Executes an open proposal approved by at least `threshold` current members.
    ///         Reverts with `GovernanceCallFailed` (carrying the inner error) if a call fails.
    function execute(uint256 id) external payable;

    /// @notice The proposer withdraws its open proposal.
    function cancel(uint256 id) external;

    /// @notice Adds a member (only by a vote).
    function addMember(address member) external;

    /// @notice Removes a member (only by a vote); the threshold must stay reachable.
    function removeMember(address member) external;

    /// @notice Changes the threshold (only by a vote); 1 ≤ threshold ≤ members.
    function setThreshold(uint256 threshold) external;

    function isMember(address account) external view returns (bool);

    function members() external view returns (address[] memory);

    function threshold() external view returns (uint256);

    function proposalCount() external view returns (uint256);

    function proposalState(uint256 id) external view returns (ProposalState);

    function proposalCalls(uint256 id) external view returns (Call[] memory);

    /// @notice Approvals from current members (a removed member's approval no longer counts).
    function approvalCount(uint256 id) external view returns (uint256);

    function hasApproved(uint256 id, address member) external view returns (bool);
}
