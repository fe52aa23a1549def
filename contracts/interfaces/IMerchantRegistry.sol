// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPointsTokenFactory} from "./IPointsTokenFactory.sol";

/// @title IMerchantRegistry
/// @notice One record per merchant. Admission (by governance) deploys the merchant's points
///         token (through the points token factory) and lists it on the exchange; suspension
///         stops its swaps and issuance.
interface IMerchantRegistry {
    enum Status {
        None,
        Active,
        Suspended
    }

    /// @notice What the registry stores of a merchant.
    struct Merchant {
        string name;
        address token;
        address admin;
        Status status;
        uint40 admittedAt;
    }

    /// @notice A merchant's record with the figures other contracts hold, for one read.
    struct MerchantView {
        uint256 id;
        string name;
        address token;
        address admin;
        Status status;
        uint40 admittedAt;
        uint256 issuanceCap;
        uint256 pointsOutstanding;
        uint256 pointValue;
        uint256 settlementBalance;
        uint256 feeCredit;
    }

    event MerchantAdmitted(
        uint256 indexed id,
        address indexed token,
        address indexed admin,
        string name,
        string symbol
    );
    event MerchantStatusChanged(uint256 indexed id, Status status);
    event MerchantAdminChanged(uint256 indexed id, address indexed admin);

    /// @notice No merchant has id `id`.
    error RegistryUnknownMerchant(uint256 id);
    /// @notice Merchant `id` is in `status`, which does not allow this (suspend an active one,
    ///         reinstate a suspended one).
    error RegistryInvalidStatus(uint256 id, Status status);
    /// @notice An address argument is the zero address.
    error RegistryZeroAddress();
    /// @notice A merchant's name or symbol is empty.
    error RegistryEmptyName();
    /// @notice The points token factory `factory` names `factoryRegistry` as its registry, not
    ///         this one: deploy a factory for this registry's address.
    error RegistryFactoryMismatch(address factory, address factoryRegistry);

    /// @notice Admits a merchant: deploys its points token and lists it on the exchange.
    function admitMerchant(
        string calldata name,
        string calldata symbol,
        address admin,
        uint256 issuanceCap,
        uint256 pointValue
    ) external returns (uint256 id, address token);

    /// @notice Suspends an active merchant: no swaps in or out, no issuance.
    function suspendMerchant(uint256 id) external;

    /// @notice Reinstates a suspended merchant.
    function reinstateMerchant(uint256 id) external;

    /// @notice Sets the merchant's cap on outstanding points.
    function setIssuanceCap(uint256 id, uint256 cap) external;

    /// @notice Hands the merchant's market to a new operator key.
    function setMerchantAdmin(uint256 id, address admin) external;

    /// @notice The merchant's stored record.
    function merchant(uint256 id) external view returns (Merchant memory);

    /// @notice The merchant's record joined with its token's and market's figures.
    function merchantView(uint256 id) external view returns (MerchantView memory);

    /// @notice The merchant id of a points token (0 if none).
    function merchantIdOf(address token) external view returns (uint256);

    /// @notice How many merchants were ever admitted; ids run from 1 to this.
    function merchantCount() external view returns (uint256);

    /// @notice The factory that deploys the merchants' points tokens (for this registry only).
    function factory() external view returns (IPointsTokenFactory);
}
