// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Typehashes} from "./Typehashes.sol";

/// @title VoucherLib
/// @notice The EIP-712 types the VoucherBook verifies (typehashes in `Typehashes`), and their
///         struct hashes, under the domain `Tongdui VoucherBook`, version 1.
/// @dev The Python twin is `tongdui.chain.voucher_eip712`. Nonces of purchases and gifts are
///      unordered (bit `nonce & 255` of word `nonce >> 8` of the owner's bitmap, as the
///      exchange's): one bitmap per owner serves both. A redemption has no nonce: it turns the
///      voucher from active to redeemed, so it cannot happen twice.
library VoucherLib {
    /// @notice A user's signed purchase of one voucher of `productId`.
    /// @dev `pointsIn` points of `payToken` pay `price − cashAmount` settlement units; with
    ///      `cashAmount > 0` the rest is paid in cash through a payment provider (two steps).
    struct Purchase {
        address owner;
        uint256 productId;
        address payToken;
        uint256 pointsIn;
        uint256 cashAmount;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A payment provider's signed notice that the cash part of `purchaseId` was paid
    ///         (or refused): `paymentId` is the provider's payment, used once.
    struct CashNotice {
        bytes32 purchaseId;
        bytes32 paymentId;
        uint256 amount;
        bool paid;
    }

    /// @notice A holder's signed gift of voucher `voucherId` to `to`.
    struct VoucherGift {
        address from;
        address to;
        uint256 voucherId;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A holder's short-lived consent (shown as a QR code at the till) to redeem
    ///         `voucherId` before `deadline`.
    struct Redemption {
        uint256 voucherId;
        address holder;
        uint256 deadline;
    }

    /// @notice The EIP-712 struct hash of `p`.
    function hash(Purchase calldata p) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    Typehashes.PURCHASE,
                    p.owner,
                    p.productId,
                    p.payToken,
                    p.pointsIn,
                    p.cashAmount,
                    p.nonce,
                    p.deadline
                )
            );
    }

    /// @notice The EIP-712 struct hash of `n`.
    function hash(CashNotice calldata n) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(Typehashes.CASH_NOTICE, n.purchaseId, n.paymentId, n.amount, n.paid)
            );
    }

    /// @notice The EIP-712 struct hash of `g`.
    function hash(VoucherGift calldata g) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(Typehashes.VOUCHER_GIFT, g.from, g.to, g.voucherId, g.nonce, g.deadline)
            );
    }

    /// @notice The EIP-712 struct hash of `r`.
    function hash(Redemption calldata r) internal pure returns (bytes32) {
        return
            keccak256(abi.encode(Typehashes.VOUCHER_REDEMPTION, r.voucherId, r.holder, r.deadline));
    }
}
