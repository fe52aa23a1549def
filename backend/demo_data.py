"""The demo consortium's data, defined once, for the seed (``tongdui.demo``, which the brownie
side runs through ``scripts/seed.py``) and for whoever checks what it seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

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


# ─── points expiry (issue 16) ─────────────────────────────────────────────────────────────
# symbol → (validityMonths, roundingMonths), set before the demo points are issued on
# ``tongdui up --demo``: SKYM's miles last 24 months to the end of the quarter, BEAN's stars
# 12 months to the end of the month, FRESH's points never expire (the default rule, not sent).
DEMO_EXPIRY_RULES = {"SKYM": (24, 3), "BEAN": (12, 1), "FRESH": (0, 0)}
