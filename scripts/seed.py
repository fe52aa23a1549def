"""Seeds a demo consortium: 3 members, 3 merchants with point values and funded settlement
accounts, and users holding points. `brownie run scripts/seed.py` after `scripts/deploy.py`,
or call `seed_demo` (the demo and the tests do)."""

from __future__ import annotations

from typing import Any

from brownie import accounts
from eth_utils import keccak

from scripts.platform import Platform, admit_merchant
from tongdui.demo_data import DEMO_HOLDINGS, DEMO_MERCHANTS, YUAN, demo_user_key


def demo_user(index: int) -> Any:
    """A deterministic demo user key (the same on every run), added to brownie's accounts."""
    return accounts.add(demo_user_key(index))


def seed_demo(platform: Platform, merchant_admins: list[Any], settler: Any) -> list[Any]:
    """Admits the demo merchants, funds their settlement accounts and issues points to three
    demo users; returns the users."""
    for merchant, admin in zip(DEMO_MERCHANTS, merchant_admins, strict=True):
        token = admit_merchant(
            platform,
            merchant.name,
            merchant.symbol,
            admin,
            merchant.issuance_cap,
            merchant.point_value,
        )
        amount = merchant.settlement_yuan * YUAN
        platform.settlement.mint(admin, amount, keccak(text=merchant.symbol), {"from": settler})
        platform.settlement.approve(platform.exchange, amount, {"from": admin})
        platform.exchange.deposit(token, amount, {"from": admin})
    users = [demo_user(i) for i in range(3)]
    admin_of = dict(zip((m.symbol for m in DEMO_MERCHANTS), merchant_admins, strict=True))
    for user_index, symbol, points in DEMO_HOLDINGS:
        platform.merchants[symbol].issue(users[user_index], points, {"from": admin_of[symbol]})
    return users
