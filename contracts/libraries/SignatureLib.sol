// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title SignatureLib
/// @notice Recovers the signer of an EIP-712 digest without reverting.
/// @dev Callers compare the result with the expected signer and raise their own error that
///      carries both addresses; a malformed signature recovers address(0), which never matches
///      an owner because callers reject address(0) explicitly.
library SignatureLib {
    /// @notice The address that signed `digest`, or address(0) if `signature` is malformed.
    function signerOf(bytes32 digest, bytes calldata signature) internal pure returns (address) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError ? signer : address(0);
    }
}
