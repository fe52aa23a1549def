"""Which signatures intake takes: exactly those the contracts' ``ECDSA.tryRecover`` takes.

Why one rule set, applied before anything is stored: intake used to accept any signature
``eth_account`` could recover, which is more than OpenZeppelin's ``ECDSA`` accepts (it refuses
``v`` other than 27/28 and the high-``s`` twin of every signature). A stranger could take a
user's signed order, shift its ``v`` or flip its ``s`` (same digest, same recovered owner),
post that copy first, and the real order answered ``200 received`` as the stored copy while
the copy was rejected on chain (``INVALID_SIGNER``, nonce unused): a valid order killed.

So every signed request (orders, gifts, cancellations, redemption consents) goes through
:func:`canonical_signature`: ``v`` of 0/1 (what hardware, MPC and raw-ECDSA signers emit) is
normalised to 27/28, which changes neither the signer nor the digest; any other ``v``, a high
``s``, and ``r``/``s`` out of range are refused with ``INVALID_SIGNATURE``. What is stored and
relayed is then always a signature the contract accepts.
"""

from __future__ import annotations

from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError

# secp256k1's group order; OpenZeppelin refuses s > n/2 (EIP-2 malleability).
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = SECP256K1_N // 2
SIGNATURE_LENGTH = 65


def _invalid(problem: str, message: str) -> ValidationError:
    return ValidationError(message, code=ErrorCode.INVALID_SIGNATURE, problem=problem)


def canonical_signature(signature: str | bytes) -> bytes:
    """The 65-byte r‖s‖v signature the contract accepts, or ``INVALID_SIGNATURE`` (400).

    ``signature`` is 0x-hex (as the API takes it) or raw bytes."""
    if isinstance(signature, str):
        text = signature[2:] if signature[:2] in ("0x", "0X") else signature
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise _invalid("hex", "The signature is not hexadecimal; send it as 0x…") from None
    else:
        raw = bytes(signature)
    if len(raw) != SIGNATURE_LENGTH:
        raise _invalid(
            "length",
            f"The signature has {len(raw)} bytes; a wallet's signature has 65 (r, s, v).",
        )
    r = int.from_bytes(raw[:32], "big")
    s = int.from_bytes(raw[32:64], "big")
    v = raw[64]
    if v in (0, 1):
        v += 27
    if v not in (27, 28):
        raise _invalid(
            "v",
            f"The signature's v is {raw[64]}; only 27 or 28 (or 0 or 1) are valid. "
            "Sign again with eth_signTypedData_v4.",
        )
    if not 0 < r < SECP256K1_N or not 0 < s < SECP256K1_N:
        raise _invalid("range", "The signature's r or s is out of range; sign again.")
    if s > HALF_N:
        raise _invalid(
            "high_s",
            "The signature uses the high-s form, which the contract refuses (EIP-2); "
            "sign again with a standard wallet (it emits the low-s form).",
        )
    return raw[:64] + bytes([v])


def canonical_hex(signature: str | bytes) -> str:
    """:func:`canonical_signature` as lower-case 0x-hex, the form intake stores."""
    return "0x" + canonical_signature(signature).hex()
