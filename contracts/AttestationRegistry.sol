// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAttestationRegistry} from "./interfaces/IAttestationRegistry.sol";

/// @title AttestationRegistry
/// @notice The on-chain record of audits: see IAttestationRegistry.
/// @dev DEFAULT_ADMIN_ROLE is the consortium governance, which grants AUDITOR_ROLE; the
///      genesis auditors receive it at deployment so a new consortium can attest at once.
contract AttestationRegistry is AccessControl, IAttestationRegistry {
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");

    Attestation[] private _attestations;
    mapping(address auditor => uint256 id) private _latest;

    /// @param governance the consortium governance (DEFAULT_ADMIN_ROLE)
    /// @param genesisAuditors accounts holding AUDITOR_ROLE from the start (may be empty)
    constructor(address governance, address[] memory genesisAuditors) {
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        for (uint256 i; i < genesisAuditors.length; ++i) {
            _grantRole(AUDITOR_ROLE, genesisAuditors[i]);
        }
    }

    /// @inheritdoc IAttestationRegistry
    function attest(
        uint256 blockNumber,
        bytes32 blockHash,
        bytes32 historyDigest,
        bytes32 reportHash
    ) external override onlyRole(AUDITOR_ROLE) returns (uint256 id) {
        if (blockNumber >= block.number) revert AttestationFutureBlock(blockNumber, block.number);
        bytes32 onChain = blockhash(blockNumber);
        if (blockHash == bytes32(0) || (onChain != bytes32(0) && onChain != blockHash)) {
            revert AttestationBlockHashMismatch(blockNumber, blockHash, onChain);
        }
        _attestations.push(
            Attestation(
                msg.sender,
                uint64(blockNumber),
                uint40(block.timestamp),
                blockHash,
                historyDigest,
                reportHash
            )
        );
        id = _attestations.length;
        uint256 previous = _latest[msg.sender];
        if (previous == 0 || blockNumber >= _attestations[previous - 1].blockNumber) {
            _latest[msg.sender] = id;
        }
        emit Attested(id, msg.sender, blockNumber, blockHash, historyDigest, reportHash);
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
