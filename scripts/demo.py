"""The chain layer's demo: deploy, seed the demo consortium, relay one signed swap, and print
balances before and after. `brownie run scripts/demo.py --network anvil` (brownie starts anvil).
"""

from __future__ import annotations

from typing import Any

from brownie import accounts, chain

from scripts.deploy import DEPLOYMENTS, deploy_development
from scripts.platform import Platform, write_deployment
from scripts.seed import YUAN, seed_demo
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order


def _print_balances(title: str, platform: Platform, user: Any) -> None:
    print(f"\n{title}")
    print(f"  {'program':<26}{'user points':>12}{'settlement account (CNY)':>28}")
    for symbol, token in platform.merchants.items():
        market = platform.exchange.market(token)
        cny = market["settlementBalance"] / YUAN
        print(f"  {symbol + ' ' + token.name():<26}{token.balanceOf(user):>12,}{cny:>28,.2f}")
    payee = platform.exchange.feeConfig()["platformPayee"]
    print(f"  platform fee credit: {platform.exchange.payeeCredit(payee) / YUAN:,.2f} CNY")


def main() -> None:
    platform = deploy_development()
    users = seed_demo(platform)
    path = write_deployment(platform, DEPLOYMENTS)
    print(f"Deployed and seeded the demo consortium on chain {chain.id}: {path}")

    user, relayer = users[0], accounts[8]
    sky, bean = platform.merchants["SKYM"], platform.merchants["BEAN"]
    amount_out, fee, gross = platform.exchange.quote(sky, bean, 5_000)
    print(f"\nQuote: 5,000 SKYM (worth {gross / YUAN:,.2f} CNY) -> {amount_out} BEAN, ")
    print(f"       fee {fee / YUAN:,.2f} CNY (0.3% plus rounding dust)")
    _print_balances(f"Before the swap, user {user.address}:", platform, user)

    order = SwapOrder(
        owner=user.address,
        from_token=sky.address,
        to_token=bean.address,
        amount_in=5_000,
        min_amount_out=amount_out,
        nonce=1,
        deadline=chain.time() + 600,
    )
    domain = Domain(chain_id=chain.id, verifying_contract=platform.exchange.address)
    signature = sign_order(user.private_key, domain, order)
    tx = platform.exchange.settle([order.as_tuple()], [signature], {"from": relayer})
    swapped = tx.events["Swapped"]
    print(
        f"\nRelayer settled the user's signed order in block {tx.block_number} "
        f"({tx.gas_used:,} gas): {swapped['amountIn']} SKYM -> {swapped['amountOut']} BEAN"
    )
    _print_balances("After the swap:", platform, user)
