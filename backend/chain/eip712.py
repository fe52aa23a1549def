"""EIP-712 types of Tongdui's signed requests, defined once on the Python side.

Five types are signed: ``SwapOrder``, ``CancelNonces`` and ``IncrementCounter`` under the
exchange's domain; ``Redemption`` (the holder's consent, with its consent nonce) and EIP-3009's
``TransferWithAuthorization`` (a gift) under each points token's own domain. Every other module,
the API (``GET /orders/domain``, which the pages sign from) and the tests take the field lists
from here. The Solidity twin is ``contracts/libraries/Typehashes.sol``;
``tests/contracts/test_eip712.py`` proves both sides hash alike. Digests are
computed by hand with ``eth_abi`` (the order's words laid out without it, the hottest path),
not through ``eth_account.messages``, because the relayer hashes every incoming order and the
generic encoder is several times slower; the generic
encoder still serves as the cross-check in the tests and for wallets
(:func:`swap_order_typed_data` is what ``eth_signTypedData_v4`` receives).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from coincurve import PublicKey
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak, to_checksum_address

from .signature_rules import SECP256K1_N

EXCHANGE_DOMAIN_NAME = "Tongdui PointsExchange"
EXCHANGE_DOMAIN_VERSION = "1"

DOMAIN_FIELDS: list[dict[str, str]] = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
SWAP_ORDER_FIELDS: list[dict[str, str]] = [
    {"name": "owner", "type": "address"},
    {"name": "fromToken", "type": "address"},
    {"name": "toToken", "type": "address"},
    {"name": "amountIn", "type": "uint256"},
    {"name": "minAmountOut", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
    {"name": "counter", "type": "uint256"},
]
CANCEL_NONCES_FIELDS: list[dict[str, str]] = [
    {"name": "owner", "type": "address"},
    {"name": "word", "type": "uint256"},
    {"name": "mask", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
INCREMENT_COUNTER_FIELDS: list[dict[str, str]] = [
    {"name": "owner", "type": "address"},
    {"name": "counter", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

# A holder's consent to a redemption. ``nonce`` is the holder's consent nonce
# (``PointsToken.consentNonce``), not its permit nonce: a permit cannot void a pending consent.
REDEMPTION_FIELDS: list[dict[str, str]] = [
    {"name": "holder", "type": "address"},
    {"name": "amount", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
# EIP-3009: a gift of points, signed by the giver (``from``) under the token's domain.
TRANSFER_WITH_AUTHORIZATION_FIELDS: list[dict[str, str]] = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "validAfter", "type": "uint256"},
    {"name": "validBefore", "type": "uint256"},
    {"name": "nonce", "type": "bytes32"},
]
# EIP-3009: the giver voids an unused authorization nonce (the token verifies it; the backend
# relays no such request).
CANCEL_AUTHORIZATION_FIELDS: list[dict[str, str]] = [
    {"name": "authorizer", "type": "address"},
    {"name": "nonce", "type": "bytes32"},
]

# Every type a platform contract verifies a signature over, by its EIP-712 name.
SIGNED_TYPES: dict[str, list[dict[str, str]]] = {
    "SwapOrder": SWAP_ORDER_FIELDS,
    "CancelNonces": CANCEL_NONCES_FIELDS,
    "IncrementCounter": INCREMENT_COUNTER_FIELDS,
    "Redemption": REDEMPTION_FIELDS,
    "TransferWithAuthorization": TRANSFER_WITH_AUTHORIZATION_FIELDS,
    "CancelAuthorization": CANCEL_AUTHORIZATION_FIELDS,
}


def type_string(name: str, fields: list[dict[str, str]]) -> str:
    """``Name(type1 name1,…)``: what EIP-712's typehash hashes (no referenced types here)."""
    return f"{name}({','.join(f['type'] + ' ' + f['name'] for f in fields)})"


def _type_string(name: str, fields: list[dict[str, str]]) -> bytes:
    return type_string(name, fields).encode()


DOMAIN_TYPEHASH = keccak(_type_string("EIP712Domain", DOMAIN_FIELDS))
SWAP_ORDER_TYPEHASH = keccak(_type_string("SwapOrder", SWAP_ORDER_FIELDS))
CANCEL_NONCES_TYPEHASH = keccak(_type_string("CancelNonces", CANCEL_NONCES_FIELDS))
INCREMENT_COUNTER_TYPEHASH = keccak(_type_string("IncrementCounter", INCREMENT_COUNTER_FIELDS))
REDEMPTION_TYPEHASH = keccak(_type_string("Redemption", REDEMPTION_FIELDS))
TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak(
    _type_string("TransferWithAuthorization", TRANSFER_WITH_AUTHORIZATION_FIELDS)
)
CANCEL_AUTHORIZATION_TYPEHASH = keccak(
    _type_string("CancelAuthorization", CANCEL_AUTHORIZATION_FIELDS)
)


@dataclass(frozen=True, slots=True)
class Domain:
    """The exchange's EIP-712 domain: binds a signature to one chain and one contract."""

    chain_id: int
    verifying_contract: str
    name: str = EXCHANGE_DOMAIN_NAME
    version: str = EXCHANGE_DOMAIN_VERSION

    def separator(self) -> bytes:
        """The domain separator, as OpenZeppelin's ``EIP712._domainSeparatorV4``."""
        return _separator(self)

    def as_json(self) -> dict[str, Any]:
        """The domain as typed-data JSON expects it; ``chainId`` a decimal string, as every
        uint handed to a wallet (see :func:`typed_message`)."""
        return {
            "name": self.name,
            "version": self.version,
            "chainId": str(self.chain_id),
            "verifyingContract": to_checksum_address(self.verifying_contract),
        }


@lru_cache(maxsize=64)
def _separator(domain: Domain) -> bytes:
    """Remembered: the relayer hashes every incoming order under the same few domains."""
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                DOMAIN_TYPEHASH,
                keccak(domain.name.encode()),
                keccak(domain.version.encode()),
                domain.chain_id,
                domain.verifying_contract,
            ],
        )
    )


@dataclass(frozen=True, slots=True)
class SwapOrder:
    """A user's signed request to swap ``amount_in`` points of one program into another.

    Every field is documented in ``OrderLib.sol``; Python names are snake_case twins.
    """

    owner: str
    from_token: str
    to_token: str
    amount_in: int
    min_amount_out: int
    nonce: int
    deadline: int
    counter: int = 0

    def struct_hash(self) -> bytes:
        """keccak256(abi.encode(SWAP_ORDER_TYPEHASH, fields…)), as ``OrderLib.hash``.

        The words are laid out by hand (``_address_word``, ``_uint_word``) rather than by
        ``eth_abi.encode``: every incoming order is hashed, and the generic encoder took ~90 µs
        of it against ~10 µs (``python -m benchmarks.order_cost``); the tests hold both equal."""
        return keccak(
            SWAP_ORDER_TYPEHASH
            + _address_word(self.owner)
            + _address_word(self.from_token)
            + _address_word(self.to_token)
            + _uint_word(self.amount_in)
            + _uint_word(self.min_amount_out)
            + _uint_word(self.nonce)
            + _uint_word(self.deadline)
            + _uint_word(self.counter)
        )

    def as_tuple(self) -> tuple[str, str, str, int, int, int, int, int]:
        """The order as the contract's ``SwapOrder`` calldata tuple."""
        return (
            self.owner,
            self.from_token,
            self.to_token,
            self.amount_in,
            self.min_amount_out,
            self.nonce,
            self.deadline,
            self.counter,
        )

    def as_message(self) -> dict[str, Any]:
        """The order as the typed-data ``message`` a wallet signs (camelCase names)."""
        names = [f["name"] for f in SWAP_ORDER_FIELDS]
        return dict(zip(names, asdict(self).values(), strict=True))


@dataclass(frozen=True, slots=True)
class CancelNonces:
    """A signed request to void the nonces in ``mask`` of bitmap word ``word``."""

    owner: str
    word: int
    mask: int
    deadline: int

    def struct_hash(self) -> bytes:
        """keccak256(abi.encode(CANCEL_NONCES_TYPEHASH, fields…)), as ``CancelLib.hash``."""
        return keccak(
            encode(
                ["bytes32", "address", "uint256", "uint256", "uint256"],
                [CANCEL_NONCES_TYPEHASH, self.owner, self.word, self.mask, self.deadline],
            )
        )

    def as_tuple(self) -> tuple[str, int, int, int]:
        return (self.owner, self.word, self.mask, self.deadline)


@dataclass(frozen=True, slots=True)
class IncrementCounter:
    """A signed cancel-all: moves ``owner``'s counter from ``counter`` (its current value,
    which makes the request valid once) to ``counter + 1``, voiding every order signed so far."""

    owner: str
    counter: int
    deadline: int

    def struct_hash(self) -> bytes:
        """keccak256(abi.encode(INCREMENT_COUNTER_TYPEHASH, fields…)), as ``CounterLib.hash``."""
        return keccak(
            encode(
                ["bytes32", "address", "uint256", "uint256"],
                [INCREMENT_COUNTER_TYPEHASH, self.owner, self.counter, self.deadline],
            )
        )

    def as_tuple(self) -> tuple[str, int, int]:
        return (self.owner, self.counter, self.deadline)


def gift_struct_hash(
    sender: str, to: str, value: int, valid_after: int, valid_before: int, nonce: bytes
) -> bytes:
    """The struct hash of an EIP-3009 ``TransferWithAuthorization`` (a gift), as
    ``PointsToken.transferWithAuthorization`` computes it; sign it under the token's domain."""
    return keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256", "bytes32"],
            [
                TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
                sender,
                to,
                value,
                valid_after,
                valid_before,
                nonce,
            ],
        )
    )


def digest(domain: Domain, struct_hash: bytes) -> bytes:
    """The EIP-712 digest ``keccak256(0x1901 ‖ domainSeparator ‖ structHash)``."""
    return keccak(b"\x19\x01" + domain.separator() + struct_hash)


def order_digest(domain: Domain, order: SwapOrder) -> bytes:
    """The digest a wallet signs for ``order`` (equal to the contract's ``orderDigest``)."""
    return digest(domain, order.struct_hash())


def typed_message(fields: list[dict[str, str]], values: dict[str, Any]) -> dict[str, Any]:
    """A typed-data ``message`` with every integer as a decimal string.

    Why: JSON numbers above 2^53 (amounts, deadlines, nonces) are rounded by JavaScript, in
    the page and in the wallet parsing the request, so the wallet would sign another value
    than the one handed out. Every library (eth-sig-util, ethers, eth_account) signs a decimal
    string as the number."""
    return {
        f["name"]: str(values[f["name"]])
        if f["type"].startswith(("uint", "int"))
        else values[f["name"]]
        for f in fields
    }


def typed_data(
    domain: Domain, primary_type: str, fields: list[dict[str, str]], values: dict[str, Any]
) -> dict[str, Any]:
    """The full ``eth_signTypedData_v4`` document of one primary type: its types with
    ``EIP712Domain`` (which the V4 encoders of MetaMask and eth_account need to hash the domain)
    and nothing else; ethers takes ``types`` without ``EIP712Domain`` (see ``/orders/domain``)."""
    return {
        "types": {"EIP712Domain": DOMAIN_FIELDS, primary_type: fields},
        "primaryType": primary_type,
        "domain": domain.as_json(),
        "message": typed_message(fields, values),
    }


def swap_order_typed_data(domain: Domain, order: SwapOrder) -> dict[str, Any]:
    """The full typed-data document for ``eth_signTypedData_v4``."""
    return typed_data(domain, "SwapOrder", SWAP_ORDER_FIELDS, order.as_message())


def sign_digest(private_key: bytes | str, message_digest: bytes) -> bytes:
    """A 65-byte r‖s‖v signature of a digest (as a wallet's typed-data signature)."""
    signed = Account.unsafe_sign_hash(message_digest, private_key)
    return bytes(signed.signature)


def sign_order(private_key: bytes | str, domain: Domain, order: SwapOrder) -> bytes:
    """Signs ``order`` as ``eth_signTypedData_v4`` would."""
    return sign_digest(private_key, order_digest(domain, order))


def recover_signer(message_digest: bytes, signature: bytes) -> str:
    """The address that signed ``message_digest`` (checksummed); ValueError for a signature
    that names no key.

    Straight through coincurve (libsecp256k1) rather than ``Account._recover_hash``, whose
    wrapping (key objects, signature objects, validation, checksumming) cost about three times
    the recovery itself (``python -m benchmarks.order_cost``): this is the one per-order
    crypto of intake. ``v`` is 27/28 or 0/1, as eth-account takes it; the tests hold the two
    equal, on good signatures and bad."""
    if len(message_digest) != 32 or len(signature) != 65:
        raise ValueError("a 32-byte digest and a 65-byte r‖s‖v signature")
    v = signature[64]
    recovery_id = v - 27 if v >= 27 else v
    if recovery_id not in (0, 1):
        raise ValueError(f"v is {v}: 27 or 28 (or 0 or 1)")
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:64], "big")
    if not 0 < r < SECP256K1_N or not 0 < s < SECP256K1_N:
        raise ValueError("r or s out of range")
    public = PublicKey.from_signature_and_message(
        signature[:64] + bytes([recovery_id]), message_digest, hasher=None
    )
    return _checksum_of(keccak(public.format(compressed=False)[1:])[-20:])


@lru_cache(maxsize=65_536)
def _checksum_of(address: bytes) -> str:
    """Remembered: signers come back often, and a checksum costs a keccak."""
    return str(to_checksum_address(address))


def _address_word(address: str) -> bytes:
    """An address as one ABI word (left-padded), refusing what ``eth_abi`` refuses."""
    raw = bytes.fromhex(address[2:] if address[:2] in ("0x", "0X") else address)
    if len(raw) != 20:
        raise ValueError(f"not a 20-byte address: {address!r}")
    return b"\x00" * 12 + raw


def _uint_word(value: int) -> bytes:
    """A uint256 as one ABI word; OverflowError outside 0..2^256-1, as ``eth_abi`` refuses."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an integer: {value!r}")
    return value.to_bytes(32, "big")
