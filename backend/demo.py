"""Demo data for the embedded chain (``tongdui up --demo``): the same consortium as the
brownie seed script ``scripts/seed.py`` — 3 members, 3 merchants with point values and funded
settlement accounts (their operators keep some sCNY to deposit), and three users holding points."""

from __future__ import annotations

from collections.abc import Sequence

from eth_account import Account
from eth_utils import keccak
from web3 import Web3

from .chain.client import Platform
from .chain.transactions import Signer, wait_for
from .core.config import ANVIL_KEYS
from .demo_data import DEMO_HOLDINGS, DEMO_MERCHANTS, YUAN, DemoMerchant, demo_user_key

__all__ = ["DEMO_HOLDINGS", "DEMO_MERCHANTS", "YUAN", "demo_user_key", "seed_demo"]

MEMBER_KEYS = ANVIL_KEYS[1:4]
SETTLER_KEY = ANVIL_KEYS[7]


def demo_user_addresses() -> list[str]:
    return [Account.from_key(demo_user_key(i)).address for i in range(3)]


def seed_demo(
    w3: Web3,
    platform: Platform,
    member_keys: Sequence[str] = MEMBER_KEYS,
    merchants: Sequence[DemoMerchant] = DEMO_MERCHANTS,
    holdings: Sequence[tuple[int, str, int]] = DEMO_HOLDINGS,
) -> dict[str, str]:
    """Admits the demo merchants by one M-of-N vote of ``member_keys`` (anvil's members 1–3
    on the embedded chain, the sealers' accounts on the network), funds them, issues points
    to users. Returns symbol → token address. ``merchants``/``holdings``: another
    consortium's (the cross-chain demo's chain B)."""
    registry, governance = platform.registry, platform.governance
    threshold = governance.functions.threshold().call()
    members = [Signer(w3, key) for key in member_keys[:threshold]]
    calls = [
        (
            registry.address,
            0,
            registry.encode_abi(
                "admitMerchant",
                args=[
                    m.name,
                    m.symbol,
                    Account.from_key(m.admin_key).address,
                    m.issuance_cap,
                    m.point_value,
                ],
            ),
        )
        for m in merchants
    ]
    proposal_id = governance.functions.proposalCount().call() + 1
    wait_for(w3, [members[0].transact(governance.functions.propose(calls, "Admit demo merchants"))])
    wait_for(w3, [m.transact(governance.functions.approve(proposal_id)) for m in members[1:]])
    wait_for(w3, [members[0].transact(governance.functions.execute(proposal_id), gas=9_000_000)])

    tokens = {}
    for view in platform.merchants():
        symbol = platform.points_token(view["token"]).functions.symbol().call()
        tokens[symbol] = view["token"]

    settler = Signer(w3, SETTLER_KEY)
    pending = []
    for merchant in merchants:
        amount = merchant.settlement_yuan * YUAN
        minted = amount + merchant.operator_yuan * YUAN  # the rest stays with the operator
        admin = Signer(w3, merchant.admin_key)
        pending.append(
            settler.transact(
                platform.settlement.functions.mint(
                    admin.address, minted, keccak(text=merchant.symbol)
                ),
                gas=150_000,
            )
        )
        pending.append(
            admin.transact(
                platform.settlement.functions.approve(platform.exchange.address, amount),
                gas=100_000,
            )
        )
        wait_for(w3, pending)
        pending = [
            admin.transact(
                platform.exchange.functions.deposit(
                    Web3.to_checksum_address(tokens[merchant.symbol]), amount
                )
            )
        ]
        users = demo_user_addresses()
        for user_index, symbol, points in holdings:
            if symbol == merchant.symbol:
                token = platform.points_token(tokens[symbol])
                pending.append(
                    admin.transact(token.functions.issue(users[user_index], points), gas=150_000)
                )
    wait_for(w3, pending)
    return tokens
