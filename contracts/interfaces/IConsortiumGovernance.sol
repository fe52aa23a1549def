// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IConsortiumGovernance
/// @notice The consortium's M-of-N vote. Members (one vote each) propose a list of calls on
///         the platform's contracts; once `threshold` current members approve, any member
///         executes it. Membership, the threshold and the voting period change only by such a
///         vote.
/// @dev Everything the consortium decides goes through here: admitting and suspending
///      merchants, granting RELAYER/SETTLER/AUDITOR roles, fees and their split, point-value
///      bounds, user limits, pause and unpause. Governance holds DEFAULT_ADMIN_ROLE on every
///      platform contract.
///
///      Rules a proposal lives by:
///      - It is open for `votingPeriod` seconds from its creation (its `deadline`); after that
///        it is Expired and can be neither approved nor executed nor cancelled.
///      - Votes (approvals and cancel votes) count only in the configuration epoch they were
///        cast in. The epoch starts at 1 and grows by one on every change of membership or
///        threshold (`ConfigurationChanged`), so a change voids every pending vote: members
///        re-approve under the new rules or let the proposal expire. A proposal approved under
///        3-of-3 never executes on the strength of those approvals after a drop to 2-of-3.
///      - Cancelling takes a majority of the current members (`cancelThreshold`, N / 2 + 1)
///        voting `cancel`: no member, not even the proposer, has a lone veto, and a removed
///        member has no say at all.
///      - With more than one member the threshold is at least 2 (no member decides alone),
///        and 1 ≤ threshold ≤ members; checked at deployment and after every executed
///        proposal, so one proposal may change members and threshold together.
interface IConsortiumGovernance {
    /// @notice One call a proposal makes.
    struct Call {
        address target;
        uint256 value;
        bytes data;
    }

    /// @dev Expired is never stored: an Open proposal past its deadline reads as Expired.
    enum ProposalState {
        None,
        Open,
        Executed,
        Cancelled,
        Expired
    }

    event MemberAdded(address indexed member);
    event MemberRemoved(address indexed member);
    event ThresholdChanged(uint256 threshold);
    /// @notice Membership or threshold changed: votes cast before `epoch` no longer count.
    event ConfigurationChanged(uint256 epoch);
    event VotingPeriodChanged(uint256 votingPeriod);
    event ProposalCreated(
        uint256 indexed id,
        address indexed proposer,
        Call[] calls,
        string description
    );
    event ProposalApproved(uint256 indexed id, address indexed member);
    event ApprovalRevoked(uint256 indexed id, address indexed member);
    event ProposalExecuted(uint256 indexed id, address indexed executor);
    /// @notice A member voted to cancel `id` (it is cancelled once `cancelThreshold` agree).
    event CancelVoted(uint256 indexed id, address indexed member);
    event ProposalCancelled(uint256 indexed id);

    /// @notice `account` is not a consortium member; only members may do this.
    error GovernanceNotMember(address account);
    /// @notice Only the governance contract itself (an executed proposal) may call this.
    error GovernanceOnlySelf(address caller);
    /// @notice `account` is already a consortium member.
    error GovernanceAlreadyMember(address account);
    /// @notice The threshold is out of bounds: 1 ≤ threshold ≤ members, and ≥ 2 when
    ///         there is more than one member.
    error GovernanceInvalidThreshold(uint256 threshold, uint256 members);
    /// @notice The voting period is outside [`min`, `max`] seconds.
    error GovernanceInvalidVotingPeriod(uint256 votingPeriod, uint256 min, uint256 max);
    /// @notice No proposal has id `id`.
    error GovernanceUnknownProposal(uint256 id);
    /// @notice Proposal `id` is no longer open (executed, cancelled or expired).
    error GovernanceProposalNotOpen(uint256 id, ProposalState state);
    /// @notice `member` already approved proposal `id` in the current epoch.
    error GovernanceAlreadyApproved(uint256 id, address member);
    /// @notice `member` has not approved proposal `id`, so there is nothing to revoke.
    error GovernanceNotApproved(uint256 id, address member);
    /// @notice `member` already voted to cancel proposal `id`.
    error GovernanceAlreadyVotedCancel(uint256 id, address member);
    /// @notice Proposal `id` has `approvals` current approvals, fewer than `threshold`.
    error GovernanceNotEnoughApprovals(uint256 id, uint256 approvals, uint256 threshold);
    /// @notice A proposal needs at least one call.
    error GovernanceEmptyProposal();
    /// @notice Call `index` of proposal `id` reverted with `reason`; nothing was executed.
    error GovernanceCallFailed(uint256 id, uint256 index, bytes reason);
    /// @notice Call `index` of proposal `id` targets an address with no code: it would
    ///         "succeed" and do nothing, so the proposal does not count as executed.
    error GovernanceCallTargetHasNoCode(uint256 id, uint256 index, address target);

    /// @notice Proposes `calls`; the proposer's approval is counted at once (in the current
    ///         epoch). The proposal is open until `block.timestamp + votingPeriod()`.
    function propose(
        Call[] calldata calls,
        string calldata description
    ) external returns (uint256 id);

    /// @notice A member approves an open proposal (again, if its earlier approval was given
    ///         in an older configuration epoch).
    function approve(uint256 id) external;

    /// @notice A member takes back its approval.
    function revokeApproval(uint256 id) external;

    /// @notice Executes an open proposal approved by at least `threshold` current members in
    ///         the current epoch. Reverts with `GovernanceCallFailed` (carrying the inner
    ///         error) if a call fails, with `GovernanceCallTargetHasNoCode` if a call targets
    ///         an address without code (a plain transfer of native currency, empty data and a
    ///         value above 0, is the one call allowed to such an address), and with
    ///         `GovernanceInvalidThreshold` if the calls leave the threshold out of bounds.
    function execute(uint256 id) external payable;

    /// @notice A current member votes to cancel an open proposal; when `cancelThreshold()`
    ///         members have so voted in the current epoch, the proposal is Cancelled. A cancel
    ///         vote cannot be taken back; it lapses with the epoch like an approval.
    function cancel(uint256 id) external;

    /// @notice Adds a member (only by a vote); starts a new configuration epoch.
    function addMember(address member) external;

    /// @notice Removes a member (only by a vote); starts a new configuration epoch. The
    ///         threshold must still be within bounds when the proposal's calls are done.
    function removeMember(address member) external;

    /// @notice Changes the threshold (only by a vote); starts a new configuration epoch. The
    ///         bounds (see `GovernanceInvalidThreshold`) are checked once the proposal's calls
    ///         are done.
    function setThreshold(uint256 threshold) external;

    /// @notice Changes the voting period of proposals created from now on (only by a vote);
    ///         between `MIN_VOTING_PERIOD` and `MAX_VOTING_PERIOD` seconds.
    function setVotingPeriod(uint256 votingPeriod) external;

    function isMember(address account) external view returns (bool);

    function members() external view returns (address[] memory);

    function threshold() external view returns (uint256);

    /// @notice Cancel votes needed to cancel a proposal: a majority of the members, N / 2 + 1.
    function cancelThreshold() external view returns (uint256);

    /// @notice The configuration epoch: votes cast in an earlier one no longer count.
    function configurationEpoch() external view returns (uint256);

    /// @notice Seconds a new proposal stays open (7 days at deployment).
    function votingPeriod() external view returns (uint256);

    function proposalCount() external view returns (uint256);

    /// @notice None, Open, Executed, Cancelled, or Expired (open past its deadline).
    function proposalState(uint256 id) external view returns (ProposalState);

    /// @notice The last second (block timestamp) at which `id` can be approved or executed.
    function proposalDeadline(uint256 id) external view returns (uint256);

    function proposalCalls(uint256 id) external view returns (Call[] memory);

    /// @notice Approvals from current members given in the current epoch.
    function approvalCount(uint256 id) external view returns (uint256);

    /// @notice Cancel votes from current members cast in the current epoch.
    function cancelVoteCount(uint256 id) external view returns (uint256);

    /// @notice Whether `member` is a member whose approval of `id` counts now.
    function hasApproved(uint256 id, address member) external view returns (bool);

    /// @notice Whether `member` is a member whose cancel vote on `id` counts now.
    function hasVotedCancel(uint256 id, address member) external view returns (bool);
}
