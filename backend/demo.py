"""The demo consortium's seed, the one implementation: ``tongdui up --demo``, the network's
demo, and (through ``scripts/seed.py``) the contract tests and the brownie demo all run it.

3 members, 3 merchants admitted by one M-of-N vote with point values and funded settlement
accounts (on ``tongdui up --demo`` their operators keep some sCNY to deposit), and three users
holding points (the data: ``demo_data``).
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_account import Account
from eth_utils import keccak
from hexbytes import HexBytes
from web3 import Web3

from .chain.client import Platform
from .chain.governance import Call, vote
from .chain.transactions import Signer, wait_for
from .core.dev_keys import ANVIL_KEYS
from .demo_data import (
    DEMO_EXPIRY_RULES,
    DEMO_HOLDINGS,
    DEMO_MERCHANTS,
    DEMO_PRODUCTS,
    YUAN,
    DemoMerchant,
    DemoProduct,
    demo_user_key,
    product_terms_hash,
)

__all__ = ["DEMO_HOLDINGS", "DEMO_MERCHANTS", "YUAN", "demo_user_key", "seed_demo"]

MEMBER_KEYS = ANVIL_KEYS[1:4]
SETTLER_KEY = ANVIL_KEYS[7]
# executing the admissions deploys three PointsTokens (~4.5 M gas each with expiry)
ADMIT_GAS = 15_000_000


def demo_user_addresses() -> list[str]:
    return [Account.from_key(demo_user_key(i)).address for i in range(3)]


def seed_demo(
    w3: Web3,
    platform: Platform,
    member_keys: Sequence[str] = MEMBER_KEYS,
    merchants: Sequence[DemoMerchant] = DEMO_MERCHANTS,
    holdings: Sequence[tuple[int, str, int]] = DEMO_HOLDINGS,
    *,
    operator_funds: bool = True,
    expiry_rules: bool = False,
) -> dict[str, str]:
    """Admits the demo merchants by one M-of-N vote of ``member_keys`` (anvil's members 1–3
    on the embedded chain, the sealers' accounts on the network), funds them, issues points
    to users. Returns symbol → token address. ``merchants``/``holdings``: another
    consortium's (the cross-chain demo's chain B).

    ``operator_funds=False`` leaves the operators no sCNY of their own: the contract tests
    count it from zero. ``expiry_rules``: set ``DEMO_EXPIRY_RULES`` before issuing (``tongdui
    up --demo``; the test chains keep the default, points that never expire)."""
    tokens = admit_demo_merchants(w3, platform, member_keys, merchants)
    if expiry_rules:
        set_demo_expiry_rules(w3, platform, tokens, merchants)
    fund_and_issue(w3, platform, tokens, merchants, holdings, operator_funds)
    return tokens


def admit_demo_merchants(
    w3: Web3,
    platform: Platform,
    member_keys: Sequence[str],
    merchants: Sequence[DemoMerchant] = DEMO_MERCHANTS,
) -> dict[str, str]:
    """One vote admitting every demo merchant; returns symbol → its new PointsToken."""
    registry = platform.registry
    calls: list[Call] = [
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
    vote(w3, platform.governance, member_keys, calls, "Admit demo merchants", ADMIT_GAS)
    tokens = {}
    for view in platform.merchants():
        symbol = platform.points_token(view["token"]).functions.symbol().call()
        tokens[symbol] = view["token"]
    return tokens


def fund_and_issue(
    w3: Web3,
    platform: Platform,
    tokens: dict[str, str],
    merchants: Sequence[DemoMerchant],
    holdings: Sequence[tuple[int, str, int]],
    operator_funds: bool,
) -> None:
    """Per merchant: the settler mints its sCNY, the operator deposits the settlement part and
    issues the users' points. One merchant's deposit and issues go out with the next one's
    mint, so the seed takes few blocks on a chain with a block period."""
    settler = Signer(w3, SETTLER_KEY)
    pending: list[HexBytes] = []
    for merchant in merchants:
        admin = Signer(w3, merchant.admin_key)
        pending += _fund(platform, settler, admin, merchant, operator_funds)
        wait_for(w3, pending)
        token = tokens[merchant.symbol]
        pending = _deposit_and_issue(platform, admin, merchant, token, holdings)
    wait_for(w3, pending)


def _fund(
    platform: Platform,
    settler: Signer,
    admin: Signer,
    merchant: DemoMerchant,
    operator_funds: bool,
) -> list[HexBytes]:
    """Mints the merchant's sCNY (plus the operator's own when asked) and approves the
    exchange for the settlement part."""
    amount = merchant.settlement_yuan * YUAN
    minted = amount + (merchant.operator_yuan * YUAN if operator_funds else 0)
    settlement = platform.settlement.functions
    return [
        settler.transact(
            settlement.mint(admin.address, minted, keccak(text=merchant.symbol)), gas=150_000
        ),
        admin.transact(settlement.approve(platform.exchange.address, amount), gas=100_000),
    ]


def _deposit_and_issue(
    platform: Platform,
    admin: Signer,
    merchant: DemoMerchant,
    token_address: str,
    holdings: Sequence[tuple[int, str, int]],
) -> list[HexBytes]:
    amount = merchant.settlement_yuan * YUAN
    token = Web3.to_checksum_address(token_address)
    pending = [admin.transact(platform.exchange.functions.deposit(token, amount))]
    users = demo_user_addresses()
    points_token = platform.points_token(token_address)
    for user_index, symbol, points in holdings:
        if symbol == merchant.symbol:
            issue = points_token.functions.issue(users[user_index], points)
            pending.append(admin.transact(issue, gas=150_000))
    return pending


# ─── points expiry (issue 16) ─────────────────────────────────────────────────────────────


def set_demo_expiry_rules(
    w3: Web3,
    platform: Platform,
    tokens: dict[str, str],
    merchants: Sequence[DemoMerchant] = DEMO_MERCHANTS,
) -> None:
    """Each demo merchant's operator sets its ``DEMO_EXPIRY_RULES`` rule (SKYM 24 months to the
    quarter, BEAN 12 months to the month); a merchant whose rule is the default (FRESH:
    never) sends nothing."""
    pending: list[HexBytes] = []
    for merchant in merchants:
        validity, rounding = DEMO_EXPIRY_RULES.get(merchant.symbol, (0, 0))
        if validity == 0:
            continue
        token = platform.points_token(tokens[merchant.symbol])
        call = token.functions.setExpiryRule(validity, rounding)
        pending.append(Signer(w3, merchant.admin_key).transact(call, gas=100_000))
    wait_for(w3, pending)


# ─── issue 16: voucher products of the demo merchants ─────────────────────────────────────


def seed_demo_vouchers(
    w3: Web3, platform: Platform, tokens: dict[str, str], products: Sequence[DemoProduct] = ()
) -> int:
    """Lists the demo merchants' voucher products (``DEMO_PRODUCTS``: a coffee for BEAN, a
    hotel night for SKYM, a ¥50 coupon for FRESH, and one more each) with each merchant's
    operator key; returns how many. Their names and terms go into the database with
    :func:`tongdui.vouchers.demo_terms.seed_demo_voucher_terms` (the chain holds only
    their hash; that half needs the database, which the contract tests' seed does not have)."""
    products = products or DEMO_PRODUCTS
    if "VoucherBook" not in platform.deployment.addresses:
        return 0
    book = platform.voucher_book
    keys = {m.symbol: m.admin_key for m in DEMO_MERCHANTS}
    pending: list[HexBytes] = []
    for product in products:
        if product.symbol not in tokens:
            continue
        admin = Signer(w3, keys[product.symbol])
        terms = (
            Web3.to_checksum_address(tokens[product.symbol]),
            product.price,
            product.face_value,
            product.stock,
            product.per_user_limit,
            0,
            product.valid_until,
            product.valid_days,
            product.breakage,
            HexBytes(product_terms_hash(product)),
        )
        pending.append(admin.transact(book.functions.listProduct(terms), gas=400_000))
        wait_for(w3, pending[-1:])  # one merchant's listings in order: ids 1, 2, … as listed
    return len(pending)
