// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IPointsExchange} from "./interfaces/IPointsExchange.sol";
import {IPointsToken} from "./interfaces/IPointsToken.sol";
import {OrderLib, CancelLib, CounterLib} from "./libraries/OrderLib.sol";
import {SwapMath} from "./libraries/SwapMath.sol";
import {FeeSplit} from "./libraries/FeeSplit.sol";
import {Constants} from "./libraries/Constants.sol";
import {SignatureLib} from "./libraries/SignatureLib.sol";

/// @title PointsExchange
/// @notice Swaps points between merchants' programs and settles their value in real time.
/// @dev Roles: DEFAULT_ADMIN_ROLE is the consortium governance (fees, bounds, limits, pause);
///      LISTER_ROLE is the merchant registry; RELAYER_ROLE submits users' signed orders;
///      VOUCHER_ROLE is the VoucherBook, which pays vouchers through the voucher hooks.
///      The contract holds every settlement token it accounts for, so at all times
///      settlementToken.balanceOf(this) >= settlementAccounted == Σ settlementBalance +
///      Σ feeCredit + Σ payeeCredit; any excess was sent directly and governance may sweep it.
contract PointsExchange is IPointsExchange, EIP712, AccessControl, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");
    bytes32 public constant LISTER_ROLE = keccak256("LISTER_ROLE");
    /// @notice The VoucherBook (issue 16): pays vouchers with points, escrows and refunds them.
    bytes32 public constant VOUCHER_ROLE = keccak256("VOUCHER_ROLE");

    /// @notice The fee, its split and the platform's payee: one slot, read once per swap.
    /// @dev Flat on purpose: a nested struct would start a slot of its own.
    struct FeeConfig {
        uint16 feeBps;
        uint16 platformBps;
        uint16 sourceMerchantBps;
        uint16 targetMerchantBps;
        uint16 relayerBps;
        address platformPayee;
    }

    /// @notice Governance's bounds on point values, the per-user swap limit, the minimum
    ///         order and the cover floor: one slot, read once per swap.
    struct RiskConfig {
        uint16 maxValueStepBps;
        uint32 minValueInterval;
        uint32 limitWindow;
        uint96 maxValuePerWindow; // 0: no limit
        uint16 maxDailyStepBps;
        uint48 minOrderValue; // settlement units; 0: none
        uint16 coverFloorBps; // 0: none
    }

    IERC20 public immutable settlementToken;

    FeeConfig public feeConfig;
    RiskConfig public riskConfig;

    mapping(address token => Market) private _markets;
    mapping(address owner => UserState) private _users;
    mapping(address owner => mapping(uint256 word => uint256)) private _nonceBitmap;
    mapping(address payee => uint256) private _payeeCredit;
    /// @dev Σ settlementBalance + Σ feeCredit + Σ payeeCredit: swaps move value between these
    ///      accounts without changing the sum, so only deposits and withdrawals update it.
    uint256 private _accounted;

    /// @param admin first admin: the deployer wires the registry, then hands over to governance
    /// @param settlementToken_ the settlement token (sCNY)
    /// @param platformPayee the platform operator's payee address
    constructor(
        address admin,
        IERC20 settlementToken_,
        address platformPayee
    ) EIP712("Tongdui PointsExchange", "1") {
        if (admin == address(0) || platformPayee == address(0)) revert ExchangeZeroAddress();
        settlementToken = settlementToken_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setFee(30);
        _setFeeShares(FeeSplit.Shares(4_000, 2_000, 2_000, 2_000));
        _setPlatformPayee(platformPayee);
        _setValueBounds(
            Constants.DEFAULT_MAX_VALUE_STEP_BPS,
            Constants.DEFAULT_MIN_VALUE_INTERVAL,
            Constants.DEFAULT_MAX_DAILY_STEP_BPS
        );
        _setUserLimit(Constants.DEFAULT_MAX_VALUE_PER_WINDOW, Constants.DEFAULT_LIMIT_WINDOW);
        _setMinOrderValue(Constants.DEFAULT_MIN_ORDER_VALUE);
        emit CoverFloorChanged(0);
    }

    // ─── Swaps ──────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsExchange
    function quote(
        address fromToken,
        address toToken,
        uint256 amountIn
    ) external view override returns (uint256 amountOut, uint256 fee, uint256 grossValue) {
        SwapMath.Quote memory q = SwapMath.quote(
            amountIn,
            _activeMarket(fromToken).pointValue,
            _activeMarket(toToken).pointValue,
            feeConfig.feeBps
        );
        return (q.amountOut, q.fee, q.grossValue);
    }

    /// @inheritdoc IPointsExchange
    function settle(
        OrderLib.SwapOrder[] calldata orders,
        bytes[] calldata signatures
    )
        external
        override
        onlyRole(RELAYER_ROLE)
        whenNotPaused
        nonReentrant
        returns (uint256 settled)
    {
        if (orders.length != signatures.length) {
            revert ExchangeLengthMismatch(orders.length, signatures.length);
        }
        for (uint256 i; i < orders.length; ++i) {
            OrderLib.SwapOrder calldata order = orders[i];
            bytes32 digest = _hashTypedDataV4(OrderLib.hash(order));
            bytes4 refusal = _admitSigned(order, digest, signatures[i]);
            if (refusal != bytes4(0)) {
                emit OrderRejected(digest, order.owner, order.nonce, refusal, false);
                continue;
            }
            // A failing order reverts inside its own call: its effects vanish, the batch goes
            // on, and its nonce (consumed above, by its owner's signature) stays used.
            try this.executeBatchOrder(order, digest, msg.sender) {
                ++settled;
            } catch (bytes memory reason) {
                if (reason.length < 4) revert ExchangeOrderFailedWithoutReason(i);
                emit OrderRejected(digest, order.owner, order.nonce, bytes4(reason), true);
            }
        }
    }

    /// @inheritdoc IPointsExchange
    function executeBatchOrder(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        address relayer
    ) external override {
        if (msg.sender != address(this)) revert ExchangeOnlySelf(msg.sender);
        _execute(order, digest, relayer);
    }

    /// @inheritdoc IPointsExchange
    function swap(
        OrderLib.SwapOrder calldata order
    ) external override whenNotPaused nonReentrant returns (uint256 amountOut) {
        if (msg.sender != order.owner) revert ExchangeNotOwner(msg.sender, order.owner);
        _checkAndConsume(order);
        return _execute(order, _hashTypedDataV4(OrderLib.hash(order)), address(0));
    }

    /// @inheritdoc IPointsExchange
    function orderDigest(
        OrderLib.SwapOrder calldata order
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(OrderLib.hash(order));
    }

    // ─── Voucher hooks (issue 16) ───────────────────────────────────────────────────────────

    /// @inheritdoc IPointsExchange
    function voucherPay(
        bytes32 purchaseId,
        address owner,
        address fromToken,
        uint256 amountIn,
        address toToken,
        uint256 pointsPart,
        address relayer,
        bool burn
    ) external override onlyRole(VOUCHER_ROLE) whenNotPaused returns (uint16 earliestKey) {
        if (amountIn == 0 || pointsPart == 0) revert ExchangeZeroAmount();
        if (fromToken == toToken) revert ExchangeSameToken(fromToken);
        SwapMath.Quote memory q = _moveValue(
            owner,
            fromToken,
            toToken,
            amountIn,
            0,
            pointsPart,
            relayer
        );
        emit VoucherPaid(
            purchaseId,
            owner,
            fromToken,
            toToken,
            amountIn,
            q.paidToTarget,
            q.grossValue,
            q.fee,
            q.dust,
            relayer
        );
        if (burn) earliestKey = IPointsToken(fromToken).exchangeBurn(owner, amountIn);
    }

    /// @inheritdoc IPointsExchange
    function voucherBurn(
        address token,
        address from,
        uint256 amount
    ) external override onlyRole(VOUCHER_ROLE) whenNotPaused returns (uint16) {
        _activeMarket(token);
        return IPointsToken(token).exchangeBurn(from, amount);
    }

    /// @inheritdoc IPointsExchange
    function voucherMint(
        address token,
        address to,
        uint256 amount,
        uint16 key
    ) external override onlyRole(VOUCHER_ROLE) {
        _listedMarket(token);
        if (key == 0) IPointsToken(token).exchangeMint(to, amount);
        else IPointsToken(token).exchangeMintWithKey(to, amount, key);
    }

    // ─── Nonces ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsExchange
    function isNonceUsed(address owner, uint256 nonce) external view override returns (bool) {
        return _nonceBitmap[owner][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc IPointsExchange
    function nonceBitmap(address owner, uint256 word) external view override returns (uint256) {
        return _nonceBitmap[owner][word];
    }

    /// @inheritdoc IPointsExchange
    function cancelNonces(uint256 word, uint256 mask) external override {
        _cancelNonces(msg.sender, word, mask);
    }

    /// @inheritdoc IPointsExchange
    function cancelNoncesWithSig(
        CancelLib.CancelNonces calldata request,
        bytes calldata signature
    ) external override {
        if (block.timestamp > request.deadline) revert ExchangeOrderExpired(request.deadline);
        address signer = SignatureLib.signerOf(
            _hashTypedDataV4(CancelLib.hash(request)),
            signature
        );
        if (signer == address(0) || signer != request.owner) {
            revert ExchangeInvalidSigner(signer, request.owner);
        }
        _cancelNonces(request.owner, request.word, request.mask);
    }

    /// @inheritdoc IPointsExchange
    function incrementCounter() external override returns (uint256 newCounter) {
        UserState storage user = _users[msg.sender];
        newCounter = ++user.counter;
        emit CounterIncremented(msg.sender, newCounter);
    }

    /// @inheritdoc IPointsExchange
    function incrementCounterWithSig(
        CounterLib.IncrementCounter calldata request,
        bytes calldata signature
    ) external override returns (uint256 newCounter) {
        if (block.timestamp > request.deadline) revert ExchangeOrderExpired(request.deadline);
        UserState storage user = _users[request.owner];
        uint256 current = user.counter;
        if (request.counter != current) {
            revert ExchangeCounterMismatch(request.owner, current, request.counter);
        }
        address signer = SignatureLib.signerOf(
            _hashTypedDataV4(CounterLib.hash(request)),
            signature
        );
        if (signer == address(0) || signer != request.owner) {
            revert ExchangeInvalidSigner(signer, request.owner);
        }
        newCounter = ++user.counter;
        emit CounterIncremented(request.owner, newCounter);
    }

    /// @inheritdoc IPointsExchange
    function userState(address owner) external view override returns (UserState memory) {
        return _users[owner];
    }

    // ─── Merchants ──────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsExchange
    function listMarket(
        address token,
        address admin,
        uint256 pointValue
    ) external override onlyRole(LISTER_ROLE) {
        if (token == address(0) || admin == address(0)) revert ExchangeZeroAddress();
        Market storage m = _markets[token];
        if (m.listed) revert ExchangeMarketAlreadyListed(token);
        if (pointValue == 0 || pointValue > type(uint64).max) {
            revert ExchangeInvalidPointValue(pointValue);
        }
        m.pointValue = uint64(pointValue);
        m.valueChangedAt = uint40(block.timestamp);
        m.listed = true;
        m.active = true;
        m.admin = admin;
        m.referenceValue = uint64(pointValue);
        m.referenceAt = uint40(block.timestamp);
        emit MarketListed(token, admin, pointValue);
    }

    /// @inheritdoc IPointsExchange
    function setMarketActive(address token, bool active) external override onlyRole(LISTER_ROLE) {
        _listedMarket(token).active = active;
        emit MarketStatusChanged(token, active);
    }

    /// @inheritdoc IPointsExchange
    function setMarketAdmin(address token, address admin) external override onlyRole(LISTER_ROLE) {
        if (admin == address(0)) revert ExchangeZeroAddress();
        _listedMarket(token).admin = admin;
        emit MarketAdminChanged(token, admin);
    }

    /// @inheritdoc IPointsExchange
    function setPointValue(address token, uint256 newValue) external override {
        Market storage m = _merchantMarket(token);
        if (newValue == 0 || newValue > type(uint64).max)
            revert ExchangeInvalidPointValue(newValue);
        RiskConfig memory risk = riskConfig;
        uint256 nextAllowedAt = uint256(m.valueChangedAt) + risk.minValueInterval;
        if (block.timestamp < nextAllowedAt) revert ExchangeValueChangeTooSoon(nextAllowedAt);
        uint256 oldValue = m.pointValue;
        uint256 step = newValue > oldValue ? newValue - oldValue : oldValue - newValue;
        if (step * Constants.BPS > oldValue * risk.maxValueStepBps) {
            revert ExchangeValueStepTooLarge(oldValue, newValue, risk.maxValueStepBps);
        }
        _checkDailyBand(m, newValue, risk.maxDailyStepBps);
        m.pointValue = uint64(newValue);
        m.valueChangedAt = uint40(block.timestamp);
        emit PointValueChanged(token, oldValue, newValue);
    }

    /// @inheritdoc IPointsExchange
    function deposit(address token, uint256 amount) external override nonReentrant {
        if (amount == 0) revert ExchangeZeroAmount();
        Market storage m = _listedMarket(token);
        m.settlementBalance += amount.toUint128();
        _accounted += amount;
        emit SettlementDeposited(token, msg.sender, amount);
        settlementToken.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IPointsExchange
    function withdraw(
        address token,
        address to,
        uint256 amount
    ) external override whenNotPaused nonReentrant {
        if (amount == 0) revert ExchangeZeroAmount();
        if (to == address(0)) revert ExchangeZeroAddress();
        Market storage m = _activeMerchantMarket(token);
        uint256 balance = m.settlementBalance;
        if (amount > balance) revert ExchangeInsufficientSettlementBalance(token, balance, amount);
        uint256 floorBps = riskConfig.coverFloorBps;
        if (floorBps != 0) {
            uint256 floor = (IERC20(token).totalSupply() * m.pointValue * floorBps) / Constants.BPS;
            if (balance - amount < floor)
                revert ExchangeBelowCoverFloor(token, balance - amount, floor);
        }
        m.settlementBalance = uint128(balance - amount);
        _accounted -= amount;
        emit SettlementWithdrawn(token, to, amount);
        settlementToken.safeTransfer(to, amount);
    }

    /// @inheritdoc IPointsExchange
    function withdrawMerchantFees(
        address token,
        address to
    ) external override whenNotPaused nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ExchangeZeroAddress();
        Market storage m = _activeMerchantMarket(token);
        amount = m.feeCredit;
        if (amount == 0) revert ExchangeNothingToWithdraw(token);
        m.feeCredit = 0;
        _accounted -= amount;
        emit MerchantFeesWithdrawn(token, to, amount);
        settlementToken.safeTransfer(to, amount);
    }

    /// @inheritdoc IPointsExchange
    function withdrawPayeeCredit(
        address to
    ) external override nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ExchangeZeroAddress();
        amount = _payeeCredit[msg.sender];
        if (amount == 0) revert ExchangeNothingToWithdraw(msg.sender);
        _payeeCredit[msg.sender] = 0;
        _accounted -= amount;
        emit PayeeCreditWithdrawn(msg.sender, to, amount);
        settlementToken.safeTransfer(to, amount);
    }

    /// @inheritdoc IPointsExchange
    function market(address token) external view override returns (Market memory) {
        return _markets[token];
    }

    /// @inheritdoc IPointsExchange
    function payeeCredit(address payee) external view override returns (uint256) {
        return _payeeCredit[payee];
    }

    /// @inheritdoc IPointsExchange
    function settlementAccounted() external view override returns (uint256) {
        return _accounted;
    }

    /// @inheritdoc IPointsExchange
    function settlementSurplus() public view override returns (uint256) {
        return settlementToken.balanceOf(address(this)) - _accounted;
    }

    // ─── Governance ─────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IPointsExchange
    function setFee(uint256 feeBps) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFee(feeBps);
    }

    /// @inheritdoc IPointsExchange
    function setFeeShares(
        FeeSplit.Shares calldata shares
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFeeShares(shares);
    }

    /// @inheritdoc IPointsExchange
    function setPlatformPayee(address payee) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (payee == address(0)) revert ExchangeZeroAddress();
        _setPlatformPayee(payee);
    }

    /// @inheritdoc IPointsExchange
    function setValueBounds(
        uint256 maxStepBps,
        uint256 minInterval,
        uint256 maxDailyStepBps
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setValueBounds(maxStepBps, minInterval, maxDailyStepBps);
    }

    /// @inheritdoc IPointsExchange
    function setUserLimit(
        uint256 maxValuePerWindow,
        uint256 window
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setUserLimit(maxValuePerWindow, window);
    }

    /// @inheritdoc IPointsExchange
    function setMinOrderValue(
        uint256 minOrderValue
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMinOrderValue(minOrderValue);
    }

    /// @inheritdoc IPointsExchange
    function setCoverFloor(uint256 coverFloorBps) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (coverFloorBps > Constants.BPS) revert ExchangeInvalidCoverFloor(coverFloorBps);
        riskConfig.coverFloorBps = uint16(coverFloorBps);
        emit CoverFloorChanged(coverFloorBps);
    }

    /// @inheritdoc IPointsExchange
    function sweepSurplus(
        address to
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ExchangeZeroAddress();
        uint256 held = settlementToken.balanceOf(address(this));
        uint256 owed = _accounted;
        if (held <= owed) revert ExchangeNothingToWithdraw(address(this));
        amount = held - owed;
        emit SurplusSwept(to, amount);
        settlementToken.safeTransfer(to, amount);
    }

    /// @inheritdoc IPointsExchange
    function pause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @inheritdoc IPointsExchange
    function unpause() external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────

    /// @dev A batch order's checks in the fixed order (deadline, counter, nonce, signer),
    ///      returning the failed check's error selector instead of reverting; when all pass, the
    ///      nonce is consumed and the zero selector returned.
    function _admitSigned(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        bytes calldata signature
    ) private returns (bytes4) {
        if (block.timestamp > order.deadline) return ExchangeOrderExpired.selector;
        if (order.counter != _users[order.owner].counter) return ExchangeOrderCancelled.selector;
        uint256 bit = 1 << (order.nonce & 0xff);
        mapping(uint256 => uint256) storage words = _nonceBitmap[order.owner];
        uint256 word = words[order.nonce >> 8];
        if (word & bit != 0) return ExchangeNonceUsed.selector;
        address signer = SignatureLib.signerOf(digest, signature);
        if (signer == address(0) || signer != order.owner) return ExchangeInvalidSigner.selector;
        words[order.nonce >> 8] = word | bit;
        return bytes4(0);
    }

    /// @dev A direct swap's checks, in the fixed order: deadline, counter, then the nonce is
    ///      consumed (the caller is the owner: no signature).
    function _checkAndConsume(OrderLib.SwapOrder calldata order) private {
        if (block.timestamp > order.deadline) revert ExchangeOrderExpired(order.deadline);
        uint256 counter = _users[order.owner].counter;
        if (order.counter != counter) revert ExchangeOrderCancelled(order.owner, counter);
        uint256 bit = 1 << (order.nonce & 0xff);
        mapping(uint256 => uint256) storage words = _nonceBitmap[order.owner];
        uint256 word = words[order.nonce >> 8];
        if (word & bit != 0) revert ExchangeNonceUsed(order.owner, order.nonce);
        words[order.nonce >> 8] = word | bit;
    }

    /// @dev Prices the swap, enforces limits and cover, moves settlement value, then burns A
    ///      and mints B. Reverts leave no trace (inside a batch, only this order's call reverts).
    function _execute(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        address relayer
    ) private returns (uint256) {
        if (order.amountIn == 0) revert ExchangeZeroAmount();
        if (order.fromToken == order.toToken) revert ExchangeSameToken(order.fromToken);
        SwapMath.Quote memory q = _moveValue(
            order.owner,
            order.fromToken,
            order.toToken,
            order.amountIn,
            order.minAmountOut,
            0,
            relayer
        );
        _emitSwapped(order, digest, q, relayer);
        IPointsToken(order.fromToken).exchangeBurn(order.owner, order.amountIn);
        IPointsToken(order.toToken).exchangeMint(order.owner, q.amountOut);
        return q.amountOut;
    }

    /// @dev The value-moving part of a swap, shared by swaps and voucher payments so that a
    ///      voucher paid with points moves value exactly as a swap of those points: price
    ///      (`SwapMath`), minimum order, output check, per-user limit, source cover, fee
    ///      split, then the settlement credits. `pointsPart == 0` is a swap into points of
    ///      `toToken` (at least `minAmountOut`); otherwise a voucher payment: priced as a swap
    ///      into settlement units (value 1), the net value must cover `pointsPart`, `toToken`'s
    ///      account gets exactly `pointsPart` and the net beyond it joins the fee as dust.
    function _moveValue(
        address owner,
        address fromToken,
        address toToken,
        uint256 amountIn,
        uint256 minAmountOut,
        uint256 pointsPart,
        address relayer
    ) private returns (SwapMath.Quote memory q) {
        Market storage source = _activeMarket(fromToken);
        Market storage target = _activeMarket(toToken);
        FeeConfig memory fees = feeConfig;
        RiskConfig memory risk = riskConfig;

        q = SwapMath.quote(
            amountIn,
            source.pointValue,
            pointsPart == 0 ? target.pointValue : 1,
            fees.feeBps
        );
        if (q.grossValue < risk.minOrderValue) {
            revert ExchangeOrderValueTooLow(q.grossValue, risk.minOrderValue);
        }
        if (pointsPart == 0) {
            if (q.amountOut == 0) revert ExchangeZeroOutput(amountIn);
            if (q.amountOut < minAmountOut) {
                revert ExchangeInsufficientOutput(q.amountOut, minAmountOut);
            }
        } else {
            if (q.amountOut < pointsPart)
                revert ExchangeInsufficientOutput(q.amountOut, pointsPart);
            q.dust = q.amountOut - pointsPart;
            q.fee += q.dust;
            q.paidToTarget = pointsPart;
        }
        _enforceUserLimit(owner, q.grossValue, risk);

        uint256 sourceBalance = source.settlementBalance;
        if (sourceBalance < q.grossValue) {
            revert ExchangeInsufficientCover(fromToken, sourceBalance, q.grossValue);
        }
        FeeSplit.Parts memory parts = FeeSplit.split(
            FeeSplit.Shares(
                fees.platformBps,
                fees.sourceMerchantBps,
                fees.targetMerchantBps,
                fees.relayerBps
            ),
            q.fee,
            relayer != address(0)
        );
        source.settlementBalance = uint128(sourceBalance - q.grossValue);
        source.feeCredit += uint128(parts.sourceMerchant);
        target.settlementBalance += q.paidToTarget.toUint128();
        target.feeCredit += uint128(parts.targetMerchant);
        _payeeCredit[fees.platformPayee] += parts.platform;
        if (parts.relayer != 0) _payeeCredit[relayer] += parts.relayer;
    }

    /// @dev Its own frame: eleven event fields do not fit on the stack beside `_execute`'s.
    function _emitSwapped(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        SwapMath.Quote memory q,
        address relayer
    ) private {
        emit Swapped(
            digest,
            order.owner,
            order.fromToken,
            order.toToken,
            order.nonce,
            order.amountIn,
            q.amountOut,
            q.grossValue,
            q.fee,
            q.dust,
            relayer
        );
    }

    /// @dev A decaying window (leaky bucket): usage falls by cap / window per second, rounded
    ///      down (in the user's disfavour), and may never exceed the cap. Any burst is at most
    ///      the cap and any t seconds pass at most cap × (1 + t / window): no window edge.
    function _enforceUserLimit(address owner, uint256 value, RiskConfig memory risk) private {
        uint256 cap = risk.maxValuePerWindow;
        if (cap == 0) return;
        UserState storage user = _users[owner];
        uint256 used = user.limitUsed;
        uint256 recovered = ((block.timestamp - user.limitUpdatedAt) * cap) / risk.limitWindow;
        used = (used > recovered ? used - recovered : 0) + value;
        if (used > cap) revert ExchangeUserLimitExceeded(owner, used, cap);
        user.limitUpdatedAt = uint40(block.timestamp);
        user.limitUsed = uint184(used);
    }

    /// @dev Within one reference period the value stays within `maxDailyStepBps` of the value
    ///      the period started with; the first change after a period ends starts the next
    ///      with the value then in force.
    function _checkDailyBand(Market storage m, uint256 newValue, uint256 maxDailyStepBps) private {
        uint256 anchor = m.referenceValue;
        if (block.timestamp >= uint256(m.referenceAt) + Constants.VALUE_REFERENCE_PERIOD) {
            anchor = m.pointValue;
            m.referenceValue = uint64(anchor);
            m.referenceAt = uint40(block.timestamp);
        }
        uint256 distance = newValue > anchor ? newValue - anchor : anchor - newValue;
        if (distance * Constants.BPS > anchor * maxDailyStepBps) {
            revert ExchangeValueOutsideDailyBand(anchor, newValue, maxDailyStepBps);
        }
    }

    function _cancelNonces(address owner, uint256 word, uint256 mask) private {
        _nonceBitmap[owner][word] |= mask;
        emit NoncesCancelled(owner, word, mask);
    }

    function _listedMarket(address token) private view returns (Market storage m) {
        m = _markets[token];
        if (!m.listed) revert ExchangeUnknownMarket(token);
    }

    function _activeMarket(address token) private view returns (Market storage m) {
        m = _listedMarket(token);
        if (!m.active) revert ExchangeMarketInactive(token);
    }

    function _merchantMarket(address token) private view returns (Market storage m) {
        m = _listedMarket(token);
        if (m.admin != msg.sender) revert ExchangeNotMerchantAdmin(token, msg.sender);
    }

    /// @dev The caller's market, not suspended: what money leaving the merchant needs.
    function _activeMerchantMarket(address token) private view returns (Market storage m) {
        m = _merchantMarket(token);
        if (!m.active) revert ExchangeMarketInactive(token);
    }

    function _setFee(uint256 feeBps) private {
        if (feeBps > Constants.MAX_FEE_BPS)
            revert ExchangeFeeTooHigh(feeBps, Constants.MAX_FEE_BPS);
        feeConfig.feeBps = uint16(feeBps);
        emit FeeChanged(feeBps);
    }

    function _setFeeShares(FeeSplit.Shares memory shares) private {
        uint256 sum = FeeSplit.total(shares);
        if (sum != Constants.BPS) revert ExchangeInvalidFeeShares(sum);
        FeeConfig storage fees = feeConfig;
        fees.platformBps = shares.platformBps;
        fees.sourceMerchantBps = shares.sourceMerchantBps;
        fees.targetMerchantBps = shares.targetMerchantBps;
        fees.relayerBps = shares.relayerBps;
        emit FeeSharesChanged(
            shares.platformBps,
            shares.sourceMerchantBps,
            shares.targetMerchantBps,
            shares.relayerBps
        );
    }

    function _setPlatformPayee(address payee) private {
        feeConfig.platformPayee = payee;
        emit PlatformPayeeChanged(payee);
    }

    function _setValueBounds(
        uint256 maxStepBps,
        uint256 minInterval,
        uint256 maxDailyStepBps
    ) private {
        if (maxStepBps == 0 || maxStepBps > Constants.MAX_VALUE_STEP_BPS) {
            revert ExchangeInvalidValueBounds(maxStepBps);
        }
        if (minInterval < Constants.MIN_VALUE_INTERVAL) {
            revert ExchangeValueIntervalTooShort(minInterval, Constants.MIN_VALUE_INTERVAL);
        }
        if (maxDailyStepBps == 0 || maxDailyStepBps > Constants.BPS) {
            revert ExchangeInvalidDailyBand(maxDailyStepBps);
        }
        riskConfig.maxValueStepBps = uint16(maxStepBps);
        riskConfig.minValueInterval = minInterval.toUint32();
        riskConfig.maxDailyStepBps = uint16(maxDailyStepBps);
        emit ValueBoundsChanged(maxStepBps, minInterval, maxDailyStepBps);
    }

    function _setUserLimit(uint256 maxValuePerWindow, uint256 window) private {
        if (maxValuePerWindow != 0 && window == 0) {
            revert ExchangeInvalidUserLimit(maxValuePerWindow, window);
        }
        riskConfig.maxValuePerWindow = maxValuePerWindow.toUint96();
        riskConfig.limitWindow = window.toUint32();
        emit UserLimitChanged(maxValuePerWindow, window);
    }

    function _setMinOrderValue(uint256 minOrderValue) private {
        riskConfig.minOrderValue = minOrderValue.toUint48();
        emit MinOrderValueChanged(minOrderValue);
    }
}
