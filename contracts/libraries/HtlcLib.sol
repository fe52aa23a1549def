// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IHashedTimelock} from "../interfaces/IHashedTimelock.sol";
import {Typehashes} from "./Typehashes.sol";

/// @title HtlcLib
/// @notice The EIP-712 `Lock` type, the lock id and the margin rule, defined once on the
///         Solidity side.
/// @dev The Python twin is `tongdui.chain.htlc_eip712`; a test proves both give the same
///      digest and lock id.
library HtlcLib {
    bytes32 internal constant LOCK_TYPEHASH = Typehashes.LOCK;

    /// @notice The EIP-712 struct hash of `terms` signed with `deadline`.
    function hash(
        IHashedTimelock.LockTerms calldata terms,
        uint256 deadline
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    LOCK_TYPEHASH,
                    terms.token,
                    terms.sender,
                    terms.receiver,
                    terms.amount,
                    terms.hashlock,
                    terms.timelock,
                    terms.counterpartTimelock,
                    deadline
                )
            );
    }

    /// @notice The id of a lock: bound to the chain and the contract, so the same terms on
    ///         the other chain of a swap give another id.
    function lockId(
        address htlc,
        address token,
        address sender,
        address receiver,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock
    ) internal view returns (bytes32) {
        return
            keccak256(
                abi.encode(block.chainid, htlc, token, sender, receiver, amount, hashlock, timelock)
            );
    }

    /// @notice Whether a lock expiring at `timelock` leaves its counterpart (expiring at
    ///         `counterpartTimelock`, 0: none) at least `margin` seconds after it.
    function marginHolds(
        uint64 timelock,
        uint64 counterpartTimelock,
        uint64 margin
    ) internal pure returns (bool) {
        return
            counterpartTimelock == 0 ||
            uint256(counterpartTimelock) >= uint256(timelock) + uint256(margin);
    }
}
