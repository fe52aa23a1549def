// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Constants} from "./Constants.sol";

/// @title SwapMath
/// @notice Pure pricing of a swap A→B, as DESIGN.md's value model defines it.
/// @dev V = amountIn × valueA; F = ⌈V × feeBps / 10 000⌉; amountOut = ⌊(V − F) / valueB⌋;
///      dust D = V − F − amountOut × valueB joins the fee, so nothing is lost to rounding:
///      V = amountOut × valueB + (F + D) holds exactly. The fee rounds up so that splitting
///      an order cannot evade it: every order of non-zero value pays at least one unit
///      whenever feeBps > 0 (with a floor, any order worth under 10 000 / feeBps paid none).
library SwapMath {
    /// @notice The settlement-value breakdown of one swap.
    struct Quote {
        uint256 grossValue; // V: settlement units merchant A pays
        uint256 amountOut; // points of B the user receives
        uint256 paidToTarget; // amountOut × valueB: settlement units merchant B receives
        uint256 fee; // F + D: settlement units credited to the revenue split
        uint256 dust; // D: the rounding part of `fee`
    }

    /// @notice Prices `amountIn` points of A into points of B.
    function quote(
        uint256 amountIn,
        uint256 valueA,
        uint256 valueB,
        uint256 feeBps
    ) internal pure returns (Quote memory q) {
        q.grossValue = amountIn * valueA;
        uint256 charged = (q.grossValue * feeBps + Constants.BPS - 1) / Constants.BPS;
        uint256 net = q.grossValue - charged;
        q.amountOut = net / valueB;
        q.paidToTarget = q.amountOut * valueB;
        q.dust = net - q.paidToTarget;
        q.fee = charged + q.dust;
    }
}
