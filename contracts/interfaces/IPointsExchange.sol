// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OrderLib, CancelLib, CounterLib} from "../libraries/OrderLib.sol";
import {FeeSplit} from "../libraries/FeeSplit.sol";

/// @title IPointsExchange
/// @notice Swaps points of one merchant into points of another at the merchants' published
///         point values, settles the value between their settlement accounts in the same
///         transaction, and credits the fee to the revenue split's payees.
interface IPointsExchange {
    // ─── Structs ────────────────────────────────────────────────────────────────────────────

    /// @notice One merchant's market: its point value and settlement account.
    /// @dev Four slots: what a swap reads (value, status), the admin, the balances, then the
    ///      daily reference only `setPointValue` reads.
    struct Market {
        uint64 pointValue; // settlement units per point
        uint40 valueChangedAt; // unix time of the last value change
        bool listed;
        bool active; // false while the merchant is suspended
        address admin; // the merchant's operator key: sets the value, withdraws funds
        uint128 settlementBalance; // settlement units held for the merchant
        uint128 feeCredit; // fee shares credited to the merchant, not yet withdrawn
        uint64 referenceValue; // the point value the current reference period started with
        uint40 referenceAt; // unix time that reference period started
    }

    /// @notice A user's cancel-all counter and decaying swap-limit usage, packed in one slot.
    /// @dev `limitUsed` is the usage as of `limitUpdatedAt`; it decays linearly by
    ///      maxValuePerWindow / limitWindow per second (a leaky bucket), so there is no window
    ///      edge across which twice the limit passes.
    struct UserState {
        uint32 counter;
        uint40 limitUpdatedAt;
        uint184 limitUsed;
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

    /// @notice A voucher purchase (issue 16) paid `amountIn` points of `fromToken` to the
    ///         voucher merchant `toToken`, moving value exactly as a swap of `amountIn` would:
    ///         `fromToken`'s account paid `grossValue`, `toToken`'s got `paidToTarget` (the
    ///         points part of the price), and `fee` (with the rounding `dust` and whatever the
    ///         points were worth beyond the price) went to the revenue split. `purchaseId` is
    ///         the VoucherBook's EIP-712 digest of the purchase.
    event VoucherPaid(
        bytes32 indexed purchaseId,
        address indexed owner,
        address indexed fromToken,
        address toToken,
        uint256 amountIn,
        uint256 paidToTarget,
        uint256 grossValue,
        uint256 fee,
        uint256 dust,
        address relayer
    );

    /// @notice An order in a batch failed; `reason` is the selector of the error it raised.
    /// @dev A rejection is final. `nonceConsumed` is true when the owner's signature was
    ///      verified before the order failed: its nonce is then used, so no relayer can settle
    ///      it later, and `owner`/`nonce` are the signer's. When false (expired, counter
    ///      bumped, nonce already used, bad signature) nothing was verified: `owner` and
    ///      `nonce` are only what the relayer claimed, so off chain nothing may attribute
    ///      such a rejection to `owner` or key it by (owner, nonce); key by `orderHash`.
    event OrderRejected(
        bytes32 indexed orderHash,
        address indexed owner,
        uint256 nonce,
        bytes4 reason,
        bool nonceConsumed
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
        uint256 platformBps,
        uint256 sourceMerchantBps,
        uint256 targetMerchantBps,
        uint256 relayerBps
    );
    event PlatformPayeeChanged(address indexed payee);
    /// @notice Governance set the point-value bounds: one change moves the value by at most
    ///         `maxStepBps`, at most once per `minInterval` seconds, and within one reference
    ///         period (a day) the value stays within `maxDailyStepBps` of the reference.
    event ValueBoundsChanged(uint256 maxStepBps, uint256 minInterval, uint256 maxDailyStepBps);
    /// @notice Governance set the per-user limit: usage decays by maxValuePerWindow / window
    ///         per second and may never exceed `maxValuePerWindow` (0: no limit).
    event UserLimitChanged(uint256 maxValuePerWindow, uint256 window);
    /// @notice Governance set the smallest order value, in settlement units.
    event MinOrderValueChanged(uint256 minOrderValue);
    /// @notice Governance set the cover floor: a merchant's withdrawal must leave at least
    ///         `coverFloorBps` of its outstanding points' value (supply × point value).
    event CoverFloorChanged(uint256 coverFloorBps);
    /// @notice Governance moved settlement tokens held beyond every account (sent to the
    ///         exchange directly, by mistake) to `to`.
    event SurplusSwept(address indexed to, uint256 amount);

    // ─── Errors ─────────────────────────────────────────────────────────────────────────────

    /// @notice The order's `deadline` has passed.
    error ExchangeOrderExpired(uint256 deadline);
    /// @notice `owner`'s `nonce` was already used or cancelled.
    error ExchangeNonceUsed(address owner, uint256 nonce);
    /// @notice The order was signed under a counter below `owner`'s current `counter` (cancel-all).
    error ExchangeOrderCancelled(address owner, uint256 counter);
    /// @notice The signature recovers to `signer`, not the order's `owner`.
    error ExchangeInvalidSigner(address signer, address owner);
    /// @notice A direct swap must be sent by the order's `owner`, not `caller`.
    error ExchangeNotOwner(address caller, address owner);
    /// @notice The order swaps `token` into itself.
    error ExchangeSameToken(address token);
    /// @notice The amount is zero.
    error ExchangeZeroAmount();
    /// @notice `amountIn` points buy less than one point of the target program.
    error ExchangeZeroOutput(uint256 amountIn);
    /// @notice `token` is not a points token listed on the exchange.
    error ExchangeUnknownMarket(address token);
    /// @notice `token`'s merchant is suspended: swaps in and out are paused.
    error ExchangeMarketInactive(address token);
    /// @notice `token` is already listed.
    error ExchangeMarketAlreadyListed(address token);
    /// @notice The swap gives `amountOut` points, fewer than the order's `minAmountOut`.
    error ExchangeInsufficientOutput(uint256 amountOut, uint256 minAmountOut);
    /// @notice `token`'s settlement account holds `balance`, less than the `needed` value.
    error ExchangeInsufficientCover(address token, uint256 balance, uint256 needed);
    /// @notice The swap would take `owner`'s recent swapped value `used` past `limit`.
    error ExchangeUserLimitExceeded(address owner, uint256 used, uint256 limit);
    /// @notice `caller` is not the operator key of `token`'s merchant.
    error ExchangeNotMerchantAdmin(address token, address caller);
    /// @notice A point value must be above zero and fit in 64 bits (`value` does not).
    error ExchangeInvalidPointValue(uint256 value);
    /// @notice The change from `oldValue` to `newValue` exceeds `maxStepBps`.
    error ExchangeValueStepTooLarge(uint256 oldValue, uint256 newValue, uint256 maxStepBps);
    /// @notice The point value may change again at `nextAllowedAt`, not before.
    error ExchangeValueChangeTooSoon(uint256 nextAllowedAt);
    /// @notice `token`'s settlement account holds `balance`, less than `needed`.
    error ExchangeInsufficientSettlementBalance(address token, uint256 balance, uint256 needed);
    /// @notice `account` has no credit to withdraw.
    error ExchangeNothingToWithdraw(address account);
    /// @notice The fee `feeBps` is above the platform's maximum `maxFeeBps`.
    error ExchangeFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The fee shares add up to `sumBps`, not 10 000 bps.
    error ExchangeInvalidFeeShares(uint256 sumBps);
    /// @notice The maximum value step `maxStepBps` is zero or above 10 000 bps.
    error ExchangeInvalidValueBounds(uint256 maxStepBps);
    /// @notice A batch has `orders` orders but `signatures` signatures.
    error ExchangeLengthMismatch(uint256 orders, uint256 signatures);
    /// @notice Only the exchange itself (a batch's inner call) may call this, not `caller`.
    error ExchangeOnlySelf(address caller);
    /// @notice An address argument is the zero address.
    error ExchangeZeroAddress();
    /// @notice The order's gross value is below governance's minimum order value.
    error ExchangeOrderValueTooLow(uint256 grossValue, uint256 minOrderValue);
    /// @notice A withdrawal would leave the settlement account below the cover floor.
    error ExchangeBelowCoverFloor(address token, uint256 remaining, uint256 floor);
    /// @notice The new value leaves the band around the reference period's reference value.
    error ExchangeValueOutsideDailyBand(
        uint256 referenceValue,
        uint256 newValue,
        uint256 maxDailyStepBps
    );
    /// @notice Governance's minimum interval between value changes is under the platform floor.
    error ExchangeValueIntervalTooShort(uint256 minInterval, uint256 floor);
    /// @notice The daily band must be between 1 and 10 000 bps.
    error ExchangeInvalidDailyBand(uint256 maxDailyStepBps);
    /// @notice A non-zero user limit needs a non-zero window.
    error ExchangeInvalidUserLimit(uint256 maxValuePerWindow, uint256 window);
    /// @notice The cover floor must be at most 10 000 bps (100% of the liability).
    error ExchangeInvalidCoverFloor(uint256 coverFloorBps);
    /// @notice A signed cancel-all named a counter other than the owner's current one (it was
    ///         already used, or another bump came first).
    error ExchangeCounterMismatch(address owner, uint256 counter, uint256 signedCounter);
    /// @notice An order of a batch reverted without an error (out of gas: the relayer gave too
    ///         little); the whole batch reverts so that no nonce is consumed by a relayer's fault.
    error ExchangeOrderFailedWithoutReason(uint256 index);

    // ─── Swaps ──────────────────────────────────────────────────────────────────────────────

    /// @notice Prices a swap without executing it.
    /// @return amountOut points of `toToken` received, fee settlement units charged
    ///         (rounding dust included), grossValue settlement units merchant A pays.
    function quote(
        address fromToken,
        address toToken,
        uint256 amountIn
    ) external view returns (uint256 amountOut, uint256 fee, uint256 grossValue);

    /// @notice Settles signed orders in one transaction (RELAYER_ROLE). An order that fails
    ///         emits `OrderRejected` with its error's selector; the others settle.
    /// @dev Each order is checked in the fixed order deadline, counter, nonce, signer; then its
    ///      nonce is consumed and it executes in its own call. A failure after the signature
    ///      was verified keeps the nonce consumed (`OrderRejected.nonceConsumed`): rejected is
    ///      final, on chain as in the backend, and the user signs a new order. An inner call
    ///      that fails without an error (out of gas) reverts the whole batch.
    /// @return settled how many orders settled.
    function settle(
        OrderLib.SwapOrder[] calldata orders,
        bytes[] calldata signatures
    ) external returns (uint256 settled);

    /// @notice Executes the caller's own order, no signature needed; reverts on any failure.
    function swap(OrderLib.SwapOrder calldata order) external returns (uint256 amountOut);

    /// @notice Executes one order of a batch whose signature `settle` verified and whose nonce
    ///         it consumed; callable only by this contract, so that a failure reverts that
    ///         order alone.
    function executeBatchOrder(
        OrderLib.SwapOrder calldata order,
        bytes32 digest,
        address relayer
    ) external;

    /// @notice The EIP-712 digest an owner signs for `order`.
    function orderDigest(OrderLib.SwapOrder calldata order) external view returns (bytes32);

    // ─── Voucher hooks (issue 16; VOUCHER_ROLE: the VoucherBook) ─────────────────────────

    /// @notice Pays the points part `pointsPart` of a voucher purchase with `amountIn` points
    ///         of another program `fromToken`, as a swap into `toToken` would move the value:
    ///         same pricing and rounding (`SwapMath`), minimum order, per-user limit, cover
    ///         check and fee split; `toToken`'s account gets `pointsPart`, and what the net
    ///         value exceeds it by joins the fee as dust. Emits `VoucherPaid`.
    /// @param burn true to burn the points now; false when they were escrowed (burned by
    ///        `voucherBurn`) at the first step of a points + cash purchase.
    /// @return earliestKey the expiry key of the earliest points burned (0 when `burn` is false).
    function voucherPay(
        bytes32 purchaseId,
        address owner,
        address fromToken,
        uint256 amountIn,
        address toToken,
        uint256 pointsPart,
        address relayer,
        bool burn
    ) external returns (uint16 earliestKey);

    /// @notice Burns `amount` points of the listed, active `token` from `from` (a voucher paid
    ///         in the merchant's own points, or an escrow); no value moves.
    /// @return earliestKey the expiry key of the earliest points burned.
    function voucherBurn(
        address token,
        address from,
        uint256 amount
    ) external returns (uint16 earliestKey);

    /// @notice Mints `amount` points of the listed `token` to `to` into expiry key `key` (an
    ///         escrow refund keeps the points' expiry); key 0 mints under the key a mint gets
    ///         now (a breakage refund of an expired voucher).
    function voucherMint(address token, address to, uint256 amount, uint16 key) external;

    // ─── Nonces ─────────────────────────────────────────────────────────────────────────────

    /// @notice Whether `nonce` of `owner` is used or cancelled.
    function isNonceUsed(address owner, uint256 nonce) external view returns (bool);

    /// @notice The bitmap word `word` of `owner`'s nonces.
    function nonceBitmap(address owner, uint256 word) external view returns (uint256);

    /// @notice Voids the caller's nonces set in `mask` of bitmap word `word`.
    function cancelNonces(uint256 word, uint256 mask) external;

    /// @notice Voids nonces on behalf of `request.owner`, who signed `request`.
    function cancelNoncesWithSig(
        CancelLib.CancelNonces calldata request,
        bytes calldata signature
    ) external;

    /// @notice Voids every order the caller has signed so far (Seaport's `incrementCounter`).
    function incrementCounter() external returns (uint256 newCounter);

    /// @notice Voids every order `request.owner` has signed so far, on the owner's signature
    ///         (users never pay gas: a relayer submits it). Valid once: `request.counter` must
    ///         be the owner's current counter.
    function incrementCounterWithSig(
        CounterLib.IncrementCounter calldata request,
        bytes calldata signature
    ) external returns (uint256 newCounter);

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
    /// @dev Refused while the exchange is paused or the market suspended (the holders cannot
    ///      swap out then, so the merchant may not take their cover either), and when it would
    ///      leave less than the cover floor: `coverFloorBps` of supply × point value.
    ///      There is no withdrawal delay: the floor bounds what a withdrawal racing a
    ///      suspension vote can take whatever the vote's speed, while a delay long enough for
    ///      an M-of-N vote (hours to days) would stall every merchant's treasury.
    function withdraw(address token, address to, uint256 amount) external;

    /// @notice The merchant withdraws its fee credit; refused while paused or suspended.
    function withdrawMerchantFees(address token, address to) external returns (uint256 amount);

    /// @notice A payee (platform, relayer) withdraws its fee credit.
    function withdrawPayeeCredit(address to) external returns (uint256 amount);

    /// @notice A merchant's market record.
    function market(address token) external view returns (Market memory);

    /// @notice Fee credit of a payee (platform or relayer), not yet withdrawn.
    function payeeCredit(address payee) external view returns (uint256);

    /// @notice Settlement units the exchange owes: Σ settlementBalance + Σ feeCredit +
    ///         Σ payeeCredit. Its settlement-token balance is at least this.
    function settlementAccounted() external view returns (uint256);

    /// @notice Settlement units held beyond `settlementAccounted` (sent to the exchange
    ///         directly): no account owns them; governance may sweep them.
    function settlementSurplus() external view returns (uint256);

    // ─── Governance ─────────────────────────────────────────────────────────────────────────

    function setFee(uint256 feeBps) external;

    function setFeeShares(FeeSplit.Shares calldata shares) external;

    function setPlatformPayee(address payee) external;

    /// @notice Point-value bounds: `minInterval` at least `Constants.MIN_VALUE_INTERVAL`,
    ///         both bps in 1..10 000.
    function setValueBounds(
        uint256 maxStepBps,
        uint256 minInterval,
        uint256 maxDailyStepBps
    ) external;

    /// @notice The per-user limit (decaying, see `UserState`); 0 turns it off. On by default.
    function setUserLimit(uint256 maxValuePerWindow, uint256 window) external;

    /// @notice The smallest gross value an order may have (0: none).
    function setMinOrderValue(uint256 minOrderValue) external;

    /// @notice The cover floor, in bps of a merchant's outstanding points' value (0: none,
    ///         the default: a program's cover against its liability is the consortium's
    ///         commercial decision, and most programs hold far less than their liability).
    function setCoverFloor(uint256 coverFloorBps) external;

    /// @notice Sends the settlement surplus (see `settlementSurplus`) to `to`.
    function sweepSurplus(address to) external returns (uint256 amount);

    function pause() external;

    function unpause() external;
}
