"""Building a history for the audit tests: many swaps settled in batches, plus the rarer
events (a rejected order, a cancelled nonce, a counter bump, a direct swap, withdrawals, a
voucher bought with another program's points and redeemed)."""

from __future__ import annotations

import random

from eth_account import Account
from web3 import Web3

from tests.chains import TestChain
from tongdui.chain.eip712 import Domain, SwapOrder, sign_order
from tongdui.chain.transactions import Signer, wait_for
from tongdui.chain.voucher_eip712 import (
    Purchase,
    VoucherRedemption,
    sign_voucher_request,
    voucher_domain,
)
from tongdui.core.config import ANVIL_KEYS
from tongdui.demo import seed_demo_vouchers
from tongdui.demo_data import DEMO_PRODUCTS
from tongdui.vouchers.book import fee_bps, point_value
from tongdui.vouchers.quote import points_for

FAR = 2**40


def _order(
    chain: TestChain,
    user: int,
    pair: tuple[str, str],
    amount: int,
    nonce: int,
    deadline: int = FAR,
    counter: int = 0,
) -> tuple[tuple, bytes]:
    key = chain.user_keys[user]
    order = SwapOrder(
        Account.from_key(key).address,
        chain.tokens[pair[0]],
        chain.tokens[pair[1]],
        amount,
        0,
        nonce,
        deadline,
        counter,
    )
    domain = Domain(chain.w3.eth.chain_id, chain.platform.exchange.address)
    return order.as_tuple(), sign_order(key, domain, order)


def settle_many(
    chain: TestChain, count: int, *, batch: int = 50, seed: int = 1, first_nonce: int = 1_000
) -> int:
    """Settles ``count`` signed orders (SKYM→FRESH for user 0, FRESH→BEAN for user 2, with
    rounding dust); returns how many logs that made (3 per swap)."""
    rng = random.Random(seed)
    relayer = Signer(chain.w3, ANVIL_KEYS[8])
    exchange = chain.platform.exchange
    pending = []
    for start in range(0, count, batch):
        orders, signatures = [], []
        for i in range(start, min(count, start + batch)):
            if i % 2 == 0:
                order, sig = _order(
                    chain, 0, ("SKYM", "FRESH"), rng.randint(10, 40), first_nonce + i
                )
            else:
                order, sig = _order(
                    chain, 2, ("FRESH", "BEAN"), rng.randint(101, 160), first_nonce + i
                )
            orders.append(order)
            signatures.append(sig)
        pending.append(
            relayer.transact(
                exchange.functions.settle(orders, signatures), gas=250_000 * len(orders) + 200_000
            )
        )
    wait_for(chain.w3, pending)
    return 3 * count


def rare_events(chain: TestChain) -> None:
    """One of each less common event the replay must follow."""
    w3, exchange = chain.w3, chain.platform.exchange
    relayer = Signer(w3, ANVIL_KEYS[8])
    user0 = Signer(w3, chain.user_keys[0])
    fund = Signer(w3, ANVIL_KEYS[0])
    wait_for(w3, [_send_eth(fund, user0.address)])
    expired, expired_sig = _order(chain, 0, ("SKYM", "BEAN"), 20, 7, deadline=1)
    good, good_sig = _order(chain, 0, ("SKYM", "BEAN"), 5_000, 8)
    wait_for(
        w3,
        [
            relayer.transact(
                exchange.functions.settle([expired, good], [expired_sig, good_sig]), gas=900_000
            )
        ],
    )
    wait_for(w3, [user0.transact(exchange.functions.cancelNonces(0, 1 << 9))])
    wait_for(w3, [user0.transact(exchange.functions.incrementCounter())])
    direct, _ = _order(chain, 0, ("SKYM", "FRESH"), 30, 11, counter=1)
    wait_for(w3, [user0.transact(exchange.functions.swap(direct))])
    payee = Signer(w3, ANVIL_KEYS[9])
    wait_for(w3, [payee.transact(exchange.functions.withdrawPayeeCredit(payee.address))])
    skym_admin = Signer(w3, ANVIL_KEYS[4])
    skym = Web3.to_checksum_address(chain.tokens["SKYM"])
    wait_for(
        w3, [skym_admin.transact(exchange.functions.withdrawMerchantFees(skym, skym_admin.address))]
    )
    wait_for(
        w3, [skym_admin.transact(exchange.functions.withdraw(skym, skym_admin.address, 1_000))]
    )
    token = chain.platform.points_token(skym)
    wait_for(w3, [skym_admin.transact(token.functions.issue(user0.address, 500))])
    wait_for(w3, [user0.transact(token.functions.redeem(100))])
    wait_for(w3, [user0.transact(token.functions.transfer(relayer.address, 7))])
    voucher_events(chain, relayer)


def voucher_events(chain: TestChain, relayer: Signer) -> None:
    """A BEAN coffee voucher listed, bought with user 0's SKYM points (the value moves as in a
    swap) in a relayed batch, and redeemed at the till: the audit's voucher invariant then has
    something to check."""
    w3, platform = chain.w3, chain.platform
    coffee = next(p for p in DEMO_PRODUCTS if p.symbol == "BEAN")
    assert seed_demo_vouchers(w3, platform, chain.tokens, [coffee]) == 1
    book = platform.voucher_book
    product_id = int(book.functions.productCount().call())
    key = chain.user_keys[0]
    skym = Web3.to_checksum_address(chain.tokens["SKYM"])
    points = points_for(coffee.price, point_value(platform, skym), fee_bps(platform), own=False)
    purchase = Purchase(Account.from_key(key).address, product_id, skym, points, 0, 1, FAR)
    domain = voucher_domain(chain.deployment.chain_id, book.address)
    signature = sign_voucher_request(key, domain, purchase)
    batch = book.functions.purchaseBatch([purchase.as_tuple()], [signature])
    wait_for(w3, [relayer.transact(batch, gas=900_000)])
    voucher_id = int(book.functions.voucherCount().call())
    redemption = VoucherRedemption(voucher_id, purchase.owner, FAR)
    consent = sign_voucher_request(key, domain, redemption)
    wait_for(w3, [relayer.transact(book.functions.redeem(redemption.as_tuple(), consent))])


def _send_eth(sender: Signer, to: str) -> bytes:
    raw, tx_hash, _ = sender.sign({"to": to, "value": 10**18, "gas": 21_000})
    sender.w3.eth.send_raw_transaction(raw)
    return tx_hash
