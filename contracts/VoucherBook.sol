// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IVoucherBook} from "./interfaces/IVoucherBook.sol";
import {IPointsExchange} from "./interfaces/IPointsExchange.sol";
import {ISettlementToken} from "./interfaces/ISettlementToken.sol";
import {VoucherLib} from "./libraries/VoucherLib.sol";
import {SignatureLib} from "./libraries/SignatureLib.sol";
import {Constants} from "./libraries/Constants.sol";

/// @dev The exchange's public fee configuration getter (not part of `IPointsExchange`).
interface IExchangeFees {
    function feeConfig()
        external
        view
        returns (uint16 feeBps, uint16, uint16, uint16, uint16, address platformPayee);
}

/// @title VoucherBook
/// @notice Merchants' vouchers sold for points of any program, optionally with cash (issue 16).
/// @dev A contract of its own: the exchange has too little EIP-170 headroom. It moves no value
///      itself: the exchange's voucher hooks (VOUCHER_ROLE) burn and mint points and move the
///      settlement value as a swap would; the cash part is minted as settlement units
///      (SETTLER_ROLE on the settlement token) and deposited into the voucher merchant's
///      settlement account, on a PROVIDER_ROLE holder's signed notice. See `IVoucherBook`.
contract VoucherBook is IVoucherBook, EIP712, AccessControl, ReentrancyGuard {
    bytes32 public constant RELAYER_ROLE = keccak256("RELAYER_ROLE");
    bytes32 public constant PROVIDER_ROLE = keccak256("PROVIDER_ROLE");
    /// @notice How long a points + cash purchase waits for its cash after the escrow.
    uint256 public constant CASH_WINDOW = 15 minutes;
    /// @notice The longest validity in days a product may give (a century): keeps every
    ///         expiry a 40-bit time.
    uint256 public constant MAX_VALID_DAYS = 36_500;

    uint8 private constant ACTIVE = 1;
    uint8 private constant REDEEMED = 2;
    uint8 private constant EXPIRED = 3;
    uint8 private constant PENDING = 1;
    uint8 private constant SETTLED = 2;
    uint8 private constant REFUNDED = 3;

    IPointsExchange public immutable exchange;
    ISettlementToken public immutable settlementToken;

    /// @dev A product's terms and its sale state (the state in a slot of its own).
    struct Product {
        ProductTerms terms;
        bool paused;
        uint32 sold;
    }

    uint256 private _productCount;
    uint256 private _voucherCount;
    mapping(uint256 productId => Product) private _products;
    mapping(uint256 productId => mapping(address owner => uint256)) private _purchased;
    mapping(uint256 voucherId => Voucher) private _vouchers;
    mapping(bytes32 purchaseId => PendingPurchase) private _pending;
    mapping(bytes32 paymentId => bool) private _paymentUsed;
    mapping(address owner => mapping(uint256 word => uint256)) private _nonceBitmap;

    /// @param admin first admin: the deployer grants the relayers and providers, then hands
    ///        over to governance
    /// @param exchange_ the PointsExchange (this contract needs its VOUCHER_ROLE)
    /// @param settlementToken_ the settlement token (this contract needs its SETTLER_ROLE)
    constructor(
        address admin,
        IPointsExchange exchange_,
        ISettlementToken settlementToken_
    ) EIP712("Tongdui VoucherBook", "1") {
        if (
            admin == address(0) ||
            address(exchange_) == address(0) ||
            address(settlementToken_) == address(0)
        ) revert VoucherZeroAddress();
        exchange = exchange_;
        settlementToken = settlementToken_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // Cash minted here is deposited into merchants' accounts: the exchange pulls it. The
        // maximum allowance is never spent down (ERC-20 as OpenZeppelin implements it).
        settlementToken_.approve(address(exchange_), type(uint256).max);
    }

    // ─── Products ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherBook
    function listProduct(
        ProductTerms calldata terms
    ) external override returns (uint256 productId) {
        _requireMerchantAdmin(terms.token);
        if (terms.price == 0) revert VoucherInvalidTerms("price");
        if ((terms.validUntil == 0) == (terms.validDays == 0)) {
            revert VoucherInvalidTerms("validity");
        }
        if (terms.validUntil != 0 && terms.validUntil <= block.timestamp) {
            revert VoucherInvalidTerms("validity");
        }
        if (terms.validDays > MAX_VALID_DAYS) revert VoucherInvalidTerms("validity");
        if (terms.breakage > 1) revert VoucherInvalidTerms("breakage");
        if (terms.saleEndsAt != 0 && terms.saleEndsAt <= block.timestamp) {
            revert VoucherInvalidTerms("saleEndsAt");
        }
        productId = ++_productCount;
        _products[productId].terms = terms;
        _emitListed(productId, terms);
    }

    /// @inheritdoc IVoucherBook
    function setProductPaused(uint256 productId, bool paused) external override {
        Product storage p = _merchantProduct(productId);
        p.paused = paused;
        emit ProductPaused(productId, paused);
    }

    /// @inheritdoc IVoucherBook
    function addStock(uint256 productId, uint32 amount) external override {
        Product storage p = _merchantProduct(productId);
        uint256 after_ = uint256(p.terms.stock) + amount;
        if (amount == 0 || after_ > type(uint32).max) revert VoucherInvalidStock(amount);
        p.terms.stock = uint32(after_);
        emit StockAdded(productId, amount, after_);
    }

    /// @inheritdoc IVoucherBook
    function product(
        uint256 productId
    ) external view override returns (ProductTerms memory terms, bool paused, uint32 sold) {
        Product storage p = _products[productId];
        return (p.terms, p.paused, p.sold);
    }

    /// @inheritdoc IVoucherBook
    function productCount() external view override returns (uint256) {
        return _productCount;
    }

    /// @inheritdoc IVoucherBook
    function purchasedBy(
        uint256 productId,
        address owner
    ) external view override returns (uint256) {
        return _purchased[productId][owner];
    }

    // ─── Purchases ──────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherBook
    function purchaseBatch(
        VoucherLib.Purchase[] calldata purchases,
        bytes[] calldata signatures
    ) external override onlyRole(RELAYER_ROLE) nonReentrant returns (uint256 done) {
        if (purchases.length != signatures.length) {
            revert VoucherLengthMismatch(purchases.length, signatures.length);
        }
        for (uint256 i; i < purchases.length; ++i) {
            VoucherLib.Purchase calldata p = purchases[i];
            bytes32 purchaseId = _hashTypedDataV4(VoucherLib.hash(p));
            bytes4 refusal = _admitSigned(p.owner, p.nonce, p.deadline, purchaseId, signatures[i]);
            if (refusal != bytes4(0)) {
                emit PurchaseRejected(purchaseId, p.owner, refusal, false);
                continue;
            }
            // As the exchange's `settle`: a failing purchase reverts inside its own call, its
            // effects vanish, the batch goes on, and its nonce (consumed above) stays used.
            try this.executePurchase(p, purchaseId, msg.sender) {
                ++done;
            } catch (bytes memory reason) {
                if (reason.length < 4) revert VoucherPurchaseFailedWithoutReason(i);
                emit PurchaseRejected(purchaseId, p.owner, bytes4(reason), true);
            }
        }
    }

    /// @inheritdoc IVoucherBook
    function executePurchase(
        VoucherLib.Purchase calldata p,
        bytes32 purchaseId,
        address relayer
    ) external override {
        if (msg.sender != address(this)) revert VoucherOnlySelf(msg.sender);
        Product storage prod = _products[p.productId];
        ProductTerms memory terms = prod.terms;
        if (terms.token == address(0)) revert VoucherUnknownProduct(p.productId);
        if (prod.paused) revert VoucherProductPaused(p.productId);
        if (terms.saleEndsAt != 0 && block.timestamp > terms.saleEndsAt) {
            revert VoucherSaleEnded(p.productId, terms.saleEndsAt);
        }
        if (terms.stock == 0) revert VoucherSoldOut(p.productId);
        uint256 bought = _purchased[p.productId][p.owner];
        if (terms.perUserLimit != 0 && bought >= terms.perUserLimit) {
            revert VoucherPerUserLimit(p.productId, p.owner, terms.perUserLimit);
        }
        if (p.cashAmount > terms.price) revert VoucherCashAbovePrice(p.cashAmount, terms.price);
        uint256 pointsPart = terms.price - p.cashAmount;
        if (pointsPart == 0 && p.pointsIn != 0) revert VoucherPointsNotNeeded(p.pointsIn);

        // Reserve the voucher: stock, sold and the owner's count (released on a refund).
        prod.terms.stock = terms.stock - 1;
        prod.sold += 1;
        _purchased[p.productId][p.owner] = bought + 1;

        if (pointsPart == 0 && !exchange.market(terms.token).active) {
            // Paid all in cash: no points hook checks the voucher merchant is not suspended.
            revert IPointsExchange.ExchangeMarketInactive(terms.token);
        }

        if (p.cashAmount == 0) {
            _payPoints(
                p.owner,
                terms.token,
                p.payToken,
                p.pointsIn,
                pointsPart,
                purchaseId,
                relayer,
                true
            );
            _completePurchase(purchaseId, p.productId, p.owner, p.payToken, p.pointsIn, 0, terms);
            return;
        }
        // Step 1 of points + cash: escrow the points (burned now, their earliest key kept),
        // once they are seen to cover the points part at today's values, so that a user does
        // not pay cash for a purchase bound to be refunded (the exchange checks again, and
        // finally, when the cash arrives).
        if (pointsPart != 0) _requirePointsValue(p.payToken, terms.token, p.pointsIn, pointsPart);
        uint16 key = p.pointsIn == 0 ? 0 : exchange.voucherBurn(p.payToken, p.owner, p.pointsIn);
        uint256 cashDeadline = block.timestamp + CASH_WINDOW;
        _pending[purchaseId] = PendingPurchase({
            owner: p.owner,
            cashDeadline: uint40(cashDeadline),
            earliestKey: key,
            state: PENDING,
            payToken: p.payToken,
            cashAmount: uint64(p.cashAmount),
            pointsIn: uint128(p.pointsIn),
            productId: uint64(p.productId)
        });
        emit PurchasePending(
            purchaseId,
            p.productId,
            p.owner,
            p.payToken,
            p.pointsIn,
            p.cashAmount,
            cashDeadline
        );
    }

    /// @inheritdoc IVoucherBook
    function settleCash(
        VoucherLib.CashNotice calldata notice,
        bytes calldata providerSignature
    ) external override nonReentrant {
        PendingPurchase storage pp = _pending[notice.purchaseId];
        if (pp.state != PENDING) revert VoucherPurchaseNotPending(notice.purchaseId);
        address signer = SignatureLib.signerOf(
            _hashTypedDataV4(VoucherLib.hash(notice)),
            providerSignature
        );
        if (signer == address(0) || !hasRole(PROVIDER_ROLE, signer)) {
            revert VoucherInvalidProvider(signer);
        }
        if (_paymentUsed[notice.paymentId]) revert VoucherPaymentUsed(notice.paymentId);
        _paymentUsed[notice.paymentId] = true;

        bytes4 refusal;
        if (!notice.paid) refusal = VoucherCashNotPaid.selector;
        else if (block.timestamp > pp.cashDeadline) refusal = VoucherCashLate.selector;
        else if (notice.amount != pp.cashAmount) refusal = VoucherCashAmountMismatch.selector;
        if (refusal != bytes4(0)) {
            _refund(notice.purchaseId, refusal);
            return;
        }
        address relayer = hasRole(RELAYER_ROLE, msg.sender) ? msg.sender : address(0);
        try this.completeCash(notice.purchaseId, notice.paymentId, notice.amount, relayer) {
            // settled
        } catch (bytes memory reason) {
            // The points part cannot be paid now (values moved, cover, limit, a market
            // suspended): nothing of the settlement happened; give the points back.
            _refund(notice.purchaseId, reason.length < 4 ? bytes4(0) : bytes4(reason));
        }
    }

    /// @inheritdoc IVoucherBook
    function completeCash(
        bytes32 purchaseId,
        bytes32 paymentId,
        uint256 amount,
        address relayer
    ) external override {
        if (msg.sender != address(this)) revert VoucherOnlySelf(msg.sender);
        PendingPurchase storage pp = _pending[purchaseId];
        pp.state = SETTLED;
        PendingPurchase memory m = pp;
        ProductTerms memory terms = _products[m.productId].terms;
        settlementToken.mint(address(this), amount, paymentId);
        exchange.deposit(terms.token, amount);
        emit CashSettled(purchaseId, paymentId, amount);
        _payPoints(
            m.owner,
            terms.token,
            m.payToken,
            m.pointsIn,
            terms.price - amount,
            purchaseId,
            relayer,
            false
        );
        _completePurchase(purchaseId, m.productId, m.owner, m.payToken, m.pointsIn, amount, terms);
    }

    /// @inheritdoc IVoucherBook
    function refundExpired(bytes32 purchaseId) external override nonReentrant {
        PendingPurchase storage pp = _pending[purchaseId];
        if (pp.state != PENDING) revert VoucherPurchaseNotPending(purchaseId);
        if (block.timestamp <= pp.cashDeadline) revert VoucherCashWindowOpen(pp.cashDeadline);
        _refund(purchaseId, VoucherCashLate.selector);
    }

    /// @inheritdoc IVoucherBook
    function purchase(bytes32 purchaseId) external view override returns (PendingPurchase memory) {
        return _pending[purchaseId];
    }

    /// @inheritdoc IVoucherBook
    function isPaymentUsed(bytes32 paymentId) external view override returns (bool) {
        return _paymentUsed[paymentId];
    }

    // ─── Vouchers ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherBook
    function giftWithSig(
        VoucherLib.VoucherGift calldata gift,
        bytes calldata signature
    ) external override {
        if (gift.to == address(0)) revert VoucherZeroAddress();
        if (block.timestamp > gift.deadline) revert VoucherRequestExpired(gift.deadline);
        _consumeNonce(gift.from, gift.nonce);
        _requireSigner(_hashTypedDataV4(VoucherLib.hash(gift)), signature, gift.from);
        Voucher storage v = _usableVoucher(gift.voucherId, gift.from);
        v.owner = gift.to;
        emit VoucherGifted(gift.voucherId, gift.from, gift.to);
    }

    /// @inheritdoc IVoucherBook
    function redeem(
        VoucherLib.Redemption calldata redemption,
        bytes calldata signature
    ) external override {
        if (block.timestamp > redemption.deadline) {
            revert VoucherRequestExpired(redemption.deadline);
        }
        Voucher storage v = _usableVoucher(redemption.voucherId, redemption.holder);
        if (!hasRole(RELAYER_ROLE, msg.sender)) {
            address token = _products[v.productId].terms.token;
            if (exchange.market(token).admin != msg.sender) revert VoucherNotRedeemer(msg.sender);
        }
        _requireSigner(_hashTypedDataV4(VoucherLib.hash(redemption)), signature, redemption.holder);
        v.status = REDEEMED;
        emit VoucherRedeemed(redemption.voucherId, redemption.holder, msg.sender);
    }

    /// @inheritdoc IVoucherBook
    function expire(uint256 voucherId) external override nonReentrant {
        Voucher storage v = _vouchers[voucherId];
        if (v.status != ACTIVE) revert VoucherNotActive(voucherId);
        if (block.timestamp <= v.expiresAt) revert VoucherNotExpired(voucherId, v.expiresAt);
        v.status = EXPIRED;
        ProductTerms storage terms = _products[v.productId].terms;
        uint256 price = terms.price;
        uint256 refunded;
        if (terms.breakage == 1) {
            address token = terms.token;
            uint256 value = exchange.market(token).pointValue;
            refunded = price / value;
            if (refunded != 0) exchange.voucherMint(token, v.owner, refunded, 0);
            price -= refunded * value;
        }
        emit VoucherExpired(voucherId, v.owner, price, refunded);
    }

    /// @inheritdoc IVoucherBook
    function voucher(
        uint256 voucherId
    )
        external
        view
        override
        returns (uint256 productId, address owner, uint256 expiresAt, uint8 status)
    {
        Voucher storage v = _vouchers[voucherId];
        return (v.productId, v.owner, v.expiresAt, v.status);
    }

    /// @inheritdoc IVoucherBook
    function voucherCount() external view override returns (uint256) {
        return _voucherCount;
    }

    // ─── Nonces and digests ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IVoucherBook
    function isNonceUsed(address owner, uint256 nonce) external view override returns (bool) {
        return _nonceBitmap[owner][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc IVoucherBook
    function nonceBitmap(address owner, uint256 word) external view override returns (uint256) {
        return _nonceBitmap[owner][word];
    }

    /// @inheritdoc IVoucherBook
    function cancelNonces(uint256 word, uint256 mask) external override {
        _nonceBitmap[msg.sender][word] |= mask;
        emit VoucherNoncesCancelled(msg.sender, word, mask);
    }

    /// @inheritdoc IVoucherBook
    function purchaseDigest(
        VoucherLib.Purchase calldata p
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(VoucherLib.hash(p));
    }

    /// @inheritdoc IVoucherBook
    function cashNoticeDigest(
        VoucherLib.CashNotice calldata notice
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(VoucherLib.hash(notice));
    }

    /// @inheritdoc IVoucherBook
    function giftDigest(
        VoucherLib.VoucherGift calldata gift
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(VoucherLib.hash(gift));
    }

    /// @inheritdoc IVoucherBook
    function redemptionDigest(
        VoucherLib.Redemption calldata redemption
    ) external view override returns (bytes32) {
        return _hashTypedDataV4(VoucherLib.hash(redemption));
    }

    // ─── Internals ──────────────────────────────────────────────────────────────────────────

    /// @dev A batch purchase's checks in the fixed order (deadline, nonce, signer), returning
    ///      the failed check's selector instead of reverting; when all pass the nonce is
    ///      consumed and the zero selector returned (as the exchange's `_admitSigned`).
    function _admitSigned(
        address owner,
        uint256 nonce,
        uint256 deadline,
        bytes32 digest,
        bytes calldata signature
    ) private returns (bytes4) {
        if (block.timestamp > deadline) return VoucherRequestExpired.selector;
        uint256 bit = 1 << (nonce & 0xff);
        mapping(uint256 => uint256) storage words = _nonceBitmap[owner];
        uint256 word = words[nonce >> 8];
        if (word & bit != 0) return VoucherNonceUsed.selector;
        address signer = SignatureLib.signerOf(digest, signature);
        if (signer == address(0) || signer != owner) return VoucherInvalidSigner.selector;
        words[nonce >> 8] = word | bit;
        return bytes4(0);
    }

    function _consumeNonce(address owner, uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        mapping(uint256 => uint256) storage words = _nonceBitmap[owner];
        uint256 word = words[nonce >> 8];
        if (word & bit != 0) revert VoucherNonceUsed(owner, nonce);
        words[nonce >> 8] = word | bit;
    }

    function _requireSigner(
        bytes32 digest,
        bytes calldata signature,
        address expected
    ) private pure {
        address signer = SignatureLib.signerOf(digest, signature);
        if (signer == address(0) || signer != expected) {
            revert VoucherInvalidSigner(signer, expected);
        }
    }

    /// @dev Pays the points part: the voucher merchant's own points are burned against their
    ///      value (no fee, no settlement move); another program's go through the exchange's
    ///      `voucherPay`, which moves the value as a swap. `burn` false: already escrowed.
    function _payPoints(
        address owner,
        address productToken,
        address payToken,
        uint256 pointsIn,
        uint256 pointsPart,
        bytes32 purchaseId,
        address relayer,
        bool burn
    ) private {
        if (pointsPart == 0) return; // the cash paid it all (and no points were offered)
        if (payToken == productToken) {
            _requirePointsValue(payToken, productToken, pointsIn, pointsPart);
            if (burn) exchange.voucherBurn(payToken, owner, pointsIn);
        } else {
            exchange.voucherPay(
                purchaseId,
                owner,
                payToken,
                pointsIn,
                productToken,
                pointsPart,
                relayer,
                burn
            );
        }
    }

    /// @dev The points must be worth the points part at their program's value now, its market
    ///      active: the voucher merchant's own at face value (no fee), another program's net of
    ///      the swap fee, rounded up as `SwapMath` rounds it.
    function _requirePointsValue(
        address payToken,
        address productToken,
        uint256 pointsIn,
        uint256 pointsPart
    ) private view {
        IPointsExchange.Market memory m = exchange.market(payToken);
        if (!m.active) revert IPointsExchange.ExchangeMarketInactive(payToken);
        uint256 value = pointsIn * m.pointValue;
        if (payToken != productToken) {
            (uint16 feeBps, , , , , ) = IExchangeFees(address(exchange)).feeConfig();
            value -= (value * feeBps + Constants.BPS - 1) / Constants.BPS;
        }
        if (value < pointsPart) revert VoucherInsufficientPoints(value, pointsPart);
    }

    /// @dev Issues the voucher of a paid purchase and emits `Purchased` then `VoucherIssued`.
    function _completePurchase(
        bytes32 purchaseId,
        uint256 productId,
        address owner,
        address payToken,
        uint256 pointsIn,
        uint256 cashAmount,
        ProductTerms memory terms
    ) private {
        uint256 voucherId = ++_voucherCount;
        uint256 expiresAt =
            terms.validUntil != 0
                ? terms.validUntil
                : block.timestamp + uint256(terms.validDays) * 1 days;
        _vouchers[voucherId] = Voucher({
            productId: uint48(productId),
            owner: owner,
            expiresAt: uint40(expiresAt),
            status: ACTIVE
        });
        emit Purchased(purchaseId, productId, owner, payToken, pointsIn, cashAmount, voucherId);
        emit VoucherIssued(voucherId, productId, owner, purchaseId, expiresAt);
    }

    /// @dev Gives a pending purchase's points back under their earliest key and releases its
    ///      reserved stock and count.
    function _refund(bytes32 purchaseId, bytes4 reason) private {
        PendingPurchase storage pp = _pending[purchaseId];
        pp.state = REFUNDED;
        PendingPurchase memory m = pp;
        Product storage prod = _products[m.productId];
        prod.terms.stock += 1;
        prod.sold -= 1;
        _purchased[m.productId][m.owner] -= 1;
        if (m.pointsIn != 0) {
            exchange.voucherMint(m.payToken, m.owner, m.pointsIn, m.earliestKey);
        }
        emit PurchaseRefunded(purchaseId, reason);
    }

    /// @dev The voucher, active, held by `holder` and not past its expiry.
    function _usableVoucher(
        uint256 voucherId,
        address holder
    ) private view returns (Voucher storage v) {
        v = _vouchers[voucherId];
        if (v.status != ACTIVE) revert VoucherNotActive(voucherId);
        if (v.owner != holder) revert VoucherNotHolder(voucherId, v.owner);
        if (block.timestamp > v.expiresAt) revert VoucherHasExpired(voucherId, v.expiresAt);
    }

    function _requireMerchantAdmin(address token) private view {
        if (token == address(0)) revert VoucherZeroAddress();
        if (exchange.market(token).admin != msg.sender) {
            revert VoucherNotMerchantAdmin(token, msg.sender);
        }
    }

    function _merchantProduct(uint256 productId) private view returns (Product storage p) {
        p = _products[productId];
        if (p.terms.token == address(0)) revert VoucherUnknownProduct(productId);
        _requireMerchantAdmin(p.terms.token);
    }

    /// @dev Its own frame: eleven event fields do not fit on the stack beside the caller's.
    function _emitListed(uint256 productId, ProductTerms calldata t) private {
        emit ProductListed(
            productId,
            t.token,
            t.price,
            t.faceValue,
            t.stock,
            t.perUserLimit,
            t.saleEndsAt,
            t.validUntil,
            t.validDays,
            t.breakage,
            t.termsHash
        );
    }
}
