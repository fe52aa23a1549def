// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IPointsToken
/// @notice One merchant's loyalty points: whole points (`decimals() == 0`), issued by the
///         merchant's issuer keys up to a cap on outstanding points, redeemed (核销) by the
///         holder or by the merchant with the holder's signed consent, swapped only by the
///         exchange, gifted by signature (EIP-3009 style), with pause and frozen accounts.
/// @dev The cap bounds the merchant's liability: the total supply, whichever way points come
///      into being. Every mint checks it (`issue` and the exchange's `exchangeMint` alike), so
///      a swap in that would take the supply past the cap reverts with
///      `PointsTokenCapExceeded` (in a relayed batch: `OrderRejected` with that reason).
///      Why liability and not issuance: the points a merchant must honour in its shops are
///      its whole supply, and governance sets the cap as a risk limit on that promise; an
///      issuance-only cap would let swaps in grow it without bound. Swaps in therefore share
///      the room with issuance. That is not a free block of the merchant's issuance: every
///      point swapped in is paid for, in the same transaction, with its value in settlement
///      units credited to this merchant's settlement account, so filling the room costs the
///      filler the room's full value plus the fee, and it leaves the merchant fully covered
///      for those points (it can swap them out, or ask governance for a larger cap).
///
///      Freezes have two authorities, each with its own flag: the merchant's operator key
///      (`setFrozen`) and governance (`setFrozenByGovernance`). Each sets and clears only its
///      own flag; an account is frozen while either is set, so a merchant key can neither lift
///      a consortium freeze nor re-freeze a holder governance released.
///
///      Issuer keys belong to an issuer epoch: rotating the merchant's operator key (or
///      governance's `revokeAllIssuers`) starts a new, empty epoch, which revokes every issuer
///      at once, including any planted by a stolen operator key, in constant gas.
///
///      Expiry (issue 16): a holder's points are kept in buckets by expiry key, a month index
///      `(year - 1970) * 12 + (month - 1)` (UTC); points of key `k` are spendable while the
///      current month is <= k and expire at 00:00 UTC on the first day of month `k + 1`; key
///      0xFFFF never expires (the default rule). Every debit (transfer, swap, redeem, gift,
///      HTLC lock) takes the earliest unexpired key first; a transfer credits the receiver
///      with the keys it took; a mint (issue, swap in) credits the key the merchant's rule
///      gives now (`currentKey`). `balanceOf` counts unexpired points only; expired ones wait
///      in `expiredBalanceOf` until swept (`sweepExpired`, or the holder's next debit), which
///      burns them (`PointsExpired` and `Transfer(holder, 0, amount)`). `totalSupply` includes
///      expired points not yet swept: totalSupply == sum(balanceOf) + sum(expiredBalanceOf).
///      The calendar math is contracts/libraries/ExpiryMath.sol.
interface IPointsToken is IERC20 {
    /// @notice Who set a freeze flag.
    enum FreezeAuthority {
        Merchant,
        Governance
    }

    event Issued(address indexed to, uint256 amount, address indexed issuer);
    event Redeemed(address indexed holder, uint256 amount, address indexed by);
    event IssuanceCapChanged(uint256 cap);
    event IssuanceSuspended(bool suspended);
    /// @notice `authority`'s flag on `account` is now `frozen`; the account is frozen while
    ///         either authority's flag is set.
    event AccountFrozen(address indexed account, FreezeAuthority indexed authority, bool frozen);
    /// @notice Every issuer key is revoked: issuer epoch `epoch` begins with no issuers.
    event IssuersRevoked(uint256 epoch);
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);
    /// @notice New points get keys under this rule from now on (0 months: never expire).
    event ExpiryRuleChanged(uint256 validityMonths, uint256 roundingMonths);
    /// @notice `amount` points of `holder` with expiry `key` expired and were burned (with
    ///         the ERC-20 `Transfer(holder, address(0), amount)`).
    event PointsExpired(address indexed holder, uint256 indexed key, uint256 amount);

    /// @notice A mint (issue or swap in) would take the supply past the cap.
    error PointsTokenCapExceeded(uint256 supplyAfter, uint256 cap);
    /// @notice The merchant is suspended: no points may be issued.
    error PointsTokenIssuanceSuspended();
    /// @notice `account` is frozen by its merchant or by governance.
    error PointsTokenAccountFrozen(address account);
    /// @notice Only the exchange may call this, not `caller`.
    error PointsTokenOnlyExchange(address caller);
    /// @notice Only the merchant registry may call this, not `caller`.
    error PointsTokenOnlyRegistry(address caller);
    /// @notice Only the merchant's operator key or governance may do this, not `caller`.
    error PointsTokenNotMerchantOrGovernance(address caller);
    /// @notice `account` is not an issuer key of the current issuer epoch.
    error PointsTokenNotIssuer(address account);
    /// @notice The signed request's `deadline` (or `validBefore`) has passed.
    error PointsTokenExpired(uint256 deadline);
    /// @notice The authorization is valid only after `validAfter`.
    error PointsTokenNotYetValid(uint256 validAfter);
    /// @notice The signature recovers to `signer`, not `expected`.
    error PointsTokenInvalidSigner(address signer, address expected);
    /// @notice `authorizer`'s EIP-3009 `nonce` was already used or cancelled.
    error PointsTokenAuthorizationUsed(address authorizer, bytes32 nonce);
    /// @notice The amount is zero.
    error PointsTokenZeroAmount();
    /// @notice Caps are limited to 2^104 - 1 points (the bucket amounts' width).
    error PointsTokenCapTooLarge(uint256 cap, uint256 maxCap);
    /// @notice Validity must be at most 1200 months and rounding 1, 3, 6 or 12 months
    ///         (validity 0, never expires, also takes rounding 0).
    error PointsTokenInvalidExpiryRule(uint256 validityMonths, uint256 roundingMonths);
    /// @notice Key 0 is the empty sentinel and never a real expiry key.
    error PointsTokenInvalidExpiryKey(uint16 key);

    /// @notice Issues (发放) `amount` new points to `to` (ISSUER_ROLE), within the cap.
    function issue(address to, uint256 amount) external;

    /// @notice The caller redeems (核销) `amount` of its own points.
    function redeem(uint256 amount) external;

    /// @notice An issuer redeems a holder's points with the holder's signed `Redemption`
    ///         (EIP-712). The nonce is the holder's consent nonce (`consentNonce`), apart from
    ///         the permit nonce, so a permit submitted first cannot void a pending consent.
    function redeemWithConsent(
        address holder,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The nonce the holder's next `Redemption` consent must carry.
    function consentNonce(address holder) external view returns (uint256);

    /// @notice Moves points by the holder's signed `TransferWithAuthorization` (EIP-3009),
    ///         so that a relayer can gift points for a user who holds no gas.
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice The holder voids an unused authorization nonce.
    function cancelAuthorization(
        address authorizer,
        bytes32 nonce,
        bytes calldata signature
    ) external;

    /// @notice Whether an EIP-3009 authorization nonce is used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Burns points from a user for a swap or a voucher payment (only the exchange).
    /// @return earliestKey the expiry key of the earliest points the burn consumed (issue 16;
    ///         0xFFFF for points that never expire; 0 when `amount` is 0), so an escrow refund
    ///         can restore it. Expired buckets met at the head are swept first.
    function exchangeBurn(address from, uint256 amount) external returns (uint16 earliestKey);

    /// @notice Mints points into the expiry bucket `key` (only the exchange), within the cap:
    ///         a refund of escrowed points keeps their expiry instead of refreshing it. A key
    ///         already expired is allowed (the points arrive expired); key 0 is refused.
    function exchangeMintWithKey(address to, uint256 amount, uint16 key) external;

    /// @notice Mints points to a user for a swap (only the exchange), within the cap: the
    ///         points swapped in are part of the merchant's liability like issued ones.
    function exchangeMint(address to, uint256 amount) external;

    /// @notice Sets the cap on the total supply (only the registry). A cap below the current
    ///         supply is allowed: it stops every mint until the supply falls under it.
    function setIssuanceCap(uint256 cap) external;

    /// @notice Moves the merchant's operator key (only the registry): the old key loses
    ///         MERCHANT_ROLE, every issuer key is revoked (a new issuer epoch), and the new
    ///         key gets MERCHANT_ROLE and is the new epoch's first issuer.
    function rotateMerchantAdmin(address oldAdmin, address newAdmin) external;

    /// @notice Revokes one issuer key (the merchant or governance).
    function revokeIssuer(address issuer) external;

    /// @notice Revokes every issuer key at once by starting a new issuer epoch (governance).
    function revokeAllIssuers() external;

    /// @notice The issuer keys of the current epoch, in no particular order.
    function issuers() external view returns (address[] memory);

    /// @notice The current issuer epoch; it grows by one each time all issuers are revoked.
    function issuerEpoch() external view returns (uint256);

    /// @notice Stops or resumes issuance while the merchant is suspended (only the registry).
    function setIssuanceSuspended(bool suspended) external;

    /// @notice Sets or clears the merchant's freeze flag on `account` (MERCHANT_ROLE).
    function setFrozen(address account, bool frozen) external;

    /// @notice Sets or clears governance's freeze flag on `account` (governance).
    function setFrozenByGovernance(address account, bool frozen) external;

    function pause() external;

    function unpause() external;

    /// @notice The cap on the total supply (the merchant's liability).
    function issuanceCap() external view returns (uint256);

    function issuanceSuspended() external view returns (bool);

    /// @notice Whether `account` is frozen, by either authority.
    function isFrozen(address account) external view returns (bool);

    /// @notice Each authority's freeze flag on `account`.
    function freezeOf(address account) external view returns (bool byMerchant, bool byGovernance);

    function exchange() external view returns (address);

    // ─── Expiry (issue 16) ──────────────────────────────────────────────────────────────────

    /// @notice Sets the rule new points get (MERCHANT_ROLE): they expire at the end of the
    ///         `roundingMonths`-month period (aligned to January: 1 month, quarter, half, year)
    ///         that holds the month `validityMonths` months from the mint's; 0 months: never.
    ///         Points already held keep their keys.
    function setExpiryRule(uint16 validityMonths, uint8 roundingMonths) external;

    /// @notice The current rule; (0, 0) by default: points never expire.
    function expiryRule() external view returns (uint16 validityMonths, uint8 roundingMonths);

    /// @notice The key points minted now get: ceilToPeriodEnd(monthNow + validity, rounding)
    ///         with ceilToPeriodEnd(x, r) = (x / r) * r + r - 1, or 0xFFFF when never.
    function currentKey() external view returns (uint16);

    /// @notice When points of `key` expire: 00:00 UTC on the first day of month `key + 1`
    ///         (type(uint256).max for 0xFFFF).
    function expiryOf(uint16 key) external pure returns (uint256 timestamp);

    /// @notice Burns `holder`'s expired buckets (anyone may call; not while paused or while
    ///         the holder is frozen). Returns the points burned.
    function sweepExpired(address holder) external returns (uint256 swept);

    /// @notice Expired points of `account` not yet swept (still in the total supply).
    function expiredBalanceOf(address account) external view returns (uint256);

    /// @notice `holder`'s buckets, earliest key first, expired ones included.
    function bucketsOf(
        address holder
    ) external view returns (uint16[] memory keys, uint256[] memory amounts);

    function registry() external view returns (address);
}
