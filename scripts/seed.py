"""Seeds the demo consortium on brownie's chain with the backend's seed (``tongdui.demo``, the
one ``tongdui up --demo`` runs) and wraps its tokens and users for brownie. Call `seed_demo`
after deploying (scripts/demo.py, scripts/gas_snapshot.py and the contract tests do)."""

from __future__ import annotations

from typing import Any

from brownie import PointsToken, accounts

from scripts.platform import Platform, backend_web3
from tongdui.demo import seed_demo as seed_with_web3
from tongdui.demo_data import YUAN, demo_user_key

__all__ = ["YUAN", "seed_demo"]


def seed_demo(platform: Platform) -> list[Any]:
    """Admits the demo merchants by one vote, funds their settlement accounts and issues points
    to three demo users; returns the users as brownie accounts that hold their keys. The
    operators keep no sCNY of their own: the contract tests count it from zero."""
    tokens = seed_with_web3(
        backend_web3(), platform.backend, platform.member_keys, operator_funds=False
    )
    for symbol, address in tokens.items():
        platform.merchants[symbol] = PointsToken.at(address)
    return [accounts.add(demo_user_key(i)) for i in range(3)]
