// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {VoucherLib} from "../libraries/VoucherLib.sol";

/// @title IVoucherBook
/// @notice Merchants' vouchers (券) sold for points of any program, optionally topped up with
///         cash: merchants list products, users sign purchases that a relayer batches, the
///         exchange moves the points' value to the voucher merchant exactly as a swap would,
///         and the holder gifts or redeems the voucher by signature until it expires.
/// @dev Roles: DEFAULT_ADMIN_ROLE is the consortium governance; RELAYER_ROLE submits batches
///      and redemptions (the relayer keys, as on the exchange); PROVIDER_ROLE are the payment
///      providers whose signed cash notices mint settlement units (this contract holds
///      SETTLER_ROLE on the settlement token and VOUCHER_ROLE on the exchange).
///      A purchase with `cashAmount == 0` completes in one step. With cash it takes two: the
///      points are escrowed (burned, their earliest expiry key kept) and the stock reserved;
///      then within `CASH_WINDOW` (15 minutes, a public constant) a provider's `CashNotice` settles it, or it is refunded (the
///      points re-minted under their key, the stock released).
interface IVoucherBook {
    // ─── Structs ────────────────────────────────────────────────────────────────────────────

    /// @notice A product's terms, set by the voucher merchant's operator key when listing.
    /// @dev Three slots. Exactly one of `validUntil` / `validDays` is non-zero.
    struct ProductTerms {
        address token; // the voucher merchant's points token (its market on the exchange)
        uint64 price; // settlement units (fen); any program's points can pay
        uint64 faceValue; // settlement units the voucher is worth at the till (shown)
        uint32 stock; // units left for sale
        uint32 perUserLimit; // vouchers one owner may buy; 0 = no limit
        uint40 saleEndsAt; // unix time after which it no longer sells; 0 = no end
        uint40 validUntil; // fixed expiry (unix time), or 0
        uint32 validDays; // expiry N days after purchase, or 0
        uint8 breakage; // 0: the merchant keeps the value; 1: refunded as the merchant's points
        bytes32 termsHash; // keccak of the off-chain name + terms JSON (never personal data)
    }

    /// @notice One voucher: its product, holder, expiry and status.
    /// @dev One slot. `status`: 0 none, 1 active, 2 redeemed, 3 expired.
    struct Voucher {
        uint48 productId;
        address owner;
        uint40 expiresAt; // usable while block.timestamp <= expiresAt
        uint8 status;
    }

    /// @notice A two-step (points + cash) purchase awaiting or past its cash notice.
    /// @dev `state`: 0 none (one-step purchases are not stored), 1 pending, 2 settled,
    ///      3 refunded. `earliestKey` is the expiry key of the earliest escrowed points.
    struct PendingPurchase {
        address owner;
        uint40 cashDeadline;
        uint16 earliestKey;
        uint8 state;
        address payToken;
        uint64 cashAmount;
        uint128 pointsIn;
        uint64 productId;
    }

    // ─── Events ─────────────────────────────────────────────────────────────────────────────

    /// @notice The merchant of `token` listed product `productId` with these terms.
    event ProductListed(
        uint256 indexed productId,
        address indexed token,
        uint256 price,
        uint256 faceValue,
        uint256 stock,
        uint256 perUserLimit,
        uint256 saleEndsAt,
        uint256 validUntil,
        uint256 validDays,
        uint256 breakage,
        bytes32 termsHash
    );
    /// @notice The merchant paused (or resumed) the sale of `productId`.
    event ProductPaused(uint256 indexed productId, bool paused);
    /// @notice The merchant added `amount` units to `productId`'s stock, now `stockAfter`.
    event StockAdded(uint256 indexed productId, uint256 amount, uint256 stockAfter);
    /// @notice A purchase completed and issued `voucherId` (one step, or after its cash).
    event Purchased(
        bytes32 indexed purchaseId,
        uint256 indexed productId,
        address indexed owner,
        address payToken,
        uint256 pointsIn,
        uint256 cashAmount,
        uint256 voucherId
    );
    /// @notice A points + cash purchase escrowed its points and reserved its voucher; it
    ///         awaits a provider's cash notice until `cashDeadline`.
    event PurchasePending(
        bytes32 indexed purchaseId,
        uint256 indexed productId,
        address indexed owner,
        address payToken,
        uint256 pointsIn,
        uint256 cashAmount,
        uint256 cashDeadline
    );
    /// @notice A purchase of a batch failed; `reason` is the selector of the error it raised.
    /// @dev As the exchange's `OrderRejected`: when `nonceConsumed` is false (expired, nonce
    ///      used, bad signature) nothing was verified and `owner` is only what the relayer
    ///      claimed: key such a rejection by `purchaseId` only.
    event PurchaseRejected(
        bytes32 indexed purchaseId,
        address indexed owner,
        bytes4 reason,
        bool nonceConsumed
    );
    /// @notice A provider's notice settled the cash part `amount` of `purchaseId`: that many
    ///         settlement units were minted into the voucher merchant's settlement account.
    event CashSettled(bytes32 indexed purchaseId, bytes32 indexed paymentId, uint256 amount);
    /// @notice A pending purchase was refunded (points re-minted under their expiry key, stock
    ///         released); `reason` is the selector of why (not paid, late, unpayable, expired).
    event PurchaseRefunded(bytes32 indexed purchaseId, bytes4 reason);
    /// @notice Voucher `voucherId` of `productId` was issued to `owner`, usable until `expiresAt`.
    event VoucherIssued(
        uint256 indexed voucherId,
        uint256 indexed productId,
        address indexed owner,
        bytes32 purchaseId,
        uint256 expiresAt
    );
    /// @notice `from` gifted voucher `voucherId` to `to`.
    event VoucherGifted(uint256 indexed voucherId, address indexed from, address indexed to);
    /// @notice Voucher `voucherId` was redeemed at the till by `by` with `holder`'s consent.
    event VoucherRedeemed(uint256 indexed voucherId, address indexed holder, address indexed by);
    /// @notice Voucher `voucherId` expired unredeemed: `breakageValue` settlement units stay
    ///         with the merchant and `refundedPoints` of its points were minted to `holder`.
    event VoucherExpired(
        uint256 indexed voucherId,
        address indexed holder,
        uint256 breakageValue,
        uint256 refundedPoints
    );
    /// @notice `owner` voided the nonces set in `mask` of bitmap word `word`.
    event VoucherNoncesCancelled(address indexed owner, uint256 word, uint256 mask);

    // ─── Errors ─────────────────────────────────────────────────────────────────────────────

    /// @notice An address argument is the zero address.
    error VoucherZeroAddress();
    /// @notice The signed request's `deadline` has passed.
    error VoucherRequestExpired(uint256 deadline);
    /// @notice `owner`'s `nonce` was already used or cancelled.
    error VoucherNonceUsed(address owner, uint256 nonce);
    /// @notice The signature recovers to `signer`, not `expected`.
    error VoucherInvalidSigner(address signer, address expected);
    /// @notice A batch has `purchases` purchases but `signatures` signatures.
    error VoucherLengthMismatch(uint256 purchases, uint256 signatures);
    /// @notice Only the VoucherBook itself (a batch's inner call) may call this, not `caller`.
    error VoucherOnlySelf(address caller);
    /// @notice A purchase of a batch reverted without an error (out of gas: the relayer gave
    ///         too little); the whole batch reverts so no nonce is consumed by its fault.
    error VoucherPurchaseFailedWithoutReason(uint256 index);
    /// @notice `caller` is not the operator key (exchange market admin) of `token`.
    error VoucherNotMerchantAdmin(address token, address caller);
    /// @notice The terms are invalid: `field` names the one at fault (price, validity,
    ///         breakage, saleEndsAt).
    error VoucherInvalidTerms(string field);
    /// @notice No product `productId` is listed.
    error VoucherUnknownProduct(uint256 productId);
    /// @notice `productId`'s sale is paused by its merchant.
    error VoucherProductPaused(uint256 productId);
    /// @notice `productId`'s sale ended at `saleEndsAt`.
    error VoucherSaleEnded(uint256 productId, uint256 saleEndsAt);
    /// @notice `productId` has no stock left.
    error VoucherSoldOut(uint256 productId);
    /// @notice `owner` already bought `limit` vouchers of `productId`.
    error VoucherPerUserLimit(uint256 productId, address owner, uint256 limit);
    /// @notice The purchase's cash part `cashAmount` exceeds the price `price`.
    error VoucherCashAbovePrice(uint256 cashAmount, uint256 price);
    /// @notice The points offered are worth `value` settlement units, less than `needed`.
    error VoucherInsufficientPoints(uint256 value, uint256 needed);
    /// @notice The cash pays the whole price: the purchase must offer no points (`pointsIn`).
    error VoucherPointsNotNeeded(uint256 pointsIn);
    /// @notice Added stock is zero, or the stock would pass 2^32 − 1.
    error VoucherInvalidStock(uint256 amount);
    /// @notice `purchaseId` is not a pending purchase (unknown, settled or refunded).
    error VoucherPurchaseNotPending(bytes32 purchaseId);
    /// @notice The cash notice is signed by `signer`, which holds no PROVIDER_ROLE.
    error VoucherInvalidProvider(address signer);
    /// @notice The provider's `paymentId` was already used.
    error VoucherPaymentUsed(bytes32 paymentId);
    /// @notice Refund reason: the provider's notice says the cash was not paid.
    error VoucherCashNotPaid();
    /// @notice Refund reason: the cash notice came after `cashDeadline`.
    error VoucherCashLate(uint256 cashDeadline);
    /// @notice Refund reason: the notice's `amount` is not the purchase's `cashAmount`.
    error VoucherCashAmountMismatch(uint256 amount, uint256 cashAmount);
    /// @notice The cash window is open until `cashDeadline`: no expiry refund yet.
    error VoucherCashWindowOpen(uint256 cashDeadline);
    /// @notice Voucher `voucherId` is not active (never issued, redeemed or expired).
    error VoucherNotActive(uint256 voucherId);
    /// @notice Voucher `voucherId` is held by `owner`, not the request's holder.
    error VoucherNotHolder(uint256 voucherId, address owner);
    /// @notice Voucher `voucherId` expired at `expiresAt`: it can no longer be used.
    error VoucherHasExpired(uint256 voucherId, uint256 expiresAt);
    /// @notice Voucher `voucherId` is usable until `expiresAt`: it cannot be expired yet.
    error VoucherNotExpired(uint256 voucherId, uint256 expiresAt);
    /// @notice Only a relayer or the voucher merchant's operator key may redeem, not `caller`.
    error VoucherNotRedeemer(address caller);

    // ─── Products ───────────────────────────────────────────────────────────────────────────

    /// @notice Lists a product (the operator key of `terms.token`'s market on the exchange).
    /// @dev `price > 0`; exactly one of `validUntil` (in the future) and `validDays` (at
    ///      most `MAX_VALID_DAYS`);
    ///      `breakage` 0 or 1; `saleEndsAt` 0 or in the future.
    /// @return productId the new product's id (from 1).
    function listProduct(ProductTerms calldata terms) external returns (uint256 productId);

    /// @notice Pauses or resumes a product's sale (its merchant's operator key).
    function setProductPaused(uint256 productId, bool paused) external;

    /// @notice Adds `amount` units to a product's stock (its merchant's operator key).
    function addStock(uint256 productId, uint32 amount) external;

    /// @notice A product's terms (with the stock left), whether paused, and how many sold
    ///         (pending points + cash purchases included).
    function product(
        uint256 productId
    ) external view returns (ProductTerms memory terms, bool paused, uint32 sold);

    /// @notice How many products are listed (ids run 1..productCount).
    function productCount() external view returns (uint256);

    /// @notice How many vouchers of `productId` `owner` bought (pending ones included).
    function purchasedBy(uint256 productId, address owner) external view returns (uint256);

    // ─── Purchases ──────────────────────────────────────────────────────────────────────────

    /// @notice Submits users' signed purchases in one transaction (RELAYER_ROLE). A purchase
    ///         that fails emits `PurchaseRejected` with its error's selector; the others go on.
    /// @dev Checked in the fixed order deadline, nonce, signature (failures there leave the
    ///      nonce unused); then the nonce is consumed and the purchase runs in its own call,
    ///      checking product listed, not paused, sale not ended, stock, per-user limit, cash ≤
    ///      price, then paying. A failure there keeps the nonce consumed. With another
    ///      program's points the exchange's `voucherPay` moves the value as a swap would.
    /// @return done how many purchases completed or went pending.
    function purchaseBatch(
        VoucherLib.Purchase[] calldata purchases,
        bytes[] calldata signatures
    ) external returns (uint256 done);

    /// @notice Runs one purchase of a batch whose signature `purchaseBatch` verified;
    ///         callable only by this contract, so that a failure reverts that purchase alone.
    function executePurchase(
        VoucherLib.Purchase calldata purchase,
        bytes32 purchaseId,
        address relayer
    ) external;

    /// @notice Settles the cash part of a pending purchase on a provider's signed notice
    ///         (anyone may submit it; the relayer does).
    /// @dev Refused (reverts) when the purchase is not pending, the signer holds no
    ///      PROVIDER_ROLE, or the paymentId was used. Otherwise the paymentId is used and:
    ///      paid, amount == cashAmount and not after the cash deadline → the cash is minted
    ///      into the voucher merchant's settlement account, the points part paid at the values
    ///      of that moment and the voucher issued; else (or when the points part cannot be paid
    ///      now) the purchase is refunded.
    function settleCash(
        VoucherLib.CashNotice calldata notice,
        bytes calldata providerSignature
    ) external;

    /// @notice Completes a cash-settled purchase; callable only by this contract, so that a
    ///         failure (the points part unpayable) reverts it alone and `settleCash` refunds.
    function completeCash(
        bytes32 purchaseId,
        bytes32 paymentId,
        uint256 amount,
        address relayer
    ) external;

    /// @notice Refunds a pending purchase whose cash window has closed (anyone).
    function refundExpired(bytes32 purchaseId) external;

    /// @notice A two-step purchase's record (state 0 for unknown and one-step purchases).
    function purchase(bytes32 purchaseId) external view returns (PendingPurchase memory);

    /// @notice Whether a provider's `paymentId` was used.
    function isPaymentUsed(bytes32 paymentId) external view returns (bool);

    // ─── Vouchers ───────────────────────────────────────────────────────────────────────────

    /// @notice Moves a voucher on its holder's signed gift (anyone may submit it).
    function giftWithSig(VoucherLib.VoucherGift calldata gift, bytes calldata signature) external;

    /// @notice Redeems a voucher at the till on its holder's signed, short-lived consent
    ///         (RELAYER_ROLE or the voucher merchant's operator key); once, never after expiry.
    function redeem(VoucherLib.Redemption calldata redemption, bytes calldata signature) external;

    /// @notice Marks a voucher past its expiry as expired (anyone). With breakage 1 the holder
    ///         gets `floor(price / pointValue)` of the merchant's points (minted under the
    ///         expiry key a mint gets now); with 0 the merchant keeps the value.
    function expire(uint256 voucherId) external;

    /// @notice A voucher's product, holder, expiry and status (0 none 1 active 2 redeemed
    ///         3 expired).
    function voucher(
        uint256 voucherId
    ) external view returns (uint256 productId, address owner, uint256 expiresAt, uint8 status);

    /// @notice How many vouchers were issued (ids run 1..voucherCount).
    function voucherCount() external view returns (uint256);

    // ─── Nonces and digests ─────────────────────────────────────────────────────────────────

    /// @notice Whether `nonce` of `owner` (purchases and gifts share it) is used or cancelled.
    function isNonceUsed(address owner, uint256 nonce) external view returns (bool);

    /// @notice The bitmap word `word` of `owner`'s nonces.
    function nonceBitmap(address owner, uint256 word) external view returns (uint256);

    /// @notice Voids the caller's nonces set in `mask` of bitmap word `word`.
    function cancelNonces(uint256 word, uint256 mask) external;

    /// @notice The EIP-712 digest an owner signs for `p`: the purchase's `purchaseId`.
    function purchaseDigest(VoucherLib.Purchase calldata p) external view returns (bytes32);

    /// @notice The EIP-712 digest a provider signs for `notice`.
    function cashNoticeDigest(
        VoucherLib.CashNotice calldata notice
    ) external view returns (bytes32);

    /// @notice The EIP-712 digest a holder signs for `gift`.
    function giftDigest(VoucherLib.VoucherGift calldata gift) external view returns (bytes32);

    /// @notice The EIP-712 digest a holder signs for `redemption`.
    function redemptionDigest(
        VoucherLib.Redemption calldata redemption
    ) external view returns (bytes32);
}
