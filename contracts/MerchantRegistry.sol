// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {IPointsExchange} from "./interfaces/IPointsExchange.sol";
import {IPointsTokenFactory} from "./interfaces/IPointsTokenFactory.sol";
import {PointsToken} from "./PointsToken.sol";

/// @title MerchantRegistry
/// @notice The consortium's list of merchants; admission deploys each one's points token
///         through the PointsTokenFactory.
/// @dev DEFAULT_ADMIN_ROLE is the consortium governance. The registry needs LISTER_ROLE on the
///      exchange. Settlement balances live in the exchange (where swaps move them); the
///      registry's `merchantView` joins them into one record. The tokens come from a factory
///      so that the registry does not embed PointsToken's creation code (EIP-170's limit); it
///      still calls the tokens through their type, which embeds no code.
contract MerchantRegistry is AccessControl, IMerchantRegistry {
    IPointsExchange public immutable exchange;
    address public immutable governance;
    /// @inheritdoc IMerchantRegistry
    IPointsTokenFactory public immutable override factory;

    Merchant[] private _merchants;
    mapping(address token => uint256 id) private _idOf;

    /// @param factory_ the points token factory, deployed before the registry and naming it
    constructor(address governance_, IPointsExchange exchange_, IPointsTokenFactory factory_) {
        if (
            governance_ == address(0) ||
            address(exchange_) == address(0) ||
            address(factory_) == address(0)
        ) {
            revert RegistryZeroAddress();
        }
        // A factory bound to another registry would make tokens this registry cannot manage.
        address bound = factory_.registry();
        if (bound != address(this)) revert RegistryFactoryMismatch(address(factory_), bound);
        governance = governance_;
        exchange = exchange_;
        factory = factory_;
        _grantRole(DEFAULT_ADMIN_ROLE, governance_);
    }

    /// @inheritdoc IMerchantRegistry
    function admitMerchant(
        string calldata name,
        string calldata symbol,
        address admin,
        uint256 issuanceCap,
        uint256 pointValue
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) returns (uint256 id, address token) {
        if (admin == address(0)) revert RegistryZeroAddress();
        if (bytes(name).length == 0 || bytes(symbol).length == 0) revert RegistryEmptyName();
        token = factory.createToken(
            name,
            symbol,
            governance,
            admin,
            address(exchange),
            issuanceCap
        );
        _merchants.push(Merchant(name, token, admin, Status.Active, uint40(block.timestamp)));
        id = _merchants.length;
        _idOf[token] = id;
        emit MerchantAdmitted(id, token, admin, name, symbol);
        exchange.listMarket(token, admin, pointValue);
    }

    /// @inheritdoc IMerchantRegistry
    function suspendMerchant(uint256 id) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        Merchant storage m = _merchant(id);
        if (m.status != Status.Active) revert RegistryInvalidStatus(id, m.status);
        m.status = Status.Suspended;
        emit MerchantStatusChanged(id, Status.Suspended);
        exchange.setMarketActive(m.token, false);
        PointsToken(m.token).setIssuanceSuspended(true);
    }

    /// @inheritdoc IMerchantRegistry
    function reinstateMerchant(uint256 id) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        Merchant storage m = _merchant(id);
        if (m.status != Status.Suspended) revert RegistryInvalidStatus(id, m.status);
        m.status = Status.Active;
        emit MerchantStatusChanged(id, Status.Active);
        exchange.setMarketActive(m.token, true);
        PointsToken(m.token).setIssuanceSuspended(false);
    }

    /// @inheritdoc IMerchantRegistry
    function setIssuanceCap(
        uint256 id,
        uint256 cap
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        PointsToken(_merchant(id).token).setIssuanceCap(cap);
    }

    /// @inheritdoc IMerchantRegistry
    function setMerchantAdmin(
        uint256 id,
        address admin
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (admin == address(0)) revert RegistryZeroAddress();
        Merchant storage m = _merchant(id);
        address oldAdmin = m.admin;
        m.admin = admin;
        emit MerchantAdminChanged(id, admin);
        exchange.setMarketAdmin(m.token, admin);
        PointsToken(m.token).rotateMerchantAdmin(oldAdmin, admin);
    }

    /// @inheritdoc IMerchantRegistry
    function merchant(uint256 id) external view override returns (Merchant memory) {
        return _merchant(id);
    }

    /// @inheritdoc IMerchantRegistry
    function merchantView(uint256 id) external view override returns (MerchantView memory v) {
        Merchant storage m = _merchant(id);
        PointsToken token = PointsToken(m.token);
        IPointsExchange.Market memory mk = exchange.market(m.token);
        v = MerchantView({
            id: id,
            name: m.name,
            token: m.token,
            admin: m.admin,
            status: m.status,
            admittedAt: m.admittedAt,
            issuanceCap: token.issuanceCap(),
            pointsOutstanding: token.totalSupply(),
            pointValue: mk.pointValue,
            settlementBalance: mk.settlementBalance,
            feeCredit: mk.feeCredit
        });
    }

    /// @inheritdoc IMerchantRegistry
    function merchantIdOf(address token) external view override returns (uint256) {
        return _idOf[token];
    }

    /// @inheritdoc IMerchantRegistry
    function merchantCount() external view override returns (uint256) {
        return _merchants.length;
    }

    function _merchant(uint256 id) private view returns (Merchant storage) {
        if (id == 0 || id > _merchants.length) revert RegistryUnknownMerchant(id);
        return _merchants[id - 1];
    }
}
