// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OrderLib, CancelLib} from "../libraries/OrderLib.sol";
import {FeeSplit} from "../libraries/FeeSplit.sol";

/// @title IPointsExchange
/// @notice Swaps points of one merchant into points of another at the merchants' published
///         point values, settles the value between their settlement accounts in the same
///         transaction, and credits the fee to the revenue split's payees.
interface IPointsExchange {
    // ─── Structs ────────────────────────────────────────────────────────────────────────────

    /// @notice One merchant's market: its point value and settlement account.
    /// @dev Three slots: what a swap reads (value, status), the admin, then the balances.
    struct Market {
        uint64 pointValue; // settlement units per point
        uint40 valueChangedAt; // unix time of the last value change
        bool listed;
        bool active; // false while the merchant is suspended
        address admin; // the merchant's operator key: sets the value, withdraws funds
        uint128 settlementBalance; // settlement units held for the merchant
        uint128 feeCredit; // fee shares credited to the merchant, not yet withdrawn
    }

    /// @notice A user's cancel-all counter and swap-limit window, packed in one slot.
    struct UserState {
        uint32 counter;
        uint40 windowStart;
        uint184 windowUsed; // settlement value swapped since windowStart
    }

    // ─── Events ─────────────────────────────────────────────────────────────────────────────

    /// @notice A swap settled. `fee` includes `dust`; `relayer` is zero for a direct swap.
    event Swapped(
        bytes32 indexed orderHash,
        address indexed owner,
        address indexed fromToken,
        address toToken,
        uint256 nonce,
        uint256 amountIn,
        uint256 amountOut,
        uint256 grossValue,
        uint256 fee,
        uint256 dust,
        address relayer
    );

    /// @notice An order in a batch failed; `reason` is the selector of the error it raised.
    event OrderRejected(
        bytes32 indexed orderHash, address indexed owner, uint256 nonce, bytes4 reason
    );

    event MarketListed(address indexed token, address indexed admin, uint256 pointValue);
    event MarketStatusChanged(address indexed token, bool active);
    event MarketAdminChanged(address indexed token, address indexed admin);
    event PointValueChanged(address indexed token, uint256 oldValue, uint256 newValue);
    event SettlementDeposited(address indexed token, address indexed from, uint256 amount);
    event SettlementWithdrawn(address indexed token, address indexed to, uint256 amount);
    event MerchantFeesWithdrawn(address indexed token, address indexed to, uint256 amount);
    event PayeeCreditWithdrawn(address indexed payee, address indexed to, uint256 amount);
    event NoncesCancelled(address indexed owner, uint256 word, uint256 mask);
    event CounterIncremented(address indexed owner, uint256 counter);
    event FeeChanged(uint256 feeBps);
    event FeeSharesChanged(
        uint256 platformBps, uint256 sourceMerchantBps, uint256 targetMerchantBps, uint256 relayerBps
    );
    event PlatformPayeeChanged(address indexed payee);
    event ValueBoundsChanged(uint256 maxStepBps, uint256 minInterval);
    event UserLimitChanged(uint256 maxValuePerWindow, uint256 window);

    // ─── Errors ─────────────────────────────────────────────────────────────────────────────

    error ExchangeOrderExpired(uint256 deadline);
    error ExchangeNonceUsed(address owner, uint256 nonce);
    error ExchangeOrderCancelled(address owner, uint256 counter);
    error ExchangeInvalidSigner(address signer, address owner);
    error ExchangeNotOwner(address caller, address owner);
    error ExchangeSameToken(address token);
    error ExchangeZeroAmount();
    error ExchangeZeroOutput(uint256 amountIn);
    error ExchangeUnknownMarket(address token);
    error ExchangeMarketInactive(address token);
    error ExchangeMarketAlreadyListed(address token);
    error ExchangeInsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    error ExchangeInsufficientCover(address token, uint256 balance, uint256 needed);
    error ExchangeUserLimitExceeded(address owner, uint256 used, uint256 limit);
    error ExchangeNotMerchantAdmin(address token, address caller);
    error ExchangeInvalidPointValue(uint256 value);
    error ExchangeValueStepTooLarge(uint256 oldValue, uint256 newValue, uint256 maxStepBps);
    error ExchangeValueChangeTooSoon(uint256 nextAllowedAt);
    error ExchangeInsufficientSettlementBalance(address token, uint256 balance, uint256 needed);
    error ExchangeNothingToWithdraw(address account);
    error ExchangeFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    error ExchangeInvalidFeeShares(uint256 sumBps);
    error ExchangeInvalidValueBounds(uint256 maxStepBps);
    error ExchangeLengthMismatch(uint256 orders, uint256 signatures);
    error ExchangeOnlySelf(address caller);
    error ExchangeZeroAddress();

    // ─── Swaps ──────────────────────────────────────────────────────────────────────────────

    /// @notice Prices a swap without executing it.
    /// @return amountOut points of `toToken` received, fee settlement units charged
    ///         (rounding dust included), grossValue settlement units merchant A pays.
    function quote(address fromToken, address toToken, uint256 amountIn)
        external
        view
        returns (uint256 amountOut, uint256 fee, uint256 grossValue);

    /// @notice Settles signed orders in one transaction (RELAYER_ROLE). An order that fails
    ///         emits `OrderRejected` with its error's selector; the others settle.
    /// @return settled how many orders settled.
    function settle(OrderLib.SwapOrder[] calldata orders, bytes[] calldata signatures)
        external
        returns (uint256 settled);

    /// @notice Executes the caller's own order, no signature needed; reverts on any failure.
    function swap(OrderLib.SwapOrder calldata order) external returns (uint256 amountOut);

    /// @notice Executes one order of a batch; callable only by this contract, so that a
    ///         failure reverts that order alone.
    function executeBatchOrder(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        bytes calldata signature,
        address relayer
    ) external;

    /// @notice The EIP-712 digest an owner signs for `order`.
    function orderDigest(OrderLib.SwapOrder calldata order) external view returns (bytes32);

    // ─── Nonces ─────────────────────────────────────────────────────────────────────────────

    /// @notice Whether `nonce` of `owner` is used or cancelled.
    function isNonceUsed(address owner, uint256 nonce) external view returns (bool);

    /// @notice The bitmap word `word` of `owner`'s nonces.
    function nonceBitmap(address owner, uint256 word) external view returns (uint256);

    /// @notice Voids the caller's nonces set in `mask` of bitmap word `word`.
    function cancelNonces(uint256 word, uint256 mask) external;

    /// @notice Voids nonces on behalf of `request.owner`, who signed `request`.
    function cancelNoncesWithSig(CancelLib.CancelNonces calldata request, bytes calldata signature)
        external;

    /// @notice Voids every order the caller has signed so far (Seaport's `incrementCounter`).
    function incrementCounter() external returns (uint256 newCounter);

    /// @notice A user's counter and swap-limit window.
    function userState(address owner) external view returns (UserState memory);

    // ─── Merchants ──────────────────────────────────────────────────────────────────────────

    /// @notice Lists a merchant's points token (LISTER_ROLE: the merchant registry).
    function listMarket(address token, address admin, uint256 pointValue) external;

    /// @notice Suspends or reinstates a market (LISTER_ROLE).
    function setMarketActive(address token, bool active) external;

    /// @notice Hands a market to a new merchant operator key (LISTER_ROLE).
    function setMarketAdmin(address token, address admin) external;

    /// @notice The merchant changes its point value, within governance's bounds.
    function setPointValue(address token, uint256 newValue) external;

    /// @notice Moves settlement tokens from the caller into `token`'s settlement account.
    function deposit(address token, uint256 amount) external;

    /// @notice The merchant takes settlement tokens out of its account.
    function withdraw(address token, address to, uint256 amount) external;

    /// @notice The merchant withdraws its fee credit.
    function withdrawMerchantFees(address token, address to) external returns (uint256 amount);

    /// @notice A payee (platform, relayer) withdraws its fee credit.
    function withdrawPayeeCredit(address to) external returns (uint256 amount);

    /// @notice A merchant's market record.
    function market(address token) external view returns (Market memory);

    /// @notice Fee credit of a payee (platform or relayer), not yet withdrawn.
    function payeeCredit(address payee) external view returns (uint256);

    // ─── Governance ─────────────────────────────────────────────────────────────────────────

    function setFee(uint256 feeBps) external;

    function setFeeShares(FeeSplit.Shares calldata shares) external;

    function setPlatformPayee(address payee) external;

    function setValueBounds(uint256 maxStepBps, uint256 minInterval) external;

    function setUserLimit(uint256 maxValuePerWindow, uint256 window) external;

    function pause() external;

    function unpause() external;
}
