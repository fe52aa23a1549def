// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IPointsTokenFactory
/// @notice Deploys the merchants' points tokens for the merchant registry, so that the
///         registry does not carry PointsToken's creation code (EIP-170 caps a contract's code
///         at 24,576 bytes).
interface IPointsTokenFactory {
    /// @notice The only account that may create tokens: the merchant registry, fixed at
    ///         deployment. It is each token's registry too.
    function registry() external view returns (address);

    /// @notice Deploys a points token whose registry is `registry()` (only the registry).
    ///         Reverts with `IPointsToken.PointsTokenOnlyRegistry(caller)` for anyone else.
    /// @param governance the consortium governance, admin of the token
    /// @param merchantAdmin the merchant's operator key
    /// @param exchange the points exchange, the only account that swaps
    /// @param cap the cap on outstanding points
    function createToken(
        string calldata name,
        string calldata symbol,
        address governance,
        address merchantAdmin,
        address exchange,
        uint256 cap
    ) external returns (address token);
}
