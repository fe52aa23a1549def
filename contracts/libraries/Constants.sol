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
    /// @notice The shortest interval between two point-value changes governance may allow:
    ///         with no floor, back-to-back changes would void the step bound.
    uint256 internal constant MIN_VALUE_INTERVAL = 10 minutes;
    /// @notice How long a point value's reference holds: within one reference period the value
    ///         stays within `maxDailyStepBps` of the value the period started with.
    uint256 internal constant VALUE_REFERENCE_PERIOD = 1 days;

    // ─── Genesis defaults (governance changes them by vote) ────────────────────────────────

    /// @notice Default bound on one point-value change: ±20%.
    uint256 internal constant DEFAULT_MAX_VALUE_STEP_BPS = 2_000;
    /// @notice Default interval between point-value changes: one hour.
    uint256 internal constant DEFAULT_MIN_VALUE_INTERVAL = 1 hours;
    /// @notice Default band around the reference value within one reference period: ±50%.
    uint256 internal constant DEFAULT_MAX_DAILY_STEP_BPS = 5_000;
    /// @notice Default per-user limit: 10 000 000 settlement units (¥100 000 in fen) ...
    uint256 internal constant DEFAULT_MAX_VALUE_PER_WINDOW = 10_000_000;
    /// @notice ... recovered linearly over one day.
    uint256 internal constant DEFAULT_LIMIT_WINDOW = 1 days;
    /// @notice Default smallest order, in settlement units (¥1 in fen).
    uint256 internal constant DEFAULT_MIN_ORDER_VALUE = 100;
}
