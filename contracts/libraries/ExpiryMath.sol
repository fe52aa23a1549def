// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ExpiryMath
/// @notice The calendar arithmetic of expiring points (issue 16): month keys, the key a rule
///         gives a mint, and when a key expires. Pure functions, inlined into PointsToken.
/// @dev A month key is `m = (year - 1970) * 12 + (month - 1)` in UTC. A bucket with key `k`
///      expires at the start (00:00 UTC) of month `k + 1`: its points are spendable while
///      `monthOf(block.timestamp) <= k`. Key `NEVER` (0xFFFF) never expires; key 0 (January
///      1970) is the empty sentinel of the bucket list and never a real key.
///
///      The day <-> civil date conversions are Howard Hinnant's `civil_from_days` and
///      `days_from_civil` (http://howardhinnant.github.io/date_algorithms.html), restricted to
///      dates from 1970 on, so every quantity is unsigned and the eras are non-negative. The
///      backend's twin (backend/chain/expiry.py) must give the same answers:
///        monthOf(t)          = (y - 1970) * 12 + (m - 1) where (y, m, _) = civil(t // 86400)
///        keyFor(t, v, r)     = NEVER if v == 0 else ceilToPeriodEnd(monthOf(t) + v, r)
///        ceilToPeriodEnd(x,r)= (x / r) * r + r - 1 (periods aligned to January)
///        expiryOf(k)         = days(1970 + (k + 1) / 12, (k + 1) % 12 + 1, 1) * 86400
///                              (type(uint256).max for NEVER)
library ExpiryMath {
    /// @notice The key of points that never expire.
    uint16 internal constant NEVER = type(uint16).max;
    /// @notice The longest validity a rule may give (100 years), so keys stay below NEVER.
    uint16 internal constant MAX_VALIDITY_MONTHS = 1200;

    /// @dev Bit r set for each rounding r in {1, 3, 6, 12}.
    uint256 private constant ROUNDINGS = (1 << 1) | (1 << 3) | (1 << 6) | (1 << 12);
    uint256 private constant SECONDS_PER_DAY = 86_400;
    /// @dev Days from 0000-03-01 (Hinnant's epoch) to 1970-01-01.
    uint256 private constant EPOCH_SHIFT = 719_468;
    uint256 private constant DAYS_PER_ERA = 146_097;

    /// @notice The month key of unix time `timestamp` (UTC).
    function monthOf(uint256 timestamp) internal pure returns (uint256) {
        unchecked {
            // civil_from_days, for days >= 0 (era >= 0).
            uint256 z = timestamp / SECONDS_PER_DAY + EPOCH_SHIFT;
            uint256 era = z / DAYS_PER_ERA;
            uint256 doe = z - era * DAYS_PER_ERA; // [0, 146096]
            uint256 yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
            uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
            uint256 mp = (5 * doy + 2) / 153; // [0, 11], March = 0
            uint256 year = yoe + era * 400;
            // mp 0..9 are March..December of `year`, 10..11 January..February of `year + 1`.
            // Month index from 0000-01: year * 12 + (month - 1), with month = mp + 3 (or - 9).
            uint256 monthsFromZero = mp < 10 ? year * 12 + mp + 2 : (year + 1) * 12 + mp - 10;
            return monthsFromZero - 1970 * 12;
        }
    }

    /// @notice The key new points get at `timestamp` under the rule `(validity, rounding)`:
    ///         NEVER when `validity` is 0, else the end of the `rounding`-month period (aligned
    ///         to January) that holds the month `validity` months from now.
    function keyFor(
        uint256 timestamp,
        uint256 validity,
        uint256 rounding
    ) internal pure returns (uint16) {
        if (validity == 0) return NEVER;
        unchecked {
            uint256 target = monthOf(timestamp) + validity;
            // < 65535 for every timestamp before year 7300 and validity <= 1200 months.
            return uint16((target / rounding) * rounding + rounding - 1);
        }
    }

    /// @notice Unix time at which points of `key` expire: 00:00 UTC on the first day of month
    ///         `key + 1`; type(uint256).max for NEVER.
    function expiryOf(uint16 key) internal pure returns (uint256) {
        if (key == NEVER) return type(uint256).max;
        unchecked {
            uint256 next = uint256(key) + 1;
            return daysFromCivil(1970 + next / 12, (next % 12) + 1, 1) * SECONDS_PER_DAY;
        }
    }

    /// @notice Days from 1970-01-01 to the civil date `year-month-day` (year >= 1970).
    function daysFromCivil(
        uint256 year,
        uint256 month,
        uint256 day
    ) internal pure returns (uint256) {
        unchecked {
            if (month <= 2) year -= 1;
            uint256 era = year / 400;
            uint256 yoe = year - era * 400; // [0, 399]
            uint256 mp = month > 2 ? month - 3 : month + 9; // March = 0
            uint256 doy = (153 * mp + 2) / 5 + day - 1; // [0, 365]
            uint256 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
            return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
        }
    }

    /// @notice Whether `(validity, rounding)` is a rule `setExpiryRule` accepts: rounding 1, 3,
    ///         6 or 12 months and a validity of at most MAX_VALIDITY_MONTHS (0 = never expires,
    ///         where rounding may also be 0).
    function isValidRule(uint256 validity, uint256 rounding) internal pure returns (bool) {
        if (validity > MAX_VALIDITY_MONTHS || rounding > 12) return false;
        if (validity == 0 && rounding == 0) return true;
        return (ROUNDINGS >> rounding) & 1 == 1;
    }
}
