"""VoucherBook's EIP-712 types, defined once on the Python side (issue 16).

Four types are signed under VoucherBook's own domain (``Tongdui VoucherBook``, version 1):
a user's ``Purchase`` (its digest is the ``purchaseId`` every voucher event carries), a
``VoucherGift`` and a ``VoucherRedemption`` (the holder's consent shown at the till as a QR
code), and the payment provider's ``CashNotice`` (shared with ``payments``: a provider signs
it, the backend only checks and relays it). The Solidity twin is ``contracts/VoucherBook.sol``
(SPEC16 section 2); ``tests/contracts/test_voucher_eip712.py`` proves both sides hash alike.
Digests are computed with ``eth_abi`` as in :mod:`.eip712`, for the same reason: intake hashes
every purchase it is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_utils import keccak

from .eip712 import Domain, _type_string, digest, sign_digest, typed_data

VOUCHER_DOMAIN_NAME = "Tongdui VoucherBook"
VOUCHER_DOMAIN_VERSION = "1"

PURCHASE_FIELDS: list[dict[str, str]] = [
    {"name": "owner", "type": "address"},
    {"name": "productId", "type": "uint256"},
    {"name": "payToken", "type": "address"},
    {"name": "pointsIn", "type": "uint256"},
    {"name": "cashAmount", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
VOUCHER_GIFT_FIELDS: list[dict[str, str]] = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "voucherId", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
VOUCHER_REDEMPTION_FIELDS: list[dict[str, str]] = [
    {"name": "voucherId", "type": "uint256"},
    {"name": "holder", "type": "address"},
    {"name": "deadline", "type": "uint256"},
]
CASH_NOTICE_FIELDS: list[dict[str, str]] = [
    {"name": "purchaseId", "type": "bytes32"},
    {"name": "paymentId", "type": "bytes32"},
    {"name": "amount", "type": "uint256"},
    {"name": "paid", "type": "bool"},
]

# Every type VoucherBook verifies a signature over, by its EIP-712 name.
VOUCHER_TYPES: dict[str, list[dict[str, str]]] = {
    "Purchase": PURCHASE_FIELDS,
    "VoucherGift": VOUCHER_GIFT_FIELDS,
    "VoucherRedemption": VOUCHER_REDEMPTION_FIELDS,
    "CashNotice": CASH_NOTICE_FIELDS,
}

PURCHASE_TYPEHASH = keccak(_type_string("Purchase", PURCHASE_FIELDS))
VOUCHER_GIFT_TYPEHASH = keccak(_type_string("VoucherGift", VOUCHER_GIFT_FIELDS))
VOUCHER_REDEMPTION_TYPEHASH = keccak(_type_string("VoucherRedemption", VOUCHER_REDEMPTION_FIELDS))
CASH_NOTICE_TYPEHASH = keccak(_type_string("CashNotice", CASH_NOTICE_FIELDS))


def terms_hash(name: str, terms: str) -> str:
    """A product's ``termsHash``: keccak256 of the canonical JSON ``{"name": …, "terms": …}``
    (sorted keys, no spaces), so anyone holding the text can check it against the chain."""
    text = json.dumps({"name": name, "terms": terms}, sort_keys=True, separators=(",", ":"))
    return "0x" + keccak(text=text).hex()


def voucher_domain(chain_id: int, voucher_book: str) -> Domain:
    """VoucherBook's EIP-712 domain: a signature for it is void at the exchange and elsewhere."""
    return Domain(
        chain_id=chain_id,
        verifying_contract=voucher_book,
        name=VOUCHER_DOMAIN_NAME,
        version=VOUCHER_DOMAIN_VERSION,
    )


@dataclass(frozen=True, slots=True)
class Purchase:
    """A user's signed purchase of one voucher: ``points_in`` of ``pay_token`` (any program's
    points) plus ``cash_amount`` fen in cash (``0``: points only)."""

    owner: str
    product_id: int
    pay_token: str
    points_in: int
    cash_amount: int
    nonce: int
    deadline: int

    def as_tuple(self) -> tuple[str, int, str, int, int, int, int]:
        """The purchase as ``purchaseBatch``'s calldata tuple."""
        return (
            self.owner,
            self.product_id,
            self.pay_token,
            self.points_in,
            self.cash_amount,
            self.nonce,
            self.deadline,
        )

    def struct_hash(self) -> bytes:
        return keccak(
            encode(
                ["bytes32", "address", "uint256", "address", *["uint256"] * 4],
                [PURCHASE_TYPEHASH, *self.as_tuple()],
            )
        )

    def as_message(self) -> dict[str, Any]:
        names = [f["name"] for f in PURCHASE_FIELDS]
        return dict(zip(names, self.as_tuple(), strict=True))


@dataclass(frozen=True, slots=True)
class VoucherGift:
    """A holder's signed gift of voucher ``voucher_id`` to ``to`` (nonces shared with
    purchases: one bitmap per owner)."""

    sender: str
    to: str
    voucher_id: int
    nonce: int
    deadline: int

    def as_tuple(self) -> tuple[str, str, int, int, int]:
        return (self.sender, self.to, self.voucher_id, self.nonce, self.deadline)

    def struct_hash(self) -> bytes:
        return keccak(
            encode(
                ["bytes32", "address", "address", "uint256", "uint256", "uint256"],
                [VOUCHER_GIFT_TYPEHASH, *self.as_tuple()],
            )
        )

    def as_message(self) -> dict[str, Any]:
        names = [f["name"] for f in VOUCHER_GIFT_FIELDS]
        return dict(zip(names, self.as_tuple(), strict=True))


@dataclass(frozen=True, slots=True)
class VoucherRedemption:
    """The holder's consent to redeem ``voucher_id`` now (a short ``deadline``: a QR code)."""

    voucher_id: int
    holder: str
    deadline: int

    def as_tuple(self) -> tuple[int, str, int]:
        return (self.voucher_id, self.holder, self.deadline)

    def struct_hash(self) -> bytes:
        return keccak(
            encode(
                ["bytes32", "uint256", "address", "uint256"],
                [VOUCHER_REDEMPTION_TYPEHASH, *self.as_tuple()],
            )
        )

    def as_message(self) -> dict[str, Any]:
        names = [f["name"] for f in VOUCHER_REDEMPTION_FIELDS]
        return dict(zip(names, self.as_tuple(), strict=True))


@dataclass(frozen=True, slots=True)
class CashNotice:
    """A payment provider's signed word on a purchase's cash part (``paid`` or refused)."""

    purchase_id: bytes
    payment_id: bytes
    amount: int
    paid: bool

    def as_tuple(self) -> tuple[bytes, bytes, int, bool]:
        return (self.purchase_id, self.payment_id, self.amount, self.paid)

    def struct_hash(self) -> bytes:
        return keccak(
            encode(
                ["bytes32", "bytes32", "bytes32", "uint256", "bool"],
                [CASH_NOTICE_TYPEHASH, *self.as_tuple()],
            )
        )

    def as_message(self) -> dict[str, Any]:
        return {
            "purchaseId": "0x" + self.purchase_id.hex(),
            "paymentId": "0x" + self.payment_id.hex(),
            "amount": self.amount,
            "paid": self.paid,
        }


Signed = Purchase | VoucherGift | VoucherRedemption | CashNotice
_PRIMARY: dict[type, tuple[str, list[dict[str, str]]]] = {
    Purchase: ("Purchase", PURCHASE_FIELDS),
    VoucherGift: ("VoucherGift", VOUCHER_GIFT_FIELDS),
    VoucherRedemption: ("VoucherRedemption", VOUCHER_REDEMPTION_FIELDS),
    CashNotice: ("CashNotice", CASH_NOTICE_FIELDS),
}


def voucher_digest(domain: Domain, request: Signed) -> bytes:
    """The digest signed for ``request`` (for a purchase: its ``purchaseId``)."""
    return digest(domain, request.struct_hash())


def voucher_typed_data(domain: Domain, request: Signed) -> dict[str, Any]:
    """The full ``eth_signTypedData_v4`` document of ``request``."""
    name, fields = _PRIMARY[type(request)]
    return typed_data(domain, name, fields, request.as_message())


def sign_voucher_request(private_key: bytes | str, domain: Domain, request: Signed) -> bytes:
    """Signs ``request`` as ``eth_signTypedData_v4`` would (tests, demo, test provider)."""
    return sign_digest(private_key, voucher_digest(domain, request))
