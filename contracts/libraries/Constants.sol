// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Constants
/// @notice Platform-wide constants, kept in one place so every contract and the backend agree.
library Constants {
    /// @notice Basis points in one whole (100%).
    uint256 internal constant BPS = 10_000;
    /// @notice The highest swap fee governance may set: 10%.
    uint256 internal constant MAX_FEE_BPS = 1_000;
    /// @notice The largest point-value step governance may allow in one change: 100%.
    uint256 internal constant MAX_VALUE_STEP_BPS = 10_000;
}
