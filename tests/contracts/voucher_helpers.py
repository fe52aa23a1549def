"""The VoucherBook's signed requests for the contract tests: building, signing and encoding them.

Why a helper of its own: the backend's twin (``tongdui.chain.voucher_eip712``, issue 16's
w7-voucherapi) is built beside this branch; these tests sign with eth_account's
``encode_typed_data`` over the type strings of ``VoucherLib`` (``sign_typed``), so the
contract is checked against the EIP-712 standard itself, not against our own Python.
"""

from __future__ import annotations

import itertools
from dataclasses import astuple, dataclass
from typing import Any

import brownie

from tests.helpers import sign_typed

BOOK_NAME = "Tongdui VoucherBook"
DAY = 86_400

PURCHASE_FIELDS = [
    {"name": "owner", "type": "address"},
    {"name": "productId", "type": "uint256"},
    {"name": "payToken", "type": "address"},
    {"name": "pointsIn", "type": "uint256"},
    {"name": "cashAmount", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
CASH_NOTICE_FIELDS = [
    {"name": "purchaseId", "type": "bytes32"},
    {"name": "paymentId", "type": "bytes32"},
    {"name": "amount", "type": "uint256"},
    {"name": "paid", "type": "bool"},
]
GIFT_FIELDS = [
    {"name": "from", "type": "address"},
    {"name": "to", "type": "address"},
    {"name": "voucherId", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]
REDEMPTION_FIELDS = [
    {"name": "voucherId", "type": "uint256"},
    {"name": "holder", "type": "address"},
    {"name": "deadline", "type": "uint256"},
]

_nonces = itertools.count(1)
_payments = itertools.count(1)


def book_domain(book: Any) -> dict[str, Any]:
    return {
        "name": BOOK_NAME,
        "version": "1",
        "chainId": brownie.chain.id,
        "verifyingContract": book.address,
    }


def now() -> int:
    """The latest block's time: brownie's ``chain.time()`` runs ahead of anvil's blocks after
    a snapshot revert, so "already past" must be measured against the chain itself."""
    return int(brownie.chain[-1].timestamp)


def next_nonce() -> int:
    return next(_nonces)


def payment_id() -> bytes:
    """A fresh provider payment id."""
    return next(_payments).to_bytes(32, "big")


@dataclass(frozen=True)
class Terms:
    """`IVoucherBook.ProductTerms`, in the struct's field order."""

    token: str
    price: int = 3_000  # ¥30
    face_value: int = 3_500
    stock: int = 10
    per_user_limit: int = 0
    sale_ends_at: int = 0
    valid_until: int = 0
    valid_days: int = 30
    breakage: int = 0
    terms_hash: bytes = b"\x11" * 32

    def encode(self) -> tuple[Any, ...]:
        return astuple(self)


@dataclass(frozen=True)
class Purchase:
    owner: str
    product_id: int
    pay_token: str
    points_in: int
    cash_amount: int
    nonce: int
    deadline: int

    def encode(self) -> tuple[Any, ...]:
        return astuple(self)

    def message(self) -> dict[str, Any]:
        return dict(zip([f["name"] for f in PURCHASE_FIELDS], astuple(self), strict=True))


@dataclass(frozen=True)
class CashNotice:
    purchase_id: bytes
    payment_id: bytes
    amount: int
    paid: bool

    def encode(self) -> tuple[Any, ...]:
        return astuple(self)

    def message(self) -> dict[str, Any]:
        return dict(zip([f["name"] for f in CASH_NOTICE_FIELDS], astuple(self), strict=True))


@dataclass(frozen=True)
class Gift:
    sender: str
    to: str
    voucher_id: int
    nonce: int
    deadline: int

    def encode(self) -> tuple[Any, ...]:
        return astuple(self)

    def message(self) -> dict[str, Any]:
        return dict(zip([f["name"] for f in GIFT_FIELDS], astuple(self), strict=True))


@dataclass(frozen=True)
class Redemption:
    voucher_id: int
    holder: str
    deadline: int

    def encode(self) -> tuple[Any, ...]:
        return astuple(self)

    def message(self) -> dict[str, Any]:
        return dict(zip([f["name"] for f in REDEMPTION_FIELDS], astuple(self), strict=True))


def sign_purchase(key: str, book: Any, p: Purchase) -> bytes:
    return sign_typed(key, book_domain(book), "Purchase", PURCHASE_FIELDS, p.message())


def sign_notice(key: str, book: Any, n: CashNotice) -> bytes:
    return sign_typed(key, book_domain(book), "CashNotice", CASH_NOTICE_FIELDS, n.message())


def sign_gift(key: str, book: Any, g: Gift) -> bytes:
    return sign_typed(key, book_domain(book), "VoucherGift", GIFT_FIELDS, g.message())


def sign_redemption(key: str, book: Any, r: Redemption) -> bytes:
    return sign_typed(key, book_domain(book), "VoucherRedemption", REDEMPTION_FIELDS, r.message())
