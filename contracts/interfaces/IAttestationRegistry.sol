// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IAttestationRegistry
/// @notice Auditors (AUDITOR_ROLE, granted by governance) post what they verified: the block
///         they replayed to, the history digest (a hash chain over every platform event up to
///         that block) and the hash of their report.
interface IAttestationRegistry {
    struct Attestation {
        address auditor;
        uint64 blockNumber;
        uint40 postedAt;
        bytes32 historyDigest;
        bytes32 reportHash;
    }

    event Attested(
        uint256 indexed id,
        address indexed auditor,
        uint256 indexed blockNumber,
        bytes32 historyDigest,
        bytes32 reportHash
    );

    error AttestationFutureBlock(uint256 blockNumber, uint256 currentBlock);
    error AttestationUnknown(uint256 id);

    /// @notice Posts an attestation of the history up to `blockNumber` (AUDITOR_ROLE).
    function attest(uint256 blockNumber, bytes32 historyDigest, bytes32 reportHash)
        external
        returns (uint256 id);

    function attestation(uint256 id) external view returns (Attestation memory);

    function attestationCount() external view returns (uint256);

    /// @notice The id of an auditor's latest attestation (0 if none).
    function latestOf(address auditor) external view returns (uint256);
}
