"""VoucherBook's views, read by name: a product, a voucher, a nonce; and a market's value.

One place knows the shapes of VoucherBook's return values (SPEC16 section 2), so intake, the
API and the audit read them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3.contract import Contract

from ..chain.client import Platform
from ..chain.eip712 import Domain
from ..chain.voucher_eip712 import voucher_domain

VOUCHER_STATUS = {0: "none", 1: "active", 2: "redeemed", 3: "expired"}
TERMS_FIELDS = (
    "token", "price", "faceValue", "stock", "perUserLimit", "saleEndsAt", "validUntil",
    "validDays", "breakage", "termsHash",
)  # fmt: skip


def book(platform: Platform) -> Contract:
    """The deployment's VoucherBook (ConfigurationError for a deployment made before it)."""
    contract: Contract = platform.voucher_book
    return contract


def book_domain(platform: Platform, chain_id: int) -> Domain:
    return voucher_domain(chain_id, book(platform).address)


@dataclass(frozen=True, slots=True)
class ProductView:
    """``product(productId)``: the terms, whether paused, and how many were sold."""

    product_id: int
    token: str
    price: int
    face_value: int
    stock: int
    per_user_limit: int
    sale_ends_at: int
    valid_until: int
    valid_days: int
    breakage: int
    terms_hash: str
    paused: bool
    sold: int

    @property
    def listed(self) -> bool:
        return int(self.token, 16) != 0


def product(platform: Platform, product_id: int, block: Any = "latest") -> ProductView:
    terms, paused, sold = book(platform).functions.product(product_id).call(block_identifier=block)
    named = dict(zip(TERMS_FIELDS, terms, strict=True))
    return ProductView(
        product_id=product_id,
        token=str(named["token"]),
        price=int(named["price"]),
        face_value=int(named["faceValue"]),
        stock=int(named["stock"]),
        per_user_limit=int(named["perUserLimit"]),
        sale_ends_at=int(named["saleEndsAt"]),
        valid_until=int(named["validUntil"]),
        valid_days=int(named["validDays"]),
        breakage=int(named["breakage"]),
        terms_hash="0x" + bytes(named["termsHash"]).hex(),
        paused=bool(paused),
        sold=int(sold),
    )


@dataclass(frozen=True, slots=True)
class VoucherView:
    voucher_id: int
    product_id: int
    owner: str
    expires_at: int
    status: str


def voucher(platform: Platform, voucher_id: int, block: Any = "latest") -> VoucherView:
    product_id, owner, expires_at, status = (
        book(platform).functions.voucher(voucher_id).call(block_identifier=block)
    )
    return VoucherView(
        voucher_id, int(product_id), str(owner), int(expires_at), VOUCHER_STATUS[int(status)]
    )


def nonce_used(platform: Platform, owner: str, nonce: int) -> bool:
    """Whether ``owner``'s purchase/gift nonce is used (VoucherBook's own bitmap)."""
    return bool(book(platform).functions.isNonceUsed(owner, nonce).call())


def purchased_by(platform: Platform, product_id: int, owner: str) -> int:
    """How many of the product ``owner`` holds a purchase of (bought or waiting for cash)."""
    return int(book(platform).functions.purchasedBy(product_id, owner).call())


def point_value(platform: Platform, token: str) -> int:
    """The settlement units one point of ``token`` is worth now (its exchange market)."""
    return int(platform.exchange.functions.market(token).call()[0])


def fee_bps(platform: Platform) -> int:
    return int(platform.exchange.functions.feeConfig().call()[0])


def has_book(platform: Platform) -> bool:
    """Whether the deployment has a VoucherBook (one made before issue 16 has none)."""
    return "VoucherBook" in platform.deployment.addresses
