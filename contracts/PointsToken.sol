// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {SignatureLib} from "./libraries/SignatureLib.sol";
import {Typehashes} from "./libraries/Typehashes.sol";
import {IPointsToken} from "./interfaces/IPointsToken.sol";

/// @title PointsToken
/// @notice One merchant's loyalty points. Deployed on admission by the merchant registry,
///         through its PointsTokenFactory.
/// @dev Roles: DEFAULT_ADMIN_ROLE is the consortium governance (pause, its own freezes, revoking
///      issuers); MERCHANT_ROLE is the merchant's operator key, which grants and revokes
///      ISSUER_ROLE to its issuer keys and sets its own freezes. ISSUER_ROLE is kept outside
///      AccessControl's mapping, in one set per issuer epoch, so that all issuers can be listed
///      and revoked together. The registry sets the cap, suspends issuance and rotates the
///      operator key; only the exchange burns and mints for swaps.
contract PointsToken is ERC20, ERC20Permit, AccessControl, Pausable, IPointsToken {
    using EnumerableSet for EnumerableSet.AddressSet;

    bytes32 public constant MERCHANT_ROLE = keccak256("MERCHANT_ROLE");
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    bytes32 public constant REDEMPTION_TYPEHASH = Typehashes.REDEMPTION;
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = Typehashes
        .TRANSFER_WITH_AUTHORIZATION;
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = Typehashes.CANCEL_AUTHORIZATION;

    /// @inheritdoc IPointsToken
    address public immutable override exchange;
    /// @inheritdoc IPointsToken
    address public immutable override registry;

    /// @inheritdoc IPointsToken
    bool public override issuanceSuspended;
    /// @inheritdoc IPointsToken
    uint256 public override issuerEpoch;

    uint8 private constant FROZEN_BY_MERCHANT = 1;
    uint8 private constant FROZEN_BY_GOVERNANCE = 2;

    /// @dev A holder's balance and freeze flags share one slot, so a swap reads each holder's
    ///      state once per token instead of twice (OpenZeppelin's ERC20 keeps balances in a
    ///      mapping of its own, left unused here). 2^128 points is far beyond any program.
    ///      `freezes` holds one bit per authority; the account is frozen while it is non-zero.
    struct Account {
        uint128 balance;
        uint8 freezes;
    }

    /// @dev Supply and cap share one slot: every mint checks the cap for the read it already
    ///      makes of the supply.
    struct Supply {
        uint128 outstanding;
        uint128 cap;
    }

    mapping(address holder => Account) private _accounts;
    Supply private _supply;
    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizations;
    mapping(uint256 epoch => EnumerableSet.AddressSet) private _issuers;
    mapping(address holder => uint256) private _consentNonces;

    modifier onlyExchange() {
        if (msg.sender != exchange) revert PointsTokenOnlyExchange(msg.sender);
        _;
    }

    modifier onlyRegistry() {
        if (msg.sender != registry) revert PointsTokenOnlyRegistry(msg.sender);
        _;
    }

    /// @param governance the consortium governance, admin of this token
    /// @param merchantAdmin the merchant's operator key
    /// @param exchange_ the points exchange, the only account that swaps
    /// @param registry_ the merchant registry (the factory that deploys the token passes it)
    /// @param cap the cap on outstanding points (the total supply)
    constructor(
        string memory name_,
        string memory symbol_,
        address governance,
        address merchantAdmin,
        address exchange_,
        address registry_,
        uint256 cap
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        exchange = exchange_;
        registry = registry_;
        _supply.cap = SafeCast.toUint128(cap);
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _grantRole(MERCHANT_ROLE, merchantAdmin);
        _grantRole(ISSUER_ROLE, merchantAdmin);
        _setRoleAdmin(ISSUER_ROLE, MERCHANT_ROLE);
        emit IssuanceCapChanged(cap);
    }

    /// @notice Points are whole: there are no fractions of a point.
    function decimals() public pure override returns (uint8) {
        return 0;
    }

    // ─── Issuance and redemption ────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function issue(address to, uint256 amount) external override onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert PointsTokenZeroAmount();
        if (issuanceSuspended) revert PointsTokenIssuanceSuspended();
        _mint(to, amount); // within the cap: `_update` checks it on every mint
        emit Issued(to, amount, msg.sender);
    }

    /// @inheritdoc IPointsToken
    function redeem(uint256 amount) external override {
        if (amount == 0) revert PointsTokenZeroAmount();
        _burn(msg.sender, amount);
        emit Redeemed(msg.sender, amount, msg.sender);
    }

    /// @inheritdoc IPointsToken
    function redeemWithConsent(
        address holder,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external override onlyRole(ISSUER_ROLE) {
        if (amount == 0) revert PointsTokenZeroAmount();
        if (block.timestamp > deadline) revert PointsTokenExpired(deadline);
        uint256 nonce = _consentNonces[holder]++;
        bytes32 structHash = keccak256(
            abi.encode(REDEMPTION_TYPEHASH, holder, amount, nonce, deadline)
        );
        _requireSigner(structHash, signature, holder);
        _burn(holder, amount);
        emit Redeemed(holder, amount, msg.sender);
    }

    /// @inheritdoc IPointsToken
    function consentNonce(address holder) external view override returns (uint256) {
        return _consentNonces[holder];
    }

    // ─── Gifting by signature (EIP-3009) ────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external override {
        if (block.timestamp <= validAfter) revert PointsTokenNotYetValid(validAfter);
        if (block.timestamp >= validBefore) revert PointsTokenExpired(validBefore);
        _consumeAuthorization(from, nonce);
        emit AuthorizationUsed(from, nonce);
        bytes32 structHash = keccak256(
            abi.encode(
                TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
                from,
                to,
                value,
                validAfter,
                validBefore,
                nonce
            )
        );
        _requireSigner(structHash, signature, from);
        _transfer(from, to, value);
    }

    /// @inheritdoc IPointsToken
    function cancelAuthorization(
        address authorizer,
        bytes32 nonce,
        bytes calldata signature
    ) external override {
        _consumeAuthorization(authorizer, nonce);
        bytes32 structHash = keccak256(
            abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)
        );
        _requireSigner(structHash, signature, authorizer);
        emit AuthorizationCanceled(authorizer, nonce);
    }

    /// @inheritdoc IPointsToken
    function authorizationState(
        address authorizer,
        bytes32 nonce
    ) external view override returns (bool) {
        return _authorizations[authorizer][nonce];
    }

    // ─── Swaps ──────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function exchangeBurn(
        address from,
        uint256 amount
    ) external override onlyExchange returns (uint16 earliestKey) {
        _burn(from, amount);
        return type(uint16).max; // placeholder until expiry buckets land (w7-expiry)
    }

    /// @inheritdoc IPointsToken
    function exchangeMintWithKey(
        address to,
        uint256 amount,
        uint16 /* key */
    ) external override onlyExchange {
        _mint(to, amount); // placeholder until expiry buckets land (w7-expiry)
    }

    /// @inheritdoc IPointsToken
    function exchangeMint(address to, uint256 amount) external override onlyExchange {
        _mint(to, amount);
    }

    // ─── Risk control ───────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function setIssuanceCap(uint256 cap) external override onlyRegistry {
        _supply.cap = SafeCast.toUint128(cap);
        emit IssuanceCapChanged(cap);
    }

    /// @inheritdoc IPointsToken
    function issuanceCap() external view override returns (uint256) {
        return _supply.cap;
    }

    /// @inheritdoc IPointsToken
    function rotateMerchantAdmin(
        address oldAdmin,
        address newAdmin
    ) external override onlyRegistry {
        _revokeRole(MERCHANT_ROLE, oldAdmin);
        _newIssuerEpoch();
        _grantRole(MERCHANT_ROLE, newAdmin);
        _grantRole(ISSUER_ROLE, newAdmin);
    }

    /// @inheritdoc IPointsToken
    function revokeIssuer(address issuer) external override {
        _requireMerchantOrGovernance();
        if (!_revokeRole(ISSUER_ROLE, issuer)) revert PointsTokenNotIssuer(issuer);
    }

    /// @inheritdoc IPointsToken
    function revokeAllIssuers() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _newIssuerEpoch();
    }

    /// @inheritdoc IPointsToken
    function issuers() external view override returns (address[] memory) {
        return _issuers[issuerEpoch].values();
    }

    /// @inheritdoc IPointsToken
    function setIssuanceSuspended(bool suspended) external override onlyRegistry {
        issuanceSuspended = suspended;
        emit IssuanceSuspended(suspended);
    }

    /// @inheritdoc IPointsToken
    function setFrozen(address account, bool frozen) external override onlyRole(MERCHANT_ROLE) {
        _setFreeze(account, FROZEN_BY_MERCHANT, frozen);
        emit AccountFrozen(account, FreezeAuthority.Merchant, frozen);
    }

    /// @inheritdoc IPointsToken
    function setFrozenByGovernance(
        address account,
        bool frozen
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFreeze(account, FROZEN_BY_GOVERNANCE, frozen);
        emit AccountFrozen(account, FreezeAuthority.Governance, frozen);
    }

    /// @inheritdoc IPointsToken
    function isFrozen(address account) external view override returns (bool) {
        return _accounts[account].freezes != 0;
    }

    /// @inheritdoc IPointsToken
    function freezeOf(
        address account
    ) external view override returns (bool byMerchant, bool byGovernance) {
        uint8 freezes = _accounts[account].freezes;
        return (freezes & FROZEN_BY_MERCHANT != 0, freezes & FROZEN_BY_GOVERNANCE != 0);
    }

    /// @inheritdoc IPointsToken
    function pause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @inheritdoc IPointsToken
    function unpause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────

    /// @dev Every movement of points (transfer, issue, redeem, swap) passes here: none while
    ///      paused, none from or to a frozen account, no mint past the cap.
    function _update(address from, address to, uint256 value) internal override whenNotPaused {
        // Frozen accounts are refused before any balance is looked at, on either side.
        if (from != address(0) && _accounts[from].freezes != 0) {
            revert PointsTokenAccountFrozen(from);
        }
        if (to != address(0) && _accounts[to].freezes != 0) revert PointsTokenAccountFrozen(to);
        if (from == address(0)) {
            Supply memory supply = _supply;
            uint256 supplyAfter = uint256(supply.outstanding) + value;
            if (supplyAfter > supply.cap) revert PointsTokenCapExceeded(supplyAfter, supply.cap);
            _supply.outstanding = uint128(supplyAfter); // <= cap < 2^128
        } else {
            Account storage sender = _accounts[from];
            uint256 balance = sender.balance;
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
            unchecked {
                sender.balance = uint128(balance - value); // value <= balance < 2^128
            }
        }
        if (to == address(0)) {
            unchecked {
                _supply.outstanding -= uint128(value); // value <= the sender's balance <= supply
            }
        } else {
            Account storage recipient = _accounts[to];
            recipient.balance = SafeCast.toUint128(uint256(recipient.balance) + value);
        }
        emit Transfer(from, to, value);
    }

    /// @notice Points held by `account`.
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _accounts[account].balance;
    }

    /// @notice Points outstanding: issued and swapped in, less redeemed and swapped out.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return _supply.outstanding;
    }

    /// @dev `approve` and `permit`: refused while paused or while the owner is frozen (the
    ///      allowance decrease inside `transferFrom` passes `emitEvent = false` and is checked
    ///      by `_spendAllowance` and `_update` instead).
    function _approve(
        address owner,
        address spender,
        uint256 value,
        bool emitEvent
    ) internal override {
        if (emitEvent) {
            _requireNotPaused();
            if (_accounts[owner].freezes != 0) revert PointsTokenAccountFrozen(owner);
        }
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev A frozen spender cannot spend allowances (a frozen owner is refused by `_update`).
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        if (_accounts[spender].freezes != 0) revert PointsTokenAccountFrozen(spender);
        super._spendAllowance(owner, spender, value);
    }

    /// @dev ISSUER_ROLE lives in the current epoch's set, not in AccessControl's mapping.
    function hasRole(bytes32 role, address account) public view override returns (bool) {
        if (role == ISSUER_ROLE) return _issuers[issuerEpoch].contains(account);
        return super.hasRole(role, account);
    }

    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role != ISSUER_ROLE) return super._grantRole(role, account);
        if (!_issuers[issuerEpoch].add(account)) return false;
        emit RoleGranted(role, account, _msgSender());
        return true;
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (role != ISSUER_ROLE) return super._revokeRole(role, account);
        if (!_issuers[issuerEpoch].remove(account)) return false;
        emit RoleRevoked(role, account, _msgSender());
        return true;
    }

    /// @dev Revokes every issuer in constant gas, however many a stolen key planted.
    function _newIssuerEpoch() private {
        uint256 epoch = ++issuerEpoch;
        emit IssuersRevoked(epoch);
    }

    function _setFreeze(address account, uint8 flag, bool frozen) private {
        Account storage state = _accounts[account];
        state.freezes = frozen ? state.freezes | flag : state.freezes & ~flag;
    }

    function _requireMerchantOrGovernance() private view {
        if (!hasRole(MERCHANT_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert PointsTokenNotMerchantOrGovernance(msg.sender);
        }
    }

    /// @dev Marks an EIP-3009 nonce as spent; the caller emits Used or Canceled, as the EIP does.
    function _consumeAuthorization(address authorizer, bytes32 nonce) private {
        if (_authorizations[authorizer][nonce]) {
            revert PointsTokenAuthorizationUsed(authorizer, nonce);
        }
        _authorizations[authorizer][nonce] = true;
    }

    function _requireSigner(
        bytes32 structHash,
        bytes calldata signature,
        address expected
    ) private view {
        address signer = SignatureLib.signerOf(_hashTypedDataV4(structHash), signature);
        if (signer == address(0) || signer != expected) {
            revert PointsTokenInvalidSigner(signer, expected);
        }
    }

    /// @dev AccessControl and IPointsToken both declare supportsInterface through IERC165.
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(AccessControl) returns (bool) {
        return
            interfaceId == type(IPointsToken).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev ERC20Permit and the interface both expose `nonces`.
    function nonces(address owner) public view override(ERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }
}
