// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ISettlementToken
/// @notice The settlement token (清算币, e.g. sCNY): cash held in settlement accounts. A
///         settlement member (SETTLER_ROLE) mints it against deposits and burns it on
///         withdrawal; nobody else creates or destroys it.
interface ISettlementToken is IERC20 {
    event SettlementMinted(address indexed to, uint256 amount, bytes32 indexed ref);
    event SettlementBurned(address indexed from, uint256 amount, bytes32 indexed ref);

    /// @notice The amount is zero.
    error SettlementZeroAmount();

    /// @notice Mints `amount` against a cash deposit identified by `ref` (e.g. a bank transfer id) (SETTLER_ROLE).
    function mint(address to, uint256 amount, bytes32 ref) external;

    /// @notice Burns `amount` of the settler's own tokens on a cash withdrawal (SETTLER_ROLE).
    function burn(uint256 amount, bytes32 ref) external;

    function pause() external;

    function unpause() external;
}
