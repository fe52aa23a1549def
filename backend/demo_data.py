"""The demo consortium's data, defined once, for the seed (``tongdui.demo``, which the brownie
side runs through ``scripts/seed.py``) and for whoever checks what it seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

from .chain.voucher_eip712 import terms_hash
from .core.dev_keys import ANVIL_KEYS

YUAN = 100  # settlement units (fen) per yuan


@dataclass(frozen=True)
class DemoMerchant:
    name: str
    symbol: str
    point_value: int  # fen per point
    issuance_cap: int
    settlement_yuan: int
    admin_key: str  # the merchant's operator key (an anvil account on the embedded chain)
    # sCNY left in the operator's own account, so the merchant page can deposit right away
    # (not in the contract tests' seed, ``seed_demo(operator_funds=False)``: those tests count
    # the operators' sCNY from zero)
    operator_yuan: int = 10_000


DEMO_MERCHANTS = (
    DemoMerchant("Skyway Airlines Miles", "SKYM", 10, 100_000_000, 500_000, ANVIL_KEYS[4]),
    DemoMerchant("Blue Bean Coffee Stars", "BEAN", 100, 10_000_000, 200_000, ANVIL_KEYS[5]),
    DemoMerchant("FreshMart Points", "FRESH", 1, 1_000_000_000, 100_000, ANVIL_KEYS[6]),
)

# (user index, symbol, points) issued at seeding.
DEMO_HOLDINGS = ((0, "SKYM", 50_000), (0, "FRESH", 20_000), (1, "BEAN", 300), (2, "FRESH", 80_000))


def demo_user_key(index: int) -> str:
    """Deterministic demo user keys: the same on every run, derived, not secret."""
    return "0x" + keccak(text=f"tongdui demo user {index}").hex()


# ─── issue 16: the demo merchants' voucher products ──────────────────────────────────────


@dataclass(frozen=True)
class DemoProduct:
    """A voucher product of a demo merchant (prices in fen; name and terms stay off chain)."""

    symbol: str
    name: str
    terms: str
    price: int
    face_value: int
    stock: int
    per_user_limit: int = 0
    valid_days: int = 0
    valid_until: int = 0
    breakage: int = 0  # 1: an unused voucher is refunded as the merchant's points


DEMO_PRODUCTS = (
    DemoProduct(
        "BEAN", "Any coffee, any size", "One hot or iced coffee at any Blue Bean shop.",
        2_500, 2_800, 500, per_user_limit=5, valid_days=30,
    ),
    DemoProduct(
        "BEAN", "Croissant and coffee", "A butter croissant with a medium coffee, weekdays.",
        3_200, 3_800, 200, valid_days=60,
    ),
    DemoProduct(
        "SKYM", "One hotel night", "A standard room for one night at a partner hotel; book "
        "14 days ahead.", 60_000, 68_000, 50, per_user_limit=2, valid_days=365, breakage=1,
    ),
    DemoProduct(
        "SKYM", "Airport lounge pass", "One visit to a Skyway lounge, same-day flight.",
        12_000, 15_000, 100, valid_days=180,
    ),
    DemoProduct(
        "FRESH", "¥50 supermarket coupon", "¥50 off a basket of ¥200 or more at FreshMart.",
        4_500, 5_000, 1_000, per_user_limit=3, valid_until=1_830_297_600,  # 2028-01-01 UTC
    ),
    DemoProduct(
        "FRESH", "¥20 fruit coupon", "¥20 off fresh fruit at FreshMart.",
        1_800, 2_000, 1_000, valid_days=30,
    ),
)  # fmt: skip


def product_terms_hash(product: DemoProduct) -> str:
    """The ``termsHash`` the seed lists a demo product with."""
    return terms_hash(product.name, product.terms)


# ─── points expiry (issue 16) ─────────────────────────────────────────────────────────────
# symbol → (validityMonths, roundingMonths), set before the demo points are issued on
# ``tongdui up --demo``: SKYM's miles last 24 months to the end of the quarter, BEAN's stars
# 12 months to the end of the month, FRESH's points never expire (the default rule, not sent).
DEMO_EXPIRY_RULES = {"SKYM": (24, 3), "BEAN": (12, 1), "FRESH": (0, 0)}
