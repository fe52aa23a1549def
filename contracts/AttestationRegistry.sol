// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAttestationRegistry} from "./interfaces/IAttestationRegistry.sol";

/// @title AttestationRegistry
/// @notice The on-chain record of audits: see IAttestationRegistry.
/// @dev DEFAULT_ADMIN_ROLE is the consortium governance, which grants AUDITOR_ROLE.
contract AttestationRegistry is AccessControl, IAttestationRegistry {
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");

    Attestation[] private _attestations;
    mapping(address auditor => uint256 id) private _latest;

    constructor(address governance) {
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
    }

    /// @inheritdoc IAttestationRegistry
    function attest(uint256 blockNumber, bytes32 historyDigest, bytes32 reportHash)
        external
        override
        onlyRole(AUDITOR_ROLE)
        returns (uint256 id)
    {
        if (blockNumber >= block.number) revert AttestationFutureBlock(blockNumber, block.number);
        _attestations.push(
            Attestation(
                msg.sender, uint64(blockNumber), uint40(block.timestamp), historyDigest, reportHash
            )
        );
        id = _attestations.length;
        _latest[msg.sender] = id;
        emit Attested(id, msg.sender, blockNumber, historyDigest, reportHash);
    }

    /// @inheritdoc IAttestationRegistry
    function attestation(uint256 id) external view override returns (Attestation memory) {
        if (id == 0 || id > _attestations.length) revert AttestationUnknown(id);
        return _attestations[id - 1];
    }

    /// @inheritdoc IAttestationRegistry
    function attestationCount() external view override returns (uint256) {
        return _attestations.length;
    }

    /// @inheritdoc IAttestationRegistry
    function latestOf(address auditor) external view override returns (uint256) {
        return _latest[auditor];
    }
}
