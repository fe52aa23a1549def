// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IHashedTimelock
/// @notice Hashed timelocks (HTLC, 哈希时间锁) on points tokens, one half of a cross-chain
///         atomic swap (跨境原子互换): the sender's points are held until the receiver claims them
///         with the secret whose sha256 is the hashlock, before the timelock, or until anyone
///         refunds them to the sender at or after the timelock.
/// @dev Value model: the points themselves are locked, not their settlement value. Nothing is
///      minted or burned, so every token's supply and every settlement balance is unchanged; the
///      contract's own invariant is, per token, `balanceOf(htlc) == Σ amount of open locks`.
///      Only points tokens of the merchant registry may be locked.
///
///      A hashlock is single use per sender: a sender can never open a second lock that the
///      preimage of an earlier one (public once claimed) would unlock. It is not global on
///      purpose: with one global namespace, anyone who saw a hashlock (in a lock event on the
///      other chain) could lock 1 point under it first and block the bridge member's lock.
///
///      Margin rule: a lock that names its counterpart (the lock on the other chain that the
///      same secret unlocks) must expire at least `safetyMargin` before it:
///      `counterpartTimelock >= timelock + safetyMargin`. The bridge member's lock on chain B
///      names the user's lock on chain A, so once the user claims on B (revealing the secret)
///      the member has at least the margin left to claim on A. The margin is chosen to cover
///      chain A's finality + chain B's finality + the coordinator's worst delay (a restart) +
///      the clock skew between the two chains' block timestamps.
///
///      Restart-safe: a lock's id is a pure function of its terms (`computeLockId(terms)`), and
///      `lockIdOf(sender, hashlock)` finds the lock a sender opened under a hashlock, so a
///      coordinator that restarts learns from the chain alone whether its lock went through.
interface IHashedTimelock {
    /// @notice Where a lock is in its life. None: no such lock.
    enum State {
        None,
        Open,
        Claimed,
        Refunded
    }

    /// @notice A lock, as `getLock` returns it.
    struct Lock {
        address token;
        address sender;
        address receiver;
        uint256 amount;
        bytes32 hashlock;
        uint64 timelock;
        uint64 counterpartTimelock;
        State state;
    }

    /// @notice The terms of a lock, as its sender signs them for `lockWithSig`.
    /// @dev EIP-712 type `Lock(address token,address sender,address receiver,uint256 amount,
    ///      bytes32 hashlock,uint64 timelock,uint64 counterpartTimelock,uint256 deadline)`
    ///      (deadline: the signature's, not part of the lock) under the domain
    ///      `{name: "Tongdui HTLC", version: "1", chainId, verifyingContract: this}`.
    ///      - token: the points token locked (registered in the merchant registry);
    ///      - sender: whose points are locked, and who is refunded;
    ///      - receiver: who is paid on a claim;
    ///      - amount: whole points;
    ///      - hashlock: sha256 of the 32-byte secret;
    ///      - timelock: unix time from which the lock can no longer be claimed, only refunded;
    ///      - counterpartTimelock: the timelock of the lock on the other chain that the same
    ///        secret unlocks, or 0 when this lock is the first of the pair.
    struct LockTerms {
        address token;
        address sender;
        address receiver;
        uint256 amount;
        bytes32 hashlock;
        uint64 timelock;
        uint64 counterpartTimelock;
    }

    /// @notice `sender` locked `amount` of `token` for `receiver` under `hashlock` until
    ///         `timelock`; `counterpartTimelock` is the other chain's lock's timelock (0: none).
    event HtlcLocked(
        bytes32 indexed lockId,
        address indexed token,
        address indexed sender,
        address receiver,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock,
        uint64 counterpartTimelock
    );
    /// @notice The lock was claimed with `preimage` and paid to its receiver.
    event HtlcClaimed(bytes32 indexed lockId, bytes32 preimage);
    /// @notice The lock expired and was paid back to its sender.
    event HtlcRefunded(bytes32 indexed lockId);

    /// @notice No lock has this id.
    error HtlcUnknownLock(bytes32 lockId);
    /// @notice The lock was already claimed or refunded.
    error HtlcNotOpen(bytes32 lockId, State state);
    /// @notice sha256(preimage) is not the lock's hashlock.
    error HtlcWrongPreimage(bytes32 lockId, bytes32 hashlock, bytes32 preimageHash);
    /// @notice A claim at or after the timelock: the lock can only be refunded now.
    error HtlcExpired(bytes32 lockId, uint64 timelock, uint256 nowTime);
    /// @notice A refund before the timelock: the lock can still be claimed.
    error HtlcNotYetRefundable(bytes32 lockId, uint64 timelock, uint256 nowTime);
    /// @notice The timelock lies outside `[now + minLockDuration, now + maxLockDuration]`.
    error HtlcTimelockOutOfRange(uint64 timelock, uint256 earliest, uint256 latest);
    /// @notice The counterpart's timelock is less than `safetyMargin` after this lock's.
    error HtlcMarginTooSmall(uint64 timelock, uint64 counterpartTimelock, uint64 safetyMargin);
    /// @notice `sender` already used `hashlock` for a lock (its preimage may be public).
    error HtlcHashlockUsed(address sender, bytes32 hashlock);
    /// @notice The lock's signature was not made by its sender (`signer` 0: malformed).
    error HtlcInvalidSigner(address signer, address sender);
    /// @notice The lock's signature expired.
    error HtlcSignatureExpired(uint256 deadline, uint256 nowTime);
    /// @notice The token is not a points token of the merchant registry.
    error HtlcTokenNotRegistered(address token);
    /// @notice A lock of zero points.
    error HtlcZeroAmount();
    /// @notice A lock of more points than a lock can hold (2^96 − 1).
    error HtlcAmountTooLarge(uint256 amount, uint256 max);
    /// @notice A lock paying the zero address.
    error HtlcZeroReceiver();
    /// @notice Constructor bounds that cannot hold together (0 < min <= max).
    error HtlcInvalidDurations(uint64 minLockDuration, uint64 maxLockDuration);

    /// @notice Locks `amount` of the caller's `token` for `receiver` (needs an allowance).
    /// @dev Used by the bridge member on chain B with `counterpartTimelock` = the user's T_A.
    function lock(
        address token,
        address receiver,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock,
        uint64 counterpartTimelock
    ) external returns (bytes32 lockId);

    /// @notice Locks by the sender's signature of `terms`, so a relayer pays the gas.
    /// @dev Deadline checked, signer recovered and compared with `terms.sender`, then the
    ///      token's ERC-2612 permit is tried (a permit someone submitted first is harmless: if
    ///      the allowance is short the transfer reverts), then the points are pulled. The
    ///      signature cannot be replayed: the sender's hashlock is single use.
    function lockWithSig(
        LockTerms calldata terms,
        uint256 deadline,
        bytes calldata signature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 lockId);

    /// @notice Pays an open lock to its receiver, whoever calls, before its timelock, given
    ///         the secret whose sha256 is its hashlock.
    function claim(bytes32 lockId, bytes32 preimage) external;

    /// @notice Pays an open lock back to its sender, whoever calls, at or after its timelock.
    function refund(bytes32 lockId) external;

    /// @notice The lock `lockId` (state None if there is none).
    function getLock(bytes32 lockId) external view returns (Lock memory);

    /// @notice The id of the lock `sender` opened under `hashlock` (0 if none).
    function lockIdOf(address sender, bytes32 hashlock) external view returns (bytes32);

    /// @notice Whether `sender` already used `hashlock`.
    function hashlockUsed(address sender, bytes32 hashlock) external view returns (bool);

    /// @notice The id a lock with these terms gets (on this chain and contract):
    ///         `keccak256(abi.encode(chainid, this, token, sender, receiver, amount, hashlock,
    ///         timelock))`.
    function computeLockId(LockTerms calldata terms) external view returns (bytes32);

    /// @notice The EIP-712 type hash of `Lock`.
    function lockTypehash() external pure returns (bytes32);

    /// @notice The EIP-712 digest the sender signs for `terms` with `deadline`.
    function lockDigest(LockTerms calldata terms, uint256 deadline) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "Tongdui HTLC", version "1").
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice The merchant registry whose points tokens may be locked.
    function registry() external view returns (address);

    /// @notice The shortest time from a lock to its timelock.
    function minLockDuration() external view returns (uint64);

    /// @notice The longest time from a lock to its timelock.
    function maxLockDuration() external view returns (uint64);

    /// @notice The least time between a lock's timelock and its counterpart's.
    function safetyMargin() external view returns (uint64);
}
