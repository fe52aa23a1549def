// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Typehashes} from "./Typehashes.sol";

/// @title OrderLib
/// @notice The EIP-712 `SwapOrder` struct and its hash (its typehash is `Typehashes.SWAP_ORDER`).
/// @dev The Python twin is `tongdui.chain.eip712`; a test proves both give the same digest.
///      Fields:
///      - owner: the address whose points are swapped, and who signs;
///      - fromToken / toToken: the points tokens of merchant A and merchant B;
///      - amountIn: whole points of A to swap;
///      - minAmountOut: the fewest points of B the owner accepts;
///      - nonce: any unused number (unordered nonces: bit `nonce & 255` of word `nonce >> 8`);
///      - deadline: unix time after which the order is void;
///      - counter: the owner's cancel-all counter when signing (bumped to void every order).
library OrderLib {
    struct SwapOrder {
        address owner;
        address fromToken;
        address toToken;
        uint256 amountIn;
        uint256 minAmountOut;
        uint256 nonce;
        uint256 deadline;
        uint256 counter;
    }

    /// @notice The EIP-712 struct hash of `order`.
    function hash(SwapOrder calldata order) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    Typehashes.SWAP_ORDER,
                    order.owner,
                    order.fromToken,
                    order.toToken,
                    order.amountIn,
                    order.minAmountOut,
                    order.nonce,
                    order.deadline,
                    order.counter
                )
            );
    }
}

/// @title CancelLib
/// @notice The EIP-712 `CancelNonces` type: a signed request to void unordered nonces.
/// @dev Replaying a cancellation is harmless (it sets bits already set), so it needs no nonce.
library CancelLib {
    struct CancelNonces {
        address owner;
        uint256 word; // nonce >> 8
        uint256 mask; // bits of the word to void
        uint256 deadline;
    }

    /// @notice The EIP-712 struct hash of `request`.
    function hash(CancelNonces calldata request) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    Typehashes.CANCEL_NONCES,
                    request.owner,
                    request.word,
                    request.mask,
                    request.deadline
                )
            );
    }
}

/// @title CounterLib
/// @notice The EIP-712 `IncrementCounter` type: a signed cancel-all, so that a user who never
///         pays gas can void every order signed so far through a relayer.
/// @dev `counter` is the owner's counter when signing and acts as the request's nonce: the
///      request bumps it from that value only, so replaying it (or relaying it late, after
///      another bump) fails instead of voiding orders signed after it.
library CounterLib {
    struct IncrementCounter {
        address owner;
        uint256 counter; // the owner's current counter, which the request moves to counter + 1
        uint256 deadline;
    }

    /// @notice The EIP-712 struct hash of `request`.
    function hash(IncrementCounter calldata request) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    Typehashes.INCREMENT_COUNTER,
                    request.owner,
                    request.counter,
                    request.deadline
                )
            );
    }
}
