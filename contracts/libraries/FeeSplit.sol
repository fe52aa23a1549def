// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Constants} from "./Constants.sol";

/// @title FeeSplit
/// @notice Divides one swap's fee among the payees by their shares in basis points.
/// @dev Each non-platform share is rounded down; the platform takes the remainder, so the
///      parts always add up to the fee exactly: no rounding unit is created or lost.
library FeeSplit {
    /// @notice Shares of the fee, in basis points; they sum to 10 000.
    struct Shares {
        uint16 platformBps;
        uint16 sourceMerchantBps;
        uint16 targetMerchantBps;
        uint16 relayerBps;
    }

    /// @notice The amounts credited to each payee for one fee.
    struct Parts {
        uint256 platform;
        uint256 sourceMerchant;
        uint256 targetMerchant;
        uint256 relayer;
    }

    /// @notice Sum of the four shares.
    function total(Shares memory shares) internal pure returns (uint256) {
        return
            uint256(shares.platformBps) +
            shares.sourceMerchantBps +
            shares.targetMerchantBps +
            shares.relayerBps;
    }

    /// @notice Splits `fee`; with no relayer the relayer's share goes to the platform.
    function split(
        Shares memory shares,
        uint256 fee,
        bool hasRelayer
    ) internal pure returns (Parts memory parts) {
        parts.sourceMerchant = (fee * shares.sourceMerchantBps) / Constants.BPS;
        parts.targetMerchant = (fee * shares.targetMerchantBps) / Constants.BPS;
        if (hasRelayer) parts.relayer = (fee * shares.relayerBps) / Constants.BPS;
        parts.platform = fee - parts.sourceMerchant - parts.targetMerchant - parts.relayer;
    }
}
