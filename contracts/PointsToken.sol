// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {SignatureLib} from "./libraries/SignatureLib.sol";
import {Typehashes} from "./libraries/Typehashes.sol";
import {ExpiryMath} from "./libraries/ExpiryMath.sol";
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

    /// @dev The largest cap: bucket amounts and the supply are 104-bit.
    uint256 private constant MAX_CAP = 2 ** 104 - 1;

    /// @dev A holder's header: freeze flags and the first and last bucket of its list, in one
    ///      slot, so the common swap (one bucket out, the current key in) reads and writes one
    ///      slot per token, as when a balance was one number. Buckets are kept sorted by key,
    ///      earliest first: `headKey` is the earliest (0: no bucket at all), `tailKey` the
    ///      latest (0: at most one bucket); the buckets between them live in `_buckets`, a
    ///      sorted singly linked list whose anchor is the sentinel key 0 (`_buckets[h][0].next`
    ///      is the first middle key). Most holders have one or two buckets, so the list is
    ///      short; an insert walks it from the anchor.
    ///      `freezes` holds one bit per authority; the account is frozen while it is non-zero.
    ///      Amounts are 104-bit (Solidity's widths go by 8 bits: 8 + 2 x 16 + 2 x 104 = 248),
    ///      2^104 points being far beyond any program; the cap is kept below it.
    struct Account {
        uint8 freezes;
        uint16 headKey;
        uint16 tailKey;
        uint104 headAmount;
        uint104 tailAmount;
    }

    /// @dev A middle bucket: its points and the next (later) middle key, 0 at the end (key 0
    ///      itself is the list's anchor: its `next` is the first middle key).
    struct Bucket {
        uint104 amount;
        uint16 next;
    }

    /// @dev Supply, cap and the expiry rule share one slot: every mint checks the cap and
    ///      reads the rule for the read it already makes of the supply. `outstanding` counts
    ///      expired points not yet swept (they are still the merchant's recorded liability
    ///      until the sweep burns them).
    struct Supply {
        uint104 outstanding;
        uint104 cap;
        uint16 validityMonths;
        uint8 roundingMonths;
    }

    /// @dev Each holder's `Account`, packed by hand into one word (`_loadAccount`,
    ///      `_storeAccount`): copying a struct to or from storage goes member by member, an
    ///      SLOAD and an SSTORE each, where one of each will do.
    mapping(address holder => uint256) private _accounts;
    mapping(address holder => mapping(uint16 key => Bucket)) private _buckets;
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
        _supply.cap = _checkedCap(cap);
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
        return _spend(from, address(0), amount);
    }

    /// @inheritdoc IPointsToken
    function exchangeMintWithKey(
        address to,
        uint256 amount,
        uint16 key
    ) external override onlyExchange {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        if (key == 0) revert PointsTokenInvalidExpiryKey(key);
        _mintInto(to, amount, key);
    }

    /// @inheritdoc IPointsToken
    function exchangeMint(address to, uint256 amount) external override onlyExchange {
        _mint(to, amount);
    }

    // ─── Risk control ───────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function setIssuanceCap(uint256 cap) external override onlyRegistry {
        _supply.cap = _checkedCap(cap);
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
        return uint8(_accounts[account]) != 0;
    }

    /// @inheritdoc IPointsToken
    function freezeOf(
        address account
    ) external view override returns (bool byMerchant, bool byGovernance) {
        uint8 freezes = uint8(_accounts[account]);
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

    // ─── Expiry (issue 16) ──────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsToken
    function setExpiryRule(
        uint16 validityMonths,
        uint8 roundingMonths
    ) external override onlyRole(MERCHANT_ROLE) {
        if (!ExpiryMath.isValidRule(validityMonths, roundingMonths)) {
            revert PointsTokenInvalidExpiryRule(validityMonths, roundingMonths);
        }
        _supply.validityMonths = validityMonths;
        _supply.roundingMonths = roundingMonths;
        emit ExpiryRuleChanged(validityMonths, roundingMonths);
    }

    /// @inheritdoc IPointsToken
    function expiryRule()
        external
        view
        override
        returns (uint16 validityMonths, uint8 roundingMonths)
    {
        return (_supply.validityMonths, _supply.roundingMonths);
    }

    /// @inheritdoc IPointsToken
    function currentKey() external view override returns (uint16) {
        return ExpiryMath.keyFor(block.timestamp, _supply.validityMonths, _supply.roundingMonths);
    }

    /// @inheritdoc IPointsToken
    function expiryOf(uint16 key) external pure override returns (uint256) {
        return ExpiryMath.expiryOf(key);
    }

    /// @inheritdoc IPointsToken
    function sweepExpired(address holder) external override returns (uint256 swept) {
        _requireNotPaused();
        Account memory account = _loadAccount(holder);
        if (account.freezes != 0) revert PointsTokenAccountFrozen(holder);
        swept = _sweepHead(holder, account);
        if (swept != 0) {
            _storeAccount(holder, account);
            unchecked {
                _supply.outstanding -= uint104(swept); // swept points were part of the supply
            }
        }
    }

    /// @inheritdoc IPointsToken
    function expiredBalanceOf(address account) external view override returns (uint256) {
        (, uint256 expired) = _sums(account);
        return expired;
    }

    /// @inheritdoc IPointsToken
    function bucketsOf(
        address holder
    ) external view override returns (uint16[] memory keys, uint256[] memory amounts) {
        Account memory account = _loadAccount(holder);
        if (account.headKey == 0) return (keys, amounts);
        uint256 count = account.tailKey == 0 ? 1 : 2;
        mapping(uint16 => Bucket) storage list = _buckets[holder];
        for (uint16 k = list[0].next; k != 0; k = list[k].next) ++count;
        keys = new uint16[](count);
        amounts = new uint256[](count);
        keys[0] = account.headKey;
        amounts[0] = account.headAmount;
        uint256 i = 1;
        for (uint16 k = list[0].next; k != 0; k = list[k].next) {
            keys[i] = k;
            amounts[i++] = list[k].amount;
        }
        if (account.tailKey != 0) {
            keys[i] = account.tailKey;
            amounts[i] = account.tailAmount;
        }
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────

    /// @dev Every movement of points (transfer, issue, redeem, swap) passes here: none while
    ///      paused, none from or to a frozen account, no mint past the cap. A mint takes the
    ///      key the expiry rule gives now; a debit takes the earliest unexpired points first.
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0)) _mintInto(to, value, 0);
        else _spend(from, to, value);
    }

    /// @dev Mints `value` points into bucket `key` of `to` (0: the key the rule gives now).
    function _mintInto(address to, uint256 value, uint16 key) private {
        _requireNotPaused();
        if (uint8(_accounts[to]) != 0) revert PointsTokenAccountFrozen(to);
        Supply storage supply = _supply;
        (uint256 outstanding, uint256 cap) = (supply.outstanding, supply.cap);
        if (key == 0) {
            key = ExpiryMath.keyFor(block.timestamp, supply.validityMonths, supply.roundingMonths);
        }
        uint256 supplyAfter = outstanding + value;
        if (supplyAfter > cap) revert PointsTokenCapExceeded(supplyAfter, cap);
        supply.outstanding = uint104(supplyAfter); // <= cap < 2^104
        _credit(to, key, value);
        emit Transfer(address(0), to, value);
    }

    /// @dev Takes `value` spendable points from `from`, earliest key first, after sweeping
    ///      the expired buckets at the head; `to` receives the very keys taken, or, when it is
    ///      zero, the points are burned.
    /// @return earliestKey the key of the first piece taken (0 if `value` is 0)
    function _spend(address from, address to, uint256 value) private returns (uint16 earliestKey) {
        _requireNotPaused();
        Account memory account = _loadAccount(from);
        if (account.freezes != 0) revert PointsTokenAccountFrozen(from);
        if (to != address(0) && uint8(_accounts[to]) != 0) revert PointsTokenAccountFrozen(to);
        if (from == to) {
            // To oneself nothing moves (nor is swept), but the points must be there to spend.
            uint256 spendable = balanceOf(from);
            if (spendable < value) revert ERC20InsufficientBalance(from, spendable, value);
            emit Transfer(from, to, value);
            return 0;
        }
        uint256 burned = _sweepHead(from, account);
        uint256 need = value;
        while (need != 0) {
            uint16 key = account.headKey;
            // Every spendable point is taken: what was taken is the spendable balance.
            if (key == 0) revert ERC20InsufficientBalance(from, value - need, value);
            if (earliestKey == 0) earliestKey = key;
            uint256 amount = account.headAmount;
            uint256 part = need < amount ? need : amount;
            unchecked {
                need -= part;
                if (part == amount) _popHead(from, account);
                else account.headAmount = uint104(amount - part);
            }
            if (to != address(0)) _credit(to, key, part);
        }
        _storeAccount(from, account);
        if (to == address(0)) burned += value;
        if (burned != 0) {
            unchecked {
                // the points burned and swept <= the sender's buckets <= the supply < 2^104
                _supply.outstanding -= uint104(burned);
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev Burns the expired buckets at the head of the holder's list (events, no supply
    ///      change: the caller lowers it by the returned amount).
    function _sweepHead(address holder, Account memory account) private returns (uint256 swept) {
        uint16 key = account.headKey;
        if (key == 0 || key == ExpiryMath.NEVER) return 0;
        uint256 month = ExpiryMath.monthOf(block.timestamp);
        while (key != 0 && key < month) {
            uint256 amount = account.headAmount;
            emit PointsExpired(holder, key, amount);
            emit Transfer(holder, address(0), amount);
            unchecked {
                swept += amount;
            }
            _popHead(holder, account);
            key = account.headKey;
        }
    }

    /// @dev Removes the head bucket: the first middle bucket, or else the tail, moves up.
    function _popHead(address holder, Account memory account) private {
        if (account.tailKey == 0) {
            account.headKey = 0;
            account.headAmount = 0;
            return;
        }
        mapping(uint16 => Bucket) storage list = _buckets[holder];
        uint16 key = list[0].next;
        if (key == 0) {
            account.headKey = account.tailKey;
            account.headAmount = account.tailAmount;
            account.tailKey = 0;
            account.tailAmount = 0;
            return;
        }
        Bucket memory bucket = list[key];
        account.headKey = key;
        account.headAmount = bucket.amount;
        list[0].next = bucket.next;
        delete list[key];
    }

    /// @dev Adds `amount` points with `key` to the holder's sorted list.
    function _credit(address holder, uint16 key, uint256 amount) private {
        Account memory account = _loadAccount(holder);
        uint16 head = account.headKey;
        uint16 tail = account.tailKey;
        unchecked {
            // Bucket amounts are bounded by the supply, itself <= cap < 2^104: no overflow.
            if (head == 0) {
                account.headKey = key;
                account.headAmount = uint104(amount);
            } else if (key == head) {
                account.headAmount += uint104(amount);
            } else if (tail == 0) {
                if (key > head) {
                    account.tailKey = key;
                    account.tailAmount = uint104(amount);
                } else {
                    (account.tailKey, account.tailAmount) = (head, account.headAmount);
                    (account.headKey, account.headAmount) = (key, uint104(amount));
                }
            } else if (key == tail) {
                account.tailAmount += uint104(amount);
            } else if (key > tail) {
                _insertMiddle(holder, tail, account.tailAmount);
                (account.tailKey, account.tailAmount) = (key, uint104(amount));
            } else if (key < head) {
                _insertMiddle(holder, head, account.headAmount);
                (account.headKey, account.headAmount) = (key, uint104(amount));
            } else {
                _insertMiddle(holder, key, amount);
            }
        }
        _storeAccount(holder, account);
    }

    /// @dev Adds to the middle bucket `key`, or inserts it in order (a walk from the anchor).
    function _insertMiddle(address holder, uint16 key, uint256 amount) private {
        mapping(uint16 => Bucket) storage list = _buckets[holder];
        uint16 previous = 0;
        uint16 current = list[0].next;
        while (current != 0 && current < key) {
            previous = current;
            current = list[current].next;
        }
        if (current == key) {
            unchecked {
                list[key].amount += uint104(amount); // bounded by the supply < 2^104
            }
        } else {
            list[key] = Bucket(uint104(amount), current);
            list[previous].next = key;
        }
    }

    /// @dev (spendable, expired) points of `holder` now.
    function _sums(address holder) private view returns (uint256 spendable, uint256 expired) {
        Account memory account = _loadAccount(holder);
        if (account.headKey == 0) return (0, 0);
        uint256 month = ExpiryMath.monthOf(block.timestamp);
        if (account.headKey < month) expired = account.headAmount;
        else spendable = account.headAmount;
        mapping(uint16 => Bucket) storage buckets = _buckets[holder];
        for (uint16 k = buckets[0].next; k != 0; k = buckets[k].next) {
            if (k < month) expired += buckets[k].amount;
            else spendable += buckets[k].amount;
        }
        if (account.tailKey == 0) return (spendable, expired);
        if (account.tailKey < month) expired += account.tailAmount;
        else spendable += account.tailAmount;
    }

    /// @dev Caps above 2^104 - 1 are refused: bucket amounts and the supply are 104-bit.
    function _checkedCap(uint256 cap) private pure returns (uint104) {
        if (cap > MAX_CAP) revert PointsTokenCapTooLarge(cap, MAX_CAP);
        return uint104(cap);
    }

    /// @notice Spendable points held by `account`: the sum of its unexpired buckets.
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        (uint256 spendable, ) = _sums(account);
        return spendable;
    }

    /// @notice Points outstanding: issued and swapped in, less redeemed, swapped out and swept
    ///         as expired (expired points not yet swept are still counted).
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
            if (uint8(_accounts[owner]) != 0) revert PointsTokenAccountFrozen(owner);
        }
        super._approve(owner, spender, value, emitEvent);
    }

    /// @dev A frozen spender cannot spend allowances (a frozen owner is refused by `_update`).
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        if (uint8(_accounts[spender]) != 0) revert PointsTokenAccountFrozen(spender);
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
        uint256 word = _accounts[account]; // the flags are its low byte
        _accounts[account] = frozen ? word | flag : word & ~uint256(flag);
    }

    /// @dev A holder's header, unpacked (layout: `Account`, from the low bits up).
    function _loadAccount(address holder) private view returns (Account memory account) {
        uint256 word = _accounts[holder];
        account.freezes = uint8(word);
        account.headKey = uint16(word >> 8);
        account.tailKey = uint16(word >> 24);
        account.headAmount = uint104(word >> 40);
        account.tailAmount = uint104(word >> 144);
    }

    function _storeAccount(address holder, Account memory account) private {
        _accounts[holder] =
            uint256(account.freezes) |
            (uint256(account.headKey) << 8) |
            (uint256(account.tailKey) << 24) |
            (uint256(account.headAmount) << 40) |
            (uint256(account.tailAmount) << 144);
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
