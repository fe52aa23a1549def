// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IHashedTimelock} from "./interfaces/IHashedTimelock.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {HtlcLib} from "./libraries/HtlcLib.sol";
import {SignatureLib} from "./libraries/SignatureLib.sol";

/// @title HashedTimelock
/// @notice Hashed timelocks on the consortium's points tokens: see IHashedTimelock.
/// @dev No owner, no admin, no sweep: once locked, points leave only by `claim` (to the
///      receiver) or `refund` (to the sender), whoever submits. Points sent here outside a
///      lock stay here for good; the audit reports them apart from the open locks.
contract HashedTimelock is IHashedTimelock, EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev A lock as stored: four slots (the timelocks, the state and the amount share the
    ///      address slots); `getLock` returns the interface's `Lock`. 2^96 points is far beyond
    ///      any program (a points token's own balances are uint128).
    struct StoredLock {
        address token;
        uint64 timelock;
        State state;
        address sender;
        uint64 counterpartTimelock;
        address receiver;
        uint96 amount;
        bytes32 hashlock;
    }

    /// @inheritdoc IHashedTimelock
    address public immutable override registry;
    /// @inheritdoc IHashedTimelock
    uint64 public immutable override minLockDuration;
    /// @inheritdoc IHashedTimelock
    uint64 public immutable override maxLockDuration;
    /// @inheritdoc IHashedTimelock
    uint64 public immutable override safetyMargin;

    mapping(bytes32 lockId => StoredLock) private _locks;
    mapping(address sender => mapping(bytes32 hashlock => bytes32 lockId)) private _lockIds;

    /// @param registry_ the merchant registry: only its points tokens may be locked
    /// @param minLockDuration_ the shortest time from a lock to its timelock
    /// @param maxLockDuration_ the longest time from a lock to its timelock
    /// @param safetyMargin_ the least time between a lock's timelock and its counterpart's:
    ///        chain A finality + chain B finality + the coordinator's worst delay + clock skew
    constructor(
        address registry_,
        uint64 minLockDuration_,
        uint64 maxLockDuration_,
        uint64 safetyMargin_
    ) EIP712("Tongdui HTLC", "1") {
        if (minLockDuration_ == 0 || minLockDuration_ > maxLockDuration_) {
            revert HtlcInvalidDurations(minLockDuration_, maxLockDuration_);
        }
        registry = registry_;
        minLockDuration = minLockDuration_;
        maxLockDuration = maxLockDuration_;
        safetyMargin = safetyMargin_;
    }

    // ─── Locking ────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IHashedTimelock
    function lock(
        address token,
        address receiver,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock,
        uint64 counterpartTimelock
    ) external override nonReentrant returns (bytes32 lockId) {
        lockId = _open(
            LockTerms(token, msg.sender, receiver, amount, hashlock, timelock, counterpartTimelock)
        );
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IHashedTimelock
    function lockWithSig(
        LockTerms calldata terms,
        uint256 deadline,
        bytes calldata signature,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external override nonReentrant returns (bytes32 lockId) {
        if (block.timestamp > deadline) revert HtlcSignatureExpired(deadline, block.timestamp);
        address signer = SignatureLib.signerOf(
            _hashTypedDataV4(HtlcLib.hash(terms, deadline)),
            signature
        );
        if (signer == address(0) || signer != terms.sender) {
            revert HtlcInvalidSigner(signer, terms.sender);
        }
        lockId = _open(terms);
        // A permit someone submitted first made this one fail on its nonce but left the
        // allowance in place; a missing or bad one leaves the allowance short and the
        // transfer below reverts. Either way the outcome is the transfer's.
        try
            IERC20Permit(terms.token).permit(
                terms.sender,
                address(this),
                terms.amount,
                permitDeadline,
                v,
                r,
                s
            )
        {} catch {}
        IERC20(terms.token).safeTransferFrom(terms.sender, address(this), terms.amount);
    }

    // ─── Settling ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IHashedTimelock
    function claim(bytes32 lockId, bytes32 preimage) external override nonReentrant {
        StoredLock storage stored = _openLock(lockId);
        if (block.timestamp >= stored.timelock) {
            revert HtlcExpired(lockId, stored.timelock, block.timestamp);
        }
        bytes32 preimageHash = sha256(abi.encodePacked(preimage));
        if (preimageHash != stored.hashlock) {
            revert HtlcWrongPreimage(lockId, stored.hashlock, preimageHash);
        }
        stored.state = State.Claimed;
        emit HtlcClaimed(lockId, preimage);
        IERC20(stored.token).safeTransfer(stored.receiver, stored.amount);
    }

    /// @inheritdoc IHashedTimelock
    function refund(bytes32 lockId) external override nonReentrant {
        StoredLock storage stored = _openLock(lockId);
        if (block.timestamp < stored.timelock) {
            revert HtlcNotYetRefundable(lockId, stored.timelock, block.timestamp);
        }
        stored.state = State.Refunded;
        emit HtlcRefunded(lockId);
        IERC20(stored.token).safeTransfer(stored.sender, stored.amount);
    }

    // ─── Views ──────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IHashedTimelock
    function getLock(bytes32 lockId) external view override returns (Lock memory) {
        StoredLock storage stored = _locks[lockId];
        return
            Lock({
                token: stored.token,
                sender: stored.sender,
                receiver: stored.receiver,
                amount: stored.amount,
                hashlock: stored.hashlock,
                timelock: stored.timelock,
                counterpartTimelock: stored.counterpartTimelock,
                state: stored.state
            });
    }

    /// @inheritdoc IHashedTimelock
    function lockIdOf(address sender, bytes32 hashlock) external view override returns (bytes32) {
        return _lockIds[sender][hashlock];
    }

    /// @inheritdoc IHashedTimelock
    function hashlockUsed(address sender, bytes32 hashlock) external view override returns (bool) {
        return _lockIds[sender][hashlock] != bytes32(0);
    }

    /// @inheritdoc IHashedTimelock
    function computeLockId(LockTerms calldata terms) external view override returns (bytes32) {
        return
            HtlcLib.lockId(
                address(this),
                terms.token,
                terms.sender,
                terms.receiver,
                terms.amount,
                terms.hashlock,
                terms.timelock
            );
    }

    /// @inheritdoc IHashedTimelock
    function lockTypehash() external pure override returns (bytes32) {
        return HtlcLib.LOCK_TYPEHASH;
    }

    /// @inheritdoc IHashedTimelock
    function lockDigest(
        LockTerms calldata terms,
        uint256 deadline
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(HtlcLib.hash(terms, deadline));
    }

    /// @inheritdoc IHashedTimelock
    function DOMAIN_SEPARATOR() external view override returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────

    /// @dev Checks the terms, records the lock and emits `HtlcLocked`; the caller then pulls
    ///      the points (checks-effects-interactions: the lock exists before any transfer).
    function _open(LockTerms memory terms) private returns (bytes32 lockId) {
        if (terms.amount == 0) revert HtlcZeroAmount();
        if (terms.amount > type(uint96).max) {
            revert HtlcAmountTooLarge(terms.amount, type(uint96).max);
        }
        if (terms.receiver == address(0)) revert HtlcZeroReceiver();
        if (IMerchantRegistry(registry).merchantIdOf(terms.token) == 0) {
            revert HtlcTokenNotRegistered(terms.token);
        }
        uint256 earliest = block.timestamp + minLockDuration;
        uint256 latest = block.timestamp + maxLockDuration;
        if (terms.timelock < earliest || terms.timelock > latest) {
            revert HtlcTimelockOutOfRange(terms.timelock, earliest, latest);
        }
        if (!HtlcLib.marginHolds(terms.timelock, terms.counterpartTimelock, safetyMargin)) {
            revert HtlcMarginTooSmall(terms.timelock, terms.counterpartTimelock, safetyMargin);
        }
        if (_lockIds[terms.sender][terms.hashlock] != bytes32(0)) {
            revert HtlcHashlockUsed(terms.sender, terms.hashlock);
        }
        lockId = HtlcLib.lockId(
            address(this),
            terms.token,
            terms.sender,
            terms.receiver,
            terms.amount,
            terms.hashlock,
            terms.timelock
        );
        _lockIds[terms.sender][terms.hashlock] = lockId;
        _locks[lockId] = StoredLock({
            token: terms.token,
            timelock: terms.timelock,
            state: State.Open,
            sender: terms.sender,
            counterpartTimelock: terms.counterpartTimelock,
            receiver: terms.receiver,
            amount: uint96(terms.amount), // checked above
            hashlock: terms.hashlock
        });
        emit HtlcLocked(
            lockId,
            terms.token,
            terms.sender,
            terms.receiver,
            terms.amount,
            terms.hashlock,
            terms.timelock,
            terms.counterpartTimelock
        );
    }

    /// @dev The open lock `lockId`, or a revert saying why it is not.
    function _openLock(bytes32 lockId) private view returns (StoredLock storage stored) {
        stored = _locks[lockId];
        State state = stored.state;
        if (state == State.None) revert HtlcUnknownLock(lockId);
        if (state != State.Open) revert HtlcNotOpen(lockId, state);
    }
}
