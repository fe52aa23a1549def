// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IPointsToken
/// @notice One merchant's loyalty points: whole points (`decimals() == 0`), issued by the
///         merchant's issuer keys up to a cap on outstanding points, redeemed (核销) by the
///         holder or by the merchant with the holder's signed consent, swapped only by the
///         exchange, gifted by signature (EIP-3009 style), with pause and frozen accounts.
/// @dev The cap bounds the total supply, which includes points users swapped in: it limits
///      the merchant's whole points liability, so swaps in can use up room for issuance.
interface IPointsToken is IERC20 {
    event Issued(address indexed to, uint256 amount, address indexed issuer);
    event Redeemed(address indexed holder, uint256 amount, address indexed by);
    event IssuanceCapChanged(uint256 cap);
    event IssuanceSuspended(bool suspended);
    event AccountFrozen(address indexed account, bool frozen);
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    error PointsTokenCapExceeded(uint256 supplyAfter, uint256 cap);
    error PointsTokenIssuanceSuspended();
    error PointsTokenAccountFrozen(address account);
    error PointsTokenOnlyExchange(address caller);
    error PointsTokenOnlyRegistry(address caller);
    error PointsTokenNotMerchantOrGovernance(address caller);
    error PointsTokenExpired(uint256 deadline);
    error PointsTokenNotYetValid(uint256 validAfter);
    error PointsTokenInvalidSigner(address signer, address expected);
    error PointsTokenAuthorizationUsed(address authorizer, bytes32 nonce);
    error PointsTokenZeroAmount();

    /// @notice Issues (发放) `amount` new points to `to` (ISSUER_ROLE), within the cap.
    function issue(address to, uint256 amount) external;

    /// @notice The caller redeems (核销) `amount` of its own points.
    function redeem(uint256 amount) external;

    /// @notice An issuer redeems a holder's points with the holder's signed `Redemption`
    ///         (EIP-712; the nonce is the holder's permit nonce).
    function redeemWithConsent(
        address holder,
        uint256 amount,
        uint256 deadline,
        bytes calldata signature
    ) external;

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
    function cancelAuthorization(address authorizer, bytes32 nonce, bytes calldata signature)
        external;

    /// @notice Whether an EIP-3009 authorization nonce is used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Burns points from a user for a swap (only the exchange).
    function exchangeBurn(address from, uint256 amount) external;

    /// @notice Mints points to a user for a swap (only the exchange).
    function exchangeMint(address to, uint256 amount) external;

    /// @notice Sets the cap on outstanding points that issuance may reach (only the registry).
    function setIssuanceCap(uint256 cap) external;

    /// @notice Moves the merchant's operator key: the old key loses MERCHANT_ROLE and its own
    ///         ISSUER_ROLE, the new key gets both (only the registry). Other issuer keys stay.
    function rotateMerchantAdmin(address oldAdmin, address newAdmin) external;

    /// @notice Stops or resumes issuance while the merchant is suspended (only the registry).
    function setIssuanceSuspended(bool suspended) external;

    /// @notice Freezes or unfreezes an account (the merchant or governance).
    function setFrozen(address account, bool frozen) external;

    function pause() external;

    function unpause() external;

    function issuanceCap() external view returns (uint256);

    function issuanceSuspended() external view returns (bool);

    function isFrozen(address account) external view returns (bool);

    function exchange() external view returns (address);

    function registry() external view returns (address);
}
