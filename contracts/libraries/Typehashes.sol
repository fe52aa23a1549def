// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Typehashes
/// @notice The EIP-712 typehash of every type the platform's contracts verify a signature over,
///         kept in one place (as Seaport's `TypehashDirectory`).
/// @dev Five signed requests: `SwapOrder`, `CancelNonces` and `IncrementCounter` under the
///      exchange's domain (hashed by `OrderLib`, `CancelLib` and `CounterLib`); `Redemption`
///      and EIP-3009's `TransferWithAuthorization` under each points token's domain, with
///      EIP-3009's `CancelAuthorization` beside them; and the HTLC's `Lock` under its own domain. The Python twin is
///      `tongdui.chain.eip712`; tests/contracts/test_eip712.py proves every type string here is
///      the one Python hashes. `internal constant`s are folded in at compile time, so they cost
///      no bytecode of their own.
library Typehashes {
    /// @notice A user's order to swap points of one program into another.
    bytes32 internal constant SWAP_ORDER = keccak256(
        "SwapOrder(address owner,address fromToken,address toToken,uint256 amountIn,"
        "uint256 minAmountOut,uint256 nonce,uint256 deadline,uint256 counter)"
    );
    /// @notice A signed request to void the unordered nonces of one bitmap word.
    bytes32 internal constant CANCEL_NONCES = keccak256(
        "CancelNonces(address owner,uint256 word,uint256 mask,uint256 deadline)"
    );
    /// @notice A signed cancel-all: bumps the owner's counter from `counter`.
    bytes32 internal constant INCREMENT_COUNTER = keccak256(
        "IncrementCounter(address owner,uint256 counter,uint256 deadline)"
    );
    /// @notice A holder's consent to a redemption; `nonce` is the holder's consent nonce.
    bytes32 internal constant REDEMPTION = keccak256(
        "Redemption(address holder,uint256 amount,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-3009: a gift of points signed by the giver.
    bytes32 internal constant TRANSFER_WITH_AUTHORIZATION = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
        "uint256 validBefore,bytes32 nonce)"
    );
    /// @notice EIP-3009: the giver voids an unused authorization nonce.
    bytes32 internal constant CANCEL_AUTHORIZATION = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );
    /// @notice A user's gasless hashed-timelock lock (issue 17), under the HTLC's own domain
    ///         (hashed by `HtlcLib`; the Python twin is `tongdui.chain.htlc_eip712`).
    bytes32 internal constant LOCK = keccak256(
        "Lock(address token,address sender,address receiver,uint256 amount,bytes32 hashlock,"
        "uint64 timelock,uint64 counterpartTimelock,uint256 deadline)"
    );

    // ─── Vouchers (issue 16), under the VoucherBook's domain (hashed by `VoucherLib`) ─────

    /// @notice A user's signed purchase of a voucher, paid in points and optionally cash.
    bytes32 internal constant PURCHASE = keccak256(
        "Purchase(address owner,uint256 productId,address payToken,uint256 pointsIn,"
        "uint256 cashAmount,uint256 nonce,uint256 deadline)"
    );
    /// @notice A payment provider's signed notice on the cash part of a purchase.
    bytes32 internal constant CASH_NOTICE = keccak256(
        "CashNotice(bytes32 purchaseId,bytes32 paymentId,uint256 amount,bool paid)"
    );
    /// @notice A holder's signed gift of a voucher.
    bytes32 internal constant VOUCHER_GIFT = keccak256(
        "VoucherGift(address from,address to,uint256 voucherId,uint256 nonce,uint256 deadline)"
    );
    /// @notice A holder's short-lived consent to redeem a voucher at the till.
    bytes32 internal constant VOUCHER_REDEMPTION = keccak256(
        "VoucherRedemption(uint256 voucherId,address holder,uint256 deadline)"
    );
}
