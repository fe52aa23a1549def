// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPointsToken} from "./interfaces/IPointsToken.sol";
import {IPointsTokenFactory} from "./interfaces/IPointsTokenFactory.sol";
import {PointsToken} from "./PointsToken.sol";

/// @title PointsTokenFactory
/// @notice Deploys each admitted merchant's PointsToken, for the merchant registry alone.
/// @dev Why a contract of its own: `new PointsToken` embeds PointsToken's whole creation code
///      in the contract that says it, and in the registry that left 55 bytes under EIP-170's
///      24,576-byte limit. Each token is a full contract made with `new` (CREATE from this
///      factory), not an EIP-1167 clone: a clone's delegatecall would add gas to every
///      transfer and swap, and its immutables (exchange, registry) would become storage reads.
///      The registry is fixed at deployment (the deployer knows its address from its nonce);
///      the registry's constructor checks that this factory names it.
contract PointsTokenFactory is IPointsTokenFactory {
    /// @inheritdoc IPointsTokenFactory
    address public immutable override registry;

    constructor(address registry_) {
        registry = registry_;
    }

    /// @inheritdoc IPointsTokenFactory
    function createToken(
        string calldata name,
        string calldata symbol,
        address governance,
        address merchantAdmin,
        address exchange,
        uint256 cap
    ) external override returns (address token) {
        if (msg.sender != registry) revert IPointsToken.PointsTokenOnlyRegistry(msg.sender);
        token = address(
            new PointsToken(name, symbol, governance, merchantAdmin, exchange, registry, cap)
        );
    }
}
