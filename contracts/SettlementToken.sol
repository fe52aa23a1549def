// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ISettlementToken} from "./interfaces/ISettlementToken.sol";

/// @title SettlementToken
/// @notice sCNY: one unit is one fen (0.01 CNY), so `decimals() == 2`.
/// @dev DEFAULT_ADMIN_ROLE is the consortium governance, which grants SETTLER_ROLE. The
///      deployer is the first admin only long enough to hand over (scripts/deploy.py).
contract SettlementToken is ERC20, ERC20Permit, AccessControl, Pausable, ISettlementToken {
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    constructor(
        string memory name_,
        string memory symbol_,
        address admin
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Settlement units are fen: two decimals of a yuan.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @inheritdoc ISettlementToken
    function mint(
        address to,
        uint256 amount,
        bytes32 ref
    ) external override onlyRole(SETTLER_ROLE) {
        if (amount == 0) revert SettlementZeroAmount();
        _mint(to, amount);
        emit SettlementMinted(to, amount, ref);
    }

    /// @inheritdoc ISettlementToken
    function burn(uint256 amount, bytes32 ref) external override onlyRole(SETTLER_ROLE) {
        if (amount == 0) revert SettlementZeroAmount();
        _burn(msg.sender, amount);
        emit SettlementBurned(msg.sender, amount, ref);
    }

    /// @inheritdoc ISettlementToken
    function pause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @inheritdoc ISettlementToken
    function unpause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    function _update(address from, address to, uint256 value) internal override whenNotPaused {
        super._update(from, to, value);
    }
}
