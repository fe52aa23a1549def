// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title IAttestationRegistry
/// @notice Auditors (AUDITOR_ROLE, granted by governance or at deployment) post what they
///         verified: the block they replayed to, named by number and hash (a number alone is
///         ambiguous across a reorg of a Clique chain), the history digest (a hash chain over
///         every platform event up to that block) and the hash of their report.
interface IAttestationRegistry {
    struct Attestation {
        address auditor;
        uint64 blockNumber;
        uint40 postedAt;
        bytes32 blockHash;
        bytes32 historyDigest;
        bytes32 reportHash;
    }

    event Attested(
        uint256 indexed id,
        address indexed auditor,
        uint256 indexed blockNumber,
        bytes32 blockHash,
        bytes32 historyDigest,
        bytes32 reportHash
    );

    /// @notice The attested block `blockNumber` is not yet mined (the chain is at `currentBlock`).
    error AttestationFutureBlock(uint256 blockNumber, uint256 currentBlock);
    /// @notice No attestation has id `id`.
    error AttestationUnknown(uint256 id);
    /// @notice The block hash given is not the hash of `blockNumber` on this chain (checked
    ///         against `blockhash` for the 256 most recent blocks; zero is never accepted).
    error AttestationBlockHashMismatch(uint256 blockNumber, bytes32 given, bytes32 onChain);

    /// @notice Posts an attestation of the history up to block `blockNumber` whose hash is
    ///         `blockHash` (AUDITOR_ROLE). For one of the last 256 blocks the contract checks
    ///         the hash; for older blocks it records it as given and verifiers check it
    ///         against their own node.
    function attest(
        uint256 blockNumber,
        bytes32 blockHash,
        bytes32 historyDigest,
        bytes32 reportHash
    ) external returns (uint256 id);

    function attestation(uint256 id) external view returns (Attestation memory);

    function attestationCount() external view returns (uint256);

    /// @notice The id of the auditor's attestation for the highest block it attested (0 if
    ///         none); of several for that block, the latest posted. Posting an attestation of
    ///         an older block afterwards does not replace it.
    function latestOf(address auditor) external view returns (uint256);
}
